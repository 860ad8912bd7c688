//! `aws_apigatewayv2_route_response` in AWS: CreateRouteResponse, UpdateRouteResponse,
//! DeleteRouteResponse, GetRouteResponses of each route (and GetRouteResponse where the endpoint
//! lacks the list).

use super::{
    Aws, Change, Failure, Listed, Parents, Resource, list_all, listed, map, object, send, string,
    text, text_map,
};
use crate::value::Object;

pub struct RouteResponse;

/// A route response as AWS reports it, from a GetRouteResponses item, a GetRouteResponse or a
/// CreateRouteResponse answer.
macro_rules! attributes {
    ($response:expr) => {{
        let response = $response;
        object([
            ("id", response.route_response_id().map(text)),
            (
                "model_selection_expression",
                response.model_selection_expression().map(text),
            ),
            ("response_models", response.response_models().map(text_map)),
            (
                "route_response_key",
                response.route_response_key().map(text),
            ),
        ])
    }};
}

#[async_trait::async_trait]
impl Resource for RouteResponse {
    async fn create(&self, aws: &Aws, config: &Object) -> Result<Object, Failure> {
        let request = aws
            .once
            .create_route_response()
            .set_api_id(string(config, "api_id"))
            .set_route_id(string(config, "route_id"))
            .set_route_response_key(string(config, "route_response_key"))
            .set_model_selection_expression(string(config, "model_selection_expression"))
            .set_response_models(map(config, "response_models"));
        let output = send("CreateRouteResponse", request.send()).await?;
        Ok(attributes!(&output))
    }

    /// What changed; removed models as an empty map, as the provider sends them.
    async fn update(&self, aws: &Aws, prior: &Object, config: &Object) -> Result<(), Failure> {
        let change = Change::new(prior, config);
        let request = aws
            .client
            .update_route_response()
            .set_api_id(string(prior, "api_id"))
            .set_route_id(string(prior, "route_id"))
            .set_route_response_id(string(prior, "id"))
            .set_model_selection_expression(change.cleared("model_selection_expression"))
            .set_response_models(
                change
                    .changed("response_models")
                    .then(|| map(config, "response_models").unwrap_or_default()),
            )
            .set_route_response_key(change.set("route_response_key"));
        send("UpdateRouteResponse", request.send()).await?;
        Ok(())
    }

    async fn delete(&self, aws: &Aws, prior: &Object) -> Result<(), Failure> {
        let request = aws
            .client
            .delete_route_response()
            .set_api_id(string(prior, "api_id"))
            .set_route_id(string(prior, "route_id"))
            .set_route_response_id(string(prior, "id"));
        send("DeleteRouteResponse", request.send()).await?;
        Ok(())
    }

    async fn list(&self, aws: &Aws, parents: &Parents) -> Result<Vec<Listed>, Failure> {
        let (api_id, route_id) = (parents.get("api_id"), parents.get("route_id"));
        list_all!(
            "GetRouteResponses",
            aws.client
                .get_route_responses()
                .api_id(api_id)
                .route_id(route_id),
            items,
            |response| listed(attributes!(response), None)
        )
    }

    async fn get(&self, aws: &Aws, parents: &Parents, id: &str) -> Result<Object, Failure> {
        let request = aws
            .client
            .get_route_response()
            .api_id(parents.get("api_id"))
            .route_id(parents.get("route_id"))
            .route_response_id(id);
        let response = send("GetRouteResponse", request.send()).await?;
        Ok(attributes!(&response))
    }
}
