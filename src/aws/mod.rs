//! The AWS side: the only code that knows the AWS SDK.
//!
//! One file per resource kind, mirroring `src/schema/`: how an object of the kind is created,
//! updated, deleted and listed, and how the SDK's types turn into attributes. Calls follow the
//! Terraform provider: create with every argument set, update with only the changed ones (a
//! cleared string is sent as ""), tags through TagResource/UntagResource, and a delete of
//! something already gone succeeds. This file holds what the kinds share: a connection per
//! region, errors, and the entry points refresh, apply and import call, which decide from the
//! schema what to record: what the configuration says, and what AWS chose where it leaves the
//! choice to AWS.

mod api;
mod api_mapping;
mod authorizer;
mod credentials;
pub mod data;
mod deployment;
mod domain_name;
mod integration;
mod integration_response;
pub mod limiter;
mod model;
pub mod partitions;
mod route;
mod route_response;
mod routing_rule;
pub mod s3;
mod stage;
mod vpc_link;

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aws_config::Region;
use aws_sdk_apigatewayv2::Client;
use aws_sdk_apigatewayv2::config::ProvideCredentials as _;
use aws_sdk_apigatewayv2::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_apigatewayv2::types::ProtocolType;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use tokio::sync::OnceCell;

use crate::addr::Address;
use crate::connection::Connection;
use crate::schema::{Kind, Protocol};
use crate::value::{Object, Value, block_elements};

/// What gateform does with one kind of object in AWS. Each kind's file implements it; errors
/// name the operation that failed, and the entry points on [`Aws`] add the resource's address.
#[async_trait::async_trait]
trait Resource: Sync {
    /// Creates the object from its configuration, and returns it as AWS reports it.
    async fn create(&self, aws: &Aws, config: &Object) -> Result<Object, Failure>;

    /// Changes the object from `prior` to `config` in place.
    async fn update(&self, aws: &Aws, prior: &Object, config: &Object) -> Result<(), Failure>;

    async fn delete(&self, aws: &Aws, prior: &Object) -> Result<(), Failure>;

    /// Every object of the kind under `parents` (in the region, for an api), following
    /// NextToken, so that the cost grows with the number of pages, not of objects.
    async fn list(&self, aws: &Aws, parents: &Parents) -> Result<Vec<Listed>, Failure>;

    /// One object by its id, for endpoints that lack the list call.
    async fn get(&self, _aws: &Aws, _parents: &Parents, _id: &str) -> Result<Object, Failure> {
        Err(Failure {
            operation: "a single Get",
            message: "gateform reads these objects only with list calls".to_owned(),
            cause: Cause::Other,
        })
    }

    /// Fills in the attributes gateform derives rather than reads, such as ARNs.
    async fn derive(&self, _aws: &Aws, _attributes: &mut Object) -> Result<(), RemoteError> {
        Ok(())
    }
}

/// The AWS side of each kind: the one list of kinds here.
fn resource(kind: Kind) -> &'static dyn Resource {
    match kind {
        Kind::Api => &api::Api,
        Kind::ApiMapping => &api_mapping::ApiMapping,
        Kind::Authorizer => &authorizer::Authorizer,
        Kind::Deployment => &deployment::Deployment,
        Kind::DomainName => &domain_name::DomainName,
        Kind::Integration => &integration::Integration,
        Kind::IntegrationResponse => &integration_response::IntegrationResponse,
        Kind::Model => &model::Model,
        Kind::Route => &route::Route,
        Kind::RouteResponse => &route_response::RouteResponse,
        Kind::RoutingRule => &routing_rule::RoutingRule,
        Kind::Stage => &stage::Stage,
        Kind::VpcLink => &vpc_link::VpcLink,
    }
}

