//! `aws_apigatewayv2_routing_rule`: a rule of a custom domain name that sends requests matching
//! its conditions to a stage of a (REST) api, in priority order. It lives under its domain name.

use super::{
    Attribute, BlockSchema, Default, ImportFormat, Kind, NaturalKey, Nesting, Parent, Problem,
    Protocol, Rule, Schema, Type, argument, computed,
};
use crate::value::{Object, block_elements};

pub static SCHEMA: Schema = Schema {
    name: "aws_apigatewayv2_routing_rule",
    noun: "routing rule",
    parent: Some(Parent {
        kind: Kind::DomainName,
        attribute: "domain_name",
    }),
    protocol: None,
    natural_key: NaturalKey {
        attributes: &["priority"],
        unique: true,
    },
    import_id: ImportFormat {
        template: "arn:PARTITION:apigateway:REGION:ACCOUNT_ID:/domainnames/DOMAIN_NAME/routingrules/ROUTING_RULE_ID",
        parts: &[("DOMAIN_NAME", "domain_name"), ("ROUTING_RULE_ID", "id")],
        example: "arn:aws:apigateway:us-east-1:123456789012:/domainnames/example.com/routingrules/rule1",
    },
    attributes: &[
        Attribute {
            force_new: true,
            rule: Rule::Length(1, 512),
            ..argument("domain_name", Type::String).required()
        },
        // The provider has no `id`; gateform keeps the rule's id there too, as every object has.
        computed("id"),
        Attribute {
            rule: Rule::Range(1, 1_000_000),
            ..argument("priority", Type::Number).required()
        },
        super::REGION,
        computed("routing_rule_arn"),
        computed("routing_rule_id"),
    ],
    blocks: &[
        BlockSchema {
            name: "action",
            protocol: None,
            nesting: Nesting::Set,
            required: true,
            attributes: &[],
            blocks: &[BlockSchema {
                name: "invoke_api",
                protocol: None,
                nesting: Nesting::Single,
                required: true,
                attributes: &[
                    argument("api_id", Type::String).required(),
                    argument("stage", Type::String).required(),
                    Attribute {
                        default: Some(Default::Bool(false)),
                        ..argument("strip_base_path", Type::Bool)
                    },
                ],
                blocks: &[],
            }],
        },
        BlockSchema {
            name: "condition",
            protocol: None,
            nesting: Nesting::Set,
            required: true,
            attributes: &[],
            blocks: &[
                BlockSchema {
                    name: "match_base_paths",
                    protocol: None,
                    nesting: Nesting::Single,
                    required: false,
                    attributes: &[argument("any_of", Type::StringSet).required()],
                    blocks: &[],
                },
                BlockSchema {
                    name: "match_headers",
                    protocol: None,
                    nesting: Nesting::Single,
                    required: false,
                    attributes: &[],
                    blocks: &[BlockSchema {
                        name: "any_of",
                        protocol: None,
                        nesting: Nesting::Single,
                        required: true,
                        attributes: &[
                            Attribute {
                                rule: Rule::Length(1, 40),
                                ..argument("header", Type::String).required()
                            },
                            Attribute {
                                rule: Rule::Length(1, 128),
                                ..argument("value_glob", Type::String).required()
                            },
                        ],
                        blocks: &[],
                    }],
                },
            ],
        },
    ],
    check,
    implied: super::nothing_implied,
};

/// Each `condition` matches on one thing: base paths or headers, not both.
fn check(values: &Object, _protocol: Option<Protocol>) -> Vec<Problem> {
    let conditions = block_elements(values, "condition");
    let matches = |condition: &Object| {
        ["match_base_paths", "match_headers"]
            .into_iter()
            .filter(|name| !block_elements(condition, name).is_empty())
            .count()
    };
    match conditions.iter().any(|condition| matches(condition) != 1) {
        true => vec![Problem {
            attribute: "condition",
            message: "each `condition` needs exactly one of `match_base_paths` and `match_headers`"
                .to_owned(),
            hint: Some(
                "write two `condition` blocks to match both: a rule's conditions must all hold"
                    .to_owned(),
            ),
        }],
        false => Vec::new(),
    }
}
