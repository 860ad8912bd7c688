//! Terraform's built-in functions that API Gateway configurations use, each behaving as
//! Terraform documents it. `try`, `can` and `templatefile` evaluate expressions, so the evaluator
//! handles them; everything here takes values and returns a value.
//!
//! A call with an unknown argument returns unknown, except `length`, which knows how many
//! elements a collection has even when the elements are not known.

use std::collections::BTreeMap;
use std::path::Path;

use base64::Engine as _;
use sha2::Digest as _;

use crate::value::{Value, format_number};

/// Every function gateform knows, for "did you mean" hints.
pub const NAMES: &[&str] = &[
    "abs",
    "base64decode",
    "base64encode",
    "can",
    "ceil",
    "coalesce",
    "coalescelist",
    "compact",
    "concat",
    "contains",
    "distinct",
    "element",
    "endswith",
    "file",
    "fileexists",
    "flatten",
    "floor",
    "format",
    "formatlist",
    "index",
    "join",
    "jsondecode",
    "jsonencode",
    "keys",
    "length",
    "lookup",
    "lower",
    "max",
    "md5",
    "merge",
    "min",
    "one",
    "parseint",
    "range",
    "regex",
    "regexall",
    "replace",
    "reverse",
    "setproduct",
    "sha1",
    "sha256",
    "slice",
    "sort",
    "split",
    "startswith",
    "strrev",
    "substr",
    "templatefile",
    "title",
    "tobool",
    "tolist",
    "tomap",
    "tonumber",
    "toset",
    "tostring",
    "trim",
    "trimprefix",
    "trimspace",
    "trimsuffix",
    "try",
    "upper",
    "values",
    "yamldecode",
    "yamlencode",
    "zipmap",
];

/// The most combinations `setproduct` makes: as many as Terraform makes of two lists of 1024
/// (`range`'s most); one more list of them exhausts memory.
const MAX_PRODUCT: usize = 1 << 20;

