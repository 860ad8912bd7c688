//! How gateform reaches AWS: what `provider "aws"` says about credentials, the account,
//! endpoints, retries and tags to leave alone, as the AWS provider documents it. Plain values:
//! resolve makes them from the configuration, and the AWS side connects with them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::value::Value;

/// The type an argument of the provider block takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    String,
    Strings,
    Bool,
    Number,
    StringMap,
}

impl Shape {
    /// How a message names the type.
    pub fn describe(self) -> &'static str {
        match self {
            Shape::String => "a string",
            Shape::Strings => "a list of strings",
            Shape::Bool => "true or false",
            Shape::Number => "a number",
            Shape::StringMap => "a map of strings",
        }
    }

    /// Whether `value` has this shape (null is "not set", and always fits).
    pub fn fits(self, value: &Value) -> bool {
        let string = |value: &Value| matches!(value, Value::String(_) | Value::Unknown);
        match (self, value) {
            (_, Value::Null | Value::Unknown) => true,
            (Shape::String, Value::String(_)) => true,
            (Shape::Bool, Value::Bool(_)) => true,
            (Shape::Number, Value::Number(_)) => true,
            (Shape::Strings, Value::List(items)) => items.iter().all(string),
            (Shape::StringMap, Value::Map(entries)) => entries.values().all(string),
            _ => false,
        }
    }
}

/// The provider block's arguments that say how to connect (besides `region` and `alias`, which
/// each provider configuration has for itself).
pub const ARGUMENTS: &[(&str, Shape)] = &[
    ("access_key", Shape::String),
    ("secret_key", Shape::String),
    ("token", Shape::String),
    ("profile", Shape::String),
    ("shared_config_files", Shape::Strings),
    ("shared_credentials_files", Shape::Strings),
    ("allowed_account_ids", Shape::Strings),
    ("forbidden_account_ids", Shape::Strings),
    ("max_retries", Shape::Number),
    ("rate", Shape::Number),
    ("retry_mode", Shape::String),
    ("skip_credentials_validation", Shape::Bool),
    ("skip_requesting_account_id", Shape::Bool),
    ("skip_metadata_api_check", Shape::Bool),
    ("skip_region_validation", Shape::Bool),
];

/// The provider block's nested blocks that say how to connect, with their arguments.
/// `endpoints` takes any service's name: gateform uses `apigatewayv2`, `sts` and `s3`.
pub const BLOCKS: &[(&str, &[(&str, Shape)])] = &[
    (
        "assume_role",
        &[
            ("role_arn", Shape::String),
            ("session_name", Shape::String),
            ("external_id", Shape::String),
            ("duration", Shape::String),
            ("policy", Shape::String),
            ("policy_arns", Shape::Strings),
            ("tags", Shape::StringMap),
        ],
    ),
    (
        "assume_role_with_web_identity",
        &[
            ("role_arn", Shape::String),
            ("session_name", Shape::String),
            ("web_identity_token", Shape::String),
            ("web_identity_token_file", Shape::String),
            ("duration", Shape::String),
            ("policy", Shape::String),
            ("policy_arns", Shape::Strings),
        ],
    ),
    ("endpoints", &[]),
    (
        "ignore_tags",
        &[("keys", Shape::Strings), ("key_prefixes", Shape::Strings)],
    ),
];

/// The AWS provider's arguments and blocks gateform does not do, with why.
pub const NOT_SUPPORTED: &[(&str, &str)] = &[
    (
        "transitive_tag_keys",
        "session tags are not passed on to chained roles",
    ),
    (
        "source_identity",
        "the AWS SDK for Rust's role provider does not set it",
    ),
];

