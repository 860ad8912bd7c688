//! `aws_apigatewayv2_integration` in AWS: CreateIntegration, UpdateIntegration,
//! DeleteIntegration, GetIntegrations.

use std::collections::HashMap;

use aws_sdk_apigatewayv2::types::{
    ConnectionType, ContentHandlingStrategy, IntegrationType, PassthroughBehavior, TlsConfigInput,
};

use super::{
    Aws, Change, Failure, Listed, Parents, Resource, first_block, integer, list_all, listed, map,
    object, send, single, string, text, text_map, whole,
};
use crate::value::{Object, Value, block_elements};

pub struct Integration;

/// An integration as AWS reports it, from a GetIntegrations item or a CreateIntegration answer.
macro_rules! attributes {
    ($integration:expr) => {{
        let integration = $integration;
        let response_parameters = integration.response_parameters().map(|by_status| {
            by_status
                .iter()
                .map(|(status_code, mappings)| {
                    Value::Map(object([
                        ("mappings", Some(text_map(mappings))),
                        ("status_code", Some(text(status_code))),
                    ]))
                })
                .collect()
        });
        let tls_config = integration.tls_config().map(|tls| {
            object([(
                "server_name_to_verify",
                tls.server_name_to_verify().map(text),
            )])
        });
        object([
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
                Some(Value::List(response_parameters.unwrap_or_default())),
            ),
            (
                "template_selection_expression",
                integration.template_selection_expression().map(text),
            ),
            (
                "timeout_milliseconds",
                integration.timeout_in_millis().map(whole),
            ),
            ("tls_config", single(tls_config)),
        ])
    }};
}

#[async_trait::async_trait]
impl Resource for Integration {
    async fn create(&self, aws: &Aws, config: &Object) -> Result<Object, Failure> {
        let request = aws
            .once
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
            .set_tls_config(tls_config(config));
        let output = send("CreateIntegration", request.send()).await?;
        Ok(attributes!(&output))
    }

    async fn update(&self, aws: &Aws, prior: &Object, config: &Object) -> Result<(), Failure> {
        let change = Change::new(prior, config);
        let request =
            aws.client
                .update_integration()
                .set_api_id(string(prior, "api_id"))
                .set_integration_id(string(prior, "id"))
                .set_connection_id(change.cleared("connection_id"))
                .set_connection_type(
                    change
                        .set("connection_type")
                        .map(|t| ConnectionType::from(t.as_str())),
                )
                .set_content_handling_strategy(
                    change
                        .cleared("content_handling_strategy")
                        .map(|s| ContentHandlingStrategy::from(s.as_str())),
                )
                .set_credentials_arn(change.cleared("credentials_arn"))
                .set_description(change.cleared("description"))
                .set_integration_method(change.set("integration_method"))
                .set_integration_uri(change.cleared("integration_uri"))
                .set_passthrough_behavior(
                    change
                        .set("passthrough_behavior")
                        .map(|p| PassthroughBehavior::from(p.as_str())),
                )
                .set_payload_format_version(change.set("payload_format_version"))
                .set_request_parameters(change.map("request_parameters"))
                .set_request_templates(change.map("request_templates"))
                .set_response_parameters(
                    change
                        .changed("response_parameters")
                        .then(|| response_parameters(config, Some(prior)).unwrap_or_default()),
                )
                .set_template_selection_expression(change.cleared("template_selection_expression"))
                .set_timeout_in_millis(change.integer("timeout_milliseconds"))
                .set_tls_config(change.changed("tls_config").then(|| {
                    tls_config(config).unwrap_or_else(|| TlsConfigInput::builder().build())
                }));
        send("UpdateIntegration", request.send()).await?;
        Ok(())
    }

    async fn delete(&self, aws: &Aws, prior: &Object) -> Result<(), Failure> {
        let request = aws
            .client
            .delete_integration()
            .set_api_id(string(prior, "api_id"))
            .set_integration_id(string(prior, "id"));
        send("DeleteIntegration", request.send()).await?;
        Ok(())
    }

    async fn list(&self, aws: &Aws, parents: &Parents) -> Result<Vec<Listed>, Failure> {
        let api_id = parents.get("api_id");
        list_all!(
            "GetIntegrations",
            aws.client.get_integrations().api_id(api_id),
            items,
            |integration| { listed(attributes!(integration), integration.api_gateway_managed()) }
        )
    }
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

fn tls_config(object: &Object) -> Option<TlsConfigInput> {
    let block = first_block(object, "tls_config")?;
    Some(
        TlsConfigInput::builder()
            .set_server_name_to_verify(string(block, "server_name_to_verify"))
            .build(),
    )
}
