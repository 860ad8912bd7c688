//! `aws_apigatewayv2_domain_name` in AWS: CreateDomainName and UpdateDomainName, each awaited
//! until AWS reports the name AVAILABLE (within the provider's 10 and 60 minutes), DeleteDomainName,
//! GetDomainNames. Tags are sent with the create, and changed before the update, as the provider
//! does.

use std::time::Duration;

use aws_sdk_apigatewayv2::types::{
    DomainNameConfiguration, DomainNameStatus, EndpointType, IpAddressType,
    MutualTlsAuthenticationInput, RoutingMode, SecurityPolicy,
};

use super::{
    Aws, Change, Failure, Listed, Parents, RemoteError, Resource, Wait, first_block, list_all,
    listed, map, object, send, single, string, text, text_map, wait_until,
};
use crate::value::Object;

pub struct DomainName;

/// How long AWS may take to make a domain name available, as the provider's `timeouts` say.
const CREATED_WITHIN: Duration = Duration::from_secs(10 * 60);
const UPDATED_WITHIN: Duration = Duration::from_secs(60 * 60);

/// A domain name as AWS reports it, from a GetDomainNames item or a GetDomainName answer. Only
/// its first configuration is read, as the provider does (it takes one).
macro_rules! attributes {
    ($domain_name:expr) => {{
        let domain_name = $domain_name;
        let configuration = domain_name
            .domain_name_configurations()
            .first()
            .map(|configuration| {
                object([
                    ("certificate_arn", configuration.certificate_arn().map(text)),
                    (
                        "endpoint_type",
                        configuration.endpoint_type().map(|t| text(t.as_str())),
                    ),
                    ("hosted_zone_id", configuration.hosted_zone_id().map(text)),
                    (
                        "ip_address_type",
                        configuration.ip_address_type().map(|t| text(t.as_str())),
                    ),
                    (
                        "ownership_verification_certificate_arn",
                        configuration
                            .ownership_verification_certificate_arn()
                            .map(text),
                    ),
                    (
                        "security_policy",
                        configuration.security_policy().map(|p| text(p.as_str())),
                    ),
                    (
                        "target_domain_name",
                        configuration.api_gateway_domain_name().map(text),
                    ),
                ])
            });
        let mutual_tls = domain_name.mutual_tls_authentication().map(|mutual_tls| {
            object([
                ("truststore_uri", mutual_tls.truststore_uri().map(text)),
                (
                    "truststore_version",
                    mutual_tls.truststore_version().map(text),
                ),
            ])
        });
        object([
            (
                "api_mapping_selection_expression",
                domain_name.api_mapping_selection_expression().map(text),
            ),
            ("domain_name", domain_name.domain_name().map(text)),
            ("domain_name_configuration", single(configuration)),
            ("id", domain_name.domain_name().map(text)),
            ("mutual_tls_authentication", single(mutual_tls)),
            (
                "routing_mode",
                domain_name.routing_mode().map(|mode| text(mode.as_str())),
            ),
            ("tags_all", domain_name.tags().map(text_map)),
        ])
    }};
}

#[async_trait::async_trait]
impl Resource for DomainName {
    async fn create(&self, aws: &Aws, config: &Object) -> Result<Object, Failure> {
        let name = string(config, "domain_name").unwrap_or_default();
        let request = aws
            .once
            .create_domain_name()
            .domain_name(&name)
            .set_domain_name_configurations(configurations(config))
            .set_mutual_tls_authentication(first_block(config, "mutual_tls_authentication").map(
                |block| {
                    MutualTlsAuthenticationInput::builder()
                        .set_truststore_uri(string(block, "truststore_uri"))
                        .set_truststore_version(string(block, "truststore_version"))
                        .build()
                },
            ))
            .set_routing_mode(routing_mode(config))
            .set_tags(map(config, "tags_all"));
        send("CreateDomainName", request.send()).await?;
        available(aws, "CreateDomainName", &name, CREATED_WITHIN).await
    }

