//! `aws_apigatewayv2_stage` in AWS: CreateStage, UpdateStage (with DeleteAccessLogSettings and
//! DeleteRouteSettings for what was removed), DeleteStage, GetStages.

use std::collections::{BTreeSet, HashMap};

use aws_sdk_apigatewayv2::types::{AccessLogSettings, LoggingLevel, RouteSettings};

use super::{
    Aws, Change, Failure, Listed, Parents, RemoteError, Resource, first_block, flag, integer,
    list_all, listed, map, number, object, send, single, string, text, text_map, whole,
};
use crate::schema::Protocol;
use crate::value::{Object, Value, block_elements};

pub struct Stage;

/// A stage as AWS reports it, from a GetStages item or a CreateStage answer.
macro_rules! attributes {
    ($stage:expr) => {{
        let stage = $stage;
        let access_log = stage.access_log_settings().map(|settings| {
            object([
                ("destination_arn", settings.destination_arn().map(text)),
                ("format", settings.format().map(text)),
            ])
        });
        let by_route_key = stage.route_settings().map(|by_route_key| {
            by_route_key
                .iter()
                .map(|(route_key, settings)| {
                    let mut block = route_settings_attributes(settings);
                    block.insert("route_key".into(), text(route_key));
                    Value::Map(block)
                })
                .collect()
        });
        object([
            ("access_log_settings", single(access_log)),
            ("auto_deploy", stage.auto_deploy().map(Value::Bool)),
            (
                "client_certificate_id",
                stage.client_certificate_id().map(text),
            ),
            (
                "default_route_settings",
                single(
                    stage
                        .default_route_settings()
                        .map(route_settings_attributes),
                ),
            ),
            ("deployment_id", stage.deployment_id().map(text)),
            ("description", stage.description().map(text)),
            ("id", stage.stage_name().map(text)),
            ("name", stage.stage_name().map(text)),
            (
                "route_settings",
                Some(Value::List(by_route_key.unwrap_or_default())),
            ),
            ("stage_variables", stage.stage_variables().map(text_map)),
            ("tags_all", stage.tags().map(text_map)),
        ])
    }};
}

#[async_trait::async_trait]
impl Resource for Stage {
    async fn create(&self, aws: &Aws, config: &Object) -> Result<Object, Failure> {
        let protocol = aws
            .protocol_of(&string(config, "api_id").unwrap_or_default())
            .await?;
        let request = aws
            .once
            .create_stage()
            .set_api_id(string(config, "api_id"))
            .set_stage_name(string(config, "name"))
            .set_access_log_settings(access_log_settings(config))
            .set_auto_deploy(flag(config, "auto_deploy"))
            .set_client_certificate_id(string(config, "client_certificate_id"))
            .set_default_route_settings(
                first_block(config, "default_route_settings")
                    .map(|block| route_settings(block, protocol)),
            )
            .set_deployment_id(string(config, "deployment_id"))
            .set_description(string(config, "description"))
            .set_route_settings(stage_route_settings(config, protocol))
            .set_stage_variables(map(config, "stage_variables"))
            .set_tags(map(config, "tags_all"));
        let output = send("CreateStage", request.send()).await?;
        Ok(attributes!(&output))
    }

