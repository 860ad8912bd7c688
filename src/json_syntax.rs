//! Terraform's JSON syntax (`.tf.json`), as CDK for Terraform and generators write it, turned
//! into the native syntax the loader reads. Which JSON objects are blocks and which are values
//! is decided as Terraform decides it, from the schema: a resource's nested blocks, `lifecycle`,
//! `dynamic`, a provider's blocks, a variable's `validation`. Strings are templates, except
//! where Terraform takes them as expressions (`depends_on`, `provider`, `ignore_changes`, a
//! variable's `type`, `moved`'s addresses).
//!
//! The translation keeps a map from each piece it writes back to the JSON it came from, so that
//! a problem is shown at its line in the `.tf.json` file.

use std::ops::Range;

use crate::schema::{BlockSchema, Kind};

/// The native text, and for each key and value written, where it came from in the JSON.
#[derive(Debug, Default)]
pub struct Translation {
    pub text: String,
    pub map: Vec<(Range<usize>, Range<usize>)>,
}

/// `json` in native syntax, or where it is not valid JSON and why.
pub fn translate(json: &str) -> Result<Translation, (usize, String)> {
    let root = Parser { text: json, at: 0 }.document()?;
    let mut out = Translation::default();
    let Json::Object(entries) = &root.value else {
        return Err((
            root.range.start,
            "a `.tf.json` file is one JSON object of blocks".to_owned(),
        ));
    };
    for (key, key_range, value) in entries {
        if key == "//" {
            continue;
        }
        let labels = match key.as_str() {
            "resource" | "data" => 2,
            "variable" | "output" | "module" | "provider" => 1,
            _ => 0,
        };
        out.blocks(key, key_range, value, labels, &mut Vec::new(), None);
    }
    Ok(out)
}

/// What a body is, which says which of its names are blocks.
#[derive(Clone, Copy)]
enum Body {
    /// A resource of `kind` (gateform's), or of a type gateform does not manage.
    Resource(Option<Kind>),
    Nested(&'static BlockSchema),
    Lifecycle,
    Provider,
    Variable,
    Output,
    Terraform,
    /// `removed`: a `lifecycle` block.
    Removed,
    /// `moved` and `import`: addresses as expressions.
    Addresses,
    /// `dynamic "NAME"`: its `content` is a body of the block NAME.
    Dynamic(Option<&'static BlockSchema>),
    Plain,
}

impl Body {
    fn of(block: &str, labels: &[(String, Range<usize>)]) -> Body {
        match block {
            "resource" => Body::Resource(labels.first().and_then(|(kind, _)| kind.parse().ok())),
            "provider" => Body::Provider,
            "variable" => Body::Variable,
            "output" => Body::Output,
            "terraform" => Body::Terraform,
            "removed" => Body::Removed,
            "moved" | "import" => Body::Addresses,
            "lifecycle" => Body::Lifecycle,
            _ => Body::Plain,
        }
    }

    /// The body of a nested block named `name` in this one, if `name` is a block here.
    fn block(self, name: &str) -> Option<(Body, usize)> {
        let nested = |blocks: &'static [BlockSchema]| {
            blocks
                .iter()
                .find(|block| block.name == name)
                .map(|block| (Body::Nested(block), 0))
        };
        match (self, name) {
            (Body::Resource(_) | Body::Removed, "lifecycle") => Some((Body::Lifecycle, 0)),
            (Body::Dynamic(block), "content") => Some((block.map_or(Body::Plain, Body::Nested), 0)),
            (Body::Resource(_), "provisioner") => Some((Body::Plain, 1)),
            (Body::Resource(_), "connection") => Some((Body::Plain, 0)),
            (Body::Resource(Some(kind)), _) => nested(kind.schema().blocks),
            (Body::Nested(block), _) => nested(block.blocks),
            (Body::Lifecycle | Body::Output, "precondition" | "postcondition") => {
                Some((Body::Plain, 0))
            }
            (Body::Provider, "default_tags") => Some((Body::Plain, 0)),
            (Body::Provider, _) => crate::connection::BLOCKS
                .iter()
                .any(|(block, _)| *block == name)
                .then_some((Body::Plain, 0)),
            (Body::Variable, "validation") => Some((Body::Plain, 0)),
            (Body::Terraform, "required_providers") => Some((Body::Plain, 0)),
            (Body::Terraform, "backend" | "cloud") => {
                Some((Body::Plain, usize::from(name == "backend")))
            }
            _ => None,
        }
    }

    /// Whether the strings of the attribute `name` are expressions rather than templates.
    fn expression(self, name: &str) -> bool {
        matches!(
            (self, name),
            (_, "depends_on")
                | (Body::Resource(_), "provider")
                | (Body::Lifecycle, "ignore_changes" | "replace_triggered_by")
                | (Body::Variable, "type")
                | (Body::Addresses | Body::Removed, "from" | "to")
                | (Body::Plain, "providers")
        )
    }
}

impl Translation {
    /// The blocks of type `block` that `value` holds, under `labels` more levels of names:
    /// one, or an array of them. `body` is what they are; `None` for a top-level block, which
    /// its type and names say.
    fn blocks(
        &mut self,
        block: &str,
        key: &Range<usize>,
        value: &Node,
        labels: usize,
        named: &mut Vec<(String, Range<usize>)>,
        body: Option<Body>,
    ) {
        if labels > 0 {
            if let Json::Object(entries) = &value.value {
                for (name, name_range, inner) in entries {
                    named.push((name.clone(), name_range.clone()));
                    self.blocks(block, key, inner, labels - 1, named, body);
                    named.pop();
                }
            }
            return;
        }
        let items: Vec<&Node> = match &value.value {
            Json::Array(items)
                if items
                    .iter()
                    .all(|item| matches!(item.value, Json::Object(_))) =>
            {
                items.iter().collect()
            }
            _ => vec![value],
        };
        let body = body.unwrap_or_else(|| Body::of(block, named));
        for item in items {
            self.block(block, key, named, item, body);
        }
    }

