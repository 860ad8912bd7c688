//! What each resource type accepts: arguments, types, defaults, ForceNew, and value rules.
//!
//! The tables follow the Terraform AWS provider (the seed docs and resource-semantics.md). Every
//! decision about an argument's meaning is made here; the loader, planner and AWS mapping ask.

mod api;
mod api_mapping;
mod authorizer;
mod data;
mod deployment;
mod domain_name;
mod import;
mod integration;
mod integration_response;
mod model;
mod route;
mod route_response;
mod routing_rule;
mod stage;
mod vpc_link;

use std::fmt;
use std::str::FromStr;

use crate::value::{Object, Value};

pub use data::{DataKind, DataSchema};
pub use import::{ImportId, ImportIdError};
pub use route::check_route_key;

/// The resource types gateform manages. Variants are declared in the order of their type names, so
/// the derived `Ord` sorts like the names do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Api,
    ApiMapping,
    Authorizer,
    Deployment,
    DomainName,
    Integration,
    IntegrationResponse,
    Model,
    Route,
    RouteResponse,
    RoutingRule,
    Stage,
    VpcLink,
}

/// The two kinds of API Gateway v2 API, which accept different arguments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    Http,
    WebSocket,
}

pub struct Schema {
    /// The resource type, such as `aws_apigatewayv2_route`.
    pub name: &'static str,
    /// What messages call one, such as `route`.
    pub noun: &'static str,
    /// The object it belongs to, and lives and is listed under: an api for a route, a route for
    /// a route response. `None` for what lives directly in a region, such as an api.
    pub parent: Option<Parent>,
    /// Its import id, as Terraform writes it.
    pub import_id: ImportFormat,
    /// What tells an object apart from the others of its kind under the same parent, for finding
    /// one whose create's answer was lost ([`crate::journal`]).
    pub natural_key: NaturalKey,
    /// The kind of API it belongs to only, such as a model's (WebSocket APIs), and what to say
    /// to someone who gives it the other kind.
    pub protocol: Option<(Protocol, &'static str)>,
    pub attributes: &'static [Attribute],
    pub blocks: &'static [BlockSchema],
    /// Value checks that span several arguments, given the protocol of the resource's api when
    /// that is known. Each problem names the argument to point at.
    pub check: fn(&Object, Option<Protocol>) -> Vec<Problem>,
    /// Fills in the values that other arguments imply where the configuration leaves them unset:
    /// what AWS will hold, so that the plan is what apply makes.
    pub implied: fn(&mut Object),
}

/// The arguments that must be equal for an object AWS holds to be the one a create made. An
/// object the state holds never matches, nor, where AWS says when it made an object, one made
/// before the create was sent.
#[derive(Clone, Copy, Debug)]
pub struct NaturalKey {
    pub attributes: &'static [&'static str],
    /// AWS refuses a second object with the same key (a route key in an api): sending a create
    /// again can never make a duplicate, only fail with a conflict.
    pub unique: bool,
}

/// Where an object of a kind lives: under an object of `kind`, whose id is in `attribute`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parent {
    pub kind: Kind,
    pub attribute: &'static str,
}

/// An import id as Terraform writes it. The capitals of `template` are placeholders, each giving
/// the attribute `parts` pairs it with (`REGION` gives where the object is; a placeholder not
/// listed, such as an ARN's account, is read and not kept); the rest is written as it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImportFormat {
    pub template: &'static str,
    pub parts: &'static [(&'static str, &'static str)],
    pub example: &'static str,
}
/// A nested block such as `cors_configuration`.
pub struct BlockSchema {
    pub name: &'static str,
    pub attributes: &'static [Attribute],
    pub protocol: Option<Protocol>,
    pub nesting: Nesting,
    /// A resource must have one (Terraform's MinItems 1), such as a domain name's
    /// `domain_name_configuration`.
    pub required: bool,
    /// The blocks inside it, such as a routing rule condition's `match_headers`.
    pub blocks: &'static [BlockSchema],
}

/// How many of a nested block a resource may have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nesting {
    /// At most one, such as `cors_configuration`.
    Single,
    /// Any number, unordered, such as `response_parameters`.
    Set,
}

