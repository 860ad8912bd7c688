//! Expression evaluation with unknown values.
//!
//! An expression is evaluated against a [`Scope`] that knows the value of every resource it may
//! reference. The loader's scope answers with all-unknown objects (to check references and types);
//! the planner's with planned values; apply's with the values AWS returned. Anything computed from an
//! unknown value is unknown.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, TraversalOperator, UnaryOperator};
use hcl_edit::template::{Element, Template};

use crate::addr::{Address, InstanceKey, ModuleStep};
use crate::config::{Argument, ProviderName};
use crate::diag::{Diagnostic, FileId, Span};
use crate::functions;
use crate::refs::Reference;
use crate::schema::{self, Kind};
use crate::types::Constraint;
use crate::value::{Value, format_number};

/// The values an expression can reach.
pub trait Scope {
    /// The value of a declared resource as an object of its attributes, or `None` when no such
    /// resource is declared.
    fn resource(&self, address: &Address) -> Option<Value>;

    /// One instance of a resource (`address` with its key), where the scope holds it apart:
    /// `aws_apigatewayv2_integration.this[3]` is then read without building the whole list.
    /// `None` sends the reference the long way, through [`Scope::resource`].
    fn instance(&self, _address: &Address) -> Option<Value> {
        None
    }

    /// One attribute of a resource or of one instance (`address` with its key), where the scope
    /// can read it without building the whole object: `aws_apigatewayv2_api.this.id`. `None`
    /// sends the reference the long way.
    fn attribute(&self, _address: &Address, _name: &str) -> Option<Value> {
        None
    }

    /// The declared resources, for "did you mean" hints.
    fn addresses(&self) -> Vec<&Address>;

    /// The value of a data source (by its address, [`data_address`]) once it is read from AWS;
    /// `None` until then, and without AWS, as in `diff`: its attributes are unknown.
    fn data(&self, _address: &str) -> Option<Value> {
        None
    }

    /// Whether this is apply, where `timestamp()` and `uuid()` have values; while planning they
    /// are known only after apply, as in Terraform.
    fn applying(&self) -> bool {
        false
    }
}

/// Resources' values and the data sources read: what the planner and apply evaluate against.
pub struct Known<'a> {
    pub resources: &'a BTreeMap<Address, crate::value::Object>,
    pub data: &'a BTreeMap<String, Value>,
    /// The resources with `count` or `for_each`: one with no instance is `[]` or `{}`.
    pub repeated: &'a BTreeMap<Address, Repetition>,
    pub applying: bool,
}

impl Scope for Known<'_> {
    fn resource(&self, address: &Address) -> Option<Value> {
        self.resources
            .resource(address)
            .or_else(|| match self.repeated.get(address)? {
                Repetition::Count => Some(Value::List(Vec::new())),
                Repetition::ForEach => Some(Value::Map(BTreeMap::new())),
                Repetition::Single => None,
            })
    }

    fn instance(&self, address: &Address) -> Option<Value> {
        self.resources.instance(address)
    }

    fn attribute(&self, address: &Address, name: &str) -> Option<Value> {
        self.resources.attribute(address, name)
    }

    fn addresses(&self) -> Vec<&Address> {
        self.resources.addresses()
    }

    fn data(&self, address: &str) -> Option<Value> {
        self.data.get(address).cloned()
    }

    fn applying(&self) -> bool {
        self.applying
    }
}

/// A data source's address, as messages name it and the values read are kept by:
/// `data.TYPE.NAME`, after its module's path (`module.api.data.TYPE.NAME`).
pub fn data_address(module: &[ModuleStep], kind: &str, name: &str) -> String {
    let data = format!("data.{kind}.{name}");
    match module.is_empty() {
        true => data,
        false => format!("{}.{data}", crate::addr::module_path(module)),
    }
}

/// Resources' values by address: what planning, apply and review evaluate against. A resource
/// with `count` is a list of its instances, one with `for_each` a map of them by key.
impl Scope for std::collections::BTreeMap<Address, crate::value::Object> {
    fn instance(&self, address: &Address) -> Option<Value> {
        self.get(address).cloned().map(Value::Map)
    }

    fn attribute(&self, address: &Address, name: &str) -> Option<Value> {
        self.get(address)?.get(name).cloned()
    }

    fn resource(&self, address: &Address) -> Option<Value> {
        if let Some(object) = self.get(address) {
            return Some(Value::Map(object.clone()));
        }
        let instances: Vec<(&crate::addr::InstanceKey, &crate::value::Object)> = self
            .range(address.clone()..)
            .take_while(|(other, _)| {
                other.module == address.module
                    && other.kind == address.kind
                    && other.name == address.name
            })
            .filter_map(|(other, object)| Some((other.key.as_ref()?, object)))
            .collect();
        let first = instances.first()?;
        Some(match first.0 {
            crate::addr::InstanceKey::Index(_) => {
                let mut indexed: Vec<(u64, Value)> = instances
                    .iter()
                    .filter_map(|(key, object)| match key {
                        crate::addr::InstanceKey::Index(index) => {
                            Some((*index, Value::Map((*object).clone())))
                        }
                        crate::addr::InstanceKey::Key(_) => None,
                    })
                    .collect();
                indexed.sort_by_key(|(index, _)| *index);
                Value::List(indexed.into_iter().map(|(_, value)| value).collect())
            }
            crate::addr::InstanceKey::Key(_) => Value::Map(
                instances
                    .iter()
                    .filter_map(|(key, object)| match key {
                        crate::addr::InstanceKey::Key(key) => {
                            Some((key.clone(), Value::Map((*object).clone())))
                        }
                        crate::addr::InstanceKey::Index(_) => None,
                    })
                    .collect(),
            ),
        })
    }

    fn addresses(&self) -> Vec<&Address> {
        self.keys().collect()
    }
}

/// A scope with no resources: for `templatefile` templates, variable values and defaults, data
/// source arguments, and the provider's settings.
pub struct NoResources;

impl Scope for NoResources {
    fn resource(&self, _: &Address) -> Option<Value> {
        None
    }

    fn addresses(&self) -> Vec<&Address> {
        Vec::new()
    }
}

/// What an expression sees besides resources, for one module instance: its directory, input
/// variables, local values and outputs (kept as expressions, evaluated where they are used), and
/// the modules it calls.
#[derive(Debug)]
pub struct Context {
    /// The module's directory, as gateform reads its files.
    pub directory: Arc<Path>,
    /// The root module's directory: Terraform's working directory, which `path.root` is (`.`),
    /// `path.module` is relative to, and relative paths given to `file` and the other file
    /// functions are read from.
    pub root: Arc<Path>,
    /// Where the module instance is: resource references in it are to its own resources.
    pub module: Vec<ModuleStep>,
    pub variables: BTreeMap<String, Value>,
    /// The variables declared `sensitive = true`.
    pub sensitive_variables: std::collections::BTreeSet<String>,
    /// The provider configurations its resources may name, by the module's names for them.
    pub providers: Arc<BTreeMap<ProviderName, Arc<Provider>>>,
    /// What belongs to Terraform and is declared here: resource types (`aws_lambda_function`),
    /// data source types (`data.aws_iam_policy_document`) and modules gateform cannot read
    /// (`module.lambda`). Each was reported; references to them are unknown.
    pub foreign: std::collections::BTreeSet<String>,
    /// The data sources declared, as `TYPE.NAME`; their values are in the [`Scope`].
    pub data_declared: std::collections::BTreeSet<String>,
    /// Input variables the caller gives as expressions, evaluated in the caller's context.
    pub inputs: BTreeMap<String, Input>,
    pub locals: BTreeMap<String, Argument>,
    pub outputs: BTreeMap<String, Argument>,
    /// The modules this one calls, by name, set once they are built.
    pub children: OnceLock<BTreeMap<String, Children>>,
    /// The outputs of the remote states this module reads that Terraform marks sensitive, as
    /// `terraform_remote_state.NAME.OUTPUT`: set once they are read, before planning.
    pub sensitive_data: OnceLock<std::collections::BTreeSet<String>>,
}

