//! Apply: performs a plan's steps in dependency order and records each one in the state as soon as
//! AWS confirms it, so an interrupted apply loses nothing.
//!
//! Apply does what the plan says and nothing else. It evaluates each resource's arguments once more,
//! now with the values AWS returned for its dependencies, which turns every `(known after apply)`
//! into the real value.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt as _;
use futures_util::stream::FuturesUnordered;

use crate::addr::Address;
use crate::aws::{Aws, RemoteError, Remotes};
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
    /// This many more steps are to be carried out.
    Scheduled { steps: usize },
    /// A step began; `id` is the resource's id when it already exists.
    Started { step: &'a Step, id: Option<&'a str> },
    Finished {
        step: &'a Step,
        id: &'a str,
        elapsed: Duration,
    },
    /// A step's call failed; the error is returned at the end.
    Failed { step: &'a Step },
    /// A step is still under way, after `elapsed`; said every 10 seconds.
    Still { step: &'a Step, elapsed: Duration },
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
    #[error(transparent)]
    Failed(Box<StepFailures>),
}

/// Steps that failed, and what that left undone. The steps that did not depend on them were
/// carried out and recorded.
#[derive(Debug)]
pub struct StepFailures {
    pub done: usize,
    pub failures: Vec<ApplyError>,
    /// The steps that depend on what failed, which were not started.
    pub not_started: Vec<Address>,
    /// How many other steps were not started, because an interrupt came.
    pub interrupted: usize,
}

impl std::fmt::Display for StepFailures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let failed = self.failures.len();
        write!(
            f,
            "{failed} change{} failed; {} made and recorded in the state",
            if failed == 1 { "" } else { "s" },
            match self.done {
                1 => "1 change was".to_owned(),
                done => format!("{done} changes were"),
            }
        )?;
        if !self.not_started.is_empty() {
            let count = self.not_started.len();
            write!(
                f,
                "; {count} {} not started because {} on what failed",
                if count == 1 { "was" } else { "were" },
                if count == 1 {
                    "it depends"
                } else {
                    "they depend"
                }
            )?;
        }
        match self.interrupted {
            0 => {}
            1 => write!(f, "; 1 was not started because of the interrupt")?,
            count => write!(f, "; {count} were not started because of the interrupt")?,
        }
        for failure in &self.failures {
            write!(f, "\n  - {failure}")?;
        }
        if !self.not_started.is_empty() {
            let shown: Vec<String> = self
                .not_started
                .iter()
                .take(10)
                .map(|address| format!("`{address}`"))
                .collect();
            let more = self.not_started.len().saturating_sub(shown.len());
            write!(f, "\n  not started: {}", shown.join(", "))?;
            if more > 0 {
                write!(f, " and {more} more")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for StepFailures {}

impl ApplyError {
    /// The error of a walk that came after `earlier` steps already done, counted with them.
    fn after(self, earlier: usize) -> ApplyError {
        match self {
            ApplyError::Interrupted { done, total } => ApplyError::Interrupted {
                done: done + earlier,
                total: total + earlier,
            },
            ApplyError::Failed(mut failed) => {
                failed.done += earlier;
                ApplyError::Failed(failed)
            }
            other => other,
        }
    }
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
/// Up to `parallelism` calls are in flight at once, one per lane ([`lane`]). `interrupted` is
/// checked before each step starts: once set, no step starts, and the calls in flight finish and
/// are recorded.
#[allow(clippy::too_many_arguments)]
pub async fn apply(
    plan: &Plan,
    desired: &Desired,
    remotes: &Remotes,
    store: &mut Store,
    operation: &str,
    parallelism: usize,
    interrupted: tokio::sync::watch::Receiver<Interrupts>,
    report: impl FnMut(Progress<'_>),
) -> Result<Counts, ApplyError> {
    // A plan apply cannot carry out, or whose steps cannot be ordered, is refused before
    // anything is written.
    plan.check(desired)?;
    let schedule = Schedule::of(plan)?;
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
            store.rename(&[(from, &change.address, &moved)], operation)?;
        }
    }
    let mut walk = Walk {
        plan,
        desired,
        remotes,
        store,
        operation,
        // What this apply creates joins what the state held, so that no lookup takes it for
        // the object of another create.
        taken: Rc::new(RefCell::new(crate::journal::held_ids(&plan.prior))),
        // Before any step, every resource is as the plan found it.
        applied: plan
            .changes
            .iter()
            .filter_map(|change| Some((change.address.clone(), change.before.clone()?)))
            .collect(),
        counts: Counts::default(),
        report,
        parallelism: parallelism.max(1),
        interrupted,
    };
    walk.run(&schedule).await?;
    // Objects left deposed by an earlier apply, now that nothing uses them.
    walk.run(&Schedule::deposed(plan))
        .await
        .map_err(|error| error.after(schedule.jobs.len()))?;
    walk.outputs()?;
    Ok(walk.counts)
}

/// One run of apply: what it needs, and what it has done so far.
struct Walk<'p, 's, R> {
    plan: &'p Plan,
    desired: &'p Desired,
    remotes: &'p Remotes,
    store: &'s mut Store,
    operation: &'p str,
    taken: Rc<RefCell<crate::journal::Taken>>,
    /// Every resource's attributes as AWS now has them, for evaluating what depends on it.
    applied: BTreeMap<Address, Object>,
    counts: Counts,
    report: R,
    parallelism: usize,
    interrupted: tokio::sync::watch::Receiver<Interrupts>,
}

/// A step ready to go: what it sends, and the lane it waits in.
struct Ready<'p> {
    lane: Option<Lane>,
    call: Call<'p>,
}

enum Call<'p> {
    Delete {
        aws: Arc<Aws>,
        prior: &'p Object,
    },
    Update {
        aws: Arc<Aws>,
        prior: Object,
        config: Object,
    },
    Create {
        aws: Arc<Aws>,
        config: Object,
    },
}

/// What a step's call came to.
enum Done<'p> {
    /// The object deleted.
    Deleted(&'p Object),
    Updated(Object),
    Created(Object, Option<RemoteError>),
}

/// A call that failed: for a create, whether the object may exist nonetheless.
struct Failed {
    error: ApplyError,
    may_exist: bool,
}

type InFlight<'p> = Pin<Box<dyn Future<Output = (usize, Result<Done<'p>, Failed>)> + 'p>>;