pub struct Attribute {
    pub name: &'static str,
    pub ty: Type,
    pub presence: Presence,
    /// Changing the argument replaces the resource.
    pub force_new: bool,
    /// The value AWS uses when the argument is not set; the plan shows it like Terraform does.
    pub default: Option<Default>,
    pub rule: Rule,
    /// The argument applies to this kind of API only. Setting it on the other kind is an error, unless
    /// it is set to its default, which both kinds report.
    pub protocol: Option<Protocol>,
    /// Whether AWS reports the value back. Refresh keeps the state's value of one it does not.
    pub read_back: bool,
    /// A set whose elements AWS may report in another case; refresh keeps the configured spelling.
    pub ignore_case: bool,
    /// A reference to another object (an integration, an authorizer) that must belong to the same api.
    pub same_api: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Type {
    String,
    Bool,
    Number,
    StringSet,
    StringMap,
    /// An object of any values, taken as written (`terraform_remote_state`'s `config`).
    Object,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    Required,
    Optional,
    /// Optional; when the configuration leaves it out, AWS chooses the value (a timeout, say), and
    /// the plan keeps whatever AWS chose.
    OptionalComputed,
    /// Set by AWS, never by the configuration.
    Computed,
    /// Set by gateform from other configuration (`tags_all`), never directly: planned as an
    /// argument, known when planning.
    Derived,
}

#[derive(Clone, Copy, Debug)]
pub enum Default {
    String(&'static str),
    Bool(bool),
}

impl Default {
    pub fn value(self) -> Value {
        match self {
            Default::String(text) => Value::String(text.to_owned()),
            Default::Bool(flag) => Value::Bool(flag),
        }
    }
}

/// A check on a known value.
#[derive(Clone, Copy, Debug)]
pub enum Rule {
    None,
    OneOf(&'static [&'static str]),
    /// Length in characters, inclusive.
    Length(usize, usize),
    /// A whole number in a range, inclusive.
    Range(i64, i64),
    /// An ARN: `arn:PARTITION:SERVICE:...`.
    Arn,
    /// A JSON document. Documents that parse to the same value are the same.
    Json,
    /// A JSON or YAML document, such as an OpenAPI definition. Documents that parse to the same
    /// value are the same, whichever of the two they are written in.
    Document,
    /// An AWS region name, such as `eu-west-1` or `us-gov-west-1`.
    Region,
}

impl Kind {
    pub const ALL: [Kind; 13] = [
        Kind::Api,
        Kind::ApiMapping,
        Kind::Authorizer,
        Kind::Deployment,
        Kind::DomainName,
        Kind::Integration,
        Kind::IntegrationResponse,
        Kind::Model,
        Kind::Route,
        Kind::RouteResponse,
        Kind::RoutingRule,
        Kind::Stage,
        Kind::VpcLink,
    ];

    pub fn schema(self) -> &'static Schema {
        match self {
            Kind::Api => &api::SCHEMA,
            Kind::ApiMapping => &api_mapping::SCHEMA,
            Kind::Authorizer => &authorizer::SCHEMA,
            Kind::Deployment => &deployment::SCHEMA,
            Kind::DomainName => &domain_name::SCHEMA,
            Kind::Integration => &integration::SCHEMA,
            Kind::IntegrationResponse => &integration_response::SCHEMA,
            Kind::Model => &model::SCHEMA,
            Kind::Route => &route::SCHEMA,
            Kind::RouteResponse => &route_response::SCHEMA,
            Kind::RoutingRule => &routing_rule::SCHEMA,
            Kind::Stage => &stage::SCHEMA,
            Kind::VpcLink => &vpc_link::SCHEMA,
        }
    }

    pub fn as_str(self) -> &'static str {
        self.schema().name
    }

    /// Value checks that span several arguments of one resource, given the protocol of its api
    /// when that is known: whether it belongs to that kind of api, and [`Schema::check`].
    pub fn check(self, values: &Object, protocol: Option<Protocol>) -> Vec<Problem> {
        let schema = self.schema();
        let mut problems = Vec::new();
        if let (Some((only, hint)), Some(protocol)) = (schema.protocol, protocol)
            && only != protocol
        {
            let api = self
                .ancestry()
                .into_iter()
                .find(|parent| parent.kind == Kind::Api);
            problems.push(Problem {
                attribute: api.map_or("api_id", |api| api.attribute),
                message: format!("{}s apply only to {}", schema.noun, only.describe()),
                hint: Some(hint.to_owned()),
            });
        }
        problems.extend((schema.check)(values, protocol));
        problems
    }

    /// The objects an object of this kind lives under, outermost first: for a route response,
    /// its api (`api_id`), then its route (`route_id`). Its own attributes hold their ids.
    pub fn ancestry(self) -> Vec<Parent> {
        let mut ancestry = Vec::new();
        let mut kind = self;
        while let Some(parent) = kind.schema().parent {
            ancestry.push(parent);
            kind = parent.kind;
        }
        ancestry.reverse();
        ancestry
    }
}