/// Connections to API Gateway v2 in every region a run touches, made as they are first needed,
/// with one set of credentials.
pub struct Remotes {
    config: aws_config::SdkConfig,
    connection: Connection,
    /// Read once, when the first api needs its `execution_arn` or a data source asks.
    identity: Arc<OnceCell<Identity>>,
    /// The account's budget of requests, which every region's requests share.
    limiter: Arc<limiter::Limiter>,
    regions: Mutex<BTreeMap<String, Arc<Aws>>>,
}

/// A connection to API Gateway v2 in one region.
pub struct Aws {
    client: Client,
    /// The same connection without the SDK's retries, for the calls that make something: a
    /// create is retried only by [`crate::journal::create`], after looking for what the failed
    /// attempt may have made.
    once: Client,
    sts: aws_sdk_sts::Client,
    region: String,
    identity: Arc<OnceCell<Identity>>,
    ignore_tags: crate::connection::IgnoreTags,
    limiter: Arc<limiter::Limiter>,
}

/// Who gateform acts as, from sts:GetCallerIdentity.
#[derive(Clone, Debug)]
pub struct Identity {
    pub account: String,
    pub arn: String,
    pub user_id: String,
}

/// An object as a list call reports it.
pub struct Listed {
    pub attributes: Object,
    /// Made by AWS itself (quick create's route, integration and stage): not gateform's to manage.
    pub managed_by_aws: bool,
    /// When AWS made it, where the list says (apis, deployments, VPC links).
    pub created: Option<std::time::SystemTime>,
    /// Made by ImportApi from an OpenAPI document (SAM, the Serverless Framework): an api whose
    /// GetApis item has `ImportInfo`, even an empty one.
    pub from_openapi: bool,
}

/// The ids of what objects live under, by the attribute that holds each: `api_id` for the
/// routes of an api; `api_id` and `route_id` for the responses of a route.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parents(BTreeMap<&'static str, String>);

impl Parents {
    pub fn new(ids: impl IntoIterator<Item = (&'static str, String)>) -> Parents {
        Parents(ids.into_iter().collect())
    }

    /// The id `attribute` holds; empty for an attribute that is not a parent's.
    pub fn get(&self, attribute: &str) -> &str {
        self.0.get(attribute).map_or("", String::as_str)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    #[error("no AWS region is configured: set `region` in `provider \"aws\"`, or AWS_REGION")]
    NoRegion,
    #[error(
        "no usable AWS credentials ({0}): gateform uses the standard chain: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, SSO or instance metadata"
    )]
    Credentials(String),
    #[error("cannot read the AWS account id (sts:GetCallerIdentity): {0}")]
    Account(String),
    #[error(
        "{0}: the provider block does not let gateform change this account, so nothing was read or changed"
    )]
    AccountNotAllowed(String),
    /// A read (a list or a get) failed.
    #[error("{operation} failed: {message}")]
    Read {
        operation: &'static str,
        message: String,
        cause: Cause,
    },
    #[error("{operation} for `{address}` failed: {message}")]
    Call {
        address: Box<Address>,
        operation: &'static str,
        message: String,
        cause: Cause,
    },
}

impl RemoteError {
    /// Why the call failed; [`Cause::Other`] for what is not one call's failure.
    pub fn cause(&self) -> Cause {
        match self {
            RemoteError::Read { cause, .. } | RemoteError::Call { cause, .. } => *cause,
            _ => Cause::Other,
        }
    }

    /// Whether this failure of a create came after AWS made the object: a step after the
    /// `Create...` call failed (a reimport, a wait, reading the account for an ARN).
    pub fn after_create(&self) -> bool {
        match self {
            RemoteError::Call {
                operation, cause, ..
            } => *cause == Cause::Incomplete || !operation.starts_with("Create"),
            _ => true,
        }
    }
}