    async fn update(&self, aws: &Aws, prior: &Object, config: &Object) -> Result<(), Failure> {
        let change = Change::new(prior, config);
        let (api_id, name) = (
            string(prior, "api_id").unwrap_or_default(),
            string(prior, "name").unwrap_or_default(),
        );
        let protocol = aws.protocol_of(&api_id).await?;
        if change.changed("access_log_settings") && access_log_settings(config).is_none() {
            let request = aws
                .client
                .delete_access_log_settings()
                .api_id(&api_id)
                .stage_name(&name);
            send("DeleteAccessLogSettings", request.send()).await?;
        }
        let kept_route_keys = stage_route_settings(config, protocol).unwrap_or_default();
        // In key order, so the calls are the same on every run.
        let prior_route_keys: BTreeSet<String> = stage_route_settings(prior, protocol)
            .unwrap_or_default()
            .into_keys()
            .collect();
        for route_key in prior_route_keys
            .into_iter()
            .filter(|route_key| !kept_route_keys.contains_key(route_key))
        {
            let request = aws
                .client
                .delete_route_settings()
                .api_id(&api_id)
                .stage_name(&name)
                .route_key(route_key);
            send("DeleteRouteSettings", request.send()).await?;
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
        if change.any(&fields) {
            let request = aws
                .client
                .update_stage()
                .api_id(&api_id)
                .stage_name(&name)
                .set_access_log_settings(
                    change
                        .changed("access_log_settings")
                        .then(|| access_log_settings(config))
                        .flatten(),
                )
                .set_auto_deploy(change.flag("auto_deploy"))
                .set_client_certificate_id(change.cleared("client_certificate_id"))
                .set_default_route_settings(change.changed("default_route_settings").then(|| {
                    let block = first_block(config, "default_route_settings");
                    route_settings(block.unwrap_or(&Object::new()), protocol)
                }))
                .set_deployment_id(change.set("deployment_id"))
                .set_description(change.cleared("description"))
                .set_route_settings(
                    change
                        .changed("route_settings")
                        .then(|| stage_route_settings(config, protocol))
                        .flatten(),
                )
                .set_stage_variables(change.map("stage_variables"));
            send("UpdateStage", request.send()).await?;
        }
        let arn = string(prior, "arn").unwrap_or_default();
        aws.update_tags(&arn, prior, config).await
    }

    async fn delete(&self, aws: &Aws, prior: &Object) -> Result<(), Failure> {
        let request = aws
            .client
            .delete_stage()
            .set_api_id(string(prior, "api_id"))
            .set_stage_name(string(prior, "id"));
        send("DeleteStage", request.send()).await?;
        Ok(())
    }

    async fn list(&self, aws: &Aws, parents: &Parents) -> Result<Vec<Listed>, Failure> {
        let api_id = parents.get("api_id");
        list_all!(
            "GetStages",
            aws.client.get_stages().api_id(api_id),
            items,
            |stage| listed(attributes!(stage), stage.api_gateway_managed())
        )
    }

    /// `arn`, `execution_arn` and `invoke_url`, from the api, the name, the region and the
    /// account; the invoke URL's scheme from the api's protocol.
    async fn derive(&self, aws: &Aws, attributes: &mut Object) -> Result<(), RemoteError> {
        let (api_id, name) = (
            string(attributes, "api_id").unwrap_or_default(),
            string(attributes, "name").unwrap_or_default(),
        );
        let (partition, region) = (aws.partition(), &aws.region);
        let account = aws.account().await?;
        let protocol = aws.protocol_of(&api_id).await.map_err(Failure::reading)?;
        let dns_suffix = super::partitions::of(region).dns_suffix;
        let host = format!("{api_id}.execute-api.{region}.{dns_suffix}");
        let invoke_url = match (protocol, name.as_str()) {
            (Protocol::WebSocket, _) => format!("wss://{host}/{name}"),
            (_, "$default") => format!("https://{host}/"),
            _ => format!("https://{host}/{name}"),
        };
        let arn = aws.arn(&format!("/apis/{api_id}/stages/{name}"));
        let execution_arn =
            format!("arn:{partition}:execute-api:{region}:{account}:{api_id}/{name}");
        attributes.insert("arn".into(), text(&arn));
        attributes.insert("execution_arn".into(), text(&execution_arn));
        attributes.insert("id".into(), text(&name));
        attributes.insert("invoke_url".into(), text(&invoke_url));
        Ok(())
    }
}

fn route_settings_attributes(settings: &RouteSettings) -> Object {
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
            settings.throttling_burst_limit().map(whole),
        ),
        (
            "throttling_rate_limit",
            settings.throttling_rate_limit().map(Value::Number),
        ),
    ])
}

fn access_log_settings(object: &Object) -> Option<AccessLogSettings> {
    let block = first_block(object, "access_log_settings")?;
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
        .set_throttling_rate_limit(number(block, "throttling_rate_limit"))
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
