//! The AWS side: the only code that knows the AWS SDK.
//!
//! Each call maps a resource's attributes to one API Gateway v2 operation and returns the
//! attributes to record, with what AWS computed filled in. Calls follow the Terraform provider:
//! create with every argument set, update with only the changed ones (a cleared string is sent as
//! ""), tags through TagResource/UntagResource, and a delete of something already gone succeeds.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use aws_config::{BehaviorVersion, Region};
use aws_sdk_apigatewayv2::Client;
use aws_sdk_apigatewayv2::config::interceptors::BeforeTransmitInterceptorContextRef;
use aws_sdk_apigatewayv2::config::{
    ConfigBag, Intercept, ProvideCredentials as _, RuntimeComponents,
};
use aws_sdk_apigatewayv2::error::{DisplayErrorContext, ProvideErrorMetadata};
use aws_sdk_apigatewayv2::types::{
    AccessLogSettings, AuthorizationType, AuthorizerType, ConnectionType, ContentHandlingStrategy,
    Cors, DeploymentStatus, IntegrationType, IpAddressType, JwtConfiguration, LoggingLevel,
    ParameterConstraints, PassthroughBehavior, ProtocolType, RouteSettings, TlsConfigInput,
};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use tokio::sync::OnceCell;

use crate::addr::Address;
use crate::schema::{Kind, Protocol};
use crate::value::{Object, Value, block_elements};

/// Connections to API Gateway v2 in every region a run touches, made as they are first needed,
/// with one set of credentials.
pub struct Remotes {
    config: aws_config::SdkConfig,
    /// Read once, when the first api needs its `execution_arn`.
    account: Arc<OnceCell<String>>,
    calls: CallCounter,
    regions: Mutex<BTreeMap<String, Arc<Aws>>>,
}

/// A connection to API Gateway v2 in one region.
pub struct Aws {
    client: Client,
    sts: aws_sdk_sts::Client,
    region: String,
    account: Arc<OnceCell<String>>,
}

/// An object as a list call reports it.
pub struct Listed {
    pub attributes: Object,
    /// Made by AWS itself (quick create's route, integration and stage): not gateform's to manage.
    pub managed_by_aws: bool,
}

/// Counts the requests the SDK sends, by operation, retries included.
#[derive(Clone, Debug, Default)]
struct CallCounter(Arc<Mutex<BTreeMap<String, usize>>>);

impl Intercept for CallCounter {
    fn name(&self) -> &'static str {
        "gateform call counter"
    }

    fn read_before_transmit(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), aws_smithy_runtime_api::box_error::BoxError> {
        let operation = cfg
            .load::<aws_smithy_runtime_api::client::orchestrator::Metadata>()
            .map_or("unknown", |metadata| metadata.name())
            .to_owned();
        if let Ok(mut calls) = self.0.lock() {
            *calls.entry(operation).or_default() += 1;
        }
        Ok(())
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
    #[error("{operation} failed: {message}")]
    List {
        operation: &'static str,
        message: String,
        /// The endpoint does not have this list operation at all.
        unavailable: bool,
    },
    #[error("{operation} for `{address}` failed: {message}")]
    Call {
        address: Address,
        operation: &'static str,
        message: String,
    },
}

/// One page of a list call: sends `$request` from `$next_token`, adds each item to `$objects` as
/// (attributes, managed by AWS), and is the next token. The SDK's list requests share no trait.
macro_rules! next_page {
    ($request:expr, $operation:literal, $objects:ident, $next_token:ident, |$item:ident| ($attributes:expr, $managed:expr)) => {{
        let page = $request
            .set_next_token($next_token)
            .send()
            .await
            .map_err(|e| failure(e).listing($operation))?;
        $objects.extend(page.items().iter().map(|$item| Listed {
            attributes: $attributes,
            managed_by_aws: $managed.unwrap_or(false),
        }));
        page.next_token().map(str::to_owned)
    }};
}

/// Sends a request whose answer carries nothing gateform needs (a delete).
macro_rules! sent {
    ($request:expr) => {
        $request.send().await.map(drop).map_err(failure)
    };
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
    pub async fn connect(home: Option<&str>) -> Result<Remotes, RemoteError> {
        let mut loader = aws_config::defaults(BehaviorVersion::latest());
        if let Some(home) = home {
            loader = loader.region(Region::new(home.to_owned()));
        }
        let config = loader.load().await;
        let provider = config
            .credentials_provider()
            .ok_or_else(|| RemoteError::Credentials("no credential provider".to_owned()))?;
        provider
            .provide_credentials()
            .await
            .map_err(|error| RemoteError::Credentials(error_chain(&error)))?;
        Ok(Remotes {
            config,
            account: Arc::default(),
            calls: CallCounter::default(),
            regions: Mutex::default(),
        })
    }

    /// The connection to `region`, a resource's `region`: `None` when nothing configured one.
    pub fn region(&self, region: Option<&str>) -> Result<Arc<Aws>, RemoteError> {
        let region = region.ok_or(RemoteError::NoRegion)?.to_owned();
        let mut regions = self
            .regions
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let aws = regions.entry(region.clone()).or_insert_with(|| {
            let api_config = aws_sdk_apigatewayv2::config::Builder::from(&self.config)
                .region(Region::new(region.clone()))
                .interceptor(self.calls.clone());
            let sts_config = aws_sdk_sts::config::Builder::from(&self.config)
                .region(Region::new(region.clone()))
                .interceptor(self.calls.clone());
            Arc::new(Aws {
                client: Client::from_conf(api_config.build()),
                sts: aws_sdk_sts::Client::from_conf(sts_config.build()),
                region: region.clone(),
                account: self.account.clone(),
            })
        });
        Ok(aws.clone())
    }

    /// The requests sent so far, by operation.
    pub fn calls(&self) -> BTreeMap<String, usize> {
        self.calls
            .0
            .lock()
            .map(|calls| calls.clone())
            .unwrap_or_default()
    }
}

impl Aws {
    pub fn region(&self) -> &str {
        &self.region
    }

    /// Every object of `kind`: all apis in the region, or the routes of one api. Follows NextToken,
    /// so the cost grows with the number of pages, not of objects.
    pub async fn list(&self, kind: Kind, api_id: &str) -> Result<Vec<Listed>, RemoteError> {
        let mut objects = Vec::new();
        let mut next_token = None;
        loop {
            let client = &self.client;
            next_token = match kind {
                Kind::Api => next_page!(client.get_apis(), "GetApis", objects, next_token, |api| (
                    api_object(api),
                    api.api_gateway_managed()
                )),
                Kind::Authorizer => next_page!(
                    client.get_authorizers().api_id(api_id),
                    "GetAuthorizers",
                    objects,
                    next_token,
                    |authorizer| (authorizer_object!(api_id, authorizer), None)
                ),
                Kind::Deployment => next_page!(
                    client.get_deployments().api_id(api_id),
                    "GetDeployments",
                    objects,
                    next_token,
                    |deployment| (deployment_object!(api_id, deployment), None)
                ),
                Kind::Integration => next_page!(
                    client.get_integrations().api_id(api_id),
                    "GetIntegrations",
                    objects,
                    next_token,
                    |integration| (
                        integration_object(api_id, integration),
                        integration.api_gateway_managed()
                    )
                ),
                Kind::Model => next_page!(
                    client.get_models().api_id(api_id),
                    "GetModels",
                    objects,
                    next_token,
                    |model| (model_object!(api_id, model), None)
                ),
                Kind::Route => next_page!(
                    client.get_routes().api_id(api_id),
                    "GetRoutes",
                    objects,
                    next_token,
                    |route| (route_object(api_id, route), route.api_gateway_managed())
                ),
                Kind::Stage => next_page!(
                    client.get_stages().api_id(api_id),
                    "GetStages",
                    objects,
                    next_token,
                    |stage| (stage_object(api_id, stage), stage.api_gateway_managed())
                ),
            };
            if next_token.is_none() {
                for object in &mut objects {
                    object
                        .attributes
                        .insert("region".into(), text(&self.region));
                }
                return Ok(objects);
            }
        }
    }