/// Why a call failed, where the caller can do something about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cause {
    /// AWS has no such object, or no object it would live under (NotFoundException).
    NotFound,
    /// The endpoint does not have the operation at all: an emulator answers 404, 500 or 501 with
    /// no AWS error code, where AWS itself always names its errors.
    Unavailable,
    /// AWS turned the request away before doing anything: throttled (429), or another change to
    /// the same api in progress (409 "concurrent modification"). Trying again later is right.
    Busy,
    /// AWS answered that it failed (a 5xx): it may have done the work before it failed, and it
    /// is done with the request.
    Failed,
    /// No answer: a timeout, or a connection lost. The request may have done its work, or may
    /// still be doing it.
    Lost,
    /// The call did its work, and what had to follow it failed: an object a create made did not
    /// become ready.
    Incomplete,
    /// AWS refused the request (a 4xx): nothing was done.
    Other,
}

impl Cause {
    /// Whether the call may have done what it was asked, though it failed.
    pub fn may_have_succeeded(self) -> bool {
        matches!(
            self,
            Cause::Failed | Cause::Lost | Cause::Unavailable | Cause::Incomplete
        )
    }
}

/// A failed call, before it is tied to a resource.
#[derive(Debug)]
struct Failure {
    operation: &'static str,
    message: String,
    cause: Cause,
}

impl Failure {
    fn new(operation: &'static str, message: String) -> Failure {
        Failure {
            operation,
            message,
            cause: Cause::Other,
        }
    }

    /// The call did its work; what had to follow failed.
    fn incomplete(operation: &'static str, message: String) -> Failure {
        Failure {
            cause: Cause::Incomplete,
            ..Failure::new(operation, message)
        }
    }

    fn reading(self) -> RemoteError {
        RemoteError::Read {
            operation: self.operation,
            message: self.message,
            cause: self.cause,
        }
    }

    fn at(self, address: &Address) -> RemoteError {
        RemoteError::Call {
            address: Box::new(address.clone()),
            operation: self.operation,
            message: self.message,
            cause: self.cause,
        }
    }
}

/// Sends a request; a failure names `operation`.
async fn send<T, E>(
    operation: &'static str,
    request: impl Future<Output = Result<T, SdkError<E, HttpResponse>>>,
) -> Result<T, Failure>
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    request.await.map_err(|error| failure(operation, error))
}

fn failure<E>(operation: &'static str, error: SdkError<E, HttpResponse>) -> Failure
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let code = error
        .as_service_error()
        .and_then(ProvideErrorMetadata::code);
    let status = error
        .raw_response()
        .map(|response| response.status().as_u16());
    let concurrent = error
        .as_service_error()
        .and_then(ProvideErrorMetadata::message)
        .is_some_and(|message| message.contains("concurrent modification"));
    let cause = if let SdkError::ConstructionFailure(_) = error {
        Cause::Other
    } else if code == Some("NotFoundException") {
        Cause::NotFound
    } else if code.is_none_or(|code| code.parse::<u16>().is_ok())
        && matches!(status, Some(404 | 500 | 501))
    {
        Cause::Unavailable
    } else if status == Some(429) || (status == Some(409) && concurrent) {
        Cause::Busy
    } else if error.as_service_error().is_none() {
        Cause::Lost
    } else if status.is_some_and(|status| status >= 500) {
        Cause::Failed
    } else {
        Cause::Other
    };
    Failure {
        operation,
        message: sdk_message(&error),
        cause,
    }
}

/// What an SDK's failure says, as one line for people: AWS's error code and message, or for an
/// answer that is not an AWS error (an emulator's page, a proxy's 502) its HTTP status and the
/// first line of text in its body, or why no answer came; then AWS's request id when there is
/// one. Never the SDK's Debug output, which `DisplayErrorContext` appends.
pub(crate) fn sdk_message<E>(error: &SdkError<E, HttpResponse>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    use aws_sdk_apigatewayv2::operation::RequestId as _;
    let metadata = error
        .as_service_error()
        .map(|service| (service.code(), service.message()));
    let said = match (metadata, error.raw_response()) {
        (Some((Some(code), Some(message))), _) => format!("{code}: {message}"),
        (Some((Some(code), None)), _) => code.to_owned(),
        (_, Some(response)) => {
            let status = response.status().as_u16();
            let body = response.body().bytes().unwrap_or_default();
            match first_text(&String::from_utf8_lossy(body)) {
                Some(line) => format!("HTTP {status}, not an AWS error: {line}"),
                None => format!("HTTP {status}, not an AWS error, with no text"),
            }
        }
        (_, None) => error_chain(error),
    };
    match error.request_id() {
        Some(id) => format!("{said} (request id {id})"),
        None => said,
    }
}

