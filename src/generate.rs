//! Configuration written from what AWS holds: an object's resource block, as
//! `plan -generate-config-out` and `discover` write them (issue 16). Only what a configuration
//! sets: no computed attribute, no argument at its default, no empty block. An id that is
//! another written object's becomes a reference to it (`api_id = aws_apigatewayv2_api.orders.id`,
//! `target = "integrations/${aws_apigatewayv2_integration.get_order.id}"`), so the blocks keep
//! their order when they change. Built with hcl-rs's builder, then laid out by gateform's fmt.

use std::collections::BTreeMap;

use hcl::expr::{Expression, TemplateExpr, Traversal, Variable};
use hcl::format::Format as _;
use hcl::{Block, Body};

use crate::addr::Address;
use crate::config::ProviderName;
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

/// Which object an id names: its kind, region, the ids of the objects it lives under (a stage's
/// api: stage ids are names, unique only within their api) and its own id.
type Key = (Kind, String, Vec<String>, String);

fn key(kind: Kind, region: &str, values: &Object, id: &str) -> Option<Key> {
    let parents = kind
        .ancestry()
        .iter()
        .map(|parent| values.get(parent.attribute)?.as_str().map(str::to_owned))
        .collect::<Option<Vec<String>>>()?;
    Some((kind, region.to_owned(), parents, id.to_owned()))
}

/// The objects being written: what an id in an argument refers to. Only objects at root,
/// unkeyed addresses are written, so only they are referred to.
#[derive(Debug, Default)]
pub struct Written {
    addresses: BTreeMap<Key, Address>,
}

impl Written {
    /// The objects, each in its `region`, else the provider's.
    pub fn new<'a>(
        objects: impl IntoIterator<Item = (&'a Address, &'a Object)>,
        region: &str,
    ) -> Written {
        let addresses = objects
            .into_iter()
            .filter(|(address, _)| address.module.is_empty() && address.key.is_none())
            .filter_map(|(address, attributes)| {
                let text = |name: &str| attributes.get(name).and_then(Value::as_str);
                let region = text("region").unwrap_or(region);
                let key = key(address.kind, region, attributes, text("id")?)?;
                Some((key, address.clone()))
            })
            .collect();
        Written { addresses }
    }

    /// The expression for an argument's value: a reference when it names another written object
    /// of the kind the argument links to, looked for under the parents `context` (the body the
    /// argument is in) names; the value itself otherwise.
    fn expression(&self, argument: &str, value: &Value, context: &Context) -> Expression {
        let linked = LINKS.iter().find_map(|(name, kind, prefix)| {
            let id = value.as_str()?.strip_prefix(prefix)?;
            let key = key(*kind, context.region, context.values, id)?;
            let address = self.addresses.get(&key)?;
            (*name == argument && address != context.own).then_some((address, *prefix))
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

/// Where an argument is: the object being written, its region, and the values of the body
/// (the resource's or a nested block's) it is in.
struct Context<'a> {
    own: &'a Address,
    region: &'a str,
    values: &'a Object,
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
        Value::String(text) => TemplateExpr::QuotedString(escaped(text)).into(),
        Value::List(items) => Expression::Array(items.iter().map(literal).collect()),
        Value::Map(entries) => Expression::Object(
            entries
                .iter()
                .map(|(key, value)| (object_key(key), literal(value)))
                .collect(),
        ),
    }
}

/// A string's literal text as a quoted template's raw text: every `${` and `%{` escaped, so
/// none becomes an interpolation (hcl-rs's own escaping misses the second of two), and
/// backslashes, quotes and control characters as HCL's escapes.
fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out
}

/// A map key as Terraform writes one: bare when it is an identifier (`team`, `backend-url`) and
/// not a keyword, else quoted (`"application/json"`).
fn object_key(key: &str) -> hcl::ObjectKey {
    match hcl::Identifier::new(key) {
        Ok(identifier) if !matches!(key, "true" | "false" | "null") => {
            hcl::ObjectKey::Identifier(identifier)
        }
        _ => hcl::ObjectKey::Expression(TemplateExpr::QuotedString(escaped(key)).into()),
    }
}

