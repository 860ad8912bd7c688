//! `aws_apigatewayv2_authorizer` in AWS: CreateAuthorizer, UpdateAuthorizer, DeleteAuthorizer,
//! GetAuthorizers (and GetAuthorizer where the endpoint lacks the list).

use aws_sdk_apigatewayv2::types::{AuthorizerType, JwtConfiguration};

use super::{
    Aws, Change, Failure, Listed, Parents, Resource, first_block, flag, integer, list_all, listed,
    object, send, single, string, strings, text, texts, whole,
};
use crate::value::{Object, Value};

pub struct Authorizer;

/// An authorizer as AWS reports it, from a GetAuthorizers item, a GetAuthorizer or a
/// CreateAuthorizer answer.
macro_rules! attributes {
    ($authorizer:expr) => {{
        let authorizer = $authorizer;
        let jwt = authorizer.jwt_configuration().map(|jwt| {
            object([
                ("audience", texts(jwt.audience())),
                ("issuer", jwt.issuer().map(text)),
            ])
        });
        object([
            (
                "authorizer_credentials_arn",
                authorizer.authorizer_credentials_arn().map(text),
            ),
            (
                "authorizer_payload_format_version",
                authorizer.authorizer_payload_format_version().map(text),
            ),
            (
                "authorizer_result_ttl_in_seconds",
                authorizer.authorizer_result_ttl_in_seconds().map(whole),
            ),
            (
                "authorizer_type",
                authorizer.authorizer_type().map(|t| text(t.as_str())),
            ),
            ("authorizer_uri", authorizer.authorizer_uri().map(text)),
            (
                "enable_simple_responses",
                authorizer.enable_simple_responses().map(Value::Bool),
            ),
            ("id", authorizer.authorizer_id().map(text)),
            ("identity_sources", texts(authorizer.identity_source())),
            ("jwt_configuration", single(jwt)),
            ("name", authorizer.name().map(text)),
        ])
    }};
}

#[async_trait::async_trait]
impl Resource for Authorizer {
    async fn create(&self, aws: &Aws, config: &Object) -> Result<Object, Failure> {
        let request = aws
            .once
            .create_authorizer()
            .set_api_id(string(config, "api_id"))
            .set_authorizer_credentials_arn(string(config, "authorizer_credentials_arn"))
            .set_authorizer_payload_format_version(string(
                config,
                "authorizer_payload_format_version",
            ))
            .set_authorizer_result_ttl_in_seconds(result_ttl(config))
            .set_authorizer_type(
                string(config, "authorizer_type").map(|t| AuthorizerType::from(t.as_str())),
            )
            .set_authorizer_uri(string(config, "authorizer_uri"))
            .set_enable_simple_responses(flag(config, "enable_simple_responses"))
            .set_identity_source(strings(config, "identity_sources"))
            .set_jwt_configuration(jwt_configuration(config))
            .set_name(string(config, "name"));
        let output = send("CreateAuthorizer", request.send()).await?;
        Ok(attributes!(&output))
    }

    async fn update(&self, aws: &Aws, prior: &Object, config: &Object) -> Result<(), Failure> {
        let change = Change::new(prior, config);
        let request = aws
            .client
            .update_authorizer()
            .set_api_id(string(prior, "api_id"))
            .set_authorizer_id(string(prior, "id"))
            .set_authorizer_credentials_arn(change.cleared("authorizer_credentials_arn"))
            .set_authorizer_payload_format_version(change.set("authorizer_payload_format_version"))
            .set_authorizer_result_ttl_in_seconds(
                change.integer("authorizer_result_ttl_in_seconds"),
            )
            .set_authorizer_type(
                change
                    .cleared("authorizer_type")
                    .map(|t| AuthorizerType::from(t.as_str())),
            )
            .set_authorizer_uri(change.cleared("authorizer_uri"))
            .set_enable_simple_responses(change.flag("enable_simple_responses"))
            .set_identity_source(change.strings("identity_sources"))
            .set_jwt_configuration(change.changed("jwt_configuration").then(|| {
                jwt_configuration(config).unwrap_or_else(|| JwtConfiguration::builder().build())
            }))
            .set_name(change.cleared("name"));
        send("UpdateAuthorizer", request.send()).await?;
        Ok(())
    }

    async fn delete(&self, aws: &Aws, prior: &Object) -> Result<(), Failure> {
        let request = aws
            .client
            .delete_authorizer()
            .set_api_id(string(prior, "api_id"))
            .set_authorizer_id(string(prior, "id"));
        send("DeleteAuthorizer", request.send()).await?;
        Ok(())
    }

    async fn list(&self, aws: &Aws, parents: &Parents) -> Result<Vec<Listed>, Failure> {
        let api_id = parents.get("api_id");
        list_all!(
            "GetAuthorizers",
            aws.client.get_authorizers().api_id(api_id),
            items,
            |authorizer| listed(attributes!(authorizer), None)
        )
    }

    async fn get(&self, aws: &Aws, parents: &Parents, id: &str) -> Result<Object, Failure> {
        let request = aws
            .client
            .get_authorizer()
            .api_id(parents.get("api_id"))
            .authorizer_id(id);
        let authorizer = send("GetAuthorizer", request.send()).await?;
        Ok(attributes!(&authorizer))
    }
}

/// The configured cache time, or, as the Terraform provider does, 300 seconds for a REQUEST
/// authorizer of an HTTP API with identity sources. Only HTTP APIs' REQUEST authorizers take
/// (and need) a payload format version.
fn result_ttl(config: &Object) -> Option<i32> {
    integer(config, "authorizer_result_ttl_in_seconds").or_else(|| {
        let caches = string(config, "authorizer_type").as_deref() == Some("REQUEST")
            && string(config, "authorizer_payload_format_version").is_some()
            && strings(config, "identity_sources").is_some_and(|sources| !sources.is_empty());
        caches.then_some(300)
    })
}

fn jwt_configuration(object: &Object) -> Option<JwtConfiguration> {
    let block = first_block(object, "jwt_configuration")?;
    Some(
        JwtConfiguration::builder()
            .set_audience(strings(block, "audience"))
            .set_issuer(string(block, "issuer"))
            .build(),
    )
}
