//! Exactly-once creates: the journal's lookups, and creates that retry through them.
//!
//! Apply records an intent before each create is sent ([`Store::intend`]), and the transaction
//! that records AWS's answer replaces the intent with the object. An intent still in the state
//! means the answer was lost: the run died, or the call failed without saying whether it did its
//! work (a 5xx, a timeout, a connection lost). Then the object may exist, and only AWS can say:
//! [`find`] looks for it with the list call refresh makes under its parent, by the kind's natural
//! key (`Schema::natural_key`), among the objects no state entry holds. [`resolve`] settles every
//! intent a state holds before a plan is made, and [`create`] looks before it sends a create
//! again, so that no failure, retry or kill leaves an object in AWS the state does not know, or
//! makes one twice.
//!
//! [`Store::intend`]: crate::state::store::Store::intend

use std::collections::BTreeSet;
use std::time::{Duration, SystemTime};

use crate::addr::Address;
use crate::aws::{Aws, Cause, Listed, Parents, RemoteError, Remotes};
use crate::schema::{Default, Kind, Presence};
use crate::state::{Intent, Resolution, ResourceState, State};
use crate::value::{Object, Value};

/// How far AWS's clock may be behind this machine's: an object AWS says it made up to this long
/// before the intent was written may still be the intent's.
const CLOCK_SKEW: Duration = Duration::from_secs(300);

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error(transparent)]
    Remote(#[from] RemoteError),
    #[error(
        "an apply that was interrupted was creating `{address}`, and gateform cannot look for what it made ({error}); it plans nothing until it can, since it might make the object twice. Try again; if the object exists, `gateform import {address} ID` also settles it"
    )]
    Lookup {
        address: Box<Address>,
        error: RemoteError,
    },
    #[error(
        "`{address}` was being created by an apply that was interrupted, and AWS has {} objects that match it: {}. gateform cannot tell which one that apply made. Keep one with `gateform import {address} ID` (which also settles the interrupted create) and delete the others in AWS",
        .ids.len(),
        .ids.iter().map(|id| format!("`{id}`")).collect::<Vec<_>>().join(", ")
    )]
    Ambiguous { address: Address, ids: Vec<String> },
}

/// How long after its intent a create may still land in AWS: a request the process that died sent
/// just before it died is still being served for a moment. An intent younger than this whose
/// object is not found is looked up again once it is this old, before it is dropped.
const SETTLE: Duration = Duration::from_secs(10);

/// Looks up every intent `state` holds, before anything else: what exists is adopted into
/// `state.resources`; what does not is noted, for apply to drop. The intents stay in
/// `state.pending` until apply records the resolutions. `waiting` hears of each wait for an
/// intent to settle.
pub async fn resolve(
    state: &mut State,
    remotes: &Remotes,
    mut waiting: impl FnMut(&Address, Duration),
) -> Result<Vec<Resolution>, JournalError> {
    let mut taken = held_ids(state);
    let mut resolutions = Vec::new();
    for (index, intent) in state.pending.iter().enumerate() {
        let arguments = &intent.resource.attributes;
        let aws = remotes.region(arguments.get("region").and_then(Value::as_str))?;
        let since =
            humantime::parse_rfc3339_weak(&intent.created).unwrap_or(SystemTime::UNIX_EPOCH);
        let lookup = || async {
            find(&aws, intent.address.kind, arguments, since, &|kind, id| {
                taken.contains(&(kind, id.to_owned()))
            })
            .await
            .map_err(|error| JournalError::Lookup {
                address: Box::new(intent.address.clone()),
                error,
            })
        };
        let mut found = lookup().await?;
        let age = since.elapsed().unwrap_or(SETTLE);
        if found.is_empty() && age < SETTLE {
            waiting(&intent.address, SETTLE - age);
            tokio::time::sleep(SETTLE - age).await;
            found = lookup().await?;
        }
        // Intents with the same key (two identical integrations created at once) share the
        // objects found, in the order they were made.
        let twins = state.pending[index..]
            .iter()
            .filter(|other| same_key(other, intent))
            .count();
        let resolution = match found.len() {
            0 => Resolution::Absent {
                address: intent.address.clone(),
            },
            count if count <= twins => {
                let object = found.remove(0);
                taken.insert((intent.address.kind, id(&object).to_owned()));
                let resource = ResourceState {
                    attributes: object,
                    dependencies: intent.resource.dependencies.clone(),
                };
                Resolution::Adopted {
                    address: intent.address.clone(),
                    resource,
                    replaced: state.resources.get(&intent.address).cloned(),
                }
            }
            _ => {
                return Err(JournalError::Ambiguous {
                    address: intent.address.clone(),
                    ids: found.iter().map(|object| id(object).to_owned()).collect(),
                });
            }
        };
        resolutions.push(resolution);
    }
    for resolution in &resolutions {
        if let Resolution::Adopted {
            address,
            resource,
            replaced,
        } = resolution
        {
            state.resources.insert(address.clone(), resource.clone());
            if let Some(old) = replaced {
                state.deposed.push(crate::state::Deposed {
                    address: address.clone(),
                    resource: old.clone(),
                });
            }
        }
    }
    Ok(resolutions)
}

