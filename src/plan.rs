//! Planning: one action per resource address, from the desired resources and the state. Pure.
//!
//! The planner walks the configuration in dependency order and evaluates each resource's arguments
//! with the planned values of what it references. So when an api is replaced its `id` is unknown,
//! every route's `api_id` becomes unknown, and since `api_id` forces replacement the routes are
//! replaced too, as in Terraform.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::addr::{Address, Addresses, Target};
use crate::config::IgnoreChanges;
use crate::diag::Diagnostics;
use crate::graph::DepGraph;
use crate::resolve::{Desired, DesiredResource};
use crate::state::{Deposed, Drift, Refreshed, State};
use crate::value::{Object, Value};

/// Every resource's planned action, in address order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub mode: Mode,
    /// Whether the state was refreshed from AWS before planning (`--refresh=false` skips it).
    pub refreshed: bool,
    /// What changed outside gateform, found by refresh. Apply records it in the state.
    pub drift: Vec<Drift>,
    pub changes: Vec<ResourceChange>,
    /// The state the plan was made from, after refresh. Its lineage and serial tell whether a
    /// saved plan still applies.
    pub prior: State,
    /// Set by `gateform diff`: the directory whose configuration was assumed deployed, in place
    /// of the state and AWS.
    pub assumed_base: Option<String>,
    /// The `--target` addresses the plan was limited to; empty when it covers everything.
    pub targets: Vec<Target>,
    /// The root module's outputs, before and after.
    #[serde(default)]
    pub outputs: BTreeMap<String, OutputChange>,
    /// Objects left over from `create_before_destroy` replacements that stopped before deleting
    /// them: apply deletes them after every other step, when nothing uses them any more.
    #[serde(default)]
    pub deposed: Vec<Deposed>,
    /// The data sources' values the plan was made with, by address; apply evaluates with them.
    #[serde(default)]
    pub data: BTreeMap<String, Value>,
    /// What the lookups of the creates an interrupted apply left found: apply records the
    /// adopted objects and drops the other intents before anything else.
    #[serde(default)]
    pub journal: Vec<crate::state::Resolution>,
}

/// How an output value changes. `None` is no output.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutputChange {
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub sensitive: bool,
}

impl OutputChange {
    pub fn changed(&self) -> bool {
        self.before != self.after || self.after.as_ref().is_some_and(Value::has_unknown)
    }
}

#[derive(Debug, thiserror::Error)]
#[error("--target `{0}` matches no resource in the configuration or the state")]
pub struct UnknownTarget(pub Target);

/// A plan that breaks what apply relies on, as an edited plan file can.
#[derive(Debug, thiserror::Error)]
#[error(
    "the plan cannot be applied: {0}; it is not a plan gateform made: make the plan again with `gateform plan --out`"
)]
pub struct InvalidPlan(String);

impl InvalidPlan {
    /// A change whose action needs the existing object, and has none.
    pub fn no_object(address: &Address) -> InvalidPlan {
        InvalidPlan(format!(
            "`{address}` is to be changed or destroyed, but the plan has no object for it"
        ))
    }

    /// A change that creates or changes what the configuration does not declare.
    pub fn not_configured(address: &Address) -> InvalidPlan {
        InvalidPlan(format!(
            "`{address}` is to be created or changed, but it is not in the configuration"
        ))
    }
}

/// What the plan was made for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Mode {
    /// Make AWS match the configuration.
    Normal,
    /// Delete everything in the state.
    Destroy,
    /// Only record in the state what changed outside gateform; change nothing in AWS.
    RefreshOnly,
}

/// Why an action was chosen, where the action alone does not say.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActionReason {
    /// Deleted because its block is gone from the configuration.
    NoResourceConfig,
    /// Replaced because something its `replace_triggered_by` names changes.
    ReplaceByTriggers,
    /// Replaced because `-replace` names it.
    ReplaceByRequest,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResourceChange {
    pub address: Address,
    pub action: Action,
    /// The attributes in the state; `None` when the resource does not exist yet.
    pub before: Option<Object>,
    /// The attributes after apply, `Unknown` where AWS decides; `None` when it is deleted.
    pub after: Option<Object>,
    pub reason: Option<ActionReason>,
    /// The attributes whose change forces the replacement.
    pub replace_paths: BTreeSet<String>,
    /// What the configuration makes it depend on.
    pub dependencies: Addresses,
    /// What it depended on when it was last applied.
    pub prior_dependencies: Addresses,
    /// The address it had in the state, when a `moved` block gives it a new one.
    #[serde(default)]
    pub moved_from: Option<Address>,
    /// A `removed` block: the object stays in AWS and leaves the state.
    #[serde(default)]
    pub forget: bool,
    /// Arguments made from sensitive values: plans show that they change, never what they are.
    #[serde(default)]
    pub sensitive: BTreeSet<String>,
    /// An `import` block brings the object in: apply records it before any change.
    #[serde(default)]
    pub importing: bool,
    /// The resource block `plan --generate-config-out` wrote for it, when it did.
    #[serde(default)]
    pub generated_config: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    NoOp,
    Create,
    Update,
    Replace(ReplaceOrder),
    Delete,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReplaceOrder {
    DeleteThenCreate,
    /// `create_before_destroy`: the new object exists before the old one goes.
    CreateThenDelete,
}

/// How many resources a plan adds, changes and destroys. A replacement counts as one add and one destroy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub import: usize,
    pub add: usize,
    pub change: usize,
    pub destroy: usize,
}

