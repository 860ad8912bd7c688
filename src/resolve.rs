//! Resolving: loaded blocks to the desired resources, with every value checked.
//!
//! Each argument is evaluated with every resource's attributes unknown, which is enough to check
//! references, types and every value that does not depend on another resource. The expressions are
//! kept: the planner evaluates them again once it knows the planned values of the dependencies, and
//! apply once more with the values AWS returned.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::addr::{Address, Addresses, InstanceKey, ModuleStep, Target};
use crate::config::{
    Argument, Config, Dynamic, NestedBlock, ProviderBlock, ProviderName, ResourceBlock,
};
use crate::connection::{self, Connection, Shape};
use crate::diag::{Diagnostic, Diagnostics, FileId, Span};
use crate::eval::{self, Children, Context, Known, Provider, Repetition, Scope};
use crate::refs;
use crate::schema::{
    Attribute, BlockSchema, DataKind, ImportId, Kind, Nesting, Presence, Problem, Protocol, Schema,
    Type,
};
use crate::types::Constraint;
use crate::value::{Object, Value, block_elements};
use crate::variables::{self, Assignment};

/// What the configuration asks for.
#[derive(Debug)]
pub struct Desired {
    pub resources: BTreeMap<Address, DesiredResource>,
    /// The resources with `count` or `for_each`, by their address without a key: a reference to
    /// one is a list or a map of its instances, empty when it has none.
    pub repeated: BTreeMap<Address, Repetition>,
    /// The root module's variables and local values.
    pub context: Arc<Context>,
    /// How the run reaches AWS, from the provider blocks.
    pub connection: Connection,
    /// `moved` blocks, as (from, to).
    pub moved: Vec<(Target, Target)>,
    /// The root module's outputs declared `sensitive = true`.
    pub sensitive_outputs: BTreeSet<String>,
    /// Objects to stop managing without destroying them (`removed` blocks).
    pub forgotten: BTreeSet<Address>,
    /// `import` blocks: the address each object comes to, and its import id.
    pub imports: BTreeMap<Address, ImportId>,
    /// `import` blocks whose `to` has no resource block, kept for `plan -generate-config-out`
    /// to write one: empty unless [`ImportTargets::Generated`].
    pub unconfigured: BTreeMap<Address, Unconfigured>,
    /// Data sources to read before planning, in every module instance.
    pub data: Vec<DataSource>,
}

/// What to do with an `import` block whose `to` has no resource block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportTargets {
    /// It is an error: the usual case.
    Configured,
    /// Its block is to be generated (`plan -generate-config-out`): kept in
    /// [`Desired::unconfigured`], when the address is one a block can be written for.
    Generated,
}

/// An object an `import` block brings in, whose resource block is to be written.
#[derive(Debug)]
pub struct Unconfigured {
    pub id: ImportId,
    /// The import block's `provider`, else the default one: the block is written for it.
    pub provider: Arc<Provider>,
}

impl Unconfigured {
    /// Where the object is: the region its id names, else its provider's.
    pub fn region(&self) -> Option<&str> {
        self.id.region().or(self.provider.region.as_str())
    }
}

#[derive(Debug)]
pub struct DesiredResource {
    /// The block, shared by every instance of a resource with `count` or `for_each`.
    pub config: Arc<ResourceBlock>,
    /// What its expressions see: its module instance's variables, locals and modules.
    pub context: Arc<Context>,
    /// What this instance's expressions see as `count` or `each`.
    pub names: BTreeMap<String, Value>,
    /// Resources this one references or names in `depends_on`.
    pub dependencies: Addresses,
    /// The provider configuration it is managed with.
    pub provider: Arc<Provider>,
    /// Where it lives: its `region`, else its provider's; unknown when nothing names one.
    pub region: Value,
}

impl Desired {
    /// What expressions see once `resources` have values: those, the data sources read, and the
    /// resources whose `count` or `for_each` made no instance.
    pub fn known<'a>(
        &'a self,
        resources: &'a BTreeMap<Address, Object>,
        data: &'a BTreeMap<String, Value>,
    ) -> Known<'a> {
        Known {
            resources,
            data,
            repeated: &self.repeated,
            applying: false,
        }
    }

    /// The default provider configuration's region, if anything names one.
    pub fn default_region(&self) -> Option<&str> {
        self.context
            .providers
            .get(&ProviderName::DEFAULT)?
            .region
            .as_str()
    }
}

/// The `provider "aws"` blocks of the root module, evaluated; the default configuration is there
/// even when no block declares it.
fn providers(
    config: &Config,
    context: &Context,
    environment_region: Option<&str>,
    diagnostics: &mut Diagnostics,
) -> BTreeMap<ProviderName, Arc<Provider>> {
    let environment =
        environment_region.map_or(Value::Unknown, |region| Value::String(region.to_owned()));
    let evaluate = |argument: &Argument, diagnostics: &mut Diagnostics| {
        eval::evaluate(
            &argument.expr,
            argument.value_span.file,
            context,
            &Unknowable,
        )
        .map_err(|problem| diagnostics.push(problem))
        .ok()
    };
    let mut providers = BTreeMap::from([(
        ProviderName::DEFAULT,
        Provider {
            name: ProviderName::DEFAULT,
            region: environment.clone(),
            default_tags: BTreeMap::new(),
            sensitive_default_tags: false,
            connection: Connection::default(),
        },
    )]);
    for block in &config.providers {
        let connection = connection(block, context, diagnostics);
        let validate = |value: &Value| match connection.skip_region_validation {
            true => None,
            false => crate::schema::REGION.check_rule(value),
        };
        let region = match &block.region {
            None => environment.clone(),
            Some(argument) => match evaluate(argument, diagnostics) {
                None => Value::Unknown,
                Some(Value::Null) => environment.clone(),
                Some(value @ Value::String(_)) => match validate(&value) {
                    Some(problem) => {
                        diagnostics.push(problem.at(argument.value_span.clone()));
                        Value::Unknown
                    }
                    None => value,
                },
                Some(_) => {
                    diagnostics.push(
                        Diagnostic::error("`region` must be a string known when planning")
                            .at(argument.value_span.clone())
                            .hint("write `region = \"us-east-1\"`, or base it on variables"),
                    );
                    Value::Unknown
                }
            },
        };
        let default_tags = match &block.default_tags {
            None => BTreeMap::new(),
            Some(argument) => match evaluate(argument, diagnostics) {
                None => BTreeMap::new(),
                Some(Value::Map(tags)) => tags,
                Some(other) => {
                    diagnostics.push(
                        Diagnostic::error(format!(
                            "`default_tags` must be a map of strings, not {}",
                            other.type_name()
                        ))
                        .at(argument.value_span.clone()),
                    );
                    BTreeMap::new()
                }
            },
        };
        let name = block.name();
        providers.insert(
            name.clone(),
            Provider {
                name,
                region,
                default_tags,
                sensitive_default_tags: block.default_tags.as_ref().is_some_and(|argument| {
                    eval::is_sensitive(&argument.expr, argument.value_span.file, context)
                }),
                connection,
            },
        );
    }
    providers
        .into_iter()
        .map(|(name, provider)| (name, Arc::new(provider)))
        .collect()
}

/// The connection of the run. Every provider configuration declared, and the default one when
/// a resource uses it, must connect the same way: gateform keeps one set of credentials per run
/// (an alias still has its own `region` and `default_tags`).
fn one_connection<'r>(
    config: &Config,
    providers: &BTreeMap<ProviderName, Arc<Provider>>,
    resources: impl Iterator<Item = &'r DesiredResource>,
    diagnostics: &mut Diagnostics,
) -> Connection {
    let mut used: Vec<&Provider> = config
        .providers
        .iter()
        .filter_map(|block| providers.get(&block.name()).map(|provider| &**provider))
        .collect();
    for resource in resources {
        if !used
            .iter()
            .any(|provider| provider.name == resource.provider.name)
        {
            used.push(&resource.provider);
        }
    }
    let Some(first) = used.first() else {
        return Connection::default();
    };
    for other in &used[1..] {
        let differences = other.connection.differences(&first.connection);
        if differences.is_empty() {
            continue;
        }
        let span = config
            .providers
            .iter()
            .find(|block| block.name() == other.name)
            .map(|block| block.span.clone());
        let names = differences
            .iter()
            .map(|name| format!("`{name}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut problem = Diagnostic::error(format!(
            "provider `{}` connects differently from `{}` ({names})",
            other.name, first.name
        ))
        .hint("gateform uses one set of credentials per run: set them the same in every `provider \"aws\"` block; each may still have its own `region` and `default_tags`");
        if let Some(span) = span {
            problem = problem.at(span);
        }
        diagnostics.push(problem);
    }
    first.connection.clone()
}

