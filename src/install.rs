//! Modules whose sources are not local: `gateform init` fetches each into `.gateform/modules/KEY`
//! (git repositories with the `git` program, as Terraform does; registry modules through the
//! registry's module protocol) and records it in `.gateform/modules/modules.json`, in the format
//! of Terraform's `.terraform/modules/modules.json`. Loading reads that manifest and nothing else
//! of the network.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::source::{Constraint, ModuleSource};

/// Where installed modules are, under the root module's directory.
pub const MODULES_DIR: &str = ".gateform/modules";

/// The modules installed, by key: the module calls' names from the root, joined with dots.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    #[serde(rename = "Modules")]
    pub modules: Vec<Installed>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Installed {
    #[serde(rename = "Key")]
    pub key: String,
    /// The `source` as the module call writes it.
    #[serde(rename = "Source")]
    pub source: String,
    /// For a registry module, the version chosen.
    #[serde(rename = "Version", default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The module's directory, relative to the root module's.
    #[serde(rename = "Dir")]
    pub dir: String,
}

/// Why a module call cannot be loaded: the message, and what to do about it.
pub type Refusal = (String, String);

impl Manifest {
    /// The manifest of the root module in `root`; none yet is an empty one.
    pub fn read(root: &Path) -> Result<Manifest, String> {
        let path = root.join(MODULES_DIR).join("modules.json");
        match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text).map_err(|error| {
                format!(
                    "`{}` is not a module manifest ({error}); run `gateform init` again",
                    path.display()
                )
            }),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Manifest::default()),
            Err(error) => Err(format!("cannot read `{}`: {error}", path.display())),
        }
    }

    fn write(&self, root: &Path) -> Result<(), String> {
        let path = root.join(MODULES_DIR).join("modules.json");
        let text = serde_json::to_string_pretty(self).unwrap_or_default();
        std::fs::write(&path, text + "\n")
            .map_err(|error| format!("cannot write `{}`: {error}", path.display()))
    }

    /// The directory of the module call `key` installed, if it is installed from `source` in
    /// a version `version` allows.
    pub fn directory(
        &self,
        root: &Path,
        key: &str,
        source: &str,
        version: Option<&Constraint>,
    ) -> Result<PathBuf, Refusal> {
        let hint = || format!("run `gateform init {}` to install it", root.display());
        let installed = self
            .modules
            .iter()
            .find(|installed| installed.key == key && installed.source == source)
            .ok_or_else(|| {
                (
                    format!("module `{key}` comes from `{source}`, which is not installed"),
                    hint(),
                )
            })?;
        if let (Some(constraint), Some(version)) = (version, &installed.version)
            && !semver::Version::parse(version).is_ok_and(|version| constraint.matches(&version))
        {
            return Err((
                format!(
                    "module `{key}` is installed in version {version}, which its `version` does not allow"
                ),
                hint(),
            ));
        }
        Ok(root.join(&installed.dir))
    }
}

/// Installs the modules of one `gateform init`, reporting each as it goes.
pub struct Installer {
    root: PathBuf,
    manifest: Manifest,
    agent: ureq::Agent,
}

impl Installer {
    pub fn new(root: &Path) -> Installer {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        Installer {
            root: root.to_path_buf(),
            manifest: Manifest::default(),
            agent,
        }
    }

