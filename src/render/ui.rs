//! Terraform's machine-readable UI (`terraform plan -json`, `apply -json`): one JSON object a
//! line, each with `@level`, `@message`, `@module`, `@timestamp` and a `type`, which CI wrappers
//! read as the run goes. A plan tells its `version`, the `resource_drift` found, a
//! `planned_change` for each change, the `change_summary`, and the `outputs`; an apply then
//! its progress (`crate::progress`), its own `change_summary` and the outputs' values; a run
//! that fails, a `diagnostic` for each problem.

use serde_json::{Value as Json, json};

use super::state::TERRAFORM_VERSION;
use crate::addr::{Address, InstanceKey};
use crate::plan::{Action, ActionReason, Counts, Plan};
use crate::state::State;

/// The plan's lines, each ending in a newline.
pub fn plan(plan: &Plan) -> String {
    let mut lines = planned(plan);
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
        lines.push(outputs_line(outputs));
    }
    joined(lines)
}

/// What an apply prints of its plan before it starts: the plan's lines but the outputs, which
/// come with their values at the end.
pub fn apply_plan(plan: &Plan) -> String {
    joined(planned(plan))
}

/// An apply's or a destroy's last lines: what it did, and an apply's outputs with their values
/// (a sensitive one's left out), as `terraform apply -json` ends.
pub fn applied(destroy: bool, counts: &Counts, state: &State) -> String {
    let operation = if destroy { "destroy" } else { "apply" };
    let summary = super::applied_summary(destroy, counts);
    let mut lines = vec![change_summary(&summary, counts, operation)];
    if !destroy && !state.outputs.is_empty() {
        let outputs = state
            .outputs
            .iter()
            .map(|(name, output)| {
                let mut entry =
                    json!({"sensitive": output.sensitive, "type": super::state::cty_type(&output.value)});
                if !output.sensitive {
                    entry["value"] = output.value.to_json().unwrap_or_default();
                }
                (name.clone(), entry)
            })
            .collect();
        lines.push(outputs_line(outputs));
    }
    joined(lines)
}

/// A run's problems, one `diagnostic` line each, from the diagnostics `validate --json` shows.
pub fn diagnostics(json: &Json) -> String {
    let lines = json["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|diagnostic| {
            let level = match diagnostic["severity"].as_str() {
                Some("warning") => "warn",
                _ => "error",
            };
            let title = match level {
                "warn" => "Warning",
                _ => "Error",
            };
            let summary = diagnostic["summary"].as_str().unwrap_or_default();
            message_at(
                level,
                &format!("{title}: {summary}"),
                "diagnostic",
                json!({ "diagnostic": diagnostic }),
            )
        })
        .collect();
    joined(lines)
}

/// An error that is not about the configuration (AWS, the state, the lock), as a diagnostic.
pub fn error(text: &str) -> String {
    let (summary, detail) = text.split_once('\n').unwrap_or((text, ""));
    let diagnostic = json!({"severity": "error", "summary": summary, "detail": detail.trim()});
    diagnostics(&json!({ "diagnostics": [diagnostic] }))
}

fn outputs_line(outputs: serde_json::Map<String, Json>) -> Json {
    message(
        &format!("Outputs: {}", outputs.len()),
        "outputs",
        json!({ "outputs": outputs }),
    )
}

fn joined(lines: Vec<Json>) -> String {
    lines
        .into_iter()
        .map(|line| line.to_string() + "\n")
        .collect()
}

/// The version, drift, planned changes and summary of a plan.
fn planned(plan: &Plan) -> Vec<Json> {
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
    lines.push(change_summary(
        &super::plan_summary(&counts),
        &counts,
        operation,
    ));
    lines
}

/// The `change_summary` line of a plan, an apply or a destroy.
fn change_summary(text: &str, counts: &Counts, operation: &str) -> Json {
    message(
        text,
        "change_summary",
        json!({"changes": {
            "add": counts.add,
            "change": counts.change,
            "import": counts.import,
            "remove": counts.destroy,
            "operation": operation,
        }}),
    )
}

/// One line: the message, its type, and the fields of that type.
pub fn message(text: &str, kind: &str, fields: Json) -> Json {
    message_at("info", text, kind, fields)
}

/// [`message`] at a level other than `info`: `warn` or `error`.
fn message_at(level: &str, text: &str, kind: &str, fields: Json) -> Json {
    let now = time::OffsetDateTime::now_utc();
    let timestamp = now
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let mut line = json!({
        "@level": level,
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
pub fn resource(address: &Address) -> Json {
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