impl<'p, R: FnMut(Progress<'_>)> Walk<'p, '_, R> {
    /// Carries out `schedule`: each step starts when everything it depends on is done and its
    /// lane is free, smallest first. A step that fails stops what depends on it; the steps that
    /// do not depend on it go on. A failure of the state stops every step from starting.
    async fn run(&mut self, schedule: &Schedule<'p>) -> Result<(), ApplyError> {
        let mut waiting = schedule.waiting.clone();
        let mut ready: BTreeSet<usize> = (0..schedule.jobs.len())
            .filter(|index| waiting[*index] == 0)
            .collect();
        // Ready steps that wait for their lane, by lane; steps without a lane never wait.
        let mut queued: BTreeMap<Option<Lane>, BTreeMap<usize, Call<'p>>> = BTreeMap::new();
        let mut in_flight: FuturesUnordered<InFlight<'p>> = FuturesUnordered::new();
        // The steps in flight: since when, their lane (busy while they run), and the tens of
        // seconds already reported.
        let mut running: BTreeMap<usize, (Instant, Option<Lane>, u64)> = BTreeMap::new();
        // Steps launched, or refused before they could be.
        let mut touched = vec![false; schedule.jobs.len()];
        let mut done = 0;
        let mut failures: Vec<ApplyError> = Vec::new();
        let mut failed: Vec<usize> = Vec::new();
        let mut fatal: Option<ApplyError> = None;
        let mut ticks = tokio::time::interval(Duration::from_secs(1));
        if !schedule.jobs.is_empty() {
            (self.report)(Progress::Scheduled {
                steps: schedule.jobs.len(),
            });
        }
        loop {
            let stopping = fatal.is_some() || self.interrupted.borrow().count > 0;
            if !stopping {
                while let Some(index) = ready.pop_first() {
                    match self.prepare(&schedule.jobs[index]) {
                        Ok(Ready { lane, call }) => {
                            queued.entry(lane).or_default().insert(index, call);
                        }
                        Err(error) => {
                            touched[index] = true;
                            failed.push(index);
                            failures.push(error);
                        }
                    }
                }
                while in_flight.len() < self.parallelism {
                    // The smallest step whose lane is free.
                    let next = queued
                        .iter()
                        .filter(|(lane, _)| {
                            lane.is_none() || running.values().all(|(_, busy, _)| busy != *lane)
                        })
                        .filter_map(|(lane, calls)| Some((*calls.keys().next()?, lane.clone())))
                        .min_by_key(|(index, _)| *index);
                    let Some((index, lane)) = next else { break };
                    let call = queued
                        .get_mut(&lane)
                        .and_then(|calls| calls.remove(&index))
                        .expect("the step chosen is queued");
                    let job = &schedule.jobs[index];
                    match self.launch(index, job, call) {
                        Ok(flight) => {
                            running.insert(index, (Instant::now(), lane, 0));
                            in_flight.push(flight);
                            touched[index] = true;
                        }
                        Err(error) => {
                            fatal = Some(error);
                            break;
                        }
                    }
                }
            }
            if in_flight.is_empty() {
                break;
            }
            let (index, outcome) = tokio::select! {
                finished = in_flight.next() => finished.expect("calls are in flight"),
                _ = ticks.tick() => {
                    for (index, (since, _, told)) in &mut running {
                        let tens = since.elapsed().as_secs() / 10;
                        if tens > *told {
                            *told = tens;
                            let step = &schedule.jobs[*index].step;
                            (self.report)(Progress::Still { step, elapsed: since.elapsed() });
                        }
                    }
                    continue;
                }
            };
            let (since, _, _) = running.remove(&index).expect("a step in flight");
            let job = &schedule.jobs[index];
            match self.record(job, outcome, since.elapsed()) {
                Ok(()) => {
                    done += 1;
                    for next in &schedule.dependents[index] {
                        waiting[*next] -= 1;
                        if waiting[*next] == 0 {
                            ready.insert(*next);
                        }
                    }
                }
                Err(error @ (ApplyError::Store(_) | ApplyError::Unrecorded(_))) => {
                    fatal.get_or_insert(error);
                }
                Err(error) => {
                    failed.push(index);
                    failures.push(error);
                }
            }
        }
        let total = schedule.jobs.len();
        if let Some(fatal) = fatal {
            return Err(fatal);
        }
        if !failures.is_empty() {
            // What waits, directly or not, for a step that failed.
            let mut blocked = vec![false; schedule.jobs.len()];
            while let Some(index) = failed.pop() {
                for next in &schedule.dependents[index] {
                    if !std::mem::replace(&mut blocked[*next], true) {
                        failed.push(*next);
                    }
                }
            }
            let not_started = (0..schedule.jobs.len())
                .filter(|index| blocked[*index] && !touched[*index])
                .map(|index| schedule.jobs[index].step.address().clone())
                .collect();
            let interrupted = (0..schedule.jobs.len())
                .filter(|index| !blocked[*index] && !touched[*index])
                .count();
            return Err(ApplyError::Failed(Box::new(StepFailures {
                done,
                failures,
                not_started,
                interrupted,
            })));
        }
        if done < total {
            return Err(ApplyError::Interrupted { done, total });
        }
        Ok(())
    }

