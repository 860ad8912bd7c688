//! `gateform discover --out DIR`: the account's API Gateway v2 objects, region by region
//! ([`crate::discover::walk`]), written into a new directory as a configuration that imports
//! them ([`crate::discover::configuration`]). Reads AWS, writes only DIR, never the state.

use std::collections::BTreeMap;
use std::path::Path;

use super::{Exit, Failure, runtime};
use crate::aws::Remotes;
use crate::cli::DiscoverArgs;
use crate::connection::{Connection, Tuning};
use crate::discover::{Found, walk};
use crate::schema::{Kind, is_region};

pub fn discover_command(args: &DiscoverArgs) -> Result<Exit, Failure> {
    check_out(&args.out)?;
    if let Some(region) = args.regions.iter().find(|region| !is_region(region)) {
        return Err(anyhow::anyhow!(
            "`{region}` is not an AWS region: write one such as `--region eu-west-1`"
        )
        .into());
    }
    let runtime = runtime()?;
    let mut regions: Vec<String> = Vec::new();
    for region in &args.regions {
        if !regions.contains(region) {
            regions.push(region.clone());
        }
    }
    if regions.is_empty() {
        let environment = runtime.block_on(crate::aws::environment_region());
        regions.extend(environment);
    }
    let Some(home) = regions.first().cloned() else {
        return Err(anyhow::anyhow!(
            "discover needs a region: give `--region REGION`, or set AWS_REGION"
        )
        .into());
    };
    let connection = Connection::default().tuned(Tuning {
        rate: args.rate,
        ..Tuning::default()
    });
    let (found, notes) = runtime.block_on(async {
        let remotes = Remotes::connect(&connection, Some(&home))
            .await
            .map_err(anyhow::Error::new)?;
        let (mut found, mut notes) = (Vec::new(), Vec::new());
        for region in &regions {
            let aws = remotes.region(Some(region)).map_err(anyhow::Error::new)?;
            let walked = walk(&aws, &args.apis).await.map_err(|error| {
                anyhow::Error::new(error).context(format!(
                    "cannot read everything {region} holds, so nothing was written"
                ))
            })?;
            found.extend(walked.found);
            notes.extend(walked.notes);
        }
        Ok::<_, Failure>((found, notes))
    })?;
    for note in &notes {
        eprintln!("note: {note}");
    }
    let places = regions.join(", ");
    let chosen = |name: &String| found.iter().any(|found| found.is_api(name));
    if let Some(missing) = args.apis.iter().find(|name| !chosen(name)) {
        return Err(anyhow::anyhow!(
            "there is no api named `{missing}`, or with that id, in {places}"
        )
        .into());
    }
    if found.is_empty() {
        println!("No API Gateway v2 object in {places}: nothing to write.");
        return Ok(Exit::Success);
    }
    let files = crate::discover::configuration(&found, &home);
    write_files(&args.out, &files)?;
    let out = args.out.display();
    println!(
        "Discovered {} in {places}: {}.\nWrote {out}: {}.\n\nRun `gateform plan {out}`: it imports them all and changes nothing. `gateform apply {out}` records them; the import blocks in imports.tf can then be deleted.",
        count(found.len(), "object"),
        tally(&found),
        files.keys().cloned().collect::<Vec<_>>().join(", ")
    );
    Ok(Exit::Success)
}

/// DIR must be new or empty: what discover writes is a whole configuration.
fn check_out(out: &Path) -> Result<(), Failure> {
    match std::fs::read_dir(out).map(|mut entries| entries.next().is_some()) {
        Ok(true) => Err(anyhow::anyhow!(
            "`{}` is not empty: discover writes a whole configuration, into a new or empty directory",
            out.display()
        )
        .into()),
        Ok(false) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(anyhow::anyhow!("cannot read `{}`: {error}", out.display()).into()),
    }
}

fn write_files(out: &Path, files: &BTreeMap<String, String>) -> Result<(), Failure> {
    std::fs::create_dir_all(out)
        .map_err(|error| anyhow::anyhow!("cannot write `{}`: {error}", out.display()))?;
    for (name, text) in files {
        super::write_new(&out.join(name), text)?;
    }
    Ok(())
}

/// `3 apis, 25 routes, 1 domain name`, in the order of the kinds.
fn tally(found: &[Found]) -> String {
    Kind::ALL
        .iter()
        .filter_map(|kind| {
            let number = found.iter().filter(|found| found.kind == *kind).count();
            (number > 0).then(|| count(number, kind.schema().noun))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn count(number: usize, noun: &str) -> String {
    match number {
        1 => format!("1 {noun}"),
        _ => format!("{number} {noun}s"),
    }
}