/// How a provider block connects: its credential, account, endpoint, retry and tag arguments,
/// evaluated, each of its shape. A problem is reported at its argument, and the connection is
/// the default one.
fn connection(
    block: &ProviderBlock,
    context: &Context,
    diagnostics: &mut Diagnostics,
) -> Connection {
    let mut values = connection::Values::default();
    // Where each argument and block is written, by its path (`assume_role.duration`).
    let mut spans: BTreeMap<String, Span> = BTreeMap::new();
    let mut evaluate = |prefix: &str,
                        arguments: &BTreeMap<String, Argument>,
                        shapes: &[(&str, Shape)],
                        diagnostics: &mut Diagnostics| {
        let mut evaluated = BTreeMap::new();
        for (name, argument) in arguments {
            let path = format!("{prefix}{name}");
            let shape = shapes
                .iter()
                .find(|(known, _)| known == name)
                .map_or(Shape::String, |(_, shape)| *shape);
            let file = argument.value_span.file;
            match eval::evaluate(&argument.expr, file, context, &Unknowable) {
                Ok(value) if shape.fits(&value) => {
                    evaluated.insert(name.clone(), value);
                }
                Ok(value) => diagnostics.push(
                    Diagnostic::error(format!(
                        "`{path}` must be {}, not {}",
                        shape.describe(),
                        value.type_name()
                    ))
                    .at(argument.value_span.clone()),
                ),
                Err(problem) => diagnostics.push(problem),
            }
            spans.insert(path, argument.value_span.clone());
        }
        evaluated
    };
    values.arguments = evaluate("", &block.connection, connection::ARGUMENTS, diagnostics);
    let mut block_spans = Vec::new();
    for (name, span, arguments) in &block.connection_blocks {
        block_spans.push((name.clone(), span.clone()));
        let shapes = connection::BLOCKS
            .iter()
            .find(|(known, _)| known == name)
            .map_or(&[][..], |(_, shapes)| shapes);
        let evaluated = evaluate(&format!("{name}."), arguments, shapes, diagnostics);
        values.blocks.push((name.clone(), evaluated));
    }
    spans.extend(block_spans);
    Connection::read(&values, &context.root).unwrap_or_else(|problems| {
        for (path, message) in problems {
            let span = spans.get(&path).unwrap_or(&block.span);
            diagnostics.push(Diagnostic::error(message).at(span.clone()));
        }
        Connection::default()
    })
}

pub fn resolve(
    config: Config,
    assignments: &[Assignment],
    environment_region: Option<&str>,
    import_targets: ImportTargets,
) -> Result<Desired, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let (variables, problems) =
        variables::values(&config.variables, assignments, &config.directory);
    diagnostics.extend(problems);
    let providers = {
        let context = Context {
            variables: variables.clone(),
            ..module_context(&config, Vec::new())
        };
        Arc::new(providers(
            &config,
            &context,
            environment_region,
            &mut diagnostics,
        ))
    };
    let root = Arc::new(Context {
        variables,
        providers: providers.clone(),
        ..module_context(&config, Vec::new())
    });
    let mut modules = Vec::new();
    instantiate(&config, root.clone(), &mut modules, &mut diagnostics);
    let declared: BTreeSet<Address> = modules
        .iter()
        .flat_map(|(context, config)| {
            config
                .resources
                .iter()
                .map(|block| context.address(block.address.clone()))
        })
        .collect();
    // The resources with `count` or `for_each`: not one object but a list or map of them.
    let repeated: BTreeMap<Address, Repetition> = modules
        .iter()
        .flat_map(|(context, config)| {
            config.resources.iter().filter_map(|r| {
                let repetition = match (&r.count, &r.for_each) {
                    (Some(_), _) => Repetition::Count,
                    (None, Some(_)) => Repetition::ForEach,
                    (None, None) => return None,
                };
                Some((context.address(r.address.clone()), repetition))
            })
        })
        .collect();
    let mut scope = AllUnknown {
        repeated: repeated
            .keys()
            .map(|address| (address.clone(), Value::Unknown))
            .collect(),
        declared: &declared,
    };
    let data = modules
        .iter()
        .flat_map(|(context, config)| {
            config
                .data
                .iter()
                .map(|block| data_source(block, context, &scope, &mut diagnostics))
                .collect::<Vec<_>>()
        })
        .collect();
    // Module inputs meet the module's validations (the root's were checked with their values).
    for (context, config) in modules
        .iter()
        .filter(|(context, _)| !context.module.is_empty())
    {
        let place = |variable: &crate::config::VariableBlock| {
            let input = context.inputs.get(&variable.name)?;
            Some(input.argument.value_span.clone())
        };
        variables::validate(
            config.variables.iter(),
            context,
            &scope,
            place,
            &mut diagnostics,
        );
    }
    let mut imports = BTreeMap::new();
    for import in &config.imports {
        let id = eval::evaluate(&import.id.expr, import.id.value_span.file, &root, &scope);
        let parsed = match id {
            Ok(Value::String(id)) => ImportId::parse(import.to.kind, &id).map_err(|error| {
                Diagnostic::error(error.to_string()).at(import.id.value_span.clone())
            }),
            Ok(_) => Err(
                Diagnostic::error("an import `id` must be a string known when planning")
                    .at(import.id.value_span.clone()),
            ),
            Err(problem) => Err(problem),
        };
        match parsed {
            Ok(id) => {
                imports.insert(import.to.clone(), id);
            }
            Err(problem) => diagnostics.push(problem),
        }
    }
    let mut instances = resource_instances(&modules, &mut scope, &mut diagnostics);
    let mut values = BTreeMap::new();
    let mut resources: BTreeMap<Address, DesiredResource> = BTreeMap::new();
    let mut instances_of: BTreeMap<Address, Vec<Address>> = BTreeMap::new();
    for (context, config) in &modules {
        for block in &config.resources {
            let base = context.address(block.address.clone());
            let dependencies = dependencies(block, &base, &declared, context, &mut diagnostics);
            let provider = provider_of(
                block.provider.as_ref(),
                context,
                &block.span,
                &mut diagnostics,
            )
            .unwrap_or_else(|| providers[&ProviderName::DEFAULT].clone());
            for (key, names) in instances.remove(&base).unwrap_or_default() {
                let address = Address {
                    key,
                    ..base.clone()
                };
                let mut resource = DesiredResource {
                    config: block.clone(),
                    context: context.clone(),
                    dependencies: dependencies.of(&names, context, &scope),
                    names,
                    provider: provider.clone(),
                    region: Value::Unknown,
                };
                let (object, problems) = resource.evaluate_partially(&scope);
                diagnostics.extend(within_instance(problems, &address));
                resource.region = object.get("region").cloned().unwrap_or(Value::Unknown);
                if let Some(argument) = block.arguments.get("region")
                    && resource.region.has_unknown()
                {
                    diagnostics.push(
                        Diagnostic::error(format!(
                            "the `region` of `{address}` must be known when planning"
                        ))
                        .at(argument.value_span.clone())
                        .hint("base it on variables, locals and literals, not on other resources"),
                    );
                }
                values.insert(address.clone(), object);
                instances_of
                    .entry(base.clone())
                    .or_default()
                    .push(address.clone());
                resources.insert(address, resource);
            }
        }
    }
    let mut unconfigured = BTreeMap::new();
    for import in &config.imports {
        let provider = provider_of(
            import.provider.as_ref(),
            &root,
            &import.span,
            &mut diagnostics,
        );
        if let Some(resource) = resources.get(&import.to) {
            if let (Some((name, span)), Some(provider)) = (&import.provider, &provider)
                && !Arc::ptr_eq(provider, &resource.provider)
            {
                diagnostics.push(
                    Diagnostic::error(format!(
                        "the import block's provider `{name}` is not the provider of `{}`, `{}`",
                        import.to, resource.provider.name
                    ))
                    .at(span.clone())
                    .hint("an object is read with its resource's provider: name that one, or leave `provider` out"),
                );
            }
            continue;
        }
        let generated = import_targets == ImportTargets::Generated;
        let base = Address {
            key: None,
            ..import.to.clone()
        };
        if import.to.key.is_none() && repeated.contains_key(&base) {
            diagnostics.push(
                Diagnostic::error(format!(
                    "`{}` has `count` or `for_each`: an import block brings an object to one of its instances",
                    import.to
                ))
                .at(import.span.clone())
                .hint(format!(
                    "write the instance's key in `to`, such as `{0}[0]` or `{0}[\"key\"]`",
                    import.to
                )),
            );
        } else if generated && import.to.module.is_empty() && import.to.key.is_none() {
            if let (Some(id), Some(provider)) = (imports.remove(&import.to), provider) {
                unconfigured.insert(import.to.clone(), Unconfigured { id, provider });
            }
        } else if generated {
            diagnostics.push(
                Diagnostic::error(format!(
                    "cannot generate configuration for `{}`: only a resource of the root module without `count` or `for_each` can be generated",
                    import.to
                ))
                .at(import.span.clone())
                .hint(format!(
                    "import to `{}.{}` and move it into place with a `moved` block, or write its resource block yourself",
                    import.to.kind, import.to.name
                )),
            );
        } else {
            diagnostics.push(
                Diagnostic::error(format!(
                    "the import target `{}` is not in the configuration",
                    import.to
                ))
                .at(import.span.clone())
                .hint(format!(
                    "declare it with `resource \"{}\" \"{}\" {{ ... }}`, fix the `to` address, or let `gateform plan --generate-config-out=FILE` write the block",
                    import.to.kind, import.to.name
                )),
            );
        }
    }
    // A reference to a resource depends on every one of its instances; one to an instance, on
    // that instance, when it has it.
    let dependencies: Vec<Addresses> = resources
        .values()
        .map(|resource| {
            let instances = |dependency: &Address| match resources.contains_key(dependency) {
                true => vec![dependency.clone()],
                false => instances_of
                    .get(&dependency.resource())
                    .cloned()
                    .unwrap_or_default(),
            };
            resource.dependencies.iter().flat_map(instances).collect()
        })
        .collect();
    for (resource, dependencies) in resources.values_mut().zip(dependencies) {
        resource.dependencies = dependencies;
    }
    for (address, resource) in &resources {
        check_same_api(resource, &resources, &mut diagnostics);
        check_same_region(address, resource, &resources, &mut diagnostics);
    }
    let mut route_keys: BTreeMap<(Owner, String), &Address> = BTreeMap::new();
    for (address, object) in &values {
        let resource = &resources[address];
        let api = api_of(resource);
        let protocol = api.as_ref().and_then(|api| protocol_of(api, &values));
        let mut problems = Diagnostics::default();
        check_values(resource, object, protocol, &mut problems);
        diagnostics.extend(within_instance(problems, address));
        if let (Some(api), Some(Value::String(route_key)), Kind::Route) =
            (api, object.get("route_key"), address.kind)
            && let Some(first) = route_keys.insert((api, route_key.clone()), address)
        {
            diagnostics.push(
                Diagnostic::error(format!("duplicate route key `{route_key}`"))
                    .at(resource.config.arguments["route_key"].value_span.clone())
                    .hint(format!(
                        "`{first}` already has this route key on the same api; route keys are unique per api"
                    )),
            );
        }
    }
    let connection = one_connection(&config, &providers, resources.values(), &mut diagnostics);
    diagnostics.into_result(Desired {
        connection,
        resources,
        repeated,
        context: root,
        moved: modules
            .iter()
            .flat_map(|(context, config)| {
                config.moved.iter().map(|moved| {
                    let path = &context.module;
                    (
                        moved.from.clone().within(path),
                        moved.to.clone().within(path),
                    )
                })
            })
            .collect(),
        forgotten: config.forgotten.iter().cloned().collect(),
        imports,
        unconfigured,
        data,
        sensitive_outputs: config
            .outputs
            .iter()
            .filter(|output| output.sensitive.as_ref().is_some_and(Argument::is_true))
            .map(|output| output.name.clone())
            .collect(),
    })
}

