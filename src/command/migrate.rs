//! `gateform migrate terraform STATE [DIR]`: a Terraform state's API Gateway v2 objects
//! recorded in gateform's state ([`crate::migrate`]), in one transaction, with no AWS call.
//! What stays with Terraform is listed, with the `terraform state rm` that hands the rest over.
//! The root module's outputs come along when gateform's state has none, so that the next plan
//! shows no output changes either.

use std::path::Path;

use anyhow::Context as _;

use super::{Exit, Failure, runtime, take_lock};
use crate::cli::LockArgs;
use crate::state::store::Store;

pub fn terraform(source: &Path, state_path: &Path, lock: &LockArgs) -> Result<Exit, Failure> {
    let bytes = std::fs::read(source)
        .with_context(|| format!("cannot read the Terraform state `{}`", source.display()))?;
    let migration = crate::migrate::read(&bytes)
        .map_err(|error| anyhow::anyhow!("`{}`: {error}", source.display()))?;
    if migration.taken.is_empty() {
        return Err(anyhow::anyhow!(
            "`{}` records no aws_apigatewayv2_* resource: nothing to migrate",
            source.display()
        )
        .into());
    }
    let mut store = Store::open(state_path)?;
    runtime()?.block_on(take_lock(&mut store, "migrate", lock, None))?;
    let mut resources = store.load()?.resources;
    let already: Vec<String> = migration
        .taken
        .keys()
        .filter(|address| resources.contains_key(address))
        .map(|address| format!("`{address}`"))
        .collect();
    if !already.is_empty() {
        return Err(anyhow::anyhow!(
            "gateform's state already records {}: nothing was migrated; `gateform state rm` them first to take Terraform's record instead",
            already.join(", ")
        )
        .into());
    }
    resources.extend(migration.taken.clone());
    store.restore(&resources, "migrate terraform")?;
    // The root module's outputs as Terraform last applied them, unless gateform has its own.
    if store.load()?.outputs.is_empty() {
        let outputs = crate::remote_state::outputs(&bytes).map_err(anyhow::Error::msg)?;
        let recorded = outputs
            .values
            .into_iter()
            .map(|(name, value)| {
                let sensitive = outputs.sensitive.contains(&name);
                (name, crate::state::OutputState { value, sensitive })
            })
            .collect();
        store.set_outputs(&recorded, "migrate terraform")?;
    }
    store.unlock()?;
    println!(
        "Migrated {} resource instance(s) from `{}` into gateform's state, without any change in AWS:",
        migration.taken.len(),
        source.display()
    );
    for (address, resource) in &migration.taken {
        println!("  {address} [id={}]", resource.id());
    }
    if !migration.left.is_empty() {
        println!(
            "\nLeft to Terraform, as gateform manages only API Gateway v2: {} resource(s):",
            migration.left.len()
        );
        for address in &migration.left {
            println!("  {address}");
        }
    }
    let handed: Vec<String> = migration
        .taken_resources()
        .iter()
        .map(|address| format!("'{address}'"))
        .collect();
    println!(
        "\nTerraform still records them. So that it never changes or destroys them, hand them over:\n  terraform state rm {}\n\nThen `gateform plan` reads each from AWS: with the same configuration, it shows no changes.",
        handed.join(" ")
    );
    Ok(Exit::Success)
}
