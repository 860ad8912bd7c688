//! `gateform state ...`: the state read and changed by hand, as `terraform state` does, and
//! from its history. Nothing here calls AWS.

use crate::addr::{Address, Target};
use crate::cli::{LockArgs, StateCommand};
use crate::render;
use crate::state::store::{self, Store};

use super::{Exit, Failure, runtime, take_lock};

pub fn run(command: &StateCommand) -> Result<Exit, Failure> {
    match command {
        StateCommand::List { addresses, file } => {
            let state = store::read(&file.path())?;
            let targets = targets(addresses)?;
            for address in state.resources.keys() {
                if targets.is_empty() || targets.iter().any(|target| target.covers(address)) {
                    println!("{address}");
                }
            }
            Ok(Exit::Success)
        }
        StateCommand::Show { address, file } => {
            let state = store::read(&file.path())?;
            let address = instance(address)?;
            let resource = state
                .resources
                .get(&address)
                .ok_or_else(|| not_in_state(&address))?;
            print!(
                "{}",
                render::state::resource_text(&address, &resource.attributes)
            );
            Ok(Exit::Success)
        }
        StateCommand::Rm {
            addresses,
            file,
            lock,
        } => {
            let mut store = locked(&file.path(), "state rm", lock)?;
            let targets = targets(addresses)?;
            let state = store.load()?;
            let removed: Vec<&Address> = state
                .resources
                .keys()
                .filter(|address| targets.iter().any(|target| target.covers(address)))
                .collect();
            if let Some(target) = targets
                .iter()
                .find(|target| !removed.iter().any(|address| target.covers(address)))
            {
                return Err(anyhow::anyhow!(
                    "no resource instance in the state matches `{target}`: `gateform state list` shows what it holds"
                )
                .into());
            }
            let kept = state
                .resources
                .iter()
                .filter(|(address, _)| !removed.contains(address))
                .map(|(address, resource)| (address.clone(), resource.clone()))
                .collect();
            store.restore(&kept, "state rm")?;
            for address in &removed {
                println!("Removed {address}");
            }
            println!(
                "Successfully removed {} resource instance(s). They still exist in AWS.",
                removed.len()
            );
            Ok(Exit::Success)
        }
        StateCommand::Mv {
            from,
            to,
            file,
            lock,
        } => {
            let mut store = locked(&file.path(), "state mv", lock)?;
            let state = store.load()?;
            let (from, to) = (instance(from)?, instance(to)?);
            // One instance, or, from a resource's address, each of its instances with its key.
            let moves: Vec<(Address, Address)> = match state.resources.contains_key(&from) {
                true => vec![(from.clone(), to.clone())],
                false if from.key.is_none() && to.key.is_none() => state
                    .resources
                    .keys()
                    .filter(|address| from.covers(address))
                    .map(|address| {
                        let key = address.key.clone();
                        (address.clone(), Address { key, ..to.clone() })
                    })
                    .collect(),
                false => Vec::new(),
            };
            if moves.is_empty() {
                return Err(not_in_state(&from));
            }
            for (from, to) in &moves {
                if from.kind != to.kind {
                    return Err(anyhow::anyhow!(
                        "cannot move `{from}` to `{to}`: an object keeps its type; a `{}` is not a `{}`",
                        from.kind,
                        to.kind
                    )
                    .into());
                }
                if state.resources.contains_key(to) {
                    return Err(anyhow::anyhow!(
                        "cannot move `{from}` to `{to}`: the state already holds `{to}`; `gateform state rm` it first if it is meant to go"
                    )
                    .into());
                }
            }
            let renames: Vec<(&Address, &Address, &crate::state::ResourceState)> = moves
                .iter()
                .map(|(from, to)| (from, to, &state.resources[from]))
                .collect();
            store.rename(&renames, "state mv")?;
            for (from, to) in &moves {
                println!("Move \"{from}\" to \"{to}\"");
            }
            println!("Successfully moved {} object(s).", moves.len());
            Ok(Exit::Success)
        }
        StateCommand::Pull { file } => {
            print!(
                "{}",
                render::state::terraform_state(&store::read(&file.path())?)
            );
            Ok(Exit::Success)
        }
        StateCommand::History { file } => {
            let store = existing(&file.path())?;
            let history = store.history()?;
            if history.is_empty() {
                println!("The state has no history yet: nothing was ever written to it.");
            }
            for version in history {
                println!(
                    "{:>6}  {}  {}  {}  {} {}",
                    version.serial,
                    version.created,
                    version.who,
                    version.operation,
                    version.change,
                    version.address
                );
            }
            Ok(Exit::Success)
        }
        StateCommand::Rollback { serial, file, lock } => {
            let mut store = locked(&file.path(), "state rollback", lock)?;
            let current = store.load()?.serial;
            if *serial == 0 || *serial > current {
                return Err(anyhow::anyhow!(
                    "the state has serials 1 to {current}: `gateform state history` lists them"
                )
                .into());
            }
            let resources = store.resources_at(*serial)?;
            let before = store.load()?.resources;
            let changed = store.restore(&resources, &format!("state rollback {serial}"))?;
            println!(
                "The state holds the resources of serial {serial} again, as serial {} ({changed} change(s)); nothing changed in AWS. Run `gateform plan` to see what it would take to make AWS match.",
                store.load()?.serial
            );
            // What the state forgets still exists in AWS: the next plan would make it again.
            let forgotten: Vec<(&Address, &crate::state::ResourceState)> = before
                .iter()
                .filter(|(address, _)| !resources.contains_key(*address))
                .collect();
            if !forgotten.is_empty() {
                println!(
                    "\nThe state no longer records these objects, made after serial {serial}; they still exist in AWS, and a plan would create them again. Delete them in AWS, or adopt them back with `gateform import ADDR ID`:"
                );
                for (address, resource) in forgotten {
                    println!("  {address}  (id {})", resource.id());
                }
            }
            Ok(Exit::Success)
        }
    }
}

/// The store of a state file that exists: a command run in the wrong directory makes none.
fn existing(path: &std::path::Path) -> Result<Store, Failure> {
    if !path.exists() {
        return Err(anyhow::anyhow!(
            "no state file at `{}`: run the command where the state is, with `-C DIR`, or name it with `--state PATH`",
            path.display()
        )
        .into());
    }
    Ok(Store::open(path)?)
}

/// The store, locked for this command as apply locks it.
fn locked(path: &std::path::Path, operation: &str, lock: &LockArgs) -> Result<Store, Failure> {
    let mut store = existing(path)?;
    runtime()?.block_on(take_lock(&mut store, operation, lock, None))?;
    Ok(store)
}

fn targets(addresses: &[String]) -> Result<Vec<Target>, Failure> {
    addresses
        .iter()
        .map(|address| {
            address
                .parse::<Target>()
                .map_err(|error| anyhow::anyhow!("{error}").into())
        })
        .collect()
}

fn instance(address: &str) -> Result<Address, Failure> {
    address
        .parse::<Address>()
        .map_err(|error| anyhow::anyhow!("{error}").into())
}

fn not_in_state(address: &Address) -> Failure {
    anyhow::anyhow!("`{address}` is not in the state: `gateform state list` shows what it holds")
        .into()
}
