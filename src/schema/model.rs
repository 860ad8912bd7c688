//! `aws_apigatewayv2_model`: a request or response schema of a WebSocket api.

use super::{
    Attribute, ImportFormat, NaturalKey, Protocol, Rule, Schema, Type, argument, computed,
};

pub static SCHEMA: Schema = Schema {
    name: "aws_apigatewayv2_model",
    noun: "model",
    parent: super::IN_API,
    protocol: Some((
        Protocol::WebSocket,
        "HTTP APIs validate requests with authorizers and parameter mappings, not models",
    )),
    natural_key: NaturalKey {
        attributes: &["name"],
        unique: true,
    },
    import_id: ImportFormat {
        template: "API_ID/MODEL_ID",
        parts: &[("API_ID", "api_id"), ("MODEL_ID", "id")],
        example: "aabbccddee/1122334",
    },
    attributes: &[
        Attribute {
            force_new: true,
            ..argument("api_id", Type::String).required()
        },
        Attribute {
            force_new: true,
            rule: Rule::Length(1, 256),
            ..argument("content_type", Type::String).required()
        },
        Attribute {
            rule: Rule::Length(1, 128),
            ..argument("description", Type::String)
        },
        computed("id"),
        Attribute {
            rule: Rule::Length(1, 128),
            ..argument("name", Type::String).required()
        },
        super::REGION,
        Attribute {
            rule: Rule::Json,
            ..argument("schema", Type::String).required()
        },
    ],
    blocks: &[],
    check: super::no_check,
    implied: super::nothing_implied,
};
