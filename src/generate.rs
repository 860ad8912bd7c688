//! Configuration written from what AWS holds: an object's resource block, as
//! `plan -generate-config-out` and `discover` write them (issue 16). Only what a configuration
//! sets: no computed attribute, no argument at its default, no empty block. An id that is
//! another written object's becomes a reference to it (`api_id = aws_apigatewayv2_api.orders.id`,
//! `target = "integrations/${aws_apigatewayv2_integration.get_order.id}"`), so the blocks keep
//! their order when they change. Built with hcl-rs's builder, then laid out by gateform's fmt.

use std::collections::BTreeMap;

use hcl::expr::{Expression, TemplateExpr, Traversal, Variable};
use hcl::{Block, Body};

use crate::addr::Address;
use crate::schema::{Attribute, BlockSchema, Kind};
use crate::value::{Object, Value};

/// The arguments whose value is another object's id: the argument, the kind of that object, and
/// the text before the id (`integrations/` in a route's `target`).
const LINKS: &[(&str, Kind, &str)] = &[
    ("api_id", Kind::Api, ""),
    ("authorizer_id", Kind::Authorizer, ""),
    ("connection_id", Kind::VpcLink, ""),
    ("deployment_id", Kind::Deployment, ""),
    ("domain_name", Kind::DomainName, ""),
    ("integration_id", Kind::Integration, ""),
    ("route_id", Kind::Route, ""),
    ("stage", Kind::Stage, ""),
    ("target", Kind::Integration, "integrations/"),
];

/// The objects being written, by kind and id: what an id in an argument refers to.
#[derive(Debug, Default)]
pub struct Written {
    addresses: BTreeMap<(Kind, String), Address>,
}

impl Written {
    pub fn new<'a>(objects: impl IntoIterator<Item = (&'a Address, &'a Object)>) -> Written {
        let addresses = objects
            .into_iter()
            .filter_map(|(address, attributes)| {
                let id = attributes.get("id")?.as_str()?.to_owned();
                Some(((address.kind, id), address.clone()))
            })
            .collect();
        Written { addresses }
    }

    /// The expression for an argument's value: a reference when it names a written object of
    /// the kind the argument links to, the value itself otherwise.
    fn expression(&self, argument: &str, value: &Value) -> Expression {
        let linked = LINKS.iter().find_map(|(name, kind, prefix)| {
            let id = value.as_str()?.strip_prefix(prefix)?;
            let address = self.addresses.get(&(*kind, id.to_owned()))?;
            (*name == argument && address.module.is_empty() && address.key.is_none())
                .then_some((address, *prefix))
        });
        match linked {
            Some((address, "")) => reference(address).into(),
            Some((address, prefix)) => {
                let template =
                    format!("{prefix}${{{}.{}.id}}", address.kind.as_str(), address.name);
                TemplateExpr::QuotedString(template).into()
            }
            None => literal(value),
        }
    }
}

/// `KIND.NAME.id`.
fn reference(address: &Address) -> Traversal {
    Traversal::builder(Variable::unchecked(address.kind.as_str()))
        .attr(address.name.as_str())
        .attr("id")
        .build()
}

fn literal(value: &Value) -> Expression {
    match value {
        Value::Null | Value::Unknown => Expression::Null,
        Value::Bool(flag) => (*flag).into(),
        Value::Number(number) => match hcl::Number::from_f64(*number) {
            Some(number) => number.into(),
            None => Expression::Null,
        },
        Value::String(text) => text.as_str().into(),
        Value::List(items) => Expression::Array(items.iter().map(literal).collect()),
        Value::Map(entries) => Expression::Object(
            entries
                .iter()
                .map(|(key, value)| (object_key(key), literal(value)))
                .collect(),
        ),
    }
}