/// A problem with the value of one argument.
#[derive(Debug, PartialEq, Eq)]
pub struct Problem {
    pub attribute: &'static str,
    pub message: String,
    pub hint: Option<String>,
}

#[derive(Debug, thiserror::Error)]
#[error("unknown resource type `{0}`")]
pub struct UnknownKind(pub String);

impl FromStr for Kind {
    type Err = UnknownKind;

    fn from_str(name: &str) -> Result<Kind, UnknownKind> {
        Kind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == name)
            .ok_or_else(|| UnknownKind(name.to_owned()))
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Protocol {
    pub fn from_protocol_type(value: &str) -> Option<Protocol> {
        match value {
            "HTTP" => Some(Protocol::Http),
            "WEBSOCKET" => Some(Protocol::WebSocket),
            _ => None,
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Protocol::Http => "HTTP APIs",
            Protocol::WebSocket => "WebSocket APIs",
        }
    }
}

impl Schema {
    pub fn attribute(&self, name: &str) -> Option<&'static Attribute> {
        self.attributes
            .iter()
            .find(|attribute| attribute.name == name)
    }

    pub fn block(&self, name: &str) -> Option<&'static BlockSchema> {
        self.blocks.iter().find(|block| block.name == name)
    }

    /// The names a configuration may set, for "did you mean" hints.
    pub fn argument_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.attributes
            .iter()
            .filter(|attribute| attribute.settable())
            .map(|attribute| attribute.name)
            .chain(self.blocks.iter().map(|block| block.name))
    }

    pub fn computed(&self) -> impl Iterator<Item = &'static Attribute> + '_ {
        self.attributes
            .iter()
            .filter(|attribute| attribute.presence == Presence::Computed)
    }

    /// An object with every attribute and block, none of them known.
    pub fn unknown_object(&self) -> Object {
        self.attributes
            .iter()
            .map(|attribute| attribute.name)
            .chain(self.blocks.iter().map(|block| block.name))
            .map(|name| (name.to_owned(), Value::Unknown))
            .collect()
    }

    /// The configuration, with what AWS chose where the configuration leaves the choice to AWS:
    /// every computed attribute, and every Optional+Computed argument it leaves out, at the top
    /// and in single nested blocks. `chosen` is what AWS reported, or the state's object (which
    /// keeps what AWS chose before).
    pub fn take_chosen(&self, config: &Object, chosen: &Object) -> Object {
        let mut object = config.clone();
        take_chosen(self.attributes, &mut object, Chosen::From(chosen));
        for block in self.blocks {
            if block.nesting != Nesting::Single {
                continue;
            }
            let Some(Value::List(elements)) = object.get_mut(block.name) else {
                continue;
            };
            let Some(Value::Map(element)) = elements.first_mut() else {
                continue;
            };
            let chosen = match chosen.get(block.name) {
                Some(Value::Unknown) => Chosen::Unknown,
                Some(Value::List(reported)) => match reported.first() {
                    Some(Value::Map(reported)) => Chosen::From(reported),
                    _ => Chosen::Nothing,
                },
                _ => Chosen::Nothing,
            };
            take_chosen(block.attributes, element, chosen);
        }
        object
    }

    /// A new object, created or a replacement: what AWS chooses is unknown until it does.
    pub fn as_new(&self, config: &Object) -> Object {
        self.take_chosen(config, &self.unknown_object())
    }

    /// Whether changing `name` (an argument or block) replaces the resource.
    pub fn forces_replacement(&self, name: &str) -> bool {
        self.attribute(name)
            .is_some_and(|attribute| attribute.force_new)
    }
}

/// What AWS chose: an object it reported, nothing yet known, or nothing at all.
#[derive(Clone, Copy)]
enum Chosen<'a> {
    From(&'a Object),
    Unknown,
    Nothing,
}

/// Sets in `object` what `chosen` holds for the `attributes` left to AWS.
fn take_chosen(attributes: &[Attribute], object: &mut Object, chosen: Chosen<'_>) {
    for attribute in attributes {
        let left_to_aws = match attribute.presence {
            Presence::Computed => true,
            Presence::OptionalComputed => object
                .get(attribute.name)
                .is_none_or(|value| value.is_null() || value.has_unknown()),
            Presence::Required | Presence::Optional | Presence::Derived => false,
        };
        if left_to_aws {
            let value = match chosen {
                Chosen::From(chosen) => chosen.get(attribute.name).cloned().unwrap_or(Value::Null),
                Chosen::Unknown => Value::Unknown,
                Chosen::Nothing => Value::Null,
            };
            object.insert(attribute.name.to_owned(), value);
        }
    }
}

