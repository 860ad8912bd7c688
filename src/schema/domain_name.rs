//! `aws_apigatewayv2_domain_name`: a custom domain name, which api mappings (or routing rules)
//! point at apis. It lives in its region; its id is the name itself.

use super::{
    Attribute, BlockSchema, ImportFormat, NaturalKey, Nesting, Presence, Rule, Schema, Type,
    argument, computed, derived,
};

pub static SCHEMA: Schema = Schema {
    name: "aws_apigatewayv2_domain_name",
    noun: "domain name",
    parent: None,
    protocol: None,
    natural_key: NaturalKey {
        attributes: &["domain_name"],
        unique: true,
    },
    import_id: ImportFormat {
        template: "DOMAIN_NAME",
        parts: &[("DOMAIN_NAME", "id")],
        example: "api.example.com",
    },
    attributes: &[
        computed("api_mapping_selection_expression"),
        derived("arn"),
        Attribute {
            force_new: true,
            rule: Rule::Length(1, 512),
            ..argument("domain_name", Type::String).required()
        },
        computed("id"),
        super::REGION,
        // API_MAPPING_ONLY unless set; left out, AWS keeps what it has.
        Attribute {
            presence: Presence::OptionalComputed,
            rule: Rule::OneOf(&[
                "API_MAPPING_ONLY",
                "ROUTING_RULE_ONLY",
                "ROUTING_RULE_THEN_API_MAPPING",
            ]),
            ..argument("routing_mode", Type::String)
        },
        argument("tags", Type::StringMap),
        super::TAGS_ALL,
    ],
    blocks: &[
        BlockSchema {
            name: "domain_name_configuration",
            protocol: None,
            nesting: Nesting::Single,
            required: true,
            blocks: &[],
            attributes: &[
                Attribute {
                    rule: Rule::Arn,
                    ..argument("certificate_arn", Type::String).required()
                },
                Attribute {
                    rule: Rule::OneOf(&["REGIONAL"]),
                    ..argument("endpoint_type", Type::String).required()
                },
                computed("hosted_zone_id"),
                // AWS chooses ipv4 when none is set.
                Attribute {
                    presence: Presence::OptionalComputed,
                    rule: Rule::OneOf(&["ipv4", "dualstack"]),
                    ..argument("ip_address_type", Type::String)
                },
                Attribute {
                    presence: Presence::OptionalComputed,
                    rule: Rule::Arn,
                    ..argument("ownership_verification_certificate_arn", Type::String)
                },
                Attribute {
                    rule: Rule::OneOf(&["TLS_1_2"]),
                    ..argument("security_policy", Type::String).required()
                },
                // The name to point DNS at, such as `d-abc123.execute-api.eu-west-1.amazonaws.com`.
                computed("target_domain_name"),
            ],
        },
        BlockSchema {
            name: "mutual_tls_authentication",
            protocol: None,
            nesting: Nesting::Single,
            required: false,
            blocks: &[],
            attributes: &[
                argument("truststore_uri", Type::String).required(),
                argument("truststore_version", Type::String),
            ],
        },
    ],
    check: super::no_check,
    implied: super::nothing_implied,
};