/// The first line of a body with text in it, markup taken out, at most 200 characters: `502
/// Bad Gateway` of nginx's page.
fn first_text(body: &str) -> Option<String> {
    static TAG: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"<[^>]*>").expect("a valid pattern"));
    let line = body
        .lines()
        .map(|line| {
            TAG.replace_all(line, " ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .find(|line| !line.is_empty())?;
    Some(match line.char_indices().nth(200) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line,
    })
}

/// An error and its causes on one line, each said once.
fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut messages: Vec<String> = Vec::new();
    let mut next = Some(error);
    while let Some(error) = next {
        let message = error.to_string();
        if !messages.iter().any(|seen| seen.contains(&message)) {
            messages.push(message);
        }
        next = error.source();
    }
    messages.join(": ")
}

/// The region the environment names: AWS_REGION, AWS_DEFAULT_REGION, or the profile's `region`,
/// where the AWS CLI and the Terraform provider look. Instance metadata is not asked.
pub async fn environment_region() -> Option<String> {
    use aws_config::environment::region::EnvironmentVariableRegionProvider;
    use aws_config::meta::region::RegionProviderChain;
    use aws_config::profile::region::ProfileFileRegionProvider;
    RegionProviderChain::first_try(EnvironmentVariableRegionProvider::new())
        .or_else(ProfileFileRegionProvider::new())
        .region()
        .await
        .map(|region| region.to_string())
}

impl Remotes {
    /// Settles the credentials with aws-config's standard chain (environment, profiles, SSO, IMDS),
    /// before anyone is asked to approve rather than at the first call. AWS_ENDPOINT_URL is
    /// honoured by aws-config.
    /// `home` is the region the credential providers use (SSO and assumed roles need one); without
    /// it, aws-config's chain finds one.
    ///
    /// `connection` is what the provider block says: credentials, endpoints and retries; with
    /// `allowed_account_ids` or `forbidden_account_ids`, the account is checked here, before
    /// anything is read or changed.
    pub async fn connect(
        connection: &Connection,
        home: Option<&str>,
    ) -> Result<Remotes, RemoteError> {
        let config = credentials::sdk_config(connection, home).await;
        if !connection.skip_credentials_validation {
            let provider = config
                .credentials_provider()
                .ok_or_else(|| RemoteError::Credentials("no credential provider".to_owned()))?;
            provider
                .provide_credentials()
                .await
                .map_err(|error| RemoteError::Credentials(error_chain(&error)))?;
        }
        let remotes = Remotes {
            config,
            connection: connection.clone(),
            identity: Arc::default(),
            limiter: limiter::Limiter::new(connection.rate),
            regions: Mutex::default(),
        };
        let guarded = !connection.allowed_account_ids.is_empty()
            || !connection.forbidden_account_ids.is_empty();
        if guarded {
            let region = home.or(remotes.config.region().map(Region::as_ref));
            let aws = remotes.region(region)?;
            let account = &aws.identity().await?.account;
            if let Some(refusal) = connection.refuses(account) {
                return Err(RemoteError::AccountNotAllowed(refusal));
            }
        }
        Ok(remotes)
    }