    /// Fetches the module call `key`'s `source` into its directory, and returns where the
    /// module is.
    pub fn install(
        &mut self,
        key: &str,
        text: &str,
        source: &ModuleSource,
        version: Option<&Constraint>,
    ) -> Result<PathBuf, Refusal> {
        let fail = |message: String| {
            (
                format!("cannot install module `{key}`: {message}"),
                String::new(),
            )
        };
        let relative = format!("{MODULES_DIR}/{key}");
        let target = self.root.join(&relative);
        if target.exists() {
            std::fs::remove_dir_all(&target)
                .map_err(|error| fail(format!("cannot remove the old copy: {error}")))?;
        }
        std::fs::create_dir_all(self.root.join(MODULES_DIR))
            .map_err(|error| fail(format!("cannot make `{MODULES_DIR}`: {error}")))?;
        let (subdir, chosen) = match source {
            ModuleSource::Local(_) => return Err(fail("a local module is not installed".into())),
            ModuleSource::Git {
                url,
                reference,
                subdir,
            } => {
                if version.is_some() {
                    return Err((
                        format!(
                            "module `{key}`: `version` is for registry modules; a git source takes `?ref=`"
                        ),
                        format!("write `source = \"{text}?ref=v1.2.0\"` and remove `version`"),
                    ));
                }
                eprintln!("Downloading {text} for {key}...");
                clone(url, reference.as_deref(), &target).map_err(fail)?;
                (subdir.clone(), None)
            }
            ModuleSource::Registry {
                host,
                namespace,
                name,
                provider,
                subdir,
            } => {
                let module = format!("{namespace}/{name}/{provider}");
                let (chosen, location) = self.registry(host, &module, version).map_err(fail)?;
                eprintln!("Downloading {text} {chosen} for {key}...");
                let (url, reference, inner) = match ModuleSource::parse(&location) {
                    Ok(ModuleSource::Git {
                        url,
                        reference,
                        subdir,
                    }) => (url, reference, subdir),
                    _ => {
                        return Err(fail(format!(
                            "the registry gives `{location}` as where {module} {chosen} is; gateform fetches git repositories only"
                        )));
                    }
                };
                clone(&url, reference.as_deref(), &target).map_err(fail)?;
                let subdir = match (inner, subdir) {
                    (Some(inner), Some(outer)) => Some(format!("{inner}/{outer}")),
                    (inner, outer) => outer.clone().or(inner),
                };
                (subdir, Some(chosen.to_string()))
            }
        };
        let dir = match &subdir {
            Some(subdir) => format!("{relative}/{subdir}"),
            None => relative,
        };
        if !self.root.join(&dir).is_dir() {
            return Err(fail(format!(
                "`{}` has no directory `{}`",
                text,
                subdir.unwrap_or_default()
            )));
        }
        eprintln!("- {key} in {dir}");
        self.manifest.modules.push(Installed {
            key: key.to_owned(),
            source: text.to_owned(),
            version: chosen,
            dir: dir.clone(),
        });
        Ok(self.root.join(dir))
    }

    /// Writes the manifest of what was installed.
    pub fn finish(self) -> Result<(), String> {
        std::fs::create_dir_all(self.root.join(MODULES_DIR))
            .map_err(|error| format!("cannot make `{MODULES_DIR}`: {error}"))?;
        self.manifest.write(&self.root)
    }

    /// The newest version of `module` at the registry `host` that `version` allows, and the
    /// source the registry says it is at: service discovery, then the module protocol's
    /// `versions` and `download`.
    fn registry(
        &self,
        host: &str,
        module: &str,
        version: Option<&Constraint>,
    ) -> Result<(semver::Version, String), String> {
        // A registry on this machine is reached over plain HTTP; every other over HTTPS.
        let loopback =
            host.starts_with("localhost") || host.starts_with("127.") || host.starts_with("[::1]");
        let origin = format!("{}://{host}", if loopback { "http" } else { "https" });
        let discovery: serde_json::Value =
            serde_json::from_str(&self.get(&format!("{origin}/.well-known/terraform.json"))?.0)
                .map_err(|error| format!("`{host}` does not answer service discovery: {error}"))?;
        let base = discovery["modules.v1"].as_str().ok_or_else(|| {
            format!("`{host}` is not a module registry: its discovery has no `modules.v1`")
        })?;
        let base = resolve(&format!("{origin}/"), base);
        let base = base.trim_end_matches('/');
        let listing: serde_json::Value =
            serde_json::from_str(&self.get(&format!("{base}/{module}/versions"))?.0)
                .map_err(|error| format!("the registry's list of versions is not JSON: {error}"))?;
        let mut versions: Vec<semver::Version> = listing["modules"][0]["versions"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|entry| semver::Version::parse(entry["version"].as_str()?).ok())
            .collect();
        versions.sort();
        let chosen = versions
            .iter()
            .rev()
            .find(|candidate| match version {
                Some(constraint) => constraint.matches(candidate),
                None => candidate.pre.is_empty(),
            })
            .cloned()
            .ok_or_else(|| {
                let listed: Vec<String> = versions.iter().map(ToString::to_string).collect();
                format!(
                    "no version of {module} at {host} is allowed by the constraint; it has {}",
                    if listed.is_empty() {
                        "none".to_owned()
                    } else {
                        listed.join(", ")
                    }
                )
            })?;
        let download = format!("{base}/{module}/{chosen}/download");
        let (_, location) = self.get(&download)?;
        let location = location.ok_or_else(|| {
            format!("the registry's download of {module} {chosen} gives no `X-Terraform-Get`")
        })?;
        Ok((chosen, resolve(&download, &location)))
    }

