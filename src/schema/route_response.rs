//! `aws_apigatewayv2_route_response`: what a WebSocket route sends back to the client, for
//! two-way routes. It lives under its route.

use super::{
    Attribute, ImportFormat, Kind, NaturalKey, Parent, Protocol, Schema, Type, argument, computed,
};

pub static SCHEMA: Schema = Schema {
    name: "aws_apigatewayv2_route_response",
    noun: "route response",
    parent: Some(Parent {
        kind: Kind::Route,
        attribute: "route_id",
    }),
    protocol: Some((
        Protocol::WebSocket,
        "HTTP APIs send the integration's response back as it is",
    )),
    natural_key: NaturalKey {
        attributes: &["route_response_key"],
        unique: true,
    },
    import_id: ImportFormat {
        template: "API_ID/ROUTE_ID/ROUTE_RESPONSE_ID",
        parts: &[
            ("API_ID", "api_id"),
            ("ROUTE_ID", "route_id"),
            ("ROUTE_RESPONSE_ID", "id"),
        ],
        example: "aabbccddee/1122334/998877",
    },
    attributes: &[
        Attribute {
            force_new: true,
            ..argument("api_id", Type::String).required()
        },
        computed("id"),
        argument("model_selection_expression", Type::String),
        super::REGION,
        argument("response_models", Type::StringMap),
        Attribute {
            force_new: true,
            ..argument("route_id", Type::String).required()
        },
        argument("route_response_key", Type::String).required(),
    ],
    blocks: &[],
    check: super::no_check,
    implied: super::nothing_implied,
};
