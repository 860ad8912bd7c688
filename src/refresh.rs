//! Refresh: what really exists in AWS, merged into the state before planning.
//!
//! Reads are batched and follow where each kind lives ([`crate::schema::Schema::parent`]): one
//! list call per kind in the region for what lives there (GetApis), then one list call per kind
//! under each parent object that still exists (GetRoutes per api, GetRouteResponses per route),
//! following NextToken. The cost grows with the number of parents and pages, not with the number
//! of objects, where Terraform makes one Get per resource. [`reconcile`] is pure: it merges what
//! was read into the state and records every difference as drift.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::aws::{Aws, Cause, Listed, Parents, RemoteError, Remotes};
use crate::eval::Context;
use crate::resolve::DataSource;
use crate::schema::{Attribute, BlockSchema, DataKind, ImportId, Kind, Nesting};
use crate::state::{Drift, Refreshed, State};
use crate::value::{Object, Value, block_elements};

/// Where an object lives in AWS: its region, kind, and the ids of what it lives under and its own,
/// outermost first (`[api_id, route_id, id]` for a route response).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct RemoteKey {
    region: String,
    kind: Kind,
    path: Vec<String>,
}

/// The objects read from AWS, by where they live.
pub type Live = BTreeMap<RemoteKey, Object>;

impl RemoteKey {
    /// The key of what this object lives under.
    fn parent(&self) -> Option<RemoteKey> {
        let parent = self.kind.schema().parent?;
        Some(RemoteKey {
            region: self.region.clone(),
            kind: parent.kind,
            path: self.path[..self.path.len() - 1].to_vec(),
        })
    }

    /// The ids of what objects of `kind` under this object live under: this object's path, by
    /// the attributes of `kind`'s ancestry.
    fn parents_of(&self, kind: Kind) -> Parents {
        let ancestry = kind.ancestry();
        Parents::new(
            ancestry
                .iter()
                .map(|parent| parent.attribute)
                .zip(self.path.iter().cloned()),
        )
    }
}

/// Reads every object the state knows of from AWS, in the region each lives in, and merges it
/// in. An empty state needs no AWS. Regions are read at the same time, and in each, up to
/// `parallelism` list calls at once; the account's rate limiter paces them all.
pub async fn refresh(
    state: State,
    remotes: &Remotes,
    parallelism: usize,
) -> Result<Refreshed, RemoteError> {
    let regions: BTreeSet<Option<&str>> = state
        .objects()
        .map(|(_, resource)| resource.attributes.get("region").and_then(Value::as_str))
        .collect();
    let mut readers = Vec::new();
    for region in regions {
        let aws = remotes.region(region)?;
        let state = &state;
        readers.push(async move { read_region(state, &aws, parallelism).await });
    }
    let mut live = Live::new();
    for region in futures_util::future::try_join_all(readers).await? {
        live.extend(region);
    }
    Ok(Refreshed {
        refreshed: true,
        ..reconcile(state, &live)
    })
}

/// Reads the objects the state knows of in `aws`'s region: each kind once per parent that the
/// state's objects live under and that still exists, outermost kinds first. The lists of one
/// depth (the routes, integrations and stages of every api) go out together.
async fn read_region(state: &State, aws: &Aws, parallelism: usize) -> Result<Live, RemoteError> {
    use futures_util::{StreamExt as _, TryStreamExt as _};
    // Every object to read: the state's, and what they live under.
    let mut wanted: BTreeSet<RemoteKey> = BTreeSet::new();
    for (address, resource) in state.objects() {
        let mut key = remote_key(address.kind, &resource.attributes);
        while let Some(known) = key.filter(|key| key.region == aws.region()) {
            key = known.parent();
            wanted.insert(known);
        }
    }
    let mut depths: BTreeMap<usize, Vec<Kind>> = BTreeMap::new();
    for kind in Kind::ALL {
        depths.entry(kind.ancestry().len()).or_default().push(kind);
    }
    let mut live = Live::new();
    for kinds in depths.values() {
        // The lists to make: each kind under each parent its wanted objects live under (`None`
        // for the region), where that parent still exists.
        let mut lists: BTreeMap<(Kind, Option<RemoteKey>), Vec<&RemoteKey>> = BTreeMap::new();
        for key in wanted.iter().filter(|key| kinds.contains(&key.kind)) {
            let parent = key.parent();
            if parent
                .as_ref()
                .is_none_or(|parent| live.contains_key(parent))
            {
                lists.entry((key.kind, parent)).or_default().push(key);
            }
        }
        let read: Vec<Vec<(RemoteKey, Object)>> = futures_util::stream::iter(lists)
            .map(|((kind, parent), keys)| read_under(aws, kind, parent, keys))
            .buffered(parallelism.max(1))
            .try_collect()
            .await?;
        live.extend(read.into_iter().flatten());
    }
    Ok(live)
}