/// How gateform connects, from the provider block; the default is aws-config's standard chain.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Connection {
    /// `access_key`, `secret_key` and `token`: credentials written in the configuration.
    pub keys: Option<Keys>,
    pub profile: Option<String>,
    /// In place of `~/.aws/config` and `~/.aws/credentials`, when set.
    pub shared_config_files: Vec<PathBuf>,
    pub shared_credentials_files: Vec<PathBuf>,
    /// Roles to assume, in order, each with the credentials of the one before.
    pub assume_role: Vec<AssumeRole>,
    pub web_identity: Option<WebIdentity>,
    /// The accounts gateform may change, or must not: checked before anything is read or changed.
    pub allowed_account_ids: Vec<String>,
    pub forbidden_account_ids: Vec<String>,
    /// Endpoint URLs by service (`apigatewayv2`, `sts`, `s3`).
    pub endpoints: BTreeMap<String, String>,
    /// Retries after the first attempt; the SDK's standard 2 when unset (the AWS provider's 25
    /// would make an emulator's 500 for an operation it lacks cost minutes).
    pub max_retries: Option<u32>,
    pub adaptive_retries: bool,
    pub skip_credentials_validation: bool,
    pub skip_metadata_api_check: bool,
    pub skip_region_validation: bool,
    pub ignore_tags: IgnoreTags,
    /// `rate`: the API Gateway requests a second gateform allows itself, in all regions.
    pub rate: Rate,
    /// Set from the command line, not the provider block.
    pub timeouts: Timeouts,
}

/// The API Gateway management requests a second gateform sends at most: AWS's quota for an
/// account is about 10, in bursts of 40, for all operations together.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rate(Option<f64>);

impl Rate {
    /// `0` means no limit.
    pub fn per_second(rate: f64) -> Rate {
        Rate((rate > 0.0).then_some(rate))
    }

    /// A rate as written: `0` for no limit, else at least one request a minute.
    pub fn parse(rate: f64) -> Result<Rate, String> {
        match rate == 0.0 || (rate.is_finite() && rate >= 1.0 / 60.0) {
            true => Ok(Rate::per_second(rate)),
            false => Err(
                "the requests a second, such as 10 or 2.5, at least one a minute (0.017); 0 for no limit"
                    .to_owned(),
            ),
        }
    }

    /// The requests a second, or `None` for no limit.
    pub fn limit(self) -> Option<f64> {
        self.0
    }

    /// The burst a rate allows: four seconds' worth, and at most AWS's 40.
    pub fn burst(rate: f64) -> f64 {
        (rate * 4.0).clamp(1.0, 40.0)
    }
}

impl Default for Rate {
    fn default() -> Rate {
        Rate(Some(10.0))
    }
}

impl std::fmt::Display for Rate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(rate) => write!(f, "{rate} requests/s, bursts of {}", Rate::burst(rate)),
            None => f.write_str("no rate limit"),
        }
    }
}

impl Connection {
    /// How many times a call is tried in all: `max_retries` and one.
    pub fn attempts(&self) -> u32 {
        self.max_retries.unwrap_or(2).saturating_add(1)
    }
}

/// What the command line says about connecting, over the provider block.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Tuning {
    pub timeouts: Timeouts,
    /// `--rate`, over the provider block's `rate`.
    pub rate: Option<Rate>,
}

impl Connection {
    /// The connection with the command line's settings.
    pub fn tuned(&self, tuning: Tuning) -> Connection {
        Connection {
            timeouts: tuning.timeouts,
            rate: tuning.rate.unwrap_or(self.rate),
            ..self.clone()
        }
    }
}

/// How long one AWS call may take: to connect, and for each attempt in all. A call that takes
/// longer is abandoned, and its outcome is unknown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    pub connect: std::time::Duration,
    pub call: std::time::Duration,
}

impl Default for Timeouts {
    fn default() -> Timeouts {
        Timeouts {
            connect: std::time::Duration::from_secs(10),
            call: std::time::Duration::from_secs(60),
        }
    }
}

#[derive(Clone, PartialEq)]
pub struct Keys {
    pub access_key: String,
    pub secret_key: String,
    pub token: Option<String>,
}

