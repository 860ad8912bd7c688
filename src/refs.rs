//! References in expressions, read from the syntax alone: which resources an expression names,
//! and which variables, local values and modules. Nothing is evaluated here; [`crate::eval`]
//! follows the names, and the loader checks `depends_on` and `replace_triggered_by` with them.

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, TraversalOperator};
use hcl_edit::template::{Element, Template};

use crate::addr::Address;
use crate::diag::{FileId, Span};
use crate::schema::Kind;

/// A reference to a resource found in an expression.
#[derive(Clone, Debug)]
pub struct Reference {
    pub address: Address,
    /// The attribute referenced, if any (`depends_on` names whole resources).
    pub attribute: Option<String>,
    /// The index written right after the resource's name, `[each.key]` in
    /// `aws_apigatewayv2_integration.route[each.key].id`: the one instance an instance of a
    /// repeated resource depends on, when it evaluates with that instance's `each` or `count`.
    pub index: Option<Expression>,
    pub span: Span,
}

/// Every resource reference in `expr`, in source order. Errors for references that are not
/// well-formed (`aws_apigatewayv2_api` alone, `var.x`) are reported by [`crate::eval::evaluate`].
pub fn references(expr: &Expression, file: FileId) -> Vec<Reference> {
    let mut found = Vec::new();
    collect_references(expr, file, &mut found, &mut Names::default());
    found
}

/// A `var.NAME`, `local.NAME` or `module.NAME` an expression uses, or a call of `sensitive`
/// (root `sensitive`, no name).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name {
    pub root: String,
    pub name: String,
    /// Inside `nonsensitive(...)`: what it reaches does not make the expression sensitive.
    pub declassified: bool,
}

/// `data.terraform_remote_state.NAME.outputs.OUTPUT` as `terraform_remote_state.NAME.OUTPUT`,
/// or `terraform_remote_state.NAME` when no one output is named.
fn remote_output(
    root: &Expression,
    operators: &[hcl_edit::Decorated<TraversalOperator>],
) -> Option<String> {
    let Expression::Variable(root) = root else {
        return None;
    };
    let names: Vec<&str> = operators
        .iter()
        .map_while(|operator| match operator.value() {
            TraversalOperator::GetAttr(name) => Some(name.as_str()),
            TraversalOperator::Index(Expression::String(key)) => Some(key.value().as_str()),
            _ => None,
        })
        .collect();
    match (root.as_str(), names.as_slice()) {
        ("data", ["terraform_remote_state", name, "outputs", output, ..]) => {
            Some(format!("terraform_remote_state.{name}.{output}"))
        }
        ("data", ["terraform_remote_state", name, ..]) => {
            Some(format!("terraform_remote_state.{name}"))
        }
        _ => None,
    }
}

/// The names found so far, and whether the walk is inside `nonsensitive(...)`.
#[derive(Default)]
pub struct Names {
    pub found: Vec<Name>,
    declassified: bool,
}

impl Names {
    fn push(&mut self, root: &str, name: &str) {
        self.found.push(Name {
            root: root.to_owned(),
            name: name.to_owned(),
            declassified: self.declassified,
        });
    }
}

/// Like [`references`], and also the `var.NAME`, `local.NAME` and `module.NAME` the expression
/// uses, and its calls of `sensitive`.
pub fn references_and_names(expr: &Expression, file: FileId) -> (Vec<Reference>, Vec<Name>) {
    let mut found = Vec::new();
    let mut named = Names::default();
    collect_references(expr, file, &mut found, &mut named);
    (found, named.found)
}

