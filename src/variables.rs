//! Input variables: their type constraints, and their values from defaults, the environment,
//! `.tfvars` files and the command line, in Terraform's precedence.
//!
//! [`read_inputs`] is the IO: it reads `terraform.tfvars`, `terraform.tfvars.json`,
//! `*.auto.tfvars(.json)` and `--var-file` files. [`values`] is pure: it picks each variable's
//! value, converts it to the variable's type, and checks `nullable` and `validation`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use hcl_edit::expr::Expression;

use crate::config::{Argument, VariableBlock};
use crate::diag::{Diagnostic, Diagnostics, Sources, Span};
use crate::eval::{self, Context};
use crate::types::{Constraint, Optional, convert};
use crate::value::Value;

/// One value given on the command line.
#[derive(Clone, Debug)]
pub enum CliInput {
    /// `--var NAME=VALUE`.
    Var(String),
    /// `--var-file FILE`.
    VarFile(PathBuf),
}

/// A value given for a variable, and where it came from.
#[derive(Debug)]
pub struct Assignment {
    pub name: String,
    pub raw: Raw,
    /// `--var`, a file, or an environment variable: only `--var` may name an undeclared variable
    /// without it being ignored.
    pub from_command_line: bool,
}

#[derive(Debug)]
pub enum Raw {
    /// An expression in a `.tfvars` file.
    Expression(Argument),
    /// A value from a `.tfvars.json` file.
    Json(Value, String),
    /// A string from `--var` or the environment: itself for primitive types, HCL for others.
    Text(String, String),
}

/// Every assignment, lowest precedence first: the environment (`TF_VAR_name`, then
/// `GATEFORM_VAR_name`), `terraform.tfvars`, `terraform.tfvars.json`, `*.auto.tfvars(.json)` in
/// name order, then `--var` and `--var-file` in command-line order. Files read are added to
/// `sources`, so problems in them point at their lines.
pub fn read_inputs(
    directory: &Path,
    cli: &[CliInput],
    environment: impl IntoIterator<Item = (String, String)>,
    sources: &mut Sources,
) -> Result<Vec<Assignment>, Diagnostics> {
    let mut assignments = Vec::new();
    let mut diagnostics = Diagnostics::default();
    let mut environment: Vec<(String, String)> = environment.into_iter().collect();
    environment.sort();
    for prefix in ["TF_VAR_", "GATEFORM_VAR_"] {
        for (key, value) in &environment {
            if let Some(name) = key.strip_prefix(prefix) {
                assignments.push(Assignment {
                    name: name.to_owned(),
                    raw: Raw::Text(value.clone(), format!("the environment variable {key}")),
                    from_command_line: false,
                });
            }
        }
    }
    let mut files: Vec<PathBuf> = ["terraform.tfvars", "terraform.tfvars.json"]
        .iter()
        .map(|name| directory.join(name))
        .filter(|path| path.is_file())
        .collect();
    let mut auto: Vec<PathBuf> = std::fs::read_dir(directory)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            name.ends_with(".auto.tfvars") || name.ends_with(".auto.tfvars.json")
        })
        .collect();
    auto.sort();
    files.extend(auto);
    for path in &files {
        read_file(path, false, sources, &mut assignments, &mut diagnostics);
    }
    for input in cli {
        match input {
            CliInput::Var(text) => match text.split_once('=') {
                Some((name, value)) => assignments.push(Assignment {
                    name: name.trim().to_owned(),
                    raw: Raw::Text(value.to_owned(), format!("--var {name}")),
                    from_command_line: true,
                }),
                None => diagnostics.push(
                    Diagnostic::error(format!("invalid --var `{text}`"))
                        .hint("write --var NAME=VALUE, such as --var stage=prod"),
                ),
            },
            CliInput::VarFile(path) => {
                read_file(path, true, sources, &mut assignments, &mut diagnostics)
            }
        }
    }
    diagnostics.into_result(assignments)
}