    /// Evaluates a step's arguments with what AWS returned for its dependencies, and finds its
    /// connection and its lane. Nothing is written or sent.
    fn prepare(&self, job: &Job<'p>) -> Result<Ready<'p>, ApplyError> {
        let address = job.step.address();
        let change = || {
            self.plan
                .change(address)
                .ok_or_else(|| InvalidPlan::not_configured(address))
        };
        if let Step::Delete(_) = job.step {
            let prior = match job.deposed {
                Some(prior) => prior,
                None => change()?
                    .before
                    .as_ref()
                    .ok_or_else(|| InvalidPlan::no_object(address))?,
            };
            return Ok(Ready {
                lane: lane(address.kind, prior),
                call: Call::Delete {
                    aws: self.remotes.region(region(prior))?,
                    prior,
                },
            });
        }
        let known = Known {
            applying: true,
            ..self.desired.known(&self.applied, &self.plan.data)
        };
        let config = evaluate(self.desired, change()?, &known)?;
        match (&job.step, self.applied.get(address)) {
            (Step::Update(_), Some(prior)) => Ok(Ready {
                lane: lane(address.kind, prior),
                call: Call::Update {
                    aws: self.remotes.region(region(prior))?,
                    prior: prior.clone(),
                    config,
                },
            }),
            _ => Ok(Ready {
                lane: lane(address.kind, &config),
                call: Call::Create {
                    aws: self.remotes.region(region(&config))?,
                    config,
                },
            }),
        }
    }

    /// Starts a step's call. A create's intent is recorded before it is sent.
    fn launch(
        &mut self,
        index: usize,
        job: &Job<'p>,
        call: Call<'p>,
    ) -> Result<InFlight<'p>, ApplyError> {
        let address = job.step.address().clone();
        let prior_id = match &call {
            Call::Delete { prior, .. } => Some(id_of(prior)),
            Call::Update { prior, .. } => Some(id_of(prior)),
            Call::Create { .. } => None,
        };
        (self.report)(Progress::Started {
            step: &job.step,
            id: prior_id,
        });
        if let (Call::Create { config, .. }, Some(change)) = (&call, self.plan.change(&address)) {
            let intent = ResourceState {
                attributes: config.clone(),
                dependencies: change.dependencies.clone(),
            };
            self.store.intend(&address, &intent, self.operation)?;
        }
        let (taken, attempts) = (self.taken.clone(), self.remotes.attempts());
        Ok(Box::pin(async move {
            let outcome = match call {
                Call::Delete { aws, prior } => aws
                    .delete(&address, prior)
                    .await
                    .map(|()| Done::Deleted(prior))
                    .map_err(|error| Failed {
                        error: error.into(),
                        may_exist: false,
                    }),
                Call::Update { aws, prior, config } => aws
                    .update(&address, &prior, &config)
                    .await
                    .map(Done::Updated)
                    .map_err(|error| Failed {
                        error: error.into(),
                        may_exist: false,
                    }),
                Call::Create { aws, config } => {
                    let taken = |kind, id: &str| taken.borrow().contains(&(kind, id.to_owned()));
                    crate::journal::create(&aws, &address, &config, &taken, attempts)
                        .await
                        .map(|(attributes, found)| Done::Created(attributes, found))
                        .map_err(|failed| Failed {
                            error: match failed.may_exist {
                                true => ApplyError::Unsettled(failed.error),
                                false => failed.error.into(),
                            },
                            may_exist: failed.may_exist,
                        })
                }
            };
            (index, outcome)
        }))
    }

