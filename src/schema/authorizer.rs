//! `aws_apigatewayv2_authorizer`: a Lambda (REQUEST) or JWT authorizer that routes name.

use super::{
    Attribute, BlockSchema, Default, ImportFormat, NaturalKey, Nesting, Presence, Problem,
    Protocol, Rule, Schema, Type, argument, computed,
};
use crate::value::{Object, Value, block_elements};

pub static SCHEMA: Schema = Schema {
    name: "aws_apigatewayv2_authorizer",
    noun: "authorizer",
    parent: super::IN_API,
    protocol: None,
    natural_key: NaturalKey {
        attributes: &["name", "authorizer_type"],
        unique: false,
    },
    import_id: ImportFormat {
        template: "API_ID/AUTHORIZER_ID",
        parts: &[("API_ID", "api_id"), ("AUTHORIZER_ID", "id")],
        example: "aabbccddee/1122334",
    },
    attributes: &[
        Attribute {
            force_new: true,
            ..argument("api_id", Type::String).required()
        },
        Attribute {
            rule: Rule::Arn,
            ..argument("authorizer_credentials_arn", Type::String)
        },
        Attribute {
            rule: Rule::OneOf(&["1.0", "2.0"]),
            protocol: Some(Protocol::Http),
            ..argument("authorizer_payload_format_version", Type::String)
        },
        // AWS chooses when none is set.
        // AWS caches authorizer results for HTTP APIs only.
        Attribute {
            presence: Presence::OptionalComputed,
            rule: Rule::Range(0, 3600),
            protocol: Some(Protocol::Http),
            ..argument("authorizer_result_ttl_in_seconds", Type::Number)
        },
        Attribute {
            rule: Rule::OneOf(&["REQUEST", "JWT"]),
            ..argument("authorizer_type", Type::String).required()
        },
        Attribute {
            rule: Rule::Length(1, 2048),
            ..argument("authorizer_uri", Type::String)
        },
        Attribute {
            default: Some(Default::Bool(false)),
            protocol: Some(Protocol::Http),
            ..argument("enable_simple_responses", Type::Bool)
        },
        computed("id"),
        argument("identity_sources", Type::StringSet),
        Attribute {
            rule: Rule::Length(1, 128),
            ..argument("name", Type::String).required()
        },
        super::REGION,
    ],
    blocks: &[BlockSchema {
        name: "jwt_configuration",
        protocol: Some(Protocol::Http),
        nesting: Nesting::Single,
        required: false,
        blocks: &[],
        attributes: &[
            argument("audience", Type::StringSet),
            argument("issuer", Type::String),
        ],
    }],
    check,
    implied: super::nothing_implied,
};

pub fn check(values: &Object, protocol: Option<Protocol>) -> Vec<Problem> {
    let mut problems = Vec::new();
    let has = |name: &str| values.get(name).is_some_and(|value| !value.is_blank());
    let problem = |attribute, message: &str, hint: &str| Problem {
        attribute,
        message: message.to_owned(),
        hint: Some(hint.to_owned()),
    };
    match values.get("authorizer_type").and_then(Value::as_str) {
        Some("JWT") => {
            if protocol == Some(Protocol::WebSocket) {
                problems.push(problem(
                    "authorizer_type",
                    "`JWT` authorizers apply only to HTTP APIs",
                    "WebSocket APIs use `REQUEST` (Lambda) authorizers",
                ));
            }
            if block_elements(values, "jwt_configuration").is_empty() {
                problems.push(problem(
                    "authorizer_type",
                    "a `JWT` authorizer needs a `jwt_configuration` block",
                    "add `jwt_configuration { audience = [...] issuer = \"https://...\" }`",
                ));
            }
            if !has("identity_sources") {
                problems.push(problem(
                    "authorizer_type",
                    "a `JWT` authorizer needs `identity_sources`",
                    "the token's source, such as [\"$request.header.Authorization\"]",
                ));
            }
        }
        Some("REQUEST") => {
            if !has("authorizer_uri") {
                problems.push(problem(
                    "authorizer_type",
                    "a `REQUEST` authorizer needs an `authorizer_uri`",
                    "the invocation ARN of the Lambda function that authorizes",
                ));
            }
            if protocol == Some(Protocol::Http) && !has("authorizer_payload_format_version") {
                problems.push(problem(
                    "authorizer_type",
                    "a `REQUEST` authorizer of an HTTP API needs `authorizer_payload_format_version`",
                    "set it to \"1.0\" or \"2.0\"",
                ));
            }
        }
        _ => {}
    }
    problems
}