/// Calls `name` with `args`. `directory` is the root module's directory, which `file` and
/// `fileexists` paths are relative to. The error is the message to show at the call.
pub fn call(name: &str, args: &[Value], directory: &Path) -> Result<Value, String> {
    let unknown = args.iter().any(Value::has_unknown);
    if unknown && name != "length" {
        return Ok(Value::Unknown);
    }
    let text = |index: usize| string_arg(name, args, index);
    let number = |index: usize| number_arg(name, args, index);
    let list = |index: usize| list_arg(name, args, index);
    let map = |index: usize| map_arg(name, args, index);
    let count = |expected: usize| arity(name, args, expected);
    let string = |text: String| Ok(Value::String(text));
    let flag = |flag: bool| Ok(Value::Bool(flag));
    let numeric = |number: f64| Ok(Value::Number(number));
    match name {
        // Collections.
        "length" => {
            count(1)?;
            match &args[0] {
                Value::List(items) => numeric(items.len() as f64),
                Value::Map(entries) => numeric(entries.len() as f64),
                Value::String(text) => numeric(text.chars().count() as f64),
                Value::Unknown => Ok(Value::Unknown),
                other => Err(format!(
                    "`length` needs a string, list or map, not {}",
                    other.type_name()
                )),
            }
        }
        "lookup" => {
            if !(2..=3).contains(&args.len()) {
                return Err(
                    "`lookup` takes a map, a key and, optionally, a default value".to_owned(),
                );
            }
            let entries = map(0)?;
            let key = text(1)?;
            match (entries.get(&key), args.get(2)) {
                (Some(value), _) => Ok(value.clone()),
                (None, Some(default)) => Ok(default.clone()),
                (None, None) => Err(format!(
                    "the map has no element `{key}`, and no default value was given"
                )),
            }
        }
        "merge" => {
            let mut merged = BTreeMap::new();
            for (index, arg) in args.iter().enumerate() {
                match arg {
                    Value::Null => {}
                    Value::Map(entries) => merged.extend(entries.clone()),
                    other => {
                        return Err(format!(
                            "`merge` takes maps or objects; argument {} is {}",
                            index + 1,
                            other.type_name()
                        ));
                    }
                }
            }
            Ok(Value::Map(merged))
        }
        "concat" => {
            let mut joined = Vec::new();
            for index in 0..args.len() {
                joined.extend(list(index)?);
            }
            Ok(Value::List(joined))
        }
        "coalesce" => args
            .iter()
            .find(|value| !matches!(value, Value::Null) && value.as_str() != Some(""))
            .cloned()
            .ok_or_else(|| "no non-null, non-empty-string arguments".to_owned()),
        "coalescelist" => {
            for index in 0..args.len() {
                let items = list(index)?;
                if !items.is_empty() {
                    return Ok(Value::List(items));
                }
            }
            Err("no non-empty list arguments".to_owned())
        }
        "contains" => {
            count(2)?;
            flag(list(0)?.contains(&args[1]))
        }
        "keys" => {
            count(1)?;
            Ok(Value::List(
                map(0)?.into_keys().map(Value::String).collect(),
            ))
        }
        "values" => {
            count(1)?;
            Ok(Value::List(map(0)?.into_values().collect()))
        }
        "element" => {
            count(2)?;
            let items = list(0)?;
            let index = whole(name, number(1)?)?;
            if items.is_empty() {
                return Err("cannot use element function with an empty list".to_owned());
            }
            if index < 0 {
                return Err("cannot use element function with a negative index".to_owned());
            }
            Ok(items[index as usize % items.len()].clone())
        }
        "index" => {
            count(2)?;
            list(0)?
                .iter()
                .position(|item| item == &args[1])
                .map(|position| Value::Number(position as f64))
                .ok_or_else(|| "item not found".to_owned())
        }
        "distinct" => {
            count(1)?;
            let mut seen = Vec::new();
            for item in list(0)? {
                if !seen.contains(&item) {
                    seen.push(item);
                }
            }
            Ok(Value::List(seen))
        }
        "flatten" => {
            count(1)?;
            fn flatten(items: Vec<Value>, out: &mut Vec<Value>) {
                for item in items {
                    match item {
                        Value::List(inner) => flatten(inner, out),
                        other => out.push(other),
                    }
                }
            }
            let mut out = Vec::new();
            flatten(list(0)?, &mut out);
            Ok(Value::List(out))
        }
        "setproduct" => {
            if args.len() < 2 {
                return Err("`setproduct` needs at least two lists or sets".to_owned());
            }
            // Counted before it is made: a product too large to hold is an error, not an abort.
            let mut size: usize = 1;
            for index in 0..args.len() {
                size = size.saturating_mul(list(index)?.len());
            }
            if size > MAX_PRODUCT {
                return Err(format!(
                    "it would make {size} combinations, more than the {MAX_PRODUCT} gateform makes; use fewer or shorter lists"
                ));
            }
            let mut product: Vec<Vec<Value>> = vec![Vec::new()];
            for index in 0..args.len() {
                let items = list(index)?;
                product = product
                    .into_iter()
                    .flat_map(|prefix| {
                        items.iter().map(move |item| {
                            let mut combination = prefix.clone();
                            combination.push(item.clone());
                            combination
                        })
                    })
                    .collect();
            }
            Ok(Value::List(product.into_iter().map(Value::List).collect()))
        }
        "zipmap" => {
            count(2)?;
            let (keys, values) = (list(0)?, list(1)?);
            if keys.len() != values.len() {
                return Err(format!(
                    "the number of keys ({}) and values ({}) must be the same",
                    keys.len(),
                    values.len()
                ));
            }
            let mut zipped = BTreeMap::new();
            for (key, value) in keys.into_iter().zip(values) {
                zipped.insert(to_string(name, &key)?, value);
            }
            Ok(Value::Map(zipped))
        }
        "range" => {
            let (start, limit, step) = match args.len() {
                1 => (0.0, number(0)?, 1.0),
                2 => {
                    let (start, limit) = (number(0)?, number(1)?);
                    (start, limit, if limit < start { -1.0 } else { 1.0 })
                }
                3 => (number(0)?, number(1)?, number(2)?),
                _ => return Err("`range` takes one, two or three numbers".to_owned()),
            };
            if step == 0.0 {
                return Err("step must not be zero".to_owned());
            }
            if (limit > start && step < 0.0) || (limit < start && step > 0.0) {
                return Err(
                    "step must be positive when start is less than limit, and negative when start is greater"
                        .to_owned(),
                );
            }
            let mut items = Vec::new();
            let mut next = start;
            while (step > 0.0 && next < limit) || (step < 0.0 && next > limit) {
                if items.len() >= 1024 {
                    return Err("more than 1024 values were generated; either decrease the difference between start and end or use a smaller step".to_owned());
                }
                items.push(Value::Number(next));
                next += step;
            }
            Ok(Value::List(items))
        }
        "slice" => {
            count(3)?;
            let items = list(0)?;
            let (start, end) = (whole(name, number(1)?)?, whole(name, number(2)?)?);
            if start < 0 || end < start || end as usize > items.len() {
                return Err(format!(
                    "the indices {start} and {end} are outside a list of {} elements",
                    items.len()
                ));
            }
            Ok(Value::List(items[start as usize..end as usize].to_vec()))
        }
        "sort" => {
            count(1)?;
            let mut texts = list(0)?
                .iter()
                .map(|item| to_string(name, item))
                .collect::<Result<Vec<_>, _>>()?;
            texts.sort();
            Ok(Value::List(texts.into_iter().map(Value::String).collect()))
        }
        "reverse" => {
            count(1)?;
            let mut items = list(0)?;
            items.reverse();
            Ok(Value::List(items))
        }
        "compact" => {
            count(1)?;
            Ok(Value::List(
                list(0)?
                    .into_iter()
                    .filter(|item| !matches!(item, Value::Null) && item.as_str() != Some(""))
                    .collect(),
            ))
        }
        "one" => {
            count(1)?;
            match &args[0] {
                Value::Null => Ok(Value::Null),
                Value::List(items) if items.len() <= 1 => {
                    Ok(items.first().cloned().unwrap_or(Value::Null))
                }
                Value::List(_) => Err(
                    "must be a list, set, or tuple value with either zero or one elements"
                        .to_owned(),
                ),
                other => Err(format!(
                    "`one` needs a list, set or tuple, not {}",
                    other.type_name()
                )),
            }
        }
        // Strings.
        "lower" => {
            count(1)?;
            string(text(0)?.to_lowercase())
        }
        "upper" => {
            count(1)?;
            string(text(0)?.to_uppercase())
        }
        "title" => {
            count(1)?;
            let mut titled = String::new();
            let mut start_of_word = true;
            for c in text(0)?.chars() {
                if start_of_word && c.is_alphabetic() {
                    titled.extend(c.to_uppercase());
                } else {
                    titled.push(c);
                }
                start_of_word = !c.is_alphanumeric();
            }
            string(titled)
        }
        "format" => {
            let Some((spec, rest)) = args.split_first() else {
                return Err("`format` needs a format string".to_owned());
            };
            string(format(&to_string(name, spec)?, rest)?)
        }
        "formatlist" => {
            let Some((spec, rest)) = args.split_first() else {
                return Err("`formatlist` needs a format string".to_owned());
            };
            let spec = to_string(name, spec)?;
            let lengths: Vec<usize> = rest
                .iter()
                .filter_map(|arg| match arg {
                    Value::List(items) => Some(items.len()),
                    _ => None,
                })
                .collect();
            let Some(&length) = lengths.first() else {
                return Ok(Value::List(vec![Value::String(format(&spec, rest)?)]));
            };
            if lengths.iter().any(|other| *other != length) {
                return Err(
                    "all the lists given to `formatlist` must have the same length".to_owned(),
                );
            }
            (0..length)
                .map(|row| {
                    let row_args: Vec<Value> = rest
                        .iter()
                        .map(|arg| match arg {
                            Value::List(items) => items[row].clone(),
                            other => other.clone(),
                        })
                        .collect();
                    format(&spec, &row_args).map(Value::String)
                })
                .collect::<Result<_, _>>()
                .map(Value::List)
        }
        "join" => {
            if args.len() < 2 {
                return Err("`join` takes a separator and at least one list".to_owned());
            }
            let separator = text(0)?;
            let mut parts = Vec::new();
            for index in 1..args.len() {
                for item in list(index)? {
                    parts.push(to_string(name, &item)?);
                }
            }
            string(parts.join(&separator))
        }
        "split" => {
            count(2)?;
            let (separator, whole_text) = (text(0)?, text(1)?);
            Ok(Value::List(
                whole_text
                    .split(separator.as_str())
                    .map(|part| Value::String(part.to_owned()))
                    .collect(),
            ))
        }
        "replace" => {
            count(3)?;
            let (subject, search, replacement) = (text(0)?, text(1)?, text(2)?);
            match search.strip_prefix('/').and_then(|s| s.strip_suffix('/')) {
                // `/pattern/` is a regular expression; `$1` in the replacement is a group.
                Some(pattern) if search.len() > 1 => string(
                    compile(pattern)?
                        .replace_all(&subject, replacement.as_str())
                        .into_owned(),
                ),
                _ => string(subject.replace(&search, &replacement)),
            }
        }
        "regex" => {
            count(2)?;
            let regex = compile(&text(0)?)?;
            let subject = text(1)?;
            let captures = regex
                .captures(&subject)
                .ok_or_else(|| "pattern did not match any part of the given string".to_owned())?;
            Ok(captured(&regex, &captures))
        }
        "regexall" => {
            count(2)?;
            let regex = compile(&text(0)?)?;
            let subject = text(1)?;
            Ok(Value::List(
                regex
                    .captures_iter(&subject)
                    .map(|captures| captured(&regex, &captures))
                    .collect(),
            ))
        }
        "substr" => {
            count(3)?;
            let chars: Vec<char> = text(0)?.chars().collect();
            let (offset, length) = (whole(name, number(1)?)?, whole(name, number(2)?)?);
            let len = chars.len() as i64;
            let start = if offset < 0 { len + offset } else { offset };
            if start < 0 || start > len {
                return Err("offset is out of range".to_owned());
            }
            let end = match length {
                -1 => len,
                length if length < 0 => return Err("length must be -1 or more".to_owned()),
                length => (start + length).min(len),
            };
            string(chars[start as usize..end as usize].iter().collect())
        }
        "trim" => {
            count(2)?;
            let cut: Vec<char> = text(1)?.chars().collect();
            string(text(0)?.trim_matches(|c| cut.contains(&c)).to_owned())
        }
        "trimspace" => {
            count(1)?;
            string(text(0)?.trim().to_owned())
        }
        "trimprefix" => {
            count(2)?;
            let (subject, prefix) = (text(0)?, text(1)?);
            string(subject.strip_prefix(&prefix).unwrap_or(&subject).to_owned())
        }
        "trimsuffix" => {
            count(2)?;
            let (subject, suffix) = (text(0)?, text(1)?);
            string(subject.strip_suffix(&suffix).unwrap_or(&subject).to_owned())
        }
        "startswith" => {
            count(2)?;
            flag(text(0)?.starts_with(&text(1)?))
        }
        "endswith" => {
            count(2)?;
            flag(text(0)?.ends_with(&text(1)?))
        }
        "strrev" => {
            count(1)?;
            string(text(0)?.chars().rev().collect())
        }
        // Numbers.
        "abs" => {
            count(1)?;
            numeric(number(0)?.abs())
        }
        "ceil" => {
            count(1)?;
            numeric(number(0)?.ceil())
        }
        "floor" => {
            count(1)?;
            numeric(number(0)?.floor())
        }
        "max" | "min" => {
            if args.is_empty() {
                return Err(format!("`{name}` needs at least one number"));
            }
            let numbers = (0..args.len())
                .map(number)
                .collect::<Result<Vec<f64>, _>>()?;
            let pick = |a: f64, b: f64| if name == "max" { a.max(b) } else { a.min(b) };
            numeric(numbers.into_iter().reduce(pick).unwrap_or_default())
        }
        "parseint" => {
            count(2)?;
            let (digits, base) = (text(0)?, whole(name, number(1)?)?);
            if !(2..=62).contains(&base) {
                return Err("base must be a whole number between 2 and 62 inclusive".to_owned());
            }
            numeric(
                parse_int(&digits, base as u32)
                    .ok_or_else(|| format!("cannot parse \"{digits}\" as a base {base} integer"))?,
            )
        }
        // Types.
        "tostring" => {
            count(1)?;
            match &args[0] {
                Value::Null => Ok(Value::Null),
                other => string(to_string(name, other)?),
            }
        }
        "tonumber" => {
            count(1)?;
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
            count(1)?;
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
            count(1)?;
            Ok(Value::List(unify(list(0)?)))
        }
        "toset" => {
            count(1)?;
            let mut items = unify(list(0)?);
            items.sort_by(set_order);
            items.dedup();
            Ok(Value::List(items))
        }
        "tomap" => {
            count(1)?;
            let entries = map(0)?;
            let (keys, values): (Vec<String>, Vec<Value>) = entries.into_iter().unzip();
            Ok(Value::Map(keys.into_iter().zip(unify(values)).collect()))
        }
        // Encodings.
        "jsonencode" => {
            count(1)?;
            let json = args[0]
                .to_json()
                .ok_or_else(|| "cannot encode an unknown value".to_owned())?;
            string(json.to_string())
        }
        "jsondecode" => {
            count(1)?;
            let json: serde_json::Value = serde_json::from_str(&text(0)?)
                .map_err(|error| format!("the string is not valid JSON: {error}"))?;
            Ok(Value::from_json(&json))
        }
        "yamlencode" => {
            count(1)?;
            let mut out = String::new();
            yaml(&args[0], 0, &mut out);
            string(out)
        }
        "yamldecode" => {
            count(1)?;
            let json: serde_json::Value = serde_norway::from_str(&text(0)?)
                .map_err(|error| format!("the string is not valid YAML: {error}"))?;
            Ok(Value::from_json(&json))
        }
        "base64encode" => {
            count(1)?;
            string(base64::engine::general_purpose::STANDARD.encode(text(0)?))
        }
        "base64decode" => {
            count(1)?;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(text(0)?)
                .map_err(|error| format!("the string is not valid base64: {error}"))?;
            String::from_utf8(bytes)
                .map(Value::String)
                .map_err(|_| "the decoded bytes are not valid UTF-8".to_owned())
        }
        "md5" => {
            count(1)?;
            string(hex(&md5::Md5::digest(text(0)?)))
        }
        "sha1" => {
            count(1)?;
            string(hex(&sha1::Sha1::digest(text(0)?)))
        }
        "sha256" => {
            count(1)?;
            string(hex(&sha2::Sha256::digest(text(0)?)))
        }
        // Files.
        "file" => {
            count(1)?;
            let path = directory.join(text(0)?);
            std::fs::read_to_string(&path)
                .map(Value::String)
                .map_err(|error| format!("cannot read `{}`: {error}", path.display()))
        }
        "fileexists" => {
            count(1)?;
            flag(directory.join(text(0)?).is_file())
        }
        _ => Err(format!("there is no function named `{name}`")),
    }
}

