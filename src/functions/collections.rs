//! Terraform's collection functions: lists, maps and sets.

use super::*;

pub const NAMES: &[&str] = &[
    "alltrue",
    "anytrue",
    "chunklist",
    "coalesce",
    "coalescelist",
    "compact",
    "concat",
    "contains",
    "distinct",
    "element",
    "flatten",
    "index",
    "keys",
    "length",
    "lookup",
    "matchkeys",
    "merge",
    "one",
    "range",
    "reverse",
    "setintersection",
    "setproduct",
    "setsubtract",
    "setunion",
    "slice",
    "sort",
    "sum",
    "transpose",
    "values",
    "zipmap",
];

pub fn call(a: &Args<'_>, _directory: &Path) -> Result<Value, String> {
    let Args { name, values: args } = *a;
    match name {
        "length" => {
            a.count(1)?;
            match &args[0] {
                Value::List(items) => numeric(items.len() as f64),
                Value::Map(entries) => numeric(entries.len() as f64),
                Value::String(text) => numeric(characters(text).len() as f64),
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
            let entries = a.map(0)?;
            let key = a.text(1)?;
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
                joined.extend(a.list(index)?);
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
                let items = a.list(index)?;
                if !items.is_empty() {
                    return Ok(Value::List(items));
                }
            }
            Err("no non-empty list arguments".to_owned())
        }
        "contains" => {
            a.count(2)?;
            flag(a.list(0)?.contains(&args[1]))
        }
        "keys" => {
            a.count(1)?;
            Ok(Value::List(
                a.map(0)?.into_keys().map(Value::String).collect(),
            ))
        }
        "values" => {
            a.count(1)?;
            Ok(Value::List(a.map(0)?.into_values().collect()))
        }
        "element" => {
            a.count(2)?;
            let items = a.list(0)?;
            let index = whole(name, a.number(1)?)?;
            if items.is_empty() {
                return Err("cannot use element function with an empty list".to_owned());
            }
            if index < 0 {
                return Err("cannot use element function with a negative index".to_owned());
            }
            Ok(items[index as usize % items.len()].clone())
        }
        "index" => {
            a.count(2)?;
            a.list(0)?
                .iter()
                .position(|item| item == &args[1])
                .map(|position| Value::Number(position as f64))
                .ok_or_else(|| "item not found".to_owned())
        }
        "distinct" => {
            a.count(1)?;
            let mut seen = Vec::new();
            for item in a.list(0)? {
                if !seen.contains(&item) {
                    seen.push(item);
                }
            }
            Ok(Value::List(seen))
        }
        "flatten" => {
            a.count(1)?;
            fn flatten(items: Vec<Value>, out: &mut Vec<Value>) {
                for item in items {
                    match item {
                        Value::List(inner) => flatten(inner, out),
                        other => out.push(other),
                    }
                }
            }
            let mut out = Vec::new();
            flatten(a.list(0)?, &mut out);
            Ok(Value::List(out))
        }
        "setproduct" => {
            if args.len() < 2 {
                return Err("`setproduct` needs at least two lists or sets".to_owned());
            }
            // Counted before it is made: a product too large to hold is an error, not an abort.
            let mut size: usize = 1;
            for index in 0..args.len() {
                size = size.saturating_mul(a.list(index)?.len());
            }
            if size > MAX_PRODUCT {
                return Err(format!(
                    "it would make {size} combinations, more than the {MAX_PRODUCT} gateform makes; use fewer or shorter lists"
                ));
            }
            let mut product: Vec<Vec<Value>> = vec![Vec::new()];
            for index in 0..args.len() {
                let items = a.list(index)?;
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
            a.count(2)?;
            let (keys, values) = (a.list(0)?, a.list(1)?);
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
                1 => (0.0, a.number(0)?, 1.0),
                2 => {
                    let (start, limit) = (a.number(0)?, a.number(1)?);
                    (start, limit, if limit < start { -1.0 } else { 1.0 })
                }
                3 => (a.number(0)?, a.number(1)?, a.number(2)?),
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
            a.count(3)?;
            let items = a.list(0)?;
            let (start, end) = (whole(name, a.number(1)?)?, whole(name, a.number(2)?)?);
            if start < 0 || end < start || end as usize > items.len() {
                return Err(format!(
                    "the indices {start} and {end} are outside a list of {} elements",
                    items.len()
                ));
            }
            Ok(Value::List(items[start as usize..end as usize].to_vec()))
        }
        "sort" => {
            a.count(1)?;
            let mut texts = a
                .list(0)?
                .iter()
                .map(|item| to_string(name, item))
                .collect::<Result<Vec<_>, _>>()?;
            texts.sort();
            Ok(Value::List(texts.into_iter().map(Value::String).collect()))
        }
        "reverse" => {
            a.count(1)?;
            let mut items = a.list(0)?;
            items.reverse();
            Ok(Value::List(items))
        }
        "compact" => {
            a.count(1)?;
            Ok(Value::List(
                a.list(0)?
                    .into_iter()
                    .filter(|item| !matches!(item, Value::Null) && item.as_str() != Some(""))
                    .collect(),
            ))
        }
        "one" => {
            a.count(1)?;
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
        "alltrue" | "anytrue" => {
            a.count(1)?;
            let all = name == "alltrue";
            let mut result = all;
            for (index, item) in a.list(0)?.into_iter().enumerate() {
                let truth = match item {
                    // A null element is not true, and does not make `anytrue` false.
                    Value::Null => match all {
                        true => false,
                        false => continue,
                    },
                    Value::Bool(truth) => truth,
                    Value::String(text) if text == "true" => true,
                    Value::String(text) if text == "false" => false,
                    other => {
                        return Err(format!(
                            "element {index} is {}, not a bool",
                            other.type_name()
                        ));
                    }
                };
                result = match all {
                    true => result && truth,
                    false => result || truth,
                };
            }
            flag(result)
        }
        "chunklist" => {
            a.count(2)?;
            let items = a.list(0)?;
            let size = whole(name, a.number(1)?)?;
            if size < 0 {
                return Err("the size argument must be positive".to_owned());
            }
            Ok(Value::List(match size {
                0 => vec![Value::List(items)],
                size => items
                    .chunks(size as usize)
                    .map(|chunk| Value::List(chunk.to_vec()))
                    .collect(),
            }))
        }
        "matchkeys" => {
            a.count(3)?;
            let (values, keys, search) = (a.list(0)?, a.list(1)?, unify(a.list(2)?));
            if values.len() != keys.len() {
                return Err("the lists of values and keys must have the same length".to_owned());
            }
            let keys = unify(keys);
            Ok(Value::List(
                values
                    .into_iter()
                    .zip(keys)
                    .filter(|(_, key)| search.contains(key))
                    .map(|(value, _)| value)
                    .collect(),
            ))
        }
        "setintersection" | "setsubtract" | "setunion" => {
            if args.is_empty() || (name == "setsubtract" && args.len() != 2) {
                return Err(match name {
                    "setsubtract" => "`setsubtract` takes two sets".to_owned(),
                    _ => format!("`{name}` needs at least one set"),
                });
            }
            let sets = (0..args.len())
                .map(|index| a.list(index))
                .collect::<Result<Vec<_>, _>>()?;
            let mut sets = sets.into_iter();
            let first = sets.next().unwrap_or_default();
            let items = match name {
                "setunion" => first.into_iter().chain(sets.flatten()).collect(),
                "setintersection" => {
                    let others: Vec<Vec<Value>> = sets.map(unify).collect();
                    unify(first)
                        .into_iter()
                        .filter(|item| others.iter().all(|other| other.contains(item)))
                        .collect()
                }
                _ => {
                    let removed = unify(sets.flatten().collect());
                    unify(first)
                        .into_iter()
                        .filter(|item| !removed.contains(item))
                        .collect()
                }
            };
            Ok(Value::List(set(items)))
        }
        "sum" => {
            a.count(1)?;
            let items = a.list(0)?;
            if items.is_empty() {
                return Err("cannot sum an empty list".to_owned());
            }
            let numbers = Args {
                name,
                values: &items,
            };
            let mut total = 0.0;
            for index in 0..items.len() {
                total += numbers.number(index)?;
            }
            numeric(total)
        }
        "transpose" => {
            a.count(1)?;
            let mut transposed: BTreeMap<String, Vec<Value>> = BTreeMap::new();
            for (key, values) in a.map(0)? {
                let Value::List(values) = values else {
                    return Err(format!(
                        "the value of `{key}` is {}, not a list of strings",
                        values.type_name()
                    ));
                };
                for value in values {
                    transposed
                        .entry(to_string(name, &value)?)
                        .or_default()
                        .push(Value::String(key.clone()));
                }
            }
            Ok(Value::Map(
                transposed
                    .into_iter()
                    .map(|(key, keys)| (key, Value::List(keys)))
                    .collect(),
            ))
        }
        _ => Err(no_such(name)),
    }
}
