//! The plan as JSON in the shape of Terraform's plan representation (`terraform show -json
//! PLANFILE`), so tools and scripts written for Terraform's JSON read it unchanged.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::{Value as Json, json};

use super::state::{TERRAFORM_VERSION, identity, module_tree};
use crate::plan::{Action, ActionReason, Mode, Plan, ReplaceOrder};
use crate::resolve::Desired;
use crate::value::{Object, Value};

/// What the JSON plan tells beyond the plan itself, from what it was made from; a saved plan
/// keeps it, so that `show --json PLANFILE` prints what `plan --format json` did.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Origin {
    /// Terraform's `configuration`, from [`super::configuration::document`].
    pub configuration: Json,
    /// The root module's input variables' values.
    pub variables: BTreeMap<String, Value>,
    /// The resource attributes the changes are made from: `(resource, attribute)`.
    pub relevant_attributes: BTreeSet<(String, Option<String>)>,
    /// When the plan was made, in RFC 3339.
    pub timestamp: String,
}

impl Origin {
    pub fn new(
        configuration: Json,
        desired: &Desired,
        plan: &Plan,
        variables: BTreeMap<String, Value>,
    ) -> Origin {
        let now = time::OffsetDateTime::now_utc();
        let timestamp = now
            .replace_nanosecond(0)
            .unwrap_or(now)
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        Origin {
            configuration,
            variables,
            relevant_attributes: relevant_attributes(desired, plan),
            timestamp,
        }
    }
}

/// Terraform's `relevant_attributes`: for each change that does something, the attributes of
/// other resources its arguments read.
fn relevant_attributes(desired: &Desired, plan: &Plan) -> BTreeSet<(String, Option<String>)> {
    let mut relevant = BTreeSet::new();
    for change in plan
        .changes
        .iter()
        .filter(|change| change.action != Action::NoOp)
    {
        let Some(resource) = desired.resources.get(&change.address) else {
            continue;
        };
        let mut arguments: Vec<&crate::config::Argument> =
            resource.config.arguments.values().collect();
        let mut blocks: Vec<&crate::config::NestedBlock> =
            resource.config.blocks.values().flatten().collect();
        while let Some(block) = blocks.pop() {
            arguments.extend(block.arguments.values());
            blocks.extend(block.blocks.values().flatten());
        }
        for argument in arguments {
            let file = argument.value_span.file;
            for reference in crate::eval::dependencies_of(&argument.expr, file, &resource.context) {
                relevant.insert((reference.address.to_string(), reference.attribute));
            }
        }
    }
    relevant
}

pub fn plan(plan: &Plan, origin: &Origin) -> String {
    let planned = plan.changes.iter().filter_map(|change| {
        let after = change.after.as_ref()?;
        let mut entry = identity(&change.address);
        entry["schema_version"] = json!(0);
        entry["values"] = known_only(&map(after));
        entry["sensitive_values"] = marks(&change.sensitive);
        Some((change.address.module.as_slice(), entry))
    });
    let mut planned_values = json!({ "root_module": module_tree(planned) });
    let outputs: serde_json::Map<String, Json> = plan
        .outputs
        .iter()
        .filter_map(|(name, change)| {
            let after = change.after.as_ref()?;
            let mut entry = json!({"sensitive": change.sensitive});
            if !after.has_unknown() {
                entry["value"] = known(after);
                entry["type"] = super::state::cty_type(after);
            }
            Some((name.clone(), entry))
        })
        .collect();
    if !outputs.is_empty() {
        planned_values["outputs"] = Json::Object(outputs);
    }
    let variables: serde_json::Map<String, Json> = origin
        .variables
        .iter()
        .map(|(name, value)| (name.clone(), json!({ "value": known(value) })))
        .collect();
    let mut document = json!({
        "format_version": "1.2",
        "terraform_version": TERRAFORM_VERSION,
        "gateform_version": env!("CARGO_PKG_VERSION"),
        "variables": variables,
        "planned_values": planned_values,
        "resource_drift": plan.drift.iter().map(|drift| {
            let actions = match drift.after {
                Some(_) => ["update"].as_slice(),
                None => ["delete"].as_slice(),
            };
            entry(&drift.address, actions, Some(&drift.before), drift.after.as_ref(), &drift.sensitive)
        }).collect::<Vec<_>>(),
        "resource_changes": plan.changes.iter().map(|change| {
            let mut entry = entry(
                &change.address,
                if change.forget { &["forget"] } else { actions(change.action) },
                change.before.as_ref(),
                change.after.as_ref(),
                &change.sensitive,
            );
            if change.importing {
                let id = change.before.as_ref().and_then(|before| before.get("id")).cloned();
                entry["change"]["importing"] = json!({"id": id.map_or(Json::Null, |id| known(&id))});
            }
            if let Some(config) = &change.generated_config {
                entry["change"]["generated_config"] = json!(config);
            }
            if let Some(from) = &change.moved_from {
                entry["previous_address"] = json!(from.to_string());
            }
            if !change.replace_paths.is_empty() {
                entry["change"]["replace_paths"] = change
                    .replace_paths
                    .iter()
                    .map(|path| json!([path]))
                    .collect();
            }
            let reason = match (change.action, change.reason) {
                (_, Some(ActionReason::NoResourceConfig)) => Some("delete_because_no_resource_config"),
                (_, Some(ActionReason::ReplaceByTriggers)) => Some("replace_by_triggers"),
                (_, Some(ActionReason::ReplaceByRequest)) => Some("replace_by_request"),
                (Action::Replace(_), None) => Some("replace_because_cannot_update"),
                _ => None,
            };
            if let Some(reason) = reason {
                entry["action_reason"] = json!(reason);
            }
            entry
        }).chain(plan.deposed.iter().map(|deposed| {
            // Terraform's entry for a deposed object: the address, and the object's key.
            let before = Some(&deposed.resource.attributes);
            let mut entry = entry(&deposed.address, &["delete"], before, None, &Default::default());
            entry["deposed"] = json!(deposed.resource.id());
            entry
        })).collect::<Vec<_>>(),
        "output_changes": plan.outputs.iter().map(|(name, change)| {
            let actions = match (&change.before, &change.after) {
                (None, Some(_)) => ["create"].as_slice(),
                (Some(_), None) => ["delete"].as_slice(),
                _ if change.changed() => ["update"].as_slice(),
                _ => ["no-op"].as_slice(),
            };
            let value = |value: &Option<Value>| value.as_ref().map_or(Json::Null, known);
            (name.clone(), json!({
                "actions": actions,
                "before": value(&change.before),
                "after": value(&change.after),
                "after_unknown": change.after.as_ref().is_some_and(Value::has_unknown),
                "before_sensitive": change.sensitive,
                "after_sensitive": change.sensitive,
            }))
        }).collect::<serde_json::Map<_, _>>(),
        "prior_state": super::state::document(&plan.prior),
        "configuration": origin.configuration,
        "timestamp": origin.timestamp,
        "applyable": plan.has_changes(),
        "complete": plan.targets.is_empty(),
        "errored": false,
    });
    if !origin.relevant_attributes.is_empty() {
        document["relevant_attributes"] = origin
            .relevant_attributes
            .iter()
            .map(|(resource, attribute)| {
                json!({"resource": resource, "attribute": attribute.iter().collect::<Vec<_>>()})
            })
            .collect();
    }
    if plan.mode == Mode::RefreshOnly {
        document["refresh_only"] = json!(true);
    }
    if !plan.targets.is_empty() {
        let targets: Vec<String> = plan.targets.iter().map(ToString::to_string).collect();
        document["targets"] = json!(targets);
    }
    let mut out = document.to_string();
    out.push('\n');
    out
}