    /// The connection to `region`, a resource's `region`: `None` when nothing configured one.
    pub fn region(&self, region: Option<&str>) -> Result<Arc<Aws>, RemoteError> {
        let region = region.ok_or(RemoteError::NoRegion)?.to_owned();
        let mut regions = self
            .regions
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let aws = regions.entry(region.clone()).or_insert_with(|| {
            let mut api_config = aws_sdk_apigatewayv2::config::Builder::from(&self.config)
                .region(Region::new(region.clone()))
                .interceptor(limiter::Meter(self.limiter.clone()))
                .retry_classifier(limiter::TurnedAway);
            if let Some(http) = limiter::client(self.config.http_client(), self.limiter.clone()) {
                api_config = api_config.http_client(http);
            }
            if let Some(endpoint) = self.connection.endpoints.get("apigatewayv2") {
                api_config = api_config.endpoint_url(endpoint);
            }
            let sts_config = credentials::sts_config(&self.config, &self.connection)
                .to_builder()
                .region(Region::new(region.clone()))
                .interceptor(limiter::Meter(self.limiter.clone()));
            let once = api_config
                .clone()
                .retry_config(aws_config::retry::RetryConfig::disabled());
            Arc::new(Aws {
                client: Client::from_conf(api_config.build()),
                once: Client::from_conf(once.build()),
                sts: aws_sdk_sts::Client::from_conf(sts_config.build()),
                region: region.clone(),
                identity: self.identity.clone(),
                ignore_tags: self.connection.ignore_tags.clone(),
                limiter: self.limiter.clone(),
            })
        });
        Ok(aws.clone())
    }

    /// How many times a call is tried in all.
    pub fn attempts(&self) -> u32 {
        self.connection.attempts()
    }

    /// The requests sent so far, and what they met.
    pub fn traffic(&self) -> limiter::Traffic {
        self.limiter.traffic()
    }

    pub fn rate(&self) -> crate::connection::Rate {
        self.limiter.rate()
    }
}

impl Aws {
    pub fn region(&self) -> &str {
        &self.region
    }

    /// Counts a call sent again by gateform rather than by the SDK: a create, after its lookup.
    pub fn retrying(&self) {
        self.limiter.retrying();
    }

    /// Every object of `kind` under `parents`, each with its parents' ids and its region.
    pub async fn list(&self, kind: Kind, parents: &Parents) -> Result<Vec<Listed>, RemoteError> {
        let mut listed = resource(kind)
            .list(self, parents)
            .await
            .map_err(Failure::reading)?;
        for object in &mut listed {
            self.place(&mut object.attributes, parents);
        }
        Ok(listed)
    }

    /// One object by its id, for endpoints that lack the list call (a [`RemoteError::Read`]
    /// whose cause is [`Cause::Unavailable`]). `None` when it does not exist.
    pub async fn get(
        &self,
        kind: Kind,
        parents: &Parents,
        id: &str,
    ) -> Result<Option<Object>, RemoteError> {
        match resource(kind).get(self, parents, id).await {
            Ok(mut object) => {
                self.place(&mut object, parents);
                Ok(Some(object))
            }
            Err(Failure {
                cause: Cause::NotFound,
                ..
            }) => Ok(None),
            Err(failure) => Err(failure.reading()),
        }
    }

    /// Creates the resource and returns its attributes as the state records them.
    pub async fn create(&self, address: &Address, config: &Object) -> Result<Object, RemoteError> {
        let reported = resource(address.kind)
            .create(self, config)
            .await
            .map_err(|failure| failure.at(address))?;
        self.as_created(address.kind, config, &reported).await
    }

    /// What the state records of an object created from `config` that AWS reports as `reported`:
    /// the configuration, with what AWS chose.
    pub async fn as_created(
        &self,
        kind: Kind,
        config: &Object,
        reported: &Object,
    ) -> Result<Object, RemoteError> {
        let mut attributes = kind.schema().take_chosen(config, reported);
        resource(kind).derive(self, &mut attributes).await?;
        Ok(attributes)
    }

    /// Changes the resource from `prior` to `config` in place, and returns its attributes as the
    /// state records them. What AWS chose before stays chosen.
    pub async fn update(
        &self,
        address: &Address,
        prior: &Object,
        config: &Object,
    ) -> Result<Object, RemoteError> {
        let config = address.kind.schema().take_chosen(config, prior);
        resource(address.kind)
            .update(self, prior, &config)
            .await
            .map_err(|failure| failure.at(address))?;
        Ok(config)
    }

