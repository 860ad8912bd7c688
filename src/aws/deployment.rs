//! `aws_apigatewayv2_deployment` in AWS: CreateDeployment (awaited until DEPLOYED, as the
//! provider does), UpdateDeployment, DeleteDeployment, GetDeployments (and GetDeployment).

use std::time::Duration;

use aws_sdk_apigatewayv2::types::DeploymentStatus;

use super::{
    Aws, Failure, Listed, Parents, Resource, Wait, list_all, listed_made, object, send, string,
    text, wait_until,
};
use crate::value::{Object, Value};

pub struct Deployment;

/// How long a deployment may take to deploy.
const DEPLOYED_WITHIN: Duration = Duration::from_secs(300);

/// A deployment as AWS reports it, from a GetDeployments item or a GetDeployment answer.
macro_rules! attributes {
    ($deployment:expr) => {{
        let deployment = $deployment;
        object([
            ("auto_deployed", deployment.auto_deployed().map(Value::Bool)),
            ("description", deployment.description().map(text)),
            ("id", deployment.deployment_id().map(text)),
        ])
    }};
}

#[async_trait::async_trait]
impl Resource for Deployment {
    async fn create(&self, aws: &Aws, config: &Object) -> Result<Object, Failure> {
        let api_id = string(config, "api_id").unwrap_or_default();
        let request = aws
            .once
            .create_deployment()
            .api_id(&api_id)
            .set_description(string(config, "description"));
        let output = send("CreateDeployment", request.send()).await?;
        let id = output.deployment_id().unwrap_or_default();
        let too_long = || format!("the deployment `{id}` was not deployed within 5 minutes");
        wait_until("CreateDeployment", DEPLOYED_WITHIN, too_long, || async {
            let request = aws
                .client
                .get_deployment()
                .api_id(&api_id)
                .deployment_id(id);
            let deployment = send("GetDeployment", request.send()).await?;
            Ok(match deployment.deployment_status() {
                Some(DeploymentStatus::Deployed) => Wait::Done(attributes!(&deployment)),
                Some(DeploymentStatus::Failed) => {
                    let reason = deployment
                        .deployment_status_message()
                        .unwrap_or("AWS gave no reason");
                    Wait::Failed(format!("the deployment `{id}` failed: {reason}"))
                }
                _ => Wait::Pending,
            })
        })
        .await
    }

    async fn update(&self, aws: &Aws, prior: &Object, config: &Object) -> Result<(), Failure> {
        let request = aws
            .client
            .update_deployment()
            .set_api_id(string(prior, "api_id"))
            .set_deployment_id(string(prior, "id"))
            .description(string(config, "description").unwrap_or_default());
        send("UpdateDeployment", request.send()).await?;
        Ok(())
    }

    async fn delete(&self, aws: &Aws, prior: &Object) -> Result<(), Failure> {
        let request = aws
            .client
            .delete_deployment()
            .set_api_id(string(prior, "api_id"))
            .set_deployment_id(string(prior, "id"));
        send("DeleteDeployment", request.send()).await?;
        Ok(())
    }

    async fn list(&self, aws: &Aws, parents: &Parents) -> Result<Vec<Listed>, Failure> {
        let api_id = parents.get("api_id");
        list_all!(
            "GetDeployments",
            aws.client.get_deployments().api_id(api_id),
            items,
            |deployment| listed_made(attributes!(deployment), None, deployment.created_date())
        )
    }

    async fn get(&self, aws: &Aws, parents: &Parents, id: &str) -> Result<Object, Failure> {
        let request = aws
            .client
            .get_deployment()
            .api_id(parents.get("api_id"))
            .deployment_id(id);
        let deployment = send("GetDeployment", request.send()).await?;
        Ok(attributes!(&deployment))
    }
}
