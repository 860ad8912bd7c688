//! Resource addresses: `module.m["k"].aws_apigatewayv2_route.r["GET /x"]`.
//!
//! An address already carries a module path and an instance key, so `count`, `for_each` and modules
//! can arrive without changing this type. Addresses order the way Terraform lists them in a plan.

use std::fmt;
use std::str::FromStr;

use crate::schema::Kind;

/// The address of one resource instance.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Address {
    pub module: Vec<ModuleStep>,
    pub kind: Kind,
    pub name: String,
    pub key: Option<InstanceKey>,
}

/// One `module.NAME[KEY]` step of a module path.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModuleStep {
    pub name: String,
    pub key: Option<InstanceKey>,
}

/// The key of one instance of a resource or module with `count` (`[0]`) or `for_each` (`["a"]`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InstanceKey {
    Index(u64),
    Key(String),
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("invalid resource address `{input}`: {reason}")]
pub struct ParseAddressError {
    input: String,
    reason: String,
}

impl Address {
    /// Whether this address, as a `--target`, takes `other`: the same address, or, without an
    /// instance key, every instance of the resource.
    pub fn covers(&self, other: &Address) -> bool {
        self == other
            || (self.key.is_none()
                && self.module == other.module
                && self.kind == other.kind
                && self.name == other.name)
    }

    /// The resource this is an instance of: the same address without its key.
    pub fn resource(&self) -> Address {
        Address {
            key: None,
            ..self.clone()
        }
    }

    /// The address of a resource in the root module without an instance key.
    pub fn root(kind: Kind, name: impl Into<String>) -> Address {
        Address {
            module: Vec::new(),
            kind,
            name: name.into(),
            key: None,
        }
    }
}

/// Whether `name` is a valid Terraform identifier (resource and module names).
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

impl Address {
    /// The module the resource is in, such as `module.api["orders"]`; empty at the root.
    pub fn module_path(&self) -> String {
        module_path(&self.module)
    }
}

/// A module instance's path, such as `module.api["orders"].module.routes`; empty at the root.
pub fn module_path(module: &[ModuleStep]) -> String {
    let steps: Vec<String> = module
        .iter()
        .map(|step| match &step.key {
            Some(key) => format!("module.{}[{key}]", step.name),
            None => format!("module.{}", step.name),
        })
        .collect();
    steps.join(".")
}

/// Addresses and targets are written as they are spelled, `aws_apigatewayv2_route.this["GET /pets"]`.
macro_rules! serde_as_text {
    ($($type:ty),*) => {$(
        impl serde::Serialize for $type {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $type {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<$type, D::Error> {
                let text = String::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    )*};
}

serde_as_text!(Address, Target);

/// A set of addresses kept as a sorted vector: what a resource depends on. It holds one or a
/// few addresses, for which a `BTreeSet` would allocate room for eleven, 900 bytes per resource.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(from = "Vec<Address>")]
pub struct Addresses(Vec<Address>);

impl Addresses {
    pub fn iter(&self) -> std::slice::Iter<'_, Address> {
        self.0.iter()
    }

    pub fn contains(&self, address: &Address) -> bool {
        self.0.binary_search(address).is_ok()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<Vec<Address>> for Addresses {
    fn from(mut addresses: Vec<Address>) -> Addresses {
        addresses.sort();
        addresses.dedup();
        addresses.shrink_to_fit();
        Addresses(addresses)
    }
}

impl FromIterator<Address> for Addresses {
    fn from_iter<I: IntoIterator<Item = Address>>(addresses: I) -> Addresses {
        Addresses::from(addresses.into_iter().collect::<Vec<_>>())
    }
}

impl<'a> IntoIterator for &'a Addresses {
    type Item = &'a Address;
    type IntoIter = std::slice::Iter<'a, Address>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.module.is_empty() {
            write!(f, "{}.", self.module_path())?;
        }
        write!(f, "{}.{}", self.kind, self.name)?;
        if let Some(key) = &self.key {
            write!(f, "[{key}]")?;
        }
        Ok(())
    }
}

impl fmt::Display for InstanceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InstanceKey::Index(index) => write!(f, "{index}"),
            // JSON string escaping is HCL's quoted-string escaping for every character a key can hold.
            InstanceKey::Key(key) => {
                f.write_str(&serde_json::to_string(key).map_err(|_| fmt::Error)?)
            }
        }
    }
}

impl FromStr for Address {
    type Err = ParseAddressError;

