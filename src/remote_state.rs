//! `data "terraform_remote_state"`: the root module outputs of a state Terraform keeps, read
//! from its backend as Terraform reads them: `local` (a state file) or `s3` (an object, through
//! `aws::s3`). Outputs Terraform marks sensitive are named, so that gateform shows what is made
//! from them as `(sensitive value)`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::value::{Object, Value};

/// Where a backend keeps the state of a workspace.
#[derive(Debug, PartialEq)]
pub enum Location {
    File(std::path::PathBuf),
    S3(crate::aws::s3::ObjectAddress),
}

/// The outputs read, and the names of those Terraform marks sensitive.
#[derive(Debug, Default, PartialEq)]
pub struct Outputs {
    pub values: BTreeMap<String, Value>,
    pub sensitive: BTreeSet<String>,
}

/// Reads the data source: its arguments, with `outputs` the state's outputs over `defaults`.
pub async fn read(arguments: &Object, root: &Path) -> Result<(Object, BTreeSet<String>), String> {
    let location = location(arguments, root)?;
    let bytes = match &location {
        Location::File(path) => match std::fs::read(path) {
            Ok(bytes) => Some(bytes),
            // No state yet is a state with no outputs, as Terraform reads it.
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
            Err(error) => return Err(format!("cannot read `{}`: {error}", path.display())),
        },
        Location::S3(address) => crate::aws::s3::get_object(address).await?,
    };
    let mut outputs = match bytes {
        Some(bytes) => {
            outputs(&bytes).map_err(|error| format!("{}: {error}", describe(&location)))?
        }
        None => Outputs::default(),
    };
    if let Some(Value::Map(defaults)) = arguments.get("defaults") {
        for (name, value) in defaults {
            outputs
                .values
                .entry(name.clone())
                .or_insert_with(|| value.clone());
        }
    }
    let mut object = arguments.clone();
    object.insert("outputs".to_owned(), Value::Map(outputs.values));
    Ok((object, outputs.sensitive))
}

fn describe(location: &Location) -> String {
    match location {
        Location::File(path) => format!("`{}`", path.display()),
        Location::S3(address) => format!("`s3://{}/{}`", address.bucket, address.key),
    }
}