/// `problems` found in one instance of a repeated resource or module, saying which: its
/// instances share their source lines.
fn within_instance(problems: Diagnostics, address: &Address) -> Diagnostics {
    let repeated = address.key.is_some() || address.module.iter().any(|step| step.key.is_some());
    match repeated {
        true => problems.within(address),
        false => problems,
    }
}

impl DesiredResource {
    /// Its arguments (and blocks) made from sensitive values, and `tags_all` when its `tags` or
    /// its provider's `default_tags` are. Asked when planning, once the remote states it reads
    /// have said which of their outputs are sensitive.
    pub fn sensitive(&self) -> BTreeSet<String> {
        sensitive_arguments(&self.config, &self.context, &self.provider)
    }
}

fn sensitive_arguments(
    block: &ResourceBlock,
    context: &Context,
    provider: &Provider,
) -> BTreeSet<String> {
    let sensitive =
        |argument: &Argument| eval::is_sensitive(&argument.expr, argument.value_span.file, context);
    let arguments = block
        .arguments
        .values()
        .filter(|argument| sensitive(argument))
        .map(|argument| argument.name.clone());
    let blocks = block
        .blocks
        .iter()
        .filter(|(_, nested)| {
            nested
                .iter()
                .flat_map(NestedBlock::all_arguments)
                .any(sensitive)
        })
        .map(|(name, _)| name.clone());
    let mut sensitive: BTreeSet<String> = arguments.chain(blocks).collect();
    let tagged = block.address.kind.schema().attribute("tags_all").is_some();
    if tagged && (sensitive.contains("tags") || provider.sensitive_default_tags) {
        sensitive.insert(crate::schema::TAGS_ALL.name.to_owned());
    }
    sensitive
}

/// A module instance's context, before its variables are given values: its directory and module
/// path, its local values and outputs.
fn module_context(config: &Config, module: Vec<ModuleStep>) -> Context {
    let unread_modules = config
        .modules
        .iter()
        .filter(|module| module.config.is_none())
        .map(|module| format!("module.{}", module.name));
    Context {
        module,
        foreign: config
            .foreign
            .iter()
            .cloned()
            .chain(unread_modules)
            .collect(),
        data_declared: config
            .data
            .iter()
            .map(|data| format!("{}.{}", data.kind, data.name))
            .collect(),
        sensitive_variables: config
            .variables
            .iter()
            .filter(|variable| variable.sensitive.as_ref().is_some_and(Argument::is_true))
            .map(|variable| variable.name.clone())
            .collect(),
        locals: config
            .locals
            .iter()
            .map(|local| (local.name.clone(), local.clone()))
            .collect(),
        outputs: config
            .outputs
            .iter()
            .map(|output| (output.name.clone(), output.value.clone()))
            .collect(),
        ..Context::new(config.directory.clone())
    }
}

