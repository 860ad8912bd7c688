//! Override files, merged as Terraform documents it: `override.tf` and `*_override.tf` (and
//! their `.tf.json` and `.hcl` forms) are read after the other files of their directory, in
//! name order, and each of their blocks changes the block of the same type and name that the
//! other files declare: an argument replaces the argument of the same name, a nested block
//! replaces every nested block of its type, `lifecycle` is merged argument by argument, and
//! `locals` replace the local values of the same names. An override block with no block to
//! change is an error.

use std::collections::{BTreeMap, BTreeSet};

use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body};

use crate::config::{Argument, Config};
use crate::diag::{Diagnostic, Diagnostics};

/// Whether a file is an override file.
pub fn is_override(name: &str) -> bool {
    let stem = [".tf.json", ".tf", ".hcl"]
        .iter()
        .find_map(|extension| name.strip_suffix(extension));
    stem.is_some_and(|stem| stem == "override" || stem.ends_with("_override"))
}

/// What an override block writes: its arguments, and its nested blocks by type (a `dynamic
/// "NAME"` block counts as NAME), with what each of those writes.
#[derive(Debug, Default)]
pub struct Sets {
    pub attributes: BTreeSet<String>,
    pub blocks: BTreeMap<String, Sets>,
}

/// A block's type and labels; a provider's alias stands as its second label.
pub type BlockKey = (String, Vec<String>);

/// What each block of an override file's `body` writes, by type and labels.
pub fn sets_of(body: &Body) -> Vec<(BlockKey, Sets)> {
    body.blocks()
        .map(|block| {
            let mut labels: Vec<String> = block
                .labels
                .iter()
                .map(|label| label.as_str().to_owned())
                .collect();
            if block.ident.as_str() == "provider" {
                labels.push(alias(block).unwrap_or_default());
            }
            (
                (block.ident.as_str().to_owned(), labels),
                written(&block.body),
            )
        })
        .collect()
}

fn alias(block: &Block) -> Option<String> {
    block
        .body
        .attributes()
        .find(|attribute| attribute.key.as_str() == "alias")
        .and_then(|attribute| match &attribute.value {
            Expression::String(text) => Some(text.value().to_string()),
            _ => None,
        })
}

fn written(body: &Body) -> Sets {
    let mut sets = Sets {
        attributes: body
            .attributes()
            .map(|attribute| attribute.key.as_str().to_owned())
            .collect(),
        blocks: BTreeMap::new(),
    };
    for block in body.blocks() {
        let name = match (block.ident.as_str(), block.labels.first()) {
            ("dynamic", Some(label)) => label.as_str().to_owned(),
            (name, _) => name.to_owned(),
        };
        let inner = written(&block.body);
        let entry = sets.blocks.entry(name).or_default();
        entry.attributes.extend(inner.attributes);
        entry.blocks.extend(inner.blocks);
    }
    sets
}