/// The objects of `kind` under `parent`: one list call, or for an endpoint without it, one Get
/// per object the state knows of (`keys`).
async fn read_under(
    aws: &Aws,
    kind: Kind,
    parent: Option<RemoteKey>,
    keys: Vec<&RemoteKey>,
) -> Result<Vec<(RemoteKey, Object)>, RemoteError> {
    let parents = parent
        .as_ref()
        .map_or_else(Parents::default, |parent| parent.parents_of(kind));
    match aws.list(kind, &parents).await {
        Ok(objects) => Ok(objects
            .into_iter()
            .filter_map(|object| Some((remote_key(kind, &object.attributes)?, object.attributes)))
            .collect()),
        Err(RemoteError::Read {
            cause: Cause::Unavailable,
            ..
        }) => {
            let mut found = Vec::new();
            for key in keys {
                let id = key.path.last().map_or("", String::as_str);
                if let Some(object) = aws.get(kind, &parents, id).await? {
                    found.push((key.clone(), object));
                }
            }
            Ok(found)
        }
        Err(error) => Err(error),
    }
}

/// Merges what AWS reported into the state. A resource AWS no longer has leaves the state; one that
/// differs takes AWS's values, except for attributes AWS never reports.
pub fn reconcile(mut state: State, live: &Live) -> Refreshed {
    let mut drift = Vec::new();
    let mut gone = Vec::new();
    for (address, resource) in &mut state.resources {
        let Some(key) = remote_key(address.kind, &resource.attributes) else {
            continue;
        };
        let schema = address.kind.schema();
        match live.get(&key) {
            None => {
                drift.push(Drift {
                    address: address.clone(),
                    before: resource.attributes.clone(),
                    after: None,
                    dependencies: resource.dependencies.clone(),
                    sensitive: BTreeSet::new(),
                });
                gone.push(address.clone());
            }
            Some(found) => {
                let merged = merge(
                    schema.attributes,
                    schema.blocks,
                    &resource.attributes,
                    found,
                );
                if merged != resource.attributes {
                    drift.push(Drift {
                        address: address.clone(),
                        before: std::mem::replace(&mut resource.attributes, merged.clone()),
                        after: Some(merged),
                        dependencies: resource.dependencies.clone(),
                        sensitive: BTreeSet::new(),
                    });
                }
            }
        }
    }
    for address in gone {
        state.resources.remove(&address);
    }
    // A deposed object deleted since is one less to delete.
    state.deposed.retain(|deposed| {
        remote_key(deposed.address.kind, &deposed.resource.attributes)
            .is_some_and(|key| live.contains_key(&key))
    });
    Refreshed {
        state,
        drift,
        refreshed: true,
        imported: Default::default(),
        data: BTreeMap::new(),
        journal: Vec::new(),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(
        "there is no {kind} with id `{id}`{within} in {region} (an object in another region is imported as `ID@REGION`)"
    )]
    NotFound {
        kind: Kind,
        id: String,
        /// Which api was searched, for objects that belong to one.
        within: String,
        region: String,
    },
    #[error(
        "the {kind} `{id}` was made by AWS itself (quick create, ApiGatewayManaged) and cannot be imported: it belongs to its api's `route_key` and `target`"
    )]
    ManagedByAws { kind: Kind, id: String },
    #[error(transparent)]
    Remote(#[from] RemoteError),
}