/// Plans the changes that make AWS match the configuration, starting from the refreshed state.
/// The objects in the state that `moved` blocks give a new address, by that address. A chain of
/// blocks (`a` to `b`, `b` to `c`) is followed to its end, each block once.
fn moves<'s>(
    moved: &[(Target, Target)],
    state: impl Iterator<Item = &'s Address>,
) -> BTreeMap<Address, Address> {
    let mut moves = BTreeMap::new();
    for address in state {
        let mut here = address.clone();
        let mut unused: Vec<&(Target, Target)> = moved.iter().collect();
        while let Some((position, next)) = unused
            .iter()
            .enumerate()
            .find_map(|(position, (from, to))| Some((position, from.moved(to, &here)?)))
        {
            unused.remove(position);
            here = next;
        }
        if here != *address {
            moves.entry(here).or_insert_with(|| address.clone());
        }
    }
    moves
}

pub fn plan(
    desired: &Desired,
    graph: &DepGraph,
    refreshed: Refreshed,
) -> Result<Plan, Diagnostics> {
    plan_replacing(desired, graph, refreshed, &[])
}

/// Like [`plan`], with the existing objects `replace` names replaced even where nothing asks
/// for it (`-replace=ADDR`, Terraform's successor of `taint`).
pub fn plan_replacing(
    desired: &Desired,
    graph: &DepGraph,
    refreshed: Refreshed,
    replace: &[Target],
) -> Result<Plan, Diagnostics> {
    let state = &refreshed.state;
    let mut diagnostics = Diagnostics::default();
    // The planned values of the resources walked so far.
    let mut planned: BTreeMap<Address, Object> = BTreeMap::new();
    let moves = moves(&desired.moved, state.resources.keys());
    let mut changes = Vec::new();
    for address in graph.order() {
        let resource = &desired.resources[address];
        let known = desired.known(&planned, &refreshed.data);
        let config = match resource.evaluate(&known) {
            Ok(config) => config,
            Err(problems) => {
                diagnostics.extend(problems);
                planned.insert(address.clone(), address.kind.schema().unknown_object());
                continue;
            }
        };
        // A `moved` block carries the state of its `from` address here, when nothing is here yet.
        let moved_from = match state.resources.contains_key(address) {
            true => None,
            false => moves.get(address),
        };
        let prior = state.resources.get(moved_from.unwrap_or(address));
        let ignore = resource.config.lifecycle.ignore_changes.as_ref();
        let mut change = plan_resource(
            address,
            config.clone(),
            prior.map(|prior| &prior.attributes),
            ignore,
        );
        // `replace_triggered_by`: an existing object is replaced when what it names changes.
        let triggered = resource
            .config
            .lifecycle
            .replace_triggered_by
            .iter()
            .any(|trigger| {
                let target = resource.context.address(trigger.address.clone());
                changes
                    .iter()
                    .filter(|other: &&ResourceChange| target.covers(&other.address))
                    .any(|other| match &trigger.attribute {
                        None => other.action != Action::NoOp,
                        Some(name) => {
                            let before = other.before.as_ref().and_then(|o| o.get(name));
                            let after = planned.get(&other.address).and_then(|o| o.get(name));
                            before != after || after.is_some_and(Value::has_unknown)
                        }
                    })
            });
        let requested = replace.iter().any(|target| target.covers(address));
        let reason = match (requested, triggered) {
            (true, _) => Some(ActionReason::ReplaceByRequest),
            (false, true) => Some(ActionReason::ReplaceByTriggers),
            (false, false) => None,
        };
        if reason.is_some()
            && matches!(change.action, Action::NoOp | Action::Update)
            && prior.is_some()
        {
            change = ResourceChange {
                action: Action::Replace(ReplaceOrder::DeleteThenCreate),
                after: Some(address.kind.schema().as_new(&config)),
                reason,
                ..change
            };
        }
        if let (Action::Replace(_), true) = (
            change.action,
            resource.config.lifecycle.create_before_destroy,
        ) {
            change.action = Action::Replace(ReplaceOrder::CreateThenDelete);
        }
        // The planned object stays in `planned` while expressions may read it, and then moves
        // into its change.
        planned.insert(address.clone(), change.after.take().unwrap_or_default());
        changes.push(ResourceChange {
            dependencies: resource.dependencies.clone(),
            prior_dependencies: prior
                .map(|prior| prior.dependencies.clone())
                .unwrap_or_default(),
            moved_from: moved_from.cloned(),
            forget: false,
            sensitive: resource.sensitive(),
            importing: refreshed.imported.contains(address),
            ..change
        });
    }
    let moved: BTreeSet<Address> = changes
        .iter()
        .filter_map(|change| change.moved_from.clone())
        .collect();
    for (address, prior) in &state.resources {
        if desired.resources.contains_key(address) || moved.contains(address) {
            continue;
        }
        match desired.forgotten.contains(address) {
            true => changes.push(ResourceChange {
                action: Action::NoOp,
                forget: true,
                ..delete(address, prior)
            }),
            false => changes.push(ResourceChange {
                reason: Some(ActionReason::NoResourceConfig),
                ..delete(address, prior)
            }),
        }
    }
    changes.sort_by(|a, b| a.address.cmp(&b.address));
    // The root module's outputs, from the planned values.
    let mut outputs: BTreeMap<String, OutputChange> = state
        .outputs
        .iter()
        .map(|(name, output)| {
            let change = OutputChange {
                before: Some(output.value.clone()),
                after: None,
                sensitive: output.sensitive,
            };
            (name.clone(), change)
        })
        .collect();
    for (name, argument) in &desired.context.outputs {
        let known = desired.known(&planned, &refreshed.data);
        let after = crate::eval::evaluate(
            &argument.expr,
            argument.value_span.file,
            &desired.context,
            &known,
        );
        match after {
            Ok(after) => {
                let before = state.outputs.get(name).map(|output| output.value.clone());
                let sensitive = desired.sensitive_outputs.contains(name);
                let change = OutputChange {
                    before,
                    after: Some(after),
                    sensitive,
                };
                outputs.insert(name.clone(), change);
            }
            Err(problem) => diagnostics.push(problem),
        }
    }
    for change in &mut changes {
        if let Some(after) = planned.remove(&change.address) {
            change.after = Some(after);
        }
    }
    diagnostics.into_result(Plan {
        mode: Mode::Normal,
        drift: drift(&refreshed, desired),
        changes,
        outputs,
        deposed: refreshed.state.deposed.clone(),
        ..Plan::from(refreshed)
    })
}