/// A provider configuration, evaluated.
#[derive(Debug)]
pub struct Provider {
    pub name: ProviderName,
    /// Where its resources live unless they set `region`: the block's `region`, else the
    /// environment's (AWS_REGION, AWS_DEFAULT_REGION, the profile); unknown when neither says.
    pub region: Value,
    /// `default_tags`, under every taggable resource's own tags.
    pub default_tags: BTreeMap<String, Value>,
    /// Whether `default_tags` is made from a sensitive value, which makes every `tags_all` one.
    pub sensitive_default_tags: bool,
    /// How it reaches AWS: credentials, the accounts it may change, endpoints, retries.
    pub connection: crate::connection::Connection,
}

/// A module input: `NAME = EXPRESSION` in the `module` block.
#[derive(Debug)]
pub struct Input {
    pub argument: Argument,
    pub caller: Arc<Context>,
    /// The caller's `each` or `count` for this module instance.
    pub names: BTreeMap<String, Value>,
    pub constraint: Constraint,
}

/// The instances of one module call.
#[derive(Debug)]
pub struct Children {
    /// `count` makes a list of instances, `for_each` a map; neither, one instance.
    pub repetition: Repetition,
    pub instances: Vec<(Option<InstanceKey>, Arc<Context>)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Repetition {
    Single,
    Count,
    ForEach,
}

impl Context {
    pub fn new(directory: Arc<Path>) -> Context {
        Context {
            root: directory.clone(),
            directory,
            module: Vec::new(),
            variables: BTreeMap::new(),
            sensitive_variables: Default::default(),
            foreign: Default::default(),
            providers: Default::default(),
            data_declared: Default::default(),
            inputs: BTreeMap::new(),
            locals: BTreeMap::new(),
            outputs: BTreeMap::new(),
            children: OnceLock::new(),
            sensitive_data: OnceLock::new(),
        }
    }

    /// `path.module`: the module's directory relative to the root module's, `.` for the root.
    pub fn module_path(&self) -> String {
        let relative = self
            .directory
            .strip_prefix(&*self.root)
            .unwrap_or(&self.directory);
        match relative.as_os_str().is_empty() {
            true => ".".to_owned(),
            false => relative.display().to_string(),
        }
    }

    /// The address of a resource of this module, or of a module inside it: this module's path
    /// before the address's own.
    pub fn prefixed(&self, mut address: Address) -> Address {
        let mut module = self.module.clone();
        module.append(&mut address.module);
        address.module = module;
        address
    }

    /// The address of a resource of this module.
    pub fn address(&self, mut address: Address) -> Address {
        address.module = self.module.clone();
        address
    }
}

/// One `.name`, `[index]` or splat after a traversal's root.
type Operator = hcl_edit::Decorated<TraversalOperator>;

/// How deep local values may refer to one another before it must be a cycle.
const LOCAL_DEPTH: usize = 64;

/// Evaluates `expr`, written in `file`, in `context`, against `scope`.
pub fn evaluate(
    expr: &Expression,
    file: FileId,
    context: &Context,
    scope: &dyn Scope,
) -> Result<Value, Diagnostic> {
    Evaluator {
        file,
        context,
        scope,
        names: BTreeMap::new(),
        depth: 0,
    }
    .expr(expr)
}

/// Like [`evaluate`], with names bound, such as `each` and `count` for one instance.
pub fn evaluate_with(
    expr: &Expression,
    file: FileId,
    context: &Context,
    scope: &dyn Scope,
    names: &BTreeMap<String, Value>,
) -> Result<Value, Diagnostic> {
    Evaluator {
        file,
        context,
        scope,
        names: names.clone(),
        depth: 0,
    }
    .expr(expr)
}

/// Every resource `expr` depends on, with its module's address: the ones it references, and
/// the ones the local values, module inputs and module outputs it uses reference, all the way.
pub fn dependencies_of(expr: &Expression, file: FileId, context: &Context) -> Vec<Reference> {
    reach(expr, file, context).resources
}

/// Whether `expr` is made from a sensitive variable, directly or through local values, module
/// inputs and module outputs.
pub fn is_sensitive(expr: &Expression, file: FileId, context: &Context) -> bool {
    reach(expr, file, context).sensitive
}

/// Whether `expr` reaches a variable whose value is not known: one whose value was invalid (and
/// is reported), or one `validate` was given none for.
pub fn reaches_unknown_variable(expr: &Expression, file: FileId, context: &Context) -> bool {
    reach(expr, file, context).unknown_variable
}

/// What an expression reaches through local values, module inputs (in the caller's context) and
/// module outputs (in the module's): the resources, with their modules' addresses, and whether a
/// sensitive variable is among what it reaches.
#[derive(Default)]
struct Reach {
    resources: Vec<Reference>,
    sensitive: bool,
    unknown_variable: bool,
    /// The (context, root, name, declassified) already followed, so that cycles end.
    seen: Vec<(*const Context, String, String, bool)>,
}

fn reach(expr: &Expression, file: FileId, context: &Context) -> Reach {
    let mut reach = Reach::default();
    reach.follow(expr, file, context, false);
    reach
}

impl Reach {
    /// `declassified`: inside `nonsensitive(...)`, where what is reached is not sensitive.
    fn follow(&mut self, expr: &Expression, file: FileId, context: &Context, declassified: bool) {
        let (direct, named) = crate::refs::references_and_names(expr, file);
        // Every expression after the first is reached through a name (a local value, a module's
        // input or output): its indexes are not evaluated with the names of the instance.
        let reached = !self.seen.is_empty();
        self.resources
            .extend(direct.into_iter().map(|reference| Reference {
                address: context.address(reference.address),
                index: reference.index.filter(|_| !reached),
                ..reference
            }));
        for crate::refs::Name {
            root,
            name,
            declassified: inside,
        } in named
        {
            let declassified = declassified || inside;
            let key = (
                context as *const Context,
                root.clone(),
                name.clone(),
                declassified,
            );
            if self.seen.contains(&key) {
                continue;
            }
            self.seen.push(key);
            match root.as_str() {
                "sensitive" => self.sensitive |= !declassified,
                // `terraform_remote_state.NAME.OUTPUT`, or `terraform_remote_state.NAME` when
                // the whole of its outputs is used.
                "data" => {
                    self.sensitive |= !declassified
                        && context.sensitive_data.get().is_some_and(|outputs| {
                            outputs.iter().any(|output| {
                                *output == name || output.starts_with(&format!("{name}."))
                            })
                        });
                }
                "local" => {
                    if let Some(local) = context.locals.get(&name) {
                        self.follow(&local.expr, local.value_span.file, context, declassified);
                    }
                }
                "var" => {
                    self.sensitive |= !declassified && context.sensitive_variables.contains(&name);
                    self.unknown_variable |=
                        context.variables.get(&name).is_some_and(Value::has_unknown);
                    if let Some(input) = context.inputs.get(&name) {
                        let argument = &input.argument;
                        let file = argument.value_span.file;
                        self.follow(&argument.expr, file, &input.caller, declassified);
                    }
                }
                _ => {
                    let children = context
                        .children
                        .get()
                        .and_then(|children| children.get(&name));
                    for (_, child) in children.iter().flat_map(|children| &children.instances) {
                        for output in child.outputs.values() {
                            let file = output.value_span.file;
                            self.follow(&output.expr, file, child, declassified);
                        }
                    }
                }
            }
        }
    }
}

struct Evaluator<'a> {
    file: FileId,
    context: &'a Context,
    scope: &'a dyn Scope,
    /// Names bound by `for` expressions and directives, `templatefile`'s variables, and an
    /// instance's `each` or `count`.
    names: BTreeMap<String, Value>,
    /// How many local values are being evaluated inside one another.
    depth: usize,
}

