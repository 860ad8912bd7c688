//! The configuration as Terraform's JSON plan shows it (`configuration`): every resource, module
//! call, variable and output with its expressions, each either a `constant_value` or the
//! `references` it makes. Read from the syntax alone, before anything is evaluated with values,
//! as policy tools expect: Checkov and Infracost follow `references` to link resources.

use std::collections::BTreeMap;
use std::sync::Arc;

use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator};
use hcl_edit::template::{Directive, Element, Template};
use serde_json::{Map, Value as Json, json};

use crate::addr::Address;
use crate::config::{Argument, Config, NestedBlock, ProviderName};
use crate::eval::{Context, NoResources};

/// The provider gateform manages, as Terraform's JSON names it.
pub const PROVIDER: &str = "registry.terraform.io/hashicorp/aws";

/// `configuration`: the provider configurations and the root module.
pub fn document(config: &Config) -> Json {
    let mut providers = Map::new();
    provider_config(config, "", &mut providers);
    json!({
        "provider_config": providers,
        "root_module": module(config, "", &BTreeMap::new()),
    })
}

/// The provider configurations of a module and the modules it calls, keyed as Terraform keys
/// them: `aws`, `aws.west` at the root, `module.api:aws` in a child that configures its own.
fn provider_config(config: &Config, path: &str, providers: &mut Map<String, Json>) {
    // The default configuration is there even when no block configures it.
    let configured = config
        .providers
        .iter()
        .any(|p| p.name() == ProviderName::DEFAULT);
    if path.is_empty() && !configured {
        providers.insert(
            "aws".to_owned(),
            json!({"name": "aws", "full_name": PROVIDER}),
        );
    }
    for provider in &config.providers {
        let mut entry = json!({"name": "aws", "full_name": PROVIDER});
        if let Some(alias) = &provider.alias {
            entry["alias"] = json!(alias);
        }
        if !path.is_empty() {
            entry["module_address"] = json!(path);
        }
        let mut expressions: Map<String, Json> = provider
            .region
            .iter()
            .chain(provider.connection.values())
            .map(|argument| (argument.name.clone(), expression(argument)))
            .collect();
        for (name, _, arguments) in &provider.connection_blocks {
            let block = Json::Object(arguments.values().map(named_expression).collect());
            match expressions.get_mut(name) {
                Some(Json::Array(blocks)) => blocks.push(block),
                _ => {
                    expressions.insert(name.clone(), json!([block]));
                }
            }
        }
        if let Some(tags) = &provider.default_tags {
            expressions.insert(
                "default_tags".to_owned(),
                json!([{ "tags": expression(tags) }]),
            );
        }
        if !expressions.is_empty() {
            entry["expressions"] = Json::Object(expressions);
        }
        providers.insert(provider_key(path, &provider.name()), entry);
    }
    for call in &config.modules {
        if let Some(child) = &call.config {
            provider_config(child, &child_path(path, &call.name), providers);
        }
    }
}

/// `expressions`, left out when there are none, as Terraform leaves it out.
fn with_expressions(entry: &mut Json, expressions: Json) {
    if expressions.as_object().is_some_and(|map| !map.is_empty()) {
        entry["expressions"] = expressions;
    }
}

fn provider_key(path: &str, name: &ProviderName) -> String {
    match path {
        "" => name.to_string(),
        path => format!("{path}:{name}"),
    }
}

fn child_path(path: &str, name: &str) -> String {
    match path {
        "" => format!("module.{name}"),
        path => format!("{path}.module.{name}"),
    }
}

/// The provider configuration keys a module's names for them stand for, when the module does
/// not configure them itself: what its call's `providers` passes, else the caller's `aws`.
type Passed = BTreeMap<ProviderName, String>;