fn read_file(
    path: &Path,
    from_command_line: bool,
    sources: &mut Sources,
    assignments: &mut Vec<Assignment>,
    diagnostics: &mut Diagnostics,
) {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) => {
            diagnostics.push(Diagnostic::error(format!(
                "cannot read the variables file `{}`: {error}",
                path.display()
            )));
            return;
        }
    };
    let origin = format!("`{}`", path.display());
    if path.extension().and_then(|e| e.to_str()) == Some("json") {
        match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(serde_json::Value::Object(entries)) => {
                for (name, value) in entries {
                    assignments.push(Assignment {
                        name,
                        raw: Raw::Json(Value::from_json(&value), origin.clone()),
                        from_command_line,
                    });
                }
            }
            _ => diagnostics.push(
                Diagnostic::error(format!("{origin} is not a JSON object of variable values"))
                    .hint("write { \"name\": \"value\" }"),
            ),
        }
        return;
    }
    let file = sources.add(path.to_owned(), text.clone());
    match hcl_edit::parser::parse_body(&text) {
        Ok(body) => {
            for attribute in body.attributes() {
                assignments.push(Assignment {
                    name: attribute.key.as_str().to_owned(),
                    raw: Raw::Expression(crate::config::argument(file, attribute)),
                    from_command_line,
                });
            }
            for block in body.blocks() {
                diagnostics.push(
                    Diagnostic::error("a variables file holds only `name = value` lines")
                        .at(Span::new(file, hcl_edit::Span::span(&block.ident))),
                );
            }
        }
        Err(error) => diagnostics.push(crate::config::syntax_error(file, &text, &error)),
    }
}

/// A warning for each value a `.tfvars` file gives a variable that is not declared: Terraform
/// warns and goes on, since a file may be shared by configurations that declare more.
pub fn undeclared_in_files(variables: &[VariableBlock], assignments: &[Assignment]) -> Diagnostics {
    let mut warnings = Diagnostics::default();
    for assignment in assignments {
        let Raw::Expression(argument) = &assignment.raw else {
            continue;
        };
        if variables.iter().any(|v| v.name == assignment.name) {
            continue;
        }
        let declared = variables.iter().map(|v| v.name.as_str());
        let hint = match crate::schema::closest(&assignment.name, declared) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!(
                "declare it with `variable \"{}\" {{}}` to use the value, or remove it",
                assignment.name
            ),
        };
        warnings.push(
            Diagnostic::warning(format!(
                "a value was given for undeclared variable `{}`",
                assignment.name
            ))
            .at(argument.name_span.clone())
            .hint(hint),
        );
    }
    warnings
}

/// `assignments`, and an unknown value for each variable with neither one nor a default.
pub fn unknown_where_missing(
    variables: &[VariableBlock],
    mut assignments: Vec<Assignment>,
) -> Vec<Assignment> {
    for variable in variables {
        let given = assignments.iter().any(|a| a.name == variable.name);
        if !given && variable.default.is_none() {
            assignments.push(Assignment {
                name: variable.name.clone(),
                raw: Raw::Json(Value::Unknown, "validate".to_owned()),
                from_command_line: false,
            });
        }
    }
    assignments
}

/// The value of every declared variable, converted to its type and validated. Every problem is
/// reported at once.
pub fn values(
    variables: &[VariableBlock],
    assignments: &[Assignment],
    directory: &Arc<Path>,
) -> (BTreeMap<String, Value>, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let empty = Context::new(directory.clone());
    // `--var` for an undeclared variable is an error; a file's value is a warning
    // (`undeclared_in_files`), as in Terraform.
    let from_var = |a: &&Assignment| a.from_command_line && matches!(a.raw, Raw::Text(..));
    for assignment in assignments.iter().filter(from_var) {
        if !variables.iter().any(|v| v.name == assignment.name) {
            let declared = variables.iter().map(|v| v.name.as_str());
            let mut diagnostic = Diagnostic::error(format!(
                "a value was given for undeclared variable `{}`",
                assignment.name
            ));
            diagnostic = match crate::schema::closest(&assignment.name, declared) {
                Some(close) => diagnostic.hint(format!("did you mean `{close}`?")),
                None => diagnostic.hint(format!(
                    "declare it with `variable \"{}\" {{ type = string }}`",
                    assignment.name
                )),
            };
            if let Raw::Expression(argument) = &assignment.raw {
                diagnostic = diagnostic.at(argument.name_span.clone());
            }
            diagnostics.push(diagnostic);
        }
    }
    // A variable without a valid value is reported, and unknown from then on, so that the rest
    // is still checked with the values the others have.
    let mut values = BTreeMap::new();
    let mut valued = Vec::new();
    for variable in variables {
        let value = match value_of(variable, assignments, &empty) {
            Ok(value) => {
                valued.push(variable);
                value
            }
            Err(problem) => {
                diagnostics.push(problem);
                Value::Unknown
            }
        };
        values.insert(variable.name.clone(), value);
    }
    // Validations see the values of the variables that have one.
    let context = Context {
        variables: values.clone(),
        ..Context::new(directory.clone())
    };
    validate(
        valued.into_iter(),
        &context,
        &eval::NoResources,
        |_| None,
        &mut diagnostics,
    );
    (values, diagnostics)
}