    /// Creates the resource and returns its attributes as recorded in the state.
    pub async fn create(&self, address: &Address, config: &Object) -> Result<Object, RemoteError> {
        match address.kind {
            Kind::Api => self.create_api(address, config).await,
            Kind::Authorizer => self.create_authorizer(address, config).await,
            Kind::Deployment => self.create_deployment(address, config).await,
            Kind::Integration => self.create_integration(address, config).await,
            Kind::Model => self.create_model(address, config).await,
            Kind::Route => self.create_route(address, config).await,
            Kind::Stage => self.create_stage(address, config).await,
        }
    }

    /// Changes the resource from `prior` to `config` in place.
    pub async fn update(
        &self,
        address: &Address,
        prior: &Object,
        config: &Object,
    ) -> Result<Object, RemoteError> {
        match address.kind {
            Kind::Api => self.update_api(address, prior, config).await,
            Kind::Authorizer => self.update_authorizer(address, prior, config).await,
            Kind::Deployment => self.update_deployment(address, prior, config).await,
            Kind::Integration => self.update_integration(address, prior, config).await,
            Kind::Model => self.update_model(address, prior, config).await,
            Kind::Route => self.update_route(address, prior, config).await,
            Kind::Stage => self.update_stage(address, prior, config).await,
        }
    }

    pub async fn delete(&self, address: &Address, prior: &Object) -> Result<(), RemoteError> {
        let id = string(prior, "id").unwrap_or_default();
        let api_id = string(prior, "api_id");
        let client = &self.client;
        let result = match address.kind {
            Kind::Api => sent!(client.delete_api().api_id(id)),
            Kind::Authorizer => sent!(
                client
                    .delete_authorizer()
                    .set_api_id(api_id)
                    .authorizer_id(id)
            ),
            Kind::Deployment => sent!(
                client
                    .delete_deployment()
                    .set_api_id(api_id)
                    .deployment_id(id)
            ),
            Kind::Integration => sent!(
                client
                    .delete_integration()
                    .set_api_id(api_id)
                    .integration_id(id)
            ),
            Kind::Model => sent!(client.delete_model().set_api_id(api_id).model_id(id)),
            Kind::Route => sent!(client.delete_route().set_api_id(api_id).route_id(id)),
            Kind::Stage => sent!(client.delete_stage().set_api_id(api_id).stage_name(id)),
        };
        match result {
            Err(Failure {
                not_found: true, ..
            }) => Ok(()),
            other => other.map_err(|failure| failure.at(address, "delete")),
        }
    }

    async fn create_api(&self, address: &Address, config: &Object) -> Result<Object, RemoteError> {
        let output = self
            .client
            .create_api()
            .set_name(string(config, "name"))
            .set_protocol_type(
                string(config, "protocol_type").map(|p| ProtocolType::from(p.as_str())),
            )
            .set_api_key_selection_expression(string(config, "api_key_selection_expression"))
            .set_cors_configuration(cors(config))
            .set_credentials_arn(string(config, "credentials_arn"))
            .set_description(string(config, "description"))
            .set_disable_execute_api_endpoint(flag(config, "disable_execute_api_endpoint"))
            .set_route_key(string(config, "route_key"))
            .set_route_selection_expression(string(config, "route_selection_expression"))
            .set_tags(map(config, "tags_all"))
            .set_target(string(config, "target"))
            .set_version(string(config, "version"))
            .set_ip_address_type(ip_address_type(config))
            .send()
            .await
            .map_err(|e| failure(e).at(address, "CreateApi"))?;
        let id = output.api_id().unwrap_or_default().to_owned();
        let mut attributes = config.clone();
        attributes.insert(
            "api_endpoint".into(),
            text(output.api_endpoint().unwrap_or_default()),
        );
        attributes.insert("id".into(), text(&id));
        if attributes
            .get("ip_address_type")
            .is_none_or(|t| t.is_null() || t.has_unknown())
        {
            let chosen = output
                .ip_address_type()
                .map_or(Value::Null, |t| text(t.as_str()));
            attributes.insert("ip_address_type".into(), chosen);
        }
        if string(config, "body").is_some() {
            self.reimport(address, &id, config).await?;
        }
        self.derive(Kind::Api, &mut attributes).await?;
        Ok(attributes)
    }

    /// Applies the OpenAPI `body` with ReimportApi. Reimporting takes the api's name, description
    /// and version from the document, so the configured ones are set again after it.
    async fn reimport(
        &self,
        address: &Address,
        id: &str,
        config: &Object,
    ) -> Result<(), RemoteError> {
        self.client
            .reimport_api()
            .api_id(id)
            .set_body(string(config, "body"))
            .set_fail_on_warnings(flag(config, "fail_on_warnings"))
            .send()
            .await
            .map_err(|e| failure(e).at(address, "ReimportApi"))?;
        self.client
            .update_api()
            .api_id(id)
            .set_name(string(config, "name"))
            .set_description(string(config, "description"))
            .set_version(string(config, "version"))
            .send()
            .await
            .map_err(|e| failure(e).at(address, "UpdateApi"))?;
        Ok(())
    }

    async fn update_api(
        &self,
        address: &Address,
        prior: &Object,
        config: &Object,
    ) -> Result<Object, RemoteError> {
        let id = string(prior, "id").unwrap_or_default();
        let changed = |name: &str| prior.get(name) != config.get(name);
        let cleared = |name: &str| changed(name).then(|| string(config, name).unwrap_or_default());
        if changed("cors_configuration") && cors(config).is_none() {
            self.client
                .delete_cors_configuration()
                .api_id(&id)
                .send()
                .await
                .map_err(|e| failure(e).at(address, "DeleteCorsConfiguration"))?;
        }
        let fields = [
            "name",
            "description",
            "version",
            "api_key_selection_expression",
            "route_selection_expression",
            "disable_execute_api_endpoint",
            "ip_address_type",
        ];
        let cors_changed = changed("cors_configuration") && cors(config).is_some();
        if cors_changed || fields.iter().any(|name| changed(name)) {
            self.client
                .update_api()
                .api_id(&id)
                .set_name(changed("name").then(|| string(config, "name")).flatten())
                .set_description(cleared("description"))
                .set_version(cleared("version"))
                .set_api_key_selection_expression(cleared("api_key_selection_expression"))
                .set_route_selection_expression(cleared("route_selection_expression"))
                .set_disable_execute_api_endpoint(
                    changed("disable_execute_api_endpoint")
                        .then(|| flag(config, "disable_execute_api_endpoint").unwrap_or(false)),
                )
                .set_ip_address_type(if changed("ip_address_type") {
                    ip_address_type(config)
                } else {
                    None
                })
                .set_cors_configuration(if cors_changed {
                    cors_replacing(prior, config)
                } else {
                    None
                })
                .send()
                .await
                .map_err(|e| failure(e).at(address, "UpdateApi"))?;
        }
        if changed("body") && string(config, "body").is_some() {
            self.reimport(address, &id, config).await?;
        }
        self.update_tags(
            address,
            string(prior, "arn").unwrap_or_default(),
            prior,
            config,
        )
        .await?;
        Ok(with_computed(Kind::Api, prior, config))
    }

