//! Apply: performs a plan's steps in dependency order and records each one in the state as soon as
//! AWS confirms it, so an interrupted apply loses nothing.
//!
//! Apply does what the plan says and nothing else. It evaluates each resource's arguments once more,
//! now with the values AWS returned for its dependencies, which turns every `(known after apply)`
//! into the real value.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::addr::Address;
use crate::aws::{RemoteError, Remotes};
use crate::diag::Diagnostics;
use crate::graph::{Step, apply_steps};
use crate::plan::{Action, Counts, Plan, ReplaceOrder, ResourceChange};
use crate::resolve::Desired;
use crate::state::ResourceState;
use crate::state::store::{Store, StoreError};
use crate::value::{Object, Value};

/// Something apply reports while it works.
pub enum Progress<'a> {
    /// A step began; `id` is the resource's id when it already exists.
    Started { step: &'a Step, id: Option<&'a str> },
    Finished {
        step: &'a Step,
        id: &'a str,
        elapsed: Duration,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    #[error(transparent)]
    Remote(#[from] RemoteError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Order(#[from] crate::graph::StepCycle),
    #[error("the configuration of `{0}` could not be evaluated")]
    Evaluate(Address, Diagnostics),
    #[error(
        "`{address}`: the value of `{attribute}` is still unknown after its dependencies were applied"
    )]
    StillUnknown { address: Address, attribute: String },
    #[error(
        "interrupted: {done} of {total} changes were made and recorded in the state; the rest were not started"
    )]
    Interrupted { done: usize, total: usize },
}

