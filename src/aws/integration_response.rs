//! `aws_apigatewayv2_integration_response` in AWS: CreateIntegrationResponse,
//! UpdateIntegrationResponse, DeleteIntegrationResponse, GetIntegrationResponses of each
//! integration.

use aws_sdk_apigatewayv2::types::ContentHandlingStrategy;

use super::{
    Aws, Change, Failure, Listed, Parents, Resource, list_all, listed, map, object, send, string,
    text, text_map,
};
use crate::value::Object;

pub struct IntegrationResponse;

/// An integration response as AWS reports it, from a GetIntegrationResponses item or a
/// CreateIntegrationResponse answer.
macro_rules! attributes {
    ($response:expr) => {{
        let response = $response;
        object([
            (
                "content_handling_strategy",
                response
                    .content_handling_strategy()
                    .map(|strategy| text(strategy.as_str())),
            ),
            ("id", response.integration_response_id().map(text)),
            (
                "integration_response_key",
                response.integration_response_key().map(text),
            ),
            (
                "response_templates",
                response.response_templates().map(text_map),
            ),
            (
                "template_selection_expression",
                response.template_selection_expression().map(text),
            ),
        ])
    }};
}

#[async_trait::async_trait]
impl Resource for IntegrationResponse {
    async fn create(&self, aws: &Aws, config: &Object) -> Result<Object, Failure> {
        let request = aws
            .once
            .create_integration_response()
            .set_api_id(string(config, "api_id"))
            .set_integration_id(string(config, "integration_id"))
            .set_integration_response_key(string(config, "integration_response_key"))
            .set_content_handling_strategy(
                string(config, "content_handling_strategy")
                    .map(|strategy| ContentHandlingStrategy::from(strategy.as_str())),
            )
            .set_response_templates(map(config, "response_templates"))
            .set_template_selection_expression(string(config, "template_selection_expression"));
        let output = send("CreateIntegrationResponse", request.send()).await?;
        Ok(attributes!(&output))
    }

    /// What changed; a removed content handling strategy is sent empty, which clears it.
    async fn update(&self, aws: &Aws, prior: &Object, config: &Object) -> Result<(), Failure> {
        let change = Change::new(prior, config);
        let request = aws
            .client
            .update_integration_response()
            .set_api_id(string(prior, "api_id"))
            .set_integration_id(string(prior, "integration_id"))
            .set_integration_response_id(string(prior, "id"))
            .set_content_handling_strategy(
                change
                    .cleared("content_handling_strategy")
                    .map(|strategy| ContentHandlingStrategy::from(strategy.as_str())),
            )
            .set_integration_response_key(change.set("integration_response_key"))
            .set_response_templates(
                change
                    .changed("response_templates")
                    .then(|| map(config, "response_templates").unwrap_or_default()),
            )
            .set_template_selection_expression(change.cleared("template_selection_expression"));
        send("UpdateIntegrationResponse", request.send()).await?;
        Ok(())
    }

    async fn delete(&self, aws: &Aws, prior: &Object) -> Result<(), Failure> {
        let request = aws
            .client
            .delete_integration_response()
            .set_api_id(string(prior, "api_id"))
            .set_integration_id(string(prior, "integration_id"))
            .set_integration_response_id(string(prior, "id"));
        send("DeleteIntegrationResponse", request.send()).await?;
        Ok(())
    }

    async fn list(&self, aws: &Aws, parents: &Parents) -> Result<Vec<Listed>, Failure> {
        let (api_id, integration_id) = (parents.get("api_id"), parents.get("integration_id"));
        list_all!(
            "GetIntegrationResponses",
            aws.client
                .get_integration_responses()
                .api_id(api_id)
                .integration_id(integration_id),
            items,
            |response| listed(attributes!(response), None)
        )
    }
}