    async fn update_tags(
        &self,
        address: &Address,
        arn: String,
        prior: &Object,
        config: &Object,
    ) -> Result<(), RemoteError> {
        let old = map(prior, "tags_all").unwrap_or_default();
        let new = map(config, "tags_all").unwrap_or_default();
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
            self.client
                .untag_resource()
                .resource_arn(&arn)
                .set_tag_keys(Some(removed))
                .send()
                .await
                .map_err(|e| failure(e).at(address, "UntagResource"))?;
        }
        if !set.is_empty() {
            self.client
                .tag_resource()
                .resource_arn(&arn)
                .set_tags(Some(set))
                .send()
                .await
                .map_err(|e| failure(e).at(address, "TagResource"))?;
        }
        Ok(())
    }

    async fn create_integration(
        &self,
        address: &Address,
        config: &Object,
    ) -> Result<Object, RemoteError> {
        let output = self
            .client
            .create_integration()
            .set_api_id(string(config, "api_id"))
            .set_connection_id(string(config, "connection_id"))
            .set_connection_type(
                string(config, "connection_type").map(|t| ConnectionType::from(t.as_str())),
            )
            .set_content_handling_strategy(
                string(config, "content_handling_strategy")
                    .map(|s| ContentHandlingStrategy::from(s.as_str())),
            )
            .set_credentials_arn(string(config, "credentials_arn"))
            .set_description(string(config, "description"))
            .set_integration_method(string(config, "integration_method"))
            .set_integration_subtype(string(config, "integration_subtype"))
            .set_integration_type(
                string(config, "integration_type").map(|t| IntegrationType::from(t.as_str())),
            )
            .set_integration_uri(string(config, "integration_uri"))
            .set_passthrough_behavior(
                string(config, "passthrough_behavior")
                    .map(|p| PassthroughBehavior::from(p.as_str())),
            )
            .set_payload_format_version(string(config, "payload_format_version"))
            .set_request_parameters(map(config, "request_parameters"))
            .set_request_templates(map(config, "request_templates"))
            .set_response_parameters(response_parameters(config, None))
            .set_template_selection_expression(string(config, "template_selection_expression"))
            .set_timeout_in_millis(integer(config, "timeout_milliseconds"))
            .set_tls_config(tls_config(config))
            .send()
            .await
            .map_err(|e| failure(e).at(address, "CreateIntegration"))?;
        // What AWS chose for the arguments left out, and what it computed.
        let mut attributes = config.clone();
        let mut chosen = |name: &str, value: Option<Value>| {
            let slot = attributes.entry(name.to_owned()).or_insert(Value::Null);
            if slot.is_null() || slot.has_unknown() {
                *slot = value.unwrap_or(Value::Null);
            }
        };
        chosen("id", output.integration_id().map(text));
        chosen("integration_method", output.integration_method().map(text));
        chosen(
            "integration_response_selection_expression",
            output.integration_response_selection_expression().map(text),
        );
        chosen(
            "timeout_milliseconds",
            output
                .timeout_in_millis()
                .map(|t| Value::Number(f64::from(t))),
        );
        Ok(attributes)
    }

    async fn update_integration(
        &self,
        address: &Address,
        prior: &Object,
        config: &Object,
    ) -> Result<Object, RemoteError> {
        let changed = |name: &str| prior.get(name) != config.get(name);
        let cleared = |name: &str| changed(name).then(|| string(config, name).unwrap_or_default());
        let set = |name: &str| {
            if changed(name) {
                string(config, name)
            } else {
                None
            }
        };
        self.client
            .update_integration()
            .set_api_id(string(prior, "api_id"))
            .set_integration_id(string(prior, "id"))
            .set_connection_id(cleared("connection_id"))
            .set_connection_type(set("connection_type").map(|t| ConnectionType::from(t.as_str())))
            .set_content_handling_strategy(
                cleared("content_handling_strategy")
                    .map(|s| ContentHandlingStrategy::from(s.as_str())),
            )
            .set_credentials_arn(cleared("credentials_arn"))
            .set_description(cleared("description"))
            .set_integration_method(set("integration_method"))
            .set_integration_uri(cleared("integration_uri"))
            .set_passthrough_behavior(
                set("passthrough_behavior").map(|p| PassthroughBehavior::from(p.as_str())),
            )
            .set_payload_format_version(set("payload_format_version"))
            .set_request_parameters(
                changed("request_parameters")
                    .then(|| map_replacing(prior, config, "request_parameters")),
            )
            .set_request_templates(
                changed("request_templates")
                    .then(|| map_replacing(prior, config, "request_templates")),
            )
            .set_response_parameters(
                changed("response_parameters")
                    .then(|| response_parameters(config, Some(prior)).unwrap_or_default()),
            )
            .set_template_selection_expression(cleared("template_selection_expression"))
            .set_timeout_in_millis(if changed("timeout_milliseconds") {
                integer(config, "timeout_milliseconds")
            } else {
                None
            })
            .set_tls_config(
                changed("tls_config").then(|| {
                    tls_config(config).unwrap_or_else(|| TlsConfigInput::builder().build())
                }),
            )
            .send()
            .await
            .map_err(|e| failure(e).at(address, "UpdateIntegration"))?;
        Ok(with_computed(Kind::Integration, prior, config))
    }

    async fn create_authorizer(
        &self,
        address: &Address,
        config: &Object,
    ) -> Result<Object, RemoteError> {
        let output = self
            .client
            .create_authorizer()
            .set_api_id(string(config, "api_id"))
            .set_authorizer_credentials_arn(string(config, "authorizer_credentials_arn"))
            .set_authorizer_payload_format_version(string(
                config,
                "authorizer_payload_format_version",
            ))
            .set_authorizer_result_ttl_in_seconds(authorizer_result_ttl(config))
            .set_authorizer_type(
                string(config, "authorizer_type").map(|t| AuthorizerType::from(t.as_str())),
            )
            .set_authorizer_uri(string(config, "authorizer_uri"))
            .set_enable_simple_responses(flag(config, "enable_simple_responses"))
            .set_identity_source(strings(config, "identity_sources"))
            .set_jwt_configuration(jwt_configuration(config))
            .set_name(string(config, "name"))
            .send()
            .await
            .map_err(|e| failure(e).at(address, "CreateAuthorizer"))?;
        let mut attributes = config.clone();
        attributes.insert(
            "id".into(),
            output.authorizer_id().map_or(Value::Null, text),
        );
        if attributes
            .get("authorizer_result_ttl_in_seconds")
            .is_none_or(|ttl| ttl.is_null() || ttl.has_unknown())
        {
            let ttl = output
                .authorizer_result_ttl_in_seconds()
                .map_or(Value::Null, |ttl| Value::Number(f64::from(ttl)));
            attributes.insert("authorizer_result_ttl_in_seconds".into(), ttl);
        }
        Ok(attributes)
    }

    async fn update_authorizer(
        &self,
        address: &Address,
        prior: &Object,
        config: &Object,
    ) -> Result<Object, RemoteError> {
        let changed = |name: &str| prior.get(name) != config.get(name);
        let cleared = |name: &str| changed(name).then(|| string(config, name).unwrap_or_default());
        self.client
            .update_authorizer()
            .set_api_id(string(prior, "api_id"))
            .set_authorizer_id(string(prior, "id"))
            .set_authorizer_credentials_arn(cleared("authorizer_credentials_arn"))
            .set_authorizer_payload_format_version(
                if changed("authorizer_payload_format_version") {
                    string(config, "authorizer_payload_format_version")
                } else {
                    None
                },
            )
            .set_authorizer_result_ttl_in_seconds(if changed("authorizer_result_ttl_in_seconds") {
                integer(config, "authorizer_result_ttl_in_seconds")
            } else {
                None
            })
            .set_authorizer_type(changed("authorizer_type").then(|| {
                AuthorizerType::from(
                    string(config, "authorizer_type")
                        .unwrap_or_default()
                        .as_str(),
                )
            }))
            .set_authorizer_uri(cleared("authorizer_uri"))
            .set_enable_simple_responses(
                changed("enable_simple_responses")
                    .then(|| flag(config, "enable_simple_responses").unwrap_or(false)),
            )
            .set_identity_source(
                changed("identity_sources")
                    .then(|| strings(config, "identity_sources").unwrap_or_default()),
            )
            .set_jwt_configuration(changed("jwt_configuration").then(|| {
                jwt_configuration(config).unwrap_or_else(|| JwtConfiguration::builder().build())
            }))
            .set_name(cleared("name"))
            .send()
            .await
            .map_err(|e| failure(e).at(address, "UpdateAuthorizer"))?;
        Ok(with_computed(Kind::Authorizer, prior, config))
    }

    /// Creates a deployment and waits until AWS has deployed it, as the provider does.
    async fn create_deployment(
        &self,
        address: &Address,
        config: &Object,
    ) -> Result<Object, RemoteError> {
        let api_id = string(config, "api_id").unwrap_or_default();
        let output = self
            .client
            .create_deployment()
            .api_id(&api_id)
            .set_description(string(config, "description"))
            .send()
            .await
            .map_err(|e| failure(e).at(address, "CreateDeployment"))?;
        let id = output.deployment_id().unwrap_or_default().to_owned();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(300);
        let deployed = loop {
            let deployment = self
                .client
                .get_deployment()
                .api_id(&api_id)
                .deployment_id(&id)
                .send()
                .await
                .map_err(|e| failure(e).at(address, "GetDeployment"))?;
            match deployment.deployment_status() {
                Some(DeploymentStatus::Deployed) => break deployment,
                Some(DeploymentStatus::Failed) => {
                    return Err(RemoteError::Call {
                        address: address.clone(),
                        operation: "CreateDeployment",
                        message: format!(
                            "the deployment `{id}` failed: {}",
                            deployment
                                .deployment_status_message()
                                .unwrap_or("AWS gave no reason")
                        ),
                    });
                }
                _ if std::time::Instant::now() > deadline => {
                    return Err(RemoteError::Call {
                        address: address.clone(),
                        operation: "CreateDeployment",
                        message: format!("the deployment `{id}` was not deployed within 5 minutes"),
                    });
                }
                _ => tokio::time::sleep(std::time::Duration::from_millis(500)).await,
            }
        };
        let mut attributes = config.clone();
        attributes.insert("id".into(), text(&id));
        attributes.insert(
            "auto_deployed".into(),
            deployed.auto_deployed().map_or(Value::Null, Value::Bool),
        );
        Ok(attributes)
    }

    async fn update_deployment(
        &self,
        address: &Address,
        prior: &Object,
        config: &Object,
    ) -> Result<Object, RemoteError> {
        self.client
            .update_deployment()
            .set_api_id(string(prior, "api_id"))
            .set_deployment_id(string(prior, "id"))
            .description(string(config, "description").unwrap_or_default())
            .send()
            .await
            .map_err(|e| failure(e).at(address, "UpdateDeployment"))?;
        Ok(with_computed(Kind::Deployment, prior, config))
    }

    async fn create_model(
        &self,
        address: &Address,
        config: &Object,
    ) -> Result<Object, RemoteError> {
        let output = self
            .client
            .create_model()
            .set_api_id(string(config, "api_id"))
            .set_content_type(string(config, "content_type"))
            .set_description(string(config, "description"))
            .set_name(string(config, "name"))
            .set_schema(string(config, "schema"))
            .send()
            .await
            .map_err(|e| failure(e).at(address, "CreateModel"))?;
        let mut attributes = config.clone();
        attributes.insert("id".into(), output.model_id().map_or(Value::Null, text));
        Ok(attributes)
    }

    async fn update_model(
        &self,
        address: &Address,
        prior: &Object,
        config: &Object,
    ) -> Result<Object, RemoteError> {
        let changed = |name: &str| prior.get(name) != config.get(name);
        let cleared = |name: &str| changed(name).then(|| string(config, name).unwrap_or_default());
        self.client
            .update_model()
            .set_api_id(string(prior, "api_id"))
            .set_model_id(string(prior, "id"))
            .set_description(cleared("description"))
            .set_name(cleared("name"))
            .set_schema(cleared("schema"))
            .send()
            .await
            .map_err(|e| failure(e).at(address, "UpdateModel"))?;
        Ok(with_computed(Kind::Model, prior, config))
    }

    async fn create_stage(
        &self,
        address: &Address,
        config: &Object,
    ) -> Result<Object, RemoteError> {
        let protocol = self
            .protocol_of(&string(config, "api_id").unwrap_or_default())
            .await?;
        let output = self
            .client
            .create_stage()
            .set_api_id(string(config, "api_id"))
            .set_stage_name(string(config, "name"))
            .set_access_log_settings(access_log_settings(config))
            .set_auto_deploy(flag(config, "auto_deploy"))
            .set_client_certificate_id(string(config, "client_certificate_id"))
            .set_default_route_settings(
                block_elements(config, "default_route_settings")
                    .first()
                    .map(|block| route_settings(block, protocol)),
            )
            .set_deployment_id(string(config, "deployment_id"))
            .set_description(string(config, "description"))
            .set_route_settings(stage_route_settings(config, protocol))
            .set_stage_variables(map(config, "stage_variables"))
            .set_tags(map(config, "tags_all"))
            .send()
            .await
            .map_err(|e| failure(e).at(address, "CreateStage"))?;
        let mut attributes = config.clone();
        if attributes
            .get("deployment_id")
            .is_none_or(|id| id.is_null() || id.has_unknown())
        {
            attributes.insert(
                "deployment_id".into(),
                output.deployment_id().map_or(Value::Null, text),
            );
        }
        self.derive(Kind::Stage, &mut attributes).await?;
        Ok(attributes)
    }

    async fn update_stage(
        &self,
        address: &Address,
        prior: &Object,
        config: &Object,
    ) -> Result<Object, RemoteError> {
        let changed = |name: &str| prior.get(name) != config.get(name);
        let cleared = |name: &str| changed(name).then(|| string(config, name).unwrap_or_default());
        let (api_id, name) = (
            string(prior, "api_id").unwrap_or_default(),
            string(prior, "name").unwrap_or_default(),
        );
        let protocol = self.protocol_of(&api_id).await?;
        if changed("access_log_settings") && access_log_settings(config).is_none() {
            self.client
                .delete_access_log_settings()
                .api_id(&api_id)
                .stage_name(&name)
                .send()
                .await
                .map_err(|e| failure(e).at(address, "DeleteAccessLogSettings"))?;
        }
        let kept_route_keys = stage_route_settings(config, protocol).unwrap_or_default();
        // In key order, so the calls are the same on every run.
        let prior_route_keys: std::collections::BTreeSet<String> =
            stage_route_settings(prior, protocol)
                .unwrap_or_default()
                .into_keys()
                .collect();
        for route_key in prior_route_keys {
            if !kept_route_keys.contains_key(&route_key) {
                self.client
                    .delete_route_settings()
                    .api_id(&api_id)
                    .stage_name(&name)
                    .route_key(route_key)
                    .send()
                    .await
                    .map_err(|e| failure(e).at(address, "DeleteRouteSettings"))?;
            }
        }
        let fields = [
            "access_log_settings",
            "auto_deploy",
            "client_certificate_id",
            "default_route_settings",
            "deployment_id",
            "description",
            "route_settings",
            "stage_variables",
        ];
        if fields.iter().any(|field| changed(field)) {
            self.client
                .update_stage()
                .api_id(&api_id)
                .stage_name(&name)
                .set_access_log_settings(if changed("access_log_settings") {
                    access_log_settings(config)
                } else {
                    None
                })
                .set_auto_deploy(
                    changed("auto_deploy").then(|| flag(config, "auto_deploy").unwrap_or(false)),
                )
                .set_client_certificate_id(cleared("client_certificate_id"))
                .set_default_route_settings(changed("default_route_settings").then(|| {
                    block_elements(config, "default_route_settings")
                        .first()
                        .map_or_else(
                            || route_settings(&Object::new(), protocol),
                            |block| route_settings(block, protocol),
                        )
                }))
                .set_deployment_id(if changed("deployment_id") {
                    string(config, "deployment_id")
                } else {
                    None
                })
                .set_description(cleared("description"))
                .set_route_settings(if changed("route_settings") {
                    stage_route_settings(config, protocol)
                } else {
                    None
                })
                .set_stage_variables(
                    changed("stage_variables")
                        .then(|| map_replacing(prior, config, "stage_variables")),
                )
                .send()
                .await
                .map_err(|e| failure(e).at(address, "UpdateStage"))?;
        }
        self.update_tags(
            address,
            string(prior, "arn").unwrap_or_default(),
            prior,
            config,
        )
        .await?;
        Ok(with_computed(Kind::Stage, prior, config))
    }

    async fn create_route(
        &self,
        address: &Address,
        config: &Object,
    ) -> Result<Object, RemoteError> {
        let output = self
            .client
            .create_route()
            .set_api_id(string(config, "api_id"))
            .set_route_key(string(config, "route_key"))
            .set_api_key_required(flag(config, "api_key_required"))
            .set_authorization_type(
                string(config, "authorization_type").map(|t| AuthorizationType::from(t.as_str())),
            )
            .set_authorization_scopes(strings(config, "authorization_scopes"))
            .set_authorizer_id(string(config, "authorizer_id"))
            .set_model_selection_expression(string(config, "model_selection_expression"))
            .set_operation_name(string(config, "operation_name"))
            .set_request_models(map(config, "request_models"))
            .set_route_response_selection_expression(string(
                config,
                "route_response_selection_expression",
            ))
            .set_target(string(config, "target"))
            .set_request_parameters(request_parameters(config))
            .send()
            .await
            .map_err(|e| failure(e).at(address, "CreateRoute"))?;
        let mut attributes = config.clone();
        attributes.insert("id".into(), text(output.route_id().unwrap_or_default()));
        Ok(attributes)
    }

    async fn update_route(
        &self,
        address: &Address,
        prior: &Object,
        config: &Object,
    ) -> Result<Object, RemoteError> {
        let changed = |name: &str| prior.get(name) != config.get(name);
        let cleared = |name: &str| changed(name).then(|| string(config, name).unwrap_or_default());
        // Parameters no longer configured are deleted one by one; UpdateRoute only adds and changes.
        let kept = request_parameters(config).unwrap_or_default();
        let mut prior_keys: Vec<String> = request_parameters(prior)
            .unwrap_or_default()
            .into_keys()
            .collect();
        prior_keys.sort();
        for key in prior_keys {
            if !kept.contains_key(&key) {
                self.client
                    .delete_route_request_parameter()
                    .set_api_id(string(prior, "api_id"))
                    .set_route_id(string(prior, "id"))
                    .request_parameter_key(key)
                    .send()
                    .await
                    .map_err(|e| failure(e).at(address, "DeleteRouteRequestParameter"))?;
            }
        }
        self.client
            .update_route()
            .set_api_id(string(prior, "api_id"))
            .set_route_id(string(prior, "id"))
            .set_route_key(cleared("route_key"))
            .set_api_key_required(
                changed("api_key_required")
                    .then(|| flag(config, "api_key_required").unwrap_or(false)),
            )
            .set_authorization_type(changed("authorization_type").then(|| {
                AuthorizationType::from(
                    string(config, "authorization_type")
                        .as_deref()
                        .unwrap_or("NONE"),
                )
            }))
            .set_authorization_scopes(
                changed("authorization_scopes")
                    .then(|| strings(config, "authorization_scopes").unwrap_or_default()),
            )
            .set_authorizer_id(cleared("authorizer_id"))
            .set_model_selection_expression(cleared("model_selection_expression"))
            .set_operation_name(cleared("operation_name"))
            .set_request_models(
                changed("request_models")
                    .then(|| map(config, "request_models").unwrap_or_default()),
            )
            .set_route_response_selection_expression(cleared("route_response_selection_expression"))
            .set_target(cleared("target"))
            .set_request_parameters(if changed("request_parameter") {
                request_parameters(config)
            } else {
                None
            })
            .send()
            .await
            .map_err(|e| failure(e).at(address, "UpdateRoute"))?;
        Ok(with_computed(Kind::Route, prior, config))
    }

    /// The protocol of an api, for the calls whose arguments depend on it.
    async fn protocol_of(&self, api_id: &str) -> Result<Protocol, RemoteError> {
        let api = self
            .client
            .get_api()
            .api_id(api_id)
            .send()
            .await
            .map_err(|e| failure(e).listing("GetApi"))?;
        Ok(match api.protocol_type() {
            Some(ProtocolType::Websocket) => Protocol::WebSocket,
            _ => Protocol::Http,
        })
    }

    /// Fills in the attributes gateform derives rather than reads: an api's `arn` and
    /// `execution_arn`, from its id, the region and the account.
    pub async fn derive(&self, kind: Kind, attributes: &mut Object) -> Result<(), RemoteError> {
        match kind {
            Kind::Api => {
                let id = string(attributes, "id").unwrap_or_default();
                let (partition, region) = (self.partition(), &self.region);
                let account = self.account().await?;
                let arn = format!("arn:{partition}:apigateway:{region}::/apis/{id}");
                let execution_arn = format!("arn:{partition}:execute-api:{region}:{account}:{id}");
                attributes.insert("arn".into(), text(&arn));
                attributes.insert("execution_arn".into(), text(&execution_arn));
            }
            Kind::Stage => {
                let (api_id, name) = (
                    string(attributes, "api_id").unwrap_or_default(),
                    string(attributes, "name").unwrap_or_default(),
                );
                let (partition, region) = (self.partition(), &self.region);
                let account = self.account().await?;
                let protocol = self.protocol_of(&api_id).await?;
                let host = format!(
                    "{api_id}.execute-api.{region}.amazonaws.com{}",
                    if partition == "aws-cn" { ".cn" } else { "" }
                );
                let invoke_url = match (protocol, name.as_str()) {
                    (Protocol::WebSocket, _) => format!("wss://{host}/{name}"),
                    (_, "$default") => format!("https://{host}/"),
                    _ => format!("https://{host}/{name}"),
                };
                let arn =
                    format!("arn:{partition}:apigateway:{region}::/apis/{api_id}/stages/{name}");
                let execution_arn =
                    format!("arn:{partition}:execute-api:{region}:{account}:{api_id}/{name}");
                attributes.insert("arn".into(), text(&arn));
                attributes.insert("execution_arn".into(), text(&execution_arn));
                attributes.insert("id".into(), text(&name));
                attributes.insert("invoke_url".into(), text(&invoke_url));
            }
            Kind::Authorizer | Kind::Deployment | Kind::Integration | Kind::Model | Kind::Route => {
            }
        }
        Ok(())
    }

    /// One object by its id, for endpoints that lack a list call (see [`RemoteError::List`]'s
    /// `unavailable`). `None` when it does not exist.
    pub async fn get(
        &self,
        kind: Kind,
        api_id: &str,
        id: &str,
    ) -> Result<Option<Object>, RemoteError> {
        let found = match kind {
            Kind::Deployment => self
                .client
                .get_deployment()
                .api_id(api_id)
                .deployment_id(id)
                .send()
                .await
                .map(|deployment| deployment_object!(api_id, deployment))
                .map_err(failure),
            Kind::Authorizer => self
                .client
                .get_authorizer()
                .api_id(api_id)
                .authorizer_id(id)
                .send()
                .await
                .map(|authorizer| authorizer_object!(api_id, authorizer))
                .map_err(failure),
            Kind::Model => self
                .client
                .get_model()
                .api_id(api_id)
                .model_id(id)
                .send()
                .await
                .map(|model| model_object!(api_id, model))
                .map_err(failure),
            Kind::Api | Kind::Integration | Kind::Route | Kind::Stage => {
                return Err(RemoteError::List {
                    operation: "a single Get",
                    message: format!("gateform reads {kind} objects only with list calls"),
                    unavailable: false,
                });
            }
        };
        match found {
            Ok(mut object) => {
                object.insert("region".into(), text(&self.region));
                Ok(Some(object))
            }
            Err(Failure {
                not_found: true, ..
            }) => Ok(None),
            Err(failure) => Err(failure.listing("Get")),
        }
    }

    async fn account(&self) -> Result<&str, RemoteError> {
        self.account
            .get_or_try_init(|| async {
                let identity = self
                    .sts
                    .get_caller_identity()
                    .send()
                    .await
                    .map_err(|e| RemoteError::Account(DisplayErrorContext(e).to_string()))?;
                identity
                    .account()
                    .map(str::to_owned)
                    .ok_or_else(|| RemoteError::Account("no account in the answer".into()))
            })
            .await
            .map(String::as_str)
    }

    /// The AWS partition of the region, for ARNs.
    fn partition(&self) -> &'static str {
        if self.region.starts_with("cn-") {
            "aws-cn"
        } else if self.region.starts_with("us-gov-") {
            "aws-us-gov"
        } else {
            "aws"
        }
    }
}

