//! `aws_apigatewayv2_api_mapping`: a path of a custom domain name (`api_mapping_key`) that serves
//! a stage of an api. It lives under its domain name.

use super::{Attribute, ImportFormat, Kind, NaturalKey, Parent, Schema, Type, argument, computed};

pub static SCHEMA: Schema = Schema {
    name: "aws_apigatewayv2_api_mapping",
    noun: "api mapping",
    parent: Some(Parent {
        kind: Kind::DomainName,
        attribute: "domain_name",
    }),
    protocol: None,
    natural_key: NaturalKey {
        attributes: &["api_mapping_key", "api_id", "stage"],
        unique: true,
    },
    import_id: ImportFormat {
        template: "API_MAPPING_ID/DOMAIN_NAME",
        parts: &[("API_MAPPING_ID", "id"), ("DOMAIN_NAME", "domain_name")],
        example: "1122334/ws-api.example.com",
    },
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
    implied: super::nothing_implied,
};