/// Terraform's action lists.
fn actions(action: Action) -> &'static [&'static str] {
    match action {
        Action::NoOp => &["no-op"],
        Action::Create => &["create"],
        Action::Update => &["update"],
        Action::Replace(ReplaceOrder::DeleteThenCreate) => &["delete", "create"],
        Action::Replace(ReplaceOrder::CreateThenDelete) => &["create", "delete"],
        Action::Delete => &["delete"],
    }
}

/// Terraform's marks: `true` for each argument made from a sensitive value.
fn marks(sensitive: &std::collections::BTreeSet<String>) -> Json {
    Json::Object(
        sensitive
            .iter()
            .map(|name| (name.clone(), json!(true)))
            .collect(),
    )
}

/// One entry of `resource_changes` or `resource_drift`.
fn entry(
    address: &crate::addr::Address,
    actions: &[&str],
    before: Option<&Object>,
    after: Option<&Object>,
    sensitive_names: &std::collections::BTreeSet<String>,
) -> Json {
    let mut entry = identity(address);
    let object = |object: Option<&Object>| object.map_or(Json::Null, |o| known(&map(o)));
    let sensitive = |object: Option<&Object>| match object {
        Some(_) => marks(sensitive_names),
        None => json!(false),
    };
    entry["change"] = json!({
        "actions": actions,
        "before": object(before),
        "after": object(after),
        "after_unknown": after.map_or(json!({}), |after| unknown(&map(after))),
        "before_sensitive": sensitive(before),
        "after_sensitive": sensitive(after),
    });
    entry
}

fn map(object: &Object) -> Value {
    Value::Map(object.clone())
}

/// A value with what is not known yet as null, as Terraform writes `after`.
fn known(value: &Value) -> Json {
    match value {
        Value::Unknown => Json::Null,
        Value::List(items) => Json::Array(items.iter().map(known).collect()),
        Value::Map(entries) => Json::Object(
            entries
                .iter()
                .map(|(key, value)| (key.clone(), known(value)))
                .collect(),
        ),
        known => known.to_json().unwrap_or(Json::Null),
    }
}

/// A value with its unknown parts left out, as Terraform writes `planned_values`.
fn known_only(value: &Value) -> Json {
    match value {
        Value::Map(entries) => Json::Object(
            entries
                .iter()
                .filter(|(_, value)| !matches!(value, Value::Unknown))
                .map(|(key, value)| (key.clone(), known_only(value)))
                .collect(),
        ),
        other => known(other),
    }
}

/// Terraform's `after_unknown`: `true` where a value is unknown, the same shape inside lists and
/// maps, and known scalars left out of objects (`false` inside lists).
fn unknown(value: &Value) -> Json {
    match value {
        Value::Unknown => json!(true),
        Value::List(items) => Json::Array(items.iter().map(unknown).collect()),
        Value::Map(entries) => Json::Object(
            entries
                .iter()
                .filter(|(_, value)| {
                    matches!(value, Value::Unknown | Value::List(_) | Value::Map(_))
                })
                .map(|(key, value)| (key.clone(), unknown(value)))
                .collect(),
        ),
        _ => json!(false),
    }
}
