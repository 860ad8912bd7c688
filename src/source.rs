//! Module source addresses, as Terraform reads them: a local directory, a git repository, or a
//! module of a Terraform registry. Pure: `install.rs` fetches what they name.

/// Where a module call's `source` says the module is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModuleSource {
    /// `./modules/api` or `../shared`: a directory relative to the calling module's.
    Local(String),
    /// `git::https://...`, `git::ssh://...`, `git::file://...`, `git@host:org/repo.git` and the
    /// `github.com/org/repo` shorthand: a repository, at `reference` when given, with the module
    /// in `subdir` when given.
    Git {
        url: String,
        reference: Option<String>,
        subdir: Option<String>,
    },
    /// `[HOST/]NAMESPACE/NAME/PROVIDER`, from the registry at HOST (registry.terraform.io when
    /// not given), in the version the module call's `version` allows.
    Registry {
        host: String,
        namespace: String,
        name: String,
        provider: String,
        subdir: Option<String>,
    },
}

/// The registry a source without a host is from.
pub const DEFAULT_REGISTRY: &str = "registry.terraform.io";

impl ModuleSource {
    pub fn parse(text: &str) -> Result<ModuleSource, String> {
        if text.starts_with("./") || text.starts_with("../") {
            return Ok(ModuleSource::Local(text.to_owned()));
        }
        if let Some(rest) = text.strip_prefix("git::") {
            return git(rest, text);
        }
        if let Some(rest) = text.strip_prefix("github.com/") {
            let (path, subdir, query) = split(rest);
            let repository = path.trim_end_matches(".git");
            if repository.split('/').count() != 2 {
                return Err(format!(
                    "`{text}` is not a GitHub repository: write `github.com/ORGANIZATION/REPOSITORY`"
                ));
            }
            return Ok(ModuleSource::Git {
                url: format!("https://github.com/{repository}.git"),
                reference: reference(query, text)?,
                subdir,
            });
        }
        if text.starts_with("git@") {
            let (path, subdir, query) = split(text);
            return Ok(ModuleSource::Git {
                url: path.to_owned(),
                reference: reference(query, text)?,
                subdir,
            });
        }
        if let Some(registry) = registry(text) {
            return Ok(registry);
        }
        let kind = match text.split_once("::") {
            Some((kind, _)) => format!("`{kind}::` sources are"),
            None if text.starts_with('/') => "absolute paths are".to_owned(),
            None if text.contains("://") => "archives at URLs are".to_owned(),
            None => {
                return Err(format!(
                    "`{text}` is not a module source: write a directory (`./modules/api`), a git repository (`git::https://...`) or a registry module (`NAMESPACE/NAME/PROVIDER`)"
                ));
            }
        };
        Err(format!(
            "{kind} not supported as module sources: use a directory (`./modules/api`), a git repository (`git::https://...`) or a registry module (`NAMESPACE/NAME/PROVIDER`)"
        ))
    }
}

/// `URL[//SUBDIR][?ref=REF]` after `git::`.
fn git(rest: &str, text: &str) -> Result<ModuleSource, String> {
    let (url, subdir, query) = split(rest);
    let scheme_ok = ["https://", "http://", "ssh://", "file://"]
        .iter()
        .any(|scheme| url.starts_with(scheme))
        || url.starts_with("git@");
    if !scheme_ok {
        return Err(format!(
            "`{text}` is not a git source gateform can fetch: write `git::https://...`, `git::ssh://...` or `git::file://...`"
        ));
    }
    Ok(ModuleSource::Git {
        url: url.to_owned(),
        reference: reference(query, text)?,
        subdir,
    })
}

/// A source split into its address, its `//SUBDIR` and its `?QUERY`.
fn split(text: &str) -> (&str, Option<String>, Option<&str>) {
    let (text, query) = match text.split_once('?') {
        Some((text, query)) => (text, Some(query)),
        None => (text, None),
    };
    // The `//` of `scheme://` is not a subdirectory's.
    let after_scheme = text.find("://").map_or(0, |index| index + 3);
    match text[after_scheme..].find("//") {
        Some(index) => {
            let split = after_scheme + index;
            let subdir = text[split + 2..].trim_matches('/');
            let subdir = (!subdir.is_empty()).then(|| subdir.to_owned());
            (&text[..split], subdir, query)
        }
        None => (text, None, query),
    }
}

