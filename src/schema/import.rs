//! Import ids as Terraform writes them.

use super::Kind;

/// An import id as Terraform writes it: `API_ID` for an api, `API_ID/ID` for what belongs to one,
/// either followed by `@REGION` for an object outside the resource's configured region.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportId {
    pub api_id: String,
    pub id: String,
    region: Option<String>,
}

/// An import id that does not have its kind's format.
#[derive(Debug, thiserror::Error)]
#[error("invalid import id `{id}` for `{kind}`: expected {expected}")]
pub struct ImportIdError {
    kind: Kind,
    id: String,
    expected: &'static str,
}

impl ImportId {
    /// The region the id names with `@REGION`, if it names one.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    pub fn parse(kind: Kind, full: &str) -> Result<ImportId, ImportIdError> {
        let format = |expected| ImportIdError {
            kind,
            id: full.to_owned(),
            expected,
        };
        let (text, region) = match full.rsplit_once('@') {
            Some((text, region)) => (text, Some(region)),
            None => (full, None),
        };
        if region.is_some_and(|region| !crate::schema::is_region(region)) {
            return Err(format("an AWS region after `@`, such as `@eu-west-1`"));
        }
        let valid =
            |part: &str| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric());
        // Stage names may hold `$`, `-` and `_`: anything but a slash.
        let valid_name = |part: &str| !part.is_empty() && !part.contains('/');
        let expected = match kind {
            Kind::Api => "the api id, such as `aabbccddee`",
            Kind::Authorizer => "`API_ID/AUTHORIZER_ID`, such as `aabbccddee/1122334`",
            Kind::Deployment => "`API_ID/DEPLOYMENT_ID`, such as `aabbccddee/1122334`",
            Kind::Integration => "`API_ID/INTEGRATION_ID`, such as `aabbccddee/1122334`",
            Kind::Model => "`API_ID/MODEL_ID`, such as `aabbccddee/1122334`",
            Kind::Route => "`API_ID/ROUTE_ID`, such as `aabbccddee/1122334`",
            Kind::Stage => "`API_ID/STAGE_NAME`, such as `aabbccddee/prod`",
        };
        let parsed = match kind {
            Kind::Api => valid(text).then_some((text, text)),
            Kind::Authorizer | Kind::Deployment | Kind::Integration | Kind::Model | Kind::Route => {
                text.split_once('/')
                    .filter(|(api_id, id)| valid(api_id) && valid(id))
            }
            Kind::Stage => text
                .split_once('/')
                .filter(|(api_id, name)| valid(api_id) && valid_name(name)),
        };
        match parsed {
            Some((api_id, id)) => Ok(ImportId {
                api_id: api_id.to_owned(),
                id: id.to_owned(),
                region: region.map(str::to_owned),
            }),
            None => Err(format(expected)),
        }
    }
}
