//! The SDK configuration a [`Connection`] asks for: aws-config's standard chain, narrowed or
//! replaced by what the provider block says, as the AWS provider does it. Static keys come
//! first; else the chain, with the profile and files named and without instance metadata when
//! `skip_metadata_api_check` says so. On those credentials, the web identity role and then each
//! `assume_role` in turn.

use std::time::{Duration, UNIX_EPOCH};

use aws_config::environment::credentials::EnvironmentVariableCredentialsProvider;
use aws_config::meta::credentials::CredentialsProviderChain;
use aws_config::profile::ProfileFileCredentialsProvider;
use aws_config::provider_config::ProviderConfig;
use aws_config::retry::RetryConfig;
use aws_config::sts::AssumeRoleProvider;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{self, ProvideCredentials, SharedCredentialsProvider};
use aws_runtime::env_config::file::{EnvConfigFileKind, EnvConfigFiles as ProfileFiles};

use crate::connection::{Connection, WebIdentity, WebIdentityToken};

/// The SDK configuration for `connection`, with `home` as the region credentials are found in.
pub async fn sdk_config(connection: &Connection, home: Option<&str>) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest());
    if let Some(home) = home {
        loader = loader.region(Region::new(home.to_owned()));
    }
    let files = profile_files(connection);
    if let Some(files) = &files {
        loader = loader.profile_files(files.clone());
    }
    if let Some(profile) = &connection.profile {
        loader = loader.profile_name(profile);
    }
    loader = loader
        .retry_config(retry_config(connection))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(connection.timeouts.connect)
                .operation_attempt_timeout(connection.timeouts.call)
                .build(),
        );
    if let Some(keys) = &connection.keys {
        loader = loader.credentials_provider(Credentials::new(
            &keys.access_key,
            &keys.secret_key,
            keys.token.clone(),
            None,
            "provider block",
        ));
    } else if let Some(name) = &connection.profile {
        // A profile named in the provider block is where credentials come from, before the
        // environment's keys, as in the AWS provider.
        loader = loader.credentials_provider(profile(name, files, home));
    } else if connection.skip_metadata_api_check {
        loader = loader.credentials_provider(chain_without_metadata(files, home));
    }
    let mut config = loader.load().await;
    if let Some(identity) = &connection.web_identity {
        let sts = aws_sdk_sts::Client::from_conf(sts_config(&config, connection));
        let provider = WebIdentityRole {
            sts,
            identity: identity.clone(),
        };
        config = with_credentials(config, provider);
    }
    for role in &connection.assume_role {
        let mut builder = AssumeRoleProvider::builder(&role.role_arn)
            .session_name(role.session_name.as_deref().unwrap_or(SESSION_NAME));
        if let Some(id) = &role.external_id {
            builder = builder.external_id(id);
        }
        if let Some(policy) = &role.policy {
            builder = builder.policy(policy);
        }
        if !role.policy_arns.is_empty() {
            builder = builder.policy_arns(role.policy_arns.clone());
        }
        if let Some(duration) = role.duration {
            builder = builder.session_length(duration);
        }
        if !role.tags.is_empty() {
            builder = builder.tags(role.tags.clone());
        }
        let mut through = config.to_builder();
        if let Some(endpoint) = connection.endpoints.get("sts") {
            through.set_endpoint_url(Some(endpoint.clone()));
        }
        let provider = builder.configure(&through.build()).build().await;
        config = with_credentials(config, provider);
    }
    config
}

/// The session name of an assumed role when the configuration gives none.
const SESSION_NAME: &str = "gateform";

fn with_credentials(config: SdkConfig, provider: impl ProvideCredentials + 'static) -> SdkConfig {
    config
        .to_builder()
        .credentials_provider(SharedCredentialsProvider::new(provider))
        .build()
}

/// STS as the connection reaches it: its `endpoints.sts`, if set.
pub fn sts_config(config: &SdkConfig, connection: &Connection) -> aws_sdk_sts::Config {
    let mut builder = aws_sdk_sts::config::Builder::from(config);
    if let Some(endpoint) = connection.endpoints.get("sts") {
        builder = builder.endpoint_url(endpoint);
    }
    builder.build()
}

/// `shared_config_files` and `shared_credentials_files`, each in place of the default file of
/// its kind; `None` when neither is set.
fn profile_files(connection: &Connection) -> Option<ProfileFiles> {
    let (config, credentials) = (
        &connection.shared_config_files,
        &connection.shared_credentials_files,
    );
    if config.is_empty() && credentials.is_empty() {
        return None;
    }
    let mut files = ProfileFiles::builder()
        .include_default_config_file(config.is_empty())
        .include_default_credentials_file(credentials.is_empty());
    for file in config {
        files = files.with_file(EnvConfigFileKind::Config, file);
    }
    for file in credentials {
        files = files.with_file(EnvConfigFileKind::Credentials, file);
    }
    Some(files.build())
}

