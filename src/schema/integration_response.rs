//! `aws_apigatewayv2_integration_response`: how a WebSocket integration's response is turned into
//! what the route sends back. It lives under its integration.

use super::{
    Attribute, ImportFormat, Kind, NaturalKey, Parent, Protocol, Rule, Schema, Type, argument,
    computed,
};

pub static SCHEMA: Schema = Schema {
    name: "aws_apigatewayv2_integration_response",
    noun: "integration response",
    parent: Some(Parent {
        kind: Kind::Integration,
        attribute: "integration_id",
    }),
    protocol: Some((
        Protocol::WebSocket,
        "HTTP APIs map an integration's responses with its `response_parameters`",
    )),
    natural_key: NaturalKey {
        attributes: &["integration_response_key"],
        unique: true,
    },
    import_id: ImportFormat {
        template: "API_ID/INTEGRATION_ID/INTEGRATION_RESPONSE_ID",
        parts: &[
            ("API_ID", "api_id"),
            ("INTEGRATION_ID", "integration_id"),
            ("INTEGRATION_RESPONSE_ID", "id"),
        ],
        example: "aabbccddee/1122334/998877",
    },
    attributes: &[
        Attribute {
            force_new: true,
            ..argument("api_id", Type::String).required()
        },
        Attribute {
            rule: Rule::OneOf(&["CONVERT_TO_BINARY", "CONVERT_TO_TEXT"]),
            ..argument("content_handling_strategy", Type::String)
        },
        computed("id"),
        Attribute {
            force_new: true,
            ..argument("integration_id", Type::String).required()
        },
        argument("integration_response_key", Type::String).required(),
        super::REGION,
        argument("response_templates", Type::StringMap),
        argument("template_selection_expression", Type::String),
    ],
    blocks: &[],
    check: super::no_check,
    implied: super::nothing_implied,
};