    fn block(
        &mut self,
        name: &str,
        key: &Range<usize>,
        labels: &[(String, Range<usize>)],
        node: &Node,
        body: Body,
    ) {
        self.piece(name, key);
        for (label, range) in labels {
            self.text.push(' ');
            self.piece(&quoted(label), range);
        }
        self.text.push_str(" {\n");
        match &node.value {
            Json::Object(entries) => self.body(entries, body),
            _ => {
                // Not an object: written as an attribute that the loader reports.
                self.piece("__body_must_be_an_object__", &node.range);
                self.text.push_str(" = null\n");
            }
        }
        self.text.push_str("}\n");
    }

    fn body(&mut self, entries: &[(String, Range<usize>, Node)], body: Body) {
        for (name, key, value) in entries {
            if name == "//" {
                continue;
            }
            if let (true, Json::Object(labels)) = (
                name == "dynamic" && matches!(body, Body::Resource(_) | Body::Nested(_)),
                &value.value,
            ) {
                for (label, label_range, inner) in labels {
                    let content = match body.block(label) {
                        Some((Body::Nested(block), _)) => Some(block),
                        _ => None,
                    };
                    let named = [(label.clone(), label_range.clone())];
                    self.block(name, key, &named, inner, Body::Dynamic(content));
                }
                continue;
            }
            match body.block(name) {
                Some((inner, labels)) => {
                    let mut named = Vec::new();
                    self.blocks(name, key, value, labels, &mut named, Some(inner));
                }
                None => {
                    self.piece(name, key);
                    self.text.push_str(" = ");
                    self.expression(value, body.expression(name));
                    self.text.push('\n');
                }
            }
        }
    }