/// `max_retries` (attempts after the first; the SDK's standard 2 when unset) and `retry_mode`. The first retry waits up to 100 ms
/// (the SDK's default is up to 1 s), doubling each time: API Gateway's errors worth retrying pass
/// quickly, and a run with many calls should not sit out seconds for each.
fn retry_config(connection: &Connection) -> RetryConfig {
    let base = match connection.adaptive_retries {
        true => RetryConfig::adaptive(),
        false => RetryConfig::standard(),
    };
    let base = base.with_initial_backoff(Duration::from_millis(100));
    base.with_max_attempts(connection.attempts())
}

/// The credentials of profile `name`: its keys, its role, its SSO session or its process.
fn profile(
    name: &str,
    files: Option<ProfileFiles>,
    home: Option<&str>,
) -> ProfileFileCredentialsProvider {
    let mut profile = ProfileFileCredentialsProvider::builder()
        .configure(&provider_config(home))
        .profile_name(name);
    if let Some(files) = files {
        profile = profile.profile_files(files);
    }
    profile.build()
}

fn provider_config(home: Option<&str>) -> ProviderConfig {
    ProviderConfig::default().with_region(home.map(|home| Region::new(home.to_owned())))
}

/// The standard chain without its last link, instance metadata: environment, profile, web
/// identity from the environment, the container's credentials.
fn chain_without_metadata(
    files: Option<ProfileFiles>,
    home: Option<&str>,
) -> CredentialsProviderChain {
    let mut profile = ProfileFileCredentialsProvider::builder().configure(&provider_config(home));
    if let Some(files) = files {
        profile = profile.profile_files(files);
    }
    let web_identity =
        aws_config::web_identity_token::WebIdentityTokenCredentialsProvider::builder()
            .configure(&provider_config(home))
            .build();
    let container = aws_config::ecs::EcsCredentialsProvider::builder()
        .configure(&provider_config(home))
        .build();
    CredentialsProviderChain::first_try(
        "Environment",
        EnvironmentVariableCredentialsProvider::new(),
    )
    .or_else("Profile", profile.build())
    .or_else("WebIdentityToken", web_identity)
    .or_else("EcsContainer", container)
}

/// `assume_role_with_web_identity`: sts:AssumeRoleWithWebIdentity with the token, read from its
/// file each time, for tokens that are rotated.
#[derive(Debug)]
struct WebIdentityRole {
    sts: aws_sdk_sts::Client,
    identity: WebIdentity,
}

impl WebIdentityRole {
    async fn assume(&self) -> provider::Result {
        let identity = &self.identity;
        let token = match &identity.token {
            WebIdentityToken::Literal(token) => token.clone(),
            WebIdentityToken::File(path) => std::fs::read_to_string(path)
                .map_err(|error| {
                    CredentialsError::not_loaded(format!(
                        "cannot read `web_identity_token_file` {}: {error}",
                        path.display()
                    ))
                })?
                .trim()
                .to_owned(),
        };
        let policy_arns = identity.policy_arns.iter().map(|arn| {
            aws_sdk_sts::types::PolicyDescriptorType::builder()
                .arn(arn)
                .build()
        });
        let answer = self
            .sts
            .assume_role_with_web_identity()
            .role_arn(&identity.role_arn)
            .role_session_name(identity.session_name.as_deref().unwrap_or(SESSION_NAME))
            .web_identity_token(token)
            .set_duration_seconds(identity.duration.map(|duration| duration.as_secs() as i32))
            .set_policy(identity.policy.clone())
            .set_policy_arns(Some(policy_arns.collect()).filter(|arns: &Vec<_>| !arns.is_empty()))
            .send()
            .await
            .map_err(|error| CredentialsError::provider_error(super::sdk_message(&error)))?;
        let credentials = answer.credentials().ok_or_else(|| {
            CredentialsError::provider_error(
                "sts:AssumeRoleWithWebIdentity returned no credentials",
            )
        })?;
        let expiry =
            UNIX_EPOCH + Duration::from_secs(credentials.expiration().secs().max(0) as u64);
        Ok(Credentials::new(
            credentials.access_key_id(),
            credentials.secret_access_key(),
            Some(credentials.session_token().to_owned()),
            Some(expiry),
            "assume_role_with_web_identity",
        ))
    }
}

impl ProvideCredentials for WebIdentityRole {
    fn provide_credentials<'a>(&'a self) -> provider::future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        provider::future::ProvideCredentials::new(self.assume())
    }
}