    /// Deletes the resource; one already gone counts as deleted.
    pub async fn delete(&self, address: &Address, prior: &Object) -> Result<(), RemoteError> {
        match resource(address.kind).delete(self, prior).await {
            Ok(())
            | Err(Failure {
                cause: Cause::NotFound,
                ..
            }) => Ok(()),
            Err(failure) => Err(failure.at(address)),
        }
    }

    /// Fills in the attributes gateform derives rather than reads, such as an api's `arn`.
    pub async fn derive(&self, kind: Kind, attributes: &mut Object) -> Result<(), RemoteError> {
        resource(kind).derive(self, attributes).await
    }

    /// An object read from AWS gets the ids of what it lives under, and its region.
    /// The tags `ignore_tags` names are not read, so they are never planned away.
    fn place(&self, attributes: &mut Object, parents: &Parents) {
        for (attribute, id) in &parents.0 {
            attributes.insert((*attribute).to_owned(), text(id));
        }
        attributes.insert("region".to_owned(), text(&self.region));
        for tags in ["tags", "tags_all"] {
            if let Some(Value::Map(tags)) = attributes.get_mut(tags) {
                self.ignore_tags.strip(tags);
            }
        }
    }

    /// The protocol of an api, for the calls whose arguments depend on it.
    async fn protocol_of(&self, api_id: &str) -> Result<Protocol, Failure> {
        let api = send("GetApi", self.client.get_api().api_id(api_id).send()).await?;
        Ok(match api.protocol_type() {
            Some(ProtocolType::Websocket) => Protocol::WebSocket,
            _ => Protocol::Http,
        })
    }

    /// Who gateform acts as, asked of STS once per run.
    pub async fn identity(&self) -> Result<&Identity, RemoteError> {
        self.identity
            .get_or_try_init(|| async {
                let identity = self
                    .sts
                    .get_caller_identity()
                    .send()
                    .await
                    .map_err(|e| RemoteError::Account(sdk_message(&e)))?;
                let part = |value: Option<&str>| value.unwrap_or_default().to_owned();
                match identity.account() {
                    Some(account) => Ok(Identity {
                        account: account.to_owned(),
                        arn: part(identity.arn()),
                        user_id: part(identity.user_id()),
                    }),
                    None => Err(RemoteError::Account("no account in the answer".into())),
                }
            })
            .await
    }

    async fn account(&self) -> Result<&str, RemoteError> {
        Ok(&self.identity().await?.account)
    }

    /// The AWS partition of the region, for ARNs.
    fn partition(&self) -> &'static str {
        partitions::of(&self.region).id
    }

    /// The ARN of an API Gateway object, such as `arn:aws:apigateway:eu-west-1::/apis/ID`.
    fn arn(&self, path: &str) -> String {
        format!(
            "arn:{}:apigateway:{}::{path}",
            self.partition(),
            self.region
        )
    }

    /// Brings the object's tags from `prior`'s `tags_all` to `config`'s: removed keys first, then
    /// the added and changed ones, as the provider does.
    async fn update_tags(&self, arn: &str, prior: &Object, config: &Object) -> Result<(), Failure> {
        // Tags gateform does not manage (AWS's own, `ignore_tags`) are neither removed nor set,
        // even where an older state still records them.
        let managed = |tags: Option<HashMap<String, String>>| {
            let mut tags = tags.unwrap_or_default();
            tags.retain(|key, _| !self.ignore_tags.ignores(key));
            tags
        };
        let old = managed(map(prior, "tags_all"));
        let new = managed(map(config, "tags_all"));
        let mut removed: Vec<String> = old
            .keys()
            .filter(|key| !new.contains_key(*key))
            .cloned()
            .collect();
        removed.sort();
        let set: HashMap<String, String> = new
            .into_iter()
            .filter(|(key, value)| old.get(key) != Some(value))
            .collect();
        if !removed.is_empty() {
            let request = self
                .client
                .untag_resource()
                .resource_arn(arn)
                .set_tag_keys(Some(removed));
            send("UntagResource", request.send()).await?;
        }
        if !set.is_empty() {
            let request = self
                .client
                .tag_resource()
                .resource_arn(arn)
                .set_tags(Some(set));
            send("TagResource", request.send()).await?;
        }
        Ok(())
    }
}