fn arity(name: &str, args: &[Value], expected: usize) -> Result<(), String> {
    match args.len() == expected {
        true => Ok(()),
        false => Err(format!(
            "`{name}` takes {expected} argument{}, not {}",
            if expected == 1 { "" } else { "s" },
            args.len()
        )),
    }
}

fn argument<'a>(name: &str, args: &'a [Value], index: usize) -> Result<&'a Value, String> {
    args.get(index)
        .ok_or_else(|| format!("`{name}` needs at least {} arguments", index + 1))
}

fn string_arg(name: &str, args: &[Value], index: usize) -> Result<String, String> {
    to_string(name, argument(name, args, index)?)
}

fn number_arg(name: &str, args: &[Value], index: usize) -> Result<f64, String> {
    match argument(name, args, index)? {
        Value::Number(number) => Ok(*number),
        Value::String(text) => text
            .parse()
            .map_err(|_| format!("`{name}` needs a number, not \"{text}\"")),
        other => Err(format!(
            "`{name}` needs a number, not {}",
            other.type_name()
        )),
    }
}

fn list_arg(name: &str, args: &[Value], index: usize) -> Result<Vec<Value>, String> {
    match argument(name, args, index)? {
        Value::List(items) => Ok(items.clone()),
        other => Err(format!("`{name}` needs a list, not {}", other.type_name())),
    }
}