/// Runs the `validation` blocks of `variables` against their values in `context`. A condition
/// that is not known yet (the value depends on resources) passes. A failure is reported at
/// `place(variable)` (where a module call gives the value), or else at the condition.
pub fn validate<'v>(
    variables: impl Iterator<Item = &'v VariableBlock>,
    context: &Context,
    scope: &dyn eval::Scope,
    place: impl Fn(&VariableBlock) -> Option<Span>,
    diagnostics: &mut Diagnostics,
) {
    for variable in variables {
        for (condition, message) in &variable.validations {
            let evaluate = |argument: &Argument| {
                eval::evaluate(&argument.expr, argument.value_span.file, context, scope)
            };
            match evaluate(condition) {
                Ok(Value::Bool(true) | Value::Unknown) => {}
                Ok(Value::Bool(false)) => {
                    let message = match evaluate(message) {
                        Ok(Value::String(text)) => text,
                        _ => "the value is not valid".to_owned(),
                    };
                    let (span, hint) = match place(variable) {
                        Some(span) => (
                            span,
                            "the module's validation condition was false for this value",
                        ),
                        None => (
                            condition.value_span.clone(),
                            "this validation condition was false for the value given",
                        ),
                    };
                    diagnostics.push(
                        Diagnostic::error(format!(
                            "invalid value for variable `{}`: {message}",
                            variable.name
                        ))
                        .at(span)
                        .hint(hint),
                    );
                }
                Ok(other) => diagnostics.push(
                    Diagnostic::error(format!(
                        "a validation condition must be a bool, not {}",
                        other.type_name()
                    ))
                    .at(condition.value_span.clone()),
                ),
                Err(problem) => diagnostics.push(problem),
            }
        }
    }
}

/// The defaults of `variables`, which a module call leaves out; the names of those without one.
pub fn defaults(
    variables: &[&VariableBlock],
    directory: &Arc<Path>,
) -> Result<BTreeMap<String, Value>, Vec<String>> {
    let empty = Context::new(directory.clone());
    let mut values = BTreeMap::new();
    let mut missing = Vec::new();
    for variable in variables {
        match (&variable.default, value_of(variable, &[], &empty)) {
            (Some(_), Ok(value)) => {
                values.insert(variable.name.clone(), value);
            }
            _ => missing.push(variable.name.clone()),
        }
    }
    match missing.is_empty() {
        true => Ok(values),
        false => Err(missing),
    }
}

fn value_of(
    variable: &VariableBlock,
    assignments: &[Assignment],
    empty: &Context,
) -> Result<Value, Diagnostic> {
    let evaluate = |argument: &Argument| {
        eval::evaluate(
            &argument.expr,
            argument.value_span.file,
            empty,
            &eval::NoResources,
        )
    };
    let constraint = match &variable.type_constraint {
        Some(argument) => constraint(&argument.expr)
            .map_err(|message| Diagnostic::error(message).at(argument.value_span.clone()))?,
        None => Constraint::Any,
    };
    let nullable = match &variable.nullable {
        Some(argument) => evaluate(argument)? != Value::Bool(false),
        None => true,
    };
    let given = assignments.iter().rev().find(|a| a.name == variable.name);
    let (value, span, origin) = match given {
        Some(assignment) => match &assignment.raw {
            Raw::Expression(argument) => (
                evaluate(argument)?,
                Some(argument.value_span.clone()),
                "the value given".to_owned(),
            ),
            Raw::Json(value, origin) => (value.clone(), None, format!("the value in {origin}")),
            Raw::Text(text, origin) => (
                text_value(text, &constraint, empty).map_err(|message| {
                    Diagnostic::error(format!(
                        "invalid value for variable `{}` from {origin}: {message}",
                        variable.name
                    ))
                })?,
                None,
                format!("the value from {origin}"),
            ),
        },
        None => match &variable.default {
            Some(default) => (
                evaluate(default)?,
                Some(default.value_span.clone()),
                "the default".to_owned(),
            ),
            None => {
                return Err(Diagnostic::error(format!(
                    "no value for required variable `{}`",
                    variable.name
                ))
                .at(variable.span.clone())
                .hint(format!(
                    "give one with --var {0}=VALUE, in terraform.tfvars, or with TF_VAR_{0}; or add a `default`",
                    variable.name
                )));
            }
        },
    };
    let at = |diagnostic: Diagnostic| match &span {
        Some(span) => diagnostic.at(span.clone()),
        None => diagnostic.at(variable.span.clone()),
    };
    if value.is_null() && !nullable {
        return Err(at(Diagnostic::error(format!(
            "variable `{}` must not be null",
            variable.name
        )))
        .hint("it is declared with `nullable = false`"));
    }
    convert(value, &constraint).map_err(|message| {
        at(Diagnostic::error(format!(
            "invalid value for variable `{}`: {message}",
            variable.name
        )))
        .hint(format!("{origin} does not match its type"))
    })
}