impl From<Refreshed> for Plan {
    /// A plan of no change, made from what refresh read.
    fn from(refreshed: Refreshed) -> Plan {
        Plan {
            mode: Mode::Normal,
            refreshed: refreshed.refreshed,
            drift: Vec::new(),
            changes: Vec::new(),
            prior: refreshed.state,
            assumed_base: None,
            targets: Vec::new(),
            outputs: BTreeMap::new(),
            deposed: Vec::new(),
            data: refreshed.data,
            journal: refreshed.journal,
        }
    }
}

/// Plans only the recording of drift: no change to any object.
pub fn plan_refresh_only(refreshed: Refreshed, desired: &Desired) -> Plan {
    Plan {
        mode: Mode::RefreshOnly,
        drift: drift(&refreshed, desired),
        ..Plan::from(refreshed)
    }
}

/// Plans the deletion of everything in the state.
pub fn plan_destroy(refreshed: Refreshed, desired: &Desired) -> Plan {
    let state = &refreshed.state;
    Plan {
        mode: Mode::Destroy,
        drift: drift(&refreshed, desired),
        changes: state
            .resources
            .iter()
            .map(|(address, prior)| delete(address, prior))
            .collect(),
        deposed: state.deposed.clone(),
        outputs: state
            .outputs
            .iter()
            .map(|(name, output)| {
                let change = OutputChange {
                    before: Some(output.value.clone()),
                    after: None,
                    sensitive: output.sensitive,
                };
                (name.clone(), change)
            })
            .collect(),
        ..Plan::from(refreshed)
    }
}

