//! Terraform's string functions.

use super::*;

pub const NAMES: &[&str] = &[
    "chomp",
    "endswith",
    "format",
    "formatlist",
    "indent",
    "join",
    "lower",
    "regex",
    "regexall",
    "replace",
    "split",
    "startswith",
    "strcontains",
    "strrev",
    "substr",
    "title",
    "trim",
    "trimprefix",
    "trimspace",
    "trimsuffix",
    "upper",
];

pub fn call(a: &Args<'_>, _directory: &Path) -> Result<Value, String> {
    let Args { name, values: args } = *a;
    match name {
        "lower" => {
            a.count(1)?;
            string(a.text(0)?.to_lowercase())
        }
        "upper" => {
            a.count(1)?;
            string(a.text(0)?.to_uppercase())
        }
        "title" => {
            a.count(1)?;
            let mut titled = String::new();
            let mut start_of_word = true;
            for c in a.text(0)?.chars() {
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
            let separator = a.text(0)?;
            let mut parts = Vec::new();
            for index in 1..args.len() {
                for item in a.list(index)? {
                    parts.push(to_string(name, &item)?);
                }
            }
            string(parts.join(&separator))
        }
        "split" => {
            a.count(2)?;
            let (separator, whole_text) = (a.text(0)?, a.text(1)?);
            Ok(Value::List(
                whole_text
                    .split(separator.as_str())
                    .map(|part| Value::String(part.to_owned()))
                    .collect(),
            ))
        }
        "replace" => {
            a.count(3)?;
            let (subject, search, replacement) = (a.text(0)?, a.text(1)?, a.text(2)?);
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
            a.count(2)?;
            let regex = compile(&a.text(0)?)?;
            let subject = a.text(1)?;
            let captures = regex
                .captures(&subject)
                .ok_or_else(|| "pattern did not match any part of the given string".to_owned())?;
            Ok(captured(&regex, &captures))
        }
        "regexall" => {
            a.count(2)?;
            let regex = compile(&a.text(0)?)?;
            let subject = a.text(1)?;
            Ok(Value::List(
                regex
                    .captures_iter(&subject)
                    .map(|captures| captured(&regex, &captures))
                    .collect(),
            ))
        }
        "substr" => {
            a.count(3)?;
            let text = a.text(0)?;
            let chars = characters(&text);
            let (offset, length) = (whole(name, a.number(1)?)?, whole(name, a.number(2)?)?);
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
            string(chars[start as usize..end as usize].concat())
        }
        "trim" => {
            a.count(2)?;
            let cut: Vec<char> = a.text(1)?.chars().collect();
            string(a.text(0)?.trim_matches(|c| cut.contains(&c)).to_owned())
        }
        "trimspace" => {
            a.count(1)?;
            string(a.text(0)?.trim().to_owned())
        }
        "trimprefix" => {
            a.count(2)?;
            let (subject, prefix) = (a.text(0)?, a.text(1)?);
            string(subject.strip_prefix(&prefix).unwrap_or(&subject).to_owned())
        }
        "trimsuffix" => {
            a.count(2)?;
            let (subject, suffix) = (a.text(0)?, a.text(1)?);
            string(subject.strip_suffix(&suffix).unwrap_or(&subject).to_owned())
        }
        "startswith" => {
            a.count(2)?;
            flag(a.text(0)?.starts_with(&a.text(1)?))
        }
        "endswith" => {
            a.count(2)?;
            flag(a.text(0)?.ends_with(&a.text(1)?))
        }
        "strrev" => {
            a.count(1)?;
            string(characters(&a.text(0)?).into_iter().rev().collect())
        }
        "chomp" => {
            a.count(1)?;
            string(a.text(0)?.trim_end_matches(['\r', '\n']).to_owned())
        }
        "indent" => {
            a.count(2)?;
            let spaces = whole(name, a.number(0)?)?.max(0) as usize;
            string(
                a.text(1)?
                    .replace('\n', &format!("\n{}", " ".repeat(spaces))),
            )
        }
        "strcontains" => {
            a.count(2)?;
            flag(a.text(0)?.contains(&a.text(1)?))
        }
        _ => Err(no_such(name)),
    }
}