fn collect_references(
    expr: &Expression,
    file: FileId,
    found: &mut Vec<Reference>,
    named: &mut Names,
) {
    match expr {
        Expression::Traversal(traversal) => {
            if let (Expression::Variable(root), Some(first)) =
                (&traversal.expr, traversal.operators.first())
                && matches!(root.as_str(), "local" | "var" | "module")
                && let TraversalOperator::GetAttr(name) = first.value()
            {
                named.push(root.as_str(), name.as_str());
            }
            if let Some(name) = remote_output(&traversal.expr, &traversal.operators) {
                named.push("data", &name);
            }
            if let Some((address, rest)) = resource_reference(&traversal.expr, &traversal.operators)
            {
                let attribute = rest.first().and_then(|operator| match operator.value() {
                    TraversalOperator::GetAttr(name) => Some(name.as_str().to_owned()),
                    _ => None,
                });
                let index = rest.first().and_then(|operator| match operator.value() {
                    TraversalOperator::Index(index) => Some(index.clone()),
                    _ => None,
                });
                found.push(Reference {
                    address,
                    attribute,
                    index,
                    span: Span::new(file, traversal.span()),
                });
            }
            // `values(aws_apigatewayv2_integration.this)[0].id`: what the root reads.
            if !matches!(traversal.expr, Expression::Variable(_)) {
                collect_references(&traversal.expr, file, found, named);
            }
            for operator in &traversal.operators {
                if let TraversalOperator::Index(index) = operator.value() {
                    collect_references(index, file, found, named);
                }
            }
        }
        Expression::Array(array) => array
            .iter()
            .for_each(|item| collect_references(item, file, found, named)),
        Expression::Object(object) => {
            for (key, value) in object.iter() {
                if let hcl_edit::expr::ObjectKey::Expression(key) = key {
                    collect_references(key, file, found, named);
                }
                collect_references(value.expr(), file, found, named);
            }
        }
        Expression::StringTemplate(template) => template_references(template, file, found, named),
        Expression::HeredocTemplate(heredoc) => {
            template_references(&heredoc.template, file, found, named)
        }
        Expression::Parenthesis(inner) => collect_references(inner.inner(), file, found, named),
        Expression::UnaryOp(operation) => collect_references(&operation.expr, file, found, named),
        Expression::BinaryOp(operation) => {
            collect_references(&operation.lhs_expr, file, found, named);
            collect_references(&operation.rhs_expr, file, found, named);
        }
        Expression::Conditional(conditional) => {
            collect_references(&conditional.cond_expr, file, found, named);
            collect_references(&conditional.true_expr, file, found, named);
            collect_references(&conditional.false_expr, file, found, named);
        }
        Expression::FuncCall(call) => {
            let function = call.name.name.as_str();
            if function == "sensitive" {
                named.push("sensitive", "");
            }
            let outside = named.declassified;
            named.declassified |= function == "nonsensitive";
            call.args
                .iter()
                .for_each(|arg| collect_references(arg, file, found, named));
            named.declassified = outside;
        }
        Expression::ForExpr(for_expr) => {
            collect_references(&for_expr.intro.collection_expr, file, found, named);
            let inside = found.len();
            if let Some(key) = &for_expr.key_expr {
                collect_references(key, file, found, named);
            }
            collect_references(&for_expr.value_expr, file, found, named);
            if let Some(cond) = &for_expr.cond {
                collect_references(&cond.expr, file, found, named);
            }
            unbind_indexes(&mut found[inside..]);
        }
        Expression::Null(_)
        | Expression::Bool(_)
        | Expression::Number(_)
        | Expression::String(_)
        | Expression::Variable(_) => {}
    }
}

fn template_references(
    template: &Template,
    file: FileId,
    found: &mut Vec<Reference>,
    named: &mut Names,
) {
    for element in template.iter() {
        if let Element::Interpolation(interpolation) = element {
            collect_references(&interpolation.expr, file, found, named);
        }
        if let Element::Directive(directive) = element {
            use hcl_edit::template::Directive;
            match directive.as_ref() {
                Directive::If(d) => {
                    collect_references(&d.if_expr.cond_expr, file, found, named);
                    template_references(&d.if_expr.template, file, found, named);
                    if let Some(else_expr) = &d.else_expr {
                        template_references(&else_expr.template, file, found, named);
                    }
                }
                Directive::For(d) => {
                    collect_references(&d.for_expr.collection_expr, file, found, named);
                    let inside = found.len();
                    template_references(&d.for_expr.template, file, found, named);
                    unbind_indexes(&mut found[inside..]);
                }
            }
        }
    }
}

/// Forgets the indexes of references inside a `for`, whose variables (which may be called
/// `each` or `count`) are not the instance's.
fn unbind_indexes(references: &mut [Reference]) {
    for reference in references {
        reference.index = None;
    }
}

/// `aws_apigatewayv2_api.example...`: the resource's address and the operators after its name.
pub fn resource_reference<'a>(
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