/// Reads the object an import id names, as the state records it: through the same merge as
/// refresh, so importing objects that match the configuration leaves nothing to plan. Of its
/// tags, those equal to its provider's `default_tags` are not its own.
pub async fn import(
    kind: Kind,
    id: &ImportId,
    aws: &Aws,
    default_tags: &BTreeMap<String, Value>,
) -> Result<Object, ImportError> {
    let parents = Parents::new(
        id.parents()
            .into_iter()
            .map(|(parent, parent_id)| (parent.attribute, parent_id.to_owned())),
    );
    let not_found = || ImportError::NotFound {
        kind,
        id: id.id().to_owned(),
        region: aws.region().to_owned(),
        within: id
            .parents()
            .iter()
            .rev()
            .map(|(parent, parent_id)| format!(" in {} `{parent_id}`", parent.kind.schema().noun))
            .collect(),
    };
    let found = match aws.list(kind, &parents).await {
        Ok(listed) => listed
            .into_iter()
            .find(|object| object.attributes.get("id").and_then(Value::as_str) == Some(id.id())),
        // An endpoint without the list call: a single Get.
        Err(RemoteError::Read {
            cause: Cause::Unavailable,
            ..
        }) => aws
            .get(kind, &parents, id.id())
            .await?
            .map(|attributes| Listed {
                attributes,
                managed_by_aws: false,
                created: None,
                from_openapi: false,
            }),
        // What it would live under does not exist.
        Err(RemoteError::Read {
            cause: Cause::NotFound,
            ..
        }) => None,
        Err(error) => return Err(error.into()),
    };
    let found = found.ok_or_else(not_found)?;
    if found.managed_by_aws {
        return Err(ImportError::ManagedByAws {
            kind,
            id: id.id().to_owned(),
        });
    }
    Ok(imported(kind, &found.attributes, aws, default_tags).await?)
}

/// An object as AWS reports it, as the state records it once imported: what refresh would make
/// of it, as if its provider's `default_tags` were all it had before, and the attributes derived
/// from its id (ARNs).
pub async fn imported(
    kind: Kind,
    reported: &Object,
    aws: &Aws,
    default_tags: &BTreeMap<String, Value>,
) -> Result<Object, RemoteError> {
    let schema = kind.schema();
    let prior = Object::from([("tags_all".to_owned(), Value::Map(default_tags.clone()))]);
    let mut attributes = merge(schema.attributes, schema.blocks, &prior, reported);
    aws.derive(kind, &mut attributes).await?;
    Ok(attributes)
}

/// Where an object the state records lives: `None` when it lacks its region or an id.
fn remote_key(kind: Kind, attributes: &Object) -> Option<RemoteKey> {
    let text = |name: &str| Some(attributes.get(name)?.as_str()?.to_owned());
    let path = kind
        .ancestry()
        .iter()
        .map(|parent| text(parent.attribute))
        .chain([text("id")])
        .collect::<Option<Vec<String>>>()?;
    Some(RemoteKey {
        region: text("region")?,
        kind,
        path,
    })
}

/// The state's attributes updated with what AWS reports.
fn merge(
    attributes: &[Attribute],
    blocks: &[BlockSchema],
    prior: &Object,
    live: &Object,
) -> Object {
    let mut merged = Object::new();
    for attribute in attributes {
        let before = prior.get(attribute.name).cloned().unwrap_or(Value::Null);
        // An attribute AWS does not report has its default value.
        let reported =
            match attribute.normalize(live.get(attribute.name).cloned().unwrap_or(Value::Null)) {
                Value::Null => attribute.default_value(),
                reported => reported,
            };
        let keep = !attribute.read_back
            || (attribute.ignore_case && same_ignoring_case(&before, &reported));
        merged.insert(
            attribute.name.to_owned(),
            if keep { before } else { reported },
        );
    }
    for block in blocks {
        let before = block_elements(prior, block.name);
        let empty = Object::new();
        // A single block keeps the state's spelling of what AWS reports in another case.
        let base = match (block.nesting, before.as_slice()) {
            (Nesting::Single, [before]) => *before,
            _ => &empty,
        };
        let elements = block_elements(live, block.name)
            .into_iter()
            .map(|reported| Value::Map(merge(block.attributes, block.blocks, base, reported)))
            .collect();
        merged.insert(block.name.to_owned(), block.normalize(elements));
    }
    if let Some(Value::Map(all)) = merged.get("tags_all") {
        let tags = own_tags(prior, all);
        merged.insert("tags".to_owned(), tags);
    }
    merged
}

