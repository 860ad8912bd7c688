//! Terraform's built-in functions, each behaving as Terraform documents it, in one module per
//! group of Terraform's function docs. The functions that evaluate expressions or depend on when
//! they run (`try`, `can`, `templatefile`, `templatestring`, `timestamp`, `uuid`, and the
//! sensitivity functions) are the evaluator's; everything here takes values and returns a value.
//!
//! A call with an unknown argument returns unknown, except `length`, which knows how many
//! elements a collection has even when the elements are not known.

mod collections;
mod conversions;
mod encoding;
mod files;
mod network;
mod numbers;
mod strings;
pub mod time;

use std::collections::BTreeMap;
use std::path::Path;

use base64::Engine as _;
use sha2::Digest as _;

use crate::value::{Value, format_number};

/// The functions the evaluator calls itself, because they see expressions or when they run.
pub const EVALUATED: &[&str] = &[
    "can",
    "issensitive",
    "nonsensitive",
    "plantimestamp",
    "sensitive",
    "templatefile",
    "templatestring",
    "timestamp",
    "try",
    "uuid",
];

/// Each group of functions: its names and what calls them.
const GROUPS: &[(&[&str], Function)] = &[
    (collections::NAMES, collections::call),
    (conversions::NAMES, conversions::call),
    (encoding::NAMES, encoding::call),
    (files::NAMES, files::call),
    (network::NAMES, network::call),
    (numbers::NAMES, numbers::call),
    (strings::NAMES, strings::call),
    (time::NAMES, time::call),
];

type Function = fn(&Args<'_>, &Path) -> Result<Value, String>;

/// Every function gateform knows, sorted: Terraform's.
pub fn names() -> Vec<&'static str> {
    let mut names: Vec<&str> = GROUPS
        .iter()
        .flat_map(|(names, _)| names.iter().copied())
        .chain(EVALUATED.iter().copied())
        .collect();
    names.sort_unstable();
    names
}

/// Whether `name` is a function; `core::NAME` is the same function as `NAME`.
pub fn exists(name: &str) -> bool {
    EVALUATED.contains(&name) || GROUPS.iter().any(|(names, _)| names.contains(&name))
}

/// The most combinations `setproduct` makes: as many as Terraform makes of two lists of 1024
/// (`range`'s most); one more list of them exhausts memory.
const MAX_PRODUCT: usize = 1 << 20;

/// Calls `name` with `args`. `directory` is the root module's directory, which relative paths
/// given to the file functions are relative to. The error is the message to show at the call.
pub fn call(name: &str, args: &[Value], directory: &Path) -> Result<Value, String> {
    let unknown = args.iter().any(Value::has_unknown);
    if unknown && name != "length" {
        return Ok(Value::Unknown);
    }
    let args = Args { name, values: args };
    match GROUPS.iter().find(|(names, _)| names.contains(&name)) {
        Some((_, function)) => function(&args, directory),
        None => Err(no_such(name)),
    }
}

fn no_such(name: &str) -> String {
    format!("there is no function named `{name}`")
}

/// A call's arguments, with the checks of them every function makes.
#[derive(Clone, Copy)]
pub struct Args<'a> {
    pub name: &'a str,
    pub values: &'a [Value],
}

