//! `aws_apigatewayv2_api` in AWS: CreateApi, UpdateApi (with DeleteCorsConfiguration and, for an
//! OpenAPI `body`, ReimportApi), DeleteApi, GetApis.

use aws_sdk_apigatewayv2::types::{Cors, IpAddressType, ProtocolType};

use super::{
    Aws, Change, Failure, Listed, Parents, RemoteError, Resource, first_block, flag, integer,
    list_all, listed_made, object, send, single, string, strings, text, text_map, texts, whole,
};
use crate::value::{Object, Value};

pub struct Api;

/// An api as AWS reports it, from a GetApis item or a CreateApi answer (the SDK has a type for
/// each, with the same getters). Attributes AWS does not report (the derived ARNs and the
/// quick-create arguments) are `Null`; refresh keeps the state's values of those.
macro_rules! attributes {
    ($api:expr) => {{
        let api = $api;
        let cors = api.cors_configuration().map(|cors| {
            object([
                (
                    "allow_credentials",
                    cors.allow_credentials().map(Value::Bool),
                ),
                ("allow_headers", texts(cors.allow_headers())),
                ("allow_methods", texts(cors.allow_methods())),
                ("allow_origins", texts(cors.allow_origins())),
                ("expose_headers", texts(cors.expose_headers())),
                ("max_age", cors.max_age().map(whole)),
            ])
        });
        object([
            ("api_endpoint", api.api_endpoint().map(text)),
            (
                "api_key_selection_expression",
                api.api_key_selection_expression().map(text),
            ),
            ("cors_configuration", single(cors)),
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
    }};
}

#[async_trait::async_trait]
impl Resource for Api {
    async fn create(&self, aws: &Aws, config: &Object) -> Result<Object, Failure> {
        let request = aws
            .once
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
            .set_tags(super::map(config, "tags_all"))
            .set_target(string(config, "target"))
            .set_version(string(config, "version"))
            .set_ip_address_type(ip_address_type(config));
        let output = send("CreateApi", request.send()).await?;
        if string(config, "body").is_some() {
            reimport(aws, output.api_id().unwrap_or_default(), config).await?;
        }
        Ok(attributes!(&output))
    }

    async fn update(&self, aws: &Aws, prior: &Object, config: &Object) -> Result<(), Failure> {
        let id = string(prior, "id").unwrap_or_default();
        let change = Change::new(prior, config);
        if change.changed("cors_configuration") && cors(config).is_none() {
            let request = aws.client.delete_cors_configuration().api_id(&id);
            send("DeleteCorsConfiguration", request.send()).await?;
        }
        let cors_changed = change.changed("cors_configuration") && cors(config).is_some();
        let fields = [
            "name",
            "description",
            "version",
            "api_key_selection_expression",
            "route_selection_expression",
            "disable_execute_api_endpoint",
            "ip_address_type",
        ];
        if cors_changed || change.any(&fields) {
            let request = aws
                .client
                .update_api()
                .api_id(&id)
                .set_name(change.set("name"))
                .set_description(change.cleared("description"))
                .set_version(change.cleared("version"))
                .set_api_key_selection_expression(change.cleared("api_key_selection_expression"))
                .set_route_selection_expression(change.cleared("route_selection_expression"))
                .set_disable_execute_api_endpoint(change.flag("disable_execute_api_endpoint"))
                .set_ip_address_type(
                    change
                        .set("ip_address_type")
                        .map(|t| IpAddressType::from(t.as_str())),
                )
                .set_cors_configuration(
                    cors_changed
                        .then(|| cors_replacing(prior, config))
                        .flatten(),
                );
            send("UpdateApi", request.send()).await?;
        }
        if change.changed("body") && string(config, "body").is_some() {
            reimport(aws, &id, config).await?;
        }
        let arn = string(prior, "arn").unwrap_or_default();
        aws.update_tags(&arn, prior, config).await
    }

    async fn delete(&self, aws: &Aws, prior: &Object) -> Result<(), Failure> {
        let id = string(prior, "id").unwrap_or_default();
        send("DeleteApi", aws.client.delete_api().api_id(id).send()).await?;
        Ok(())
    }

    async fn list(&self, aws: &Aws, _parents: &Parents) -> Result<Vec<Listed>, Failure> {
        list_all!("GetApis", aws.client.get_apis(), items, |api| Listed {
            from_openapi: api.import_info.is_some(),
            ..listed_made(
                attributes!(api),
                api.api_gateway_managed(),
                api.created_date(),
            )
        })
    }

    /// `arn` and `execution_arn`, from the id, the region and the account.
    async fn derive(&self, aws: &Aws, attributes: &mut Object) -> Result<(), RemoteError> {
        let id = string(attributes, "id").unwrap_or_default();
        let account = aws.account().await?;
        let execution_arn = format!(
            "arn:{}:execute-api:{}:{account}:{id}",
            aws.partition(),
            aws.region
        );
        attributes.insert("arn".into(), text(&aws.arn(&format!("/apis/{id}"))));
        attributes.insert("execution_arn".into(), text(&execution_arn));
        Ok(())
    }
}

/// Applies the OpenAPI `body` with ReimportApi. Reimporting takes the api's name, description
/// and version from the document, so the configured ones are set again after it.
async fn reimport(aws: &Aws, id: &str, config: &Object) -> Result<(), Failure> {
    let request = aws
        .client
        .reimport_api()
        .api_id(id)
        .set_body(string(config, "body"))
        .set_fail_on_warnings(flag(config, "fail_on_warnings"));
    send("ReimportApi", request.send()).await?;
    let request = aws
        .client
        .update_api()
        .api_id(id)
        .set_name(string(config, "name"))
        .set_description(string(config, "description"))
        .set_version(string(config, "version"));
    send("UpdateApi", request.send()).await?;
    Ok(())
}

fn ip_address_type(object: &Object) -> Option<IpAddressType> {
    string(object, "ip_address_type").map(|t| IpAddressType::from(t.as_str()))
}

fn cors(object: &Object) -> Option<Cors> {
    let block = first_block(object, "cors_configuration")?;
    Some(
        Cors::builder()
            .set_allow_credentials(flag(block, "allow_credentials"))
            .set_allow_headers(strings(block, "allow_headers"))
            .set_allow_methods(strings(block, "allow_methods"))
            .set_allow_origins(strings(block, "allow_origins"))
            .set_expose_headers(strings(block, "expose_headers"))
            .set_max_age(integer(block, "max_age"))
            .build(),
    )
}

/// The CORS configuration to send when it changed: fields that were set and no longer are must be
/// cleared explicitly, since UpdateApi leaves fields it is not given alone.
fn cors_replacing(prior: &Object, config: &Object) -> Option<Cors> {
    let new = first_block(config, "cors_configuration")?;
    let old = first_block(prior, "cors_configuration");
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
            .set_max_age(integer(new, "max_age").or_else(|| was_set("max_age").then_some(0)))
            .build(),
    )
}