/// One module: its resources, module calls, variables and outputs; empty parts left out.
fn module(config: &Config, path: &str, passed: &Passed) -> Json {
    let mut shown = Map::new();
    let mut resources: Vec<(String, Json)> = config
        .resources
        .iter()
        .map(|block| {
            let address = Address::root(block.address.kind, block.address.name.clone());
            let provider = block.provider.as_ref().map(|(name, _)| name);
            let mut entry = resource_entry(
                &address.to_string(),
                "managed",
                block.address.kind.as_str(),
                &block.address.name,
            );
            entry["provider_config_key"] = json!(provider_key_for(config, path, provider, passed));
            with_expressions(&mut entry, expressions(&block.arguments, &block.blocks));
            entry["schema_version"] = json!(0);
            repetition(&mut entry, block.count.as_ref(), block.for_each.as_ref());
            if let Some(depends_on) = &block.depends_on {
                entry["depends_on"] = json!(written_references(&depends_on.expr));
            }
            (address.to_string(), entry)
        })
        .collect();
    resources.sort_by(|a, b| a.0.cmp(&b.0));
    let mut data: Vec<(String, Json)> = config
        .data
        .iter()
        .map(|block| {
            let kind = block.kind.as_str();
            let address = format!("data.{kind}.{}", block.name);
            let provider = block.provider.as_ref().map(|(name, _)| name);
            let mut entry = resource_entry(&address, "data", kind, &block.name);
            entry["provider_config_key"] = json!(provider_key_for(config, path, provider, passed));
            with_expressions(&mut entry, expressions(&block.arguments, &BTreeMap::new()));
            entry["schema_version"] = json!(0);
            (address, entry)
        })
        .collect();
    data.sort_by(|a, b| a.0.cmp(&b.0));
    let resources: Vec<Json> = resources
        .into_iter()
        .chain(data)
        .map(|(_, entry)| entry)
        .collect();
    if !resources.is_empty() {
        shown.insert("resources".to_owned(), Json::Array(resources));
    }
    let calls: Map<String, Json> = config
        .modules
        .iter()
        .map(|call| {
            let key = |name: &ProviderName| provider_key_for(config, path, Some(name), passed);
            let to_child: Passed = match call.providers.is_empty() {
                true => BTreeMap::from([(ProviderName::DEFAULT, key(&ProviderName::DEFAULT))]),
                false => call
                    .providers
                    .iter()
                    .map(|(child, caller, _)| (child.clone(), key(caller)))
                    .collect(),
            };
            let child_path = child_path(path, &call.name);
            let mut entry = json!({
                "source": constant(&call.source).and_then(|source| source.as_str().map(str::to_owned)),
                "module": call.config.as_deref().map_or(json!({}), |child| module(child, &child_path, &to_child)),
            });
            let inputs = Json::Object(call.inputs.values().map(named_expression).collect());
            with_expressions(&mut entry, inputs);
            repetition(&mut entry, call.count.as_ref(), call.for_each.as_ref());
            if let Some(version) = call.version.as_ref().and_then(constant) {
                entry["version_constraint"] = version;
            }
            (call.name.clone(), entry)
        })
        .collect();
    if !calls.is_empty() {
        shown.insert("module_calls".to_owned(), Json::Object(calls));
    }
    let variables: Map<String, Json> = config
        .variables
        .iter()
        .map(|variable| {
            let mut entry = Map::new();
            if let Some(default) = variable.default.as_ref().and_then(constant) {
                entry.insert("default".to_owned(), default);
            }
            if let Some(description) = variable.description.as_ref().and_then(constant) {
                entry.insert("description".to_owned(), description);
            }
            if variable.sensitive.as_ref().is_some_and(Argument::is_true) {
                entry.insert("sensitive".to_owned(), json!(true));
            }
            (variable.name.clone(), Json::Object(entry))
        })
        .collect();
    if !variables.is_empty() {
        shown.insert("variables".to_owned(), Json::Object(variables));
    }
    let outputs: Map<String, Json> = config
        .outputs
        .iter()
        .map(|output| {
            let mut entry = json!({ "expression": expression(&output.value) });
            if output.sensitive.as_ref().is_some_and(Argument::is_true) {
                entry["sensitive"] = json!(true);
            }
            (output.name.clone(), entry)
        })
        .collect();
    if !outputs.is_empty() {
        shown.insert("outputs".to_owned(), Json::Object(outputs));
    }
    Json::Object(shown)
}

fn resource_entry(address: &str, mode: &str, kind: &str, name: &str) -> Json {
    json!({ "address": address, "mode": mode, "type": kind, "name": name })
}

/// The provider configuration a resource is managed with: the one its module configures, else
/// the one its call passes under that name, else the root's of that name.
fn provider_key_for(
    config: &Config,
    path: &str,
    name: Option<&ProviderName>,
    passed: &Passed,
) -> String {
    let name = name.unwrap_or(&ProviderName::DEFAULT);
    match config
        .providers
        .iter()
        .any(|provider| provider.name() == *name)
    {
        true => provider_key(path, name),
        false => passed
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.to_string()),
    }
}