    /// A JSON value as a native expression: strings as templates, or as expressions where
    /// `expression` says.
    fn expression(&mut self, node: &Node, expression: bool) {
        let start = self.text.len();
        match &node.value {
            Json::Null => self.text.push_str("null"),
            Json::Bool(flag) => self.text.push_str(if *flag { "true" } else { "false" }),
            Json::Number(number) => self.text.push_str(number),
            Json::String(text) if expression => self.text.push_str(text),
            Json::String(text) => self.text.push_str(&quoted(text)),
            Json::Array(items) => {
                self.text.push('[');
                for (index, item) in items.iter().enumerate() {
                    if index > 0 {
                        self.text.push_str(", ");
                    }
                    self.expression(item, expression);
                }
                self.text.push(']');
            }
            Json::Object(entries) => {
                self.text.push_str("{\n");
                for (key, key_range, value) in entries {
                    self.piece(&quoted(key), key_range);
                    self.text.push_str(" = ");
                    self.expression(value, expression);
                    self.text.push('\n');
                }
                self.text.push('}');
            }
        }
        self.map.push((start..self.text.len(), node.range.clone()));
    }

    fn piece(&mut self, text: &str, from: &Range<usize>) {
        let start = self.text.len();
        self.text.push_str(text);
        self.map.push((start..self.text.len(), from.clone()));
    }
}

/// A string as a native quoted template: the JSON string's `${...}` stay interpolations.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A JSON value with where it is in the text; objects keep their keys in order, with where each
/// key is.
struct Node {
    value: Json,
    range: Range<usize>,
}

enum Json {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Node>),
    Object(Vec<(String, Range<usize>, Node)>),
}

struct Parser<'a> {
    text: &'a str,
    at: usize,
}