/// Written without the secret, for messages and debug output.
impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Keys({})", self.access_key)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct AssumeRole {
    pub role_arn: String,
    pub session_name: Option<String>,
    pub external_id: Option<String>,
    pub duration: Option<Duration>,
    pub policy: Option<String>,
    pub policy_arns: Vec<String>,
    pub tags: BTreeMap<String, String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct WebIdentity {
    pub role_arn: String,
    pub session_name: Option<String>,
    pub token: WebIdentityToken,
    pub duration: Option<Duration>,
    pub policy: Option<String>,
    pub policy_arns: Vec<String>,
}

#[derive(Clone, PartialEq)]
pub enum WebIdentityToken {
    Literal(String),
    /// Read each time credentials are needed, for tokens that are rotated.
    File(PathBuf),
}

impl std::fmt::Debug for WebIdentityToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WebIdentityToken::Literal(_) => f.write_str("Literal(..)"),
            WebIdentityToken::File(path) => write!(f, "File({})", path.display()),
        }
    }
}

/// Tags gateform neither reads nor changes, as others (a cost tool, a security scanner) set them;
/// and always, as the AWS provider, those AWS itself sets (`aws:cloudformation:stack-name` on
/// what SAM and the Serverless Framework make), which no one may write.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IgnoreTags {
    pub keys: Vec<String>,
    pub key_prefixes: Vec<String>,
}

impl IgnoreTags {
    pub fn ignores(&self, key: &str) -> bool {
        key.starts_with("aws:")
            || self.keys.iter().any(|ignored| ignored == key)
            || self
                .key_prefixes
                .iter()
                .any(|prefix| key.starts_with(prefix.as_str()))
    }

    /// `tags` without the ignored ones.
    pub fn strip(&self, tags: &mut BTreeMap<String, Value>) {
        tags.retain(|key, _| !self.ignores(key));
    }
}

/// A problem with one argument or block: its name (`assume_role.duration`, `assume_role`) and
/// what is wrong.
pub type Problem = (String, String);

/// The provider block's connection arguments, evaluated and of their shapes.
#[derive(Default)]
pub struct Values {
    pub arguments: BTreeMap<String, Value>,
    /// Each nested block, by its name, in order.
    pub blocks: Vec<(String, BTreeMap<String, Value>)>,
}

