//! Views of the state: Terraform's `show -json` shape for tools, and HCL-like text for people.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::json;
use sha2::Digest as _;

use super::quoted;

use crate::addr::{Address, InstanceKey, ModuleStep};
use crate::schema::BlockSchema;
use crate::state::State;
use crate::value::{Object, Value, block_elements, format_number};

/// The state in the shape of `terraform show -json`, so jq scripts and tools written for
/// Terraform read it unchanged: every argument and attribute (null when unset), nested blocks as
/// lists of objects, maps as objects.
pub fn json(state: &State) -> String {
    let mut out = document(state).to_string();
    out.push('\n');
    out
}

/// The `show -json` document, which a JSON plan also carries as its `prior_state`.
pub fn document(state: &State) -> serde_json::Value {
    let resources = state.resources.iter().map(|(address, resource)| {
        let mut entry = identity(address);
        entry["schema_version"] = json!(0);
        entry["values"] = json!(crate::value::object_to_json(&resource.attributes));
        entry["sensitive_values"] = json!({});
        if !resource.dependencies.is_empty() {
            let dependencies: Vec<String> = resource
                .dependencies
                .iter()
                .map(Address::to_string)
                .collect();
            entry["depends_on"] = json!(dependencies);
        }
        (address.module.as_slice(), entry)
    });
    let mut values = json!({ "root_module": module_tree(resources) });
    if !state.outputs.is_empty() {
        values["outputs"] = state
            .outputs
            .iter()
            .map(|(name, output)| {
                let value = output.value.to_json().unwrap_or_default();
                let entry = json!({
                    "sensitive": output.sensitive,
                    "value": value,
                    "type": cty_type(&output.value),
                });
                (name.clone(), entry)
            })
            .collect();
    }
    json!({
        "format_version": "1.0",
        "terraform_version": TERRAFORM_VERSION,
        "gateform_version": env!("CARGO_PKG_VERSION"),
        "values": values,
    })
}

/// The Terraform release whose JSON formats gateform writes: tools that read Terraform's JSON
/// check this field (Checkov reads a file as a plan only when it has one).
pub const TERRAFORM_VERSION: &str = "1.11.4";

/// Terraform's module object of resources, by module instance: the root module's resources, and
/// `child_modules`, each with its `address`, its own resources and its children, ordered by
/// address. The resources come in the order they are to be listed.
pub(crate) fn module_tree<'a>(
    resources: impl IntoIterator<Item = (&'a [ModuleStep], serde_json::Value)>,
) -> serde_json::Value {
    let mut by_module: BTreeMap<&[ModuleStep], Vec<serde_json::Value>> = BTreeMap::new();
    for (module, resource) in resources {
        // Every module instance on the way holds the ones below it, resources or not.
        for depth in 0..module.len() {
            by_module.entry(&module[..depth]).or_default();
        }
        by_module.entry(module).or_default().push(resource);
    }
    fn tree(
        path: &[ModuleStep],
        by_module: &mut BTreeMap<&[ModuleStep], Vec<serde_json::Value>>,
        children: &BTreeMap<&[ModuleStep], Vec<&[ModuleStep]>>,
    ) -> serde_json::Value {
        let mut module = serde_json::Map::new();
        if !path.is_empty() {
            module.insert("address".to_owned(), json!(crate::addr::module_path(path)));
        }
        let resources = by_module.remove(path).unwrap_or_default();
        if path.is_empty() || !resources.is_empty() {
            module.insert("resources".to_owned(), json!(resources));
        }
        let below: Vec<serde_json::Value> = children
            .get(path)
            .into_iter()
            .flatten()
            .map(|child| tree(child, by_module, children))
            .collect();
        if !below.is_empty() {
            module.insert("child_modules".to_owned(), json!(below));
        }
        serde_json::Value::Object(module)
    }
    let mut children: BTreeMap<&[ModuleStep], Vec<&[ModuleStep]>> = BTreeMap::new();
    for module in by_module.keys().filter(|module| !module.is_empty()) {
        children
            .entry(&module[..module.len() - 1])
            .or_default()
            .push(module);
    }
    tree(&[], &mut by_module, &children)
}

/// `gateform output`: every output as `NAME = VALUE` (sensitive ones hidden), or one output's
/// value; with `json`, Terraform's `output -json` shape.
pub fn outputs(state: &State, name: Option<&str>, json: bool) -> Result<String, String> {
    let one = |name: &str| {
        state.outputs.get(name).ok_or_else(|| {
            format!("no output named `{name}` in the state: apply a configuration that declares it")
        })
    };
    let value_json = |value: &Value| value.to_json().unwrap_or_default();
    Ok(match (name, json) {
        (Some(name), true) => format!("{}\n", value_json(&one(name)?.value)),
        (Some(name), false) => format!("{}\n", hcl(&one(name)?.value, 0)),
        (None, true) => {
            let all: serde_json::Map<String, serde_json::Value> = state
                .outputs
                .iter()
                .map(|(name, output)| {
                    let entry =
                        json!({"sensitive": output.sensitive, "value": value_json(&output.value)});
                    (name.clone(), entry)
                })
                .collect();
            format!("{}\n", serde_json::Value::Object(all))
        }
        (None, false) => {
            let width = state
                .outputs
                .keys()
                .map(|n| n.chars().count())
                .max()
                .unwrap_or(0);
            state
                .outputs
                .iter()
                .map(|(name, output)| {
                    let value = match output.sensitive {
                        true => "<sensitive>".to_owned(),
                        false => hcl(&output.value, 0),
                    };
                    format!("{} = {value}\n", super::padded(name, width))
                })
                .collect()
        }
    })
}