    async fn update(&self, aws: &Aws, prior: &Object, config: &Object) -> Result<(), Failure> {
        let name = string(prior, "id").unwrap_or_default();
        let arn = string(prior, "arn").unwrap_or_default();
        aws.update_tags(&arn, prior, config).await?;
        let change = Change::new(prior, config);
        let fields = [
            "domain_name_configuration",
            "mutual_tls_authentication",
            "routing_mode",
        ];
        if !change.any(&fields) {
            return Ok(());
        }
        // The whole configuration every time; of mutual TLS, what changed, and an empty
        // truststore to turn it off.
        let mutual_tls = change.changed("mutual_tls_authentication").then(|| {
            let (old, new) = (
                first_block(prior, "mutual_tls_authentication"),
                first_block(config, "mutual_tls_authentication"),
            );
            let Some(new) = new else {
                return MutualTlsAuthenticationInput::builder()
                    .truststore_uri("")
                    .build();
            };
            let empty = Object::new();
            let changed = Change::new(old.unwrap_or(&empty), new);
            MutualTlsAuthenticationInput::builder()
                .set_truststore_uri(changed.cleared("truststore_uri"))
                .set_truststore_version(changed.cleared("truststore_version"))
                .build()
        });
        let request = aws
            .client
            .update_domain_name()
            .domain_name(&name)
            .set_domain_name_configurations(configurations(config))
            .set_mutual_tls_authentication(mutual_tls)
            .set_routing_mode(
                change
                    .set("routing_mode")
                    .map(|mode| RoutingMode::from(mode.as_str())),
            );
        send("UpdateDomainName", request.send()).await?;
        available(aws, "UpdateDomainName", &name, UPDATED_WITHIN).await?;
        Ok(())
    }

    async fn delete(&self, aws: &Aws, prior: &Object) -> Result<(), Failure> {
        let request = aws
            .client
            .delete_domain_name()
            .set_domain_name(string(prior, "id"));
        send("DeleteDomainName", request.send()).await?;
        Ok(())
    }

    async fn list(&self, aws: &Aws, _parents: &Parents) -> Result<Vec<Listed>, Failure> {
        list_all!(
            "GetDomainNames",
            aws.client.get_domain_names(),
            items,
            |domain_name| listed(attributes!(domain_name), None)
        )
    }

    /// `arn`: `arn:PARTITION:apigateway:REGION::/domainnames/NAME`.
    async fn derive(&self, aws: &Aws, attributes: &mut Object) -> Result<(), RemoteError> {
        let name = string(attributes, "domain_name").unwrap_or_default();
        let arn = aws.arn(&format!("/domainnames/{name}"));
        attributes.insert("arn".into(), text(&arn));
        Ok(())
    }
}

/// Waits until AWS reports the domain name AVAILABLE, and returns it as AWS reports it then. A
/// status AWS does not report (as an emulator does not) counts as available.
async fn available(
    aws: &Aws,
    operation: &'static str,
    name: &str,
    within: Duration,
) -> Result<Object, Failure> {
    let minutes = within.as_secs() / 60;
    let too_long =
        || format!("the domain name `{name}` was not available within {minutes} minutes");
    wait_until(operation, within, too_long, || async {
        let request = aws.client.get_domain_name().domain_name(name);
        let found = send("GetDomainName", request.send()).await?;
        let configuration = found.domain_name_configurations().first();
        Ok(match configuration.and_then(|c| c.domain_name_status()) {
            None | Some(DomainNameStatus::Available) => Wait::Done(attributes!(&found)),
            Some(DomainNameStatus::Updating) => Wait::Pending,
            Some(status) => Wait::Failed(format!(
                "the domain name `{name}` is {}: {}",
                status.as_str(),
                configuration
                    .and_then(|c| c.domain_name_status_message())
                    .unwrap_or("AWS gave no reason")
            )),
        })
    })
    .await
}

/// The `domain_name_configuration` block as AWS takes it: only what is set.
fn configurations(config: &Object) -> Option<Vec<DomainNameConfiguration>> {
    let block = first_block(config, "domain_name_configuration")?;
    Some(vec![
        DomainNameConfiguration::builder()
            .set_certificate_arn(string(block, "certificate_arn"))
            .set_endpoint_type(
                string(block, "endpoint_type").map(|t| EndpointType::from(t.as_str())),
            )
            .set_ip_address_type(
                string(block, "ip_address_type").map(|t| IpAddressType::from(t.as_str())),
            )
            .set_ownership_verification_certificate_arn(string(
                block,
                "ownership_verification_certificate_arn",
            ))
            .set_security_policy(
                string(block, "security_policy").map(|p| SecurityPolicy::from(p.as_str())),
            )
            .build(),
    ])
}

fn routing_mode(config: &Object) -> Option<RoutingMode> {
    string(config, "routing_mode").map(|mode| RoutingMode::from(mode.as_str()))
}