/// `count_expression` or `for_each_expression`, where the block has one.
fn repetition(entry: &mut Json, count: Option<&Argument>, for_each: Option<&Argument>) {
    if let Some(count) = count {
        entry["count_expression"] = expression(count);
    }
    if let Some(for_each) = for_each {
        entry["for_each_expression"] = expression(for_each);
    }
}

/// The expressions of a block's arguments, and of its nested blocks as lists of them; `dynamic`
/// blocks are left out, as Terraform leaves them.
fn expressions(
    arguments: &BTreeMap<String, Argument>,
    blocks: &BTreeMap<String, Vec<NestedBlock>>,
) -> Json {
    let mut shown: Map<String, Json> = arguments.values().map(named_expression).collect();
    for (name, blocks) in blocks {
        let written: Vec<Json> = blocks
            .iter()
            .filter(|block| block.dynamic.is_none())
            .map(|block| expressions(&block.arguments, &block.blocks))
            .collect();
        if !written.is_empty() {
            shown.insert(name.clone(), Json::Array(written));
        }
    }
    Json::Object(shown)
}

fn named_expression(argument: &Argument) -> (String, Json) {
    (argument.name.clone(), expression(argument))
}

/// Terraform's expression object: `{"constant_value": V}` for an expression of literals alone,
/// `{"references": [...]}` for one that references anything, `{}` for one that calls functions
/// on literals.
pub fn expression(argument: &Argument) -> Json {
    let mut walk = Walk::default();
    walk.expr(&argument.expr);
    match (walk.references.is_empty(), walk.calls) {
        (false, _) => json!({ "references": walk.references }),
        (true, false) => {
            constant(argument).map_or(json!({}), |value| json!({ "constant_value": value }))
        }
        (true, true) => json!({}),
    }
}

/// The value of an expression that needs nothing to evaluate.
fn constant(argument: &Argument) -> Option<Json> {
    let context = Context::new(Arc::from(std::path::Path::new(".")));
    crate::eval::evaluate(
        &argument.expr,
        argument.value_span.file,
        &context,
        &NoResources,
    )
    .ok()?
    .to_json()
}

/// The references of `depends_on = [a.b, module.c]`, as written.
fn written_references(expr: &Expression) -> Vec<String> {
    let Expression::Array(items) = expr else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| match item {
            Expression::Traversal(traversal) => Some(
                traversal_text(&traversal.expr, &traversal.operators)?
                    .0
                    .join(""),
            ),
            Expression::Variable(variable) => Some(variable.as_str().to_owned()),
            _ => None,
        })
        .collect()
}

/// The references of an expression in source order, and whether it calls a function. Names a
/// `for` binds are not references.
#[derive(Default)]
struct Walk {
    references: Vec<String>,
    calls: bool,
    bound: Vec<String>,
}

impl Walk {
    fn expr(&mut self, expr: &Expression) {
        match expr {
            Expression::Traversal(traversal) => {
                match traversal_text(&traversal.expr, &traversal.operators) {
                    Some((parts, root)) if !self.bound.contains(&root) => {
                        self.reference(&root, &parts)
                    }
                    Some(_) => {}
                    None => self.expr(&traversal.expr),
                }
                for operator in &traversal.operators {
                    if let TraversalOperator::Index(index) = operator.value() {
                        self.expr(index);
                    }
                }
            }
            Expression::Variable(variable) => {
                let name = variable.as_str().to_owned();
                if !self.bound.contains(&name) {
                    self.references.push(name);
                }
            }
            Expression::Array(items) => items.iter().for_each(|item| self.expr(item)),
            Expression::Object(object) => {
                for (key, value) in object.iter() {
                    if let ObjectKey::Expression(key) = key
                        && !matches!(key, Expression::Variable(_))
                    {
                        self.expr(key);
                    }
                    self.expr(value.expr());
                }
            }
            Expression::StringTemplate(template) => self.template(template),
            Expression::HeredocTemplate(heredoc) => self.template(&heredoc.template),
            Expression::Parenthesis(inner) => self.expr(inner.inner()),
            Expression::UnaryOp(operation) => self.expr(&operation.expr),
            Expression::BinaryOp(operation) => {
                self.expr(&operation.lhs_expr);
                self.expr(&operation.rhs_expr);
            }
            Expression::Conditional(conditional) => {
                self.expr(&conditional.cond_expr);
                self.expr(&conditional.true_expr);
                self.expr(&conditional.false_expr);
            }
            Expression::FuncCall(call) => {
                self.calls = true;
                call.args.iter().for_each(|arg| self.expr(arg));
            }
            Expression::ForExpr(for_expr) => {
                self.expr(&for_expr.intro.collection_expr);
                let names = std::iter::once(&for_expr.intro.value_var)
                    .chain(&for_expr.intro.key_var)
                    .map(|name| name.as_str().to_owned());
                let outside = self.bound.len();
                self.bound.extend(names);
                if let Some(key) = &for_expr.key_expr {
                    self.expr(key);
                }
                self.expr(&for_expr.value_expr);
                if let Some(cond) = &for_expr.cond {
                    self.expr(&cond.expr);
                }
                self.bound.truncate(outside);
            }
            Expression::Null(_)
            | Expression::Bool(_)
            | Expression::Number(_)
            | Expression::String(_) => {}
        }
    }