impl Args<'_> {
    fn count(&self, expected: usize) -> Result<(), String> {
        match self.values.len() == expected {
            true => Ok(()),
            false => Err(format!(
                "`{}` takes {expected} argument{}, not {}",
                self.name,
                if expected == 1 { "" } else { "s" },
                self.values.len()
            )),
        }
    }

    fn get(&self, index: usize) -> Result<&Value, String> {
        self.values
            .get(index)
            .ok_or_else(|| format!("`{}` needs at least {} arguments", self.name, index + 1))
    }

    fn text(&self, index: usize) -> Result<String, String> {
        to_string(self.name, self.get(index)?)
    }

    fn number(&self, index: usize) -> Result<f64, String> {
        let name = self.name;
        match self.get(index)? {
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

    fn list(&self, index: usize) -> Result<Vec<Value>, String> {
        match self.get(index)? {
            Value::List(items) => Ok(items.clone()),
            other => Err(format!(
                "`{}` needs a list, not {}",
                self.name,
                other.type_name()
            )),
        }
    }

    fn map(&self, index: usize) -> Result<BTreeMap<String, Value>, String> {
        match self.get(index)? {
            Value::Map(entries) => Ok(entries.clone()),
            other => Err(format!(
                "`{}` needs a map, not {}",
                self.name,
                other.type_name()
            )),
        }
    }
}

fn string(text: String) -> Result<Value, String> {
    Ok(Value::String(text))
}

fn flag(flag: bool) -> Result<Value, String> {
    Ok(Value::Bool(flag))
}

fn numeric(number: f64) -> Result<Value, String> {
    Ok(Value::Number(number))
}

/// A string's characters as Terraform counts them (`length`, `substr`, `strrev`): grapheme
/// clusters, so that `"🕹️"` is one character, not two code points.
fn characters(text: &str) -> Vec<&str> {
    unicode_segmentation::UnicodeSegmentation::graphemes(text, true).collect()
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

/// The elements as a set: of one type, each once, in a set's order.
fn set(items: Vec<Value>) -> Vec<Value> {
    let mut items = unify(items);
    items.sort_by(set_order);
    items.dedup();
    items
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
/// A string as go-yaml writes it for `yamlencode`: in double quotes, or, when it has several
/// lines and YAML's literal style can hold it, as a `|` block indented by `indent`.
fn yaml_string(text: &str, indent: usize) -> String {
    let literal = text.contains('\n')
        && !text.contains(" \n")
        && !text.ends_with(' ')
        && !text.chars().any(|c| c.is_control() && c != '\n');
    if !literal {
        return serde_json::to_string(text).unwrap_or_default();
    }
    let indicator = match text.starts_with([' ', '\n']) {
        true => "2",
        false => "",
    };
    let body = text.strip_suffix('\n').unwrap_or(text);
    let chomping = match (text.ends_with('\n'), body.ends_with('\n')) {
        (false, _) => "-",
        (true, false) => "",
        (true, true) => "+",
    };
    let pad = " ".repeat(indent);
    let mut out = format!("|{indicator}{chomping}");
    for line in body.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
    }
    out
}

fn yaml(value: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    let scalar = |value: &Value| match value {
        Value::Null => "null".to_owned(),
        Value::Bool(flag) => flag.to_string(),
        Value::Number(number) => format_number(*number),
        Value::String(text) => yaml_string(text, indent + 2),
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

    /// `expression` evaluated in `directory`, with the locals of its main.tf if it has one.
    fn eval_in(expression: &str, directory: &Path) -> Result<Value, String> {
        let expr = hcl_edit::parser::parse_expr(expression).expect("the example parses");
        let scope: BTreeMap<crate::addr::Address, crate::value::Object> = BTreeMap::new();
        let mut sources = crate::diag::Sources::default();
        let file = sources.add("test.hcl".into(), expression.to_owned());
        let mut context = crate::eval::Context::new(std::sync::Arc::from(directory));
        if let Ok(main) = std::fs::read_to_string(directory.join("main.tf")) {
            sources.add("main.tf".into(), main);
            let (config, _) = crate::config::parse(&sources);
            context.locals = config
                .locals
                .into_iter()
                .map(|local| (local.name.clone(), local))
                .collect();
        }
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
            (r#"length("👾🕹️")"#, "2"),
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
        let error = |expression: &str| {
            crate::eval::evaluate(
                &hcl_edit::parser::parse_expr(expression).unwrap(),
                crate::diag::Sources::default().add("t.hcl".into(), String::new()),
                &crate::eval::Context::new(std::sync::Arc::from(Path::new("."))),
                &BTreeMap::<crate::addr::Address, crate::value::Object>::new(),
            )
            .unwrap_err()
        };
        for (expression, message, hint) in [
            (
                "lenght([])",
                "unknown function `lenght`",
                "did you mean `length`?",
            ),
            (
                "type(1)",
                "unknown function `type`",
                "`type` is only available in `terraform console`",
            ),
            (
                r#"templatestring("Hello, $${name}", {})"#,
                "the template must be a reference to a value holding it, such as `local.template`",
                "a template written in place is already rendered: use it directly",
            ),
        ] {
            let error = error(expression);
            assert_eq!(
                (error.message.as_str(), error.hint.as_deref()),
                (message, Some(hint))
            );
        }
    }

    /// Terraform's own answers, from tests/oracle/functions.sh.
    const EXAMPLES: &str = include_str!("../../tests/oracle/functions.examples");
    const GOLDEN: &str = include_str!("../../tests/oracle/functions.golden");
    const TERRAFORM: &str = include_str!("../../tests/oracle/functions.names");

    fn examples_file() -> impl Iterator<Item = (&'static str, &'static str)> {
        EXAMPLES
            .lines()
            .filter(|line| !line.starts_with('#') && !line.is_empty())
            .map(|line| line.split_once('\t').unwrap_or((line, "")))
    }

    fn gunzip(value: &Value) -> Option<Vec<u8>> {
        use base64::Engine as _;
        use std::io::Read as _;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(value.as_str()?)
            .ok()?;
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes.as_slice())
            .read_to_end(&mut out)
            .ok()?;
        Some(out)
    }

    #[test]
    fn every_example_answers_what_terraform_answers() {
        let golden: BTreeMap<&str, &str> = GOLDEN
            .lines()
            .filter_map(|line| line.split_once('\t'))
            .collect();
        let directory = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle/files");
        let json = |text: &str| {
            serde_json::from_str(text)
                .map(|json| Value::from_json(&json))
                .expect("the golden answer is JSON")
        };
        let mut wrong = Vec::new();
        for (expression, mode) in examples_file() {
            let Some(&terraform) = golden.get(expression) else {
                wrong.push(format!(
                    "{expression}: not in functions.golden; run functions.sh"
                ));
                continue;
            };
            let ours = eval_in(expression, &directory);
            let right = match (mode, terraform, &ours) {
                ("unknown", _, Ok(value)) => *value == Value::Unknown,
                ("gunzip", _, Ok(value)) => {
                    gunzip(value).is_some() && gunzip(value) == gunzip(&json(terraform))
                }
                (mode, _, Ok(value)) if mode.starts_with("= ") => *value == json(&mode[2..]),
                ("", "error", ours) => ours.is_err(),
                ("", terraform, Ok(value)) => *value == json(terraform),
                _ => false,
            };
            if !right {
                wrong.push(format!(
                    "{expression}: Terraform {terraform}, gateform {ours:?}"
                ));
            }
        }
        assert!(
            wrong.is_empty(),
            "{} wrong:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
    }

    #[test]
    fn every_function_of_terraform_exists_and_has_an_example() {
        let terraform: Vec<&str> = TERRAFORM.lines().collect();
        assert_eq!(super::names(), terraform);
        let calls = regex::Regex::new(r"([a-z0-9]+)\(").unwrap();
        let called: std::collections::BTreeSet<&str> = examples_file()
            .flat_map(|(expression, _)| calls.captures_iter(expression))
            .map(|call| call.get(1).unwrap().as_str())
            .collect();
        let missing: Vec<&&str> = terraform
            .iter()
            .filter(|name| !called.contains(**name))
            .collect();
        assert!(missing.is_empty(), "no example calls {missing:?}");
    }
}
