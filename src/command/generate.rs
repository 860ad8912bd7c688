//! `plan --generate-config-out=FILE`: for every `import` block whose `to` has no resource
//! block, the block that matches what AWS holds ([`crate::generate`]), written into a new file
//! of the configuration before the plan is made, as `terraform plan -generate-config-out` does.

use std::collections::BTreeMap;
use std::path::Path;

use super::{Described, Failure, Inputs, connect, load_quietly, runtime};
use crate::addr::Address;
use crate::cli::PlanArgs;
use crate::generate::{self, Commented, Written};
use crate::refresh::import;
use crate::resolve::ImportTargets;
use crate::state::store;

/// The file's first lines, as Terraform writes them in its own name.
const HEADER: &str = "# __generated__ by gateform\n# Please review these resources and move them into your main configuration files.\n\n";

/// Writes the blocks into `out`; each block's text by its address, none when there was nothing
/// to write.
pub fn write(args: &PlanArgs, out: &Path) -> Result<Option<BTreeMap<Address, String>>, Failure> {
    let dir = args.workspace.dir();
    check_target(dir, out)?;
    let inputs = Inputs::Given(args.workspace.inputs());
    let loaded = load_quietly(dir, inputs, Described::No, ImportTargets::Generated)?;
    let unconfigured = &loaded.desired.unconfigured;
    if unconfigured.is_empty() {
        return Ok(None);
    }
    let read = runtime()?.block_on(async {
        let remotes = connect(&loaded, args.refresh.tuning()).await?;
        let mut read = BTreeMap::new();
        for (to, unconfigured) in unconfigured {
            let aws = remotes
                .region(unconfigured.region())
                .map_err(anyhow::Error::new)?;
            // Its provider's default tags are not the object's own.
            let defaults = &unconfigured.provider.default_tags;
            let attributes = import(to.kind, &unconfigured.id, &aws, defaults)
                .await
                .map_err(|error| {
                    anyhow::Error::new(error).context(format!("cannot import `{to}`"))
                })?;
            read.insert(to.clone(), attributes);
        }
        Ok::<_, Failure>(read)
    })?;
    // What the configuration already manages can be referred to as well.
    let state = loaded.with_regions(store::read(&args.workspace.state_path())?);
    let managed = state
        .resources
        .iter()
        .filter(|(address, _)| loaded.desired.resources.contains_key(*address))
        .map(|(address, resource)| (address, &resource.attributes));
    let home = loaded.desired.default_region().unwrap_or_default();
    let written = Written::new(managed.chain(&read), home);
    let blocks: Vec<(&Address, Commented)> = read
        .iter()
        .filter_map(|(address, attributes)| {
            let unconfigured = &unconfigured[address];
            let provider = &unconfigured.provider;
            let region = provider.region.as_str().unwrap_or(home);
            let block = generate::block(address, attributes, &written, region)?;
            let block = generate::with_provider(block, &provider.name);
            Some((
                address,
                Commented {
                    comment: format!("__generated__ by gateform from \"{}\"", unconfigured.id),
                    block,
                },
            ))
        })
        .collect();
    let each = blocks
        .iter()
        .map(|(address, commented)| {
            let text = generate::file([commented.block.clone()]);
            ((*address).clone(), text)
        })
        .collect();
    let text = format!(
        "{HEADER}{}",
        generate::file(blocks.into_iter().map(|(_, commented)| commented))
    );
    super::write_new(out, &text)?;
    Ok(Some(each))
}

/// The file must be new, and one the next plan reads: a `.tf` or `.hcl` file directly in DIR.
fn check_target(dir: &Path, out: &Path) -> Result<(), Failure> {
    if out.exists() {
        return Err(anyhow::anyhow!(
            "the --generate-config-out file `{}` already exists: gateform writes generated configuration only into a new file; choose another name, or move what it holds into your configuration and delete it",
            out.display()
        )
        .into());
    }
    // Read by the next load as configuration, and not as an override file.
    let name = out.file_name().map(|name| name.to_string_lossy());
    let readable = name.is_some_and(|name| {
        crate::config::is_configuration(&name)
            && !crate::config::overrides::is_override(&name)
            && !name.ends_with(".tf.json")
    });
    let parent = match out.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if !readable || !same(parent, dir) {
        return Err(anyhow::anyhow!(
            "--generate-config-out must name a new .tf file in the configuration directory `{}`, where the plan reads it: such as --generate-config-out={}",
            dir.display(),
            dir.join("generated.tf").display()
        )
        .into());
    }
    Ok(())
}
