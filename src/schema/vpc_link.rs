//! `aws_apigatewayv2_vpc_link`: a way from HTTP apis' private integrations into a VPC. It lives in
//! its region.

use super::{Attribute, ImportFormat, NaturalKey, Rule, Schema, Type, argument, computed, derived};

pub static SCHEMA: Schema = Schema {
    name: "aws_apigatewayv2_vpc_link",
    noun: "VPC link",
    parent: None,
    protocol: None,
    natural_key: NaturalKey {
        attributes: &["name"],
        unique: false,
    },
    import_id: ImportFormat {
        template: "VPC_LINK_ID",
        parts: &[("VPC_LINK_ID", "id")],
        example: "aabbccddee",
    },
    attributes: &[
        derived("arn"),
        computed("id"),
        Attribute {
            rule: Rule::Length(1, 128),
            ..argument("name", Type::String).required()
        },
        super::REGION,
        Attribute {
            force_new: true,
            ..argument("security_group_ids", Type::StringSet).required()
        },
        Attribute {
            force_new: true,
            ..argument("subnet_ids", Type::StringSet).required()
        },
        argument("tags", Type::StringMap),
        super::TAGS_ALL,
    ],
    blocks: &[],
    check: super::no_check,
    implied: super::nothing_implied,
};