/// A failed call, before it is tied to a resource.
struct Failure {
    message: String,
    not_found: bool,
    /// The endpoint does not have the operation at all.
    unavailable: bool,
}

impl Failure {
    fn listing(self, operation: &'static str) -> RemoteError {
        RemoteError::List {
            operation,
            message: self.message,
            unavailable: self.unavailable,
        }
    }

    fn at(self, address: &Address, operation: &'static str) -> RemoteError {
        RemoteError::Call {
            address: address.clone(),
            operation,
            message: self.message,
        }
    }
}

fn failure<E>(error: aws_sdk_apigatewayv2::error::SdkError<E, HttpResponse>) -> Failure
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let code = error
        .as_service_error()
        .and_then(ProvideErrorMetadata::code);
    let not_found = code == Some("NotFoundException");
    // An endpoint that does not have the operation at all (an emulator such as moto) answers 404,
    // 500 or 501 with no AWS error code; AWS itself always names its errors.
    let status = error
        .raw_response()
        .map(|response| response.status().as_u16());
    let unavailable = code.is_none_or(|code| code.parse::<u16>().is_ok())
        && matches!(status, Some(404 | 500 | 501));
    let message = match error.as_service_error() {
        Some(service) => match (service.code(), service.message()) {
            (Some(code), Some(message)) => format!("{code}: {message}"),
            _ => DisplayErrorContext(&error).to_string(),
        },
        None => error_chain(&error),
    };
    Failure {
        message,
        not_found,
        unavailable,
    }
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

