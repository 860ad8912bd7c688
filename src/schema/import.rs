//! Import ids as Terraform writes them, read with each kind's format ([`super::ImportFormat`]):
//! `API_ID` for an api, `API_ID/ROUTE_ID` for a route, `API_MAPPING_ID/DOMAIN_NAME` for an api
//! mapping, an ARN for a routing rule; any of them followed by `@REGION` for an object outside the
//! resource's configured region.

use std::collections::BTreeMap;

use super::{Kind, is_region};
use crate::value::Object;

/// The attributes an import id gives: the object's own `id`, and the ids of what it lives under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportId {
    kind: Kind,
    parts: BTreeMap<&'static str, String>,
    region: Option<String>,
    /// The id as written.
    text: String,
}

impl std::fmt::Display for ImportId {
    fn fmt(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str(&self.text)
    }
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
        let (text, mut region) = match full.rsplit_once('@') {
            Some((text, region)) => (text, Some(region.to_owned())),
            None => (full, None),
        };
        if region.as_deref().is_some_and(|region| !is_region(region)) {
            return Err(error(
                "an AWS region after `@`, such as `@eu-west-1`".to_owned(),
            ));
        }
        let expected = || {
            error(format!(
                "`{}`, such as `{}`",
                format.template, format.example
            ))
        };
        let values = read_template(format.template, text).ok_or_else(expected)?;
        let mut parts = BTreeMap::new();
        for (placeholder, value) in values {
            if placeholder == "REGION" {
                region.get_or_insert(value);
            } else if let Some((_, attribute)) =
                format.parts.iter().find(|(name, _)| *name == placeholder)
            {
                parts.insert(*attribute, value);
            }
        }
        Ok(ImportId {
            kind,
            parts,
            region,
            text: full.to_owned(),
        })
    }

    /// The id of an object the state records (or AWS reports), as an `import` block writes it:
    /// `@REGION` after it when the object is not in `home`, the provider's region. An ARN id is
    /// the object's own ARN. `None` when an attribute the id is made of is missing.
    pub fn of(kind: Kind, attributes: &Object, home: Option<&str>) -> Option<ImportId> {
        let format = kind.schema().import_id;
        let text = |name: &str| attributes.get(name)?.as_str();
        let region = text("region");
        let written = if format.template.starts_with("arn:") {
            attributes
                .iter()
                .filter(|(name, _)| name.ends_with("_arn"))
                .filter_map(|(_, value)| value.as_str())
                .find(|arn| read_template(format.template, arn).is_some())?
                .to_owned()
        } else {
            let mut written = format.template.to_owned();
            for (placeholder, attribute) in format.parts {
                written = written.replace(placeholder, text(attribute)?);
            }
            match region {
                Some(region) if Some(region) != home => format!("{written}@{region}"),
                _ => written,
            }
        };
        ImportId::parse(kind, &written).ok()
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

/// The value of each placeholder of `template` (a run of capitals and `_`) in `text`, where the
/// rest of the template is written as it is. Each value is one or more characters, and holds no
/// `/` and no space. `None` when `text` does not have the template's shape.
fn read_template(template: &str, text: &str) -> Option<Vec<(String, String)>> {
    let is_placeholder = |c: char| c.is_ascii_uppercase() || c == '_';
    let mut pieces: Vec<(bool, String)> = Vec::new();
    for c in template.chars() {
        match pieces.last_mut() {
            Some((placeholder, piece)) if *placeholder == is_placeholder(c) => piece.push(c),
            _ => pieces.push((is_placeholder(c), c.to_string())),
        }
    }
    let mut rest = text;
    let mut values = Vec::new();
    for (index, (placeholder, piece)) in pieces.iter().enumerate() {
        if !placeholder {
            rest = rest.strip_prefix(piece.as_str())?;
            continue;
        }
        let end = match pieces.get(index + 1) {
            Some((_, literal)) => rest.find(literal.as_str())?,
            None => rest.len(),
        };
        let value = &rest[..end];
        if value.is_empty() || value.contains('/') || value.contains(char::is_whitespace) {
            return None;
        }
        values.push((piece.clone(), value.to_owned()));
        rest = &rest[end..];
    }
    rest.is_empty().then_some(values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Value;

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

    #[test]
    fn an_objects_id_is_written_in_its_kinds_format() {
        let object = |entries: &[(&str, &str)]| -> Object {
            entries
                .iter()
                .map(|(name, value)| ((*name).to_owned(), Value::String((*value).to_owned())))
                .collect()
        };
        let route = object(&[("id", "r1"), ("api_id", "a1"), ("region", "eu-west-1")]);
        let written =
            |kind, attributes, home| ImportId::of(kind, attributes, home).map(|id| id.to_string());
        assert_eq!(
            written(Kind::Route, &route, Some("eu-west-1")).as_deref(),
            Some("a1/r1")
        );
        assert_eq!(
            written(Kind::Route, &route, Some("us-east-1")).as_deref(),
            Some("a1/r1@eu-west-1")
        );
        let mapping = object(&[("id", "m1"), ("domain_name", "api.example.com")]);
        assert_eq!(
            written(Kind::ApiMapping, &mapping, None).as_deref(),
            Some("m1/api.example.com")
        );
        let arn =
            "arn:aws:apigateway:us-east-1:123456789012:/domainnames/example.com/routingrules/rule1";
        let rule = object(&[
            ("id", "rule1"),
            ("domain_name", "example.com"),
            ("routing_rule_arn", arn),
            ("region", "us-east-1"),
        ]);
        assert_eq!(
            written(Kind::RoutingRule, &rule, None).as_deref(),
            Some(arn)
        );
        assert_eq!(written(Kind::Route, &object(&[("id", "r1")]), None), None);
    }

    /// Every kind's example id, read into the attributes it gives, is written back as it was.
    #[test]
    fn every_kinds_id_is_written_as_it_is_read() {
        for kind in Kind::ALL {
            let format = kind.schema().import_id;
            let parsed = ImportId::parse(kind, format.example).unwrap();
            let mut attributes: Object = format
                .parts
                .iter()
                .map(|(_, attribute)| {
                    let value = Value::String(parsed.attribute(attribute).to_owned());
                    ((*attribute).to_owned(), value)
                })
                .collect();
            if format.template.starts_with("arn:") {
                let arn = Value::String(format.example.to_owned());
                attributes.insert("routing_rule_arn".to_owned(), arn);
            }
            let region = parsed.region().unwrap_or("eu-west-1");
            attributes.insert("region".to_owned(), Value::String(region.to_owned()));
            let written = ImportId::of(kind, &attributes, Some(region)).map(|id| id.to_string());
            assert_eq!(written.as_deref(), Some(format.example), "{kind}");
        }
    }

    #[test]
    fn templates_read_arns_and_their_region() {
        let template =
            "arn:PARTITION:apigateway:REGION:ACCOUNT_ID:/domainnames/DOMAIN_NAME/routingrules/ID";
        let arn =
            "arn:aws:apigateway:us-east-1:123456789012:/domainnames/example.com/routingrules/rule1";
        let values = read_template(template, arn).unwrap();
        let value = |name: &str| {
            values
                .iter()
                .find(|(placeholder, _)| placeholder == name)
                .map(|(_, value)| value.as_str())
        };
        assert_eq!(value("REGION"), Some("us-east-1"));
        assert_eq!(value("DOMAIN_NAME"), Some("example.com"));
        assert_eq!(value("ID"), Some("rule1"));
        assert_eq!(read_template(template, "rule1"), None);
        assert_eq!(read_template("API_ID/ROUTE_ID", "a/b/c"), None);
        assert_eq!(read_template("API_ID/ROUTE_ID", "a/"), None);
    }
}