/// A map key as Terraform writes one: bare when it is an identifier (`team`, `backend-url`) and
/// not a keyword, else quoted (`"application/json"`).
fn object_key(key: &str) -> hcl::ObjectKey {
    match hcl::Identifier::new(key) {
        Ok(identifier) if !matches!(key, "true" | "false" | "null") => {
            hcl::ObjectKey::Identifier(identifier)
        }
        _ => hcl::ObjectKey::Expression(key.into()),
    }
}

/// The resource block of one object. `region` is written only where it is not the provider's.
pub fn block(address: &Address, attributes: &Object, written: &Written, region: &str) -> Block {
    let schema = address.kind.schema();
    let builder = Block::builder("resource")
        .add_label(address.kind.as_str())
        .add_label(address.name.as_str());
    let mut body = arguments(schema.attributes, schema.blocks, attributes, written);
    body.attributes
        .retain(|(name, value)| *name != "region" || value.as_str() != Some(region));
    let mut builder = builder.add_attributes(
        body.attributes
            .into_iter()
            .map(|(name, value)| (name, written.expression(name, &value))),
    );
    for nested in body.blocks {
        builder = builder.add_block(nested);
    }
    builder.build()
}

/// A body's settable arguments that are set and not at their default, and its blocks.
struct Arguments {
    attributes: Vec<(&'static str, Value)>,
    blocks: Vec<Block>,
}

fn arguments(
    attributes: &[Attribute],
    blocks: &[BlockSchema],
    values: &Object,
    written: &Written,
) -> Arguments {
    let attributes = attributes
        .iter()
        .filter(|attribute| attribute.settable())
        .filter_map(|attribute| {
            let value = attribute.normalize(values.get(attribute.name)?.clone());
            let unset = value.is_null() || value == attribute.default_value();
            (!unset).then_some((attribute.name, value))
        })
        .collect();
    let blocks = blocks
        .iter()
        .flat_map(|schema| {
            let elements = match values.get(schema.name) {
                Some(Value::List(elements)) => elements.clone(),
                _ => Vec::new(),
            };
            elements.into_iter().filter_map(move |element| {
                let Value::Map(element) = element else {
                    return None;
                };
                let inner = arguments(schema.attributes, schema.blocks, &element, written);
                let mut builder = Block::builder(schema.name).add_attributes(
                    inner
                        .attributes
                        .into_iter()
                        .map(|(name, value)| (name, written.expression(name, &value))),
                );
                for nested in inner.blocks {
                    builder = builder.add_block(nested);
                }
                Some(builder.build())
            })
        })
        .collect();
    Arguments { attributes, blocks }
}

/// The blocks as a configuration file, laid out as terraform fmt lays it out.
pub fn file(blocks: Vec<Block>) -> String {
    let mut text = String::new();
    for (index, block) in blocks.into_iter().enumerate() {
        if index > 0 {
            text.push('\n');
        }
        let body = Body::builder().add_block(block).build();
        text.push_str(&hcl::format::to_string(&body).unwrap_or_default());
    }
    crate::fmt::format(&text).unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(entries: &[(&str, Value)]) -> Object {
        entries
            .iter()
            .map(|(name, value)| ((*name).to_owned(), value.clone()))
            .collect()
    }

    fn text(value: &str) -> Value {
        Value::String(value.to_owned())
    }

    #[test]
    fn writes_what_a_configuration_sets_with_references_between_objects() {
        let api: Address = "aws_apigatewayv2_api.orders".parse().unwrap();
        let integration: Address = "aws_apigatewayv2_integration.get_order".parse().unwrap();
        let route: Address = "aws_apigatewayv2_route.get_order".parse().unwrap();
        let objects = [
            (
                api.clone(),
                object(&[
                    ("id", text("a1")),
                    ("name", text("orders")),
                    ("protocol_type", text("HTTP")),
                    (
                        "api_endpoint",
                        text("https://a1.execute-api.eu-west-1.amazonaws.com"),
                    ),
                    ("disable_execute_api_endpoint", Value::Bool(false)),
                    ("region", text("eu-west-1")),
                    (
                        "tags",
                        Value::Map([("team".to_owned(), text("edge"))].into()),
                    ),
                ]),
            ),
            (
                integration.clone(),
                object(&[
                    ("id", text("i1")),
                    ("api_id", text("a1")),
                    ("integration_type", text("HTTP_PROXY")),
                    ("integration_method", text("GET")),
                    ("integration_uri", text("https://orders.example.com")),
                    ("timeout_milliseconds", Value::Number(29000.0)),
                ]),
            ),
            (
                route.clone(),
                object(&[
                    ("id", text("r1")),
                    ("api_id", text("a1")),
                    ("route_key", text("GET /orders/{id}")),
                    ("target", text("integrations/i1")),
                    ("authorization_type", text("NONE")),
                    ("api_key_required", Value::Bool(false)),
                ]),
            ),
        ];
        let written = Written::new(
            objects
                .iter()
                .map(|(address, attributes)| (address, attributes)),
        );
        let blocks = objects
            .iter()
            .map(|(address, attributes)| block(address, attributes, &written, "eu-west-1"))
            .collect();
        assert_eq!(
            file(blocks),
            r#"resource "aws_apigatewayv2_api" "orders" {
  name          = "orders"
  protocol_type = "HTTP"
  tags = {
    team = "edge"
  }
}

resource "aws_apigatewayv2_integration" "get_order" {
  api_id               = aws_apigatewayv2_api.orders.id
  integration_method   = "GET"
  integration_type     = "HTTP_PROXY"
  integration_uri      = "https://orders.example.com"
  timeout_milliseconds = 29000
}

resource "aws_apigatewayv2_route" "get_order" {
  api_id    = aws_apigatewayv2_api.orders.id
  route_key = "GET /orders/{id}"
  target    = "integrations/${aws_apigatewayv2_integration.get_order.id}"
}
"#
        );
    }