impl BlockSchema {
    /// The canonical form of the block's elements: an element that lacks a required argument, or
    /// whose arguments are all unset or at their defaults, means no element (that is how AWS reports
    /// one removed, or settings never made); a set of blocks is sorted without duplicates.
    pub fn normalize(&self, elements: Vec<Value>) -> Value {
        let meaningful = |element: &Value| match element {
            Value::Map(entries) => {
                let blank = |name: &str| entries.get(name).is_none_or(Value::is_blank);
                let lacks_required = self.attributes.iter().any(|attribute| {
                    attribute.presence == Presence::Required && blank(attribute.name)
                }) || self
                    .blocks
                    .iter()
                    .any(|block| block.required && blank(block.name));
                let empty = self.attributes.iter().all(|attribute| {
                    blank(attribute.name)
                        || entries.get(attribute.name) == Some(&attribute.default_value())
                }) && self.blocks.iter().all(|block| blank(block.name));
                !(lacks_required || empty)
            }
            _ => true,
        };
        let mut elements: Vec<Value> = elements.into_iter().filter(meaningful).collect();
        if self.nesting == Nesting::Set && !elements.iter().any(Value::has_unknown) {
            elements.sort_by_cached_key(|element| format!("{element:?}"));
            elements.dedup();
        }
        Value::List(elements)
    }
}

impl Attribute {
    /// Whether a configuration may set it.
    pub fn settable(&self) -> bool {
        !matches!(self.presence, Presence::Computed | Presence::Derived)
    }

    /// The value the resource has when the configuration leaves the argument out.
    pub fn default_value(&self) -> Value {
        match self.default {
            Some(Default::String(text)) => Value::String(text.to_owned()),
            Some(Default::Bool(flag)) => Value::Bool(flag),
            None => Value::Null,
        }
    }

    /// The canonical form of a value, so that what the configuration says and what AWS reports
    /// compare equal when they mean the same: an empty string, list or map of an optional argument
    /// means "not set", and a set is sorted without duplicates.
    pub fn normalize(&self, value: Value) -> Value {
        let value = match (self.ty, value) {
            // Equivalent documents (spacing, key order, JSON or YAML) compare equal.
            (Type::String, Value::String(text)) if matches!(self.rule, Rule::Json) => {
                Value::String(
                    serde_json::from_str::<serde_json::Value>(&text)
                        .map_or(text, |json| json.to_string()),
                )
            }
            (Type::String, Value::String(text)) if matches!(self.rule, Rule::Document) => {
                Value::String(parse_document(&text).map_or(text, |json| json.to_string()))
            }
            (Type::StringSet, Value::List(mut items)) if !items.iter().any(Value::has_unknown) => {
                items.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
                items.dedup();
                Value::List(items)
            }
            (_, value) => value,
        };
        let empty = match &value {
            Value::String(text) => text.is_empty() && self.default.is_none(),
            Value::List(items) => items.is_empty(),
            Value::Map(entries) => entries.is_empty(),
            _ => false,
        };
        if empty && self.presence != Presence::Required {
            Value::Null
        } else {
            value
        }
    }

    /// Checks a known, well-typed value against the argument's rule.
    pub fn check_rule(&self, value: &Value) -> Option<Problem> {
        let problem = |message: String, hint: Option<String>| Problem {
            attribute: self.name,
            message,
            hint,
        };
        match (self.rule, value) {
            (Rule::OneOf(allowed), Value::String(text)) if !allowed.contains(&text.as_str()) => {
                let listed = allowed
                    .iter()
                    .map(|name| format!("`{name}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                Some(problem(
                    format!("invalid value `{text}` for `{}`", self.name),
                    Some(format!("valid values are {listed}")),
                ))
            }
            (Rule::Range(min, max), Value::Number(number)) => {
                let whole = number.fract() == 0.0 && *number >= min as f64 && *number <= max as f64;
                (!whole).then(|| {
                    problem(
                        format!(
                            "`{}` must be a whole number from {min} to {max}, not {}",
                            self.name,
                            crate::value::format_number(*number)
                        ),
                        None,
                    )
                })
            }
            (Rule::Arn, Value::String(text)) => {
                let parts: Vec<&str> = text.splitn(6, ':').collect();
                let valid = parts.len() == 6
                    && parts[0] == "arn"
                    && !parts[1].is_empty()
                    && !parts[2].is_empty();
                (!valid).then(|| {
                    problem(
                        format!("`{}` must be an ARN, not `{text}`", self.name),
                        Some("ARNs look like `arn:aws:iam::123456789012:role/example`".to_owned()),
                    )
                })
            }
            (Rule::Json, Value::String(text)) => serde_json::from_str::<serde_json::Value>(text)
                .err()
                .map(|error| {
                    problem(
                        format!("`{}` is not valid JSON: {error}", self.name),
                        Some("write the JSON document in a heredoc: `<<EOT` ... `EOT`".to_owned()),
                    )
                }),
            (Rule::Document, Value::String(text)) => parse_document(text).err().map(|error| {
                problem(
                    format!("`{}` is neither valid JSON nor valid YAML: {error}", self.name),
                    Some("an OpenAPI definition in JSON or YAML, for example in a heredoc: `<<EOT` ... `EOT`".to_owned()),
                )
            }),
            (Rule::Region, Value::String(text)) => (!is_region(text)).then(|| {
                problem(
                    format!("`{text}` is not an AWS region"),
                    Some("regions look like `us-east-1` or `eu-west-1`".to_owned()),
                )
            }),
            (Rule::Length(min, max), Value::String(text)) => {
                let length = text.chars().count();
                (length < min || length > max).then(|| {
                    problem(
                        format!(
                            "`{}` must be {min} to {max} characters long, not {length}",
                            self.name
                        ),
                        None,
                    )
                })
            }
            _ => None,
        }
    }
}

