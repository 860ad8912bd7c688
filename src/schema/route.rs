//! `aws_apigatewayv2_route`.

use super::{
    Attribute, BlockSchema, Default, ImportFormat, NaturalKey, Nesting, Problem, Protocol, Rule,
    Schema, Type, argument, computed,
};
use crate::value::{Object, Value};

pub static SCHEMA: Schema = Schema {
    name: "aws_apigatewayv2_route",
    noun: "route",
    parent: super::IN_API,
    protocol: None,
    natural_key: NaturalKey {
        attributes: &["route_key"],
        unique: true,
    },
    import_id: ImportFormat {
        template: "API_ID/ROUTE_ID",
        parts: &[("API_ID", "api_id"), ("ROUTE_ID", "id")],
        example: "aabbccddee/1122334",
    },
    attributes: &[
        Attribute {
            force_new: true,
            ..argument("api_id", Type::String).required()
        },
        Attribute {
            default: Some(Default::Bool(false)),
            protocol: Some(Protocol::WebSocket),
            ..argument("api_key_required", Type::Bool)
        },
        argument("authorization_scopes", Type::StringSet),
        Attribute {
            default: Some(Default::String("NONE")),
            rule: Rule::OneOf(&["NONE", "AWS_IAM", "CUSTOM", "JWT"]),
            ..argument("authorization_type", Type::String)
        },
        Attribute {
            same_api: true,
            ..argument("authorizer_id", Type::String)
        },
        computed("id"),
        Attribute {
            protocol: Some(Protocol::WebSocket),
            ..argument("model_selection_expression", Type::String)
        },
        Attribute {
            rule: Rule::Length(1, 64),
            ..argument("operation_name", Type::String)
        },
        super::REGION,
        Attribute {
            protocol: Some(Protocol::WebSocket),
            ..argument("request_models", Type::StringMap)
        },
        argument("route_key", Type::String).required(),
        Attribute {
            protocol: Some(Protocol::WebSocket),
            ..argument("route_response_selection_expression", Type::String)
        },
        Attribute {
            rule: Rule::Length(1, 128),
            same_api: true,
            ..argument("target", Type::String)
        },
    ],
    blocks: &[BlockSchema {
        name: "request_parameter",
        protocol: Some(Protocol::WebSocket),
        nesting: Nesting::Set,
        required: false,
        blocks: &[],
        attributes: &[
            argument("request_parameter_key", Type::String).required(),
            argument("required", Type::Bool).required(),
        ],
    }],
    check,
    implied: super::nothing_implied,
};

/// HTTP methods a route key may start with.
const METHODS: &[&str] = &[
    "ANY", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT",
];

pub fn check(values: &Object, protocol: Option<Protocol>) -> Vec<Problem> {
    let mut problems = Vec::new();
    if let (Some(protocol), Some(route_key)) =
        (protocol, values.get("route_key").and_then(Value::as_str))
    {
        problems.extend(check_route_key("route_key", route_key, protocol));
    }
    let authorization_type = values.get("authorization_type").and_then(Value::as_str);
    if protocol == Some(Protocol::WebSocket) && authorization_type == Some("JWT") {
        problems.push(Problem {
            attribute: "authorization_type",
            message: "`JWT` authorization applies only to HTTP APIs".to_owned(),
            hint: Some("WebSocket routes use `NONE`, `AWS_IAM` or `CUSTOM`".to_owned()),
        });
    }
    problems
}

/// Checks a route key against what AWS accepts for the API's protocol. `attribute` is the argument
/// that holds it (`route_key` on a route, or the api's quick-create `route_key`).
pub fn check_route_key(
    attribute: &'static str,
    route_key: &str,
    protocol: Protocol,
) -> Option<Problem> {
    let problem = |message: String, hint: &str| Problem {
        attribute,
        message,
        hint: Some(hint.to_owned()),
    };
    match protocol {
        Protocol::WebSocket => match route_key {
            "" => Some(problem(
                "the route key is empty".to_owned(),
                "WebSocket route keys are `$connect`, `$disconnect`, `$default` or an action name such as `sendmessage`",
            )),
            "$connect" | "$disconnect" | "$default" => None,
            reserved if reserved.starts_with('$') => Some(problem(
                format!("`{reserved}` is not a WebSocket route key"),
                "the reserved WebSocket route keys are `$connect`, `$disconnect` and `$default`",
            )),
            _ => None,
        },
        Protocol::Http => {
            const HINT: &str = "HTTP route keys are `$default` or a method and a path, such as `GET /pets/{id}` or `ANY /{proxy+}`";
            if route_key == "$default" {
                return None;
            }
            let Some((method, path)) = route_key.split_once(' ') else {
                return Some(problem(
                    format!("invalid HTTP route key `{route_key}`"),
                    HINT,
                ));
            };
            if !METHODS.contains(&method) {
                let listed = METHODS.join(", ");
                return Some(problem(
                    format!("unknown HTTP method `{method}` in route key `{route_key}`"),
                    &format!("methods are {listed}"),
                ));
            }
            if !path.starts_with('/') {
                return Some(problem(
                    format!("the path of route key `{route_key}` must start with `/`"),
                    HINT,
                ));
            }
            let segments: Vec<&str> = path[1..].split('/').collect();
            let greedy = segments.iter().position(|segment| segment.ends_with("+}"));
            if greedy.is_some_and(|index| index + 1 != segments.len()) {
                return Some(problem(
                    format!(
                        "the greedy path variable in route key `{route_key}` must be the last path segment"
                    ),
                    "a `{name+}` variable catches the rest of the path, so nothing may follow it",
                ));
            }
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn http(route_key: &str) -> Option<String> {
        check_route_key("route_key", route_key, Protocol::Http).map(|problem| problem.message)
    }

    #[test]
    fn accepts_the_http_route_keys_aws_accepts() {
        for route_key in [
            "$default",
            "GET /pets",
            "ANY /example/{proxy+}",
            "POST /",
            "DELETE /a/{id}/b",
        ] {
            assert_eq!(http(route_key), None, "{route_key}");
        }
    }

    #[test]
    fn rejects_malformed_http_route_keys() {
        assert_eq!(
            http("GET pets").unwrap(),
            "the path of route key `GET pets` must start with `/`"
        );
        assert_eq!(
            http("FETCH /pets").unwrap(),
            "unknown HTTP method `FETCH` in route key `FETCH /pets`"
        );
        assert_eq!(
            http("$connect").unwrap(),
            "invalid HTTP route key `$connect`"
        );
        assert_eq!(
            http("GET /{proxy+}/x").unwrap(),
            "the greedy path variable in route key `GET /{proxy+}/x` must be the last path segment"
        );
    }

    #[test]
    fn websocket_route_keys_are_reserved_or_actions() {
        let websocket = |key| {
            check_route_key("route_key", key, Protocol::WebSocket).map(|problem| problem.message)
        };
        assert_eq!(websocket("$connect"), None);
        assert_eq!(websocket("sendmessage"), None);
        assert_eq!(
            websocket("$connected").unwrap(),
            "`$connected` is not a WebSocket route key"
        );
    }
}