/// Where the backend the arguments name keeps the workspace's state. Relative paths are the
/// root module's, as Terraform's working directory is.
pub fn location(arguments: &Object, root: &Path) -> Result<Location, String> {
    let config = match arguments.get("config") {
        Some(Value::Map(config)) => config.clone(),
        _ => BTreeMap::new(),
    };
    let workspace = arguments
        .get("workspace")
        .and_then(Value::as_str)
        .unwrap_or("default");
    let text = |name: &str| config.get(name).and_then(Value::as_str).map(str::to_owned);
    let backend = arguments
        .get("backend")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let allowed: &[&str] = match backend {
        "local" => &["path", "workspace_dir"],
        _ => &[
            "bucket",
            "key",
            "region",
            "endpoint",
            "endpoints",
            "use_path_style",
            "force_path_style",
            "profile",
            "workspace_key_prefix",
            "encrypt",
        ],
    };
    if let Some(name) = config.keys().find(|name| !allowed.contains(&name.as_str())) {
        return Err(format!(
            "the `{backend}` backend's `{name}` is not supported; gateform reads {}",
            allowed
                .iter()
                .map(|name| format!("`{name}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    match backend {
        "local" => {
            let path = match workspace {
                "default" => text("path").unwrap_or_else(|| "terraform.tfstate".to_owned()),
                workspace => {
                    let directory =
                        text("workspace_dir").unwrap_or_else(|| "terraform.tfstate.d".to_owned());
                    format!("{directory}/{workspace}/terraform.tfstate")
                }
            };
            Ok(Location::File(root.join(path)))
        }
        _ => {
            let required = |name: &str| {
                text(name).ok_or_else(|| format!("the `s3` backend needs `config.{name}`"))
            };
            let key = required("key")?;
            let key = match workspace {
                "default" => key,
                workspace => {
                    let prefix = text("workspace_key_prefix").unwrap_or_else(|| "env:".to_owned());
                    format!("{prefix}/{workspace}/{key}")
                }
            };
            let endpoint = match config.get("endpoints") {
                Some(Value::Map(endpoints)) => endpoints.get("s3").and_then(Value::as_str),
                _ => None,
            }
            .map(str::to_owned)
            .or_else(|| text("endpoint"));
            let flag = |name: &str| matches!(config.get(name), Some(Value::Bool(true)));
            Ok(Location::S3(crate::aws::s3::ObjectAddress {
                bucket: required("bucket")?,
                key,
                region: text("region"),
                endpoint,
                path_style: flag("use_path_style") || flag("force_path_style"),
                profile: text("profile"),
            }))
        }
    }
}

/// The root module's outputs of a state file: Terraform's format 4 (`outputs`), or 3
/// (`modules[0].outputs`, the root module's).
pub fn outputs(bytes: &[u8]) -> Result<Outputs, String> {
    let state: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|error| format!("not a Terraform state file ({error})"))?;
    let outputs = match state["version"].as_u64() {
        Some(4) => &state["outputs"],
        Some(3) => &state["modules"][0]["outputs"],
        Some(version) => {
            return Err(format!(
                "a Terraform state of format {version}; gateform reads formats 3 and 4"
            ));
        }
        None => return Err("not a Terraform state file (it has no `version`)".to_owned()),
    };
    let mut read = Outputs::default();
    for (name, output) in outputs.as_object().into_iter().flatten() {
        read.values
            .insert(name.clone(), Value::from_json(&output["value"]));
        if output["sensitive"].as_bool() == Some(true) {
            read.sensitive.insert(name.clone());
        }
    }
    Ok(read)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arguments(backend: &str, config: &[(&str, Value)], workspace: &str) -> Object {
        Object::from([
            ("backend".to_owned(), Value::String(backend.to_owned())),
            (
                "config".to_owned(),
                Value::Map(
                    config
                        .iter()
                        .map(|(name, value)| ((*name).to_owned(), value.clone()))
                        .collect(),
                ),
            ),
            ("workspace".to_owned(), Value::String(workspace.to_owned())),
        ])
    }

    fn text(text: &str) -> Value {
        Value::String(text.to_owned())
    }

    #[test]
    fn backends_keep_workspaces_where_terraform_does() {
        let root = Path::new("infra");
        for (arguments, expected) in [
            (
                arguments("local", &[], "default"),
                Location::File("infra/terraform.tfstate".into()),
            ),
            (
                arguments(
                    "local",
                    &[("path", text("../lambda/terraform.tfstate"))],
                    "default",
                ),
                Location::File("infra/../lambda/terraform.tfstate".into()),
            ),
            (
                arguments("local", &[], "staging"),
                Location::File("infra/terraform.tfstate.d/staging/terraform.tfstate".into()),
            ),
            (
                arguments(
                    "s3",
                    &[("bucket", text("states")), ("key", text("lambda.tfstate"))],
                    "staging",
                ),
                Location::S3(crate::aws::s3::ObjectAddress {
                    bucket: "states".into(),
                    key: "env:/staging/lambda.tfstate".into(),
                    region: None,
                    endpoint: None,
                    path_style: false,
                    profile: None,
                }),
            ),
        ] {
            assert_eq!(location(&arguments, root), Ok(expected));
        }
        assert_eq!(
            location(
                &arguments("s3", &[("bucket", text("states"))], "default"),
                root
            ),
            Err("the `s3` backend needs `config.key`".to_owned())
        );
        let error = location(
            &arguments("local", &[("bucket", text("x"))], "default"),
            root,
        );
        assert_eq!(
            error,
            Err("the `local` backend's `bucket` is not supported; gateform reads `path`, `workspace_dir`".to_owned())
        );
    }

    #[test]
    fn outputs_are_read_from_both_state_formats() {
        let four = br#"{"version": 4, "outputs": {"arn": {"value": "arn:x", "type": "string"},
            "token": {"value": "t", "type": "string", "sensitive": true}}}"#;
        let three = br#"{"version": 3, "modules": [{"path": ["root"], "outputs":
            {"arn": {"value": "arn:x", "type": "string", "sensitive": false},
             "token": {"value": "t", "type": "string", "sensitive": true}}}]}"#;
        for state in [&four[..], &three[..]] {
            let outputs = outputs(state).unwrap();
            assert_eq!(
                outputs.values,
                BTreeMap::from([("arn".into(), text("arn:x")), ("token".into(), text("t"))])
            );
            assert_eq!(outputs.sensitive, BTreeSet::from(["token".to_owned()]));
        }
        assert_eq!(
            outputs(br#"{"version": 2}"#),
            Err("a Terraform state of format 2; gateform reads formats 3 and 4".to_owned())
        );
    }
}