/// The objects of `kind` that AWS holds and that match a create's `arguments` by the kind's
/// natural key, made no earlier than `since` where AWS says when, and not among `taken`: each as
/// the state would have recorded it had the create answered. Oldest first.
pub async fn find(
    aws: &Aws,
    kind: Kind,
    arguments: &Object,
    since: SystemTime,
    taken: &dyn Fn(Kind, &str) -> bool,
) -> Result<Vec<Object>, RemoteError> {
    let parents = Parents::new(kind.ancestry().iter().map(|parent| {
        (
            parent.attribute,
            text(arguments, parent.attribute).to_owned(),
        )
    }));
    let listed = match aws.list(kind, &parents).await {
        Ok(listed) => listed,
        // What it would live under is gone, and it with it.
        Err(error) if error.cause() == Cause::NotFound => Vec::new(),
        Err(error) => return Err(error),
    };
    let mut candidates: Vec<Listed> = listed
        .into_iter()
        // Made by AWS itself: quick create's objects, a stage's automatic deployments.
        .filter(|object| !object.managed_by_aws)
        .filter(|object| object.attributes.get("auto_deployed") != Some(&Value::Bool(true)))
        .filter(|object| !taken(kind, id(&object.attributes)))
        .filter(|object| {
            object
                .created
                .is_none_or(|created| created + CLOCK_SKEW >= since)
        })
        .filter(|object| matches(kind, arguments, &object.attributes))
        .collect();
    candidates.sort_by_key(|object| object.created);
    let mut found = Vec::new();
    for candidate in candidates {
        found.push(
            aws.as_created(kind, arguments, &candidate.attributes)
                .await?,
        );
    }
    Ok(found)
}

/// Creates `address` from `config`, trying again while AWS is busy, or after an unknown outcome
/// once a lookup has shown that the failed attempt made nothing, up to `attempts` times in
/// all. A lost answer (a timeout, a dropped connection) is followed by a new attempt only for
/// kinds whose key AWS keeps unique: for the others the request may still be under way, and a
/// second one could make a twin. `taken` holds the ids the state already has. Returns the
/// object, and the failure whose object the lookup found, if it was found rather than made.
pub async fn create(
    aws: &Aws,
    address: &Address,
    config: &Object,
    taken: &dyn Fn(Kind, &str) -> bool,
    attempts: u32,
) -> Result<(Object, Option<RemoteError>), CreateError> {
    let since = SystemTime::now();
    let unique = address.kind.schema().natural_key.unique;
    let mut backoff = Backoff::default();
    let mut may_exist = false;
    let (mut attempt, mut busy) = (1, 0);
    loop {
        if attempt + busy > 1 {
            aws.retrying();
        }
        let error = match aws.create(address, config).await {
            Ok(attributes) => return Ok((attributes, None)),
            Err(error) => error,
        };
        let cause = error.cause();
        if error.after_create() {
            return Err(CreateError {
                error,
                may_exist: true,
            });
        }
        may_exist |= cause.may_have_succeeded();
        let again = match cause {
            Cause::Busy | Cause::Failed | Cause::Unavailable => true,
            Cause::Lost => unique,
            Cause::NotFound | Cause::Incomplete | Cause::Other => false,
        };
        if cause.may_have_succeeded() || again {
            tokio::time::sleep(backoff.next()).await;
        }
        if cause.may_have_succeeded() {
            let found = find(aws, address.kind, config, since, taken)
                .await
                .map_err(|lookup| CreateError {
                    error: lookup,
                    may_exist: true,
                })?;
            match found.len() {
                0 => {}
                1 => return Ok((found.into_iter().next().expect("one"), Some(error))),
                // More than one made since this create began: not this run's to choose.
                _ => return Err(CreateError { error, may_exist }),
            }
        }
        // An answer that turned the create away did nothing: it is tried again more often
        // than a failure, so that another tool spending the account's quota does not fail it.
        let spent = match cause {
            Cause::Busy => {
                busy += 1;
                busy >= BUSY_ATTEMPTS
            }
            _ => {
                attempt += 1;
                attempt > attempts
            }
        };
        if spent || !again {
            return Err(CreateError { error, may_exist });
        }
    }
}

