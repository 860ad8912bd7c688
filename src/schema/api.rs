//! `aws_apigatewayv2_api`.

use super::{
    Attribute, BlockSchema, Default, ImportFormat, NaturalKey, Nesting, Presence, Problem,
    Protocol, Rule, Schema, Type, argument, computed, derived,
};
use crate::value::{Object, Value};

pub static SCHEMA: Schema = Schema {
    name: "aws_apigatewayv2_api",
    noun: "api",
    parent: None,
    protocol: None,
    natural_key: NaturalKey {
        attributes: &["name", "protocol_type"],
        unique: false,
    },
    import_id: ImportFormat {
        template: "API_ID",
        parts: &[("API_ID", "id")],
        example: "aabbccddee",
    },
    attributes: &[
        computed("api_endpoint"),
        Attribute {
            default: Some(Default::String("$request.header.x-api-key")),
            rule: Rule::OneOf(&[
                "$context.authorizer.usageIdentifierKey",
                "$request.header.x-api-key",
            ]),
            protocol: Some(Protocol::WebSocket),
            ..argument("api_key_selection_expression", Type::String)
        },
        derived("arn"),
        // An OpenAPI definition, applied with ReimportApi; AWS does not report it back.
        Attribute {
            rule: Rule::Document,
            protocol: Some(Protocol::Http),
            read_back: false,
            ..argument("body", Type::String)
        },
        // Quick create: AWS makes an integration, a `$default` route and stage from these three.
        Attribute {
            force_new: true,
            protocol: Some(Protocol::Http),
            read_back: false,
            ..argument("credentials_arn", Type::String)
        },
        Attribute {
            rule: Rule::Length(0, 1024),
            ..argument("description", Type::String)
        },
        Attribute {
            default: Some(Default::Bool(false)),
            ..argument("disable_execute_api_endpoint", Type::Bool)
        },
        derived("execution_arn"),
        // Sent only with ReimportApi, and never reported back.
        Attribute {
            read_back: false,
            ..argument("fail_on_warnings", Type::Bool)
        },
        computed("id"),
        Attribute {
            presence: Presence::OptionalComputed,
            rule: Rule::OneOf(&["ipv4", "dualstack"]),
            ..argument("ip_address_type", Type::String)
        },
        Attribute {
            rule: Rule::Length(1, 128),
            ..argument("name", Type::String).required()
        },
        Attribute {
            force_new: true,
            rule: Rule::OneOf(&["HTTP", "WEBSOCKET"]),
            ..argument("protocol_type", Type::String).required()
        },
        super::REGION,
        Attribute {
            force_new: true,
            protocol: Some(Protocol::Http),
            read_back: false,
            ..argument("route_key", Type::String)
        },
        Attribute {
            default: Some(Default::String("$request.method $request.path")),
            protocol: Some(Protocol::WebSocket),
            ..argument("route_selection_expression", Type::String)
        },
        argument("tags", Type::StringMap),
        super::TAGS_ALL,
        Attribute {
            force_new: true,
            protocol: Some(Protocol::Http),
            read_back: false,
            ..argument("target", Type::String)
        },
        Attribute {
            rule: Rule::Length(1, 64),
            ..argument("version", Type::String)
        },
    ],
    blocks: &[BlockSchema {
        name: "cors_configuration",
        protocol: Some(Protocol::Http),
        nesting: Nesting::Single,
        required: false,
        blocks: &[],
        attributes: &[
            argument("allow_credentials", Type::Bool),
            Attribute {
                ignore_case: true,
                ..argument("allow_headers", Type::StringSet)
            },
            Attribute {
                ignore_case: true,
                ..argument("allow_methods", Type::StringSet)
            },
            Attribute {
                ignore_case: true,
                ..argument("allow_origins", Type::StringSet)
            },
            Attribute {
                ignore_case: true,
                ..argument("expose_headers", Type::StringSet)
            },
            argument("max_age", Type::Number),
        ],
    }],
    check,
    implied,
};

/// An OpenAPI `body` sets the api's description and version from its `info`, where the
/// configuration does not set them (ReimportApi takes them from the document; the configured
/// ones are set again after it).
fn implied(values: &mut Object) {
    let Some(Value::String(body)) = values.get("body") else {
        return;
    };
    let Ok(document) = serde_norway::from_str::<serde_json::Value>(body) else {
        return;
    };
    for (attribute, field) in [("description", "description"), ("version", "version")] {
        let from_document = match &document["info"][field] {
            serde_json::Value::String(text) => Value::String(text.clone()),
            serde_json::Value::Number(number) => Value::String(number.to_string()),
            _ => continue,
        };
        if values.get(attribute).is_none_or(Value::is_null) {
            values.insert(attribute.to_owned(), from_document);
        }
    }
}

pub fn check(values: &Object, _protocol: Option<Protocol>) -> Vec<Problem> {
    let mut problems = Vec::new();
    let is_http = values.get("protocol_type").and_then(Value::as_str) == Some("HTTP");
    if let (true, Some(route_key)) = (is_http, values.get("route_key").and_then(Value::as_str)) {
        problems.extend(super::check_route_key(
            "route_key",
            route_key,
            Protocol::Http,
        ));
    }
    problems
}