impl Connection {
    /// The connection `values` describe, or what is wrong with them. Unknown values (a variable
    /// with no value, in `validate`) are taken as unset. Relative file names are under `root`,
    /// the configuration's directory, as `terraform -chdir=DIR` reads them.
    pub fn read(values: &Values, root: &Path) -> Result<Connection, Vec<Problem>> {
        let paths = |value: Option<&Value>| -> Vec<PathBuf> {
            texts(value)
                .iter()
                .map(|path| root.join(expand_home(path)))
                .collect()
        };
        let mut problems = Vec::new();
        let arguments = &values.arguments;
        let string = |name: &str| text(arguments.get(name));
        let flag = |name: &str| arguments.get(name) == Some(&Value::Bool(true));
        let keys = match (string("access_key"), string("secret_key")) {
            (Some(access_key), Some(secret_key)) => Some(Keys {
                access_key,
                secret_key,
                token: string("token"),
            }),
            (None, None) => None,
            (Some(_), None) | (None, Some(_)) => {
                let written = match string("access_key") {
                    Some(_) => "access_key",
                    None => "secret_key",
                };
                problems.push((
                    written.to_owned(),
                    "`access_key` and `secret_key` are set together, or neither".to_owned(),
                ));
                None
            }
        };
        let max_retries = match arguments.get("max_retries") {
            Some(Value::Number(number)) if *number >= 0.0 && number.fract() == 0.0 => {
                Some(*number as u32)
            }
            Some(Value::Number(_)) => {
                problems.push((
                    "max_retries".to_owned(),
                    "`max_retries` must be a whole number, 0 or more".to_owned(),
                ));
                None
            }
            _ => None,
        };
        let rate = match arguments.get("rate") {
            Some(Value::Number(number)) => Rate::parse(*number).unwrap_or_else(|message| {
                problems.push(("rate".to_owned(), format!("`rate` is {message}")));
                Rate::default()
            }),
            _ => Rate::default(),
        };
        let adaptive_retries = match string("retry_mode").as_deref() {
            None | Some("standard") => false,
            Some("adaptive") => true,
            Some(other) => {
                problems.push((
                    "retry_mode".to_owned(),
                    format!("`retry_mode` is \"standard\" or \"adaptive\", not \"{other}\""),
                ));
                false
            }
        };
        let mut connection = Connection {
            keys,
            profile: string("profile"),
            shared_config_files: paths(arguments.get("shared_config_files")),
            shared_credentials_files: paths(arguments.get("shared_credentials_files")),
            allowed_account_ids: texts(arguments.get("allowed_account_ids")),
            forbidden_account_ids: texts(arguments.get("forbidden_account_ids")),
            max_retries,
            rate,
            adaptive_retries,
            skip_credentials_validation: flag("skip_credentials_validation"),
            skip_metadata_api_check: flag("skip_metadata_api_check"),
            skip_region_validation: flag("skip_region_validation"),
            ..Connection::default()
        };
        if !connection.allowed_account_ids.is_empty()
            && !connection.forbidden_account_ids.is_empty()
        {
            problems.push((
                "forbidden_account_ids".to_owned(),
                "`allowed_account_ids` and `forbidden_account_ids` cannot both be set".to_owned(),
            ));
        }
        for (block, values) in &values.blocks {
            let string = |name: &str| text(values.get(name));
            let problem = |name: &str, message: String| (format!("{block}.{name}"), message);
            let duration = |problems: &mut Vec<Problem>| {
                let written = string("duration")?;
                parse_duration(&written)
                    .map_err(|message| problems.push(problem("duration", message)))
                    .ok()
            };
            match block.as_str() {
                "assume_role" | "assume_role_with_web_identity" => {
                    let duration = duration(&mut problems);
                    let Some(role_arn) = string("role_arn") else {
                        problems.push((
                            block.clone(),
                            format!("`{block}` needs `role_arn`, the role to assume"),
                        ));
                        continue;
                    };
                    if block == "assume_role" {
                        connection.assume_role.push(AssumeRole {
                            role_arn,
                            session_name: string("session_name"),
                            external_id: string("external_id"),
                            duration,
                            policy: string("policy"),
                            policy_arns: texts(values.get("policy_arns")),
                            tags: match values.get("tags") {
                                Some(Value::Map(tags)) => tags
                                    .iter()
                                    .filter_map(|(key, value)| {
                                        Some((key.clone(), value.as_str()?.to_owned()))
                                    })
                                    .collect(),
                                _ => BTreeMap::new(),
                            },
                        });
                        continue;
                    }
                    let token = match (
                        string("web_identity_token"),
                        string("web_identity_token_file"),
                    ) {
                        (Some(token), None) => WebIdentityToken::Literal(token),
                        (None, Some(file)) => WebIdentityToken::File(root.join(expand_home(&file))),
                        _ => {
                            problems.push((
                                block.clone(),
                                "set one of `web_identity_token` and `web_identity_token_file`"
                                    .to_owned(),
                            ));
                            continue;
                        }
                    };
                    connection.web_identity = Some(WebIdentity {
                        role_arn,
                        session_name: string("session_name"),
                        token,
                        duration,
                        policy: string("policy"),
                        policy_arns: texts(values.get("policy_arns")),
                    });
                }
                "endpoints" => {
                    connection
                        .endpoints
                        .extend(values.iter().filter_map(|(service, url)| {
                            Some((service.clone(), url.as_str()?.to_owned()))
                        }))
                }
                "ignore_tags" => {
                    connection.ignore_tags = IgnoreTags {
                        keys: texts(values.get("keys")),
                        key_prefixes: texts(values.get("key_prefixes")),
                    }
                }
                _ => {}
            }
        }
        match problems.is_empty() {
            true => Ok(connection),
            false => Err(problems),
        }
    }

