//! Saved plans. `plan --out FILE` writes the plan with what it was made from: the configuration
//! directory and a digest of each of its files, and the state file, whose lineage and serial the
//! plan's prior state holds. `apply FILE` carries out exactly that plan, from any directory, and
//! refuses, changing nothing, when any of them moved since.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use crate::diag::Sources;
use crate::plan::Plan;
use crate::state::State;

/// What a plan file says it is.
const KIND: &str = "gateform-plan";

/// The layout of plan files; a plan in another layout, or from another gateform, is refused.
const FORMAT: u32 = 4;

#[derive(Debug, Serialize, Deserialize)]
pub struct SavedPlan {
    kind: String,
    format: u32,
    gateform_version: String,
    /// The configuration directory, absolute.
    pub directory: PathBuf,
    /// The directory as it was given to `plan`, for headings.
    pub label: String,
    /// The state file, absolute.
    pub state_path: PathBuf,
    /// The SHA-256 of what each configuration file means, by file name.
    files: BTreeMap<String, String>,
    /// The region the environment named when the plan was made; apply uses it again.
    pub environment_region: Option<String>,
    pub plan: Plan,
    /// What the JSON plan shows of the configuration, and the input variables' values the plan
    /// was made with, which apply uses again.
    pub origin: crate::render::json::Origin,
}

#[derive(Debug, thiserror::Error)]
pub enum PlanFileError {
    #[error("cannot read the plan file `{}`: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write the plan file `{}`: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("`{}` is not a gateform plan file", .0.display())]
    NotAPlan(PathBuf),
    #[error(
        "`{}` was made by gateform {version} (plan format {format}); this is gateform {} (plan format {FORMAT}): make the plan again with this gateform",
        path.display(),
        env!("CARGO_PKG_VERSION")
    )]
    OtherVersion {
        path: PathBuf,
        version: String,
        format: u32,
    },
    #[error(
        "saved plan is stale: the configuration's meaning changed since this plan was made ({0})"
    )]
    ConfigurationChanged(String),
    #[error(
        "saved plan is stale: the state changed since this plan was made ({0}); make a new plan"
    )]
    StateChanged(String),
}

impl SavedPlan {
    pub fn new(
        plan: Plan,
        directory: &Path,
        state_path: &Path,
        sources: &Sources,
        origin: crate::render::json::Origin,
        environment_region: Option<String>,
    ) -> Result<SavedPlan, std::io::Error> {
        Ok(SavedPlan {
            kind: KIND.to_owned(),
            format: FORMAT,
            gateform_version: env!("CARGO_PKG_VERSION").to_owned(),
            directory: std::path::absolute(directory)?,
            label: directory.display().to_string(),
            state_path: std::path::absolute(state_path)?,
            files: digests(sources, directory),
            environment_region,
            plan,
            origin,
        })
    }

    pub fn write(&self, path: &Path) -> Result<(), PlanFileError> {
        let error = |source| PlanFileError::Write {
            path: path.to_owned(),
            source,
        };
        let text = serde_json::to_string(self).map_err(|e| error(e.into()))?;
        std::fs::write(path, text).map_err(error)
    }

    pub fn read(path: &Path) -> Result<SavedPlan, PlanFileError> {
        let text = std::fs::read(path).map_err(|source| PlanFileError::Read {
            path: path.to_owned(),
            source,
        })?;
        let not_a_plan = || PlanFileError::NotAPlan(path.to_owned());
        // The header first: a plan from another version may not parse as this version's plan.
        #[derive(Deserialize)]
        struct Header {
            kind: String,
            format: u32,
            gateform_version: String,
        }
        let header: Header = serde_json::from_slice(&text).map_err(|_| not_a_plan())?;
        if header.kind != KIND {
            return Err(not_a_plan());
        }
        if header.format != FORMAT || header.gateform_version != env!("CARGO_PKG_VERSION") {
            return Err(PlanFileError::OtherVersion {
                path: path.to_owned(),
                version: header.gateform_version,
                format: header.format,
            });
        }
        serde_json::from_slice(&text).map_err(|_| not_a_plan())
    }

    /// The configuration files are the ones the plan was made from, byte for byte.
    pub fn check_configuration(&self, sources: &Sources) -> Result<(), PlanFileError> {
        let now = digests(sources, &self.directory);
        let mut differences = Vec::new();
        for (name, digest) in &self.files {
            match now.get(name) {
                None => differences.push(format!("`{name}` was removed")),
                Some(current) if current != digest => differences.push(format!("`{name}` changed")),
                Some(_) => {}
            }
        }
        for name in now.keys().filter(|name| !self.files.contains_key(*name)) {
            differences.push(format!("`{name}` was added"));
        }
        match differences.is_empty() {
            true => Ok(()),
            false => Err(PlanFileError::ConfigurationChanged(differences.join(", "))),
        }
    }

    /// The state is the one the plan was made from: same lineage, no write since.
    pub fn check_state(&self, state: &State) -> Result<(), PlanFileError> {
        let planned = &self.plan.prior;
        let lineage = |state: &State| state.lineage.clone().unwrap_or_else(|| "none".to_owned());
        if planned.lineage.is_some() && planned.lineage != state.lineage {
            return Err(PlanFileError::StateChanged(format!(
                "the state file `{}` has lineage {}, the plan's has {}",
                self.state_path.display(),
                lineage(state),
                lineage(planned)
            )));
        }
        match planned.serial == state.serial {
            true => Ok(()),
            false => Err(PlanFileError::StateChanged(format!(
                "it was at serial {}, it is now at serial {}",
                planned.serial, state.serial
            ))),
        }
    }
}

/// The configuration files' digests, modules' too, by path relative to the configuration's
/// directory. Variables files are left out: the plan holds the values.
/// A digest of what each configuration file means: its blocks, attributes and expressions as
/// hcl-rs reads them, without comments, blank lines or alignment, so that `fmt` or a new
/// comment leaves a saved plan applicable. A `.tf.json` file is read through its translation.
fn digests(sources: &Sources, directory: &Path) -> BTreeMap<String, String> {
    let root = std::fs::canonicalize(directory).unwrap_or_else(|_| directory.to_owned());
    let meaning = |text: &str| match hcl::parse(text) {
        Ok(body) => serde_json::to_string(&body).unwrap_or_else(|_| text.to_owned()),
        Err(_) => text.to_owned(),
    };
    sources
        .iter()
        .filter(|(_, file)| {
            let name = file.path.to_string_lossy();
            [".hcl", ".tf", ".tf.json"]
                .iter()
                .any(|ending| name.ends_with(ending))
        })
        .map(|(_, file)| {
            let path = std::fs::canonicalize(&file.path).unwrap_or_else(|_| file.path.clone());
            let name = path
                .strip_prefix(&root)
                .unwrap_or(&path)
                .display()
                .to_string();
            let digest: String = Sha256::digest(meaning(&file.text).as_bytes())
                .iter()
                .map(|byte| format!("{byte:02x}"))
                .collect();
            (name, digest)
        })
        .collect()
}