/// Every module instance under `context`, with its configuration, `context`'s own first; each
/// context learns the instances of the modules it calls.
fn instantiate<'c>(
    config: &'c Config,
    context: Arc<Context>,
    out: &mut Vec<(Arc<Context>, &'c Config)>,
    diagnostics: &mut Diagnostics,
) {
    out.push((context.clone(), config));
    let mut children = BTreeMap::new();
    for module in &config.modules {
        let Some(child_config) = module.config.as_deref() else {
            continue;
        };
        let repetition = match (&module.count, &module.for_each) {
            (Some(_), _) => Repetition::Count,
            (None, Some(_)) => Repetition::ForEach,
            (None, None) => Repetition::Single,
        };
        let repeat = (module.count.as_ref(), module.for_each.as_ref());
        let mut instances = Vec::new();
        for (key, names) in repetitions(repeat, &context, &Unknowable, diagnostics) {
            let mut path = context.module.clone();
            path.push(ModuleStep {
                name: module.name.clone(),
                key: key.clone(),
            });
            let mut child = module_context(child_config, path);
            child.root = context.root.clone();
            child.providers = Arc::new(module_providers(module, &context, diagnostics));
            for (name, argument) in &module.inputs {
                let Some(variable) = child_config.variables.iter().find(|v| &v.name == name) else {
                    let declared = child_config.variables.iter().map(|v| v.name.as_str());
                    let mut problem = Diagnostic::error(format!(
                        "module `{}` has no variable `{name}`",
                        module.name
                    ))
                    .at(argument.name_span.clone());
                    if let Some(close) = crate::schema::closest(name, declared) {
                        problem = problem.hint(format!("did you mean `{close}`?"));
                    }
                    diagnostics.push(problem);
                    continue;
                };
                let constraint = variable
                    .type_constraint
                    .as_ref()
                    .and_then(|argument| variables::constraint(&argument.expr).ok())
                    .unwrap_or(crate::types::Constraint::Any);
                child.inputs.insert(
                    name.clone(),
                    eval::Input {
                        argument: argument.clone(),
                        caller: context.clone(),
                        names: names.clone(),
                        constraint,
                    },
                );
            }
            // Variables the call leaves out take their defaults, or are missing.
            let left_out: Vec<&crate::config::VariableBlock> = child_config
                .variables
                .iter()
                .filter(|variable| !module.inputs.contains_key(&variable.name))
                .collect();
            match variables::defaults(&left_out, &child_config.directory) {
                Ok(defaults) => child.variables = defaults,
                Err(missing) => {
                    for name in missing {
                        diagnostics.push(
                            Diagnostic::error(format!(
                                "module `{}` needs a value for its variable `{name}`",
                                module.name
                            ))
                            .at(module.span.clone())
                            .hint(format!("add `{name} = ...` to the module block")),
                        );
                    }
                }
            }
            let child = Arc::new(child);
            instantiate(child_config, child.clone(), out, diagnostics);
            instances.push((key, child));
        }
        children.insert(
            module.name.clone(),
            Children {
                repetition,
                instances,
            },
        );
    }
    let _ = context.children.set(children);
}

/// The provider configurations a module instance's resources use, by the module's names for them:
/// the ones its `providers` map passes, or else the caller's default configuration.
fn module_providers(
    module: &crate::config::ModuleBlock,
    caller: &Context,
    diagnostics: &mut Diagnostics,
) -> BTreeMap<ProviderName, Arc<Provider>> {
    if module.providers.is_empty() {
        return caller
            .providers
            .get(&ProviderName::DEFAULT)
            .map(|default| (ProviderName::DEFAULT, default.clone()))
            .into_iter()
            .collect();
    }
    let mut passed = BTreeMap::new();
    for (inner, outer, span) in &module.providers {
        match caller.providers.get(outer) {
            Some(provider) => {
                passed.insert(inner.clone(), provider.clone());
            }
            None => diagnostics.push(missing_provider(outer, caller, span.clone())),
        }
    }
    passed
}

/// A data source of one module instance, with its arguments' values.
#[derive(Debug)]
pub struct DataSource {
    /// The module instance that declares it, which sees its value once it is read.
    pub context: Arc<Context>,
    pub kind: DataKind,
    pub name: String,
    /// Its arguments, converted to their types, with their defaults.
    pub arguments: Object,
    /// Where it is read: its `region` argument, else its provider configuration's.
    pub region: Value,
}

impl DataSource {
    /// `module.api.data.TYPE.NAME`, as messages name it and its value is kept by.
    pub fn address(&self) -> String {
        eval::data_address(&self.context.module, self.kind.as_str(), &self.name)
    }
}

/// A `data` block's arguments evaluated in its module instance; each must be known when planning.
fn data_source(
    block: &crate::config::DataBlock,
    context: &Arc<Context>,
    scope: &dyn Scope,
    diagnostics: &mut Diagnostics,
) -> DataSource {
    let schema = block.kind.schema();
    let names = BTreeMap::new();
    let evaluate = |attributes: &[Attribute], diagnostics: &mut Diagnostics| {
        evaluate_arguments(
            attributes,
            &block.arguments,
            &names,
            context,
            scope,
            diagnostics,
        )
    };
    let arguments = evaluate(schema.arguments, diagnostics);
    let own_region = match schema.regional {
        true => evaluate(std::slice::from_ref(&crate::schema::REGION), diagnostics)
            .remove("region")
            .unwrap_or(Value::Null),
        false => Value::Null,
    };
    let source = DataSource {
        context: context.clone(),
        kind: block.kind,
        name: block.name.clone(),
        arguments,
        region: match own_region {
            Value::Null => provider_of(block.provider.as_ref(), context, &block.span, diagnostics)
                .map_or(Value::Unknown, |provider| provider.region.clone()),
            region => region,
        },
    };
    // An argument that evaluates, but not to a value known now; one that fails is reported.
    for (name, argument) in &block.arguments {
        let unknown = eval::evaluate(&argument.expr, argument.value_span.file, context, scope)
            .is_ok_and(|value| value.has_unknown());
        if unknown {
            diagnostics.push(
                Diagnostic::error(format!(
                    "`{name}` of `{}` must be known when planning",
                    source.address()
                ))
                .at(argument.value_span.clone())
                .hint("base it on variables, locals and literals"),
            );
        }
    }
    source
}

/// The provider configuration a resource or data source names (`provider = aws.west`), or its
/// module's default one.
fn provider_of(
    named: Option<&(ProviderName, Span)>,
    context: &Context,
    block: &Span,
    diagnostics: &mut Diagnostics,
) -> Option<Arc<Provider>> {
    let (name, span) = named
        .map(|(name, span)| (name, span))
        .unwrap_or((&ProviderName::DEFAULT, block));
    let found = context.providers.get(name).cloned();
    if found.is_none() {
        diagnostics.push(missing_provider(name, context, span.clone()));
    }
    found
}

fn missing_provider(name: &ProviderName, context: &Context, span: Span) -> Diagnostic {
    let hint = match (context.module.is_empty(), &name.0) {
        (true, Some(alias)) => {
            format!("declare it: `provider \"aws\" {{ alias = \"{alias}\"  region = \"...\" }}`")
        }
        _ => format!(
            "pass it from the calling module: `providers = {{ {name} = aws.ALIAS }}` in the module block"
        ),
    };
    let within = match context.module.is_empty() {
        true => String::new(),
        false => format!(" in `{}`", crate::addr::module_path(&context.module)),
    };
    Diagnostic::error(format!(
        "there is no provider configuration `{name}`{within}"
    ))
    .at(span)
    .hint(hint)
}

/// The scope of module `count` and `for_each`: nothing about resources is known.
struct Unknowable;

impl Scope for Unknowable {
    fn resource(&self, _: &Address) -> Option<Value> {
        Some(Value::Unknown)
    }

    fn addresses(&self) -> Vec<&Address> {
        Vec::new()
    }
}