/// How many times a create is sent while AWS turns it away (throttled, or the api busy).
const BUSY_ATTEMPTS: u32 = 10;

/// A create that failed for good: `may_exist` when its last attempt may have made the object,
/// whose intent then stays for the next run to look up.
#[derive(Debug)]
pub struct CreateError {
    pub error: RemoteError,
    pub may_exist: bool,
}

/// Exponential backoff with full jitter: a random wait up to 100 ms, then up to 200 ms, doubling
/// to at most 10 s.
#[derive(Default)]
struct Backoff {
    attempt: u32,
}

impl Backoff {
    fn next(&mut self) -> Duration {
        let ceiling = Duration::from_millis(100)
            .saturating_mul(1 << self.attempt.min(7))
            .min(Duration::from_secs(10));
        self.attempt += 1;
        ceiling.mul_f64(jitter())
    }
}

/// A number in [0, 1), different on every call.
fn jitter() -> f64 {
    let seed = uuid::Uuid::new_v4().as_u128() as u64;
    (seed >> 11) as f64 / (1u64 << 53) as f64
}

/// Ids of objects, by kind: what no lookup may take for the object of a create.
pub type Taken = BTreeSet<(Kind, String)>;

/// The ids of every object the state holds, by kind.
pub fn held_ids(state: &State) -> Taken {
    state
        .objects()
        .map(|(address, resource)| (address.kind, resource.id().to_owned()))
        .collect()
}

/// Whether `listed` has the natural key the create's `arguments` set. Where the create left an
/// argument to AWS (Optional+Computed), anything matches; where it left one unset, AWS must hold
/// it unset or at its default.
fn matches(kind: Kind, arguments: &Object, listed: &Object) -> bool {
    let schema = kind.schema();
    schema.natural_key.attributes.iter().all(|name| {
        let Some(attribute) = schema.attribute(name) else {
            return true;
        };
        let normal = |object: &Object| {
            attribute.normalize(object.get(*name).cloned().unwrap_or(Value::Null))
        };
        let (wanted, held) = (normal(arguments), normal(listed));
        match wanted {
            Value::Null if attribute.presence == Presence::OptionalComputed => true,
            Value::Null => held.is_null() || Some(held) == attribute.default.map(Default::value),
            wanted if wanted.has_unknown() => true,
            wanted => held == wanted,
        }
    })
}

/// Whether two intents would find the same objects.
fn same_key(one: &Intent, other: &Intent) -> bool {
    let (a, b) = (&one.resource.attributes, &other.resource.attributes);
    let kind = one.address.kind;
    kind == other.address.kind
        && a.get("region") == b.get("region")
        && kind
            .ancestry()
            .iter()
            .map(|parent| parent.attribute)
            .chain(kind.schema().natural_key.attributes.iter().copied())
            .all(|name| a.get(name) == b.get(name))
}

fn id(object: &Object) -> &str {
    text(object, "id")
}

fn text<'a>(object: &'a Object, name: &str) -> &'a str {
    object.get(name).and_then(Value::as_str).unwrap_or_default()
}