/// The state in Terraform's state file format, version 4 (what `terraform state pull` prints):
/// Terraform, `terraform_remote_state` and the tools that read `.tfstate` files read it.
pub fn terraform_state(state: &State) -> String {
    type Resource<'a> = (String, &'a str, &'a str, Vec<serde_json::Value>);
    let mut resources: BTreeMap<(String, &str, &str), Resource<'_>> = BTreeMap::new();
    let instance = |address: &Address, resource: &crate::state::ResourceState| {
        let mut dependencies: Vec<String> = resource
            .dependencies
            .iter()
            .map(|dependency| dependency.resource().to_string())
            .collect();
        dependencies.dedup();
        let mut entry = json!({
            "schema_version": 0,
            "attributes": crate::value::object_to_json(&resource.attributes),
            "sensitive_attributes": [],
        });
        match &address.key {
            Some(InstanceKey::Index(index)) => entry["index_key"] = json!(index),
            Some(InstanceKey::Key(key)) => entry["index_key"] = json!(key),
            None => {}
        }
        if !dependencies.is_empty() {
            entry["dependencies"] = json!(dependencies);
        }
        entry
    };
    let objects = state
        .resources
        .iter()
        .map(|(address, resource)| (address, instance(address, resource)))
        .chain(state.deposed.iter().map(|deposed| {
            let mut entry = instance(&deposed.address, &deposed.resource);
            // Terraform's key for a deposed object: eight hex digits, here from its id.
            let digest = sha2::Sha256::digest(deposed.resource.id().as_bytes());
            let key: String = digest
                .iter()
                .take(4)
                .map(|byte| format!("{byte:02x}"))
                .collect();
            entry["deposed"] = json!(key);
            (&deposed.address, entry)
        }));
    for (address, entry) in objects {
        let module = address.module_path();
        let key = (module.clone(), address.kind.as_str(), address.name.as_str());
        resources
            .entry(key)
            .or_insert_with(|| {
                (
                    module,
                    address.kind.as_str(),
                    address.name.as_str(),
                    Vec::new(),
                )
            })
            .3
            .push(entry);
    }
    let resources: Vec<serde_json::Value> = resources
        .into_values()
        .map(|(module, kind, name, instances)| {
            let mut resource = serde_json::Map::new();
            if !module.is_empty() {
                resource.insert("module".to_owned(), json!(module));
            }
            resource.insert("mode".to_owned(), json!("managed"));
            resource.insert("type".to_owned(), json!(kind));
            resource.insert("name".to_owned(), json!(name));
            resource.insert(
                "provider".to_owned(),
                json!("provider[\"registry.terraform.io/hashicorp/aws\"]"),
            );
            resource.insert("instances".to_owned(), json!(instances));
            serde_json::Value::Object(resource)
        })
        .collect();
    let outputs: serde_json::Map<String, serde_json::Value> = state
        .outputs
        .iter()
        .map(|(name, output)| {
            let mut entry = json!({
                "value": output.value.to_json().unwrap_or_default(),
                "type": cty_type(&output.value),
            });
            if output.sensitive {
                entry["sensitive"] = json!(true);
            }
            (name.clone(), entry)
        })
        .collect();
    let document = json!({
        "version": 4,
        "terraform_version": TERRAFORM_VERSION,
        "serial": state.serial,
        "lineage": state.lineage.clone().unwrap_or_default(),
        "outputs": outputs,
        "resources": resources,
        "check_results": null,
    });
    let mut out = serde_json::to_string_pretty(&document).unwrap_or_default();
    out.push('\n');
    out
}

/// The type Terraform gives a value made of literals: tuples and objects, as `type` in a state
/// file's outputs writes it.
pub(super) fn cty_type(value: &Value) -> serde_json::Value {
    match value {
        Value::String(_) => json!("string"),
        Value::Number(_) => json!("number"),
        Value::Bool(_) => json!("bool"),
        Value::List(items) => json!(["tuple", items.iter().map(cty_type).collect::<Vec<_>>()]),
        Value::Map(entries) => {
            let fields: serde_json::Map<String, serde_json::Value> = entries
                .iter()
                .map(|(name, value)| (name.clone(), cty_type(value)))
                .collect();
            json!(["object", fields])
        }
        _ => json!("dynamic"),
    }
}

