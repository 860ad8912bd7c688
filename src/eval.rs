//! Expression evaluation with unknown values.
//!
//! An expression is evaluated against a [`Scope`] that knows the value of every resource it may
//! reference. The loader's scope answers with all-unknown objects (to check references and types);
//! the planner's with planned values; apply's with the values AWS returned. Anything computed from an
//! unknown value is unknown.

use std::collections::BTreeMap;

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, TraversalOperator, UnaryOperator};
use hcl_edit::template::{Element, Template};

use crate::addr::Address;
use crate::diag::{Diagnostic, FileId, Span};
use crate::schema::{self, Kind};
use crate::value::{Value, format_number};

/// The values an expression can reach.
pub trait Scope {
    /// The value of a declared resource as an object of its attributes, or `None` when no such
    /// resource is declared.
    fn resource(&self, address: &Address) -> Option<Value>;

    /// The declared resources, for "did you mean" hints.
    fn addresses(&self) -> Vec<&Address>;
}

/// Resources' values by address: what planning, apply and review evaluate against.
impl Scope for std::collections::BTreeMap<Address, crate::value::Object> {
    fn resource(&self, address: &Address) -> Option<Value> {
        self.get(address).cloned().map(Value::Map)
    }

    fn addresses(&self) -> Vec<&Address> {
        self.keys().collect()
    }
}

/// A reference to a resource found in an expression.
#[derive(Clone, Debug)]
pub struct Reference {
    pub address: Address,
    /// The attribute referenced, if any (`depends_on` names whole resources).
    pub attribute: Option<String>,
    pub span: Span,
}

pub fn evaluate(expr: &Expression, file: FileId, scope: &dyn Scope) -> Result<Value, Diagnostic> {
    Evaluator { file, scope }.expr(expr)
}

/// Every resource reference in `expr`, in source order. Errors for references that are not
/// well-formed (`aws_apigatewayv2_api` alone, `var.x`) are reported by [`evaluate`].
pub fn references(expr: &Expression, file: FileId) -> Vec<Reference> {
    let mut found = Vec::new();
    collect_references(expr, file, &mut found);
    found
}

fn collect_references(expr: &Expression, file: FileId, found: &mut Vec<Reference>) {
    match expr {
        Expression::Traversal(traversal) => {
            if let Some((address, rest)) = resource_reference(&traversal.expr, &traversal.operators)
            {
                let attribute = rest.first().and_then(|operator| match operator.value() {
                    TraversalOperator::GetAttr(name) => Some(name.as_str().to_owned()),
                    _ => None,
                });
                found.push(Reference {
                    address,
                    attribute,
                    span: crate::config::span(file, traversal.span()),
                });
            }
            for operator in &traversal.operators {
                if let TraversalOperator::Index(index) = operator.value() {
                    collect_references(index, file, found);
                }
            }
        }
        Expression::Array(array) => array
            .iter()
            .for_each(|item| collect_references(item, file, found)),
        Expression::Object(object) => {
            for (key, value) in object.iter() {
                if let hcl_edit::expr::ObjectKey::Expression(key) = key {
                    collect_references(key, file, found);
                }
                collect_references(value.expr(), file, found);
            }
        }
        Expression::StringTemplate(template) => template_references(template, file, found),
        Expression::HeredocTemplate(heredoc) => template_references(&heredoc.template, file, found),
        Expression::Parenthesis(inner) => collect_references(inner.inner(), file, found),
        Expression::UnaryOp(operation) => collect_references(&operation.expr, file, found),
        Expression::BinaryOp(operation) => {
            collect_references(&operation.lhs_expr, file, found);
            collect_references(&operation.rhs_expr, file, found);
        }
        Expression::Conditional(conditional) => {
            collect_references(&conditional.cond_expr, file, found);
            collect_references(&conditional.true_expr, file, found);
            collect_references(&conditional.false_expr, file, found);
        }
        Expression::FuncCall(call) => call
            .args
            .iter()
            .for_each(|arg| collect_references(arg, file, found)),
        Expression::ForExpr(for_expr) => {
            collect_references(&for_expr.intro.collection_expr, file, found);
            if let Some(key) = &for_expr.key_expr {
                collect_references(key, file, found);
            }
            collect_references(&for_expr.value_expr, file, found);
        }
        Expression::Null(_)
        | Expression::Bool(_)
        | Expression::Number(_)
        | Expression::String(_)
        | Expression::Variable(_) => {}
    }
}

