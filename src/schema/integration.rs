//! `aws_apigatewayv2_integration`: what a route sends its requests to.

use super::{
    Attribute, BlockSchema, Default, ImportFormat, NaturalKey, Nesting, Presence, Problem,
    Protocol, Rule, Schema, Type, argument, computed,
};
use crate::value::{Object, Value};

/// The HTTP methods an integration may call with.
const METHODS: &[&str] = &[
    "ANY", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT",
];

pub static SCHEMA: Schema = Schema {
    name: "aws_apigatewayv2_integration",
    noun: "integration",
    parent: super::IN_API,
    protocol: None,
    natural_key: NaturalKey {
        attributes: &[
            "integration_type",
            "integration_uri",
            "integration_method",
            "integration_subtype",
            "connection_id",
            "description",
        ],
        unique: false,
    },
    import_id: ImportFormat {
        template: "API_ID/INTEGRATION_ID",
        parts: &[("API_ID", "api_id"), ("INTEGRATION_ID", "id")],
        example: "aabbccddee/1122334",
    },
    attributes: &[
        Attribute {
            force_new: true,
            ..argument("api_id", Type::String).required()
        },
        argument("connection_id", Type::String),
        Attribute {
            default: Some(Default::String("INTERNET")),
            rule: Rule::OneOf(&["INTERNET", "VPC_LINK"]),
            ..argument("connection_type", Type::String)
        },
        Attribute {
            rule: Rule::OneOf(&["CONVERT_TO_BINARY", "CONVERT_TO_TEXT"]),
            protocol: Some(Protocol::WebSocket),
            ..argument("content_handling_strategy", Type::String)
        },
        Attribute {
            rule: Rule::Arn,
            ..argument("credentials_arn", Type::String)
        },
        argument("description", Type::String),
        computed("id"),
        // AWS and AWS_PROXY integrations report POST when none is set.
        Attribute {
            presence: Presence::OptionalComputed,
            rule: Rule::OneOf(METHODS),
            ..argument("integration_method", Type::String)
        },
        computed("integration_response_selection_expression"),
        // AWS service integrations (SQS-SendMessage and the like) exist for HTTP APIs only.
        Attribute {
            force_new: true,
            protocol: Some(Protocol::Http),
            ..argument("integration_subtype", Type::String)
        },
        Attribute {
            force_new: true,
            rule: Rule::OneOf(&["AWS", "AWS_PROXY", "HTTP", "HTTP_PROXY", "MOCK"]),
            ..argument("integration_type", Type::String).required()
        },
        argument("integration_uri", Type::String),
        Attribute {
            default: Some(Default::String("WHEN_NO_MATCH")),
            rule: Rule::OneOf(&["WHEN_NO_MATCH", "WHEN_NO_TEMPLATES", "NEVER"]),
            protocol: Some(Protocol::WebSocket),
            ..argument("passthrough_behavior", Type::String)
        },
        Attribute {
            default: Some(Default::String("1.0")),
            rule: Rule::OneOf(&["1.0", "2.0"]),
            ..argument("payload_format_version", Type::String)
        },
        super::REGION,
        argument("request_parameters", Type::StringMap),
        Attribute {
            protocol: Some(Protocol::WebSocket),
            ..argument("request_templates", Type::StringMap)
        },
        Attribute {
            protocol: Some(Protocol::WebSocket),
            ..argument("template_selection_expression", Type::String)
        },
        // AWS chooses 29000 for WebSocket APIs and 30000 for HTTP APIs when none is set.
        Attribute {
            presence: Presence::OptionalComputed,
            rule: Rule::Range(50, 30000),
            ..argument("timeout_milliseconds", Type::Number)
        },
    ],
    blocks: &[
        BlockSchema {
            name: "response_parameters",
            protocol: Some(Protocol::Http),
            nesting: Nesting::Set,
            required: false,
            blocks: &[],
            attributes: &[
                argument("mappings", Type::StringMap).required(),
                argument("status_code", Type::String).required(),
            ],
        },
        BlockSchema {
            name: "tls_config",
            protocol: Some(Protocol::Http),
            nesting: Nesting::Single,
            required: false,
            blocks: &[],
            attributes: &[argument("server_name_to_verify", Type::String)],
        },
    ],
    check,
    implied: super::nothing_implied,
};

pub fn check(values: &Object, protocol: Option<Protocol>) -> Vec<Problem> {
    let mut problems = Vec::new();
    let text = |name: &str| values.get(name).and_then(Value::as_str);
    let Some(integration_type) = text("integration_type") else {
        return problems;
    };
    if protocol == Some(Protocol::Http) && matches!(integration_type, "AWS" | "HTTP" | "MOCK") {
        problems.push(Problem {
            attribute: "integration_type",
            message: format!("`{integration_type}` integrations apply only to WebSocket APIs"),
            hint: Some(
                "HTTP APIs use `AWS_PROXY` (Lambda and AWS services) or `HTTP_PROXY`".to_owned(),
            ),
        });
    }
    let has = |name: &str| values.get(name).is_some_and(|value| !value.is_null());
    // An AWS service integration (an `integration_subtype`) calls the service, not a uri.
    if integration_type != "MOCK" && !has("integration_uri") && !has("integration_subtype") {
        problems.push(Problem {
            attribute: "integration_type",
            message: format!("`{integration_type}` integrations need an `integration_uri`"),
            hint: Some(
                "set `integration_uri` to the URL or the ARN the integration calls".to_owned(),
            ),
        });
    }
    if matches!(integration_type, "HTTP" | "HTTP_PROXY") && !has("integration_method") {
        problems.push(Problem {
            attribute: "integration_type",
            message: format!("`{integration_type}` integrations need an `integration_method`"),
            hint: Some("set `integration_method`, such as \"ANY\" or \"GET\"".to_owned()),
        });
    }
    problems
}
