//! Review without credentials: `gateform diff BASE HEAD` plans what applying HEAD would change if
//! BASE were what is deployed, with no state file and no AWS.
//!
//! BASE's resources are assumed applied: their configured values, and for each value only AWS
//! would know (an id, an ARN, a timeout AWS chooses) a placeholder naming it. HEAD is then planned
//! against that assumed state by the ordinary planner, so a changed reference or a replaced api
//! is seen exactly as in a real plan. Finally every placeholder becomes `(known after apply)`.

use std::collections::BTreeMap;

use crate::addr::Address;
use crate::diag::Diagnostics;
use crate::graph::DepGraph;
use crate::plan::Plan;
use crate::resolve::Desired;
use crate::state::{ResourceState, State};
use crate::value::{Object, Value};

/// Marks a placeholder string; configurations cannot contain it.
const PLACEHOLDER: char = '\u{0}';

/// The region of resources whose configuration names none, when the environment names none
/// either: the same in BASE and HEAD, and `(known after apply)` in the plan.
pub fn unknown_region() -> String {
    format!("{PLACEHOLDER}region")
}

/// The state BASE would leave behind once applied, with placeholders for what AWS decides.
pub fn assume_applied(desired: &Desired, graph: &DepGraph) -> Result<State, Diagnostics> {
    // BASE's values, as assumed so far.
    let mut assumed: BTreeMap<Address, Object> = BTreeMap::new();
    // Without AWS, no data source is read: their values are unknown.
    let no_data = BTreeMap::new();
    let mut state = State::default();
    for address in graph.order() {
        let resource = &desired.resources[address];
        let known = desired.known(&assumed, &no_data);
        let mut object = address.kind.schema().as_new(&resource.evaluate(&known)?);
        for (name, value) in object.iter_mut() {
            hold_place(value, &format!("{address}.{name}"));
        }
        assumed.insert(address.clone(), object.clone());
        state.resources.insert(
            address.clone(),
            ResourceState {
                attributes: object,
                dependencies: resource.dependencies.clone(),
            },
        );
    }
    Ok(state)
}

/// Puts a placeholder, named by its path, where `value` holds something not known: the value
/// itself, or a value inside it (a nested block's computed attribute), so that the rest stays
/// as it is.
fn hold_place(value: &mut Value, path: &str) {
    match value {
        Value::Unknown => *value = Value::String(format!("{PLACEHOLDER}{path}")),
        Value::List(items) => {
            for (index, item) in items.iter_mut().enumerate() {
                hold_place(item, &format!("{path}[{index}]"));
            }
        }
        Value::Map(entries) => {
            for (key, entry) in entries.iter_mut() {
                hold_place(entry, &format!("{path}.{key}"));
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {}
    }
}

/// The plan with every placeholder, and every value made from one, shown as not known.
pub fn forget_placeholders(mut plan: Plan) -> Plan {
    for change in &mut plan.changes {
        for object in [&mut change.before, &mut change.after]
            .into_iter()
            .flatten()
        {
            forget(object);
        }
    }
    for resource in plan.prior.resources.values_mut() {
        forget(&mut resource.attributes);
    }
    for output in plan.outputs.values_mut() {
        for value in [&mut output.before, &mut output.after]
            .into_iter()
            .flatten()
        {
            forget_value(value);
        }
    }
    plan
}

fn forget(object: &mut Object) {
    for value in object.values_mut() {
        forget_value(value);
    }
}

fn forget_value(value: &mut Value) {
    match value {
        Value::String(text) if text.contains(PLACEHOLDER) => *value = Value::Unknown,
        Value::List(items) => items.iter_mut().for_each(forget_value),
        Value::Map(entries) => entries.values_mut().for_each(forget_value),
        _ => {}
    }
}