/// The resource's own `tags` among `all` that AWS holds: all but the default tags, which are the
/// tags the state had in `tags_all` and not in `tags`, while they keep their value.
fn own_tags(prior: &Object, all: &BTreeMap<String, Value>) -> Value {
    let entries = |name: &str| match prior.get(name) {
        Some(Value::Map(entries)) => entries.clone(),
        _ => BTreeMap::new(),
    };
    let (prior_all, prior_own) = (entries("tags_all"), entries("tags"));
    let own: BTreeMap<String, Value> = all
        .iter()
        .filter(|(key, value)| prior_own.contains_key(*key) || prior_all.get(*key) != Some(*value))
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect();
    match own.is_empty() {
        true => Value::Null,
        false => Value::Map(own),
    }
}

fn same_ignoring_case(a: &Value, b: &Value) -> bool {
    let lower = |value: &Value| match value {
        Value::List(items) => Some(
            items
                .iter()
                .map(|item| item.as_str().map(str::to_lowercase))
                .collect::<Option<BTreeSet<_>>>(),
        ),
        _ => None,
    };
    matches!((lower(a), lower(b)), (Some(Some(a)), Some(Some(b))) if a == b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::ResourceState;

    fn text(value: &str) -> Value {
        Value::String(value.to_owned())
    }

    fn route(target: Option<&str>) -> Object {
        let mut object: Object = [
            ("api_id", text("a1")),
            ("region", text("eu-west-1")),
            ("api_key_required", Value::Bool(false)),
            ("authorization_type", text("NONE")),
            ("id", text("r1")),
            ("route_key", text("GET /pets")),
        ]
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value))
        .collect();
        let schema = Kind::Route.schema();
        for attribute in schema.attributes {
            object
                .entry(attribute.name.to_owned())
                .or_insert(Value::Null);
        }
        for block in schema.blocks {
            object.insert(block.name.to_owned(), Value::List(Vec::new()));
        }
        object.insert("target".to_owned(), target.map_or(Value::Null, text));
        object
    }

    fn state_with(address: &str, attributes: Object) -> State {
        let mut state = State::default();
        state.resources.insert(
            address.parse().unwrap(),
            ResourceState {
                attributes,
                dependencies: Default::default(),
            },
        );
        state
    }

    fn live(objects: &[(Kind, Object)]) -> Live {
        objects
            .iter()
            .map(|(kind, object)| (remote_key(*kind, object).unwrap(), object.clone()))
            .collect()
    }

    #[test]
    fn a_changed_route_is_drift_and_takes_the_live_value() {
        let state = state_with("aws_apigatewayv2_route.r", route(Some("integrations/one")));
        let refreshed = reconcile(
            state,
            &live(&[(Kind::Route, route(Some("integrations/two")))]),
        );
        assert_eq!(refreshed.drift.len(), 1);
        assert_eq!(
            refreshed.drift[0].before["target"],
            text("integrations/one")
        );
        let after =
            &refreshed.state.resources[&"aws_apigatewayv2_route.r".parse().unwrap()].attributes;
        assert_eq!(after["target"], text("integrations/two"));
    }

    #[test]
    fn cors_sets_that_aws_reports_in_another_case_keep_the_configured_spelling() {
        let cors = |headers: &[&str]| {
            let mut block = Object::new();
            block.insert(
                "allow_headers".to_owned(),
                Value::List(headers.iter().map(|header| text(header)).collect()),
            );
            let mut api = Object::new();
            api.insert("id".to_owned(), text("a1"));
            api.insert("region".to_owned(), text("eu-west-1"));
            api.insert(
                "cors_configuration".to_owned(),
                Value::List(vec![Value::Map(block)]),
            );
            api
        };
        let state = state_with(
            "aws_apigatewayv2_api.example",
            cors(&["Content-Type", "X-Request-Id"]),
        );
        let live = live(&[(Kind::Api, cors(&["content-type", "x-request-id"]))]);
        let refreshed = reconcile(state, &live);
        let api =
            &refreshed.state.resources[&"aws_apigatewayv2_api.example".parse().unwrap()].attributes;
        let headers = &crate::value::block_elements(api, "cors_configuration")[0]["allow_headers"];
        assert_eq!(
            *headers,
            Value::List(vec![text("Content-Type"), text("X-Request-Id")])
        );
        // Other attributes of the api do change (AWS reports none of them here), but not the headers.
        assert!(
            refreshed.drift.iter().all(|drift| {
                crate::value::block_elements(drift.after.as_ref().unwrap(), "cors_configuration")[0]
                    ["allow_headers"]
                    == *headers
            })
        );
    }

    #[test]
    fn a_deleted_object_leaves_the_state() {
        let state = state_with("aws_apigatewayv2_route.r", route(None));
        let refreshed = reconcile(state, &Live::new());
        assert!(refreshed.state.resources.is_empty());
        assert_eq!(refreshed.drift[0].after, None);
    }

    #[test]
    fn empty_values_from_aws_mean_unset_and_are_no_drift() {
        let mut reported = route(None);
        reported.insert("operation_name".to_owned(), text(""));
        reported.insert("request_models".to_owned(), Value::Map(Default::default()));
        reported.insert("authorization_scopes".to_owned(), Value::List(Vec::new()));
        let state = state_with("aws_apigatewayv2_route.r", route(None));
        assert_eq!(
            reconcile(state, &live(&[(Kind::Route, reported)])).drift,
            vec![]
        );
    }
}