/// An api as AWS reports it. Attributes AWS does not report (the derived ARNs and the quick-create
/// arguments) are `Null`; refresh keeps the state's values of those.
fn api_object(api: &aws_sdk_apigatewayv2::types::Api) -> Object {
    let cors = api.cors_configuration().map(|cors| {
        Value::Map(object([
            (
                "allow_credentials",
                cors.allow_credentials().map(Value::Bool),
            ),
            ("allow_headers", texts(cors.allow_headers())),
            ("allow_methods", texts(cors.allow_methods())),
            ("allow_origins", texts(cors.allow_origins())),
            ("expose_headers", texts(cors.expose_headers())),
            (
                "max_age",
                cors.max_age().map(|age| Value::Number(f64::from(age))),
            ),
        ]))
    });
    object([
        ("api_endpoint", api.api_endpoint().map(text)),
        (
            "api_key_selection_expression",
            api.api_key_selection_expression().map(text),
        ),
        (
            "cors_configuration",
            Some(Value::List(cors.into_iter().collect())),
        ),
        ("description", api.description().map(text)),
        (
            "disable_execute_api_endpoint",
            api.disable_execute_api_endpoint().map(Value::Bool),
        ),
        ("id", api.api_id().map(text)),
        (
            "ip_address_type",
            api.ip_address_type().map(|t| text(t.as_str())),
        ),
        ("name", api.name().map(text)),
        (
            "protocol_type",
            api.protocol_type().map(|p| text(p.as_str())),
        ),
        (
            "route_selection_expression",
            api.route_selection_expression().map(text),
        ),
        ("tags_all", api.tags().map(text_map)),
        ("version", api.version().map(text)),
    ])
}

