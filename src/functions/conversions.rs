//! Terraform's type conversion functions.

use super::*;

pub const NAMES: &[&str] = &[
    "ephemeralasnull",
    "tobool",
    "tolist",
    "tomap",
    "tonumber",
    "toset",
    "tostring",
];

pub fn call(a: &Args<'_>, _directory: &Path) -> Result<Value, String> {
    let Args { name, values: args } = *a;
    match name {
        "tostring" => {
            a.count(1)?;
            match &args[0] {
                Value::Null => Ok(Value::Null),
                other => string(to_string(name, other)?),
            }
        }
        "tonumber" => {
            a.count(1)?;
            match &args[0] {
                Value::Null => Ok(Value::Null),
                Value::Number(number) => numeric(*number),
                Value::String(text) => text
                    .trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|number| number.is_finite())
                    .map(Value::Number)
                    .ok_or_else(|| format!("cannot convert \"{text}\" to a number")),
                other => Err(format!("cannot convert {} to a number", other.type_name())),
            }
        }
        "tobool" => {
            a.count(1)?;
            match &args[0] {
                Value::Null => Ok(Value::Null),
                Value::Bool(flag) => Ok(Value::Bool(*flag)),
                Value::String(text) if text == "true" => flag(true),
                Value::String(text) if text == "false" => flag(false),
                Value::String(text) => Err(format!(
                    "cannot convert \"{text}\" to a bool: only \"true\" and \"false\" can be"
                )),
                other => Err(format!("cannot convert {} to a bool", other.type_name())),
            }
        }
        "tolist" => {
            a.count(1)?;
            Ok(Value::List(unify(a.list(0)?)))
        }
        "toset" => {
            a.count(1)?;
            Ok(Value::List(set(a.list(0)?)))
        }
        "tomap" => {
            a.count(1)?;
            let entries = a.map(0)?;
            let (keys, values): (Vec<String>, Vec<Value>) = entries.into_iter().unzip();
            Ok(Value::Map(keys.into_iter().zip(unify(values)).collect()))
        }
        // gateform has no ephemeral values: every value is kept as it is.
        "ephemeralasnull" => {
            a.count(1)?;
            Ok(args[0].clone())
        }
        _ => Err(no_such(name)),
    }
}
