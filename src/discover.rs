//! `gateform discover`: what an account holds in API Gateway v2, read region by region
//! ([`walk`]) and written as a configuration that adopts it ([`configuration`]): a readable name
//! for every object, one file per api, one for domain names and one for VPC links, with the
//! `import` blocks that bring them in. Objects AWS manages itself are left out with a note.

use std::collections::{BTreeMap, BTreeSet};

use crate::addr::Address;
use crate::aws::{Aws, Cause, Parents, RemoteError};
use crate::generate::{self, Commented, Written};
use crate::schema::{ImportId, Kind, Protocol};
use crate::value::{Object, Value, block_elements};

/// An object found, as the state records it once imported.
#[derive(Clone, Debug, PartialEq)]
pub struct Found {
    pub kind: Kind,
    pub attributes: Object,
    /// Made by ImportApi from an OpenAPI document.
    pub from_openapi: bool,
}

impl Found {
    fn text(&self, attribute: &str) -> &str {
        self.attributes
            .get(attribute)
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    fn id(&self) -> &str {
        self.text("id")
    }

    /// Whether `--api NAME_OR_ID` names it: an api of that name or id.
    pub fn is_api(&self, name_or_id: &str) -> bool {
        self.kind == Kind::Api && (self.id() == name_or_id || self.text("name") == name_or_id)
    }

    /// Which object it is: its kind, region, its parents' ids and its own.
    fn key(&self) -> (Kind, &str, Vec<&str>, &str) {
        let parents = self.kind.ancestry();
        let parents = parents.iter().map(|parent| self.text(parent.attribute));
        (self.kind, self.text("region"), parents.collect(), self.id())
    }

    /// The key of the object it lives under, if any.
    fn parent_key(&self) -> Option<(Kind, &str, Vec<&str>, &str)> {
        let ancestry = self.kind.ancestry();
        let (parent, outer) = ancestry.split_last()?;
        let outer = outer.iter().map(|outer| self.text(outer.attribute));
        Some((
            parent.kind,
            self.text("region"),
            outer.collect(),
            self.text(parent.attribute),
        ))
    }
}

/// What a walk of one region found, and what it left out, as notes for the user.
#[derive(Debug, Default)]
pub struct Walk {
    pub found: Vec<Found>,
    pub notes: Vec<String>,
}

/// Every object of the region `aws` reaches, parents before children; with `apis`, only the
/// apis of those names or ids, and the domain names and VPC links they use.
pub async fn walk(aws: &Aws, apis: &[String]) -> Result<Walk, RemoteError> {
    let mut walk = Walk::default();
    let mut deleted: Vec<(Kind, String)> = Vec::new();
    for kind in parents_first() {
        // What belongs to one kind of api only is not looked for under the other.
        let protocol_of = |api_id: &str| {
            let api = walk
                .found
                .iter()
                .find(|found| found.kind == Kind::Api && found.id() == api_id)?;
            Protocol::from_protocol_type(api.text("protocol_type"))
        };
        let belongs = |found: &Found| match kind.schema().protocol {
            Some((only, _)) => {
                let api_id = match found.kind {
                    Kind::Api => found.id(),
                    _ => found.text("api_id"),
                };
                protocol_of(api_id) == Some(only)
            }
            None => true,
        };
        let under: Vec<(Option<(Kind, String)>, Parents)> = match kind.schema().parent {
            None => vec![(None, Parents::default())],
            Some(parent) => walk
                .found
                .iter()
                .filter(|found| found.kind == parent.kind && belongs(found))
                .filter(|found| !gone(&deleted, found))
                .map(|found| {
                    let of = (found.kind, found.id().to_owned());
                    let ancestry = kind.ancestry();
                    let parents = Parents::new(ancestry.iter().map(|ancestor| {
                        let id = match ancestor.kind == parent.kind {
                            true => found.id(),
                            false => found.text(ancestor.attribute),
                        };
                        (ancestor.attribute, id.to_owned())
                    }));
                    (Some(of), parents)
                })
                .collect(),
        };
        for (parent, parents) in under {
            let listed = match (aws.list(kind, &parents).await, parent) {
                (Ok(listed), _) => listed,
                // What it lives under was deleted since it was listed: it is left out, with
                // all that lives under it.
                (
                    Err(RemoteError::Read {
                        cause: Cause::NotFound,
                        ..
                    }),
                    Some(parent),
                ) => {
                    walk.notes.push(format!(
                        "the {} `{}` was deleted while it was read: it is left out",
                        parent.0.schema().noun,
                        parent.1
                    ));
                    deleted.push(parent);
                    continue;
                }
                (Err(error), _) => return Err(error),
            };
            for listed in listed {
                let attributes =
                    crate::refresh::imported(kind, &listed.attributes, aws, &BTreeMap::new())
                        .await?;
                let found = Found {
                    kind,
                    attributes,
                    from_openapi: listed.from_openapi,
                };
                let chosen = |name: &String| found.is_api(name);
                if kind == Kind::Api && !apis.is_empty() && !apis.iter().any(chosen) {
                    continue;
                }
                let left_out = match () {
                    _ if listed.managed_by_aws => {
                        Some("made by quick create, AWS manages it with its api")
                    }
                    _ if found.attributes.get("auto_deployed") == Some(&Value::Bool(true)) => {
                        Some("made by its stage's `auto_deploy`")
                    }
                    _ => None,
                };
                match left_out {
                    Some(why) => walk.notes.push(format!(
                        "the {} `{}`{} is left out: {why}",
                        kind.schema().noun,
                        found.id(),
                        within(&found),
                    )),
                    None => walk.found.push(found),
                }
            }
        }
    }
    walk.found.retain(|found| !gone(&deleted, found));
    if !apis.is_empty() {
        keep_what_the_apis_use(&mut walk.found);
    }
    Ok(walk)
}

/// The kinds, each after the kinds its objects live under.
fn parents_first() -> Vec<Kind> {
    let mut kinds = Kind::ALL.to_vec();
    kinds.sort_by_key(|kind| kind.ancestry().len());
    kinds
}

/// Where in `found` each object's parent is, for those that live under one found.
fn parents(found: &[Found]) -> Vec<Option<usize>> {
    let index: BTreeMap<_, usize> = found
        .iter()
        .enumerate()
        .map(|(index, found)| (found.key(), index))
        .collect();
    found
        .iter()
        .map(|found| index.get(&found.parent_key()?).copied())
        .collect()
}

/// Whether the object, or one it lives under, was deleted while the walk read it.
fn gone(deleted: &[(Kind, String)], found: &Found) -> bool {
    let is = |kind: Kind, id: &str| deleted.iter().any(|(k, i)| *k == kind && i == id);
    is(found.kind, found.id())
        || found
            .kind
            .ancestry()
            .iter()
            .any(|parent| is(parent.kind, found.text(parent.attribute)))
}

/// ` of api `a1`` for an object that lives under one.
fn within(found: &Found) -> String {
    found
        .kind
        .ancestry()
        .first()
        .map(|outer| {
            format!(
                " of {} `{}`",
                outer.kind.schema().noun,
                found.text(outer.attribute)
            )
        })
        .unwrap_or_default()
}

/// Only the api mappings to the apis found and the routing rules that invoke one, the domain
/// names they are on, and the VPC links the apis' integrations connect through.
fn keep_what_the_apis_use(found: &mut Vec<Found>) {
    let apis: BTreeSet<String> = found
        .iter()
        .filter(|found| found.kind == Kind::Api)
        .map(|found| found.id().to_owned())
        .collect();
    found.retain(|found| found.kind != Kind::ApiMapping || apis.contains(found.text("api_id")));
    // A domain name serves an api through a mapping, or a routing rule that invokes it.
    let invoked = |rule: &Found| {
        let actions = block_elements(&rule.attributes, "action");
        actions.iter().any(|action| {
            block_elements(action, "invoke_api").iter().any(|invoke| {
                invoke
                    .get("api_id")
                    .and_then(Value::as_str)
                    .is_some_and(|api| apis.contains(api))
            })
        })
    };
    let domains: BTreeSet<String> = found
        .iter()
        .filter(|found| match found.kind {
            Kind::ApiMapping => true,
            Kind::RoutingRule => invoked(found),
            _ => false,
        })
        .map(|found| found.text("domain_name").to_owned())
        .collect();
    let links: BTreeSet<String> = found
        .iter()
        .filter(|found| found.kind == Kind::Integration)
        .map(|found| found.text("connection_id").to_owned())
        .collect();
    found.retain(|found| match found.kind {
        Kind::DomainName => domains.contains(found.id()),
        Kind::RoutingRule => domains.contains(found.text("domain_name")) && invoked(found),
        Kind::VpcLink => links.contains(found.id()),
        _ => true,
    });
}

/// The configuration files that adopt `found` (every region's, parents before children), by
/// file name: one per api, `domains.tf`, `vpc_links.tf`, `imports.tf` and `providers.tf`
/// with the provider's region, `home`.
pub fn configuration(found: &[Found], home: &str) -> BTreeMap<String, String> {
    let parents = parents(found);
    let addresses = addresses(found, &parents);
    let written = Written::new(
        addresses
            .iter()
            .zip(found)
            .map(|(address, found)| (address, &found.attributes)),
        home,
    );
    // The api each object belongs to (its outermost parent), if any.
    let root = |mut at: usize| {
        while let Some(parent) = parents[at] {
            at = parent;
        }
        at
    };
    let mut files: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
    for at in 0..found.len() {
        let top = root(at);
        let file = match found[top].kind {
            // Never one of the other files' names, nor an override file's.
            Kind::Api => {
                let name = &addresses[top].name;
                let file = format!("{name}.tf");
                let taken =
                    ["domains", "vpc_links", "imports", "providers"].contains(&name.as_str());
                match taken || crate::config::overrides::is_override(&file) {
                    true => format!("{name}_api.tf"),
                    false => file,
                }
            }
            Kind::VpcLink => "vpc_links.tf".to_owned(),
            _ => "domains.tf".to_owned(),
        };
        files.entry(file).or_default().push((
            READING_ORDER
                .iter()
                .position(|kind| *kind == found[at].kind)
                .unwrap_or(0),
            at,
        ));
    }
    let mut imports = Vec::new();
    let mut out: BTreeMap<String, String> = files
        .into_iter()
        .map(|(file, mut members)| {
            members.sort();
            let blocks = members.into_iter().filter_map(|(_, at)| {
                let (address, found) = (&addresses[at], &found[at]);
                let id = ImportId::of(found.kind, &found.attributes, Some(home))?;
                imports.push(generate::import_block(address, &id.to_string()));
                Some(Commented {
                    comment: match found.from_openapi {
                        true => OPENAPI.to_owned(),
                        false => String::new(),
                    },
                    block: generate::block(address, &found.attributes, &written, home)?,
                })
            });
            let text = generate::file(blocks.collect::<Vec<_>>());
            (file, text)
        })
        .collect();
    out.insert("imports.tf".to_owned(), generate::file(imports));
    out.insert(
        "providers.tf".to_owned(),
        generate::file([generate::provider(home)]),
    );
    out
}

const OPENAPI: &str = "Made by ImportApi from an OpenAPI document (SAM, the Serverless Framework):\nwritten as the resources it made, not as a `body`.";

/// The order of a file's blocks: what is referred to before what refers to it.
const READING_ORDER: [Kind; 13] = [
    Kind::Api,
    Kind::DomainName,
    Kind::VpcLink,
    Kind::Authorizer,
    Kind::Model,
    Kind::Integration,
    Kind::IntegrationResponse,
    Kind::Route,
    Kind::RouteResponse,
    Kind::Deployment,
    Kind::Stage,
    Kind::ApiMapping,
    Kind::RoutingRule,
];

/// Each object's address: a name from what AWS holds (the api's name, the route key, the stage
/// name), unique among its kind and valid in HCL. Names two objects would share are prefixed
/// with their parents' names; those still shared are numbered.
fn addresses(found: &[Found], parents: &[Option<usize>]) -> Vec<Address> {
    let mut names: Vec<String> = found.iter().map(|item| name(item, found)).collect();
    // Parents come first in `found`, so each kind's names are settled before its children's.
    for kind in parents_first() {
        let members: Vec<usize> = (0..found.len())
            .filter(|at| found[*at].kind == kind)
            .collect();
        let count =
            |names: &[String], name: &str| members.iter().filter(|at| names[**at] == name).count();
        let shared: Vec<usize> = members
            .iter()
            .copied()
            .filter(|at| count(&names, &names[*at]) > 1)
            .collect();
        for at in shared {
            if let Some(parent) = parents[at] {
                names[at] = format!("{}_{}", names[parent], names[at]);
            }
        }
        let mut taken = BTreeSet::new();
        for at in members {
            let mut candidate = names[at].clone();
            let mut number = 2;
            while !taken.insert(candidate.clone()) {
                candidate = format!("{}_{number}", names[at]);
                number += 1;
            }
            names[at] = candidate;
        }
    }
    found
        .iter()
        .zip(names)
        .map(|(found, name)| Address {
            module: Vec::new(),
            kind: found.kind,
            name,
            key: None,
        })
        .collect()
}

/// The name an object's own values suggest, before it is made unique.
fn name(item: &Found, all: &[Found]) -> String {
    let text = match item.kind {
        Kind::Route => item.text("route_key").to_owned(),
        Kind::RouteResponse => item.text("route_response_key").to_owned(),
        Kind::IntegrationResponse => item.text("integration_response_key").to_owned(),
        Kind::DomainName => item.text("domain_name").to_owned(),
        Kind::Deployment => item.text("description").to_owned(),
        Kind::RoutingRule => match item.attributes.get("priority") {
            Some(Value::Number(priority)) => format!("priority_{priority}"),
            _ => String::new(),
        },
        Kind::ApiMapping => match item.text("api_mapping_key") {
            "" => item.text("stage").to_owned(),
            key => key.to_owned(),
        },
        // Named after the one route that targets it; else after what it calls.
        Kind::Integration => {
            let target = format!("integrations/{}", item.id());
            let keys: Vec<&str> = all
                .iter()
                .filter(|route| route.kind == Kind::Route)
                .filter(|route| route.text("api_id") == item.text("api_id"))
                .filter(|route| route.text("target") == target)
                .map(|route| route.text("route_key"))
                .collect();
            match keys[..] {
                [key] => key.to_owned(),
                _ => called(item),
            }
        }
        _ => item.text("name").to_owned(),
    };
    identifier(&text, item.kind.schema().noun)
}

/// What an integration calls, in a few words: a Lambda function's name, a URL's host and
/// path, a load balancer's name, an AWS service action; else its type.
fn called(integration: &Found) -> String {
    let uri = integration.text("integration_uri");
    let function = uri.split(":function:").nth(1);
    let balancer = ["/app/", "/net/"]
        .iter()
        .find_map(|kind| uri.split_once(kind).map(|(_, rest)| rest));
    if let Some(name) = function.or(balancer) {
        return name.split([':', '/']).next().unwrap_or_default().to_owned();
    }
    if let Some((_, rest)) = uri.split_once("://") {
        // Without its placeholders: `{proxy}` says nothing of what is called.
        let words = rest.split('/').filter(|word| !word.starts_with('{'));
        return words.collect::<Vec<_>>().join("/");
    }
    match integration.text("integration_subtype") {
        "" => match uri.rsplit([':', '/']).next() {
            Some(last) if !last.is_empty() => last.to_owned(),
            _ => integration.text("integration_type").to_owned(),
        },
        subtype => subtype.to_owned(),
    }
}

/// `text` as a snake_case HCL identifier: `GET /orders/{id}` is `get_orders_id`, `$connect`
/// is `connect`, `sendMessage` is `send_message`; `noun` when nothing is left, and before a
/// name that would start with a digit.
fn identifier(text: &str, noun: &str) -> String {
    let mut out = String::new();
    let mut previous: Option<char> = None;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            let word_starts = c.is_ascii_uppercase()
                && previous.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit());
            if word_starts {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
        previous = Some(c);
    }
    let out = out.trim_end_matches('_');
    let noun = noun.replace(' ', "_").to_ascii_lowercase();
    match out.chars().next() {
        None => noun,
        Some(first) if first.is_ascii_digit() => format!("{noun}_{out}"),
        Some(_) => out.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(kind: Kind, entries: &[(&str, &str)]) -> Found {
        let mut attributes: Object = entries
            .iter()
            .map(|(name, value)| ((*name).to_owned(), Value::String((*value).to_owned())))
            .collect();
        attributes
            .entry("region".to_owned())
            .or_insert(Value::String("eu-west-1".to_owned()));
        Found {
            kind,
            attributes,
            from_openapi: false,
        }
    }

    #[test]
    fn identifiers_are_snake_case_and_valid() {
        let cases = [
            ("GET /orders/{id}", "get_orders_id"),
            ("ANY /example/{proxy+}", "any_example_proxy"),
            ("$connect", "connect"),
            ("sendMessage", "send_message"),
            ("orders-api v2", "orders_api_v2"),
            ("api.example.com", "api_example_com"),
            ("/200/", "integration_response_200"),
            ("$$$", "integration_response"),
            ("Überweisung", "berweisung"),
        ];
        for (text, expected) in cases {
            assert_eq!(identifier(text, "integration response"), expected, "{text}");
        }
    }

    #[test]
    fn integrations_are_named_after_what_they_call() {
        let integration = |uri: &str, subtype: &str| {
            let item = found(
                Kind::Integration,
                &[
                    ("id", "i1"),
                    ("integration_uri", uri),
                    ("integration_subtype", subtype),
                    ("integration_type", "AWS_PROXY"),
                ],
            );
            identifier(&called(&item), "integration")
        };
        let lambda = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:get-order/invocations";
        assert_eq!(integration(lambda, ""), "get_order");
        assert_eq!(
            integration(
                "arn:aws:lambda:eu-west-1:123456789012:function:ship:live",
                ""
            ),
            "ship"
        );
        assert_eq!(
            integration("https://backend.example.com/orders/{proxy}", ""),
            "backend_example_com_orders"
        );
        assert_eq!(
            integration(
                "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/orders/50dc6c495c0c9188/0467ef3c8400ae65",
                ""
            ),
            "orders"
        );
        assert_eq!(integration("", "SQS-SendMessage"), "sqs_send_message");
        assert_eq!(integration("", ""), "aws_proxy");
    }

    #[test]
    fn names_shared_by_two_objects_take_their_parents_names() {
        let found = [
            found(Kind::Api, &[("id", "a1"), ("name", "orders")]),
            found(Kind::Api, &[("id", "a2"), ("name", "payments")]),
            found(Kind::Api, &[("id", "a3"), ("name", "payments")]),
            found(
                Kind::Integration,
                &[
                    ("id", "i1"),
                    ("api_id", "a1"),
                    ("integration_type", "AWS_PROXY"),
                ],
            ),
            found(
                Kind::Route,
                &[
                    ("id", "r1"),
                    ("api_id", "a1"),
                    ("route_key", "$default"),
                    ("target", "integrations/i1"),
                ],
            ),
            found(
                Kind::Route,
                &[("id", "r2"), ("api_id", "a2"), ("route_key", "$default")],
            ),
            found(
                Kind::Route,
                &[("id", "r3"), ("api_id", "a1"), ("route_key", "GET /")],
            ),
        ];
        let names: Vec<String> = addresses(&found, &parents(&found))
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            names,
            [
                "aws_apigatewayv2_api.orders",
                "aws_apigatewayv2_api.payments",
                "aws_apigatewayv2_api.payments_2",
                "aws_apigatewayv2_integration.default",
                "aws_apigatewayv2_route.orders_default",
                "aws_apigatewayv2_route.payments_default",
                "aws_apigatewayv2_route.get",
            ]
        );
    }