/// What one look at an object AWS is still making or removing found.
enum Wait<T> {
    Done(T),
    Pending,
    /// AWS gave up on it, and says why.
    Failed(String),
}

/// Looks at an object with `look` until it is done, as the provider's waiters do: at once, then
/// after 100 ms, doubling up to 10 s between looks, for at most `within`; after that, fails with
/// `too_long`.
async fn wait_until<T, F, Look>(
    operation: &'static str,
    within: Duration,
    too_long: impl FnOnce() -> String,
    mut look: F,
) -> Result<T, Failure>
where
    F: FnMut() -> Look,
    Look: Future<Output = Result<Wait<T>, Failure>>,
{
    let deadline = Instant::now() + within;
    let mut pause = Duration::from_millis(100);
    loop {
        match look().await? {
            Wait::Done(found) => return Ok(found),
            Wait::Failed(message) => return Err(Failure::incomplete(operation, message)),
            Wait::Pending if Instant::now() + pause > deadline => {
                return Err(Failure::incomplete(operation, too_long()));
            }
            Wait::Pending => {
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(10));
            }
        }
    }
}

/// Follows NextToken: `page` fetches the page a token names (the first for `None`) and returns
/// its objects and the next token.
async fn pages<F, Page>(mut page: F) -> Result<Vec<Listed>, Failure>
where
    F: FnMut(Option<String>) -> Page,
    Page: Future<Output = Result<(Vec<Listed>, Option<String>), Failure>>,
{
    let mut listed = Vec::new();
    let mut next_token = None;
    loop {
        let (objects, next) = page(next_token).await?;
        listed.extend(objects);
        match next {
            Some(token) => next_token = Some(token),
            None => return Ok(listed),
        }
    }
}

/// Every object a list call reports, following NextToken: `$request` is the request without a
/// token, `$items` the page's getter of its items, and `$listed` turns each item into a
/// [`Listed`]. The SDK's list requests share no trait, so this is a macro.
macro_rules! list_all {
    ($operation:literal, $request:expr, $items:ident, $listed:expr) => {
        $crate::aws::pages(|next_token| async move {
            let page =
                $crate::aws::send($operation, $request.set_next_token(next_token).send()).await?;
            let objects = page.$items().iter().map($listed).collect();
            Ok((objects, page.next_token().map(str::to_owned)))
        })
        .await
    };
}
use list_all;

/// An object as a list reports it; `managed` is its `ApiGatewayManaged` flag, where it has one.
fn listed(attributes: Object, managed: Option<bool>) -> Listed {
    Listed {
        attributes,
        managed_by_aws: managed.unwrap_or(false),
        created: None,
        from_openapi: false,
    }
}

/// An object as a list reports it, with when AWS made it.
fn listed_made(
    attributes: Object,
    managed: Option<bool>,
    created: Option<&aws_sdk_apigatewayv2::primitives::DateTime>,
) -> Listed {
    Listed {
        created: created.and_then(|created| std::time::SystemTime::try_from(*created).ok()),
        ..listed(attributes, managed)
    }
}

// What the kinds' files share to turn attributes into the SDK's arguments and back.

fn object<const N: usize>(entries: [(&str, Option<Value>); N]) -> Object {
    entries
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value.unwrap_or(Value::Null)))
        .collect()
}

fn text(value: &str) -> Value {
    Value::String(value.to_owned())
}

