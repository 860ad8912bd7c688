//! Reading a Terraform state kept in S3, for `terraform_remote_state` with the `s3` backend. As
//! Terraform's backend does, it connects with its own settings (region, endpoint, profile) and
//! the environment's credentials, not the provider block's.

use aws_config::BehaviorVersion;

/// Where an object is, and how to reach its bucket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectAddress {
    pub bucket: String,
    pub key: String,
    pub region: Option<String>,
    /// `endpoints.s3` (or the older `endpoint`): an S3-compatible endpoint.
    pub endpoint: Option<String>,
    /// `use_path_style`: `https://HOST/BUCKET/KEY` rather than `https://BUCKET.HOST/KEY`.
    pub path_style: bool,
    pub profile: Option<String>,
}

/// The object's bytes; `None` when there is no such key (no state yet).
pub async fn get_object(address: &ObjectAddress) -> Result<Option<Vec<u8>>, String> {
    let mut loader = aws_config::defaults(BehaviorVersion::latest());
    if let Some(region) = &address.region {
        loader = loader.region(aws_config::Region::new(region.clone()));
    }
    if let Some(profile) = &address.profile {
        loader = loader.profile_name(profile);
    }
    let shared = loader.load().await;
    let mut config =
        aws_sdk_s3::config::Builder::from(&shared).force_path_style(address.path_style);
    if let Some(endpoint) = &address.endpoint {
        config = config.endpoint_url(endpoint);
    }
    let client = aws_sdk_s3::Client::from_conf(config.build());
    let answer = client
        .get_object()
        .bucket(&address.bucket)
        .key(&address.key)
        .send()
        .await;
    let where_ = format!("s3://{}/{}", address.bucket, address.key);
    match answer {
        Ok(object) => object
            .body
            .collect()
            .await
            .map(|bytes| Some(bytes.into_bytes().to_vec()))
            .map_err(|error| format!("cannot read `{where_}`: {error}")),
        Err(error)
            if error
                .as_service_error()
                .is_some_and(|error| error.is_no_such_key()) =>
        {
            Ok(None)
        }
        Err(error) => Err(format!(
            "cannot read `{where_}`: {}",
            super::sdk_message(&error)
        )),
    }
}