/// The resource block of one object, at a root, unkeyed address (a module's or an instance's
/// block is not one block per object, so none is written). `region` is written only where it is
/// not the provider's; a stage that deploys itself has no `deployment_id` of its own.
pub fn block(
    address: &Address,
    attributes: &Object,
    written: &Written,
    region: &str,
) -> Option<Block> {
    if !address.module.is_empty() || address.key.is_some() {
        return None;
    }
    let schema = address.kind.schema();
    let own_region = attributes
        .get("region")
        .and_then(Value::as_str)
        .unwrap_or(region);
    let context = Context {
        own: address,
        region: own_region,
        values: attributes,
    };
    let mut body = arguments(schema.attributes, schema.blocks, &context);
    let deploys_itself = attributes.get("auto_deploy") == Some(&Value::Bool(true));
    body.attributes.retain(|(name, value)| match *name {
        "region" => value.as_str() != Some(region),
        "deployment_id" => !deploys_itself,
        _ => true,
    });
    let builder = Block::builder("resource")
        .add_label(address.kind.as_str())
        .add_label(address.name.as_str());
    Some(with_body(builder, body, written, &context))
}

/// A body: its settable arguments that are set and not at their default, then its blocks.
#[derive(Default)]
struct Arguments {
    attributes: Vec<(&'static str, Value)>,
    blocks: Vec<(&'static str, Arguments, Object)>,
}

fn arguments(attributes: &[Attribute], blocks: &[BlockSchema], context: &Context) -> Arguments {
    let values = context.values;
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
            // An element at its defaults only is none, as AWS reports it.
            let elements = match schema.normalize(elements) {
                Value::List(elements) => elements,
                _ => Vec::new(),
            };
            elements.into_iter().filter_map(move |element| {
                let Value::Map(element) = element else {
                    return None;
                };
                let inner = Context {
                    values: &element,
                    ..*context
                };
                let arguments = arguments(schema.attributes, schema.blocks, &inner);
                Some((schema.name, arguments, element.clone()))
            })
        })
        .collect();
    Arguments { attributes, blocks }
}

fn with_body(
    mut builder: hcl::structure::BlockBuilder,
    body: Arguments,
    written: &Written,
    context: &Context,
) -> Block {
    for (name, value) in body.attributes {
        builder = builder.add_attribute((name, written.expression(name, &value, context)));
    }
    for (name, inner, values) in body.blocks {
        let context = Context {
            values: &values,
            ..*context
        };
        builder = builder.add_block(with_body(Block::builder(name), inner, written, &context));
    }
    builder.build()
}

/// `import { to = ADDRESS  id = "ID" }`.
pub fn import_block(address: &Address, id: &str) -> Block {
    let to = Traversal::builder(Variable::unchecked(address.kind.as_str()))
        .attr(address.name.as_str())
        .build();
    Block::builder("import")
        .add_attribute(("to", to))
        .add_attribute(("id", TemplateExpr::QuotedString(escaped(id))))
        .build()
}

/// The block with `provider = aws.ALIAS` first, for an object of another provider
/// configuration than the default; the block itself for the default one.
pub fn with_provider(block: Block, provider: &ProviderName) -> Block {
    let Some(alias) = &provider.0 else {
        return block;
    };
    let reference = Traversal::builder(Variable::unchecked("aws"))
        .attr(alias.as_str())
        .build();
    let mut builder = Block::builder(block.identifier.clone());
    for label in block.labels.clone() {
        builder = builder.add_label(label);
    }
    builder = builder.add_attribute(("provider", reference));
    builder.add_structures(block.body).build()
}

/// `provider "aws" { region = "REGION" }`.
pub fn provider(region: &str) -> Block {
    Block::builder("provider")
        .add_label("aws")
        .add_attribute(("region", TemplateExpr::QuotedString(escaped(region))))
        .build()
}

/// A block, and the comment written above it: lines without their `# `, none when empty.
pub struct Commented {
    pub comment: String,
    pub block: Block,
}

impl From<Block> for Commented {
    fn from(block: Block) -> Commented {
        Commented {
            comment: String::new(),
            block,
        }
    }
}

