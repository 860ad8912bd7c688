//! Terraform's machine-readable UI (`terraform plan -json`): one JSON object a line, each with
//! `@level`, `@message`, `@module`, `@timestamp` and a `type`, which CI wrappers read as the run
//! goes. A plan tells its `version`, the `resource_drift` found, a `planned_change` for each
//! change, the `change_summary`, and the `outputs`.

use serde_json::{Value as Json, json};

use super::state::TERRAFORM_VERSION;
use crate::addr::{Address, InstanceKey};
use crate::plan::{Action, ActionReason, Plan};

/// The plan's lines, each ending in a newline.
pub fn plan(plan: &Plan) -> String {
    let mut lines = vec![message(
        &format!("gateform {}", env!("CARGO_PKG_VERSION")),
        "version",
        json!({"terraform": TERRAFORM_VERSION, "ui": "1.2"}),
    )];
    for drift in &plan.drift {
        let action = match drift.after {
            Some(_) => "update",
            None => "delete",
        };
        lines.push(message(
            &format!("{}: Drift detected ({action})", drift.address),
            "resource_drift",
            json!({"change": {"resource": resource(&drift.address), "action": action}}),
        ));
    }
    for change in plan
        .changes
        .iter()
        .filter(|change| change.action != Action::NoOp)
    {
        let action = match change.action {
            Action::NoOp => continue,
            Action::Create => "create",
            Action::Update => "update",
            Action::Replace(_) => "replace",
            Action::Delete => "delete",
        };
        let mut entry = json!({"resource": resource(&change.address), "action": action});
        let reason = match (change.action, change.reason) {
            (_, Some(ActionReason::ReplaceByRequest)) => Some("requested"),
            (_, Some(ActionReason::ReplaceByTriggers)) => Some("replace_triggered_by"),
            (_, Some(ActionReason::NoResourceConfig)) => Some("delete_because_no_resource_config"),
            (Action::Replace(_), None) => Some("cannot_update"),
            _ => None,
        };
        if let Some(reason) = reason {
            entry["reason"] = json!(reason);
        }
        if let Some(from) = &change.moved_from {
            entry["previous_resource"] = resource(from);
        }
        lines.push(message(
            &format!("{}: Plan to {action}", change.address),
            "planned_change",
            json!({ "change": entry }),
        ));
    }
    let counts = plan.counts();
    let operation = match plan.mode {
        crate::plan::Mode::Destroy => "destroy",
        _ => "plan",
    };
    lines.push(message(
        &super::plan_summary(&counts),
        "change_summary",
        json!({"changes": {
            "add": counts.add,
            "change": counts.change,
            "import": counts.import,
            "remove": counts.destroy,
            "operation": operation,
        }}),
    ));
    let outputs: serde_json::Map<String, Json> = plan
        .outputs
        .iter()
        .map(|(name, change)| {
            let action = match (&change.before, &change.after) {
                (None, Some(_)) => "create",
                (Some(_), None) => "delete",
                _ if change.changed() => "update",
                _ => "noop",
            };
            (
                name.clone(),
                json!({"sensitive": change.sensitive, "action": action}),
            )
        })
        .collect();
    if !outputs.is_empty() {
        let count = outputs.len();
        lines.push(message(
            &format!("Outputs: {count}"),
            "outputs",
            json!({ "outputs": outputs }),
        ));
    }
    lines
        .into_iter()
        .map(|line| line.to_string() + "\n")
        .collect()
}

/// One line: the message, its type, and the fields of that type.
fn message(text: &str, kind: &str, fields: Json) -> Json {
    let now = time::OffsetDateTime::now_utc();
    let timestamp = now
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let mut line = json!({
        "@level": "info",
        "@message": text,
        "@module": "terraform.ui",
        "@timestamp": timestamp,
        "type": kind,
    });
    if let (Some(line), Json::Object(fields)) = (line.as_object_mut(), fields) {
        line.extend(fields);
    }
    line
}

/// Terraform's resource object in UI messages.
fn resource(address: &Address) -> Json {
    let key = match &address.key {
        None => Json::Null,
        Some(InstanceKey::Index(index)) => json!(index),
        Some(InstanceKey::Key(key)) => json!(key),
    };
    json!({
        "addr": address.to_string(),
        "module": address.module_path(),
        "resource": Address { module: Vec::new(), ..address.clone() }.to_string(),
        "implied_provider": "aws",
        "resource_type": address.kind.as_str(),
        "resource_name": address.name,
        "resource_key": key,
    })
}