/// The instances of every resource block, by its address without a key. A `count` or `for_each`
/// may be made of another repeated resource (`{ for k, api in aws_apigatewayv2_api.this : k =>
/// api.id }`), whose keys are known once its own instances are: blocks are taken in rounds, each
/// seeing the keys the rounds before found, until a round finds no more. What is still unknown
/// then is the error.
fn resource_instances(
    modules: &[(Arc<Context>, &Config)],
    scope: &mut AllUnknown,
    diagnostics: &mut Diagnostics,
) -> BTreeMap<Address, Vec<Instance>> {
    let mut instances = BTreeMap::new();
    let mut pending: Vec<(Address, &Arc<Context>, &ResourceBlock, Diagnostics)> = modules
        .iter()
        .flat_map(|(context, config)| {
            config.resources.iter().map(move |block| {
                let base = context.address(block.address.clone());
                (base, context, &**block, Diagnostics::default())
            })
        })
        .collect();
    loop {
        let before = pending.len();
        pending.retain_mut(|(base, context, block, problems)| {
            *problems = Diagnostics::default();
            let repeat = (block.count.as_ref(), block.for_each.as_ref());
            let found = repetitions(repeat, context, scope, problems);
            if !problems.is_empty() {
                return true;
            }
            if let Some(value) = scope.repeated.get_mut(base) {
                *value = instances_value(base, block, &found);
            }
            instances.insert(base.clone(), found);
            false
        });
        if pending.is_empty() || pending.len() == before {
            break;
        }
    }
    for (_, _, _, problems) in pending {
        diagnostics.extend(problems);
    }
    instances
}

/// A resource's instance: its key (none for a plain block) and what it sees as `count` or `each`.
type Instance = (Option<InstanceKey>, BTreeMap<String, Value>);

/// A repeated resource as a reference sees it before planning: a list (`count`) or a map by key
/// (`for_each`) of its instances, each an object whose attributes are unknown.
fn instances_value(base: &Address, block: &ResourceBlock, instances: &[Instance]) -> Value {
    let object = || Value::Map(base.kind.schema().unknown_object());
    let keys = instances.iter().filter_map(|(key, _)| key.as_ref());
    match block.count {
        Some(_) => Value::List(keys.map(|_| object()).collect()),
        None => Value::Map(
            keys.filter_map(|key| match key {
                InstanceKey::Key(key) => Some((key.clone(), object())),
                InstanceKey::Index(_) => None,
            })
            .collect(),
        ),
    }
}

/// The instances a resource or module block declares, each with its key and what it sees as
/// `count` or `each`: one without a key for a plain block, `[0]`... for `count`, `["key"]`... for
/// `for_each`. Both must be known when planning.
fn repetitions(
    (count, for_each): (Option<&Argument>, Option<&Argument>),
    context: &Context,
    scope: &dyn Scope,
    diagnostics: &mut Diagnostics,
) -> Vec<Instance> {
    let instance = |key: InstanceKey, name: &str, value: Value| {
        (Some(key), BTreeMap::from([(name.to_owned(), value)]))
    };
    let (argument, meta) = match (count, for_each) {
        (Some(count), _) => (count, "count"),
        (None, Some(for_each)) => (for_each, "for_each"),
        (None, None) => return vec![(None, BTreeMap::new())],
    };
    let value = match eval::evaluate(&argument.expr, argument.value_span.file, context, scope) {
        Ok(value) => value,
        Err(problem) => {
            diagnostics.push(problem);
            return Vec::new();
        }
    };
    let problem = |message: String, hint: &str| {
        Diagnostic::error(message)
            .at(argument.value_span.clone())
            .hint(hint)
    };
    // What must be known is how many instances there are and their keys: a map's keys are, even
    // when its values are not yet (they are `each.value`, known after apply).
    let undetermined = match &value {
        Value::Map(_) if meta == "for_each" => false,
        value => value.has_unknown(),
    };
    // Unknown because a variable is: that variable's problem is reported (or `validate` was
    // given no value for it), and is the one to fix.
    if undetermined
        && eval::reaches_unknown_variable(&argument.expr, argument.value_span.file, context)
    {
        return Vec::new();
    }
    if undetermined {
        diagnostics.push(problem(
            format!("the `{meta}` value depends on resource attributes that cannot be determined until apply"),
            "gateform must know how many instances to plan: base it on variables, locals and literals, or apply the resources it depends on first with --target",
        ));
        return Vec::new();
    }
    match (meta, value) {
        ("count", Value::Number(count)) if count >= 0.0 && count.fract() == 0.0 => (0..count
            as u64)
            .map(|index| {
                let value = Value::Map(BTreeMap::from([(
                    "index".to_owned(),
                    Value::Number(index as f64),
                )]));
                instance(InstanceKey::Index(index), "count", value)
            })
            .collect(),
        ("count", other) => {
            diagnostics.push(problem(
                format!(
                    "`count` must be a whole number, 0 or more, not {}",
                    describe(&other)
                ),
                "write `count = 2`, or `count = var.enabled ? 1 : 0`",
            ));
            Vec::new()
        }
        (_, Value::Map(entries)) => entries
            .into_iter()
            .map(|(key, value)| {
                let each = Value::Map(BTreeMap::from([
                    ("key".to_owned(), Value::String(key.clone())),
                    ("value".to_owned(), value),
                ]));
                instance(InstanceKey::Key(key), "each", each)
            })
            .collect(),
        (_, Value::List(items)) if items.iter().all(|item| item.as_str().is_some()) => {
            let keys: BTreeSet<String> = items
                .iter()
                .filter_map(|item| item.as_str().map(str::to_owned))
                .collect();
            keys.into_iter()
                .map(|key| {
                    let each = Value::Map(BTreeMap::from([
                        ("key".to_owned(), Value::String(key.clone())),
                        ("value".to_owned(), Value::String(key.clone())),
                    ]));
                    instance(InstanceKey::Key(key), "each", each)
                })
                .collect()
        }
        (_, other) => {
            diagnostics.push(problem(
                format!(
                    "`for_each` must be a map, or a set of strings, not {}",
                    describe(&other)
                ),
                "write `for_each = var.routes` (a map) or `for_each = toset([\"a\", \"b\"])`",
            ));
            Vec::new()
        }
    }
}

/// A value's type, and the value too when it is short.
fn describe(value: &Value) -> String {
    match value {
        Value::Number(number) => crate::value::format_number(*number),
        Value::Null => "null".to_owned(),
        other => other.type_name().to_owned(),
    }
}

impl DesiredResource {
    /// The resource's arguments evaluated in `scope` and converted to their schema types, with
    /// defaults for the ones not set. Computed attributes are `Null`: AWS sets them.
    pub fn evaluate(&self, scope: &dyn Scope) -> Result<Object, Diagnostics> {
        let (object, diagnostics) = self.evaluate_partially(scope);
        diagnostics.into_result(object)
    }

    /// Like [`DesiredResource::evaluate`], but an argument that fails to evaluate is `Unknown`
    /// and the rest are still there to check.
    fn evaluate_partially(&self, scope: &dyn Scope) -> (Object, Diagnostics) {
        let context = &*self.context;
        let mut diagnostics = Diagnostics::default();
        let config = &self.config;
        let schema = config.address.kind.schema();
        let names = self.names_in(scope);
        let mut object = evaluate_arguments(
            schema.attributes,
            &config.arguments,
            &names,
            context,
            scope,
            &mut diagnostics,
        );
        if object.get("region").is_none_or(Value::is_null) {
            object.insert("region".to_owned(), self.provider.region.clone());
        }
        (schema.implied)(&mut object);
        // `tags_all`: the provider's default tags under the resource's own, as the provider sends
        // them.
        if let Some(tags) = object.get("tags") {
            let mut all = self.provider.default_tags.clone();
            let tags_all = match tags {
                Value::Map(own) => {
                    all.extend(own.clone());
                    Value::Map(all)
                }
                Value::Unknown => Value::Unknown,
                _ if all.is_empty() => Value::Null,
                _ => Value::Map(all),
            };
            object.insert("tags_all".to_owned(), tags_all);
        }
        // What `ignore_tags` names is left to whoever sets it.
        for tags in ["tags", "tags_all"] {
            if let Some(Value::Map(tags)) = object.get_mut(tags) {
                self.provider.connection.ignore_tags.strip(tags);
            }
        }
        let blocks = self.evaluate_blocks(
            schema.blocks,
            &config.blocks,
            &names,
            scope,
            &mut diagnostics,
        );
        object.extend(blocks);
        (object, diagnostics)
    }