    /// Records what a step's call came to in the state, as soon as it is known.
    fn record(
        &mut self,
        job: &Job<'p>,
        outcome: Result<Done, Failed>,
        elapsed: Duration,
    ) -> Result<(), ApplyError> {
        let (step, operation) = (&job.step, self.operation);
        let address = step.address();
        let change = self.plan.change(address);
        let done = match outcome {
            Ok(done) => done,
            Err(failed) => {
                // A create that made nothing leaves no intent behind; one that may have made
                // its object keeps it for the next run to look up.
                (self.report)(Progress::Failed { step });
                if let (Step::Create(_), false) = (step, failed.may_exist) {
                    self.store.drop_intent(address, operation)?;
                }
                return Err(failed.error);
            }
        };
        let (attributes, found) = match done {
            Done::Updated(attributes) => (attributes, None),
            Done::Created(attributes, found) => (attributes, found),
            Done::Deleted(prior) => {
                // After create_before_destroy, the address holds the new object, and the old
                // one is deposed.
                let replaced = change.is_some_and(|change| {
                    change.action == Action::Replace(ReplaceOrder::CreateThenDelete)
                });
                match job.deposed.is_some() || replaced {
                    true => self
                        .store
                        .remove_deposed(address, id_of(prior), operation)?,
                    false => {
                        self.store.remove(address, operation)?;
                        self.applied.remove(address);
                    }
                }
                self.counts.destroy += 1;
                let id = id_of(prior);
                (self.report)(Progress::Finished { step, id, elapsed });
                return Ok(());
            }
        };
        let change = change.ok_or_else(|| InvalidPlan::not_configured(address))?;
        let created = matches!(step, Step::Create(_));
        if let (Some(failure), Some(id)) = (&found, attributes.get("id").and_then(Value::as_str)) {
            (self.report)(Progress::Found { step, id, failure });
        }
        match created {
            true => self.counts.add += 1,
            false => self.counts.change += 1,
        }
        let resource = ResourceState {
            attributes,
            dependencies: change.dependencies.clone(),
        };
        self.taken
            .borrow_mut()
            .insert((address.kind, resource.id().to_owned()));
        // A create_before_destroy replacement deposes the old object as it records the new one,
        // so that it stays known until it is deleted.
        let old = match change.action {
            Action::Replace(ReplaceOrder::CreateThenDelete) => {
                change.before.as_ref().map(|before| ResourceState {
                    attributes: before.clone(),
                    dependencies: change.prior_dependencies.clone(),
                })
            }
            _ => None,
        };
        self.store
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
        (self.report)(Progress::Finished {
            step,
            id: resource.id(),
            elapsed,
        });
        self.applied.insert(address.clone(), resource.attributes);
        Ok(())
    }

