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
use crate::eval::Known;
use crate::graph::Graph;
use crate::plan::{Action, Counts, InvalidPlan, Plan, ReplaceOrder, ResourceChange};
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
    /// A create failed without saying whether it made its object, and a lookup found it.
    Found {
        step: &'a Step,
        id: &'a str,
        failure: &'a RemoteError,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    #[error(transparent)]
    Remote(#[from] RemoteError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Order(#[from] StepCycle),
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
    #[error(transparent)]
    Invalid(#[from] crate::plan::InvalidPlan),
    #[error(
        "{0}. The create may have reached AWS, so the object may exist there: its intent stays in the state, and the next plan or apply looks for it and adopts it"
    )]
    Unsettled(RemoteError),
    #[error(transparent)]
    Unrecorded(Box<Unrecorded>),
    #[error(transparent)]
    Journal(#[from] crate::journal::JournalError),
}

/// The interrupts (SIGINT, SIGTERM) received so far.
#[derive(Clone, Copy, Debug, Default)]
pub struct Interrupts {
    pub count: u32,
    /// The exit code the first asks for: 130 for SIGINT, 143 for SIGTERM.
    pub code: u8,
}

/// An AWS call that succeeded and whose result the state could not record.
#[derive(Debug, thiserror::Error)]
#[error(
    "`{address}` was {done} in AWS (id `{id}`), but the state could not record it; {next}",
    next = if *.created {
        "its intent stays in the state, and the next plan or apply finds the object and adopts it"
    } else {
        "the next plan reads it from AWS"
    }
)]
pub struct Unrecorded {
    address: Address,
    id: String,
    done: &'static str,
    created: bool,
    #[source]
    error: StoreError,
}

