//! `aws_apigatewayv2_model` in AWS: CreateModel, UpdateModel, DeleteModel, GetModels (and
//! GetModel where the endpoint lacks the list).

use super::{
    Aws, Change, Failure, Listed, Parents, Resource, list_all, listed, object, send, string, text,
};
use crate::value::Object;

pub struct Model;

/// A model as AWS reports it, from a GetModels item, a GetModel or a CreateModel answer.
macro_rules! attributes {
    ($model:expr) => {{
        let model = $model;
        object([
            ("content_type", model.content_type().map(text)),
            ("description", model.description().map(text)),
            ("id", model.model_id().map(text)),
            ("name", model.name().map(text)),
            ("schema", model.schema().map(text)),
        ])
    }};
}

#[async_trait::async_trait]
impl Resource for Model {
    async fn create(&self, aws: &Aws, config: &Object) -> Result<Object, Failure> {
        let request = aws
            .once
            .create_model()
            .set_api_id(string(config, "api_id"))
            .set_content_type(string(config, "content_type"))
            .set_description(string(config, "description"))
            .set_name(string(config, "name"))
            .set_schema(string(config, "schema"));
        let output = send("CreateModel", request.send()).await?;
        Ok(attributes!(&output))
    }

    async fn update(&self, aws: &Aws, prior: &Object, config: &Object) -> Result<(), Failure> {
        let change = Change::new(prior, config);
        let request = aws
            .client
            .update_model()
            .set_api_id(string(prior, "api_id"))
            .set_model_id(string(prior, "id"))
            .set_description(change.cleared("description"))
            .set_name(change.cleared("name"))
            .set_schema(change.cleared("schema"));
        send("UpdateModel", request.send()).await?;
        Ok(())
    }

    async fn delete(&self, aws: &Aws, prior: &Object) -> Result<(), Failure> {
        let request = aws
            .client
            .delete_model()
            .set_api_id(string(prior, "api_id"))
            .set_model_id(string(prior, "id"));
        send("DeleteModel", request.send()).await?;
        Ok(())
    }

    async fn list(&self, aws: &Aws, parents: &Parents) -> Result<Vec<Listed>, Failure> {
        let api_id = parents.get("api_id");
        list_all!(
            "GetModels",
            aws.client.get_models().api_id(api_id),
            items,
            |model| listed(attributes!(model), None)
        )
    }

    async fn get(&self, aws: &Aws, parents: &Parents, id: &str) -> Result<Object, Failure> {
        let request = aws
            .client
            .get_model()
            .api_id(parents.get("api_id"))
            .model_id(id);
        let model = send("GetModel", request.send()).await?;
        Ok(attributes!(&model))
    }
}
