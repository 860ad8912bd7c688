//! `aws_apigatewayv2_model`: a request or response schema of a WebSocket api.

use super::{Attribute, Problem, Protocol, Rule, Schema, Type, argument, computed};
use crate::value::Object;

pub static SCHEMA: Schema = Schema {
    name: "aws_apigatewayv2_model",
    noun: "model",
    parent: super::IN_API,
    import_id: &[super::API_ID, super::own_id("MODEL_ID", "1122334")],
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
    check,
};

pub fn check(_values: &Object, protocol: Option<Protocol>) -> Vec<Problem> {
    match protocol {
        Some(Protocol::Http) => vec![Problem {
            attribute: "api_id",
            message: "models apply only to WebSocket APIs".to_owned(),
            hint: Some(
                "HTTP APIs validate requests with authorizers and parameter mappings, not models"
                    .to_owned(),
            ),
        }],
        _ => Vec::new(),
    }
}