    /// The names of the arguments where `self` and `other` differ, for a message.
    pub fn differences(&self, other: &Connection) -> Vec<&'static str> {
        let mut differences = Vec::new();
        let mut differ = |name: &'static str, differs: bool| {
            if differs {
                differences.push(name);
            }
        };
        differ("access_key", self.keys != other.keys);
        differ("profile", self.profile != other.profile);
        differ(
            "shared_config_files",
            self.shared_config_files != other.shared_config_files,
        );
        differ(
            "shared_credentials_files",
            self.shared_credentials_files != other.shared_credentials_files,
        );
        differ("assume_role", self.assume_role != other.assume_role);
        differ(
            "assume_role_with_web_identity",
            self.web_identity != other.web_identity,
        );
        differ(
            "allowed_account_ids",
            self.allowed_account_ids != other.allowed_account_ids,
        );
        differ(
            "forbidden_account_ids",
            self.forbidden_account_ids != other.forbidden_account_ids,
        );
        differ("endpoints", self.endpoints != other.endpoints);
        differ(
            "max_retries",
            (self.max_retries, self.adaptive_retries)
                != (other.max_retries, other.adaptive_retries),
        );
        differ("rate", self.rate != other.rate);
        differ(
            "skip_credentials_validation",
            self.skip_credentials_validation != other.skip_credentials_validation,
        );
        differ(
            "skip_metadata_api_check",
            self.skip_metadata_api_check != other.skip_metadata_api_check,
        );
        differ(
            "skip_region_validation",
            self.skip_region_validation != other.skip_region_validation,
        );
        differ("ignore_tags", self.ignore_tags != other.ignore_tags);
        differences
    }

    /// Why the account `account` may not be changed with this connection, if it may not.
    pub fn refuses(&self, account: &str) -> Option<String> {
        if !self.allowed_account_ids.is_empty()
            && !self.allowed_account_ids.iter().any(|id| id == account)
        {
            return Some(format!(
                "AWS account ID not allowed: {account} (`allowed_account_ids` lists {})",
                self.allowed_account_ids.join(", ")
            ));
        }
        self.forbidden_account_ids
            .iter()
            .any(|id| id == account)
            .then(|| {
                format!("AWS account ID not allowed: {account} (`forbidden_account_ids` lists it)")
            })
    }
}

fn text(value: Option<&Value>) -> Option<String> {
    value.and_then(Value::as_str).map(str::to_owned)
}

fn texts(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::List(items)) => items
            .iter()
            .filter_map(|item| item.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

/// `~/...` under the home directory, as the AWS provider reads file names.
fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(path),
    }
}

/// A duration as the AWS provider takes it, Go's notation (`1h`, `15m`, `1h30m`, `900s`), within
/// what STS allows a role session: 15 minutes to 12 hours.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let nanoseconds = crate::functions::time::go_duration(text)
        .ok_or_else(|| format!("`{text}` is not a duration: write it as `1h`, `30m` or `1h30m`"))?;
    let seconds = nanoseconds as f64 / 1e9;
    if !(900.0..=43_200.0).contains(&seconds) {
        return Err(format!(
            "`{text}` is outside what a role session may last: 15m to 12h"
        ));
    }
    Ok(Duration::from_secs_f64(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_read_as_go_writes_them() {
        assert_eq!(parse_duration("1h"), Ok(Duration::from_secs(3600)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("900s"), Ok(Duration::from_secs(900)));
        assert_eq!(
            parse_duration("5m"),
            Err("`5m` is outside what a role session may last: 15m to 12h".to_owned())
        );
        assert_eq!(
            parse_duration("1 hour"),
            Err("`1 hour` is not a duration: write it as `1h`, `30m` or `1h30m`".to_owned())
        );
    }

    #[test]
    fn ignored_tags_are_stripped_by_key_and_prefix() {
        let ignore = IgnoreTags {
            keys: vec!["owner".to_owned()],
            key_prefixes: vec!["kubernetes.io/".to_owned()],
        };
        let mut tags: BTreeMap<String, Value> = ["owner", "kubernetes.io/cluster", "team"]
            .map(|key| (key.to_owned(), Value::String("x".to_owned())))
            .into();
        ignore.strip(&mut tags);
        assert_eq!(tags.keys().collect::<Vec<_>>(), ["team"]);
    }
}