fn template_references(template: &Template, file: FileId, found: &mut Vec<Reference>) {
    for element in template.iter() {
        if let Element::Interpolation(interpolation) = element {
            collect_references(&interpolation.expr, file, found);
        }
    }
}

/// `aws_apigatewayv2_api.example...`: the resource's address and the operators after its name.
fn resource_reference<'a>(
    root: &Expression,
    operators: &'a [hcl_edit::Decorated<TraversalOperator>],
) -> Option<(Address, &'a [hcl_edit::Decorated<TraversalOperator>])> {
    let Expression::Variable(variable) = root else {
        return None;
    };
    let kind: Kind = variable.as_str().parse().ok()?;
    let (first, rest) = operators.split_first()?;
    match first.value() {
        TraversalOperator::GetAttr(name) => Some((Address::root(kind, name.as_str()), rest)),
        _ => None,
    }
}

struct Evaluator<'a> {
    file: FileId,
    scope: &'a dyn Scope,
}

impl Evaluator<'_> {
    fn span(&self, expr: &impl hcl_edit::Span) -> Span {
        crate::config::span(self.file, expr.span())
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
            Expression::StringTemplate(template) => self.template(template),
            Expression::HeredocTemplate(heredoc) => self.template(&heredoc.template),
            Expression::Parenthesis(inner) => self.expr(inner.inner()),
            Expression::Traversal(traversal) => {
                self.traversal(expr, &traversal.expr, &traversal.operators)
            }
            Expression::Variable(variable) => Err(self.unknown_root(variable.as_str(), expr)),
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
            Expression::Conditional(_) => Err(self.not_yet("conditional expressions", expr)),
            Expression::FuncCall(_) => Err(self.not_yet("function calls", expr)),
            Expression::BinaryOp(_) => Err(self.not_yet("operators", expr)),
            Expression::ForExpr(_) => Err(self.not_yet("`for` expressions", expr)),
        }
    }

    fn not_yet(&self, what: &str, expr: &Expression) -> Diagnostic {
        Diagnostic::error(format!("{what} are not supported yet"))
            .at(self.span(expr))
            .hint("gateform evaluates literals, lists, maps, string templates and references to resources")
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
        if matches!(
            name,
            "var" | "local" | "module" | "data" | "each" | "count" | "path" | "self"
        ) {
            return Diagnostic::error(format!("`{name}.` references are not supported yet"))
                .at(span)
                .hint("gateform reads references to resources, such as `aws_apigatewayv2_api.example.id`");
        }
        let diagnostic = Diagnostic::error(format!("unknown name `{name}`")).at(span);
        match schema::closest(name, Kind::ALL.map(Kind::as_str)) {
            Some(close) => diagnostic.hint(format!("did you mean `{close}`?")),
            None => diagnostic.hint("references look like `aws_apigatewayv2_api.NAME.ATTRIBUTE`"),
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
        let mut out = String::new();
        let mut unknown = false;
        for element in template.iter() {
            match element {
                Element::Literal(text) => out.push_str(text.value()),
                Element::Interpolation(interpolation) => match self.expr(&interpolation.expr)? {
                    Value::Unknown => unknown = true,
                    Value::String(text) => out.push_str(&text),
                    Value::Number(number) => out.push_str(&format_number(number)),
                    Value::Bool(flag) => out.push_str(&flag.to_string()),
                    other => {
                        return Err(Diagnostic::error(format!(
                            "cannot include {} in a string template",
                            other.type_name()
                        ))
                        .at(self.span(&interpolation.expr))
                        .hint("only strings, numbers and bools can be interpolated"));
                    }
                },
                Element::Directive(directive) => {
                    return Err(
                        Diagnostic::error("template directives are not supported yet")
                            .at(crate::config::span(self.file, directive.span())),
                    );
                }
            }
        }
        Ok(if unknown {
            Value::Unknown
        } else {
            Value::String(out)
        })
    }

    fn traversal(
        &self,
        whole: &Expression,
        root: &Expression,
        operators: &[hcl_edit::Decorated<TraversalOperator>],
    ) -> Result<Value, Diagnostic> {
        let (mut value, rest) = match resource_reference(root, operators) {
            Some((address, rest)) => match self.scope.resource(&address) {
                Some(value) => (value, rest),
                None => return Err(self.undeclared(&address, whole)),
            },
            None => match root {
                Expression::Variable(variable) => {
                    return Err(self.unknown_root(variable.as_str(), whole));
                }
                other => (self.expr(other)?, operators),
            },
        };
        for operator in rest {
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
                (TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_), _) => {
                    return Err(self.not_yet("splat expressions", whole));
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