    /// What this instance sees as `count` or `each`, in `scope`. An `each.value` that was not
    /// known when the instances were made (`{ for k, api in aws_apigatewayv2_api.this : k =>
    /// api.id }`) is taken again from `for_each` in `scope`, where those values may be known.
    fn names_in(&self, scope: &dyn Scope) -> Cow<'_, BTreeMap<String, Value>> {
        let each = match self.names.get("each") {
            Some(Value::Map(each)) if each.get("value").is_some_and(Value::has_unknown) => each,
            _ => return Cow::Borrowed(&self.names),
        };
        let (Some(for_each), Some(key)) = (&self.config.for_each, each.get("key")) else {
            return Cow::Borrowed(&self.names);
        };
        let file = for_each.value_span.file;
        let value = match eval::evaluate(&for_each.expr, file, &self.context, scope) {
            Ok(Value::Map(mut entries)) => key.as_str().and_then(|key| entries.remove(key)),
            _ => None,
        };
        let Some(value) = value else {
            return Cow::Borrowed(&self.names);
        };
        let mut each = each.clone();
        each.insert("value".to_owned(), value);
        let mut names = self.names.clone();
        names.insert("each".to_owned(), Value::Map(each));
        Cow::Owned(names)
    }

    /// The values of nested blocks of the kinds `blocks`, written as `nested`, with `names`
    /// bound; each block's own blocks inside it.
    fn evaluate_blocks(
        &self,
        blocks: &[BlockSchema],
        nested: &BTreeMap<String, Vec<NestedBlock>>,
        names: &BTreeMap<String, Value>,
        scope: &dyn Scope,
        diagnostics: &mut Diagnostics,
    ) -> Object {
        let context = &*self.context;
        let config = &self.config;
        let mut object = Object::new();
        for block in blocks {
            let mut elements = Vec::new();
            let mut unknown = false;
            for nested in nested.get(block.name).into_iter().flatten() {
                let evaluate = |names: &BTreeMap<String, Value>, diagnostics: &mut Diagnostics| {
                    let mut inner = evaluate_arguments(
                        block.attributes,
                        &nested.arguments,
                        names,
                        context,
                        scope,
                        diagnostics,
                    );
                    let inner_blocks = self.evaluate_blocks(
                        block.blocks,
                        &nested.blocks,
                        names,
                        scope,
                        diagnostics,
                    );
                    inner.extend(inner_blocks);
                    Value::Map(inner)
                };
                let Some(dynamic) = &nested.dynamic else {
                    elements.push(evaluate(names, diagnostics));
                    continue;
                };
                // A dynamic block: the content once per element of `for_each`.
                let for_each = &dynamic.for_each;
                match eval::evaluate_with(
                    &for_each.expr,
                    for_each.value_span.file,
                    context,
                    scope,
                    names,
                ) {
                    Ok(Value::Unknown) => unknown = true,
                    Ok(Value::Null) => {}
                    Ok(Value::List(items)) => {
                        for (index, item) in items.into_iter().enumerate() {
                            let names =
                                iteration(names, dynamic, Value::Number(index as f64), item);
                            elements.push(evaluate(&names, diagnostics));
                        }
                    }
                    Ok(Value::Map(entries)) => {
                        for (key, value) in entries {
                            let names = iteration(names, dynamic, Value::String(key), value);
                            elements.push(evaluate(&names, diagnostics));
                        }
                    }
                    Ok(other) => diagnostics.push(
                        Diagnostic::error(format!(
                            "a dynamic block's `for_each` must be a list, set or map, not {}",
                            other.type_name()
                        ))
                        .at(for_each.value_span.clone()),
                    ),
                    Err(problem) => diagnostics.push(problem),
                }
            }
            if block.nesting == Nesting::Single && elements.len() > 1 {
                diagnostics.push(
                    Diagnostic::error(format!(
                        "`{}` of `{}` may appear once, but its dynamic block made {}",
                        block.name,
                        config.address,
                        elements.len()
                    ))
                    .at(config.span.clone())
                    .hint("give the dynamic block's `for_each` zero or one element"),
                );
            }
            let value = match unknown {
                true => Value::Unknown,
                false => block.normalize(elements),
            };
            object.insert(block.name.to_owned(), value);
        }
        object
    }
}

/// The names one iteration of a dynamic block sees: those around it, and the iterator's `key`
/// and `value`.
fn iteration(
    names: &BTreeMap<String, Value>,
    dynamic: &Dynamic,
    key: Value,
    value: Value,
) -> BTreeMap<String, Value> {
    let mut names = names.clone();
    names.insert(
        dynamic.iterator.clone(),
        Value::Map(BTreeMap::from([
            ("key".to_owned(), key),
            ("value".to_owned(), value),
        ])),
    );
    names
}

fn evaluate_arguments(
    attributes: &[Attribute],
    arguments: &BTreeMap<String, Argument>,
    names: &BTreeMap<String, Value>,
    context: &Context,
    scope: &dyn Scope,
    diagnostics: &mut Diagnostics,
) -> Object {
    let mut object = Object::new();
    for attribute in attributes {
        let value = match arguments.get(attribute.name) {
            Some(argument) => {
                match eval::evaluate_with(
                    &argument.expr,
                    argument.value_span.file,
                    context,
                    scope,
                    names,
                )
                .and_then(|value| convert(value, attribute.ty, argument))
                {
                    Ok(value) => {
                        // Every argument's rule, at any depth, is checked where it is evaluated.
                        if let Some(problem) = attribute.check_rule(&value) {
                            diagnostics.push(problem.at(argument.value_span.clone()));
                        }
                        match attribute.normalize(value) {
                            Value::Null => attribute.default_value(),
                            value => value,
                        }
                    }
                    Err(diagnostic) => {
                        diagnostics.push(diagnostic);
                        Value::Unknown
                    }
                }
            }
            None if attribute.presence == Presence::Computed => Value::Null,
            None => attribute.default_value(),
        };
        object.insert(attribute.name.to_owned(), value);
    }
    object
}

/// Converts a value to an argument's type with Terraform's conversions ([`crate::types::convert`]).
fn convert(value: Value, ty: Type, argument: &Argument) -> Result<Value, Diagnostic> {
    let mismatch = |value: &Value| {
        Diagnostic::error(format!("wrong value type for `{}`", argument.name))
            .at(argument.value_span.clone())
            .label(format!(
                "expected {}, found {}",
                ty.describe(),
                value.type_name()
            ))
            .hint(match ty {
                Type::String => "write a quoted string, such as \"example\"",
                Type::Bool => "write `true` or `false`",
                Type::Number => "write a number, such as 300",
                Type::StringSet => "write a list of strings, such as [\"GET\", \"POST\"]",
                Type::StringMap => "write a map of strings, such as { Environment = \"dev\" }",
                Type::Object => "write an object, such as { path = \"terraform.tfstate\" }",
            })
    };
    let constraint = match ty {
        Type::String => Constraint::String,
        Type::Bool => Constraint::Bool,
        Type::Number => Constraint::Number,
        Type::StringSet => Constraint::Set(Box::new(Constraint::String)),
        Type::StringMap => Constraint::Map(Box::new(Constraint::String)),
        Type::Object => Constraint::Map(Box::new(Constraint::Any)),
    };
    match crate::types::convert(value.clone(), &constraint) {
        // A set with an unknown element is unknown as a whole: its size is not known either.
        Ok(Value::List(items)) if ty == Type::StringSet && items.iter().any(Value::has_unknown) => {
            Ok(Value::Unknown)
        }
        Ok(converted) => Ok(converted),
        Err(_) => Err(mismatch(&value)),
    }
}

/// What a resource block references, for the dependencies of each of its instances.
#[derive(Default)]
struct Dependencies {
    /// Every resource the block references or names in `depends_on`.
    all: BTreeSet<Address>,
    /// Those referenced at least once without an index, or named in `depends_on`: each instance
    /// depends on all their instances.
    whole: BTreeSet<Address>,
    /// The indexes the others are referenced with, `[each.key]`: an instance depends on the
    /// instances they name with its `each` or `count`.
    indexed: BTreeMap<Address, Vec<(hcl_edit::expr::Expression, FileId)>>,
}

