//! `gateform migrate terraform`: the API Gateway v2 objects a Terraform state records, as
//! gateform's state records them, at the same addresses. Pure: the state's bytes in, the
//! records and what is left to Terraform out. Terraform's state format 4: `resources`, each with
//! `mode`, `type`, `name`, an optional `module` path and `instances` (`index_key`,
//! `attributes` in the provider's names, `dependencies` as resource addresses, `deposed`).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value as Json;

use crate::addr::Address;
use crate::schema::{Attribute, BlockSchema, Kind, Presence};
use crate::state::ResourceState;
use crate::value::{Object, Value};

/// What a Terraform state hands over.
#[derive(Debug, Default)]
pub struct Migration {
    /// Every instance of an `aws_apigatewayv2_*` resource, at its address.
    pub taken: BTreeMap<Address, ResourceState>,
    /// The resource addresses of the other managed resources, which stay Terraform's.
    pub left: Vec<String>,
    /// Instances Terraform marked tainted, to be replaced by its next apply: gateform has no
    /// taint, so they are taken as they are and named, for `apply --replace`.
    pub tainted: Vec<Address>,
}

impl Migration {
    /// The resource addresses taken (not instances): what `terraform state rm` is given.
    pub fn taken_resources(&self) -> Vec<String> {
        let resources: BTreeSet<String> = self
            .taken
            .keys()
            .map(|address| address.resource().to_string())
            .collect();
        resources.into_iter().collect()
    }
}

/// Reads a Terraform state: its API Gateway v2 instances and what stays with Terraform.
pub fn read(bytes: &[u8]) -> Result<Migration, String> {
    let state: Json = serde_json::from_slice(bytes)
        .map_err(|error| format!("not a Terraform state file ({error})"))?;
    match state["version"].as_u64() {
        Some(4) => {}
        Some(version) => {
            return Err(format!(
                "a Terraform state of format {version}; gateform migrates format 4 (Terraform 0.12 and later): run `terraform apply` with a newer Terraform first"
            ));
        }
        None => return Err("not a Terraform state file (it has no `version`)".to_owned()),
    }
    let mut migration = Migration::default();
    // Each instance with the resource addresses it depends on, resolved once all are known.
    let mut depends: Vec<(Address, Vec<String>)> = Vec::new();
    for resource in state["resources"].as_array().into_iter().flatten() {
        if resource["mode"] != "managed" {
            continue;
        }
        let kind_name = resource["type"].as_str().unwrap_or_default();
        let name = resource["name"].as_str().unwrap_or_default();
        let module = resource["module"].as_str().unwrap_or_default();
        let resource_address = match module {
            "" => format!("{kind_name}.{name}"),
            module => format!("{module}.{kind_name}.{name}"),
        };
        let Ok(kind) = kind_name.parse::<Kind>() else {
            migration.left.push(resource_address);
            continue;
        };
        for instance in resource["instances"].as_array().into_iter().flatten() {
            let key = match &instance["index_key"] {
                Json::Null => String::new(),
                Json::Number(index) => format!("[{index}]"),
                key => format!("[{key}]"),
            };
            let written = format!("{resource_address}{key}");
            if let Some(deposed) = instance["deposed"].as_str() {
                return Err(format!(
                    "`{written}` has a deposed object ({deposed}), left by a replacement Terraform did not finish: run `terraform apply` to finish it, then migrate"
                ));
            }
            let address: Address = written.parse().map_err(|error| {
                format!("`{written}` is not an address gateform reads: {error}")
            })?;
            let schema = kind.schema();
            let mut attributes = match instance["attributes"].as_object() {
                Some(attributes) => recorded(schema.attributes, schema.blocks, attributes),
                None => return Err(format!("`{written}` has no `attributes`")),
            };
            // The provider keeps a routing rule's id in `routing_rule_id` only; gateform, as
            // every object's, in `id` too.
            if kind == Kind::RoutingRule && attributes.get("id").is_none_or(Value::is_null) {
                let id = attributes
                    .get("routing_rule_id")
                    .cloned()
                    .unwrap_or(Value::Null);
                attributes.insert("id".to_owned(), id);
            }
            if instance["status"] == "tainted" {
                migration.tainted.push(address.clone());
            }
            if attributes
                .get("id")
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
            {
                return Err(format!("`{written}` has no `id`: it was never created"));
            }
            let dependencies = instance["dependencies"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|dependency| dependency.as_str().map(str::to_owned))
                .collect();
            depends.push((address.clone(), dependencies));
            let resource = ResourceState {
                attributes,
                dependencies: Default::default(),
            };
            migration.taken.insert(address, resource);
        }
    }
    // A dependency on a resource is one on each of its instances, in every instance of its
    // module: Terraform writes them with no keys at all. Ones on resources that stay with
    // Terraform (a Lambda function) are not gateform's to order.
    let mut instances: BTreeMap<String, Vec<Address>> = BTreeMap::new();
    for address in migration.taken.keys() {
        instances
            .entry(unkeyed(address))
            .or_default()
            .push(address.clone());
    }
    for (address, resources) in depends {
        let waits = resources
            .iter()
            .filter_map(|resource| instances.get(resource))
            .flatten()
            .cloned()
            .collect();
        if let Some(resource) = migration.taken.get_mut(&address) {
            resource.dependencies = waits;
        }
    }
    with_regions(&mut migration.taken);
    migration.left.sort();
    migration.left.dedup();
    Ok(migration)
}