/// A string from `--var` or the environment: the string itself for a primitive type, parsed as
/// HCL for a collection or object type, as Terraform does.
fn text_value(text: &str, constraint: &Constraint, empty: &Context) -> Result<Value, String> {
    match constraint {
        Constraint::Any | Constraint::String | Constraint::Number | Constraint::Bool => {
            Ok(Value::String(text.to_owned()))
        }
        _ => {
            let expr = hcl_edit::parser::parse_expr(text)
                .map_err(|error| format!("`{text}` is not a valid value: {error}"))?;
            let mut sources = Sources::default();
            let file = sources.add(PathBuf::from("<value>"), text.to_owned());
            eval::evaluate(&expr, file, empty, &eval::NoResources).map_err(|error| error.message)
        }
    }
}

/// Reads a type constraint.
pub fn constraint(expr: &Expression) -> Result<Constraint, String> {
    let invalid = || {
        "invalid type: use string, number, bool, any, list(T), set(T), map(T), tuple([...]) or object({...})"
            .to_owned()
    };
    match expr {
        Expression::Variable(name) => match name.as_str() {
            "string" => Ok(Constraint::String),
            "number" => Ok(Constraint::Number),
            "bool" => Ok(Constraint::Bool),
            "any" => Ok(Constraint::Any),
            _ => Err(invalid()),
        },
        Expression::FuncCall(call) => {
            let args: Vec<&Expression> = call.args.iter().collect();
            let one = || match args.as_slice() {
                [inner] => constraint(inner).map(Box::new),
                _ => Err(invalid()),
            };
            match call.name.name.as_str() {
                "list" => Ok(Constraint::List(one()?)),
                "set" => Ok(Constraint::Set(one()?)),
                "map" => Ok(Constraint::Map(one()?)),
                "tuple" => match args.as_slice() {
                    [Expression::Array(items)] => items
                        .iter()
                        .map(constraint)
                        .collect::<Result<_, _>>()
                        .map(Constraint::Tuple),
                    _ => Err(invalid()),
                },
                "object" => {
                    let [Expression::Object(object)] = args.as_slice() else {
                        return Err(invalid());
                    };
                    let mut attributes = BTreeMap::new();
                    for (key, value) in object.iter() {
                        let name = match key {
                            hcl_edit::expr::ObjectKey::Ident(ident) => ident.as_str().to_owned(),
                            hcl_edit::expr::ObjectKey::Expression(Expression::String(text)) => {
                                text.value().clone()
                            }
                            _ => return Err(invalid()),
                        };
                        attributes.insert(name, attribute_constraint(value.expr())?);
                    }
                    Ok(Constraint::Object(attributes))
                }
                "optional" => {
                    Err("`optional(...)` is allowed only as an object attribute's type".to_owned())
                }
                _ => Err(invalid()),
            }
        }
        _ => Err(invalid()),
    }
}

/// An object attribute's type: a type, or `optional(TYPE)` / `optional(TYPE, DEFAULT)`.
fn attribute_constraint(expr: &Expression) -> Result<(Constraint, Optional), String> {
    if let Expression::FuncCall(call) = expr
        && call.name.name.as_str() == "optional"
    {
        let args: Vec<&Expression> = call.args.iter().collect();
        let (inner, default) = match args.as_slice() {
            [inner] => (inner, None),
            [inner, default] => (inner, Some(default)),
            _ => return Err("write `optional(TYPE)` or `optional(TYPE, DEFAULT)`".to_owned()),
        };
        let inner = constraint(inner)?;
        let default = match default {
            Some(default) => {
                let mut sources = Sources::default();
                let file = sources.add(PathBuf::from("<default>"), String::new());
                let context = Context::new(Arc::from(Path::new(".")));
                let value = eval::evaluate(default, file, &context, &eval::NoResources)
                    .map_err(|error| error.message)?;
                Some(convert(value, &inner)?)
            }
            None => None,
        };
        return Ok((inner, Optional::Optional(default)));
    }
    Ok((constraint(expr)?, Optional::Required))
}
