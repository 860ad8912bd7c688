//! The state: what gateform made in AWS, as plain data. [`store`] is the only code that knows SQL.

pub mod store;

use std::collections::{BTreeMap, BTreeSet};

use crate::addr::{Address, Addresses};
use crate::value::Object;

#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct State {
    /// Fixed for the life of a state file; `None` before the first apply creates one.
    pub lineage: Option<String>,
    /// Bumped on every write.
    pub serial: u64,
    pub resources: BTreeMap<Address, ResourceState>,
    /// The root module's output values, as the last apply left them.
    #[serde(default)]
    pub outputs: BTreeMap<String, OutputState>,
    /// Old objects of `create_before_destroy` replacements that stopped before deleting them.
    #[serde(default)]
    pub deposed: Vec<Deposed>,
    /// Creates an earlier run sent and never recorded the answer to.
    #[serde(default)]
    pub pending: Vec<Intent>,
}

/// A create that was sent to AWS, or about to be, by a run that has not recorded its answer: the
/// object may exist. The next plan or apply looks it up ([`crate::journal`]).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Intent {
    pub address: Address,
    /// The arguments the create sends, and what the resource depends on.
    pub resource: ResourceState,
    /// When the create was about to be sent, as RFC 3339.
    pub created: String,
}

/// What the lookup of an intent found.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Resolution {
    /// The object exists: it enters the state as if its create had answered.
    Adopted {
        address: Address,
        resource: ResourceState,
        /// The object the address held, when the create was a `create_before_destroy`
        /// replacement's: it becomes deposed, as apply would have made it.
        #[serde(default)]
        replaced: Option<ResourceState>,
    },
    /// AWS has no such object: the create never reached it, and the intent is dropped.
    Absent { address: Address },
}

impl Resolution {
    pub fn address(&self) -> &Address {
        match self {
            Resolution::Adopted { address, .. } | Resolution::Absent { address } => address,
        }
    }
}

/// An object a `create_before_destroy` replacement replaced and has not deleted yet: the next plan
/// destroys it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Deposed {
    /// The address of the resource it was.
    pub address: Address,
    pub resource: ResourceState,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct OutputState {
    pub value: crate::value::Value,
    pub sensitive: bool,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ResourceState {
    /// Every attribute of the resource's schema, `Null` when unset.
    pub attributes: Object,
    /// What it depended on when it was applied, so it can be deleted in the right order after its
    /// block is gone.
    pub dependencies: Addresses,
}

impl State {
    /// Gives `region` to every object without one: states written before gateform kept regions
    /// hold only objects of the default provider configuration's region.
    pub fn assume_region(&mut self, region: &str) {
        let deposed = self.deposed.iter_mut().map(|deposed| &mut deposed.resource);
        for resource in self.resources.values_mut().chain(deposed) {
            let recorded = resource
                .attributes
                .entry("region".to_owned())
                .or_insert(crate::value::Value::Null);
            if recorded.is_null() {
                *recorded = crate::value::Value::String(region.to_owned());
            }
        }
    }
}

impl State {
    /// Every object the state knows of in AWS: the resources, and the deposed objects.
    pub fn objects(&self) -> impl Iterator<Item = (&Address, &ResourceState)> {
        let deposed = self
            .deposed
            .iter()
            .map(|deposed| (&deposed.address, &deposed.resource));
        self.resources.iter().chain(deposed)
    }
}

impl ResourceState {
    /// The id AWS gave the resource.
    pub fn id(&self) -> &str {
        self.attributes
            .get("id")
            .and_then(|id| id.as_str())
            .unwrap_or_default()
    }
}

/// The state as AWS has it now, and what changed outside gateform to make it so.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Refreshed {
    pub state: State,
    pub drift: Vec<Drift>,
    /// Whether AWS was read; false for `--refresh=false`.
    pub refreshed: bool,
    /// Objects `import` blocks brought into `state` for this plan; apply records them.
    pub imported: BTreeSet<Address>,
    /// The data sources' values, by address (`data.TYPE.NAME`), as read for this plan.
    pub data: BTreeMap<String, crate::value::Value>,
    /// What the lookups of the creates an interrupted apply left found; adopted objects are in
    /// `state` already. Apply records them.
    pub journal: Vec<Resolution>,
}

/// A resource that changed outside gateform since it was last applied.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Drift {
    pub address: Address,
    /// The attributes in the state.
    pub before: Object,
    /// The attributes in AWS; `None` when the object was deleted.
    pub after: Option<Object>,
    /// What it depended on when it was applied, kept when the drift is recorded.
    pub dependencies: Addresses,
    /// Its arguments made from sensitive values, shown as `(sensitive value)`: the planner marks
    /// them from the configuration.
    #[serde(default)]
    pub sensitive: BTreeSet<String>,
}

impl Refreshed {
    /// The state as it is, for `--refresh=false`: nothing read, no drift.
    pub fn skipped(state: State) -> Refreshed {
        Refreshed {
            state,
            drift: Vec::new(),
            refreshed: false,
            imported: Default::default(),
            data: BTreeMap::new(),
            journal: Vec::new(),
        }
    }
}