fn integration_object(
    api_id: &str,
    integration: &aws_sdk_apigatewayv2::types::Integration,
) -> Object {
    let response_parameters = integration.response_parameters().map(|by_status| {
        Value::List(
            by_status
                .iter()
                .map(|(status_code, mappings)| {
                    Value::Map(object([
                        ("mappings", Some(text_map(mappings))),
                        ("status_code", Some(text(status_code))),
                    ]))
                })
                .collect(),
        )
    });
    let tls_config = integration.tls_config().map(|tls| {
        Value::List(vec![Value::Map(object([(
            "server_name_to_verify",
            tls.server_name_to_verify().map(text),
        )]))])
    });
    object([
        ("api_id", Some(text(api_id))),
        ("connection_id", integration.connection_id().map(text)),
        (
            "connection_type",
            integration.connection_type().map(|t| text(t.as_str())),
        ),
        (
            "content_handling_strategy",
            integration
                .content_handling_strategy()
                .map(|s| text(s.as_str())),
        ),
        ("credentials_arn", integration.credentials_arn().map(text)),
        ("description", integration.description().map(text)),
        ("id", integration.integration_id().map(text)),
        (
            "integration_method",
            integration.integration_method().map(text),
        ),
        (
            "integration_response_selection_expression",
            integration
                .integration_response_selection_expression()
                .map(text),
        ),
        (
            "integration_subtype",
            integration.integration_subtype().map(text),
        ),
        (
            "integration_type",
            integration.integration_type().map(|t| text(t.as_str())),
        ),
        ("integration_uri", integration.integration_uri().map(text)),
        (
            "passthrough_behavior",
            integration.passthrough_behavior().map(|p| text(p.as_str())),
        ),
        (
            "payload_format_version",
            integration.payload_format_version().map(text),
        ),
        (
            "request_parameters",
            integration.request_parameters().map(text_map),
        ),
        (
            "request_templates",
            integration.request_templates().map(text_map),
        ),
        (
            "response_parameters",
            response_parameters.or(Some(Value::List(Vec::new()))),
        ),
        (
            "template_selection_expression",
            integration.template_selection_expression().map(text),
        ),
        (
            "timeout_milliseconds",
            integration
                .timeout_in_millis()
                .map(|t| Value::Number(f64::from(t))),
        ),
        ("tls_config", tls_config.or(Some(Value::List(Vec::new())))),
    ])
}

