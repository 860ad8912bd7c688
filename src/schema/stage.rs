//! `aws_apigatewayv2_stage`: a named deployment target of an api, such as `$default` or `prod`.

use super::{
    Attribute, BlockSchema, Default, ImportFormat, NaturalKey, Nesting, Presence, Protocol, Rule,
    Schema, Type, argument, derived,
};

/// The settings of `default_route_settings` and of each `route_settings` block.
macro_rules! route_settings {
    ($($route_key:expr)?) => {
        &[
            Attribute {
                default: Some(Default::Bool(false)),
                protocol: Some(Protocol::WebSocket),
                ..argument("data_trace_enabled", Type::Bool)
            },
            Attribute {
                default: Some(Default::Bool(false)),
                ..argument("detailed_metrics_enabled", Type::Bool)
            },
            // AWS reports OFF for WebSocket stages when none is set.
            Attribute {
                default: Some(Default::String("OFF")),
                rule: Rule::OneOf(&["ERROR", "INFO", "OFF"]),
                protocol: Some(Protocol::WebSocket),
                ..argument("logging_level", Type::String)
            },
            $($route_key,)?
            argument("throttling_burst_limit", Type::Number),
            argument("throttling_rate_limit", Type::Number),
        ]
    };
}

pub static SCHEMA: Schema = Schema {
    name: "aws_apigatewayv2_stage",
    noun: "stage",
    parent: super::IN_API,
    protocol: None,
    natural_key: NaturalKey {
        attributes: &["name"],
        unique: true,
    },
    import_id: ImportFormat {
        template: "API_ID/STAGE_NAME",
        parts: &[("API_ID", "api_id"), ("STAGE_NAME", "id")],
        example: "aabbccddee/prod",
    },
    attributes: &[
        Attribute {
            force_new: true,
            ..argument("api_id", Type::String).required()
        },
        derived("arn"),
        Attribute {
            default: Some(Default::Bool(false)),
            ..argument("auto_deploy", Type::Bool)
        },
        Attribute {
            protocol: Some(Protocol::WebSocket),
            ..argument("client_certificate_id", Type::String)
        },
        // AWS points an auto-deploying stage at each new deployment itself.
        Attribute {
            presence: Presence::OptionalComputed,
            ..argument("deployment_id", Type::String)
        },
        Attribute {
            rule: Rule::Length(0, 1024),
            ..argument("description", Type::String)
        },
        derived("execution_arn"),
        // The stage's id is its name.
        derived("id"),
        derived("invoke_url"),
        Attribute {
            force_new: true,
            rule: Rule::Length(1, 128),
            ..argument("name", Type::String).required()
        },
        super::REGION,
        argument("stage_variables", Type::StringMap),
        argument("tags", Type::StringMap),
        super::TAGS_ALL,
    ],
    blocks: &[
        BlockSchema {
            name: "access_log_settings",
            protocol: None,
            nesting: Nesting::Single,
            required: false,
            blocks: &[],
            attributes: &[
                Attribute {
                    rule: Rule::Arn,
                    ..argument("destination_arn", Type::String).required()
                },
                argument("format", Type::String).required(),
            ],
        },
        BlockSchema {
            name: "default_route_settings",
            protocol: None,
            nesting: Nesting::Single,
            required: false,
            blocks: &[],
            attributes: route_settings!(),
        },
        BlockSchema {
            name: "route_settings",
            protocol: None,
            nesting: Nesting::Set,
            required: false,
            blocks: &[],
            attributes: route_settings!(argument("route_key", Type::String).required()),
        },
    ],
    check: super::no_check,
    implied: super::nothing_implied,
};
