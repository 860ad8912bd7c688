//! Import ids as Terraform writes them, read with each kind's format ([`super::Schema::import_id`]):
//! `API_ID` for an api, `API_ID/ROUTE_ID` for a route, `API_MAPPING_ID/DOMAIN_NAME` for an api
//! mapping; any of them followed by `@REGION` for an object outside the resource's configured
//! region.

use std::collections::BTreeMap;

use super::{Kind, is_region};

/// The attributes an import id gives: the object's own `id`, and the ids of what it lives under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportId {
    kind: Kind,
    parts: BTreeMap<&'static str, String>,
    region: Option<String>,
}

/// An import id that does not have its kind's format.
#[derive(Debug, thiserror::Error)]
#[error("invalid import id `{id}` for `{kind}`: expected {expected}")]
pub struct ImportIdError {
    kind: Kind,
    id: String,
    expected: String,
}

impl ImportId {
    pub fn parse(kind: Kind, full: &str) -> Result<ImportId, ImportIdError> {
        let format = kind.schema().import_id;
        let error = |expected: String| ImportIdError {
            kind,
            id: full.to_owned(),
            expected,
        };
        let (text, region) = match full.rsplit_once('@') {
            Some((text, region)) => (text, Some(region)),
            None => (full, None),
        };
        if region.is_some_and(|region| !is_region(region)) {
            return Err(error(
                "an AWS region after `@`, such as `@eu-west-1`".to_owned(),
            ));
        }
        let values: Vec<&str> = text.split('/').collect();
        // Every part is there, and none is empty or holds spaces.
        let valid = values.len() == format.len()
            && values
                .iter()
                .all(|value| !value.is_empty() && !value.contains(char::is_whitespace));
        if !valid {
            let join = |part: fn(&super::IdPart) -> &'static str| {
                format.iter().map(part).collect::<Vec<_>>().join("/")
            };
            return Err(error(format!(
                "`{}`, such as `{}`",
                join(|part| part.placeholder),
                join(|part| part.example)
            )));
        }
        Ok(ImportId {
            kind,
            parts: format
                .iter()
                .map(|part| part.attribute)
                .zip(values.into_iter().map(str::to_owned))
                .collect(),
            region: region.map(str::to_owned),
        })
    }

    /// The region the id names with `@REGION`, if it names one.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The object's own id.
    pub fn id(&self) -> &str {
        self.attribute("id")
    }

    /// The value the id gives `attribute`, such as `api_id`; empty if it gives none.
    pub fn attribute(&self, attribute: &str) -> &str {
        self.parts.get(attribute).map_or("", String::as_str)
    }

    /// The ids of what the object lives under, outermost first, as (parent, its id).
    pub fn parents(&self) -> Vec<(super::Parent, &str)> {
        self.kind
            .ancestry()
            .into_iter()
            .map(|parent| (parent, self.attribute(parent.attribute)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_each_kinds_format() {
        let route = ImportId::parse(Kind::Route, "aabbccddee/1122334@us-west-2").unwrap();
        assert_eq!(
            (route.attribute("api_id"), route.id(), route.region()),
            ("aabbccddee", "1122334", Some("us-west-2"))
        );
        let stage = ImportId::parse(Kind::Stage, "aabbccddee/$default").unwrap();
        assert_eq!(stage.id(), "$default");
        assert_eq!(
            ImportId::parse(Kind::Route, "aabbccddee")
                .unwrap_err()
                .to_string(),
            "invalid import id `aabbccddee` for `aws_apigatewayv2_route`: expected `API_ID/ROUTE_ID`, such as `aabbccddee/1122334`"
        );
        assert_eq!(
            ImportId::parse(Kind::Api, "a/b@nowhere")
                .unwrap_err()
                .to_string(),
            "invalid import id `a/b@nowhere` for `aws_apigatewayv2_api`: expected an AWS region after `@`, such as `@eu-west-1`"
        );
    }
}