fn texts(items: &[String]) -> Option<Value> {
    Some(Value::List(items.iter().map(|item| text(item)).collect()))
}

fn text_map(entries: &HashMap<String, String>) -> Value {
    Value::Map(
        entries
            .iter()
            .map(|(key, value)| (key.clone(), text(value)))
            .collect(),
    )
}

fn whole(number: i32) -> Value {
    Value::Number(f64::from(number))
}

/// A nested block as AWS reports it: one element, or none.
fn single(block: Option<Object>) -> Option<Value> {
    Some(Value::List(block.map(Value::Map).into_iter().collect()))
}

fn string(object: &Object, name: &str) -> Option<String> {
    object.get(name).and_then(Value::as_str).map(str::to_owned)
}

fn flag(object: &Object, name: &str) -> Option<bool> {
    object.get(name).and_then(Value::as_bool)
}

fn strings(object: &Object, name: &str) -> Option<Vec<String>> {
    match object.get(name)? {
        Value::List(items) => Some(
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
        ),
        _ => None,
    }
}

fn map(object: &Object, name: &str) -> Option<HashMap<String, String>> {
    match object.get(name)? {
        Value::Map(entries) => Some(
            entries
                .iter()
                .filter_map(|(key, value)| Some((key.clone(), value.as_str()?.to_owned())))
                .collect(),
        ),
        _ => None,
    }
}

fn number(object: &Object, name: &str) -> Option<f64> {
    match object.get(name)? {
        Value::Number(number) => Some(*number),
        _ => None,
    }
}

fn integer(object: &Object, name: &str) -> Option<i32> {
    number(object, name).map(|number| number as i32)
}

/// The first element of a nested block, if it has one.
fn first_block<'a>(object: &'a Object, name: &str) -> Option<&'a Object> {
    block_elements(object, name).first().copied()
}

/// A map argument to send on update: entries removed since `prior` are sent with an empty value,
/// which is how AWS removes them.
fn map_replacing(prior: &Object, config: &Object, name: &str) -> HashMap<String, String> {
    let mut entries = map(config, name).unwrap_or_default();
    for key in map(prior, name).unwrap_or_default().into_keys() {
        entries.entry(key).or_default();
    }
    entries
}

/// What an update compares: whether an argument changed, and what to send for it.
struct Change<'a> {
    prior: &'a Object,
    config: &'a Object,
}

impl<'a> Change<'a> {
    fn new(prior: &'a Object, config: &'a Object) -> Change<'a> {
        Change { prior, config }
    }

    fn changed(&self, name: &str) -> bool {
        self.prior.get(name) != self.config.get(name)
    }

    /// The new value of a changed string; "" when it was removed, which clears it in AWS.
    fn cleared(&self, name: &str) -> Option<String> {
        self.changed(name)
            .then(|| string(self.config, name).unwrap_or_default())
    }

    /// The new value of a changed string, or nothing when it was removed.
    fn set(&self, name: &str) -> Option<String> {
        self.changed(name)
            .then(|| string(self.config, name))
            .flatten()
    }

    /// The new value of a changed bool; false when it was removed.
    fn flag(&self, name: &str) -> Option<bool> {
        self.changed(name)
            .then(|| flag(self.config, name).unwrap_or(false))
    }

    fn integer(&self, name: &str) -> Option<i32> {
        self.changed(name)
            .then(|| integer(self.config, name))
            .flatten()
    }

    /// A changed map, with the removed entries sent empty.
    fn map(&self, name: &str) -> Option<HashMap<String, String>> {
        self.changed(name)
            .then(|| map_replacing(self.prior, self.config, name))
    }

    /// A changed set of strings; empty when it was removed.
    fn strings(&self, name: &str) -> Option<Vec<String>> {
        self.changed(name)
            .then(|| strings(self.config, name).unwrap_or_default())
    }

    /// Whether any of `names` changed.
    fn any(&self, names: &[&str]) -> bool {
        names.iter().any(|name| self.changed(name))
    }
}