fn delete(address: &Address, prior: &crate::state::ResourceState) -> ResourceChange {
    ResourceChange {
        address: address.clone(),
        action: Action::Delete,
        before: Some(prior.attributes.clone()),
        after: None,
        reason: None,
        replace_paths: BTreeSet::new(),
        dependencies: Addresses::default(),
        prior_dependencies: prior.dependencies.clone(),
        moved_from: None,
        forget: false,
        sensitive: BTreeSet::new(),
        importing: false,
        generated_config: None,
    }
}

/// Compares one resource's configuration with its prior attributes.
fn plan_resource(
    address: &Address,
    config: Object,
    prior: Option<&Object>,
    ignore: Option<&IgnoreChanges>,
) -> ResourceChange {
    let kind = address.kind;
    let schema = kind.schema();
    let change = |action, after, replace_paths| ResourceChange {
        address: address.clone(),
        action,
        before: prior.cloned(),
        after: Some(after),
        reason: None,
        replace_paths,
        dependencies: Addresses::default(),
        prior_dependencies: Addresses::default(),
        moved_from: None,
        forget: false,
        sensitive: BTreeSet::new(),
        importing: false,
        generated_config: None,
    };
    let as_new = schema.as_new(&config);
    let Some(prior) = prior else {
        return change(Action::Create, as_new, BTreeSet::new());
    };
    let mut proposed = schema.take_chosen(&config, prior);
    // `ignore_changes`: those arguments keep what the object has.
    for (name, value) in proposed.iter_mut() {
        if ignores(ignore, name) {
            *value = prior.get(name).cloned().unwrap_or(Value::Null);
        }
    }
    let changed: BTreeSet<String> = proposed
        .iter()
        .filter(|(name, value)| prior.get(*name).unwrap_or(&Value::Null) != *value)
        .map(|(name, _)| name.clone())
        .collect();
    let replace_paths: BTreeSet<String> = changed
        .iter()
        .filter(|name| schema.forces_replacement(name))
        .cloned()
        .collect();
    if !replace_paths.is_empty() {
        change(
            Action::Replace(ReplaceOrder::DeleteThenCreate),
            as_new,
            replace_paths,
        )
    } else if !changed.is_empty() {
        change(Action::Update, proposed, BTreeSet::new())
    } else {
        change(Action::NoOp, proposed, BTreeSet::new())
    }
}

/// Whether `lifecycle { ignore_changes }` covers the argument or block `name`.
fn ignores(ignore: Option<&IgnoreChanges>, name: &str) -> bool {
    match ignore {
        None => false,
        Some(IgnoreChanges::All) => true,
        // `tags_all` is made from `tags`: ignoring one ignores both.
        Some(IgnoreChanges::Attributes(names)) => {
            names.contains(name) || (name == "tags_all" && names.contains("tags"))
        }
    }
}

/// The drift refresh found, less what `ignore_changes` hides, with sensitive arguments marked.
fn drift(refreshed: &Refreshed, desired: &Desired) -> Vec<Drift> {
    refreshed
        .drift
        .iter()
        .filter(|drift| !ignored_drift(drift, desired))
        .map(|drift| Drift {
            sensitive: desired
                .resources
                .get(&drift.address)
                .map(DesiredResource::sensitive)
                .unwrap_or_default(),
            ..drift.clone()
        })
        .collect()
}

/// Drift the configuration says to ignore: every attribute that changed is ignored.
fn ignored_drift(drift: &Drift, desired: &Desired) -> bool {
    let (Some(after), Some(resource)) = (&drift.after, desired.resources.get(&drift.address))
    else {
        return false;
    };
    let ignore = resource.config.lifecycle.ignore_changes.as_ref();
    drift
        .before
        .iter()
        .filter(|(name, value)| after.get(*name) != Some(value))
        .all(|(name, _)| ignores(ignore, name))
}

/// `lifecycle { prevent_destroy = true }`: a plan that would destroy such a resource, or
/// replace it, is an error naming it.
pub fn check_prevent_destroy(plan: &Plan, desired: &Desired) -> Result<(), Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    for change in &plan.changes {
        if !matches!(change.action, Action::Delete | Action::Replace(_)) {
            continue;
        }
        let Some(resource) = desired.resources.get(&change.address) else {
            continue;
        };
        if let Some(span) = &resource.config.lifecycle.prevent_destroy {
            diagnostics.push(
                crate::diag::Diagnostic::error(format!(
                    "`{}` has lifecycle.prevent_destroy set, but the plan would {} it",
                    change.address,
                    match change.action {
                        Action::Delete => "destroy",
                        _ => "replace",
                    }
                ))
                .at(span.clone())
                .hint("remove `prevent_destroy`, or change the configuration so that the resource is kept"),
            );
        }
    }
    diagnostics.into_result(())
}