#[derive(Debug, thiserror::Error)]
#[error("`{address}` {error}")]
pub struct DataError {
    address: String,
    error: crate::aws::data::DataError,
}

/// Reads the data sources, in the regions they are read in, and returns their values by address.
/// `remotes` may be `None` when none of them reads AWS.
pub async fn read_data(
    sources: &[DataSource],
    remotes: Option<&Remotes>,
) -> Result<BTreeMap<String, Value>, DataError> {
    let mut reader = crate::aws::data::Reader::new(remotes);
    // The apis of every region data sources read them in, listed at the same time.
    let reading = || {
        sources
            .iter()
            .filter(|source| matches!(source.kind, DataKind::Api | DataKind::Apis))
    };
    let regions: BTreeSet<Option<&str>> = reading().map(|source| source.region.as_str()).collect();
    if let Some(first) = reading().next() {
        reader
            .list_apis(&regions)
            .await
            .map_err(|error| DataError {
                address: first.address(),
                error: error.into(),
            })?;
    }
    let mut values = BTreeMap::new();
    // The sensitive outputs of the remote states each module instance reads.
    let mut sensitive: BTreeMap<*const Context, (Arc<Context>, BTreeSet<String>)> = BTreeMap::new();
    for source in sources {
        let fail = |error| DataError {
            address: source.address(),
            error,
        };
        let object = match source.kind {
            DataKind::RemoteState => {
                let (object, outputs) =
                    crate::remote_state::read(&source.arguments, &source.context.root)
                        .await
                        .map_err(|message| {
                            fail(crate::aws::data::DataError::RemoteState(message))
                        })?;
                let names = outputs
                    .into_iter()
                    .map(|output| format!("{}.{}.{output}", source.kind.as_str(), source.name));
                sensitive
                    .entry(Arc::as_ptr(&source.context))
                    .or_insert_with(|| (source.context.clone(), BTreeSet::new()))
                    .1
                    .extend(names);
                object
            }
            kind => reader
                .read(kind, &source.arguments, source.region.as_str())
                .await
                .map_err(fail)?,
        };
        values.insert(source.address(), Value::Map(object));
    }
    for (context, outputs) in sensitive.into_values() {
        // Set once per run: a later read of the same states finds the same outputs.
        let _ = context.sensitive_data.set(outputs);
    }
    Ok(values)
}