/// An authorizer as AWS reports it, from a GetAuthorizers item or a GetAuthorizer answer.
macro_rules! authorizer_object {
    ($api_id:expr, $authorizer:expr) => {{
        let jwt = $authorizer.jwt_configuration().map(|jwt| {
            Value::Map(object([
                ("audience", texts(jwt.audience())),
                ("issuer", jwt.issuer().map(text)),
            ]))
        });
        object([
            ("api_id", Some(text($api_id))),
            (
                "authorizer_credentials_arn",
                $authorizer.authorizer_credentials_arn().map(text),
            ),
            (
                "authorizer_payload_format_version",
                $authorizer.authorizer_payload_format_version().map(text),
            ),
            (
                "authorizer_result_ttl_in_seconds",
                $authorizer
                    .authorizer_result_ttl_in_seconds()
                    .map(|ttl| Value::Number(f64::from(ttl))),
            ),
            (
                "authorizer_type",
                $authorizer.authorizer_type().map(|t| text(t.as_str())),
            ),
            ("authorizer_uri", $authorizer.authorizer_uri().map(text)),
            (
                "enable_simple_responses",
                $authorizer.enable_simple_responses().map(Value::Bool),
            ),
            ("id", $authorizer.authorizer_id().map(text)),
            ("identity_sources", texts($authorizer.identity_source())),
            (
                "jwt_configuration",
                Some(Value::List(jwt.into_iter().collect())),
            ),
            ("name", $authorizer.name().map(text)),
        ])
    }};
}
use authorizer_object;

/// A deployment as AWS reports it, from a GetDeployments item or a GetDeployment answer.
macro_rules! deployment_object {
    ($api_id:expr, $deployment:expr) => {
        object([
            ("api_id", Some(text($api_id))),
            (
                "auto_deployed",
                $deployment.auto_deployed().map(Value::Bool),
            ),
            ("description", $deployment.description().map(text)),
            ("id", $deployment.deployment_id().map(text)),
        ])
    };
}
use deployment_object;

/// A model as AWS reports it, from a GetModels item or a GetModel answer (the SDK has a type for
/// each, with the same getters).
macro_rules! model_object {
    ($api_id:expr, $model:expr) => {
        object([
            ("api_id", Some(text($api_id))),
            ("content_type", $model.content_type().map(text)),
            ("description", $model.description().map(text)),
            ("id", $model.model_id().map(text)),
            ("name", $model.name().map(text)),
            ("schema", $model.schema().map(text)),
        ])
    };
}
use model_object;

fn stage_object(api_id: &str, stage: &aws_sdk_apigatewayv2::types::Stage) -> Object {
    let access_log = stage.access_log_settings().map(|settings| {
        Value::Map(object([
            ("destination_arn", settings.destination_arn().map(text)),
            ("format", settings.format().map(text)),
        ]))
    });
    let by_route_key = stage.route_settings().map(|by_route_key| {
        Value::List(
            by_route_key
                .iter()
                .map(|(route_key, settings)| {
                    let mut block = route_settings_object(settings);
                    block.insert("route_key".into(), text(route_key));
                    Value::Map(block)
                })
                .collect(),
        )
    });
    object([
        (
            "access_log_settings",
            Some(Value::List(access_log.into_iter().collect())),
        ),
        ("api_id", Some(text(api_id))),
        ("auto_deploy", stage.auto_deploy().map(Value::Bool)),
        (
            "client_certificate_id",
            stage.client_certificate_id().map(text),
        ),
        (
            "default_route_settings",
            Some(Value::List(
                stage
                    .default_route_settings()
                    .map(|s| Value::Map(route_settings_object(s)))
                    .into_iter()
                    .collect(),
            )),
        ),
        ("deployment_id", stage.deployment_id().map(text)),
        ("description", stage.description().map(text)),
        ("id", stage.stage_name().map(text)),
        ("name", stage.stage_name().map(text)),
        (
            "route_settings",
            by_route_key.or(Some(Value::List(Vec::new()))),
        ),
        ("stage_variables", stage.stage_variables().map(text_map)),
        ("tags_all", stage.tags().map(text_map)),
    ])
}

fn route_settings_object(settings: &RouteSettings) -> Object {
    object([
        (
            "data_trace_enabled",
            settings.data_trace_enabled().map(Value::Bool),
        ),
        (
            "detailed_metrics_enabled",
            settings.detailed_metrics_enabled().map(Value::Bool),
        ),
        (
            "logging_level",
            settings.logging_level().map(|level| text(level.as_str())),
        ),
        (
            "throttling_burst_limit",
            settings
                .throttling_burst_limit()
                .map(|limit| Value::Number(f64::from(limit))),
        ),
        (
            "throttling_rate_limit",
            settings.throttling_rate_limit().map(Value::Number),
        ),
    ])
}

fn route_object(api_id: &str, route: &aws_sdk_apigatewayv2::types::Route) -> Object {
    object([
        ("api_id", Some(text(api_id))),
        (
            "api_key_required",
            route.api_key_required().map(Value::Bool),
        ),
        ("authorization_scopes", texts(route.authorization_scopes())),
        (
            "authorization_type",
            route.authorization_type().map(|t| text(t.as_str())),
        ),
        ("authorizer_id", route.authorizer_id().map(text)),
        ("id", route.route_id().map(text)),
        (
            "model_selection_expression",
            route.model_selection_expression().map(text),
        ),
        ("operation_name", route.operation_name().map(text)),
        ("request_models", route.request_models().map(text_map)),
        ("route_key", route.route_key().map(text)),
        (
            "route_response_selection_expression",
            route.route_response_selection_expression().map(text),
        ),
        ("target", route.target().map(text)),
        (
            "request_parameter",
            Some(Value::List(
                route
                    .request_parameters()
                    .into_iter()
                    .flatten()
                    .map(|(key, constraints)| {
                        Value::Map(object([
                            ("request_parameter_key", Some(text(key))),
                            (
                                "required",
                                Some(Value::Bool(constraints.required().unwrap_or(false))),
                            ),
                        ]))
                    })
                    .collect(),
            )),
        ),
    ])
}