/// Carries out `plan`. `operation` names the run in the state's history (`apply`, `destroy`).
/// `interrupted` is checked before each step: once set, apply stops after the call in flight.
pub async fn apply(
    plan: &Plan,
    desired: &Desired,
    remotes: &Remotes,
    store: &mut Store,
    operation: &str,
    interrupted: tokio::sync::watch::Receiver<bool>,
    mut report: impl FnMut(Progress<'_>),
) -> Result<Counts, ApplyError> {
    // A plan whose steps cannot be ordered is refused before anything is written.
    let steps = apply_steps(plan)?;
    record_drift(plan, store, operation)?;
    // Imported objects enter the state as AWS has them.
    for change in plan.changes.iter().filter(|change| change.importing) {
        if let Some(before) = &change.before {
            let imported = crate::state::ResourceState {
                attributes: before.clone(),
                dependencies: change.dependencies.clone(),
            };
            store.put(&change.address, &imported, operation)?;
        }
    }
    // Forgotten objects leave the state, and stay in AWS.
    for change in plan.changes.iter().filter(|change| change.forget) {
        store.remove(&change.address, operation)?;
    }
    // Moves first: each state entry takes its new address, where the steps below look for it.
    for change in &plan.changes {
        if let (Some(from), Some(before)) = (&change.moved_from, &change.before) {
            let moved = crate::state::ResourceState {
                attributes: before.clone(),
                dependencies: change.prior_dependencies.clone(),
            };
            store.put(&change.address, &moved, operation)?;
            store.remove(from, operation)?;
        }
    }
    // Before any step, every resource is as the plan found it.
    let mut applied: BTreeMap<Address, Object> = plan
        .changes
        .iter()
        .filter_map(|change| Some((change.address.clone(), change.before.clone()?)))
        .collect();
    let mut counts = Counts::default();
    for (done, step) in steps.iter().enumerate() {
        if *interrupted.borrow() {
            return Err(ApplyError::Interrupted {
                done,
                total: steps.len(),
            });
        }
        let address = step.address();
        let change = plan
            .change(address)
            .expect("every step comes from a change of the plan");
        let prior_id = match step {
            Step::Create(_) => None,
            Step::Update(_) | Step::Delete(_) => change.before.as_ref().map(id_of),
        };
        report(Progress::Started { step, id: prior_id });
        let started = Instant::now();
        let id = match step {
            Step::Delete(_) => {
                let prior = change.before.as_ref().expect("a deleted resource existed");
                remotes
                    .region(region(prior))?
                    .delete(address, prior)
                    .await?;
                // After create_before_destroy, the address holds the new object, and the old one
                // is deposed.
                match change.action == Action::Replace(ReplaceOrder::CreateThenDelete) {
                    true => store.remove_deposed(address, id_of(prior), operation)?,
                    false => {
                        store.remove(address, operation)?;
                        applied.remove(address);
                    }
                }
                counts.destroy += 1;
                id_of(prior).to_owned()
            }
            Step::Create(_) | Step::Update(_) => {
                let config = evaluate(desired, change, &applied)?;
                let attributes = match (step, applied.get(address)) {
                    (Step::Update(_), Some(prior)) => {
                        counts.change += 1;
                        let mut config = config;
                        address.kind.schema().fill_chosen(&mut config, Some(prior));
                        let aws = remotes.region(region(prior))?;
                        aws.update(address, prior, &config).await?
                    }
                    _ => {
                        counts.add += 1;
                        remotes
                            .region(region(&config))?
                            .create(address, &config)
                            .await?
                    }
                };
                let resource = ResourceState {
                    attributes,
                    dependencies: change.dependencies.clone(),
                };
                // A create_before_destroy replacement deposes the old object as it records the
                // new one, so that it stays known until it is deleted.
                let old = match change.action {
                    Action::Replace(ReplaceOrder::CreateThenDelete) => {
                        change.before.as_ref().map(|before| ResourceState {
                            attributes: before.clone(),
                            dependencies: change.prior_dependencies.clone(),
                        })
                    }
                    _ => None,
                };
                store.put_deposing(address, &resource, old.as_ref(), operation)?;
                let id = resource.id().to_owned();
                applied.insert(address.clone(), resource.attributes);
                id
            }
        };
        report(Progress::Finished {
            step,
            id: &id,
            elapsed: started.elapsed(),
        });
    }
    // Objects left deposed by an earlier apply, now that nothing uses them.
    for deposed in &plan.deposed {
        if *interrupted.borrow() {
            return Err(ApplyError::Interrupted {
                done: steps.len(),
                total: steps.len() + plan.deposed.len(),
            });
        }
        let (address, prior) = (&deposed.address, &deposed.resource.attributes);
        let step = Step::Delete(address.clone());
        report(Progress::Started {
            step: &step,
            id: Some(id_of(prior)),
        });
        let started = Instant::now();
        remotes
            .region(region(prior))?
            .delete(address, prior)
            .await?;
        store.remove_deposed(address, id_of(prior), operation)?;
        counts.destroy += 1;
        report(Progress::Finished {
            step: &step,
            id: id_of(prior),
            elapsed: started.elapsed(),
        });
    }
    // The root module's outputs, from what AWS returned.
    if plan.mode != crate::plan::Mode::RefreshOnly {
        let mut outputs = BTreeMap::new();
        for (name, change) in &plan.outputs {
            let Some(argument) = desired.context.outputs.get(name) else {
                continue;
            };
            if change.after.is_none() {
                continue;
            }
            let value = crate::eval::evaluate(
                &argument.expr,
                argument.value_span.file,
                &desired.context,
                &applied,
            );
            if let Ok(value) = value
                && !value.has_unknown()
            {
                let sensitive = change.sensitive;
                outputs.insert(name.clone(), crate::state::OutputState { value, sensitive });
            }
        }
        store.set_outputs(&outputs, operation)?;
    }
    Ok(counts)
}

/// Records in the state what refresh found changed outside gateform, one write per object.
pub fn record_drift(plan: &Plan, store: &mut Store, operation: &str) -> Result<(), StoreError> {
    for drift in &plan.drift {
        match &drift.after {
            Some(attributes) => {
                let resource = ResourceState {
                    attributes: attributes.clone(),
                    dependencies: drift.dependencies.clone(),
                };
                store.put(&drift.address, &resource, operation)?;
            }
            None => store.remove(&drift.address, operation)?,
        }
    }
    Ok(())
}

fn id_of(attributes: &Object) -> &str {
    attributes
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// Where an object lives.
fn region(attributes: &Object) -> Option<&str> {
    attributes.get("region").and_then(Value::as_str)
}

/// The resource's arguments with every reference now known.
fn evaluate(
    desired: &Desired,
    change: &ResourceChange,
    applied: &BTreeMap<Address, Object>,
) -> Result<Object, ApplyError> {
    let address = &change.address;
    let resource = &desired.resources[address];
    let config = resource
        .evaluate(applied)
        .map_err(|diagnostics| ApplyError::Evaluate(address.clone(), diagnostics))?;
    if let Some((attribute, _)) = config.iter().find(|(_, value)| value.has_unknown()) {
        return Err(ApplyError::StillUnknown {
            address: address.clone(),
            attribute: attribute.clone(),
        });
    }
    Ok(config)
}
