//! `aws_apigatewayv2_vpc_link` in AWS: CreateVpcLink, awaited until AVAILABLE; UpdateVpcLink;
//! DeleteVpcLink, awaited until the link is gone; GetVpcLinks (and GetVpcLink). AWS makes and
//! removes VPC links asynchronously; the provider waits up to 10 minutes each way.

use std::time::Duration;

use aws_sdk_apigatewayv2::types::VpcLinkStatus;

use super::{
    Aws, Cause, Change, Failure, Listed, Parents, RemoteError, Resource, Wait, list_all,
    listed_made, map, object, send, string, strings, text, text_map, texts, wait_until,
};
use crate::value::Object;

pub struct VpcLink;

/// How long AWS may take to make or remove a VPC link, as the provider waits.
const WITHIN: Duration = Duration::from_secs(10 * 60);

/// A VPC link as AWS reports it, from a GetVpcLinks item or a GetVpcLink answer.
macro_rules! attributes {
    ($link:expr) => {{
        let link = $link;
        object([
            ("id", link.vpc_link_id().map(text)),
            ("name", link.name().map(text)),
            ("security_group_ids", texts(link.security_group_ids())),
            ("subnet_ids", texts(link.subnet_ids())),
            ("tags_all", link.tags().map(text_map)),
        ])
    }};
}

#[async_trait::async_trait]
impl Resource for VpcLink {
    async fn create(&self, aws: &Aws, config: &Object) -> Result<Object, Failure> {
        let request = aws
            .once
            .create_vpc_link()
            .set_name(string(config, "name"))
            .set_security_group_ids(strings(config, "security_group_ids"))
            .set_subnet_ids(strings(config, "subnet_ids"))
            .set_tags(map(config, "tags_all"));
        let output = send("CreateVpcLink", request.send()).await?;
        let id = output.vpc_link_id().unwrap_or_default();
        let too_long = || format!("the VPC link `{id}` was not available within 10 minutes");
        wait_until("CreateVpcLink", WITHIN, too_long, || async {
            let link = get(aws, id).await?;
            Ok(match link.vpc_link_status() {
                None | Some(VpcLinkStatus::Available) => Wait::Done(attributes!(&link)),
                Some(VpcLinkStatus::Pending) => Wait::Pending,
                Some(status) => Wait::Failed(failed(id, status, link.vpc_link_status_message())),
            })
        })
        .await
    }

    /// Tags first, then the name, the one argument changed in place.
    async fn update(&self, aws: &Aws, prior: &Object, config: &Object) -> Result<(), Failure> {
        let arn = string(prior, "arn").unwrap_or_default();
        aws.update_tags(&arn, prior, config).await?;
        if Change::new(prior, config).changed("name") {
            let request = aws
                .client
                .update_vpc_link()
                .set_vpc_link_id(string(prior, "id"))
                .set_name(string(config, "name"));
            send("UpdateVpcLink", request.send()).await?;
        }
        Ok(())
    }

    async fn delete(&self, aws: &Aws, prior: &Object) -> Result<(), Failure> {
        let id = string(prior, "id").unwrap_or_default();
        let request = aws.client.delete_vpc_link().vpc_link_id(&id);
        send("DeleteVpcLink", request.send()).await?;
        let too_long = || format!("the VPC link `{id}` was not deleted within 10 minutes");
        wait_until("DeleteVpcLink", WITHIN, too_long, || async {
            match get(aws, &id).await {
                Err(Failure {
                    cause: Cause::NotFound,
                    ..
                }) => Ok(Wait::Done(())),
                Err(failure) => Err(failure),
                Ok(link) => Ok(match link.vpc_link_status() {
                    Some(VpcLinkStatus::Deleting) => Wait::Pending,
                    status => Wait::Failed(match status {
                        Some(status) => failed(&id, status, link.vpc_link_status_message()),
                        None => format!("the VPC link `{id}` is still there"),
                    }),
                }),
            }
        })
        .await
    }

    async fn list(&self, aws: &Aws, _parents: &Parents) -> Result<Vec<Listed>, Failure> {
        list_all!("GetVpcLinks", aws.client.get_vpc_links(), items, |link| {
            listed_made(attributes!(link), None, link.created_date())
        })
    }

    async fn get(&self, aws: &Aws, _parents: &Parents, id: &str) -> Result<Object, Failure> {
        Ok(attributes!(&get(aws, id).await?))
    }

    /// `arn`: `arn:PARTITION:apigateway:REGION::/vpclinks/ID`.
    async fn derive(&self, aws: &Aws, attributes: &mut Object) -> Result<(), RemoteError> {
        let id = string(attributes, "id").unwrap_or_default();
        attributes.insert("arn".into(), text(&aws.arn(&format!("/vpclinks/{id}"))));
        Ok(())
    }
}

async fn get(
    aws: &Aws,
    id: &str,
) -> Result<aws_sdk_apigatewayv2::operation::get_vpc_link::GetVpcLinkOutput, Failure> {
    send(
        "GetVpcLink",
        aws.client.get_vpc_link().vpc_link_id(id).send(),
    )
    .await
}

/// What to say of a VPC link AWS gave up on.
fn failed(id: &str, status: &VpcLinkStatus, message: Option<&str>) -> String {
    format!(
        "the VPC link `{id}` is {}: {}",
        status.as_str(),
        message.unwrap_or("AWS gave no reason")
    )
}