    fn from_str(input: &str) -> Result<Address, ParseAddressError> {
        match input.parse::<Target>()? {
            Target::Resource(address) => Ok(address),
            Target::Module(_) => Err(ParseAddressError {
                input: input.to_owned(),
                reason: "expected a resource after the module path".to_owned(),
            }),
        }
    }
}

/// What a `moved` block or `--target` names: a resource or one of its instances, or a module
/// call (`module.api`, every instance of it) or module instance (`module.api["a"]`) with all
/// that is in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Resource(Address),
    Module(Vec<ModuleStep>),
}

impl Target {
    /// Whether `address` is among what this names: without a key, every instance of the
    /// resource or module; a module, everything in it.
    pub fn covers(&self, address: &Address) -> bool {
        match self {
            Target::Resource(target) => target.covers(address),
            Target::Module(path) => {
                path.len() <= address.module.len()
                    && path.iter().zip(&address.module).all(|(step, other)| {
                        step.name == other.name && (step.key.is_none() || step.key == other.key)
                    })
            }
        }
    }

    /// Where a `moved { from = self  to = to }` block puts the object at `address`, if it moves
    /// it. A resource or module named without a key on either side moves with all its instances,
    /// each keeping its key (`module.a` to `module.b`: `module.a[0].x` to `module.b[0].x`);
    /// otherwise the one instance moves (`aws_x.a` to `aws_x.a[0]` when `count` is added).
    pub fn moved(&self, to: &Target, address: &Address) -> Option<Address> {
        match (self, to) {
            (Target::Resource(from), Target::Resource(to)) => {
                let whole = from.key.is_none() && to.key.is_none();
                let taken = match whole {
                    true => from.covers(address),
                    false => from == address,
                };
                taken.then(|| Address {
                    key: if whole {
                        address.key.clone()
                    } else {
                        to.key.clone()
                    },
                    ..to.clone()
                })
            }
            (Target::Module(from), Target::Module(to)) => {
                let (from_last, to_last) = (from.last()?, to.last()?);
                let whole = from_last.key.is_none() && to_last.key.is_none();
                let depth = from.len();
                let inside = address.module.get(..depth)?;
                let taken = inside[..depth - 1] == from[..depth - 1]
                    && inside[depth - 1].name == from_last.name
                    && (whole || inside[depth - 1].key == from_last.key);
                if !taken {
                    return None;
                }
                let mut module = to.clone();
                if whole {
                    module[to.len() - 1].key = inside[depth - 1].key.clone();
                }
                module.extend_from_slice(&address.module[depth..]);
                Some(Address {
                    module,
                    ..address.clone()
                })
            }
            _ => None,
        }
    }

    /// This target inside the module instance at `path`: where a child module's `moved` block
    /// points, from the root.
    pub fn within(self, path: &[ModuleStep]) -> Target {
        match self {
            Target::Resource(address) => {
                let mut module = path.to_vec();
                module.extend(address.module);
                Target::Resource(Address { module, ..address })
            }
            Target::Module(steps) => Target::Module(path.iter().cloned().chain(steps).collect()),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Resource(address) => address.fmt(f),
            Target::Module(path) => f.write_str(&module_path(path)),
        }
    }
}

impl FromStr for Target {
    type Err = ParseAddressError;

    fn from_str(input: &str) -> Result<Target, ParseAddressError> {
        let error = |reason: &str| ParseAddressError {
            input: input.to_owned(),
            reason: reason.to_owned(),
        };
        let mut parser = Parser { rest: input };
        let mut module = Vec::new();
        loop {
            let word = parser
                .identifier()
                .ok_or_else(|| error("expected a name"))?;
            if word == "module" {
                parser
                    .dot()
                    .ok_or_else(|| error("expected `.` after `module`"))?;
                let name = parser
                    .identifier()
                    .ok_or_else(|| error("expected a module name"))?;
                let key = parser.key().map_err(|reason| error(&reason))?;
                module.push(ModuleStep { name, key });
                if parser.rest.is_empty() {
                    return Ok(Target::Module(module));
                }
                parser
                    .dot()
                    .ok_or_else(|| error("expected `.` after the module name"))?;
                continue;
            }
            let kind: Kind = word
                .parse()
                .map_err(|_| error(&format!("unknown resource type `{word}`")))?;
            parser
                .dot()
                .ok_or_else(|| error("expected `.` after the resource type"))?;
            let name = parser
                .identifier()
                .ok_or_else(|| error("expected a resource name"))?;
            let key = parser.key().map_err(|reason| error(&reason))?;
            if !parser.rest.is_empty() {
                return Err(error(&format!("unexpected `{}`", parser.rest)));
            }
            return Ok(Target::Resource(Address {
                module,
                kind,
                name,
                key,
            }));
        }
    }
}

