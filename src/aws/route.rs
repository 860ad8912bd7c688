//! `aws_apigatewayv2_route` in AWS: CreateRoute, UpdateRoute (with DeleteRouteRequestParameter
//! for removed parameters), DeleteRoute, GetRoutes.

use std::collections::HashMap;

use aws_sdk_apigatewayv2::types::{AuthorizationType, ParameterConstraints};

use super::{
    Aws, Change, Failure, Listed, Parents, Resource, flag, list_all, listed, map, object, send,
    string, strings, text, text_map, texts,
};
use crate::value::{Object, Value, block_elements};

pub struct Route;

/// A route as AWS reports it, from a GetRoutes item or a CreateRoute answer.
macro_rules! attributes {
    ($route:expr) => {{
        let route = $route;
        let request_parameters = route
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
            .collect();
        object([
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
            ("request_parameter", Some(Value::List(request_parameters))),
            ("route_key", route.route_key().map(text)),
            (
                "route_response_selection_expression",
                route.route_response_selection_expression().map(text),
            ),
            ("target", route.target().map(text)),
        ])
    }};
}

#[async_trait::async_trait]
impl Resource for Route {
    async fn create(&self, aws: &Aws, config: &Object) -> Result<Object, Failure> {
        let request = aws
            .once
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
            .set_request_parameters(request_parameters(config));
        let output = send("CreateRoute", request.send()).await?;
        Ok(attributes!(&output))
    }

    async fn update(&self, aws: &Aws, prior: &Object, config: &Object) -> Result<(), Failure> {
        let change = Change::new(prior, config);
        // Parameters no longer configured are deleted one by one; UpdateRoute only adds and changes.
        let kept = request_parameters(config).unwrap_or_default();
        let mut prior_keys: Vec<String> = request_parameters(prior)
            .unwrap_or_default()
            .into_keys()
            .collect();
        prior_keys.sort();
        for key in prior_keys.into_iter().filter(|key| !kept.contains_key(key)) {
            let request = aws
                .client
                .delete_route_request_parameter()
                .set_api_id(string(prior, "api_id"))
                .set_route_id(string(prior, "id"))
                .request_parameter_key(key);
            send("DeleteRouteRequestParameter", request.send()).await?;
        }
        let request = aws
            .client
            .update_route()
            .set_api_id(string(prior, "api_id"))
            .set_route_id(string(prior, "id"))
            .set_route_key(change.cleared("route_key"))
            .set_api_key_required(change.flag("api_key_required"))
            .set_authorization_type(change.changed("authorization_type").then(|| {
                AuthorizationType::from(
                    string(config, "authorization_type")
                        .as_deref()
                        .unwrap_or("NONE"),
                )
            }))
            .set_authorization_scopes(change.strings("authorization_scopes"))
            .set_authorizer_id(change.cleared("authorizer_id"))
            .set_model_selection_expression(change.cleared("model_selection_expression"))
            .set_operation_name(change.cleared("operation_name"))
            .set_request_models(
                change
                    .changed("request_models")
                    .then(|| map(config, "request_models").unwrap_or_default()),
            )
            .set_route_response_selection_expression(
                change.cleared("route_response_selection_expression"),
            )
            .set_target(change.cleared("target"))
            .set_request_parameters(
                change
                    .changed("request_parameter")
                    .then(|| request_parameters(config))
                    .flatten(),
            );
        send("UpdateRoute", request.send()).await?;
        Ok(())
    }

    async fn delete(&self, aws: &Aws, prior: &Object) -> Result<(), Failure> {
        let request = aws
            .client
            .delete_route()
            .set_api_id(string(prior, "api_id"))
            .set_route_id(string(prior, "id"));
        send("DeleteRoute", request.send()).await?;
        Ok(())
    }

    async fn list(&self, aws: &Aws, parents: &Parents) -> Result<Vec<Listed>, Failure> {
        let api_id = parents.get("api_id");
        list_all!(
            "GetRoutes",
            aws.client.get_routes().api_id(api_id),
            items,
            |route| listed(attributes!(route), route.api_gateway_managed())
        )
    }
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