fn map_arg(name: &str, args: &[Value], index: usize) -> Result<BTreeMap<String, Value>, String> {
    match argument(name, args, index)? {
        Value::Map(entries) => Ok(entries.clone()),
        other => Err(format!("`{name}` needs a map, not {}", other.type_name())),
    }
}

/// A whole number, for indexes and counts.
fn whole(name: &str, number: f64) -> Result<i64, String> {
    match number.fract() == 0.0 {
        true => Ok(number as i64),
        false => Err(format!("`{name}` needs a whole number, not {number}")),
    }
}

/// A primitive as a string, as Terraform converts one.
pub fn to_string(name: &str, value: &Value) -> Result<String, String> {
    match value {
        Value::String(text) => Ok(text.clone()),
        Value::Number(number) => Ok(format_number(*number)),
        Value::Bool(flag) => Ok(flag.to_string()),
        Value::Null => Err(format!("`{name}` got null where a string is needed")),
        other => Err(format!(
            "`{name}` needs a string, not {}",
            other.type_name()
        )),
    }
}

/// The elements of a list converted to one type, as `tolist`, `toset` and `tomap` do: when they
/// mix strings with numbers or bools, all become strings.
fn unify(items: Vec<Value>) -> Vec<Value> {
    let mixed = items.iter().any(|item| matches!(item, Value::String(_)))
        && items
            .iter()
            .any(|item| matches!(item, Value::Number(_) | Value::Bool(_)));
    match mixed {
        false => items,
        true => items
            .into_iter()
            .map(|item| match &item {
                Value::Number(number) => Value::String(format_number(*number)),
                Value::Bool(flag) => Value::String(flag.to_string()),
                _ => item,
            })
            .collect(),
    }
}

/// The order of a set's elements: strings lexically, numbers numerically.
fn set_order(a: &Value, b: &Value) -> std::cmp::Ordering {
    match (a, b) {
        (Value::Number(a), Value::Number(b)) => a.total_cmp(b),
        (Value::String(a), Value::String(b)) => a.cmp(b),
        _ => format!("{a:?}").cmp(&format!("{b:?}")),
    }
}

fn compile(pattern: &str) -> Result<regex::Regex, String> {
    regex::Regex::new(pattern).map_err(|error| format!("invalid regular expression: {error}"))
}

/// What `regex` returns: the match without groups, a list of unnamed groups, or a map of named
/// ones.
fn captured(regex: &regex::Regex, captures: &regex::Captures<'_>) -> Value {
    let text = |m: Option<regex::Match<'_>>| {
        m.map_or(Value::Null, |m| Value::String(m.as_str().to_owned()))
    };
    if regex.captures_len() == 1 {
        return text(captures.get(0));
    }
    let names: Vec<Option<&str>> = regex.capture_names().skip(1).collect();
    if names.iter().all(Option::is_some) {
        return Value::Map(
            names
                .into_iter()
                .flatten()
                .map(|name| (name.to_owned(), text(captures.name(name))))
                .collect(),
        );
    }
    Value::List(
        (1..regex.captures_len())
            .map(|i| text(captures.get(i)))
            .collect(),
    )
}