/// Merges the blocks of one override file, read as `over`, into `base`.
pub fn merge(
    base: &mut Config,
    over: Config,
    written: &[(BlockKey, Sets)],
    diagnostics: &mut Diagnostics,
) {
    let none = Sets::default();
    let find = |kind: &str, labels: &[&str]| {
        written
            .iter()
            .find(|((block, key), _)| {
                block == kind && key.iter().map(String::as_str).eq(labels.iter().copied())
            })
            .map_or(&none, |(_, sets)| sets)
    };
    let missing = |what: String, span: &crate::diag::Span| {
        Diagnostic::error(format!("an override file changes {what}, which no other file declares"))
            .at(span.clone())
            .hint("an override block changes a block declared in another file of the directory; declare it there")
    };
    for resource in over.resources {
        let kind = resource.address.kind.as_str();
        let sets = find("resource", &[kind, &resource.address.name]);
        let Some(target) = base
            .resources
            .iter_mut()
            .find(|target| target.address == resource.address)
        else {
            diagnostics.push(missing(format!("`{}`", resource.address), &resource.span));
            continue;
        };
        // Nothing else holds a block while the files are read.
        let (Some(target), Ok(mut resource)) = (
            std::sync::Arc::get_mut(target),
            std::sync::Arc::try_unwrap(resource),
        ) else {
            continue;
        };
        for name in &sets.attributes {
            match name.as_str() {
                "count" => target.count = resource.count.take(),
                "for_each" => target.for_each = resource.for_each.take(),
                "depends_on" => target.depends_on = resource.depends_on.take(),
                "provider" => target.provider = resource.provider.take(),
                name => replace(&mut target.arguments, &mut resource.arguments, name),
            }
        }
        for (name, inner) in &sets.blocks {
            match name.as_str() {
                "lifecycle" => {
                    let (lifecycle, mut over) = (
                        &mut target.lifecycle,
                        std::mem::take(&mut resource.lifecycle),
                    );
                    for name in &inner.attributes {
                        match name.as_str() {
                            "prevent_destroy" => {
                                lifecycle.prevent_destroy = over.prevent_destroy.take()
                            }
                            "ignore_changes" => {
                                lifecycle.ignore_changes = over.ignore_changes.take()
                            }
                            "replace_triggered_by" => {
                                lifecycle.replace_triggered_by =
                                    std::mem::take(&mut over.replace_triggered_by);
                            }
                            "create_before_destroy" => {
                                lifecycle.create_before_destroy = over.create_before_destroy;
                            }
                            _ => {}
                        }
                    }
                }
                name => match resource.blocks.remove(name) {
                    Some(blocks) => {
                        target.blocks.insert(name.to_owned(), blocks);
                    }
                    None => {
                        target.blocks.remove(name);
                    }
                },
            }
        }
    }
    for data in over.data {
        let sets = find("data", &[data.kind.as_str(), &data.name]);
        let Some(target) = base
            .data
            .iter_mut()
            .find(|target| target.kind == data.kind && target.name == data.name)
        else {
            diagnostics.push(missing(
                format!("`data.{}.{}`", data.kind, data.name),
                &data.span,
            ));
            continue;
        };
        let mut data = data;
        for name in &sets.attributes {
            match name.as_str() {
                "provider" => target.provider = data.provider.take(),
                name => replace(&mut target.arguments, &mut data.arguments, name),
            }
        }
    }
    for variable in over.variables {
        let sets = find("variable", &[&variable.name]);
        let Some(target) = base
            .variables
            .iter_mut()
            .find(|target| target.name == variable.name)
        else {
            diagnostics.push(missing(format!("`var.{}`", variable.name), &variable.span));
            continue;
        };
        let mut variable = variable;
        for name in &sets.attributes {
            match name.as_str() {
                "type" => target.type_constraint = variable.type_constraint.take(),
                "default" => target.default = variable.default.take(),
                "description" => target.description = variable.description.take(),
                "sensitive" => target.sensitive = variable.sensitive.take(),
                "nullable" => target.nullable = variable.nullable.take(),
                _ => {}
            }
        }
        if sets.blocks.contains_key("validation") {
            target.validations = variable.validations;
        }
    }
    for output in over.outputs {
        let sets = find("output", &[&output.name]);
        let Some(target) = base
            .outputs
            .iter_mut()
            .find(|target| target.name == output.name)
        else {
            diagnostics.push(missing(format!("output `{}`", output.name), &output.span));
            continue;
        };
        if sets.attributes.contains("value") {
            target.value = output.value;
        }
        if sets.attributes.contains("sensitive") {
            target.sensitive = output.sensitive;
        }
    }
    for local in over.locals {
        match base
            .locals
            .iter_mut()
            .find(|target| target.name == local.name)
        {
            Some(target) => *target = local,
            None => diagnostics.push(missing(format!("`local.{}`", local.name), &local.name_span)),
        }
    }
    for module in over.modules {
        let sets = find("module", &[&module.name]);
        let Some(target) = base
            .modules
            .iter_mut()
            .find(|target| target.name == module.name)
        else {
            diagnostics.push(missing(format!("module `{}`", module.name), &module.span));
            continue;
        };
        let mut module = module;
        for name in &sets.attributes {
            match name.as_str() {
                "source" => {
                    target.source = module.source.clone();
                    // A new source comes without the old one's version, as in Terraform.
                    if !sets.attributes.contains("version") {
                        target.version = None;
                    }
                }
                "version" => target.version = module.version.take(),
                "count" => target.count = module.count.take(),
                "for_each" => target.for_each = module.for_each.take(),
                "providers" => target.providers = std::mem::take(&mut module.providers),
                name => replace(&mut target.inputs, &mut module.inputs, name),
            }
        }
    }
    for provider in over.providers {
        let alias = provider.alias.clone().unwrap_or_default();
        let sets = find("provider", &["aws", &alias]);
        let Some(target) = base
            .providers
            .iter_mut()
            .find(|target| target.alias == provider.alias)
        else {
            diagnostics.push(missing(
                format!("provider `{}`", provider.name()),
                &provider.span,
            ));
            continue;
        };
        let mut provider = provider;
        for name in &sets.attributes {
            match name.as_str() {
                "region" => target.region = provider.region.take(),
                "alias" => {}
                name => replace(&mut target.connection, &mut provider.connection, name),
            }
        }
        for name in sets.blocks.keys() {
            match name.as_str() {
                "default_tags" => target.default_tags = provider.default_tags.take(),
                name => {
                    target
                        .connection_blocks
                        .retain(|(block, _, _)| block != name);
                    target.connection_blocks.extend(
                        provider
                            .connection_blocks
                            .iter()
                            .filter(|(block, _, _)| block == name)
                            .map(|(block, span, arguments)| {
                                (block.clone(), span.clone(), arguments.clone())
                            }),
                    );
                }
            }
        }
    }
    base.moved.extend(over.moved);
    base.forgotten.extend(over.forgotten);
    base.imports.extend(over.imports);
    base.foreign.extend(over.foreign);
    base.foreign_names.extend(over.foreign_names);
    base.complete &= over.complete;
}

/// `name` of `from` in place of `name` of `to`.
fn replace(to: &mut BTreeMap<String, Argument>, from: &mut BTreeMap<String, Argument>, name: &str) {
    if let Some(argument) = from.remove(name) {
        to.insert(name.to_owned(), argument);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn override_files_are_named_as_terraform_names_them() {
        for name in [
            "override.tf",
            "api_override.tf",
            "override.tf.json",
            "x_override.tf.json",
            "override.hcl",
        ] {
            assert!(super::is_override(name), "{name}");
        }
        for name in [
            "overrides.tf",
            "main.tf",
            "override_api.tf",
            "my-override.tf",
        ] {
            assert!(!super::is_override(name), "{name}");
        }
    }
}
