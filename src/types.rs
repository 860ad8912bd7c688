//! Terraform's types and its conversions between them: type constraints such as
//! `list(string)` or `object({ port = optional(number, 80) })`, and the conversion of a value to
//! one, which is how Terraform turns `"30"` into a number or `true` into `"true"`. Every
//! conversion gateform makes (variables, module inputs, resource arguments) goes through
//! [`convert`].

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
        (Constraint::Number, Value::String(text)) => parse_number(&text)
            .map(Value::Number)
            .ok_or_else(|| format!("a number is required, got \"{text}\"")),
        (Constraint::Bool, Value::Bool(flag)) => Ok(Value::Bool(flag)),
        (Constraint::Bool, Value::String(text)) => parse_bool(&text)
            .map(Value::Bool)
            .ok_or_else(|| format!("a bool is required, got \"{text}\"")),
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

/// A string as a number, as Terraform reads one: a decimal representation such as `30`, `-1.5`,
/// `+5`, `.5` or `1e3`, or `inf`, and nothing else: no spaces around it, no `nan`, no
/// `infinity`, no `0x10`.
pub fn parse_number(text: &str) -> Option<f64> {
    let unsigned = text.trim_start_matches(['+', '-']);
    let decimal = unsigned.len() + 1 >= text.len()
        && (unsigned.eq_ignore_ascii_case("inf")
            || unsigned
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-')));
    decimal.then(|| text.parse().ok()).flatten()
}

/// A string as a bool, as Terraform reads one: `true` or `false`, `1` or `0`.
pub fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What Terraform answered for each input (tests/oracle/conversions.sh regenerates it).
    const ORACLE: &str = include_str!("../tests/oracle/conversions.golden");

    #[test]
    fn strings_convert_to_numbers_and_bools_as_in_terraform() {
        for line in ORACLE.lines() {
            let [function, input, answer] = line.splitn(3, '\t').collect::<Vec<_>>()[..] else {
                panic!("malformed oracle line `{line}`");
            };
            let (constraint, expected) = match function {
                "tonumber" => (
                    Constraint::Number,
                    answer.replace("Inf", "inf").parse().ok().map(Value::Number),
                ),
                _ => (Constraint::Bool, answer.parse().ok().map(Value::Bool)),
            };
            let converted = convert(Value::String(input.to_owned()), &constraint).ok();
            assert_eq!(converted, expected, "{function}({input:?})");
        }
    }
}
