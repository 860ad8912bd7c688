//! `aws_apigatewayv2_api_mapping`: a path of a custom domain name (`api_mapping_key`) that serves
//! a stage of an api. It lives under its domain name.

use super::{Attribute, IdPart, Kind, Parent, Schema, Type, argument, computed};

pub static SCHEMA: Schema = Schema {
    name: "aws_apigatewayv2_api_mapping",
    noun: "api mapping",
    parent: Some(Parent {
        kind: Kind::DomainName,
        attribute: "domain_name",
    }),
    protocol: None,
    import_id: &[
        IdPart {
            attribute: "id",
            placeholder: "API_MAPPING_ID",
            example: "1122334",
        },
        IdPart {
            attribute: "domain_name",
            placeholder: "DOMAIN_NAME",
            example: "ws-api.example.com",
        },
    ],
    attributes: &[
        Attribute {
            force_new: true,
            ..argument("api_id", Type::String).required()
        },
        argument("api_mapping_key", Type::String),
        Attribute {
            force_new: true,
            ..argument("domain_name", Type::String).required()
        },
        computed("id"),
        super::REGION,
        argument("stage", Type::String).required(),
    ],
    blocks: &[],
    check: super::no_check,
};
