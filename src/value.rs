//! Values of attributes as gateform sees them: HCL's data model plus "not known until apply".

use std::collections::BTreeMap;

/// A resource's attributes by name. Every attribute of its schema is present; `Null` means unset.
pub type Object = BTreeMap<String, Value>;

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    List(Vec<Value>),
    Map(BTreeMap<String, Value>),
    /// Known only after apply: a computed attribute of a resource not yet created, or anything made from one.
    Unknown,
}

impl Value {
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Null, or an empty string, list or map.
    pub fn is_blank(&self) -> bool {
        match self {
            Value::Null => true,
            Value::String(text) => text.is_empty(),
            Value::List(items) => items.is_empty(),
            Value::Map(entries) => entries.is_empty(),
            Value::Bool(_) | Value::Number(_) | Value::Unknown => false,
        }
    }

    /// Whether the value, or anything inside it, is unknown.
    pub fn has_unknown(&self) -> bool {
        match self {
            Value::Unknown => true,
            Value::List(items) => items.iter().any(Value::has_unknown),
            Value::Map(entries) => entries.values().any(Value::has_unknown),
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => false,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(text) => Some(text),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(flag) => Some(*flag),
            _ => None,
        }
    }

    /// The name of the value's type, as HCL error messages call it.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::List(_) => "tuple",
            Value::Map(_) => "object",
            Value::Unknown => "unknown",
        }
    }

    /// The JSON form stored in the state file. `None` when the value is not fully known, which the
    /// state never holds.
    pub fn to_json(&self) -> Option<serde_json::Value> {
        Some(match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(flag) => serde_json::Value::Bool(*flag),
            Value::Number(number) => number_to_json(*number)?,
            Value::String(text) => serde_json::Value::String(text.clone()),
            Value::List(items) => {
                serde_json::Value::Array(items.iter().map(Value::to_json).collect::<Option<_>>()?)
            }
            Value::Map(entries) => serde_json::Value::Object(
                entries
                    .iter()
                    .map(|(key, value)| Some((key.clone(), value.to_json()?)))
                    .collect::<Option<_>>()?,
            ),
            Value::Unknown => return None,
        })
    }

    pub fn from_json(json: &serde_json::Value) -> Value {
        match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(flag) => Value::Bool(*flag),
            serde_json::Value::Number(number) => Value::Number(number.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::String(text) => Value::String(text.clone()),
            serde_json::Value::Array(items) => {
                Value::List(items.iter().map(Value::from_json).collect())
            }
            serde_json::Value::Object(entries) => Value::Map(
                entries
                    .iter()
                    .map(|(key, value)| (key.clone(), Value::from_json(value)))
                    .collect(),
            ),
        }
    }
}

/// Integral numbers are stored and shown without a fraction, as Terraform does.
fn number_to_json(number: f64) -> Option<serde_json::Value> {
    if number.fract() == 0.0 && number.abs() < 9.007_199_254_740_992e15 {
        Some(serde_json::Value::from(number as i64))
    } else {
        serde_json::Number::from_f64(number).map(serde_json::Value::Number)
    }
}

/// Formats a number the way HCL prints it: `300`, not `300.0`.
pub fn format_number(number: f64) -> String {
    number_to_json(number).map_or_else(|| number.to_string(), |json| json.to_string())
}

/// The elements of a nested block, such as `cors_configuration`: the objects of its list.
pub fn block_elements<'a>(object: &'a Object, name: &str) -> Vec<&'a Object> {
    match object.get(name) {
        Some(Value::List(items)) => items
            .iter()
            .filter_map(|item| match item {
                Value::Map(entries) => Some(entries),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

pub fn object_to_json(object: &Object) -> Option<serde_json::Value> {
    Value::Map(object.clone()).to_json()
}

pub fn object_from_json(json: &serde_json::Value) -> Option<Object> {
    match Value::from_json(json) {
        Value::Map(entries) => Some(entries),
        _ => None,
    }
}