/// The `ref` of a git source's query; other parameters are refused rather than ignored.
fn reference(query: Option<&str>, text: &str) -> Result<Option<String>, String> {
    let mut reference = None;
    for pair in query.into_iter().flat_map(|query| query.split('&')) {
        match pair.split_once('=') {
            Some(("ref", value)) if !value.is_empty() => reference = Some(value.to_owned()),
            Some(("depth", _)) => {}
            _ => {
                return Err(format!(
                    "`{text}`: a git source takes `?ref=TAG`, `?ref=BRANCH` or `?ref=COMMIT`, not `{pair}`"
                ));
            }
        }
    }
    Ok(reference)
}

/// `[HOST/]NAMESPACE/NAME/PROVIDER[//SUBDIR]`.
fn registry(text: &str) -> Option<ModuleSource> {
    let (address, subdir, query) = split(text);
    if query.is_some() {
        return None;
    }
    let parts: Vec<&str> = address.split('/').collect();
    let (host, rest) = match parts.as_slice() {
        [namespace, name, provider] => (DEFAULT_REGISTRY, [*namespace, *name, *provider]),
        [host, namespace, name, provider] if host.contains(['.', ':']) => {
            (*host, [*namespace, *name, *provider])
        }
        _ => return None,
    };
    let identifier = |part: &str| {
        !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    if !rest.iter().all(|part| identifier(part)) {
        return None;
    }
    let [namespace, name, provider] = rest.map(str::to_owned);
    Some(ModuleSource::Registry {
        host: host.to_ascii_lowercase(),
        namespace,
        name,
        provider,
        subdir,
    })
}

/// A `version` constraint as Terraform writes it: `1.2.0`, `>= 1.2, < 2.0`, `~> 1.2`,
/// `!= 1.3.0`. A pre-release matches only a constraint that names it exactly.
#[derive(Clone, Debug)]
pub struct Constraint {
    parts: Vec<(Operator, semver::Version, usize)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Operator {
    Equal,
    NotEqual,
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
    Pessimistic,
}

impl Constraint {
    pub fn parse(text: &str) -> Result<Constraint, String> {
        let mut parts = Vec::new();
        for part in text.split(',') {
            let part = part.trim();
            let (operator, version) = [
                (">=", Operator::GreaterOrEqual),
                ("<=", Operator::LessOrEqual),
                ("~>", Operator::Pessimistic),
                ("!=", Operator::NotEqual),
                (">", Operator::Greater),
                ("<", Operator::Less),
                ("=", Operator::Equal),
            ]
            .iter()
            .find_map(|(symbol, operator)| Some((*operator, part.strip_prefix(symbol)?)))
            .unwrap_or((Operator::Equal, part));
            let version = version.trim().trim_start_matches('v');
            let given = version
                .split(['-', '+'])
                .next()
                .unwrap_or("")
                .split('.')
                .count();
            let padded = match given {
                1 => format!("{version}.0.0"),
                2 => format!("{version}.0"),
                _ => version.to_owned(),
            };
            let parsed = semver::Version::parse(&padded).map_err(|_| {
                format!("`{text}` is not a version constraint, such as `~> 1.2` or `>= 1.0, < 2.0`")
            })?;
            parts.push((operator, parsed, given));
        }
        Ok(Constraint { parts })
    }

    pub fn matches(&self, version: &semver::Version) -> bool {
        let exact = |wanted: &semver::Version| wanted == version;
        if !version.pre.is_empty()
            && !self
                .parts
                .iter()
                .any(|(operator, wanted, _)| *operator == Operator::Equal && exact(wanted))
        {
            return false;
        }
        self.parts.iter().all(|(operator, wanted, given)| {
            let core = semver::Version::new(version.major, version.minor, version.patch);
            match operator {
                Operator::Equal => exact(wanted),
                Operator::NotEqual => !exact(wanted),
                Operator::Greater => core > *wanted,
                Operator::GreaterOrEqual => core >= *wanted,
                Operator::Less => core < *wanted,
                Operator::LessOrEqual => core <= *wanted,
                // `~> 1.2` allows 1.2 and later before 2.0; `~> 1.2.3`, 1.2.3 and later before 1.3.
                Operator::Pessimistic => {
                    core >= *wanted
                        && match given {
                            1 | 2 => version.major == wanted.major,
                            _ => version.major == wanted.major && version.minor == wanted.minor,
                        }
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn git(url: &str, reference: Option<&str>, subdir: Option<&str>) -> ModuleSource {
        ModuleSource::Git {
            url: url.to_owned(),
            reference: reference.map(str::to_owned),
            subdir: subdir.map(str::to_owned),
        }
    }

    #[test]
    fn sources_are_read_as_terraform_reads_them() {
        for (text, expected) in [
            ("./modules/api", ModuleSource::Local("./modules/api".into())),
            (
                "git::https://example.com/network.git//modules/vpc?ref=v1.2.0",
                git(
                    "https://example.com/network.git",
                    Some("v1.2.0"),
                    Some("modules/vpc"),
                ),
            ),
            (
                "git::ssh://git@example.com/network.git",
                git("ssh://git@example.com/network.git", None, None),
            ),
            (
                "github.com/acme/api-modules//http?ref=main",
                git(
                    "https://github.com/acme/api-modules.git",
                    Some("main"),
                    Some("http"),
                ),
            ),
            (
                "git@github.com:acme/api-modules.git?ref=v2",
                git("git@github.com:acme/api-modules.git", Some("v2"), None),
            ),
            (
                "terraform-aws-modules/apigateway-v2/aws",
                ModuleSource::Registry {
                    host: DEFAULT_REGISTRY.into(),
                    namespace: "terraform-aws-modules".into(),
                    name: "apigateway-v2".into(),
                    provider: "aws".into(),
                    subdir: None,
                },
            ),
            (
                "app.terraform.io/acme/api/aws//modules/route",
                ModuleSource::Registry {
                    host: "app.terraform.io".into(),
                    namespace: "acme".into(),
                    name: "api".into(),
                    provider: "aws".into(),
                    subdir: Some("modules/route".into()),
                },
            ),
        ] {
            let parsed = ModuleSource::parse(text).unwrap();
            assert_eq!(parsed, expected, "{text}");
        }
        for (text, message) in [
            (
                "s3::https://bucket/module.zip",
                "`s3::` sources are not supported",
            ),
            ("/opt/modules/api", "absolute paths are not supported"),
            (
                "git::https://example.com/x.git?depth=1&sshkey=abc",
                "not `sshkey=abc`",
            ),
            ("modules/api", "is not a module source"),
        ] {
            let error = ModuleSource::parse(text).unwrap_err();
            assert!(error.contains(message), "{text}: {error}");
        }
    }

    #[test]
    fn version_constraints_are_terraforms() {
        let versions = [
            "0.9.0",
            "1.0.0",
            "1.2.0",
            "1.2.5",
            "1.3.0",
            "2.0.0",
            "2.1.0-beta1",
        ];
        for (constraint, allowed) in [
            ("1.2.0", vec!["1.2.0"]),
            ("~> 1.2", vec!["1.2.0", "1.2.5", "1.3.0"]),
            ("~> 1.2.0", vec!["1.2.0", "1.2.5"]),
            (">= 1.0, < 2.0", vec!["1.0.0", "1.2.0", "1.2.5", "1.3.0"]),
            ("!= 1.2.5, ~> 1.2", vec!["1.2.0", "1.3.0"]),
            ("> 1.3", vec!["2.0.0"]),
            ("2.1.0-beta1", vec!["2.1.0-beta1"]),
        ] {
            let parsed = Constraint::parse(constraint).unwrap();
            let matched: Vec<&str> = versions
                .iter()
                .copied()
                .filter(|version| parsed.matches(&semver::Version::parse(version).unwrap()))
                .collect();
            assert_eq!(matched, allowed, "{constraint}");
        }
        assert!(Constraint::parse("about 1").is_err());
    }
}