    #[test]
    fn an_api_file_is_never_another_files_nor_an_override() {
        let found = [
            found(Kind::Api, &[("id", "a1"), ("name", "override")]),
            found(Kind::Api, &[("id", "a2"), ("name", "imports")]),
            found(Kind::Api, &[("id", "a3"), ("name", "edge-override")]),
        ];
        let files = configuration(&found, "eu-west-1");
        assert_eq!(
            files.keys().collect::<Vec<_>>(),
            [
                "edge_override_api.tf",
                "imports.tf",
                "imports_api.tf",
                "override_api.tf",
                "providers.tf"
            ]
        );
    }

    #[test]
    fn an_api_chosen_keeps_the_domains_that_serve_it_and_the_links_it_uses() {
        let rule = |id: &str, domain: &str, api: &str| {
            let mut rule = found(Kind::RoutingRule, &[("id", id), ("domain_name", domain)]);
            let invoke = Object::from([("api_id".to_owned(), Value::String(api.to_owned()))]);
            let action = Object::from([(
                "invoke_api".to_owned(),
                Value::List(vec![Value::Map(invoke)]),
            )]);
            rule.attributes
                .insert("action".to_owned(), Value::List(vec![Value::Map(action)]));
            rule
        };
        let mut found = vec![
            found(Kind::Api, &[("id", "a1"), ("name", "orders")]),
            found(Kind::DomainName, &[("id", "mapped.example.com")]),
            found(Kind::DomainName, &[("id", "routed.example.com")]),
            found(Kind::DomainName, &[("id", "other.example.com")]),
            found(Kind::VpcLink, &[("id", "v1")]),
            found(Kind::VpcLink, &[("id", "v2")]),
            found(
                Kind::Integration,
                &[("id", "i1"), ("api_id", "a1"), ("connection_id", "v1")],
            ),
            found(
                Kind::ApiMapping,
                &[
                    ("id", "m1"),
                    ("api_id", "a1"),
                    ("domain_name", "mapped.example.com"),
                ],
            ),
            found(
                Kind::ApiMapping,
                &[
                    ("id", "m2"),
                    ("api_id", "a9"),
                    ("domain_name", "other.example.com"),
                ],
            ),
            rule("r1", "routed.example.com", "a1"),
            rule("r2", "other.example.com", "a9"),
            rule("r3", "routed.example.com", "a9"),
        ];
        keep_what_the_apis_use(&mut found);
        let kept: Vec<&str> = found.iter().map(Found::id).collect();
        assert_eq!(
            kept,
            [
                "a1",
                "mapped.example.com",
                "routed.example.com",
                "v1",
                "i1",
                "m1",
                "r1"
            ]
        );
    }