/// `output -raw NAME`: a string, number or bool as it is, without quotes or a newline.
pub fn raw_output(state: &State, name: &str) -> Result<String, String> {
    let output = state.outputs.get(name).ok_or_else(|| {
        format!("no output named `{name}` in the state: apply a configuration that declares it")
    })?;
    match &output.value {
        Value::String(text) => Ok(text.clone()),
        Value::Bool(flag) => Ok(flag.to_string()),
        Value::Number(number) => Ok(format_number(*number)),
        _ => Err(format!(
            "the output `{name}` is not a string, number or bool, which --raw prints as they are: use --json"
        )),
    }
}

/// The fields that name a resource instance in Terraform's JSON: `address`, `mode`, `type`,
/// `name`, and `index` and `module_address` where it has them.
pub(crate) fn identity(address: &Address) -> serde_json::Value {
    let mut entry = json!({
        "address": address.to_string(),
        "mode": "managed",
        "type": address.kind.as_str(),
        "name": address.name,
        "provider_name": "registry.terraform.io/hashicorp/aws",
    });
    if let Some(key) = &address.key {
        entry["index"] = match key {
            InstanceKey::Index(index) => json!(index),
            InstanceKey::Key(key) => json!(key),
        };
    }
    if !address.module.is_empty() {
        entry["module_address"] = json!(address.module_path());
    }
    entry
}

/// The state as HCL-like text, as `terraform show` prints it: one block per resource, unset
/// attributes left out.
pub fn text(state: &State) -> String {
    if state.resources.is_empty() {
        return "The state is empty: gateform manages no objects yet.\n".to_owned();
    }
    let mut out = String::new();
    for (address, resource) in &state.resources {
        out.push_str(&resource_text(address, &resource.attributes));
        out.push('\n');
    }
    out
}

/// One resource's attributes as HCL-like text, under its address: what `state show` prints.
pub fn resource_text(address: &Address, attributes: &Object) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {address}:");
    let _ = writeln!(out, "resource \"{}\" \"{}\" {{", address.kind, address.name);
    body(&mut out, 4, attributes, address.kind.schema().blocks);
    out.push_str("}\n");
    out
}

fn body(out: &mut String, indent: usize, object: &Object, blocks: &[BlockSchema]) {
    let is_block = |name: &str| blocks.iter().any(|block| block.name == name);
    let attributes: Vec<(&String, &Value)> = object
        .iter()
        .filter(|(name, value)| !value.is_blank() && !is_block(name))
        .collect();
    let width = attributes
        .iter()
        .map(|(name, _)| name.len())
        .max()
        .unwrap_or(0);
    for (name, value) in attributes {
        let _ = writeln!(
            out,
            "{:indent$}{} = {}",
            "",
            super::padded(name, width),
            hcl(value, indent)
        );
    }
    for block in blocks {
        let name = block.name;
        for element in block_elements(object, name) {
            let _ = writeln!(out, "\n{:indent$}{name} {{", "");
            body(out, indent + 4, element, block.blocks);
            let _ = writeln!(out, "{:indent$}}}", "");
        }
    }
}

/// A value as `terraform console` prints it: HCL, two-space indents, keys not aligned, empty
/// lists and maps on one line.
pub fn console_value(value: &Value, indent: usize) -> String {
    layout(value, indent, Layout::CONSOLE)
}

/// A value in HCL syntax, as the state's text shows it; lists and maps over several lines.
fn hcl(value: &Value, indent: usize) -> String {
    layout(value, indent, Layout::STATE)
}

/// How [`layout`] lays a value out over lines.
#[derive(Clone, Copy)]
struct Layout {
    /// Spaces each level indents.
    step: usize,
    /// Whether the `=` of a map's entries line up.
    align: bool,
    /// Whether an empty list or map is `[]`, not `[` and `]` on two lines.
    empty_inline: bool,
}

impl Layout {
    const STATE: Layout = Layout {
        step: 4,
        align: true,
        empty_inline: false,
    };
    const CONSOLE: Layout = Layout {
        step: 2,
        align: false,
        empty_inline: true,
    };
}

fn layout(value: &Value, indent: usize, how: Layout) -> String {
    let inner = indent + how.step;
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(flag) => flag.to_string(),
        Value::Number(number) => format_number(*number),
        Value::String(text) => quoted(text),
        Value::List(items) if items.is_empty() && how.empty_inline => "[]".to_owned(),
        Value::Map(entries) if entries.is_empty() && how.empty_inline => "{}".to_owned(),
        Value::List(items) => {
            let lines: String = items
                .iter()
                .map(|item| format!("{:inner$}{},\n", "", layout(item, inner, how)))
                .collect();
            format!("[\n{lines}{:indent$}]", "")
        }
        Value::Map(entries) => {
            let width = match how.align {
                true => entries
                    .keys()
                    .map(|key| quoted(key).len())
                    .max()
                    .unwrap_or(0),
                false => 0,
            };
            let lines: String = entries
                .iter()
                .map(|(key, value)| {
                    format!(
                        "{:inner$}{} = {}\n",
                        "",
                        super::padded(&quoted(key), width),
                        layout(value, inner, how)
                    )
                })
                .collect();
            format!("{{\n{lines}{:indent$}}}", "")
        }
        Value::Unknown => "(known after apply)".to_owned(),
    }
}