impl Dependencies {
    /// What the instance that sees `names` depends on: a resource, for all of its instances, or
    /// one instance of it, where each index it is referenced with names that one.
    fn of(
        &self,
        names: &BTreeMap<String, Value>,
        context: &Context,
        scope: &dyn Scope,
    ) -> Addresses {
        let one = |base: &Address| {
            let indexes = self
                .indexed
                .get(base)
                .filter(|_| !self.whole.contains(base))?;
            let mut keys = indexes.iter().map(|(index, file)| {
                match eval::evaluate_with(index, *file, context, scope, names) {
                    Ok(Value::String(key)) => Some(InstanceKey::Key(key)),
                    Ok(Value::Number(number)) if number >= 0.0 && number.fract() == 0.0 => {
                        Some(InstanceKey::Index(number as u64))
                    }
                    _ => None,
                }
            });
            let key = keys.next()??;
            keys.all(|other| other.as_ref() == Some(&key))
                .then(|| Address {
                    key: Some(key),
                    ..base.clone()
                })
        };
        self.all
            .iter()
            .map(|base| one(base).unwrap_or_else(|| base.clone()))
            .collect()
    }
}

/// The resources a block depends on: everything it references, and what `depends_on` names. A
/// reference to the block itself is an error, as in Terraform.
fn dependencies(
    block: &ResourceBlock,
    base: &Address,
    declared: &BTreeSet<Address>,
    context: &Context,
    diagnostics: &mut Diagnostics,
) -> Dependencies {
    let references = |argument: &Argument| {
        eval::dependencies_of(&argument.expr, argument.value_span.file, context)
    };
    // An index names one instance only where the instance's `each` and `count` are what it
    // sees: not in `count` and `for_each` themselves, nor in nested blocks, where a dynamic
    // block's iterator may be called `each`.
    let elsewhere = (block.count.iter().chain(&block.for_each))
        .chain(
            block
                .blocks
                .values()
                .flatten()
                .flat_map(NestedBlock::all_arguments),
        )
        .flat_map(references)
        .map(|reference| refs::Reference {
            index: None,
            ..reference
        });
    let in_arguments = block
        .arguments
        .values()
        .flat_map(references)
        .chain(elsewhere)
        .map(|reference| (reference, false));
    // What replaces it is planned first.
    let in_triggers = block
        .lifecycle
        .replace_triggered_by
        .iter()
        .map(|reference| {
            let address = context.address(reference.address.clone());
            (
                refs::Reference {
                    address,
                    ..reference.clone()
                },
                true,
            )
        });
    let in_depends_on = block
        .depends_on
        .iter()
        .flat_map(|depends_on| depends_on_references(depends_on, context, declared, diagnostics))
        .map(|reference| {
            let address = context.prefixed(reference.address.clone());
            (
                refs::Reference {
                    address,
                    ..reference
                },
                true,
            )
        });
    let mut dependencies = Dependencies::default();
    let all: Vec<(refs::Reference, bool)> = in_arguments
        .chain(in_triggers)
        .chain(in_depends_on)
        .collect();
    for (reference, from_depends_on) in all {
        if reference.address == *base {
            diagnostics.push(
                Diagnostic::error(format!("`{base}` refers to itself"))
                    .at(reference.span)
                    .hint("a resource cannot depend on itself; AWS sets its attributes only after it is created"),
            );
        } else if declared.contains(&reference.address) {
            match reference.index.filter(|_| !from_depends_on) {
                Some(index) => dependencies
                    .indexed
                    .entry(reference.address.clone())
                    .or_default()
                    .push((index, reference.span.file)),
                None => {
                    dependencies.whole.insert(reference.address.clone());
                }
            }
            dependencies.all.insert(reference.address);
        } else if from_depends_on {
            // Undeclared references in arguments are reported when they are evaluated.
            diagnostics.push(
                Diagnostic::error(format!(
                    "reference to undeclared resource `{}`",
                    reference.address
                ))
                .at(reference.span)
                .hint("`depends_on` names resources declared in this configuration"),
            );
        }
    }
    dependencies
}

/// The resources `depends_on = [...]` names: whole resources, and every resource of a module
/// it names (`module.NAME`). What belongs to Terraform (`aws_iam_role.lambda`, a module gateform
/// cannot read) was reported where it is declared, and orders nothing here. Anything else is an
/// error.
fn depends_on_references(
    depends_on: &Argument,
    context: &Context,
    declared: &BTreeSet<Address>,
    diagnostics: &mut Diagnostics,
) -> Vec<refs::Reference> {
    use hcl_edit::expr::{Expression, TraversalOperator};
    let file = depends_on.value_span.file;
    let items: Vec<&Expression> = match &*depends_on.expr {
        Expression::Array(array) => array.iter().collect(),
        _ => Vec::new(),
    };
    let mut found = Vec::new();
    let mut well_formed = matches!(*depends_on.expr, Expression::Array(_));
    for item in items {
        if let [reference] = &refs::references(item, file)[..]
            && reference.attribute.is_none()
        {
            found.push(reference.clone());
            continue;
        }
        let Expression::Traversal(traversal) = item else {
            well_formed = false;
            continue;
        };
        let Expression::Variable(root) = &traversal.expr else {
            well_formed = false;
            continue;
        };
        let first = traversal.operators.first().map(|operator| operator.value());
        match (root.as_str(), first) {
            ("module", Some(TraversalOperator::GetAttr(name))) => {
                if context
                    .foreign
                    .contains(&format!("module.{}", name.as_str()))
                {
                    continue;
                }
                let depth = context.module.len();
                let span = Span::new(file, hcl_edit::Span::span(item));
                found.extend(
                    declared
                        .iter()
                        .filter(|address| {
                            address.module.len() > depth
                                && address.module[..depth] == context.module[..]
                                && address.module[depth].name == name.as_str()
                        })
                        .map(|address| refs::Reference {
                            // Already the module's address: `context.address` keeps its path.
                            address: Address {
                                module: address.module[depth..].to_vec(),
                                ..address.clone()
                            },
                            attribute: None,
                            index: None,
                            span: span.clone(),
                        }),
                );
            }
            (foreign, _) if context.foreign.contains(foreign) => {}
            _ => well_formed = false,
        }
    }
    if !well_formed {
        diagnostics.push(
            Diagnostic::error("`depends_on` must list resources or modules")
                .at(depends_on.value_span.clone())
                .hint("write `depends_on = [aws_apigatewayv2_api.example]`"),
        );
    }
    found
}

/// Arguments marked `same_api` may only reference objects of the resource's own api: a route
/// cannot target another api's integration.
fn check_same_api(
    resource: &DesiredResource,
    resources: &BTreeMap<Address, DesiredResource>,
    diagnostics: &mut Diagnostics,
) {
    let config = &resource.config;
    let Some(own_api) = api_of(resource) else {
        return;
    };
    let schema = config.address.kind.schema();
    for attribute in schema
        .attributes
        .iter()
        .filter(|attribute| attribute.same_api)
    {
        let Some(argument) = config.arguments.get(attribute.name) else {
            continue;
        };
        for reference in refs::references(&argument.expr, argument.value_span.file) {
            let target_address = resource.context.address(reference.address.clone());
            let Some(target) = resources.get(&target_address) else {
                continue;
            };
            if let (Some(Owner::Declared(their_api)), Owner::Declared(own)) =
                (api_of(target), &own_api)
                && their_api != *own
                && reference.address.kind != Kind::Api
            {
                diagnostics.push(
                    Diagnostic::error(format!(
                        "`{}` belongs to `{their_api}`, not to `{own}`",
                        reference.address
                    ))
                    .at(reference.span)
                    .hint(format!(
                        "`{}` of `{}` must name an object of its own api",
                        attribute.name, config.address
                    )),
                );
            }
        }
    }
}