impl Parser<'_> {
    fn document(mut self) -> Result<Node, (usize, String)> {
        let node = self.value()?;
        self.space();
        match self.at < self.text.len() {
            true => Err((self.at, "more text after the JSON object".to_owned())),
            false => Ok(node),
        }
    }

    fn space(&mut self) {
        let rest = &self.text[self.at..];
        self.at += rest.len() - rest.trim_start_matches([' ', '\t', '\n', '\r']).len();
    }

    fn fail<T>(&self, what: &str) -> Result<T, (usize, String)> {
        Err((self.at, format!("invalid JSON: expected {what}")))
    }

    fn value(&mut self) -> Result<Node, (usize, String)> {
        self.space();
        let start = self.at;
        let rest = &self.text[self.at..];
        let value = match rest.chars().next() {
            Some('{') => self.object()?,
            Some('[') => self.array()?,
            Some('"') => Json::String(self.string()?),
            Some('t') if rest.starts_with("true") => {
                self.at += 4;
                Json::Bool(true)
            }
            Some('f') if rest.starts_with("false") => {
                self.at += 5;
                Json::Bool(false)
            }
            Some('n') if rest.starts_with("null") => {
                self.at += 4;
                Json::Null
            }
            Some(c) if c == '-' || c.is_ascii_digit() => {
                let length = rest
                    .find(|c: char| !(c.is_ascii_digit() || "+-.eE".contains(c)))
                    .unwrap_or(rest.len());
                let number = &rest[..length];
                if number.parse::<f64>().is_err() {
                    return self.fail("a number");
                }
                self.at += length;
                Json::Number(number.to_owned())
            }
            _ => return self.fail("a value"),
        };
        Ok(Node {
            value,
            range: start..self.at,
        })
    }

    fn object(&mut self) -> Result<Json, (usize, String)> {
        self.at += 1;
        let mut entries = Vec::new();
        self.space();
        if self.text[self.at..].starts_with('}') {
            self.at += 1;
            return Ok(Json::Object(entries));
        }
        loop {
            self.space();
            let key_start = self.at;
            if !self.text[self.at..].starts_with('"') {
                return self.fail("a quoted key");
            }
            let key = self.string()?;
            let key_range = key_start..self.at;
            self.space();
            if !self.text[self.at..].starts_with(':') {
                return self.fail("`:`");
            }
            self.at += 1;
            let value = self.value()?;
            entries.push((key, key_range, value));
            self.space();
            match self.text[self.at..].chars().next() {
                Some(',') => self.at += 1,
                Some('}') => {
                    self.at += 1;
                    return Ok(Json::Object(entries));
                }
                _ => return self.fail("`,` or `}`"),
            }
        }
    }

    fn array(&mut self) -> Result<Json, (usize, String)> {
        self.at += 1;
        let mut items = Vec::new();
        self.space();
        if self.text[self.at..].starts_with(']') {
            self.at += 1;
            return Ok(Json::Array(items));
        }
        loop {
            items.push(self.value()?);
            self.space();
            match self.text[self.at..].chars().next() {
                Some(',') => self.at += 1,
                Some(']') => {
                    self.at += 1;
                    return Ok(Json::Array(items));
                }
                _ => return self.fail("`,` or `]`"),
            }
        }
    }

    fn string(&mut self) -> Result<String, (usize, String)> {
        let start = self.at;
        self.at += 1;
        let mut out = String::new();
        let mut chars = self.text[self.at..].char_indices();
        while let Some((offset, c)) = chars.next() {
            match c {
                '"' => {
                    self.at += offset + 1;
                    return Ok(out);
                }
                '\\' => {
                    let Some((_, escape)) = chars.next() else {
                        break;
                    };
                    match escape {
                        '"' | '\\' | '/' => out.push(escape),
                        'b' => out.push('\u{8}'),
                        'f' => out.push('\u{c}'),
                        'n' => out.push('\n'),
                        'r' => out.push('\r'),
                        't' => out.push('\t'),
                        'u' => {
                            let hex: String = chars.by_ref().take(4).map(|(_, c)| c).collect();
                            let unit = u32::from_str_radix(&hex, 16).map_err(|_| {
                                (
                                    self.at + offset,
                                    "invalid JSON: a bad `\\u` escape".to_owned(),
                                )
                            })?;
                            out.push(char::from_u32(unit).unwrap_or('\u{fffd}'));
                        }
                        _ => {
                            return Err((
                                self.at + offset,
                                "invalid JSON: a bad escape".to_owned(),
                            ));
                        }
                    }
                }
                c => out.push(c),
            }
        }
        Err((
            start,
            "invalid JSON: a string that is not closed".to_owned(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_and_values_are_told_apart_by_the_schema() {
        let json = r#"{
  "variable": { "stage": { "type": "string", "default": "live" } },
  "resource": {
    "aws_apigatewayv2_api": {
      "example": {
        "name": "example-${var.stage}",
        "protocol_type": "HTTP",
        "cors_configuration": { "allow_origins": ["*"] },
        "tags": { "Team": "payments" },
        "lifecycle": { "ignore_changes": ["tags"] }
      }
    }
  },
  "output": { "id": { "value": "${aws_apigatewayv2_api.example.id}" } }
}"#;
        let translation = translate(json).unwrap();
        assert_eq!(
            translation.text,
            r#"variable "stage" {
type = string
default = "live"
}
resource "aws_apigatewayv2_api" "example" {
name = "example-${var.stage}"
protocol_type = "HTTP"
cors_configuration {
allow_origins = ["*"]
}
tags = {
"Team" = "payments"
}
lifecycle {
ignore_changes = [tags]
}
}
output "id" {
value = "${aws_apigatewayv2_api.example.id}"
}
"#
        );
        // `protocol_type`'s value in the native text came from its value in the JSON.
        let written = translation.text.find("\"HTTP\"").unwrap();
        let json_source = crate::diag::JsonSource {
            text: json.to_owned(),
            map: translation.map,
            error: None,
        };
        let from = json_source.original(&(written..written + 6));
        assert_eq!(&json[from], "\"HTTP\"");
    }

    #[test]
    fn invalid_json_is_reported_where_it_goes_wrong() {
        let json = "{\n  \"resource\": {\n    \"x\": 1,\n  }\n}";
        let (offset, message) = translate(json).unwrap_err();
        // At the `}` after the trailing comma.
        assert_eq!(
            (&json[offset..offset + 1], message.as_str()),
            ("}", "invalid JSON: expected a quoted key")
        );
    }
}