    #[test]
    fn blocks_are_written_with_their_own_arguments_and_defaults_are_left_out() {
        let stage: Address = "aws_apigatewayv2_stage.live".parse().unwrap();
        let settings = |route_key: &str, burst: f64| {
            Value::Map(object(&[
                ("route_key", text(route_key)),
                ("throttling_burst_limit", Value::Number(burst)),
                ("data_trace_enabled", Value::Bool(false)),
                ("logging_level", text("OFF")),
            ]))
        };
        let attributes = object(&[
            ("id", text("live")),
            ("api_id", text("a1")),
            ("name", text("live")),
            ("auto_deploy", Value::Bool(false)),
            ("region", text("us-west-2")),
            (
                "access_log_settings",
                Value::List(vec![Value::Map(object(&[
                    (
                        "destination_arn",
                        text("arn:aws:logs:us-west-2:1:log-group:access"),
                    ),
                    ("format", text("$context.requestId")),
                ]))]),
            ),
            ("route_settings", Value::List(vec![settings("GET /a", 5.0)])),
            (
                "stage_variables",
                Value::Map([("backend-url".to_owned(), text("x"))].into()),
            ),
        ]);
        // The api is not among those written: its id stays as AWS has it.
        let written = Written::default();
        let text = file(vec![block(&stage, &attributes, &written, "eu-west-1")]);
        assert_eq!(
            text,
            r#"resource "aws_apigatewayv2_stage" "live" {
  api_id = "a1"
  name   = "live"
  region = "us-west-2"
  stage_variables = {
    backend-url = "x"
  }

  access_log_settings {
    destination_arn = "arn:aws:logs:us-west-2:1:log-group:access"
    format          = "$context.requestId"
  }

  route_settings {
    route_key              = "GET /a"
    throttling_burst_limit = 5
  }
}
"#
        );
        assert_eq!(crate::fmt::format(&text).unwrap(), text, "canonical");
    }
}