fn parse_int(digits: &str, base: u32) -> Option<f64> {
    let (negative, digits) = match digits.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, digits.strip_prefix('+').unwrap_or(digits)),
    };
    if digits.is_empty() {
        return None;
    }
    let mut total: f64 = 0.0;
    for c in digits.chars() {
        let digit = match c {
            '0'..='9' => c as u32 - '0' as u32,
            'a'..='z' if base <= 36 => c as u32 - 'a' as u32 + 10,
            'A'..='Z' if base <= 36 => c as u32 - 'A' as u32 + 10,
            'a'..='z' => c as u32 - 'a' as u32 + 10,
            'A'..='Z' => c as u32 - 'A' as u32 + 36,
            _ => return None,
        };
        if digit >= base {
            return None;
        }
        total = total * f64::from(base) + f64::from(digit);
    }
    Some(if negative { -total } else { total })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Terraform's `format`: `%s`, `%d`, `%f`, `%e`, `%g`, `%t`, `%q`, `%v`, `%x`, `%X`, `%o`,
/// `%b` and `%%`, with flags, width and precision.
fn format(spec: &str, args: &[Value]) -> Result<String, String> {
    let mut out = String::new();
    let mut chars = spec.chars().peekable();
    let mut next = 0;
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut flags = String::new();
        while let Some(&flag) = chars.peek().filter(|c| "-+ 0#".contains(**c)) {
            flags.push(flag);
            chars.next();
        }
        let mut width = String::new();
        while let Some(&digit) = chars.peek().filter(|c| c.is_ascii_digit()) {
            width.push(digit);
            chars.next();
        }
        let mut precision = None;
        if chars.peek() == Some(&'.') {
            chars.next();
            let mut digits = String::new();
            while let Some(&digit) = chars.peek().filter(|c| c.is_ascii_digit()) {
                digits.push(digit);
                chars.next();
            }
            precision = Some(digits.parse::<usize>().unwrap_or(0));
        }
        let verb = chars
            .next()
            .ok_or_else(|| "the format string ends in the middle of a verb".to_owned())?;
        if verb == '%' {
            out.push('%');
            continue;
        }
        let arg = args.get(next).ok_or_else(|| {
            format!("not enough arguments for the format string: %{verb} has none")
        })?;
        next += 1;
        let number = || match arg {
            Value::Number(number) => Ok(*number),
            other => Err(format!("%{verb} needs a number, not {}", other.type_name())),
        };
        let text = match verb {
            's' => to_string("format", arg)?,
            'v' => match arg {
                Value::List(_) | Value::Map(_) => arg
                    .to_json()
                    .map(|json| json.to_string())
                    .unwrap_or_default(),
                other => to_string("format", other)?,
            },
            'q' => serde_json::to_string(&to_string("format", arg)?).unwrap_or_default(),
            't' => match arg {
                Value::Bool(flag) => flag.to_string(),
                other => return Err(format!("%t needs a bool, not {}", other.type_name())),
            },
            'd' => {
                let number = number()?;
                if number.fract() != 0.0 {
                    return Err(format!("%d needs a whole number, not {number}"));
                }
                let text = format!("{}", number as i64);
                match flags.contains('+') && number >= 0.0 {
                    true => format!("+{text}"),
                    false => text,
                }
            }
            'f' => format!("{:.*}", precision.unwrap_or(6), number()?),
            'e' => format!("{:.*e}", precision.unwrap_or(6), number()?),
            'g' => format_number(number()?),
            'x' => format!("{:x}", number()? as i64),
            'X' => format!("{:X}", number()? as i64),
            'o' => format!("{:o}", number()? as i64),
            'b' => format!("{:b}", number()? as i64),
            other => return Err(format!("unsupported format verb %{other}")),
        };
        let text = match (verb, precision) {
            ('s' | 'v' | 'q', Some(precision)) => text.chars().take(precision).collect(),
            _ => text,
        };
        let width: usize = width.parse().unwrap_or(0);
        let padding = width.saturating_sub(text.chars().count());
        if flags.contains('-') {
            out.push_str(&text);
            out.extend(std::iter::repeat_n(' ', padding));
        } else {
            let fill = if flags.contains('0') { '0' } else { ' ' };
            out.extend(std::iter::repeat_n(fill, padding));
            out.push_str(&text);
        }
    }
    if next < args.len() {
        return Err(format!(
            "too many arguments: the format string uses {next}, and {} were given",
            args.len()
        ));
    }
    Ok(out)
}