impl Type {
    pub fn describe(self) -> &'static str {
        match self {
            Type::String => "a string",
            Type::Bool => "a bool",
            Type::Number => "a number",
            Type::StringSet => "a set of strings",
            Type::StringMap => "a map of strings",
            Type::Object => "an object",
        }
    }
}

/// A JSON or YAML document as a JSON value (JSON is YAML, but JSON's own parser says more precisely
/// what is wrong with broken JSON).
fn parse_document(text: &str) -> Result<serde_json::Value, String> {
    match serde_json::from_str(text) {
        Ok(json) => Ok(json),
        Err(_) => serde_norway::from_str(text).map_err(|error| error.to_string()),
    }
}

/// `us-east-1`, `eu-west-1`, `us-gov-west-1`: a two-letter area, one or more words, a number.
pub fn is_region(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let word = |part: &&str| !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase());
    let number = |part: &&str| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit());
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[..parts.len() - 1].iter().all(word)
        && parts.last().is_some_and(number)
}

/// The closest of `candidates` to `name`, when it is close enough to be a likely typo.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    closer_than(0.8, name, candidates)
}

/// The closest of `candidates` to `name`, when it is so close that `name` is a typo of it rather
/// than another name in its own right: `aws_regions` for `aws_region`, but not `aws_iam_role`,
/// one of the provider's other types.
pub fn misspelling<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    closer_than(0.93, name, candidates)
}

fn closer_than<'a>(
    floor: f64,
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(name, candidate), candidate))
        .filter(|(score, _)| *score > floor)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

/// `region`, which every resource has (AWS provider v6): where the object lives. Unset, it is the
/// region of the resource's provider configuration; changing it replaces the object.
pub const REGION: Attribute = Attribute {
    force_new: true,
    rule: Rule::Region,
    ..argument("region", Type::String)
};

/// `tags_all`: the resource's `tags` over its provider configuration's `default_tags`, which is
/// what AWS holds. Refresh reads it, and gives back to `tags` what is not a default tag.
pub const TAGS_ALL: Attribute = Attribute {
    presence: Presence::Derived,
    ..argument("tags_all", Type::StringMap)
};

/// What lives in an api: its `api_id` holds the api's id.
const IN_API: Option<Parent> = Some(Parent {
    kind: Kind::Api,
    attribute: "api_id",
});

/// For kinds whose arguments imply nothing about the others.
fn nothing_implied(_: &mut Object) {}

/// For kinds without checks across arguments.
fn no_check(_: &Object, _: Option<Protocol>) -> Vec<Problem> {
    Vec::new()
}

/// Shorthands for the schema tables.
const fn argument(name: &'static str, ty: Type) -> Attribute {
    Attribute {
        name,
        ty,
        presence: Presence::Optional,
        force_new: false,
        default: None,
        rule: Rule::None,
        protocol: None,
        read_back: true,
        ignore_case: false,
        same_api: false,
    }
}

const fn computed(name: &'static str) -> Attribute {
    Attribute {
        presence: Presence::Computed,
        ..argument(name, Type::String)
    }
}

/// A computed attribute gateform derives itself (an ARN), which AWS does not report.
const fn derived(name: &'static str) -> Attribute {
    Attribute {
        read_back: false,
        ..computed(name)
    }
}

impl Attribute {
    const fn required(self) -> Attribute {
        Attribute {
            presence: Presence::Required,
            ..self
        }
    }
}