fn object<const N: usize>(entries: [(&str, Option<Value>); N]) -> Object {
    entries
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value.unwrap_or(Value::Null)))
        .collect()
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

/// The configuration's attributes with the computed ones carried over from before.
fn with_computed(kind: Kind, prior: &Object, config: &Object) -> Object {
    let mut attributes = config.clone();
    for attribute in kind.schema().computed() {
        attributes.insert(
            attribute.name.to_owned(),
            prior.get(attribute.name).cloned().unwrap_or(Value::Null),
        );
    }
    attributes
}

fn text(value: &str) -> Value {
    Value::String(value.to_owned())
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

fn cors_block(object: &Object) -> Option<&Object> {
    block_elements(object, "cors_configuration")
        .first()
        .copied()
}

fn cors(object: &Object) -> Option<Cors> {
    let block = cors_block(object)?;
    Some(
        Cors::builder()
            .set_allow_credentials(flag(block, "allow_credentials"))
            .set_allow_headers(strings(block, "allow_headers"))
            .set_allow_methods(strings(block, "allow_methods"))
            .set_allow_origins(strings(block, "allow_origins"))
            .set_expose_headers(strings(block, "expose_headers"))
            .set_max_age(block.get("max_age").and_then(number).map(|age| age as i32))
            .build(),
    )
}

/// The CORS configuration to send when it changed: fields that were set and no longer are must be
/// cleared explicitly, since UpdateApi leaves fields it is not given alone.
fn cors_replacing(prior: &Object, config: &Object) -> Option<Cors> {
    let new = cors_block(config)?;
    let old = cors_block(prior);
    let was_set = |name: &str| {
        old.and_then(|old| old.get(name))
            .is_some_and(|value| !value.is_null())
    };
    let list = |name: &str| strings(new, name).or_else(|| was_set(name).then(Vec::new));
    Some(
        Cors::builder()
            .set_allow_credentials(
                flag(new, "allow_credentials")
                    .or_else(|| was_set("allow_credentials").then_some(false)),
            )
            .set_allow_headers(list("allow_headers"))
            .set_allow_methods(list("allow_methods"))
            .set_allow_origins(list("allow_origins"))
            .set_expose_headers(list("expose_headers"))
            .set_max_age(
                new.get("max_age")
                    .and_then(number)
                    .map(|age| age as i32)
                    .or_else(|| was_set("max_age").then_some(0)),
            )
            .build(),
    )
}

/// The configured cache time, or, as the Terraform provider does, 300 seconds for a REQUEST
/// authorizer of an HTTP API with identity sources. Only HTTP APIs' REQUEST authorizers take
/// (and need) a payload format version.
fn authorizer_result_ttl(config: &Object) -> Option<i32> {
    integer(config, "authorizer_result_ttl_in_seconds").or_else(|| {
        let caches = string(config, "authorizer_type").as_deref() == Some("REQUEST")
            && string(config, "authorizer_payload_format_version").is_some()
            && strings(config, "identity_sources").is_some_and(|sources| !sources.is_empty());
        caches.then_some(300)
    })
}

fn integer(object: &Object, name: &str) -> Option<i32> {
    object
        .get(name)
        .and_then(number)
        .map(|number| number as i32)
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

/// `response_parameters` blocks as AWS takes them, by status code. On update (`prior` given),
/// status codes removed since are sent with no mappings, which removes them.
fn response_parameters(
    config: &Object,
    prior: Option<&Object>,
) -> Option<HashMap<String, HashMap<String, String>>> {
    let by_status = |object: &Object| -> HashMap<String, HashMap<String, String>> {
        block_elements(object, "response_parameters")
            .into_iter()
            .filter_map(|block| {
                Some((
                    string(block, "status_code")?,
                    map(block, "mappings").unwrap_or_default(),
                ))
            })
            .collect()
    };
    let mut parameters = by_status(config);
    for status_code in prior.map(by_status).unwrap_or_default().into_keys() {
        parameters.entry(status_code).or_default();
    }
    (!parameters.is_empty()).then_some(parameters)
}

fn jwt_configuration(object: &Object) -> Option<JwtConfiguration> {
    let block = block_elements(object, "jwt_configuration")
        .first()
        .copied()?;
    Some(
        JwtConfiguration::builder()
            .set_audience(strings(block, "audience"))
            .set_issuer(string(block, "issuer"))
            .build(),
    )
}

fn access_log_settings(object: &Object) -> Option<AccessLogSettings> {
    let block = block_elements(object, "access_log_settings")
        .first()
        .copied()?;
    Some(
        AccessLogSettings::builder()
            .set_destination_arn(string(block, "destination_arn"))
            .set_format(string(block, "format"))
            .build(),
    )
}

/// One `default_route_settings` or `route_settings` block as AWS takes it. Unset flags are sent as
/// false, so that clearing one clears it in AWS; the WebSocket-only settings go to WebSocket apis
/// only, as the Terraform provider does.
fn route_settings(block: &Object, protocol: Protocol) -> RouteSettings {
    let websocket = protocol == Protocol::WebSocket;
    RouteSettings::builder()
        .set_data_trace_enabled(
            websocket.then(|| flag(block, "data_trace_enabled").unwrap_or(false)),
        )
        .detailed_metrics_enabled(flag(block, "detailed_metrics_enabled").unwrap_or(false))
        .set_logging_level(
            string(block, "logging_level")
                .filter(|_| websocket)
                .map(|level| LoggingLevel::from(level.as_str())),
        )
        .set_throttling_burst_limit(integer(block, "throttling_burst_limit"))
        .set_throttling_rate_limit(block.get("throttling_rate_limit").and_then(number))
        .build()
}

/// The `route_settings` blocks by route key, as AWS takes them.
fn stage_route_settings(
    object: &Object,
    protocol: Protocol,
) -> Option<HashMap<String, RouteSettings>> {
    let blocks = block_elements(object, "route_settings");
    (!blocks.is_empty()).then(|| {
        blocks
            .into_iter()
            .filter_map(|block| {
                Some((string(block, "route_key")?, route_settings(block, protocol)))
            })
            .collect()
    })
}

/// The `request_parameter` blocks of a route, by key, as AWS takes them.
fn request_parameters(object: &Object) -> Option<HashMap<String, ParameterConstraints>> {
    let blocks = block_elements(object, "request_parameter");
    (!blocks.is_empty()).then(|| {
        blocks
            .into_iter()
            .filter_map(|block| {
                let constraints = ParameterConstraints::builder()
                    .required(flag(block, "required").unwrap_or(false))
                    .build();
                Some((string(block, "request_parameter_key")?, constraints))
            })
            .collect()
    })
}

fn ip_address_type(object: &Object) -> Option<IpAddressType> {
    string(object, "ip_address_type").map(|t| IpAddressType::from(t.as_str()))
}

fn tls_config(object: &Object) -> Option<TlsConfigInput> {
    let block = block_elements(object, "tls_config").first().copied()?;
    Some(
        TlsConfigInput::builder()
            .set_server_name_to_verify(string(block, "server_name_to_verify"))
            .build(),
    )
}

fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(number) => Some(*number),
        _ => None,
    }
}