/// Terraform's `yamlencode` layout: keys and strings double-quoted, block style.
fn yaml(value: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    let scalar = |value: &Value| match value {
        Value::Null => "null".to_owned(),
        Value::Bool(flag) => flag.to_string(),
        Value::Number(number) => format_number(*number),
        Value::String(text) => serde_json::to_string(text).unwrap_or_default(),
        Value::List(_) => "[]".to_owned(),
        Value::Map(_) => "{}".to_owned(),
        Value::Unknown => "null".to_owned(),
    };
    match value {
        Value::Map(entries) if !entries.is_empty() => {
            for (index, (key, value)) in entries.iter().enumerate() {
                // The first key of a map inside a list shares the line of its `- `.
                if index > 0 || !out.ends_with("- ") {
                    out.push_str(&pad);
                }
                out.push_str(&serde_json::to_string(key).unwrap_or_default());
                out.push(':');
                match value {
                    Value::Map(inner) if !inner.is_empty() => {
                        out.push('\n');
                        yaml(value, indent + 2, out);
                    }
                    Value::List(inner) if !inner.is_empty() => {
                        out.push('\n');
                        yaml(value, indent, out);
                    }
                    other => {
                        out.push(' ');
                        out.push_str(&scalar(other));
                        out.push('\n');
                    }
                }
            }
        }
        Value::List(items) if !items.is_empty() => {
            for item in items {
                out.push_str(&pad);
                out.push_str("- ");
                match item {
                    Value::Map(inner) if !inner.is_empty() => yaml(item, indent + 2, out),
                    Value::List(inner) if !inner.is_empty() => {
                        out.push('\n');
                        yaml(item, indent + 2, out);
                    }
                    other => {
                        out.push_str(&scalar(other));
                        out.push('\n');
                    }
                }
            }
        }
        other => {
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    //! Each function against the examples in Terraform's documentation
    //! (developer.hashicorp.com/terraform/language/functions), written as Terraform writes them.

    use std::collections::BTreeMap;
    use std::path::Path;

    use crate::value::Value;

    fn eval_in(expression: &str, directory: &Path) -> Result<Value, String> {
        let expr = hcl_edit::parser::parse_expr(expression).expect("the example parses");
        let scope: BTreeMap<crate::addr::Address, crate::value::Object> = BTreeMap::new();
        let file = crate::diag::Sources::default().add("test.hcl".into(), expression.to_owned());
        let context = crate::eval::Context::new(std::sync::Arc::from(directory));
        crate::eval::evaluate(&expr, file, &context, &scope).map_err(|error| error.message)
    }

    fn eval(expression: &str) -> Result<Value, String> {
        eval_in(expression, Path::new("."))
    }

    /// Each `(call, result)`: the call evaluates to what the result literal does.
    fn examples(examples: &[(&str, &str)]) {
        for (call, result) in examples {
            assert_eq!(eval(call), eval(result), "{call}");
        }
    }

    /// Each `(call, message)`: the call fails with a message that contains `message`.
    fn failures(failures: &[(&str, &str)]) {
        for (call, message) in failures {
            match eval(call) {
                Err(error) => assert!(error.contains(message), "{call}: {error}"),
                Ok(value) => panic!("{call} returned {value:?}"),
            }
        }
    }

    #[test]
    fn collection_functions() {
        examples(&[
            ("length([])", "0"),
            (r#"length(["a", "b"])"#, "2"),
            (r#"length({"a" = "b"})"#, "1"),
            (r#"length("hello")"#, "5"),
            (r#"length("👾🕹️")"#, "3"),
            (r#"lookup({a="ay", b="bee"}, "a", "what?")"#, r#""ay""#),
            (r#"lookup({a="ay", b="bee"}, "c", "what?")"#, r#""what?""#),
            (
                r#"merge({a="b", c="d"}, {e="f", c="z"})"#,
                r#"{a = "b", c = "z", e = "f"}"#,
            ),
            (
                r#"merge({a="b"}, {a=[1,2], c="z"}, {d=3})"#,
                r#"{a = [1, 2], c = "z", d = 3}"#,
            ),
            (r#"concat(["a", ""], ["b", "c"])"#, r#"["a", "", "b", "c"]"#),
            (r#"coalesce("a", "b")"#, r#""a""#),
            (r#"coalesce("", "b")"#, r#""b""#),
            ("coalesce(1, 2)", "1"),
            (r#"coalesce(["", "b"]...)"#, r#""b""#),
            (r#"coalescelist(["a", "b"], ["c", "d"])"#, r#"["a", "b"]"#),
            (r#"coalescelist([], ["c", "d"])"#, r#"["c", "d"]"#),
            (r#"contains(["a", "b", "c"], "a")"#, "true"),
            (r#"contains(["a", "b", "c"], "d")"#, "false"),
            ("keys({a=1, c=2, d=3})", r#"["a", "c", "d"]"#),
            ("values({a=3, c=2, d=1})", "[3, 2, 1]"),
            (r#"element(["a", "b", "c"], 1)"#, r#""b""#),
            (r#"element(["a", "b", "c"], 3)"#, r#""a""#),
            (
                r#"element(["a", "b", "c"], length(["a", "b", "c"])-1)"#,
                r#""c""#,
            ),
            (r#"index(["a", "b", "c"], "b")"#, "1"),
            (
                r#"distinct(["a", "b", "a", "c", "d", "b"])"#,
                r#"["a", "b", "c", "d"]"#,
            ),
            (r#"flatten([["a", "b"], [], ["c"]])"#, r#"["a", "b", "c"]"#),
            (
                r#"flatten([[["a", "b"], []], ["c"]])"#,
                r#"["a", "b", "c"]"#,
            ),
            (
                r#"setproduct(["development", "staging", "production"], ["app1", "app2"])"#,
                r#"[["development", "app1"], ["development", "app2"], ["staging", "app1"], ["staging", "app2"], ["production", "app1"], ["production", "app2"]]"#,
            ),
            (r#"zipmap(["a", "b"], [1, 2])"#, "{a = 1, b = 2}"),
            ("range(3)", "[0, 1, 2]"),
            ("range(1, 4)", "[1, 2, 3]"),
            ("range(1, 8, 2)", "[1, 3, 5, 7]"),
            ("range(1, 4, 0.5)", "[1, 1.5, 2, 2.5, 3, 3.5]"),
            ("range(4, 1)", "[4, 3, 2]"),
            ("range(10, 5, -2)", "[10, 8, 6]"),
            (r#"slice(["a", "b", "c", "d"], 1, 3)"#, r#"["b", "c"]"#),
            (r#"sort(["e", "d", "a", "x"])"#, r#"["a", "d", "e", "x"]"#),
            ("reverse([1, 2, 3])", "[3, 2, 1]"),
            (
                r#"compact(["a", "", "b", null, "c"])"#,
                r#"["a", "b", "c"]"#,
            ),
            ("one([])", "null"),
            (r#"one(["hello"])"#, r#""hello""#),
        ]);
        failures(&[
            (
                r#"one(["hello", "goodbye"])"#,
                "must be a list, set, or tuple value with either zero or one elements",
            ),
            (
                "element([], 0)",
                "cannot use element function with an empty list",
            ),
            (r#"index(["a"], "z")"#, "item not found"),
            (r#"lookup({a="ay"}, "c")"#, "no element `c`"),
        ]);
    }

    #[test]
    fn string_functions() {
        examples(&[
            (r#"lower("HELLO")"#, r#""hello""#),
            (r#"lower("АЛЛО!")"#, r#""алло!""#),
            (r#"upper("hello")"#, r#""HELLO""#),
            (r#"title("hello world")"#, r#""Hello World""#),
            (r#"format("Hello, %s!", "Ander")"#, r#""Hello, Ander!""#),
            (
                r#"format("There are %d lights", 4)"#,
                r#""There are 4 lights""#,
            ),
            (r#"format("%.2f", 3.14159)"#, r#""3.14""#),
            (
                r#"format("%5d|%-5s|%05d", 42, "ab", 7)"#,
                r#""   42|ab   |00007""#,
            ),
            (
                r#"format("%q %t %%", "quoted", true)"#,
                r#""\"quoted\" true %""#,
            ),
            (
                r#"formatlist("Hello, %s!", ["Valentina", "Ander", "Olivia", "Sam"])"#,
                r#"["Hello, Valentina!", "Hello, Ander!", "Hello, Olivia!", "Hello, Sam!"]"#,
            ),
            (
                r#"formatlist("%s, %s!", "Salutations", ["Valentina", "Ander"])"#,
                r#"["Salutations, Valentina!", "Salutations, Ander!"]"#,
            ),
            (r#"join(", ", ["foo", "bar", "baz"])"#, r#""foo, bar, baz""#),
            (r#"join(", ", ["foo"])"#, r#""foo""#),
            (r#"split(",", "foo,bar,baz")"#, r#"["foo", "bar", "baz"]"#),
            (r#"split(",", "foo")"#, r#"["foo"]"#),
            (r#"split(",", "")"#, r#"[""]"#),
            (r#"replace("1 + 2 + 3", "+", "-")"#, r#""1 - 2 - 3""#),
            (
                r#"replace("hello world", "/w.*d/", "everybody")"#,
                r#""hello everybody""#,
            ),
            (
                r#"regex("[a-z]+", "53453453.345345aaabbbccc23454")"#,
                r#""aaabbbccc""#,
            ),
            (
                r#"regex("(\\d\\d\\d\\d)-(\\d\\d)-(\\d\\d)", "2019-02-01")"#,
                r#"["2019", "02", "01"]"#,
            ),
            (
                r#"regex("^(?:(?P<scheme>[^:/?#]+):)?(?://(?P<authority>[^/?#]*))?", "https://terraform.io/docs/")"#,
                r#"{authority = "terraform.io", scheme = "https"}"#,
            ),
            (
                r#"regexall("[a-z]+", "1234abcd5678efgh9")"#,
                r#"["abcd", "efgh"]"#,
            ),
            (r#"length(regexall("[a-z]+", "1234abcd5678efgh9"))"#, "2"),
            (r#"length(regexall("[a-z]+", "123456789")) > 0"#, "false"),
            (r#"substr("hello world", 1, 4)"#, r#""ello""#),
            (r#"substr("🤔🤷", 0, 1)"#, r#""🤔""#),
            (r#"substr("hello world", -5, -1)"#, r#""world""#),
            (r#"substr("hello world", 6, 10)"#, r#""world""#),
            (r#"trim("?!hello?!", "!?")"#, r#""hello""#),
            (r#"trim("foobar", "far")"#, r#""oob""#),
            (r#"trim("   hello! world.!  ", "! ")"#, r#""hello! world.""#),
            (r#"trimspace("  hello\n\n")"#, r#""hello""#),
            (r#"trimprefix("helloworld", "hello")"#, r#""world""#),
            (r#"trimprefix("helloworld", "cat")"#, r#""helloworld""#),
            (r#"trimsuffix("helloworld", "world")"#, r#""hello""#),
            (r#"startswith("hello world", "hello")"#, "true"),
            (r#"startswith("hello world", "world")"#, "false"),
            (r#"endswith("hello world", "world")"#, "true"),
            (r#"endswith("hello world", "hello")"#, "false"),
            (r#"strrev("hello")"#, r#""olleh""#),
            (r#"strrev("a ☃")"#, r#""☃ a""#),
        ]);
        failures(&[
            (
                r#"regex("[a-z]+", "53453453.34534523454")"#,
                "pattern did not match any part of the given string",
            ),
            (r#"format("%d", "x")"#, "%d needs a number"),
        ]);
    }

    #[test]
    fn numeric_functions() {
        examples(&[
            ("abs(23)", "23"),
            ("abs(0)", "0"),
            ("abs(-12.4)", "12.4"),
            ("ceil(5)", "5"),
            ("ceil(5.1)", "6"),
            ("floor(5)", "5"),
            ("floor(4.9)", "4"),
            ("max(12, 54, 3)", "54"),
            ("max([12, 54, 3]...)", "54"),
            ("min(12, 54, 3)", "3"),
            ("min([12, 54, 3]...)", "3"),
            (r#"parseint("100", 10)"#, "100"),
            (r#"parseint("FF", 16)"#, "255"),
            (r#"parseint("-10", 16)"#, "-16"),
            (r#"parseint("1011111011101111", 2)"#, "48879"),
            (r#"parseint("aA", 62)"#, "656"),
        ]);
        failures(&[(
            r#"parseint("12", 2)"#,
            "cannot parse \"12\" as a base 2 integer",
        )]);
    }

    #[test]
    fn type_conversion_functions() {
        examples(&[
            (r#"tostring("hello")"#, r#""hello""#),
            ("tostring(1)", r#""1""#),
            ("tostring(true)", r#""true""#),
            ("tostring(null)", "null"),
            ("tonumber(1)", "1"),
            (r#"tonumber("1")"#, "1"),
            ("tonumber(null)", "null"),
            ("tobool(true)", "true"),
            (r#"tobool("true")"#, "true"),
            ("tobool(null)", "null"),
            (r#"tolist(["a", "b", "c"])"#, r#"["a", "b", "c"]"#),
            (r#"tolist(["a", "b", 3])"#, r#"["a", "b", "3"]"#),
            (r#"toset(["a", "b", "c"])"#, r#"["a", "b", "c"]"#),
            (r#"toset(["c", "b", "b"])"#, r#"["b", "c"]"#),
            (r#"toset(["a", "b", 3])"#, r#"["3", "a", "b"]"#),
            (r#"tomap({"a" = 1, "b" = 2})"#, "{a = 1, b = 2}"),
            (
                r#"tomap({"a" = "foo", "b" = true})"#,
                r#"{a = "foo", b = "true"}"#,
            ),
        ]);
        failures(&[
            ("tostring([])", "needs a string"),
            (r#"tonumber("no")"#, "cannot convert \"no\" to a number"),
            (r#"tobool("no")"#, "cannot convert \"no\" to a bool"),
            ("tobool(1)", "cannot convert number to a bool"),
        ]);
    }

    #[test]
    fn encoding_and_hash_functions() {
        examples(&[
            (
                r#"jsonencode({"hello"="world"})"#,
                r#""{\"hello\":\"world\"}""#,
            ),
            (
                r#"jsondecode("{\"hello\": \"world\"}")"#,
                r#"{hello = "world"}"#,
            ),
            (r#"jsondecode("true")"#, "true"),
            (
                r#"yamlencode({"a":"b", "c":"d"})"#,
                r#""\"a\": \"b\"\n\"c\": \"d\"\n""#,
            ),
            (
                r#"yamlencode({"foo":[1, 2, 3], "bar": "baz"})"#,
                r#""\"bar\": \"baz\"\n\"foo\":\n- 1\n- 2\n- 3\n""#,
            ),
            (
                r#"yamlencode({"foo":[1, {"a":"b","c":"d"}, 3], "bar": "baz"})"#,
                r#""\"bar\": \"baz\"\n\"foo\":\n- 1\n- \"a\": \"b\"\n  \"c\": \"d\"\n- 3\n""#,
            ),
            (r#"yamldecode("hello: world")"#, r#"{hello = "world"}"#),
            (r#"yamldecode("true")"#, "true"),
            (
                r#"yamldecode("{a: &foo [1, 2, 3], b: *foo}")"#,
                "{a = [1, 2, 3], b = [1, 2, 3]}",
            ),
            (r#"base64encode("Hello World")"#, r#""SGVsbG8gV29ybGQ=""#),
            (r#"base64decode("SGVsbG8gV29ybGQ=")"#, r#""Hello World""#),
            (
                r#"md5("hello world")"#,
                r#""5eb63bbbe01eeed093cb22bb8f5acdc3""#,
            ),
            (
                r#"sha1("hello world")"#,
                r#""2aae6c35c94fcfb415dbe95f408b9ce91ee846ed""#,
            ),
            (
                r#"sha256("hello world")"#,
                r#""b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9""#,
            ),
        ]);
    }

    #[test]
    fn try_and_can() {
        examples(&[
            (r#"try({a = "x"}.a, "fallback")"#, r#""x""#),
            (r#"try({a = "x"}.b, "fallback")"#, r#""fallback""#),
            (r#"try(tonumber("no"), 0)"#, "0"),
            (r#"can(regex("^[a-z]+$", "abc"))"#, "true"),
            (r#"can(regex("^[a-z]+$", "ABC"))"#, "false"),
        ]);
        failures(&[(
            r#"try({}.a, {}.b)"#,
            "no argument of `try` could be evaluated",
        )]);
    }

    #[test]
    fn file_functions_read_relative_to_the_module() {
        let directory = tempfile::tempdir().unwrap();
        std::fs::write(directory.path().join("hello.txt"), "Hello World").unwrap();
        std::fs::write(
            directory.path().join("backends.tftpl"),
            "%{ for addr in ip_addrs ~}\nbackend ${addr}:${port}\n%{ endfor ~}\n",
        )
        .unwrap();
        let eval = |expression: &str| eval_in(expression, directory.path());
        assert_eq!(eval(r#"file("hello.txt")"#), eval(r#""Hello World""#));
        assert_eq!(eval(r#"fileexists("hello.txt")"#), Ok(Value::Bool(true)));
        assert_eq!(eval(r#"fileexists("missing.txt")"#), Ok(Value::Bool(false)));
        assert_eq!(
            eval(
                r#"templatefile("backends.tftpl", { port = 8080, ip_addrs = ["10.0.0.1", "10.0.0.2"] })"#
            ),
            eval(r#""backend 10.0.0.1:8080\nbackend 10.0.0.2:8080\n""#)
        );
        let missing = eval(r#"file("missing.txt")"#).unwrap_err();
        assert!(
            missing.starts_with("invalid call to `file`: cannot read `"),
            "{missing}"
        );
    }

    #[test]
    fn an_unknown_function_names_the_closest() {
        let error = crate::eval::evaluate(
            &hcl_edit::parser::parse_expr(r#"lenght([])"#).unwrap(),
            crate::diag::Sources::default().add("t.hcl".into(), String::new()),
            &crate::eval::Context::new(std::sync::Arc::from(Path::new("."))),
            &BTreeMap::<crate::addr::Address, crate::value::Object>::new(),
        )
        .unwrap_err();
        assert_eq!(error.message, "unknown function `lenght`");
        assert_eq!(error.hint.as_deref(), Some("did you mean `length`?"));
    }

    #[test]
    fn every_listed_function_has_examples() {
        let source = include_str!("functions.rs");
        let tests = &source[source.find("mod tests").unwrap()..];
        for name in super::NAMES {
            assert!(
                tests.contains(&format!("r#\"{name}(")) || tests.contains(&format!("(\"{name}(")),
                "no example calls `{name}`"
            );
        }
    }
}