/// What belongs to an object lives in its region: a route in its api's, an api mapping in its
/// domain name's.
fn check_same_region(
    address: &Address,
    resource: &DesiredResource,
    resources: &BTreeMap<Address, DesiredResource>,
    diagnostics: &mut Diagnostics,
) {
    let (Some(Owner::Declared(parent)), Some(schema_parent)) =
        (parent_of(resource), address.kind.schema().parent)
    else {
        return;
    };
    let Some(parent_resource) = resources.get(&parent) else {
        return;
    };
    let (Some(own), Some(theirs)) = (resource.region.as_str(), parent_resource.region.as_str())
    else {
        return;
    };
    if own == theirs {
        return;
    }
    let config = &resource.config;
    let span = match (config.arguments.get("region"), &config.provider) {
        (Some(region), _) => region.value_span.clone(),
        (None, Some((_, span))) => span.clone(),
        (None, None) => config.arguments.get(schema_parent.attribute).map_or_else(
            || config.span.clone(),
            |argument| argument.value_span.clone(),
        ),
    };
    let noun = schema_parent.kind.schema().noun;
    let article = match noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        true => "an",
        false => "a",
    };
    diagnostics.push(
        Diagnostic::error(format!(
            "`{address}` is in {own}, but its {noun} `{parent}` is in {theirs}"
        ))
        .at(span)
        .hint(format!("what belongs to {article} {noun} lives in the {noun}'s region: give it the {noun}'s `provider` or `region`")),
    );
}

/// An object a configuration names where another lives: a declared resource, or a literal id.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Owner {
    Declared(Address),
    Id(String),
}

/// The api a resource belongs to: the api itself, or the api its ancestry names (`api_id`).
fn api_of(resource: &DesiredResource) -> Option<Owner> {
    let kind = resource.config.address.kind;
    if kind == Kind::Api {
        let address = resource.context.address(resource.config.address.clone());
        return Some(Owner::Declared(address));
    }
    let api = kind
        .ancestry()
        .into_iter()
        .find(|parent| parent.kind == Kind::Api)?;
    named_by(resource, api.attribute, api.kind)
}

/// The object a resource lives under ([`crate::schema::Schema::parent`]), as its configuration
/// names it.
fn parent_of(resource: &DesiredResource) -> Option<Owner> {
    let parent = resource.config.address.kind.schema().parent?;
    named_by(resource, parent.attribute, parent.kind)
}

/// The object of `kind` that the argument `attribute` names: a reference to a declared resource
/// of that kind (`aws_apigatewayv2_api.example.id`), or a literal id. A reference to one of a
/// resource's instances (`aws_apigatewayv2_api.each[count.index].id`) names none that is known
/// before evaluation.
fn named_by(resource: &DesiredResource, attribute: &str, kind: Kind) -> Option<Owner> {
    let argument = resource.config.arguments.get(attribute)?;
    match &refs::references(&argument.expr, argument.value_span.file)[..] {
        [reference] if reference.address.kind == kind && reference.attribute.is_some() => Some(
            Owner::Declared(resource.context.address(reference.address.clone())),
        ),
        [] => match &*argument.expr {
            hcl_edit::expr::Expression::String(id) => Some(Owner::Id(id.value().clone())),
            _ => None,
        },
        _ => None,
    }
}

fn protocol_of(api: &Owner, values: &BTreeMap<Address, Object>) -> Option<Protocol> {
    let Owner::Declared(address) = api else {
        return None;
    };
    values
        .get(address)?
        .get("protocol_type")?
        .as_str()
        .and_then(Protocol::from_protocol_type)
}

/// Rules on known values: valid values, lengths, protocol-only arguments and the kind's own checks.
fn check_values(
    resource: &DesiredResource,
    object: &Object,
    protocol: Option<Protocol>,
    diagnostics: &mut Diagnostics,
) {
    let config = &resource.config;
    let schema: &Schema = config.address.kind.schema();
    // An argument or block set for the other kind of api.
    let wrong_protocol = |name: &str, only: Protocol, protocol: Protocol, span: &Span| {
        let kind = match protocol {
            Protocol::Http => "an HTTP API",
            Protocol::WebSocket => "a WebSocket API",
        };
        let hint = match api_of(resource) {
            Some(Owner::Declared(api))
                if api != resource.context.address(config.address.clone()) =>
            {
                format!("remove it: `{api}` is {kind}")
            }
            _ => format!("remove it: this is {kind}"),
        };
        Diagnostic::error(format!("`{name}` applies only to {}", only.describe()))
            .at(span.clone())
            .hint(hint)
    };
    for attribute in schema.attributes {
        let Some(value) = object.get(attribute.name) else {
            continue;
        };
        let Some(argument) = config.arguments.get(attribute.name) else {
            continue;
        };
        if let (Some(only), Some(protocol)) = (attribute.protocol, protocol)
            && only != protocol
            && !value.is_null()
            && *value != attribute.default_value()
        {
            diagnostics.push(wrong_protocol(
                attribute.name,
                only,
                protocol,
                &argument.name_span,
            ));
        }
    }
    for block in schema.blocks {
        let nested_blocks = config.blocks.get(block.name).map_or(&[][..], Vec::as_slice);
        let Some(protocol) = protocol else { continue };
        if let (Some(nested), Some(only)) = (nested_blocks.first(), block.protocol)
            && only != protocol
        {
            diagnostics.push(wrong_protocol(block.name, only, protocol, &nested.span));
            continue;
        }
        // Protocol-only settings inside a block, such as a stage's `logging_level`.
        for attribute in block.attributes {
            let Some(only) = attribute.protocol.filter(|only| *only != protocol) else {
                continue;
            };
            let set_elsewhere = block_elements(object, block.name).iter().any(|element| {
                element
                    .get(attribute.name)
                    .is_some_and(|value| !value.is_null() && *value != attribute.default_value())
            });
            let argument = nested_blocks
                .iter()
                .find_map(|nested| nested.arguments.get(attribute.name));
            if let (true, Some(argument)) = (set_elsewhere, argument) {
                diagnostics.push(wrong_protocol(
                    attribute.name,
                    only,
                    protocol,
                    &argument.name_span,
                ));
            }
        }
    }
    for problem in config.address.kind.check(object, protocol) {
        let span = config.arguments.get(problem.attribute).map_or_else(
            || config.span.clone(),
            |argument| argument.value_span.clone(),
        );
        diagnostics.push(problem.at(span));
    }
}

impl Problem {
    fn at(self, span: Span) -> Diagnostic {
        let diagnostic = Diagnostic::error(self.message).at(span);
        match self.hint {
            Some(hint) => diagnostic.hint(hint),
            None => diagnostic,
        }
    }
}

/// The loader's scope: every declared resource exists, and nothing about it is known yet.
struct AllUnknown<'a> {
    declared: &'a BTreeSet<Address>,
    /// The declared resources with `count` or `for_each`: not one object but a list or map of
    /// them, unknown until their keys are.
    repeated: BTreeMap<Address, Value>,
}

impl AllUnknown<'_> {
    /// The instance `address` (with its key) names, once its resource's keys are known.
    fn held(&self, address: &Address) -> Option<&Value> {
        match (
            self.repeated.get(&address.resource())?,
            address.key.as_ref()?,
        ) {
            (Value::List(instances), InstanceKey::Index(index)) => {
                instances.get(usize::try_from(*index).ok()?)
            }
            (Value::Map(instances), InstanceKey::Key(key)) => instances.get(key),
            _ => None,
        }
    }
}

impl Scope for AllUnknown<'_> {
    fn resource(&self, address: &Address) -> Option<Value> {
        match self.repeated.get(address) {
            Some(instances) => Some(instances.clone()),
            None => self
                .declared
                .contains(address)
                .then(|| Value::Map(address.kind.schema().unknown_object())),
        }
    }

    fn attribute(&self, address: &Address, name: &str) -> Option<Value> {
        let single = address.key.is_none() && !self.repeated.contains_key(address);
        let declared = match single {
            true => self.declared.contains(address),
            false => self.held(address).is_some(),
        };
        let schema = address.kind.schema();
        let readable = schema.attribute(name).is_some() || schema.block(name).is_some();
        (declared && readable).then_some(Value::Unknown)
    }

    fn instance(&self, address: &Address) -> Option<Value> {
        self.held(address).cloned()
    }

    fn addresses(&self) -> Vec<&Address> {
        self.declared.iter().collect()
    }
}