    /// The root module's outputs, from what AWS returned.
    fn outputs(&mut self) -> Result<(), ApplyError> {
        if self.plan.mode == crate::plan::Mode::RefreshOnly {
            return Ok(());
        }
        let mut outputs = BTreeMap::new();
        for (name, change) in &self.plan.outputs {
            let Some(argument) = self.desired.context.outputs.get(name) else {
                continue;
            };
            if change.after.is_none() {
                continue;
            }
            let known = Known {
                applying: true,
                ..self.desired.known(&self.applied, &self.plan.data)
            };
            let value = crate::eval::evaluate(
                &argument.expr,
                argument.value_span.file,
                &self.desired.context,
                &known,
            );
            if let Ok(value) = value
                && !value.has_unknown()
            {
                let sensitive = change.sensitive;
                outputs.insert(name.clone(), crate::state::OutputState { value, sensitive });
            }
        }
        self.store.set_outputs(&outputs, self.operation)?;
        Ok(())
    }
}

/// The queue an object's changes wait in, one call at a time: AWS applies the changes to one api
/// one at a time and answers 409 "concurrent modification" to a second, so everything under an
/// api (and the api itself) shares its lane, in its region; a domain name shares its lane with
/// its api mappings and routing rules; a new api and a VPC link wait behind another of their
/// name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Lane {
    region: String,
    owner: String,
}

/// The lane of an object of `kind` with `attributes`.
pub fn lane(kind: crate::schema::Kind, attributes: &Object) -> Option<Lane> {
    use crate::schema::Kind;
    let text = |name: &str| attributes.get(name).and_then(Value::as_str);
    let owner = match kind {
        Kind::Api => match text("id") {
            Some(id) => Some(format!("api {id}")),
            // Two new apis of one name go one after the other, so that the lookup after a
            // failed create never takes the other's object for its own.
            None => text("name").map(|name| format!("new api {name}")),
        },
        Kind::VpcLink => text("name").map(|name| format!("vpc link {name}")),
        Kind::DomainName | Kind::ApiMapping | Kind::RoutingRule => {
            text("domain_name").map(|name| format!("domain {name}"))
        }
        _ => text("api_id").map(|id| format!("api {id}")),
    }?;
    Some(Lane {
        region: region(attributes).unwrap_or_default().to_owned(),
        owner,
    })
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

/// The steps that carry out `plan`, each with the steps that wait for it: what
/// `graph --type apply` draws.
pub fn step_graph_edges(plan: &Plan) -> (Vec<Step>, Vec<(Step, Step)>) {
    let graph = step_graph(plan);
    let (mut steps, left_out) = graph.order();
    steps.extend(left_out);
    let edges = steps
        .iter()
        .flat_map(|step| {
            let graph = &graph;
            graph
                .successors(step)
                .map(move |next| (next.clone(), step.clone()))
        })
        .collect();
    (steps, edges)
}

/// The steps that carry out `plan`, in an order that respects every dependency.
pub fn apply_steps(plan: &Plan) -> Result<Vec<Step>, StepCycle> {
    Ok(Schedule::of(plan)?
        .jobs
        .into_iter()
        .map(|job| job.step)
        .collect())
}

/// Steps, each with the steps that wait for it.
struct Schedule<'p> {
    /// In a topological order that is the same on every run.
    jobs: Vec<Job<'p>>,
    /// For each step, the steps that depend on it.
    dependents: Vec<Vec<usize>>,
    /// For each step, how many steps it waits for.
    waiting: Vec<usize>,
}

