//! Terraform's type constraints, such as `list(string)` or
//! `object({ port = optional(number, 80) })`, and the conversion of a value to one.

use std::collections::BTreeMap;

use crate::value::{Value, format_number};

/// A type constraint: `string`, `list(string)`, `object({ name = string, port = optional(number, 80) })`...
#[derive(Clone, Debug, PartialEq)]
pub enum Constraint {
    Any,
    String,
    Number,
    Bool,
    List(Box<Constraint>),
    Set(Box<Constraint>),
    Map(Box<Constraint>),
    Tuple(Vec<Constraint>),
    /// Attributes by name, each with its type and, for `optional(...)`, its default.
    Object(BTreeMap<String, (Constraint, Optional)>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Optional {
    Required,
    /// `optional(TYPE)` or `optional(TYPE, DEFAULT)`.
    Optional(Option<Value>),
}

/// Converts `value` to `constraint` the way Terraform does: numbers and bools to strings and
/// back, lists to sets, missing optional attributes to their defaults.
pub fn convert(value: Value, constraint: &Constraint) -> Result<Value, String> {
    let type_name = value.type_name();
    let mismatch = || format!("{} required, got {type_name}", constraint.describe());
    match (constraint, value) {
        (_, value @ (Value::Null | Value::Unknown)) => Ok(value),
        (Constraint::Any, value) => Ok(value),
        (Constraint::String, Value::String(text)) => Ok(Value::String(text)),
        (Constraint::String, Value::Number(number)) => Ok(Value::String(format_number(number))),
        (Constraint::String, Value::Bool(flag)) => Ok(Value::String(flag.to_string())),
        (Constraint::Number, Value::Number(number)) => Ok(Value::Number(number)),
        (Constraint::Number, Value::String(text)) => text
            .trim()
            .parse()
            .map(Value::Number)
            .map_err(|_| format!("a number is required, got \"{text}\"")),
        (Constraint::Bool, Value::Bool(flag)) => Ok(Value::Bool(flag)),
        (Constraint::Bool, Value::String(text)) if text == "true" || text == "false" => {
            Ok(Value::Bool(text == "true"))
        }
        (Constraint::List(inner) | Constraint::Set(inner), Value::List(items)) => {
            let mut items = items
                .into_iter()
                .enumerate()
                .map(|(index, item)| {
                    convert(item, inner).map_err(|error| format!("element {index}: {error}"))
                })
                .collect::<Result<Vec<_>, _>>()?;
            if let Constraint::Set(_) = constraint {
                items.sort_by_key(|item| format!("{item:?}"));
                items.dedup();
            }
            Ok(Value::List(items))
        }
        (Constraint::Map(inner), Value::Map(entries)) => entries
            .into_iter()
            .map(|(key, value)| {
                let value =
                    convert(value, inner).map_err(|error| format!("element \"{key}\": {error}"))?;
                Ok((key, value))
            })
            .collect::<Result<_, String>>()
            .map(Value::Map),
        (Constraint::Tuple(types), Value::List(items)) if types.len() == items.len() => items
            .into_iter()
            .zip(types)
            .map(|(item, ty)| convert(item, ty))
            .collect::<Result<_, _>>()
            .map(Value::List),
        (Constraint::Object(attributes), Value::Map(mut entries)) => {
            let mut object = BTreeMap::new();
            for (name, (ty, optional)) in attributes {
                let value = match (entries.remove(name), optional) {
                    (Some(value), _) if !value.is_null() => convert(value, ty)
                        .map_err(|error| format!("attribute \"{name}\": {error}"))?,
                    (_, Optional::Optional(Some(default))) => default.clone(),
                    (value, Optional::Optional(None)) => value.unwrap_or(Value::Null),
                    (Some(value), Optional::Required) => value,
                    (None, Optional::Required) => {
                        return Err(format!("attribute \"{name}\" is required"));
                    }
                };
                object.insert(name.clone(), value);
            }
            Ok(Value::Map(object))
        }
        _ => Err(mismatch()),
    }
}

impl Constraint {
    /// The constraint as it is written.
    pub fn describe(&self) -> String {
        match self {
            Constraint::Any => "any".to_owned(),
            Constraint::String => "string".to_owned(),
            Constraint::Number => "number".to_owned(),
            Constraint::Bool => "bool".to_owned(),
            Constraint::List(inner) => format!("list({})", inner.describe()),
            Constraint::Set(inner) => format!("set({})", inner.describe()),
            Constraint::Map(inner) => format!("map({})", inner.describe()),
            Constraint::Tuple(types) => format!(
                "tuple([{}])",
                types
                    .iter()
                    .map(Constraint::describe)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Constraint::Object(_) => "object".to_owned(),
        }
    }
}