struct Parser<'a> {
    rest: &'a str,
}

impl Parser<'_> {
    fn identifier(&mut self) -> Option<String> {
        let end = self
            .rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(self.rest.len());
        let word = &self.rest[..end];
        if !is_identifier(word) {
            return None;
        }
        self.rest = &self.rest[end..];
        Some(word.to_owned())
    }

    fn dot(&mut self) -> Option<()> {
        self.rest = self.rest.strip_prefix('.')?;
        Some(())
    }

    fn key(&mut self) -> Result<Option<InstanceKey>, String> {
        let Some(rest) = self.rest.strip_prefix('[') else {
            return Ok(None);
        };
        let end = closing_bracket(rest).ok_or("missing `]` after the instance key")?;
        let inner = &rest[..end];
        let key = if inner.starts_with('"') {
            InstanceKey::Key(
                serde_json::from_str(inner)
                    .map_err(|_| format!("invalid quoted instance key `{inner}`"))?,
            )
        } else {
            InstanceKey::Index(inner.parse().map_err(|_| {
                format!("instance key `{inner}` is neither a number nor a quoted string")
            })?)
        };
        self.rest = &rest[end + 1..];
        Ok(Some(key))
    }
}

/// The position of the `]` that closes an instance key, skipping brackets inside a quoted string.
fn closing_bracket(text: &str) -> Option<usize> {
    let mut in_string = false;
    let mut escaped = false;
    for (index, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            ']' if !in_string => return Some(index),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_target_without_a_key_covers_every_instance() {
        let address = |text: &str| text.parse::<Address>().unwrap();
        let all = address("aws_apigatewayv2_route.this");
        let one = address(r#"aws_apigatewayv2_route.this["GET /pets"]"#);
        let other = address(r#"aws_apigatewayv2_route.this["GET /users"]"#);
        assert!(all.covers(&one) && all.covers(&other) && all.covers(&all));
        assert!(one.covers(&one) && !one.covers(&other) && !one.covers(&all));
        assert!(!all.covers(&address("aws_apigatewayv2_route.that")));
        assert!(!all.covers(&address("module.m.aws_apigatewayv2_route.this")));
    }

    #[test]
    fn round_trips_module_path_and_instance_keys() {
        for text in [
            "aws_apigatewayv2_api.example",
            "aws_apigatewayv2_route.this[0]",
            r#"module.m.aws_apigatewayv2_route.r["GET /x"]"#,
            r#"module.a["k"].module.b[2].aws_apigatewayv2_api.x"#,
            r#"aws_apigatewayv2_route.r["say \"hi\" [now]"]"#,
        ] {
            let address: Address = text.parse().unwrap();
            assert_eq!(address.to_string(), text);
        }
    }

    #[test]
    fn rejects_unknown_types_and_stray_text() {
        assert_eq!(
            "aws_apigatewayv2_stagee.x"
                .parse::<Address>()
                .unwrap_err()
                .to_string(),
            "invalid resource address `aws_apigatewayv2_stagee.x`: unknown resource type `aws_apigatewayv2_stagee`"
        );
        assert_eq!(
            "aws_apigatewayv2_api.x.id"
                .parse::<Address>()
                .unwrap_err()
                .to_string(),
            "invalid resource address `aws_apigatewayv2_api.x.id`: unexpected `.id`"
        );
    }

    #[test]
    fn orders_like_a_terraform_plan() {
        let mut addresses: Vec<Address> = [
            "aws_apigatewayv2_route.b",
            "aws_apigatewayv2_api.z",
            "aws_apigatewayv2_route.a[1]",
            "aws_apigatewayv2_route.a[0]",
        ]
        .iter()
        .map(|text| text.parse().unwrap())
        .collect();
        addresses.sort();
        let sorted: Vec<String> = addresses.iter().map(ToString::to_string).collect();
        assert_eq!(
            sorted,
            [
                "aws_apigatewayv2_api.z",
                "aws_apigatewayv2_route.a[0]",
                "aws_apigatewayv2_route.a[1]",
                "aws_apigatewayv2_route.b"
            ]
        );
    }
}