struct Job<'p> {
    step: Step,
    /// The deposed object a delete is for, rather than the one at its address.
    deposed: Option<&'p Object>,
}

impl<'p> Schedule<'p> {
    fn of(plan: &Plan) -> Result<Schedule<'p>, StepCycle> {
        let graph = step_graph(plan);
        let (order, left_out) = graph.order();
        if !left_out.is_empty() {
            return Err(StepCycle(left_out));
        }
        let position: BTreeMap<&Step, usize> = order
            .iter()
            .enumerate()
            .map(|(index, step)| (step, index))
            .collect();
        let mut waiting = vec![0; order.len()];
        let dependents: Vec<Vec<usize>> = order
            .iter()
            .map(|step| {
                let next: Vec<usize> = graph.successors(step).map(|next| position[next]).collect();
                for index in &next {
                    waiting[*index] += 1;
                }
                next
            })
            .collect();
        let jobs = order
            .iter()
            .map(|step| Job {
                step: step.clone(),
                deposed: None,
            })
            .collect();
        Ok(Schedule {
            jobs,
            dependents,
            waiting,
        })
    }

    /// The deletes of the objects earlier applies left deposed: nothing uses them, and they wait
    /// for nothing.
    fn deposed(plan: &'p Plan) -> Schedule<'p> {
        Schedule {
            jobs: plan
                .deposed
                .iter()
                .map(|deposed| Job {
                    step: Step::Delete(deposed.address.clone()),
                    deposed: Some(&deposed.resource.attributes),
                })
                .collect(),
            dependents: vec![Vec::new(); plan.deposed.len()],
            waiting: vec![0; plan.deposed.len()],
        }
    }
}

/// The steps that carry out `plan`, and what each waits for: a resource is created or updated after
/// what it depends on, deleted before what it depended on, and a replaced resource is deleted
/// before it is created again.
fn step_graph(plan: &Plan) -> Graph<Step> {
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
    graph
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
        let dependencies: crate::addr::Addresses =
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
            generated_config: None,
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
    fn a_failure_says_what_was_done_what_failed_and_what_was_not_started_and_why() {
        let failures = StepFailures {
            done: 4,
            failures: vec![ApplyError::StillUnknown {
                address: "aws_apigatewayv2_route.r".parse().unwrap(),
                attribute: "target".to_owned(),
            }],
            not_started: vec!["aws_apigatewayv2_route_response.r".parse().unwrap()],
            interrupted: 3,
        };
        // Counted after the 5 steps of an earlier walk.
        let ApplyError::Failed(failures) = ApplyError::Failed(Box::new(failures)).after(5) else {
            panic!("still a failure");
        };
        assert_eq!(
            failures.to_string(),
            "1 change failed; 9 changes were made and recorded in the state; 1 was not started because it depends on what failed; 3 were not started because of the interrupt\n  - `aws_apigatewayv2_route.r`: the value of `target` is still unknown after its dependencies were applied\n  not started: `aws_apigatewayv2_route_response.r`"
        );
    }

    #[test]
    fn two_new_apis_of_one_name_share_a_lane_and_apis_of_other_names_do_not() {
        let api = |name: &str| -> Object {
            [("name", name), ("region", "eu-west-1")]
                .into_iter()
                .map(|(key, value)| (key.to_owned(), Value::String(value.to_owned())))
                .collect()
        };
        let kind = crate::schema::Kind::Api;
        assert_eq!(lane(kind, &api("orders")), lane(kind, &api("orders")));
        assert_ne!(lane(kind, &api("orders")), lane(kind, &api("billing")));
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
