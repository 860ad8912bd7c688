//! `aws_apigatewayv2_deployment`: a snapshot of an api's routes that stages serve.

use super::{Attribute, ImportFormat, NaturalKey, Rule, Schema, Type, argument, computed};

pub static SCHEMA: Schema = Schema {
    name: "aws_apigatewayv2_deployment",
    noun: "deployment",
    parent: super::IN_API,
    protocol: None,
    natural_key: NaturalKey {
        attributes: &["description"],
        unique: false,
    },
    import_id: ImportFormat {
        template: "API_ID/DEPLOYMENT_ID",
        parts: &[("API_ID", "api_id"), ("DEPLOYMENT_ID", "id")],
        example: "aabbccddee/1122334",
    },
    attributes: &[
        Attribute {
            force_new: true,
            ..argument("api_id", Type::String).required()
        },
        Attribute {
            ty: Type::Bool,
            ..computed("auto_deployed")
        },
        Attribute {
            rule: Rule::Length(0, 1024),
            ..argument("description", Type::String)
        },
        computed("id"),
        super::REGION,
        // Arbitrary values whose change redeploys; gateform keeps them and never sends them.
        Attribute {
            force_new: true,
            read_back: false,
            ..argument("triggers", Type::StringMap)
        },
    ],
    blocks: &[],
    check: super::no_check,
    implied: super::nothing_implied,
};