    /// The body of a GET, and its `X-Terraform-Get` header.
    fn get(&self, url: &str) -> Result<(String, Option<String>), String> {
        let mut response = self
            .agent
            .get(url)
            .call()
            .map_err(|error| format!("GET {url}: {error}"))?;
        let location = response
            .headers()
            .get("x-terraform-get")
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        let body = response
            .body_mut()
            .read_to_string()
            .map_err(|error| format!("GET {url}: {error}"))?;
        Ok((body, location))
    }
}

/// `reference` relative to `base`, as a browser resolves a link: a source with a scheme (or
/// `git::`) as it is, `/path` on the same origin, anything else beside `base`.
fn resolve(base: &str, reference: &str) -> String {
    if reference.contains("://") || reference.contains("::") || reference.starts_with("git@") {
        return reference.to_owned();
    }
    let origin_end = base.find("://").map_or(0, |index| {
        index
            + 3
            + base[index + 3..]
                .find('/')
                .unwrap_or(base.len() - index - 3)
    });
    match reference.strip_prefix('/') {
        Some(path) => format!("{}/{path}", &base[..origin_end]),
        None => {
            let directory = &base[..base
                .rfind('/')
                .filter(|end| *end >= origin_end)
                .unwrap_or(base.len())];
            format!("{directory}/{reference}")
        }
    }
}

/// A clone of the repository at `url` into `target`, at `reference` when given.
fn clone(url: &str, reference: Option<&str>, target: &Path) -> Result<(), String> {
    git(&["clone", "--quiet", "--", url, &target.to_string_lossy()])?;
    if let Some(reference) = reference {
        git(&[
            "-C",
            &target.to_string_lossy(),
            "checkout",
            "--quiet",
            reference,
        ])
        .map_err(|error| format!("`{url}` has no `{reference}`: {error}"))?;
    }
    Ok(())
}

fn git(args: &[&str]) -> Result<(), String> {
    let output = Command::new("git")
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .map_err(|error| format!("cannot run `git` ({error}); git sources need git installed"))?;
    match output.status.success() {
        true => Ok(()),
        false => Err(String::from_utf8_lossy(&output.stderr).trim().to_owned()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn registry_locations_resolve_like_links() {
        let download = "http://127.0.0.1:5000/v1/modules/acme/api/aws/1.1.0/download";
        for (location, resolved) in [
            (
                "git::file:///srv/api.git?ref=v1.1.0",
                "git::file:///srv/api.git?ref=v1.1.0",
            ),
            (
                "/archives/api.tar.gz",
                "http://127.0.0.1:5000/archives/api.tar.gz",
            ),
            (
                "api.tar.gz",
                "http://127.0.0.1:5000/v1/modules/acme/api/aws/1.1.0/api.tar.gz",
            ),
        ] {
            assert_eq!(super::resolve(download, location), resolved);
        }
        assert_eq!(
            super::resolve("https://registry.terraform.io/", "/v1/modules/"),
            "https://registry.terraform.io/v1/modules/"
        );
    }
}