impl ResourceChange {
    /// Whether applying it does anything: a change in AWS, or one in the state alone (a move, an
    /// import, a forgotten object).
    pub fn does_something(&self) -> bool {
        self.action != Action::NoOp || self.moved_from.is_some() || self.forget || self.importing
    }
}

impl Plan {
    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for change in &self.changes {
            if change.importing {
                counts.import += 1;
            }
            match change.action {
                Action::NoOp => {}
                Action::Create => counts.add += 1,
                Action::Update => counts.change += 1,
                Action::Replace(_) => {
                    counts.add += 1;
                    counts.destroy += 1;
                }
                Action::Delete => counts.destroy += 1,
            }
        }
        counts.destroy += self.deposed.len();
        counts
    }

    /// Whether applying the plan would change anything: an object in AWS, or, for a refresh-only
    /// plan, the state.
    pub fn has_changes(&self) -> bool {
        match self.mode {
            Mode::RefreshOnly => !self.drift.is_empty() || !self.journal.is_empty(),
            Mode::Normal | Mode::Destroy => {
                self.changes.iter().any(ResourceChange::does_something)
                    || self.outputs.values().any(OutputChange::changed)
                    || !self.deposed.is_empty()
            }
        }
    }

    /// The plan limited to the resources `targets` name and what they depend on; in a destroy
    /// plan, to them and what depends on them, which must go first.
    pub fn target(mut self, targets: Vec<Target>) -> Result<Plan, UnknownTarget> {
        if targets.is_empty() {
            return Ok(self);
        }
        let mut included: BTreeSet<Address> = BTreeSet::new();
        for target in &targets {
            let matched: Vec<&Address> = self
                .changes
                .iter()
                .map(|change| &change.address)
                .filter(|address| target.covers(address))
                .collect();
            if matched.is_empty() {
                return Err(UnknownTarget(target.clone()));
            }
            included.extend(matched.into_iter().cloned());
        }
        let depends_on = |change: &ResourceChange| -> BTreeSet<Address> {
            change
                .dependencies
                .iter()
                .chain(&change.prior_dependencies)
                .cloned()
                .collect()
        };
        loop {
            let before = included.len();
            for change in &self.changes {
                let dependencies = depends_on(change);
                match self.mode {
                    Mode::Destroy => {
                        if dependencies
                            .iter()
                            .any(|address| included.contains(address))
                        {
                            included.insert(change.address.clone());
                        }
                    }
                    Mode::Normal | Mode::RefreshOnly => {
                        if included.contains(&change.address) {
                            included.extend(dependencies);
                        }
                    }
                }
            }
            if included.len() == before {
                break;
            }
        }
        self.changes
            .retain(|change| included.contains(&change.address));
        self.drift.retain(|drift| included.contains(&drift.address));
        self.deposed
            .retain(|deposed| included.contains(&deposed.address));
        self.targets = targets;
        Ok(self)
    }

    /// Checks what apply relies on: changes in address order, each with the objects its action
    /// needs, and every object to create or change declared in `desired`.
    pub fn check(&self, desired: &Desired) -> Result<(), InvalidPlan> {
        if let Some(pair) = self
            .changes
            .windows(2)
            .find(|pair| pair[0].address >= pair[1].address)
        {
            return Err(InvalidPlan(format!(
                "its changes are not in address order (`{}` before `{}`)",
                pair[0].address, pair[1].address
            )));
        }
        for change in &self.changes {
            let address = &change.address;
            let (needs_before, needs_after) = match change.action {
                Action::NoOp | Action::Create => (false, change.action == Action::Create),
                Action::Update | Action::Replace(_) => (true, true),
                Action::Delete => (true, false),
            };
            if needs_before && change.before.is_none() {
                return Err(InvalidPlan::no_object(address));
            }
            if needs_after && (change.after.is_none() || !desired.resources.contains_key(address)) {
                return Err(InvalidPlan::not_configured(address));
            }
        }
        Ok(())
    }

    /// The change for `address`. Changes are kept in address order, so this is a binary search.
    pub fn change(&self, address: &Address) -> Option<&ResourceChange> {
        self.changes
            .binary_search_by(|change| change.address.cmp(address))
            .ok()
            .map(|index| &self.changes[index])
    }
}