/// Carries out `plan`. `operation` names the run in the state's history (`apply`, `destroy`).
/// `interrupted` is checked before each step: once set, apply stops after the call in flight.
pub async fn apply(
    plan: &Plan,
    desired: &Desired,
    remotes: &Remotes,
    store: &mut Store,
    operation: &str,
    interrupted: tokio::sync::watch::Receiver<Interrupts>,
    mut report: impl FnMut(Progress<'_>),
) -> Result<Counts, ApplyError> {
    // A plan apply cannot carry out, or whose steps cannot be ordered, is refused before
    // anything is written.
    plan.check(desired)?;
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
    // What this apply creates joins what the state held, so that no lookup takes it for the
    // object of another create.
    let mut taken = crate::journal::held_ids(&plan.prior);
    // Before any step, every resource is as the plan found it.
    let mut applied: BTreeMap<Address, Object> = plan
        .changes
        .iter()
        .filter_map(|change| Some((change.address.clone(), change.before.clone()?)))
        .collect();
    let mut counts = Counts::default();
    for (done, step) in steps.iter().enumerate() {
        if interrupted.borrow().count > 0 {
            return Err(ApplyError::Interrupted {
                done,
                total: steps.len(),
            });
        }
        let address = step.address();
        let change = plan
            .change(address)
            .ok_or_else(|| InvalidPlan::not_configured(address))?;
        let prior_id = match step {
            Step::Create(_) => None,
            Step::Update(_) | Step::Delete(_) => change.before.as_ref().map(id_of),
        };
        report(Progress::Started { step, id: prior_id });
        let started = Instant::now();
        let id = match step {
            Step::Delete(_) => {
                let prior = change
                    .before
                    .as_ref()
                    .ok_or_else(|| InvalidPlan::no_object(address))?;
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
                let known = Known {
                    applying: true,
                    ..desired.known(&applied, &plan.data)
                };
                let config = evaluate(desired, change, &known)?;
                let (attributes, created) = match (step, applied.get(address)) {
                    (Step::Update(_), Some(prior)) => {
                        counts.change += 1;
                        let aws = remotes.region(region(prior))?;
                        (aws.update(address, prior, &config).await?, false)
                    }
                    _ => {
                        counts.add += 1;
                        let aws = remotes.region(region(&config))?;
                        let (attributes, failure) = create(
                            &aws, address, change, &config, store, &taken, remotes, operation,
                        )
                        .await?;
                        if let Some(failure) = &failure {
                            let id = attributes.get("id").and_then(Value::as_str);
                            let id = id.unwrap_or_default();
                            report(Progress::Found { step, id, failure });
                        }
                        (attributes, true)
                    }
                };
                let resource = ResourceState {
                    attributes,
                    dependencies: change.dependencies.clone(),
                };
                taken.insert((address.kind, resource.id().to_owned()));
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
                store
                    .put_deposing(address, &resource, old.as_ref(), operation)
                    .map_err(|error| {
                        ApplyError::Unrecorded(Box::new(Unrecorded {
                            address: address.clone(),
                            id: resource.id().to_owned(),
                            done: if created { "created" } else { "changed" },
                            created,
                            error,
                        }))
                    })?;
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
        if interrupted.borrow().count > 0 {
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
            let known = Known {
                applying: true,
                ..desired.known(&applied, &plan.data)
            };
            let value = crate::eval::evaluate(
                &argument.expr,
                argument.value_span.file,
                &desired.context,
                &known,
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

/// Creates `address` through the journal: its intent is recorded before the create is sent,
/// and dropped again only when AWS said no in a way that made nothing.
#[allow(clippy::too_many_arguments)]
async fn create(
    aws: &crate::aws::Aws,
    address: &Address,
    change: &ResourceChange,
    config: &Object,
    store: &mut Store,
    taken: &std::collections::BTreeSet<(crate::schema::Kind, String)>,
    remotes: &Remotes,
    operation: &str,
) -> Result<(Object, Option<RemoteError>), ApplyError> {
    let intent = ResourceState {
        attributes: config.clone(),
        dependencies: change.dependencies.clone(),
    };
    store.intend(address, &intent, operation)?;
    match crate::journal::create(aws, address, config, taken, remotes.attempts()).await {
        Ok(created) => Ok(created),
        Err(failed) if failed.may_exist => Err(ApplyError::Unsettled(failed.error)),
        Err(failed) => {
            store.drop_intent(address, operation)?;
            Err(failed.error.into())
        }
    }
}

/// Records in the state what refresh found: the objects interrupted applies made, the intents
/// whose creates made nothing, and what changed outside gateform, one write per object.
pub fn record_drift(plan: &Plan, store: &mut Store, operation: &str) -> Result<(), StoreError> {
    for resolution in &plan.journal {
        match resolution {
            crate::state::Resolution::Adopted {
                address,
                resource,
                replaced,
            } => store.put_deposing(address, resource, replaced.as_ref(), operation)?,
            crate::state::Resolution::Absent { address } => {
                store.drop_intent(address, operation)?
            }
        }
    }
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
    known: &Known<'_>,
) -> Result<Object, ApplyError> {
    let address = &change.address;
    let resource = desired
        .resources
        .get(address)
        .ok_or_else(|| InvalidPlan::not_configured(address))?;
    let config = resource
        .evaluate(known)
        .map_err(|diagnostics| ApplyError::Evaluate(address.clone(), diagnostics))?;
    if let Some((attribute, _)) = config.iter().find(|(_, value)| value.has_unknown()) {
        return Err(ApplyError::StillUnknown {
            address: address.clone(),
            attribute: attribute.clone(),
        });
    }
    Ok(config)
}

/// One call's worth of work for apply.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    /// Deletes come first among the steps that are ready, so a replacement frees names before
    /// anything new needs them.
    Delete(Address),
    Create(Address),
    Update(Address),
}

impl Step {
    pub fn address(&self) -> &Address {
        match self {
            Step::Delete(address) | Step::Create(address) | Step::Update(address) => address,
        }
    }
}

/// The steps that carry out `plan`, in an order that respects every dependency: a resource is created
/// or updated after what it depends on, deleted before what it depended on, and a replaced resource
/// is deleted before it is created again.
pub fn apply_steps(plan: &Plan) -> Result<Vec<Step>, StepCycle> {
    let mut graph = Graph::<Step>::default();
    let mut steps_of: BTreeMap<&Address, Vec<Step>> = BTreeMap::new();
    for change in &plan.changes {
        let address = change.address.clone();
        let steps = match change.action {
            Action::NoOp => vec![],
            Action::Create => vec![Step::Create(address)],
            Action::Update => vec![Step::Update(address)],
            Action::Delete => vec![Step::Delete(address)],
            Action::Replace(ReplaceOrder::DeleteThenCreate) => {
                vec![Step::Delete(address.clone()), Step::Create(address)]
            }
            Action::Replace(ReplaceOrder::CreateThenDelete) => {
                vec![Step::Create(address.clone()), Step::Delete(address)]
            }
        };
        for step in &steps {
            graph.node(step.clone());
        }
        match steps.as_slice() {
            [delete @ Step::Delete(_), create @ Step::Create(_)] => {
                graph.edge(delete.clone(), create.clone())
            }
            [create @ Step::Create(_), delete @ Step::Delete(_)] => {
                graph.edge(create.clone(), delete.clone())
            }
            _ => {}
        }
        steps_of.insert(&change.address, steps);
    }
    let steps = |address: &Address| steps_of.get(address).map_or(&[][..], Vec::as_slice);
    for change in &plan.changes {
        for mine in steps(&change.address) {
            match mine {
                Step::Create(_) | Step::Update(_) => {
                    for dependency in &change.dependencies {
                        for theirs in steps(dependency) {
                            if !matches!(theirs, Step::Delete(_)) {
                                graph.edge(theirs.clone(), mine.clone());
                            }
                        }
                    }
                    // Stop using what is going away for good before it goes. What is replaced
                    // instead goes first, since the update needs its successor.
                    for dependency in &change.prior_dependencies {
                        if let (Step::Update(_), [gone @ Step::Delete(_)]) =
                            (mine, steps(dependency))
                        {
                            graph.edge(mine.clone(), gone.clone());
                        }
                    }
                }
                Step::Delete(_) => {
                    for dependency in &change.prior_dependencies {
                        for theirs in steps(dependency) {
                            if matches!(theirs, Step::Delete(_)) {
                                graph.edge(mine.clone(), theirs.clone());
                            }
                        }
                    }
                }
            }
        }
    }
    match graph.order() {
        (order, left_out) if left_out.is_empty() => Ok(order),
        (_, left_out) => Err(StepCycle(left_out)),
    }
}

/// Steps of a plan that depend on each other in a circle, so no order can carry them out. Apply
/// refuses such a plan as a whole rather than carry out part of it.
#[derive(Debug, thiserror::Error)]
#[error(
    "the plan's steps cannot be ordered: {} depend on each other in a circle",
    .0.iter().map(|step| format!("`{}`", step.address())).collect::<Vec<_>>().join(", ")
)]
pub struct StepCycle(pub Vec<Step>);

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::plan::Mode;

    fn change(address: &str, action: Action, depends_on: &[&str]) -> ResourceChange {
        let dependencies: BTreeSet<Address> =
            depends_on.iter().map(|a| a.parse().unwrap()).collect();
        ResourceChange {
            address: address.parse().unwrap(),
            action,
            before: Some(Default::default()),
            after: Some(Default::default()),
            reason: None,
            replace_paths: BTreeSet::new(),
            dependencies: dependencies.clone(),
            prior_dependencies: dependencies,
            moved_from: None,
            forget: false,
            sensitive: BTreeSet::new(),
            importing: false,
        }
    }

    fn steps(changes: Vec<ResourceChange>) -> Vec<String> {
        let plan = Plan {
            mode: Mode::Normal,
            refreshed: false,
            drift: Vec::new(),
            changes,
            prior: Default::default(),
            assumed_base: None,
            targets: Vec::new(),
            outputs: Default::default(),
            deposed: Vec::new(),
            data: Default::default(),
            journal: Vec::new(),
        };
        apply_steps(&plan)
            .unwrap()
            .iter()
            .map(|step| match step {
                Step::Delete(address) => format!("delete {address}"),
                Step::Create(address) => format!("create {address}"),
                Step::Update(address) => format!("update {address}"),
            })
            .collect()
    }

    #[test]
    fn a_replaced_api_takes_its_routes_down_first_and_up_last() {
        let replace = Action::Replace(ReplaceOrder::DeleteThenCreate);
        let api = "aws_apigatewayv2_api.a";
        assert_eq!(
            steps(vec![
                change(api, replace, &[]),
                change("aws_apigatewayv2_route.r1", replace, &[api]),
                change("aws_apigatewayv2_route.r2", replace, &[api]),
            ]),
            [
                "delete aws_apigatewayv2_route.r1",
                "delete aws_apigatewayv2_route.r2",
                "delete aws_apigatewayv2_api.a",
                "create aws_apigatewayv2_api.a",
                "create aws_apigatewayv2_route.r1",
                "create aws_apigatewayv2_route.r2",
            ]
        );
    }

    #[test]
    fn a_replaced_integration_goes_first_and_the_route_then_targets_its_successor() {
        let integration = "aws_apigatewayv2_integration.i";
        assert_eq!(
            steps(vec![
                change(
                    integration,
                    Action::Replace(ReplaceOrder::DeleteThenCreate),
                    &[]
                ),
                change("aws_apigatewayv2_route.r", Action::Update, &[integration]),
            ]),
            [
                "delete aws_apigatewayv2_integration.i",
                "create aws_apigatewayv2_integration.i",
                "update aws_apigatewayv2_route.r",
            ]
        );
    }

    #[test]
    fn a_route_stops_using_an_integration_before_it_is_deleted_for_good() {
        let integration = "aws_apigatewayv2_integration.i";
        assert_eq!(
            steps(vec![
                change(integration, Action::Delete, &[]),
                change("aws_apigatewayv2_route.r", Action::Update, &[integration]),
            ]),
            [
                "update aws_apigatewayv2_route.r",
                "delete aws_apigatewayv2_integration.i"
            ]
        );
    }

    #[test]
    fn no_op_changes_make_no_steps_but_still_order_others() {
        let api = "aws_apigatewayv2_api.a";
        assert_eq!(
            steps(vec![
                change(api, Action::NoOp, &[]),
                change("aws_apigatewayv2_route.gone", Action::Delete, &[api]),
                change("aws_apigatewayv2_route.new", Action::Create, &[api]),
            ]),
            [
                "delete aws_apigatewayv2_route.gone",
                "create aws_apigatewayv2_route.new"
            ]
        );
    }
}