/// An address as Terraform's `dependencies` write it: no module or instance keys.
fn unkeyed(address: &Address) -> String {
    let modules: String = address
        .module
        .iter()
        .map(|step| format!("module.{}.", step.name))
        .collect();
    format!("{modules}{}.{}", address.kind.as_str(), address.name)
}

/// Provider versions before 6 keep no `region`: an object's is in its ARN, or else its
/// parent's (a route's api, an api mapping's domain name). One left without stays unset, and
/// the state's reader gives it the default provider's.
fn with_regions(taken: &mut BTreeMap<Address, ResourceState>) {
    let text = |attributes: &Object, name: &str| {
        attributes
            .get(name)
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let unset = |attributes: &Object| attributes.get("region").is_none_or(Value::is_null);
    let from_arn = |attributes: &Object| {
        ["arn", "execution_arn", "routing_rule_arn"]
            .iter()
            .filter_map(|name| text(attributes, name))
            .find_map(|arn| {
                arn.split(':')
                    .nth(3)
                    .filter(|region| !region.is_empty())
                    .map(str::to_owned)
            })
    };
    for resource in taken.values_mut() {
        if unset(&resource.attributes)
            && let Some(region) = from_arn(&resource.attributes)
        {
            resource
                .attributes
                .insert("region".to_owned(), Value::String(region));
        }
    }
    let regions: BTreeMap<String, Value> = taken
        .values()
        .filter(|resource| !unset(&resource.attributes))
        .map(|resource| {
            (
                resource.id().to_owned(),
                resource.attributes["region"].clone(),
            )
        })
        .collect();
    for resource in taken.values_mut() {
        let parent = ["api_id", "domain_name"]
            .iter()
            .filter_map(|name| text(&resource.attributes, name))
            .find_map(|id| regions.get(&id).cloned());
        if let (true, Some(region)) = (unset(&resource.attributes), parent) {
            resource.attributes.insert("region".to_owned(), region);
        }
    }
}

/// The attributes gateform records for what Terraform recorded: the schema's, each in its
/// canonical form, blocks element by element. The AWS provider writes an argument it never
/// set as its zero value (`""`, `false`, `0`), which here is unset: its default, or null. What
/// AWS holds of an argument a configuration sets comes back with the first refresh.
fn recorded(
    attributes: &[Attribute],
    blocks: &[BlockSchema],
    terraform: &serde_json::Map<String, Json>,
) -> Object {
    let mut object = Object::new();
    for attribute in attributes {
        let value = terraform
            .get(attribute.name)
            .map_or(Value::Null, Value::from_json);
        let zero =
            matches!(value, Value::Bool(false) | Value::Number(0.0)) || value.as_str() == Some("");
        let value = match attribute.normalize(value) {
            Value::Null => attribute.default_value(),
            // What AWS never reports is the configuration's own, and kept as Terraform has it.
            _ if zero && attribute.read_back && attribute.presence != Presence::Required => {
                attribute.default_value()
            }
            value => value,
        };
        object.insert(attribute.name.to_owned(), value);
    }
    for block in blocks {
        let elements = terraform
            .get(block.name)
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
            .filter_map(Json::as_object)
            .map(|element| Value::Map(recorded(block.attributes, block.blocks, element)))
            .collect();
        object.insert(block.name.to_owned(), block.normalize(elements));
    }
    object
}

#[cfg(test)]
mod tests {
    use super::*;

    /// As Terraform 1.x with the AWS provider writes it: every schema attribute, `""` for an
    /// unset string, `[]` for absent blocks, attributes gateform does not keep, and
    /// dependencies by resource.
    const STATE: &str = r#"{
      "version": 4, "terraform_version": "1.9.8", "serial": 7, "lineage": "2d0f...",
      "outputs": {},
      "resources": [
        {"module": "module.orders", "mode": "managed", "type": "aws_apigatewayv2_api", "name": "this",
         "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
         "instances": [{"schema_version": 0, "attributes": {
           "api_endpoint": "https://a1b2c3.execute-api.eu-west-1.amazonaws.com",
           "api_key_selection_expression": "$request.header.x-api-key", "arn": "arn:aws:apigateway:eu-west-1::/apis/a1b2c3",
           "body": null, "cors_configuration": [], "credentials_arn": null, "description": "",
           "disable_execute_api_endpoint": false, "execution_arn": "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3",
           "fail_on_warnings": false, "id": "a1b2c3", "name": "orders", "protocol_type": "HTTP",
           "route_key": null, "route_selection_expression": "$request.method $request.path",
           "tags": {}, "tags_all": {}, "target": null, "version": ""},
           "sensitive_attributes": [], "private": "bnVsbA=="}]},
        {"module": "module.orders", "mode": "managed", "type": "aws_apigatewayv2_route", "name": "this",
         "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
         "instances": [{"index_key": "GET /orders", "schema_version": 0, "attributes": {
           "api_id": "a1b2c3", "api_key_required": false, "authorization_scopes": [], "authorization_type": "NONE",
           "authorizer_id": "", "id": "r1", "model_selection_expression": "", "operation_name": "",
           "request_models": {}, "request_parameter": [], "route_key": "GET /orders",
           "route_response_selection_expression": "", "target": "integrations/i1"},
           "status": "tainted",
           "dependencies": ["module.orders.aws_apigatewayv2_api.this", "aws_lambda_function.orders"]}]},
        {"mode": "managed", "type": "aws_lambda_function", "name": "orders",
         "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]", "instances": []}
      ]
    }"#;

    #[test]
    fn reads_terraforms_instances_at_their_addresses() {
        let migration = read(STATE.as_bytes()).unwrap();
        let addresses: Vec<String> = migration.taken.keys().map(ToString::to_string).collect();
        assert_eq!(
            addresses,
            [
                "module.orders.aws_apigatewayv2_api.this",
                "module.orders.aws_apigatewayv2_route.this[\"GET /orders\"]"
            ]
        );
        assert_eq!(migration.left, ["aws_lambda_function.orders"]);
        let api = &migration.taken.values().next().unwrap().attributes;
        assert_eq!(api["name"], Value::String("orders".to_owned()));
        // Terraform's "" and {} for what is unset are unset; a region the provider before v6
        // did not record is the ARN's, or the parent api's.
        assert_eq!(api["description"], Value::Null);
        assert_eq!(api["tags"], Value::Null);
        // What AWS never reports is the configuration's, even a zero: Terraform writes null
        // when it is not set.
        assert_eq!(api["fail_on_warnings"], Value::Bool(false));
        assert_eq!(api["region"], Value::String("eu-west-1".to_owned()));
        assert!(!api.contains_key("private"));
        let route = migration.taken.values().nth(1).unwrap();
        assert_eq!(route.attributes["authorizer_id"], Value::Null);
        assert_eq!(
            route.attributes["region"],
            Value::String("eu-west-1".to_owned())
        );
        assert_eq!(migration.tainted.len(), 1, "the route is tainted");
        let waits: Vec<String> = route.dependencies.iter().map(ToString::to_string).collect();
        assert_eq!(waits, ["module.orders.aws_apigatewayv2_api.this"]);
        assert_eq!(
            migration.taken_resources(),
            [
                "module.orders.aws_apigatewayv2_api.this",
                "module.orders.aws_apigatewayv2_route.this"
            ]
        );
    }

    /// Terraform writes dependencies with no module keys: inside `module.api["eu"]`, the route
    /// waits for `module.api.aws_apigatewayv2_api.this`, which is the api of its own instance and
    /// of every other.
    #[test]
    fn dependencies_reach_into_keyed_modules_and_a_routing_rules_id_is_its_own() {
        let state = STATE
            .replace(r#""module": "module.orders""#, r#""module": "module.orders[\"eu\"]""#)
            .replace(
                r#"{"mode": "managed", "type": "aws_lambda_function""#,
                r#"{"mode": "managed", "type": "aws_apigatewayv2_routing_rule", "name": "r", "instances": [{"attributes": {
                   "domain_name": "api.example.com", "priority": 1, "action": [], "condition": [],
                   "routing_rule_arn": "arn:aws:apigateway:eu-west-1:123456789012:/domainnames/api.example.com/routingrules/rr1",
                   "routing_rule_id": "rr1"}}]},
                   {"mode": "managed", "type": "aws_lambda_function""#,
            );
        let migration = read(state.as_bytes()).unwrap();
        let route: Address = "module.orders[\"eu\"].aws_apigatewayv2_route.this[\"GET /orders\"]"
            .parse()
            .unwrap();
        let waits: Vec<String> = migration.taken[&route]
            .dependencies
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(waits, ["module.orders[\"eu\"].aws_apigatewayv2_api.this"]);
        let rule: Address = "aws_apigatewayv2_routing_rule.r".parse().unwrap();
        assert_eq!(migration.taken[&rule].id(), "rr1");
        assert_eq!(
            migration.taken[&rule].attributes["region"],
            Value::String("eu-west-1".to_owned())
        );
    }

    #[test]
    fn a_deposed_object_is_refused() {
        let state = STATE.replace(
            r#""index_key": "GET /orders","#,
            r#""index_key": "GET /orders", "deposed": "00000001","#,
        );
        assert_eq!(
            read(state.as_bytes()).unwrap_err(),
            "`module.orders.aws_apigatewayv2_route.this[\"GET /orders\"]` has a deposed object (00000001), left by a replacement Terraform did not finish: run `terraform apply` to finish it, then migrate"
        );
    }
}