impl<'a> Evaluator<'a> {
    /// The same evaluator with more names bound, for the body of a `for`.
    fn with(&self, bound: impl IntoIterator<Item = (String, Value)>) -> Evaluator<'a> {
        let mut names = self.names.clone();
        names.extend(bound);
        Evaluator {
            file: self.file,
            context: self.context,
            scope: self.scope,
            names,
            depth: self.depth,
        }
    }

    fn span(&self, expr: &impl hcl_edit::Span) -> Span {
        Span::new(self.file, expr.span())
    }

    fn expr(&self, expr: &Expression) -> Result<Value, Diagnostic> {
        match expr {
            Expression::Null(_) => Ok(Value::Null),
            Expression::Bool(flag) => Ok(Value::Bool(*flag.value())),
            Expression::Number(number) => Ok(Value::Number(number.as_f64().unwrap_or(f64::NAN))),
            Expression::String(text) => Ok(Value::String(text.value().clone())),
            Expression::Array(array) => array
                .iter()
                .map(|item| self.expr(item))
                .collect::<Result<_, _>>()
                .map(Value::List),
            Expression::Object(object) => {
                let mut entries = BTreeMap::new();
                for (key, value) in object.iter() {
                    let key = match key {
                        hcl_edit::expr::ObjectKey::Ident(ident) => ident.as_str().to_owned(),
                        hcl_edit::expr::ObjectKey::Expression(key_expr) => {
                            match self.expr(key_expr)? {
                                Value::String(text) => text,
                                Value::Number(number) => format_number(number),
                                Value::Bool(flag) => flag.to_string(),
                                Value::Unknown => return Ok(Value::Unknown),
                                other => {
                                    return Err(Diagnostic::error(format!(
                                        "an object key must be a string, not {}",
                                        other.type_name()
                                    ))
                                    .at(self.span(key_expr)));
                                }
                            }
                        }
                    };
                    entries.insert(key, self.expr(value.expr())?);
                }
                Ok(Value::Map(entries))
            }
            Expression::StringTemplate(template) => match template.iter().collect::<Vec<_>>()[..] {
                // `"${EXPR}"` alone is EXPR's value, not made a string: HCL's rule, which
                // Terraform's JSON syntax relies on (`"for_each": "${var.routes}"`).
                [Element::Interpolation(interpolation)] => self.expr(&interpolation.expr),
                _ => self.template(template),
            },
            Expression::HeredocTemplate(heredoc) => self.template(&heredoc.template),
            Expression::Parenthesis(inner) => self.expr(inner.inner()),
            Expression::Traversal(traversal) => {
                self.traversal(expr, &traversal.expr, &traversal.operators)
            }
            Expression::Variable(variable) => match self.names.get(variable.as_str()) {
                Some(value) => Ok(value.clone()),
                None => Err(self.unknown_root(variable.as_str(), expr)),
            },
            Expression::UnaryOp(operation) => {
                let value = self.expr(&operation.expr)?;
                match (operation.operator.value(), value) {
                    (_, Value::Unknown) => Ok(Value::Unknown),
                    (UnaryOperator::Neg, Value::Number(number)) => Ok(Value::Number(-number)),
                    (UnaryOperator::Not, Value::Bool(flag)) => Ok(Value::Bool(!flag)),
                    (operator, value) => Err(Diagnostic::error(format!(
                        "`{}` cannot be applied to {}",
                        operator.as_str(),
                        value.type_name()
                    ))
                    .at(self.span(expr))),
                }
            }
            Expression::Conditional(conditional) => match self.expr(&conditional.cond_expr)? {
                Value::Bool(true) => self.expr(&conditional.true_expr),
                Value::Bool(false) => self.expr(&conditional.false_expr),
                Value::Unknown => {
                    self.expr(&conditional.true_expr)?;
                    self.expr(&conditional.false_expr)?;
                    Ok(Value::Unknown)
                }
                other => Err(Diagnostic::error(format!(
                    "the condition must be a bool, not {}",
                    other.type_name()
                ))
                .at(self.span(&conditional.cond_expr))),
            },
            Expression::FuncCall(call) => self.call(call, expr),
            Expression::BinaryOp(operation) => self.binary(operation, expr),
            Expression::ForExpr(for_expr) => self.for_expr(for_expr),
        }
    }

    /// A function call. `try`, `can` and `templatefile` evaluate their arguments themselves.
    fn call(
        &self,
        call: &hcl_edit::expr::FuncCall,
        whole: &Expression,
    ) -> Result<Value, Diagnostic> {
        let name = call.name.name.as_str();
        let span = self.span(whole);
        let namespace: Vec<&str> = call
            .name
            .namespace
            .iter()
            .map(|part| part.as_str())
            .collect();
        if !namespace.is_empty() && namespace != ["core"] {
            return Err(Diagnostic::error(format!(
                "provider functions such as `{}::{name}` are not supported",
                namespace.join("::")
            ))
            .at(span));
        }
        if !functions::exists(name) {
            let diagnostic = Diagnostic::error(format!("unknown function `{name}`")).at(span);
            return Err(match name {
                "type" => diagnostic.hint("`type` is only available in `terraform console`"),
                _ => match schema::closest(name, functions::names()) {
                    Some(close) => diagnostic.hint(format!("did you mean `{close}`?")),
                    None => diagnostic.hint("see the list of supported functions in the README"),
                },
            });
        }
        let args: Vec<&Expression> = call.args.iter().collect();
        let one = || match args.as_slice() {
            [arg] => Ok(*arg),
            _ => Err(
                Diagnostic::error(format!("`{name}` takes exactly one argument")).at(span.clone()),
            ),
        };
        let none = || match args.is_empty() {
            true => Ok(()),
            false => {
                Err(Diagnostic::error(format!("`{name}` takes no arguments")).at(span.clone()))
            }
        };
        match name {
            "try" => {
                let mut last = None;
                for arg in &args {
                    match self.expr(arg) {
                        Ok(value) => return Ok(value),
                        Err(error) => last = Some(error),
                    }
                }
                return Err(match last {
                    Some(error) => Diagnostic::error(format!(
                        "no argument of `try` could be evaluated; the last one failed: {}",
                        error.message
                    ))
                    .at(span),
                    None => Diagnostic::error("`try` needs at least one argument").at(span),
                });
            }
            "can" => {
                return Ok(match self.expr(one()?) {
                    Ok(value) if value.has_unknown() => Value::Unknown,
                    Ok(_) => Value::Bool(true),
                    Err(_) => Value::Bool(false),
                });
            }
            // Sensitivity is not in the value but in what the expression reaches (see `reach`).
            "sensitive" | "nonsensitive" => return self.expr(one()?),
            "issensitive" => {
                return Ok(Value::Bool(
                    reach(one()?, self.file, self.context).sensitive,
                ));
            }
            "timestamp" | "uuid" => {
                none()?;
                return Ok(match (self.scope.applying(), name) {
                    (false, _) => Value::Unknown,
                    (true, "uuid") => Value::String(uuid::Uuid::new_v4().to_string()),
                    (true, _) => Value::String(functions::time::now()),
                });
            }
            "plantimestamp" => {
                none()?;
                return Ok(Value::String(functions::time::plan_time().to_owned()));
            }
            "templatestring" => return self.templatestring(&args, span),
            _ => {}
        }
        let mut values = Vec::with_capacity(args.len());
        for (index, arg) in args.iter().enumerate() {
            let value = self.expr(arg)?;
            // `f(list...)`: the last argument's elements become the arguments.
            match (index + 1 == args.len() && call.args.expand_final(), value) {
                (true, Value::List(items)) => values.extend(items),
                (true, Value::Unknown) => return Ok(Value::Unknown),
                (true, other) => {
                    return Err(Diagnostic::error(format!(
                        "`...` expands a list, not {}",
                        other.type_name()
                    ))
                    .at(self.span(*arg)));
                }
                (false, value) => values.push(value),
            }
        }
        let result = match name {
            "templatefile" => self.templatefile(&values),
            _ => functions::call(name, &values, &self.context.root),
        };
        result.map_err(|message| {
            Diagnostic::error(format!("invalid call to `{name}`: {message}")).at(span)
        })
    }

    /// `templatefile(path, vars)`: the file (a relative path is the root module's, as for
    /// `file`), rendered as a template that sees only `vars` (and the functions).
    fn templatefile(&self, args: &[Value]) -> Result<Value, String> {
        let [path, vars] = args else {
            return Err("it takes a path and a map of variables".to_owned());
        };
        let vars = match vars {
            Value::Map(entries) => entries.clone(),
            Value::Unknown => return Ok(Value::Unknown),
            other => {
                return Err(format!(
                    "the variables must be a map, not {}",
                    other.type_name()
                ));
            }
        };
        let path = self
            .context
            .root
            .join(functions::to_string("templatefile", path)?);
        let text = std::fs::read_to_string(&path)
            .map_err(|error| format!("cannot read `{}`: {error}", path.display()))?;
        self.render(&text, vars)
            .map_err(|error| format!("in `{}`: {error}", path.display()))
    }

    /// `templatestring(reference, vars)`: the string a named value holds, rendered as a
    /// template that sees only `vars`. As in Terraform, the template must come through a
    /// reference, so that a template in a literal is not rendered twice.
    fn templatestring(&self, args: &[&Expression], span: Span) -> Result<Value, Diagnostic> {
        let fail = |message: String| Diagnostic::error(message).at(span.clone());
        let [template, vars] = args else {
            return Err(fail(
                "`templatestring` takes a reference to a template and a map of variables".into(),
            ));
        };
        if !matches!(template, Expression::Traversal(_) | Expression::Variable(_)) {
            return Err(fail(
                "the template must be a reference to a value holding it, such as `local.template`"
                    .into(),
            )
            .hint("a template written in place is already rendered: use it directly"));
        }
        let (template, vars) = (self.expr(template)?, self.expr(vars)?);
        let vars = match vars {
            Value::Map(entries) => entries,
            Value::Unknown => return Ok(Value::Unknown),
            other => {
                return Err(fail(format!(
                    "the variables must be a map, not {}",
                    other.type_name()
                )));
            }
        };
        let template = match template {
            Value::Unknown => return Ok(Value::Unknown),
            other => functions::to_string("templatestring", &other).map_err(&fail)?,
        };
        self.render(&template, vars)
            .map_err(|error| fail(format!("invalid call to `templatestring`: {error}")))
    }

    /// `text` rendered as a template that sees only `vars` (and the functions).
    fn render(&self, text: &str, vars: BTreeMap<String, Value>) -> Result<Value, String> {
        let template = hcl_edit::parser::parse_template(text)
            .map_err(|error| format!("not a valid template: {error}"))?;
        let inner = Evaluator {
            file: self.file,
            context: self.context,
            scope: &NoResources,
            names: vars,
            depth: self.depth,
        };
        inner.template(&template).map_err(|error| error.message)
    }

    fn binary(
        &self,
        operation: &hcl_edit::expr::BinaryOp,
        whole: &Expression,
    ) -> Result<Value, Diagnostic> {
        use hcl_edit::expr::BinaryOperator as Op;
        let operator = *operation.operator.value();
        let (lhs, rhs) = (
            self.expr(&operation.lhs_expr)?,
            self.expr(&operation.rhs_expr)?,
        );
        let fail = |message: String| Err(Diagnostic::error(message).at(self.span(whole)));
        let number = |value: &Value| match value {
            Value::Number(number) => Some(*number),
            Value::String(text) => text.parse().ok(),
            _ => None,
        };
        match (operator, &lhs, &rhs) {
            (Op::And, Value::Bool(false), _) | (Op::And, _, Value::Bool(false)) => {
                Ok(Value::Bool(false))
            }
            (Op::Or, Value::Bool(true), _) | (Op::Or, _, Value::Bool(true)) => {
                Ok(Value::Bool(true))
            }
            (_, Value::Unknown, _) | (_, _, Value::Unknown) => Ok(Value::Unknown),
            (Op::Eq, lhs, rhs) => Ok(Value::Bool(lhs == rhs)),
            (Op::NotEq, lhs, rhs) => Ok(Value::Bool(lhs != rhs)),
            (Op::And | Op::Or, Value::Bool(a), Value::Bool(b)) => Ok(Value::Bool(match operator {
                Op::And => *a && *b,
                _ => *a || *b,
            })),
            (Op::And | Op::Or, lhs, rhs) => fail(format!(
                "`{}` needs two bools, not {} and {}",
                operator.as_str(),
                lhs.type_name(),
                rhs.type_name()
            )),
            (_, lhs, rhs) => {
                let (Some(a), Some(b)) = (number(lhs), number(rhs)) else {
                    return fail(format!(
                        "`{}` needs two numbers, not {} and {}",
                        operator.as_str(),
                        lhs.type_name(),
                        rhs.type_name()
                    ));
                };
                Ok(match operator {
                    Op::Less => Value::Bool(a < b),
                    Op::LessEq => Value::Bool(a <= b),
                    Op::Greater => Value::Bool(a > b),
                    Op::GreaterEq => Value::Bool(a >= b),
                    Op::Plus => Value::Number(a + b),
                    Op::Minus => Value::Number(a - b),
                    Op::Mul => Value::Number(a * b),
                    Op::Div | Op::Mod if b == 0.0 => return fail("division by zero".to_owned()),
                    Op::Div => Value::Number(a / b),
                    Op::Mod => Value::Number(a % b),
                    Op::Eq | Op::NotEq | Op::And | Op::Or => unreachable!("handled above"),
                })
            }
        }
    }

    /// `[for ...]` and `{for ...}`.
    fn for_expr(&self, for_expr: &hcl_edit::expr::ForExpr) -> Result<Value, Diagnostic> {
        let intro = &for_expr.intro;
        let Some(pairs) = self.iterate(&intro.collection_expr)? else {
            return Ok(Value::Unknown);
        };
        let mut list = Vec::new();
        let mut object: BTreeMap<String, Value> = BTreeMap::new();
        let mut unknown = false;
        for (key, value) in pairs {
            let mut bound = vec![(intro.value_var.as_str().to_owned(), value)];
            if let Some(key_var) = &intro.key_var {
                bound.push((key_var.as_str().to_owned(), key));
            }
            let body = self.with(bound);
            if let Some(cond) = &for_expr.cond {
                match body.expr(&cond.expr)? {
                    Value::Bool(true) => {}
                    Value::Bool(false) => continue,
                    Value::Unknown => {
                        unknown = true;
                        continue;
                    }
                    other => {
                        return Err(Diagnostic::error(format!(
                            "a `for` condition must be a bool, not {}",
                            other.type_name()
                        ))
                        .at(self.span(&cond.expr)));
                    }
                }
            }
            let value = body.expr(&for_expr.value_expr)?;
            let Some(key_expr) = &for_expr.key_expr else {
                list.push(value);
                continue;
            };
            let key = match body.expr(key_expr)? {
                Value::Unknown => {
                    unknown = true;
                    continue;
                }
                key => functions::to_string("for", &key)
                    .map_err(|message| Diagnostic::error(message).at(self.span(key_expr)))?,
            };
            if for_expr.grouping {
                match object.entry(key).or_insert_with(|| Value::List(Vec::new())) {
                    Value::List(items) => items.push(value),
                    _ => unreachable!("grouped values are lists"),
                }
            } else if object.insert(key.clone(), value).is_some() {
                return Err(Diagnostic::error(format!(
                    "duplicate key `{key}` in a `for` expression"
                ))
                .at(self.span(key_expr))
                .hint("keys must be unique; add `...` after the value to group values by key"));
            }
        }
        Ok(match (unknown, for_expr.key_expr.is_some()) {
            (true, _) => Value::Unknown,
            (false, true) => Value::Map(object),
            (false, false) => Value::List(list),
        })
    }

    /// The (key, value) pairs a `for` walks: index and element of a list, key and value of a map.
    /// `None` when the collection is not known yet.
    fn iterate(&self, collection: &Expression) -> Result<Option<Vec<(Value, Value)>>, Diagnostic> {
        match self.expr(collection)? {
            Value::Unknown => Ok(None),
            Value::List(items) => Ok(Some(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(index, item)| (Value::Number(index as f64), item))
                    .collect(),
            )),
            Value::Map(entries) => Ok(Some(
                entries
                    .into_iter()
                    .map(|(key, value)| (Value::String(key), value))
                    .collect(),
            )),
            other => Err(Diagnostic::error(format!(
                "`for` needs a list, set or map, not {}",
                other.type_name()
            ))
            .at(self.span(collection))),
        }
    }

    /// `var.NAME`, `local.NAME`, `path.module` and names bound in this evaluator (`each`,
    /// `count`, a `for` variable): the value and the operators still to apply. `None` for a name
    /// that is none of these.
    fn named_root<'o>(
        &self,
        root: &str,
        operators: &'o [Operator],
        whole: &Expression,
    ) -> Result<Option<(Value, &'o [Operator])>, Diagnostic> {
        if let Some(value) = self.names.get(root) {
            return Ok(Some((value.clone(), operators)));
        }
        if root == "data" {
            return self.data_source(operators, whole).map(Some);
        }
        // `terraform.workspace`: gateform has one workspace, Terraform's first.
        if root == "terraform"
            && let Some((TraversalOperator::GetAttr(name), rest)) = operators
                .split_first()
                .map(|(first, rest)| (first.value(), rest))
            && name.as_str() == "workspace"
        {
            return Ok(Some((Value::String("default".to_owned()), rest)));
        }
        if !matches!(root, "var" | "local" | "path" | "module") {
            return Ok(None);
        }
        let Some((TraversalOperator::GetAttr(name), rest)) = operators
            .split_first()
            .map(|(first, rest)| (first.value(), rest))
        else {
            return Err(Diagnostic::error(format!("`{root}` needs an attribute"))
                .at(self.span(whole))
                .hint(format!("write `{root}.NAME`")));
        };
        let name = name.as_str();
        let undeclared = |what: &str, declared: Vec<&str>| {
            let diagnostic =
                Diagnostic::error(format!("undeclared {what} `{name}`")).at(self.span(whole));
            match schema::closest(name, declared) {
                Some(close) => diagnostic.hint(format!("did you mean `{root}.{close}`?")),
                None => diagnostic.hint(match root {
                    "var" => format!("declare it with `variable \"{name}\" {{ type = string }}`"),
                    _ => format!("define it in a `locals {{ {name} = ... }}` block"),
                }),
            }
        };
        let value = match root {
            "var" => match (
                self.context.variables.get(name),
                self.context.inputs.get(name),
            ) {
                (Some(value), _) => value.clone(),
                (None, Some(input)) => self.input(input, name, whole)?,
                (None, None) => {
                    let declared = self
                        .context
                        .variables
                        .keys()
                        .chain(self.context.inputs.keys())
                        .map(String::as_str)
                        .collect();
                    return Err(undeclared("input variable", declared));
                }
            },
            "module" if self.context.foreign.contains(&format!("module.{name}")) => Value::Unknown,
            "module" => {
                let children = self.context.children.get();
                let Some(children) = children.and_then(|children| children.get(name)) else {
                    let declared = children
                        .map(|children| children.keys().map(String::as_str).collect())
                        .unwrap_or_default();
                    return Err(undeclared("module", declared));
                };
                self.module_outputs(children)?
            }
            "local" => {
                let Some(local) = self.context.locals.get(name) else {
                    let declared = self.context.locals.keys().map(String::as_str).collect();
                    return Err(undeclared("local value", declared));
                };
                if self.depth >= LOCAL_DEPTH {
                    return Err(Diagnostic::error(format!(
                        "`local.{name}` refers to itself through other local values"
                    ))
                    .at(self.span(whole))
                    .hint("local values cannot depend on each other in a cycle"));
                }
                Evaluator {
                    file: local.value_span.file,
                    context: self.context,
                    scope: self.scope,
                    names: BTreeMap::new(),
                    depth: self.depth + 1,
                }
                .expr(&local.expr)?
            }
            _ => match name {
                "module" => Value::String(self.context.module_path()),
                "root" => Value::String(".".to_owned()),
                "cwd" => Value::String(
                    std::path::absolute(&*self.context.root)
                        .map(|dir| dir.display().to_string())
                        .unwrap_or_default(),
                ),
                _ => {
                    return Err(
                        Diagnostic::error(format!("unknown attribute `path.{name}`"))
                            .at(self.span(whole))
                            .hint("`path` has `module`, `root` and `cwd`"),
                    );
                }
            },
        };
        Ok(Some((value, rest)))
    }

    /// `data.TYPE.NAME`: the data source's attributes, unknown until AWS was read.
    fn data_source<'o>(
        &self,
        operators: &'o [Operator],
        whole: &Expression,
    ) -> Result<(Value, &'o [Operator]), Diagnostic> {
        let names: Vec<&str> = operators
            .iter()
            .take(2)
            .filter_map(|operator| match operator.value() {
                TraversalOperator::GetAttr(name) => Some(name.as_str()),
                _ => None,
            })
            .collect();
        let [kind, name] = names.as_slice() else {
            return Err(
                Diagnostic::error("a data source reference needs a type and a name")
                    .at(self.span(whole))
                    .hint("write `data.aws_apigatewayv2_api.NAME.ATTRIBUTE`"),
            );
        };
        let key = format!("{kind}.{name}");
        if self.context.foreign.contains(&format!("data.{kind}")) {
            return Ok((Value::Unknown, &operators[2..]));
        }
        if !self.context.data_declared.contains(&key) {
            let declared = self.context.data_declared.iter().map(String::as_str);
            let diagnostic = Diagnostic::error(format!("undeclared data source `data.{key}`"))
                .at(self.span(whole));
            return Err(match schema::closest(&key, declared) {
                Some(close) => diagnostic.hint(format!("did you mean `data.{close}`?")),
                None => diagnostic.hint(format!(
                    "declare it with `data \"{kind}\" \"{name}\" {{ ... }}`"
                )),
            });
        }
        let value = self
            .scope
            .data(&data_address(&self.context.module, kind, name))
            .unwrap_or(Value::Unknown);
        Ok((value, &operators[2..]))
    }

    /// A module input, evaluated where the module is called and converted to the variable's type.
    fn input(&self, input: &Input, name: &str, whole: &Expression) -> Result<Value, Diagnostic> {
        if self.depth >= LOCAL_DEPTH {
            return Err(Diagnostic::error(format!(
                "`var.{name}` refers to itself through other values"
            ))
            .at(self.span(whole)));
        }
        let argument = &input.argument;
        let value = Evaluator {
            file: argument.value_span.file,
            context: &input.caller,
            scope: self.scope,
            names: input.names.clone(),
            depth: self.depth + 1,
        }
        .expr(&argument.expr)?;
        crate::types::convert(value, &input.constraint).map_err(|message| {
            Diagnostic::error(format!(
                "invalid value for module input `{name}`: {message}"
            ))
            .at(argument.value_span.clone())
        })
    }

    /// `module.NAME`: an object of the module's outputs; for `count` a list of them, for
    /// `for_each` a map by key.
    fn module_outputs(&self, children: &Children) -> Result<Value, Diagnostic> {
        let mut objects = Vec::new();
        for (key, child) in &children.instances {
            let mut outputs = BTreeMap::new();
            for (name, output) in &child.outputs {
                let value = Evaluator {
                    file: output.value_span.file,
                    context: child,
                    scope: self.scope,
                    names: BTreeMap::new(),
                    depth: self.depth + 1,
                }
                .expr(&output.expr)?;
                outputs.insert(name.clone(), value);
            }
            objects.push((key.clone(), Value::Map(outputs)));
        }
        Ok(match children.repetition {
            Repetition::Single => objects
                .into_iter()
                .next()
                .map_or(Value::Null, |(_, object)| object),
            Repetition::Count => {
                Value::List(objects.into_iter().map(|(_, object)| object).collect())
            }
            Repetition::ForEach => Value::Map(
                objects
                    .into_iter()
                    .filter_map(|(key, object)| match key {
                        Some(InstanceKey::Key(key)) => Some((key, object)),
                        _ => None,
                    })
                    .collect(),
            ),
        })
    }

    /// A name that is not a reference to a resource: a resource type without a name, one of
    /// Terraform's other roots, or a typo.
    fn unknown_root(&self, name: &str, expr: &Expression) -> Diagnostic {
        let span = self.span(expr);
        if name.parse::<Kind>().is_ok() {
            return Diagnostic::error(format!("a reference to `{name}` needs a resource name"))
                .at(span)
                .hint(format!("write `{name}.NAME.id`"));
        }
        if name == "each" || name == "count" {
            let meta = if name == "each" { "for_each" } else { "count" };
            return Diagnostic::error(format!(
                "`{name}` is only available in a resource with `{meta}`"
            ))
            .at(span)
            .hint(format!(
                "add `{meta} = ...` to the resource, or remove the reference"
            ));
        }
        if name == "self" {
            return Diagnostic::error(format!("`{name}.` references are not supported yet"))
                .at(span)
                .hint("gateform reads references to resources, such as `aws_apigatewayv2_api.example.id`");
        }
        let diagnostic = Diagnostic::error(format!("unknown name `{name}`")).at(span);
        match (schema::closest(name, Kind::ALL.map(Kind::as_str)), expr) {
            (Some(close), _) => diagnostic.hint(format!("did you mean `{close}`?")),
            // A bare word is most often text that lacks its quotes.
            (None, Expression::Variable(_)) => diagnostic.hint(format!(
                "to write the text, quote it: `\"{name}\"`; a reference looks like `aws_apigatewayv2_api.NAME.ATTRIBUTE`"
            )),
            (None, _) => {
                diagnostic.hint("references look like `aws_apigatewayv2_api.NAME.ATTRIBUTE`")
            }
        }
    }

    fn undeclared(&self, address: &Address, whole: &Expression) -> Diagnostic {
        let diagnostic = Diagnostic::error(format!("reference to undeclared resource `{address}`"))
            .at(self.span(whole));
        let declared: Vec<String> = self
            .scope
            .addresses()
            .iter()
            .map(ToString::to_string)
            .collect();
        match schema::closest(&address.to_string(), declared.iter().map(String::as_str)) {
            Some(close) => diagnostic.hint(format!("did you mean `{close}`?")),
            None => diagnostic.hint(format!(
                "declare it with `resource \"{}\" \"{}\" {{ ... }}`, or fix the name",
                address.kind, address.name
            )),
        }
    }

    fn template(&self, template: &Template) -> Result<Value, Diagnostic> {
        self.template_stripped(template, false, false)
    }

    /// A template whose surrounding directive strips the whitespace at its start or end (`~}` and
    /// `%{~`). Inside, each `~` strips the whitespace of the literal text next to it.
    fn template_stripped(
        &self,
        template: &Template,
        strip_start: bool,
        strip_end: bool,
    ) -> Result<Value, Diagnostic> {
        use hcl_edit::template::Directive;
        // The text so far, and where its last literal began: a `~` may strip that literal's end.
        let mut out = String::new();
        let mut literal_start: Option<usize> = None;
        let strip_literal = |out: &mut String, literal_start: Option<usize>| {
            if let Some(start) = literal_start {
                let kept = out[start..].trim_end().len();
                out.truncate(start + kept);
            }
        };
        let mut strip_next = strip_start;
        let mut unknown = false;
        for element in template.iter() {
            let (before, after, value) = match element {
                Element::Literal(text) => {
                    let text = text.value();
                    literal_start = Some(out.len());
                    out.push_str(if strip_next { text.trim_start() } else { text });
                    strip_next = false;
                    continue;
                }
                Element::Interpolation(interpolation) => (
                    interpolation.strip.strip_start(),
                    interpolation.strip.strip_end(),
                    self.expr(&interpolation.expr)?,
                ),
                Element::Directive(directive) => {
                    let (before, after) = match directive.as_ref() {
                        Directive::If(d) => (
                            d.if_expr.strip.strip_start(),
                            d.endif_expr.strip.strip_end(),
                        ),
                        Directive::For(d) => (
                            d.for_expr.strip.strip_start(),
                            d.endfor_expr.strip.strip_end(),
                        ),
                    };
                    (before, after, self.directive(directive)?)
                }
            };
            if before {
                strip_literal(&mut out, literal_start);
            }
            literal_start = None;
            strip_next = after;
            match value {
                Value::Unknown => unknown = true,
                Value::String(text) => out.push_str(&text),
                Value::Number(number) => out.push_str(&format_number(number)),
                Value::Bool(flag) => out.push_str(&flag.to_string()),
                other => {
                    let span = match element {
                        Element::Interpolation(interpolation) => self.span(&interpolation.expr),
                        _ => Span::new(self.file, element.span()),
                    };
                    return Err(Diagnostic::error(format!(
                        "cannot include {} in a string template",
                        other.type_name()
                    ))
                    .at(span)
                    .hint("only strings, numbers and bools can be interpolated"));
                }
            }
        }
        if strip_end {
            strip_literal(&mut out, literal_start);
        }
        Ok(if unknown {
            Value::Unknown
        } else {
            Value::String(out)
        })
    }

    /// `%{if}` and `%{for}` in a template; their text, or unknown.
    fn directive(&self, directive: &hcl_edit::template::Directive) -> Result<Value, Diagnostic> {
        use hcl_edit::template::Directive;
        match directive {
            Directive::If(if_directive) => {
                let cond = &if_directive.if_expr.cond_expr;
                let endif = if_directive.endif_expr.strip.strip_start();
                let if_expr = &if_directive.if_expr;
                match self.expr(cond)? {
                    Value::Bool(true) => {
                        let end = match &if_directive.else_expr {
                            Some(else_expr) => else_expr.strip.strip_start(),
                            None => endif,
                        };
                        self.template_stripped(&if_expr.template, if_expr.strip.strip_end(), end)
                    }
                    Value::Bool(false) => match &if_directive.else_expr {
                        Some(else_expr) => self.template_stripped(
                            &else_expr.template,
                            else_expr.strip.strip_end(),
                            endif,
                        ),
                        None => Ok(Value::String(String::new())),
                    },
                    Value::Unknown => Ok(Value::Unknown),
                    other => Err(Diagnostic::error(format!(
                        "a `%{{if}}` condition must be a bool, not {}",
                        other.type_name()
                    ))
                    .at(self.span(cond))),
                }
            }
            Directive::For(for_directive) => {
                let for_expr = &for_directive.for_expr;
                let Some(pairs) = self.iterate(&for_expr.collection_expr)? else {
                    return Ok(Value::Unknown);
                };
                let mut out = String::new();
                for (key, value) in pairs {
                    let mut bound = vec![(for_expr.value_var.as_str().to_owned(), value)];
                    if let Some(key_var) = &for_expr.key_var {
                        bound.push((key_var.as_str().to_owned(), key));
                    }
                    let body = self.with(bound).template_stripped(
                        &for_expr.template,
                        for_expr.strip.strip_end(),
                        for_directive.endfor_expr.strip.strip_start(),
                    )?;
                    match body {
                        Value::String(text) => out.push_str(&text),
                        _ => return Ok(Value::Unknown),
                    }
                }
                Ok(Value::String(out))
            }
        }
    }

    /// `RESOURCE[KEY]` read straight from the scope, when the key is a whole number or a string
    /// and the scope holds that instance: the value, and the operators after the key.
    #[allow(clippy::type_complexity)]
    fn instance<'o>(
        &self,
        address: &Address,
        operators: &'o [hcl_edit::Decorated<TraversalOperator>],
    ) -> Result<Option<(Value, &'o [hcl_edit::Decorated<TraversalOperator>])>, Diagnostic> {
        let (Some(first), None) = (operators.first(), &address.key) else {
            return Ok(None);
        };
        let key = match first.value() {
            TraversalOperator::LegacyIndex(index) => InstanceKey::Index(*index.value()),
            TraversalOperator::Index(index) => match self.expr(index)? {
                Value::Number(number) if number >= 0.0 && number.fract() == 0.0 => {
                    InstanceKey::Index(number as u64)
                }
                Value::String(key) => InstanceKey::Key(key),
                _ => return Ok(None),
            },
            _ => return Ok(None),
        };
        let instance = Address {
            key: Some(key),
            ..self.context.address(address.clone())
        };
        let rest = &operators[1..];
        if let Some(found) = self.attribute(&instance, rest) {
            return Ok(Some(found));
        }
        Ok(self.scope.instance(&instance).map(|value| (value, rest)))
    }

    /// `RESOURCE.ATTRIBUTE`, with `address` in its module, read straight from the scope when it
    /// can: the attribute's value, and the operators after it.
    fn attribute<'o>(
        &self,
        address: &Address,
        rest: &'o [hcl_edit::Decorated<TraversalOperator>],
    ) -> Option<(Value, &'o [hcl_edit::Decorated<TraversalOperator>])> {
        let TraversalOperator::GetAttr(name) = rest.first()?.value() else {
            return None;
        };
        let value = self.scope.attribute(address, name.as_str())?;
        Some((value, &rest[1..]))
    }

    fn traversal(
        &self,
        whole: &Expression,
        root: &Expression,
        operators: &[hcl_edit::Decorated<TraversalOperator>],
    ) -> Result<Value, Diagnostic> {
        let (mut value, rest) = match crate::refs::resource_reference(root, operators) {
            Some((address, rest)) => match self.instance(&address, rest)? {
                Some(found) => found,
                None => {
                    let placed = self.context.address(address.clone());
                    match self.attribute(&placed, rest) {
                        Some(found) => found,
                        None => match self.scope.resource(&placed) {
                            Some(value) => (value, rest),
                            None => return Err(self.undeclared(&address, whole)),
                        },
                    }
                }
            },
            None => match root {
                // What belongs to Terraform is reported where it is declared, and not known here.
                Expression::Variable(variable)
                    if self.context.foreign.contains(variable.as_str()) =>
                {
                    return Ok(Value::Unknown);
                }
                Expression::Variable(variable) => {
                    match self.named_root(variable.as_str(), operators, whole)? {
                        Some(found) => found,
                        None => return Err(self.unknown_root(variable.as_str(), whole)),
                    }
                }
                other => (self.expr(other)?, operators),
            },
        };
        for (position, operator) in rest.iter().enumerate() {
            value = match (operator.value(), value) {
                (_, Value::Unknown) => Value::Unknown,
                (TraversalOperator::GetAttr(name), Value::Map(mut entries)) => {
                    let Some(found) = entries.remove(name.as_str()) else {
                        let names: Vec<&str> = entries.keys().map(String::as_str).collect();
                        let mut diagnostic =
                            Diagnostic::error(format!("unsupported attribute `{}`", name.as_str()))
                                .at(self.span(whole));
                        if let Some(close) = schema::closest(name.as_str(), names) {
                            diagnostic = diagnostic.hint(format!("did you mean `{close}`?"));
                        }
                        return Err(diagnostic);
                    };
                    found
                }
                (TraversalOperator::Index(index), collection) => {
                    self.index(whole, collection, self.expr(index)?)?
                }
                (TraversalOperator::LegacyIndex(index), collection) => {
                    self.index(whole, collection, Value::Number(*index.value() as f64))?
                }
                (TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_), value) => {
                    return self.splat(whole, value, &rest[position + 1..]);
                }
                (TraversalOperator::GetAttr(name), other) => {
                    return Err(Diagnostic::error(format!(
                        "cannot read attribute `{}` of {}",
                        name.as_str(),
                        other.type_name()
                    ))
                    .at(self.span(whole)));
                }
            };
        }
        Ok(value)
    }

    /// `list[*].attribute`: the operators after the splat, applied to each element. A value that
    /// is not a list is a list of itself; null is an empty list.
    fn splat(
        &self,
        whole: &Expression,
        value: Value,
        operators: &[hcl_edit::Decorated<TraversalOperator>],
    ) -> Result<Value, Diagnostic> {
        let items = match value {
            Value::Unknown => return Ok(Value::Unknown),
            Value::Null => Vec::new(),
            Value::List(items) => items,
            other => vec![other],
        };
        let mut results = Vec::with_capacity(items.len());
        for item in items {
            let mut value = item;
            for operator in operators {
                value = match (operator.value(), value) {
                    (_, Value::Unknown) => Value::Unknown,
                    (TraversalOperator::GetAttr(name), Value::Map(mut entries)) => {
                        entries.remove(name.as_str()).ok_or_else(|| {
                            Diagnostic::error(format!("unsupported attribute `{}`", name.as_str()))
                                .at(self.span(whole))
                        })?
                    }
                    (TraversalOperator::Index(index), collection) => {
                        self.index(whole, collection, self.expr(index)?)?
                    }
                    (TraversalOperator::LegacyIndex(index), collection) => {
                        self.index(whole, collection, Value::Number(*index.value() as f64))?
                    }
                    (_, other) => {
                        return Err(Diagnostic::error(format!(
                            "cannot apply this to {} after a splat",
                            other.type_name()
                        ))
                        .at(self.span(whole)));
                    }
                };
            }
            results.push(value);
        }
        Ok(Value::List(results))
    }

    fn index(
        &self,
        whole: &Expression,
        collection: Value,
        key: Value,
    ) -> Result<Value, Diagnostic> {
        let found = match (&collection, &key) {
            (_, Value::Unknown) => return Ok(Value::Unknown),
            (Value::List(items), Value::Number(number))
                if number.fract() == 0.0 && *number >= 0.0 =>
            {
                items.get(*number as usize).cloned()
            }
            (Value::Map(entries), Value::String(text)) => entries.get(text).cloned(),
            _ => {
                return Err(Diagnostic::error(format!(
                    "cannot index {} with {}",
                    collection.type_name(),
                    key.type_name()
                ))
                .at(self.span(whole)));
            }
        };
        found.ok_or_else(|| {
            Diagnostic::error("index out of range or key not found").at(self.span(whole))
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::Path;

    use crate::value::Value;

    fn eval(expression: &str) -> Result<Value, String> {
        let expr = hcl_edit::parser::parse_expr(expression).expect("the expression parses");
        let scope: BTreeMap<crate::addr::Address, crate::value::Object> = BTreeMap::new();
        let file = crate::diag::Sources::default().add("t.hcl".into(), expression.to_owned());
        let context = super::Context::new(std::sync::Arc::from(Path::new(".")));
        super::evaluate(&expr, file, &context, &scope).map_err(|error| error.message)
    }

    #[test]
    fn operators_conditionals_for_and_splat() {
        for (expression, expected) in [
            ("1 + 2 * 3", "7"),
            ("(1 + 2) * 3 - 10 / 4 % 2", "8.5"),
            (r#""5" + 1"#, "6"),
            ("1 < 2 && !(2 <= 1) || false", "true"),
            (r#""a" == "a" && [1] != [2]"#, "true"),
            (r#"true ? "yes" : "no""#, r#""yes""#),
            ("[for s in [\"a\", \"b\"] : upper(s)]", r#"["A", "B"]"#),
            (
                "[for i, s in [\"a\", \"b\"] : \"${i}=${s}\" if s != \"a\"]",
                r#"["1=b"]"#,
            ),
            (
                "{for k, v in {a = 1, b = 2} : v => k}",
                r#"{"1" = "a", "2" = "b"}"#,
            ),
            (
                "{for s in [\"ab\", \"ac\", \"b\"] : substr(s, 0, 1) => s...}",
                r#"{a = ["ab", "ac"], b = ["b"]}"#,
            ),
            ("[{id = 1}, {id = 2}][*].id", "[1, 2]"),
            ("[{id = 1}, {id = 2}].*.id", "[1, 2]"),
            ("null[*]", "[]"),
            (r#""%{if true}yes%{else}no%{endif}""#, r#""yes""#),
            (r#""%{for x in [1, 2]}<${x}>%{endfor}""#, r#""<1><2>""#),
            (r#""a ${~ "b" ~} c""#, r#""abc""#),
        ] {
            assert_eq!(eval(expression), eval(expected), "{expression}");
        }
    }

    #[test]
    fn errors_say_what_was_expected() {
        for (expression, message) in [
            (r#""a" ? 1 : 2"#, "the condition must be a bool, not string"),
            ("1 / 0", "division by zero"),
            (
                r#"true && "x""#,
                "`&&` needs two bools, not bool and string",
            ),
            (
                "{for s in [\"a\", \"a\"] : s => 1}",
                "duplicate key `a` in a `for` expression",
            ),
            (
                "[for s in 1 : s]",
                "`for` needs a list, set or map, not number",
            ),
        ] {
            assert_eq!(eval(expression), Err(message.to_owned()), "{expression}");
        }
    }
}
