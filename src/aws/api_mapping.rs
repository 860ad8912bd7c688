//! `aws_apigatewayv2_api_mapping` in AWS: CreateApiMapping, UpdateApiMapping, DeleteApiMapping,
//! GetApiMappings of each domain name.

use super::{
    Aws, Change, Failure, Listed, Parents, Resource, list_all, listed, object, send, string, text,
};
use crate::value::Object;

pub struct ApiMapping;

/// An api mapping as AWS reports it, from a GetApiMappings item or a CreateApiMapping answer. Its
/// domain name is the parent it was listed under.
macro_rules! attributes {
    ($mapping:expr) => {{
        let mapping = $mapping;
        object([
            ("api_id", mapping.api_id().map(text)),
            ("api_mapping_key", mapping.api_mapping_key().map(text)),
            ("id", mapping.api_mapping_id().map(text)),
            ("stage", mapping.stage().map(text)),
        ])
    }};
}

#[async_trait::async_trait]
impl Resource for ApiMapping {
    async fn create(&self, aws: &Aws, config: &Object) -> Result<Object, Failure> {
        let request = aws
            .once
            .create_api_mapping()
            .set_api_id(string(config, "api_id"))
            .set_domain_name(string(config, "domain_name"))
            .set_stage(string(config, "stage"))
            .set_api_mapping_key(string(config, "api_mapping_key"));
        let output = send("CreateApiMapping", request.send()).await?;
        Ok(attributes!(&output))
    }

    /// The api and domain name are sent as they are, the key and stage when they changed.
    async fn update(&self, aws: &Aws, prior: &Object, config: &Object) -> Result<(), Failure> {
        let change = Change::new(prior, config);
        let request = aws
            .client
            .update_api_mapping()
            .set_api_id(string(config, "api_id"))
            .set_api_mapping_id(string(prior, "id"))
            .set_domain_name(string(prior, "domain_name"))
            .set_api_mapping_key(change.cleared("api_mapping_key"))
            .set_stage(change.set("stage"));
        send("UpdateApiMapping", request.send()).await?;
        Ok(())
    }

    async fn delete(&self, aws: &Aws, prior: &Object) -> Result<(), Failure> {
        let request = aws
            .client
            .delete_api_mapping()
            .set_api_mapping_id(string(prior, "id"))
            .set_domain_name(string(prior, "domain_name"));
        send("DeleteApiMapping", request.send()).await?;
        Ok(())
    }

    async fn list(&self, aws: &Aws, parents: &Parents) -> Result<Vec<Listed>, Failure> {
        let domain_name = parents.get("domain_name");
        list_all!(
            "GetApiMappings",
            aws.client.get_api_mappings().domain_name(domain_name),
            items,
            |mapping| listed(attributes!(mapping), None)
        )
    }
}
