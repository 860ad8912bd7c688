//! `gateform migrate terraform STATE [DIR]`: a Terraform state's (a file or `s3://BUCKET/KEY`)
//! API Gateway v2 objects
//! recorded in gateform's state ([`crate::migrate`]), in one transaction, with no AWS call.
//! What stays with Terraform is listed, with the `terraform state rm` that hands the rest over.
//! The root module's outputs come along when gateform's state has none, so that the next plan
//! shows no output changes either.

use std::path::Path;

use anyhow::Context as _;

use super::{Exit, Failure, runtime, take_lock};
use crate::addr::Address;
use crate::cli::LockArgs;
use crate::state::store::Store;
use crate::value::Value;

pub fn terraform(source: &str, state_path: &Path, lock: &LockArgs) -> Result<Exit, Failure> {
    let bytes = read(source)?;
    let migration =
        crate::migrate::read(&bytes).map_err(|error| anyhow::anyhow!("`{source}`: {error}"))?;
    if migration.taken.is_empty() {
        return Err(anyhow::anyhow!(
            "`{source}` records no aws_apigatewayv2_* resource: nothing to migrate"
        )
        .into());
    }
    let mut store = Store::open(state_path)?;
    runtime()?.block_on(take_lock(&mut store, "migrate", lock, None))?;
    let current = store.load()?;
    // An address gateform already records, or may (a create whose answer it never recorded),
    // and an object it already records at another address, would each leave one object at two
    // addresses, and the next plan would destroy it at one of them.
    let object = |address: &Address, resource: &crate::state::ResourceState| {
        let region = resource.attributes.get("region").and_then(Value::as_str);
        (
            address.kind,
            resource.id().to_owned(),
            region.map(str::to_owned),
        )
    };
    let held: std::collections::BTreeMap<_, &Address> = current
        .resources
        .iter()
        .map(|(address, resource)| (object(address, resource), address))
        .collect();
    let mut clashes = Vec::new();
    for (address, resource) in &migration.taken {
        if current.resources.contains_key(address) {
            clashes.push(format!("`{address}`"));
        } else if current
            .pending
            .iter()
            .any(|intent| &intent.address == address)
        {
            clashes.push(format!("`{address}` (a create not yet confirmed)"));
        } else if let Some(held) = held.get(&object(address, resource)) {
            clashes.push(format!("`{address}`'s object, at `{held}`"));
        }
    }
    if !clashes.is_empty() {
        return Err(anyhow::anyhow!(
            "gateform's state already records {}: nothing was migrated; `gateform state rm` them first to take Terraform's record instead",
            clashes.join(", ")
        )
        .into());
    }
    let had_outputs = !current.outputs.is_empty();
    let mut resources = current.resources;
    resources.extend(migration.taken.clone());
    store.restore(&resources, "migrate terraform")?;
    // The root module's outputs as Terraform last applied them, unless gateform has its own.
    if !had_outputs {
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
        source
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
    if !migration.tainted.is_empty() {
        let replace: Vec<String> = migration
            .tainted
            .iter()
            .map(|address| format!("--replace={}", quoted(&address.to_string())))
            .collect();
        println!(
            "\nTerraform marked {} tainted, to be replaced by its next apply; gateform took them as they are. To replace them:\n  gateform apply {}",
            migration.tainted.len(),
            replace.join(" ")
        );
    }
    let handed: Vec<String> = migration
        .taken_resources()
        .iter()
        .map(|address| quoted(address))
        .collect();
    println!(
        "\nTerraform still records them. So that it never changes or destroys them, hand them over:\n  terraform state rm {}\n\nThen `gateform plan` reads each from AWS: with the same configuration, it shows no changes.",
        handed.join(" ")
    );
    Ok(Exit::Success)
}

/// The Terraform state's bytes: a file, or an object of `s3://BUCKET/KEY`, read as Terraform's
/// s3 backend reads it (the region and credentials from the environment, an endpoint from
/// `AWS_ENDPOINT_URL_S3` or `AWS_ENDPOINT_URL`).
fn read(source: &str) -> Result<Vec<u8>, Failure> {
    let Some(object) = source.strip_prefix("s3://") else {
        return Ok(std::fs::read(source)
            .with_context(|| format!("cannot read the Terraform state `{source}`"))?);
    };
    let Some((bucket, key)) = object
        .split_once('/')
        .filter(|(bucket, key)| !bucket.is_empty() && !key.is_empty())
    else {
        return Err(anyhow::anyhow!("`{source}` names no object: write `s3://BUCKET/KEY`").into());
    };
    let address = crate::aws::s3::ObjectAddress {
        bucket: bucket.to_owned(),
        key: key.to_owned(),
        region: None,
        endpoint: None,
        path_style: false,
        profile: None,
    };
    runtime()?
        .block_on(crate::aws::s3::get_object(&address))
        .map_err(anyhow::Error::msg)?
        .ok_or_else(|| anyhow::anyhow!("there is no Terraform state at `{source}`").into())
}

/// A word for a POSIX shell: in single quotes, a single quote written as `'\''`.
fn quoted(word: &str) -> String {
    format!("'{}'", word.replace('\'', "'\\''"))
}