    fn template(&mut self, template: &Template) {
        for element in template.iter() {
            match element {
                Element::Interpolation(interpolation) => self.expr(&interpolation.expr),
                Element::Directive(directive) => match directive.as_ref() {
                    Directive::If(d) => {
                        self.expr(&d.if_expr.cond_expr);
                        self.template(&d.if_expr.template);
                        if let Some(else_expr) = &d.else_expr {
                            self.template(&else_expr.template);
                        }
                    }
                    Directive::For(d) => {
                        self.expr(&d.for_expr.collection_expr);
                        let names = std::iter::once(&d.for_expr.value_var)
                            .chain(&d.for_expr.key_var)
                            .map(|name| name.as_str().to_owned());
                        let outside = self.bound.len();
                        self.bound.extend(names);
                        self.template(&d.for_expr.template);
                        self.bound.truncate(outside);
                    }
                },
                Element::Literal(_) => {}
            }
        }
    }

    /// One reference, as Terraform lists it: the whole static traversal and each of its
    /// prefixes down to the object it names (a resource instance, a module's output, a
    /// variable), then what contains that object (the resource without its key, the module
    /// call's instance).
    fn reference(&mut self, root: &str, parts: &[String]) {
        if root == "self" {
            return;
        }
        let keyed = |at: usize| parts.get(at).is_some_and(|part| part.starts_with('['));
        let (subject, container) = match root {
            "var" | "local" | "path" | "each" | "count" | "terraform" => (2, None),
            // module.NAME[KEY].OUTPUT, in module.NAME[KEY].
            "module" => {
                let instance = 2 + usize::from(keyed(2));
                (instance + 1, Some(instance))
            }
            // data.TYPE.NAME[KEY] and TYPE.NAME[KEY], in the resource without its key.
            _ => {
                let resource = if root == "data" { 3 } else { 2 };
                let instance = resource + usize::from(keyed(resource));
                (instance, (instance > resource).then_some(resource))
            }
        };
        let subject = subject.min(parts.len());
        let mut lengths: Vec<usize> = (subject..=parts.len()).rev().collect();
        lengths.extend(container.filter(|length| *length < subject));
        for length in lengths {
            self.references.push(parts[..length].concat());
        }
    }
}

/// A traversal's static part as text pieces (`aws_x`, `.y`, `[0]`, `.id`) and its root's name;
/// it stops at the first splat or computed index. `None` when the root is not a name.
fn traversal_text(
    root: &Expression,
    operators: &[hcl_edit::Decorated<TraversalOperator>],
) -> Option<(Vec<String>, String)> {
    let Expression::Variable(root) = root else {
        return None;
    };
    let mut parts = vec![root.as_str().to_owned()];
    for operator in operators {
        let part = match operator.value() {
            TraversalOperator::GetAttr(name) => format!(".{}", name.as_str()),
            TraversalOperator::Index(Expression::Number(number)) => format!("[{}]", number.value()),
            TraversalOperator::Index(Expression::String(key)) => {
                format!("[{}]", serde_json::to_string(key.value().as_str()).ok()?)
            }
            TraversalOperator::LegacyIndex(index) => format!("[{}]", index.value()),
            _ => break,
        };
        parts.push(part);
    }
    Some((parts, root.as_str().to_owned()))
}