    #[test]
    fn each_api_has_its_file_and_every_object_an_import_block() {
        let found = [
            found(
                Kind::Api,
                &[("id", "a1"), ("name", "orders"), ("protocol_type", "HTTP")],
            ),
            found(
                Kind::DomainName,
                &[
                    ("id", "api.example.com"),
                    ("domain_name", "api.example.com"),
                ],
            ),
            found(
                Kind::Route,
                &[("id", "r1"), ("api_id", "a1"), ("route_key", "GET /orders")],
            ),
            found(
                Kind::ApiMapping,
                &[
                    ("id", "m1"),
                    ("api_id", "a1"),
                    ("domain_name", "api.example.com"),
                    ("stage", "$default"),
                ],
            ),
        ];
        let files = configuration(&found, "eu-west-1");
        assert_eq!(
            files["domains.tf"],
            "resource \"aws_apigatewayv2_domain_name\" \"api_example_com\" {\n  domain_name = \"api.example.com\"\n}\n\nresource \"aws_apigatewayv2_api_mapping\" \"default\" {\n  api_id      = aws_apigatewayv2_api.orders.id\n  domain_name = aws_apigatewayv2_domain_name.api_example_com.id\n  stage       = \"$default\"\n}\n"
        );
        assert_eq!(
            files.keys().collect::<Vec<_>>(),
            ["domains.tf", "imports.tf", "orders.tf", "providers.tf"]
        );
        assert_eq!(
            files["orders.tf"],
            "resource \"aws_apigatewayv2_api\" \"orders\" {\n  name          = \"orders\"\n  protocol_type = \"HTTP\"\n}\n\nresource \"aws_apigatewayv2_route\" \"get_orders\" {\n  api_id    = aws_apigatewayv2_api.orders.id\n  route_key = \"GET /orders\"\n}\n"
        );
        assert_eq!(
            files["imports.tf"],
            "import {\n  to = aws_apigatewayv2_domain_name.api_example_com\n  id = \"api.example.com\"\n}\n\nimport {\n  to = aws_apigatewayv2_api_mapping.default\n  id = \"m1/api.example.com\"\n}\n\nimport {\n  to = aws_apigatewayv2_api.orders\n  id = \"a1\"\n}\n\nimport {\n  to = aws_apigatewayv2_route.get_orders\n  id = \"a1/r1\"\n}\n"
        );
        assert_eq!(
            files["providers.tf"],
            "provider \"aws\" {\n  region = \"eu-west-1\"\n}\n"
        );
    }
}