/// The blocks as a configuration file, laid out as terraform fmt lays it out.
pub fn file<T: Into<Commented>>(blocks: impl IntoIterator<Item = T>) -> String {
    let mut text = String::new();
    for (index, commented) in blocks.into_iter().map(Into::into).enumerate() {
        if index > 0 {
            text.push('\n');
        }
        for line in commented.comment.lines() {
            text.push_str(format!("# {line}").trim_end());
            text.push('\n');
        }
        let body = Body::builder().add_block(commented.block).build();
        // Lists on one line, maps an entry a line, as Terraform writes generated configuration.
        let mut formatter = hcl::format::Formatter::builder()
            .compact_arrays(true)
            .build_vec();
        text.push_str(&body.format_string(&mut formatter).unwrap_or_default());
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
            "eu-west-1",
        );
        let blocks: Vec<Block> = objects
            .iter()
            .filter_map(|(address, attributes)| block(address, attributes, &written, "eu-west-1"))
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
        let text = file(vec![
            block(&stage, &attributes, &written, "eu-west-1").unwrap(),
        ]);
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

    /// Stage ids are names: `prod` of the mapping's api, not another api's `prod`. A domain
    /// name's id is its name, and its own block does not refer to itself.
    #[test]
    fn references_find_the_object_under_the_same_parents_and_never_themselves() {
        let objects: Vec<(Address, Object)> = [
            (
                "aws_apigatewayv2_api.a",
                object(&[
                    ("id", text("a1")),
                    ("name", text("a")),
                    ("protocol_type", text("HTTP")),
                ]),
            ),
            (
                "aws_apigatewayv2_api.b",
                object(&[
                    ("id", text("b1")),
                    ("name", text("b")),
                    ("protocol_type", text("HTTP")),
                ]),
            ),
            (
                "aws_apigatewayv2_stage.a_prod",
                object(&[
                    ("id", text("prod")),
                    ("api_id", text("a1")),
                    ("name", text("prod")),
                ]),
            ),
            (
                "aws_apigatewayv2_stage.b_prod",
                object(&[
                    ("id", text("prod")),
                    ("api_id", text("b1")),
                    ("name", text("prod")),
                ]),
            ),
            (
                "aws_apigatewayv2_domain_name.api",
                object(&[
                    ("id", text("api.example.com")),
                    ("domain_name", text("api.example.com")),
                ]),
            ),
            (
                "aws_apigatewayv2_api_mapping.b",
                object(&[
                    ("id", text("m1")),
                    ("api_id", text("b1")),
                    ("domain_name", text("api.example.com")),
                    ("stage", text("prod")),
                ]),
            ),
        ]
        .into_iter()
        .map(|(address, attributes)| (address.parse().unwrap(), attributes))
        .collect();
        let written = Written::new(
            objects
                .iter()
                .map(|(address, attributes)| (address, attributes)),
            "",
        );
        let blocks: Vec<Block> = objects
            .iter()
            .skip(4)
            .filter_map(|(address, attributes)| block(address, attributes, &written, ""))
            .collect();
        let text = file(blocks);
        assert!(
            text.contains("resource \"aws_apigatewayv2_domain_name\" \"api\" {\n  domain_name = \"api.example.com\"\n"),
            "{text}"
        );
        assert!(
            text.contains("  api_id      = aws_apigatewayv2_api.b.id\n  domain_name = aws_apigatewayv2_domain_name.api.id\n  stage       = aws_apigatewayv2_stage.b_prod.id\n"),
            "{text}"
        );
    }

    #[test]
    fn strings_keep_their_dollars_and_instances_are_not_written() {
        let api: Address = "aws_apigatewayv2_api.a".parse().unwrap();
        let attributes = object(&[
            ("id", text("a1")),
            ("name", text("${a}$${b} %{c} \"q\" \\")),
            ("protocol_type", text("HTTP")),
            ("tags", Value::Map([("${k}".to_owned(), text("v"))].into())),
        ]);
        let text = file(vec![
            block(&api, &attributes, &Written::default(), "").unwrap(),
        ]);
        assert!(
            text.contains(r#"  name          = "$${a}$$${b} %%{c} \"q\" \\""#),
            "{text}"
        );
        assert!(text.contains(r#"    "$${k}" = "v""#), "{text}");
        let keyed: Address = "aws_apigatewayv2_api.a[\"x\"]".parse().unwrap();
        assert!(block(&keyed, &attributes, &Written::default(), "").is_none());
    }
}
