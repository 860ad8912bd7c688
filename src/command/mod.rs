//! What each command does: the pipeline from files to a plan, and the edges where it meets the
//! terminal, the state file and AWS. Results go to stdout, progress to stderr; errors are returned
//! for `main` to print.

use std::collections::BTreeMap;
use std::io::{BufRead as _, IsTerminal as _, Write as _};
use std::path::Path;

use anyhow::Context as _;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::watch;

mod discover;
mod fmt;
mod generate;
mod migrate;
mod state;

use crate::addr::Target;
use crate::apply::{ApplyError, Interrupts};
use crate::aws::Remotes;
use crate::cli::{
    ApplyArgs, Command, Format, GraphType, LockArgs, PlanArgs, PlanOutput, RefreshArgs,
};
use crate::connection::Tuning;
use crate::diag::{Diagnostics, Sources};
use crate::graph::DepGraph;
use crate::plan::{Plan, plan, plan_destroy, plan_refresh_only, plan_replacing};
use crate::planfile::SavedPlan;
use crate::refresh::{import, refresh};
use crate::render;
use crate::render::colour;
use crate::render::json::Origin;
use crate::resolve::{Desired, ImportTargets, resolve};
use crate::schema::ImportId;
use crate::state::store::{self, Store};
use crate::state::{Refreshed, State};
use crate::value::Value;
use crate::variables::{Assignment, CliInput, Raw};

/// How a successful run ends.
#[derive(Debug, PartialEq, Eq)]
pub enum Exit {
    Success,
    /// `plan --detailed-exitcode` found changes.
    Changes,
    /// `fmt --check` found files to format.
    Unformatted,
    /// `validate --json` found problems, and printed them.
    Invalid,
}

/// JSON as Terraform prints the documents people read too: two-space indents.
fn pretty(json: &serde_json::Value) -> String {
    serde_json::to_string_pretty(json).unwrap_or_default()
}

#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// Problems with the input.
    #[error("{}", .0.text)]
    Invalid(Box<Invalid>),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
    /// Stopped by SIGINT or SIGTERM: exits 130 or 143, as a shell reports a process they ended.
    #[error("{error}")]
    Signalled { error: anyhow::Error, code: u8 },
}

/// Problems with the input, rendered with their source lines, and as `validate -json` shows them.
#[derive(Debug)]
pub struct Invalid {
    pub text: String,
    pub json: serde_json::Value,
}

impl Invalid {
    /// The problems of two configurations, the first's first.
    fn both(first: Invalid, second: Invalid) -> Invalid {
        let mut json = first.json;
        for field in ["error_count", "warning_count"] {
            let sum = json[field].as_u64().unwrap_or(0) + second.json[field].as_u64().unwrap_or(0);
            json[field] = sum.into();
        }
        if let (Some(diagnostics), Some(more)) = (
            json["diagnostics"].as_array_mut(),
            second.json["diagnostics"].as_array(),
        ) {
            diagnostics.extend(more.iter().cloned());
        }
        Invalid {
            text: format!("{}\n{}", first.text, second.text),
            json,
        }
    }
}

impl From<store::StoreError> for Failure {
    fn from(error: store::StoreError) -> Failure {
        Failure::Other(error.into())
    }
}

pub fn run(command: Command) -> Result<Exit, Failure> {
    match command {
        Command::Init { dir } => init_command(&dir),
        Command::Validate { workspace, json } => {
            let loaded = load_quietly(
                workspace.dir(),
                Inputs::Unvalued(workspace.inputs()),
                Described::No,
                ImportTargets::Configured,
            );
            match (loaded, json) {
                (Ok(loaded), false) => {
                    if let Some(warnings) = &loaded.warnings {
                        eprint!("{}", warnings.text);
                    }
                    println!("Success! The configuration is valid.");
                }
                (Err(failure), false) => return Err(failure),
                // Valid, with the warnings it has.
                (Ok(loaded), true) => {
                    let valid = match loaded.warnings {
                        Some(warnings) => warnings.json,
                        None => crate::diag::json(&Diagnostics::default(), &Sources::default()),
                    };
                    println!("{}", pretty(&valid));
                }
                // The problems go to stdout, as Terraform prints them: for the tool reading it.
                (Err(Failure::Invalid(invalid)), true) => {
                    println!("{}", pretty(&invalid.json));
                    return Ok(Exit::Invalid);
                }
                (Err(failure), true) => {
                    let diagnostics =
                        Diagnostics(vec![crate::diag::Diagnostic::error(format!("{failure:#}"))]);
                    println!(
                        "{}",
                        pretty(&crate::diag::json(&diagnostics, &Sources::default()))
                    );
                    return Ok(Exit::Invalid);
                }
            }
            Ok(Exit::Success)
        }
        Command::Plan(args) => plan_command(&args),
        Command::Apply(args) => apply_command(&args, Operation::Apply),
        Command::Destroy(args) => apply_command(&args, Operation::Destroy),
        Command::Import {
            address,
            id,
            workspace,
            lock,
            input: _,
        } => import_command(&address, &id, &workspace, &lock),
        Command::Show {
            path,
            state,
            json,
            format,
        } => {
            let format = match json {
                true => Format::Json,
                false => format.unwrap_or(Format::Text),
            };
            if path.as_path().is_file() {
                let saved = SavedPlan::read(path.as_path()).map_err(anyhow::Error::new)?;
                let output = PlanOutput {
                    format,
                    detailed_exitcode: false,
                };
                return Ok(show_plan(
                    &saved.plan,
                    Some(&saved.origin),
                    &output,
                    &saved.label,
                ));
            }
            if !path.as_path().is_dir() {
                let given = path.as_path().display().to_string();
                let hint = match given.parse::<crate::addr::Address>() {
                    Ok(_) => format!(": to see one resource of the state, run `gateform state show '{given}'`"),
                    Err(_) => ": give it a configuration directory, for its state, or a plan file saved with `plan --out`".to_owned(),
                };
                return Err(
                    anyhow::anyhow!("`{given}` is neither a directory nor a file{hint}").into(),
                );
            }
            let state = store::read(&state.unwrap_or_else(|| path.join("gateform.db")))?;
            match format {
                Format::Json => print!("{}", render::state::json(&state)),
                Format::Text => print!("{}", render::state::text(&state)),
                Format::Markdown | Format::Lines => {
                    return Err(anyhow::anyhow!(
                        "--format markdown shows plans: give `show` a plan file saved with `plan --out`"
                    )
                    .into());
                }
            }
            Ok(Exit::Success)
        }
        Command::Diff { base, head, output } => diff_command(&base, &head, &output),
        Command::Fmt(args) => fmt::fmt_command(&args),
        Command::Discover(args) => discover::discover_command(&args),
        Command::Output {
            name,
            state,
            json,
            raw,
        } => {
            let path = state.unwrap_or_else(|| "gateform.db".into());
            let state = store::read(&path)?;
            if state.outputs.is_empty() && name.is_none() {
                // As Terraform says it, on stderr: stdout stays what a script reads.
                eprintln!(
                    "Warning: No outputs found\n\nThe state{} has no outputs: declare them with `output` blocks and apply.",
                    match path.exists() {
                        true => String::new(),
                        false => format!(" (no file at `{}`)", path.display()),
                    }
                );
                if json {
                    println!("{{}}");
                }
                return Ok(Exit::Success);
            }
            if let (Some(name), true) = (&name, raw) {
                print!(
                    "{}",
                    render::state::raw_output(&state, name).map_err(anyhow::Error::msg)?
                );
                return Ok(Exit::Success);
            }
            print!(
                "{}",
                render::state::outputs(&state, name.as_deref(), json)
                    .map_err(anyhow::Error::msg)?
            );
            Ok(Exit::Success)
        }
        Command::State { command } => state::run(&command),
        Command::Migrate {
            from:
                crate::cli::MigrateCommand::Terraform {
                    source,
                    dir,
                    state,
                    lock,
                },
        } => {
            let state = state.unwrap_or_else(|| dir.join("gateform.db"));
            migrate::terraform(&source, &state, &lock)
        }
        Command::Graph { workspace, kind } => graph_command(&workspace, kind),
        Command::Console { workspace } => console_command(&workspace),
        Command::Refresh {
            workspace,
            mut refresh,
            lock,
        } => {
            if workspace.dir().is_file() {
                return Err(anyhow::anyhow!(
                    "`refresh` takes a configuration directory, not a plan file: `gateform apply {}` applies a saved plan",
                    workspace.dir().display()
                )
                .into());
            }
            refresh.refresh_only = true;
            let args = ApplyArgs {
                workspace,
                refresh,
                auto_approve: true,
                destroy: false,
                input: crate::cli::InputArgs { input: false },
                lock,
                json: false,
            };
            apply_command(&args, Operation::Apply)
        }
        Command::Version { json } => {
            // As Go names them: linux_amd64, darwin_arm64.
            let arch = match std::env::consts::ARCH {
                "x86_64" => "amd64",
                "aarch64" => "arm64",
                "x86" => "386",
                other => other,
            };
            let platform = format!("{}_{arch}", std::env::consts::OS);
            match json {
                true => println!(
                    "{}",
                    pretty(&serde_json::json!({
                        "terraform_version": render::state::TERRAFORM_VERSION,
                        "platform": platform,
                        "provider_selections": {},
                        "terraform_outdated": false,
                        "gateform_version": env!("CARGO_PKG_VERSION"),
                    }))
                ),
                false => println!(
                    "gateform v{}\non {platform}\nformats of Terraform v{}",
                    env!("CARGO_PKG_VERSION"),
                    render::state::TERRAFORM_VERSION
                ),
            }
            Ok(Exit::Success)
        }
        Command::ForceUnlock { id, workspace } => {
            let path = workspace.state_path();
            let holder = Store::open(&path)?.force_unlock(&id)?;
            println!("gateform state has been successfully unlocked (the lock was {holder}).");
            Ok(Exit::Success)
        }
    }
}

/// A configuration loaded, resolved and ordered: everything that needs no state and no AWS.
struct Loaded {
    sources: Sources,
    desired: Desired,
    graph: DepGraph,
    /// The region the environment named, for resources whose configuration names none.
    environment_region: Option<String>,
    /// What the JSON plan shows of the configuration.
    configuration: serde_json::Value,
    /// What is likely a mistake, though not an error, such as a value for an undeclared
    /// variable in a `.tfvars` file.
    warnings: Option<Box<Invalid>>,
}

/// Whether the JSON plan's `configuration` is wanted: by a JSON plan, and a saved one.
#[derive(Clone, Copy)]
enum Described {
    Yes,
    No,
}

/// Where variable values and the environment's region come from: the command line, the
/// environment and `.tfvars` files; or a saved plan, which applies with what it was made with; or,
/// for review, the environment with a stand-in for a region it does not name.
enum Inputs {
    Given(Vec<CliInput>),
    /// As given, and unknown for the variables given none: `validate` checks the configuration,
    /// not the values, as `terraform validate` does.
    Unvalued(Vec<CliInput>),
    Saved(BTreeMap<String, Value>, Option<String>),
    Review,
}

/// `init`: installs every module called from a git repository or a registry, and those they
/// call, afresh, and writes the manifest loading reads.
fn init_command(dir: &Path) -> Result<Exit, Failure> {
    let mut sources = crate::config::read_dir(dir)?;
    let (mut config, mut diagnostics) = crate::config::parse(&sources);
    let mut installer = crate::install::Installer::new(dir);
    let mut refused = Vec::new();
    eprintln!("Initializing modules...");
    crate::config::load_modules(
        &mut config,
        &mut sources,
        &mut diagnostics,
        &mut |key, text, source, version| {
            let installed = installer.install(key, text, source, version);
            if let Err((message, _)) = &installed {
                refused.push(message.clone());
            }
            installed
        },
    );
    // What `validate` and `plan` report is theirs to report: `init` fails only when a file does
    // not parse, or a module cannot be installed.
    if config.complete {
        diagnostics
            .0
            .retain(|diagnostic| refused.contains(&diagnostic.message));
    }
    if !diagnostics.is_empty() {
        return Err(invalid(diagnostics, &sources));
    }
    installer.finish().map_err(anyhow::Error::msg)?;
    println!("gateform has been successfully initialized!");
    Ok(Exit::Success)
}

/// Set by `--compact-warnings`.
static COMPACT_WARNINGS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// `--compact-warnings`: warnings as one summary line each, as Terraform shows them.
pub fn compact_warnings() {
    COMPACT_WARNINGS.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Loads, resolves and orders the configuration in `dir`, reporting every problem at once.
fn load(dir: &Path, inputs: Inputs, described: Described) -> Result<Loaded, Failure> {
    let loaded = load_quietly(dir, inputs, described, ImportTargets::Configured)?;
    if let Some(warnings) = &loaded.warnings {
        match COMPACT_WARNINGS.load(std::sync::atomic::Ordering::Relaxed) {
            true => eprint!("{}", compact(&warnings.json)),
            false => eprint!("{}", warnings.text),
        }
    }
    Ok(loaded)
}

/// Warnings as `-compact-warnings` shows them: each summary, and the file and line it is on.
fn compact(json: &serde_json::Value) -> String {
    let mut out = String::from("\nWarnings:\n\n");
    for diagnostic in json["diagnostics"].as_array().into_iter().flatten() {
        out.push_str(&format!(
            "- {}\n",
            diagnostic["summary"].as_str().unwrap_or_default()
        ));
        let range = &diagnostic["range"];
        if let (Some(file), Some(line)) =
            (range["filename"].as_str(), range["start"]["line"].as_u64())
        {
            out.push_str(&format!("  on {file} line {line}\n"));
        }
    }
    out.push_str("\nTo see the full warning notes, run gateform without --compact-warnings.\n");
    out
}

/// Like [`load`], keeping the warnings in [`Loaded::warnings`] instead of printing them.
fn load_quietly(
    dir: &Path,
    inputs: Inputs,
    described: Described,
    import_targets: ImportTargets,
) -> Result<Loaded, Failure> {
    let mut sources = crate::config::read_dir(dir)?;
    let (mut config, mut diagnostics) = crate::config::parse(&sources);
    let manifest = crate::install::Manifest::read(dir).map_err(anyhow::Error::msg)?;
    crate::config::load_modules(
        &mut config,
        &mut sources,
        &mut diagnostics,
        &mut |key, source, _, version| manifest.directory(dir, key, source, version),
    );
    // A file that did not parse contributes no resources, so references to them would only add noise.
    if !config.complete {
        return Err(invalid(diagnostics, &sources));
    }
    let environment_region = match &inputs {
        Inputs::Given(_) | Inputs::Unvalued(_) => {
            runtime()?.block_on(crate::aws::environment_region())
        }
        Inputs::Saved(_, region) => region.clone(),
        Inputs::Review => Some(
            runtime()?
                .block_on(crate::aws::environment_region())
                .unwrap_or_else(crate::review::unknown_region),
        ),
    };
    let given = |cli: &[CliInput], sources: &mut Sources| {
        crate::variables::read_inputs(dir, cli, std::env::vars(), sources)
    };
    let assignments = match inputs {
        Inputs::Review => Vec::new(),
        Inputs::Given(cli) => match given(&cli, &mut sources) {
            Ok(assignments) => assignments,
            Err(more) => {
                diagnostics.extend(more);
                return Err(invalid(diagnostics, &sources));
            }
        },
        Inputs::Unvalued(cli) => match given(&cli, &mut sources) {
            Ok(assignments) => {
                crate::variables::unknown_where_missing(&config.variables, assignments)
            }
            Err(more) => {
                diagnostics.extend(more);
                return Err(invalid(diagnostics, &sources));
            }
        },
        Inputs::Saved(values, _) => values
            .into_iter()
            .map(|(name, value)| Assignment {
                name,
                raw: Raw::Json(value, "the saved plan".to_owned()),
                from_command_line: false,
            })
            .collect(),
    };
    let warnings = crate::variables::undeclared_in_files(&config.variables, &assignments);
    diagnostics.extend(warnings.clone());
    // Only a JSON plan shows it, and at scale it costs as much as the parse.
    let configuration = match described {
        Described::Yes => render::configuration::document(&config),
        Described::No => serde_json::Value::Null,
    };
    let desired = match resolve(
        config,
        &assignments,
        environment_region.as_deref(),
        import_targets,
    ) {
        Ok(desired) if diagnostics.0.len() == warnings.0.len() => desired,
        Ok(_) => return Err(invalid(diagnostics, &sources)),
        Err(more) => {
            diagnostics.extend(more);
            return Err(invalid(diagnostics, &sources));
        }
    };
    let graph =
        crate::graph::build(&desired).map_err(|diagnostics| invalid(diagnostics, &sources))?;
    let warnings = match warnings.is_empty() {
        true => None,
        false => match invalid(warnings, &sources) {
            Failure::Invalid(warnings) => Some(warnings),
            _ => None,
        },
    };
    Ok(Loaded {
        warnings,
        sources,
        desired,
        graph,
        environment_region,
        configuration,
    })
}

/// Writes `text` into a file that must not exist yet: generated configuration never replaces
/// what someone wrote.
fn write_new(path: &Path, text: &str) -> Result<(), Failure> {
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut file| file.write_all(text.as_bytes()));
    written.map_err(|error| anyhow::anyhow!("cannot write `{}`: {error}", path.display()).into())
}

fn invalid(mut diagnostics: Diagnostics, sources: &Sources) -> Failure {
    diagnostics.sort();
    let styled = colour(std::io::stderr().is_terminal());
    Failure::Invalid(Box::new(Invalid {
        text: crate::diag::render(&diagnostics, sources, styled),
        json: crate::diag::json(&diagnostics, sources),
    }))
}

/// The plan as text, coloured when stdout is a terminal.
fn text_plan(plan: &Plan) -> String {
    let style = match colour(std::io::stdout().is_terminal()) {
        true => render::text::Style::Colour,
        false => render::text::Style::Plain,
    };
    render::text::plan(plan, style)
}

fn plan_command(args: &PlanArgs) -> Result<Exit, Failure> {
    let described = match args.out.is_some() || args.output.format == Format::Json {
        true => Described::Yes,
        false => Described::No,
    };
    let generated = match &args.generate_config_out {
        Some(out) => generate::write(args, out)?.map(|blocks| (out, blocks)),
        None => None,
    };
    let blocks = generated.as_ref().map(|(_, blocks)| blocks);
    let planned = plan_generated(args, described, blocks);
    // Said even when the plan fails, since the file stays: the next run would refuse it.
    if let Some((out, _)) = generated {
        let message = format!(
            "gateform has generated configuration and written it to {}. Please review the configuration and edit it as necessary before adding it to version control.",
            out.display()
        );
        match (&planned, args.json, args.output.format) {
            (Ok(_), false, Format::Text) => println!("\n{message}"),
            _ => eprintln!("\n{message}"),
        }
    }
    planned
}

/// The plan, once `--generate-config-out` has written what it writes: `generated`, the text of
/// each block it wrote, which the plan shows.
fn plan_generated(
    args: &PlanArgs,
    described: Described,
    generated: Option<&BTreeMap<crate::addr::Address, String>>,
) -> Result<Exit, Failure> {
    let inputs = Inputs::Given(args.workspace.inputs());
    let loaded = load(args.workspace.dir(), inputs, described)?;
    let mut state = loaded.with_regions(store::read(&args.workspace.state_path())?);
    // The creates a running apply has in flight are its own to settle.
    if !state.pending.is_empty()
        && let Some(holder) = store::live_holder(&args.workspace.state_path())?
    {
        eprintln!(
            "gateform: the state is locked by a running apply ({holder}); the creates it has in flight are not looked up, so this plan may show them as still to add."
        );
        state.pending.clear();
    }
    let mut plan = runtime()?.block_on(async {
        // An empty state has nothing to refresh: a fresh plan needs no AWS account at all, unless
        // an import block has an object to read.
        let importing = loaded
            .desired
            .imports
            .keys()
            .any(|to| !state.resources.contains_key(to));
        let reading = loaded
            .desired
            .data
            .iter()
            .any(|source| source.kind.reads_aws());
        // Creates an interrupted apply left are looked up even with --refresh=false: a plan that
        // does not know what they made would make it again.
        let interrupted = !state.pending.is_empty();
        let remotes = match (args.refresh.refresh && !state.resources.is_empty())
            || importing
            || reading
            || interrupted
        {
            true => Some(connect(&loaded, args.refresh.tuning()).await?),
            false => None,
        };
        let refreshed = refresh_state(state, &args.refresh, remotes.as_ref(), &loaded).await?;
        report_calls(&args.refresh, remotes.as_ref());
        make_plan(
            &loaded,
            refreshed,
            &args.refresh,
            args.destroy.then_some("--destroy"),
        )
    })?;
    for change in &mut plan.changes {
        change.generated_config = generated.and_then(|blocks| blocks.get(&change.address).cloned());
    }
    // What only a JSON or saved plan shows: its relevant attributes are worked out only then.
    let origin = matches!(described, Described::Yes).then(|| {
        Origin::new(
            loaded.configuration,
            &loaded.desired,
            &plan,
            loaded.desired.context.variables.clone(),
        )
    });
    let output = PlanOutput {
        format: match args.json {
            true => Format::Lines,
            false => args.output.format,
        },
        detailed_exitcode: args.output.detailed_exitcode,
    };
    let exit = show_plan(
        &plan,
        origin.as_ref(),
        &output,
        &args.workspace.dir().display().to_string(),
    );
    if let Some(out) = &args.out {
        let saved = SavedPlan::new(
            plan,
            args.workspace.dir(),
            &args.workspace.state_path(),
            &loaded.sources,
            origin.unwrap_or_default(),
            loaded.environment_region.clone(),
        )
        .with_context(|| format!("cannot save the plan to `{}`", out.display()))?;
        saved.write(out).map_err(anyhow::Error::new)?;
        eprintln!(
            "\nSaved the plan to: {0}\n\nTo perform exactly these actions, run the following command to apply:\n    gateform apply \"{0}\"",
            out.display()
        );
    }
    Ok(exit)
}

/// `diff BASE HEAD`: HEAD planned against BASE assumed applied. Reads no state and calls no AWS.
fn diff_command(base: &Path, head: &Path, output: &PlanOutput) -> Result<Exit, Failure> {
    let described = match output.format {
        Format::Json => Described::Yes,
        _ => Described::No,
    };
    let loaded = (
        load(base, Inputs::Review, Described::No),
        load(head, Inputs::Review, described),
    );
    let (base_loaded, head_loaded) = match loaded {
        (Ok(base), Ok(head)) => (base, head),
        (Err(Failure::Invalid(base)), Err(Failure::Invalid(head))) => {
            return Err(Failure::Invalid(Box::new(Invalid::both(*base, *head))));
        }
        (Err(failure), _) | (_, Err(failure)) => return Err(failure),
    };
    let assumed = crate::review::assume_applied(&base_loaded.desired, &base_loaded.graph)
        .map_err(|diagnostics| invalid(diagnostics, &base_loaded.sources))?;
    let plan = plan(
        &head_loaded.desired,
        &head_loaded.graph,
        Refreshed::skipped(assumed),
    )
    .map_err(|diagnostics| invalid(diagnostics, &head_loaded.sources))?;
    let plan = Plan {
        assumed_base: Some(base.display().to_string()),
        ..crate::review::forget_placeholders(plan)
    };
    let origin = matches!(described, Described::Yes).then(|| {
        Origin::new(
            head_loaded.configuration,
            &head_loaded.desired,
            &plan,
            head_loaded.desired.context.variables.clone(),
        )
    });
    Ok(show_plan(
        &plan,
        origin.as_ref(),
        output,
        &head.display().to_string(),
    ))
}

/// `console`: each line of stdin evaluated in the root module, with the resources' values from
/// the state (what is not there yet is known after apply). A line that fails is reported, and
/// the next one read; the exit code says whether any failed.
fn console_command(workspace: &crate::cli::Workspace) -> Result<Exit, Failure> {
    let loaded = load(
        workspace.dir(),
        Inputs::Given(workspace.inputs()),
        Described::No,
    )?;
    let state = store::read(&workspace.state_path())?;
    let mut resources: BTreeMap<crate::addr::Address, crate::value::Object> = state
        .resources
        .into_iter()
        .map(|(address, resource)| (address, resource.attributes))
        .collect();
    for address in loaded.desired.resources.keys() {
        if !resources.contains_key(address) {
            resources.insert(address.clone(), address.kind.schema().unknown_object());
        }
    }
    let data = BTreeMap::new();
    let known = loaded.desired.known(&resources, &data);
    let context = &loaded.desired.context;
    let mut failed = false;
    for line in std::io::stdin().lock().lines() {
        let line = line.context("cannot read standard input")?;
        if line.trim().is_empty() {
            continue;
        }
        let mut sources = Sources::default();
        let file = sources.add("<console-input>".into(), line.clone());
        let value = hcl_edit::parser::parse_expr(&line)
            .map_err(|error| {
                crate::diag::Diagnostic::error(format!("invalid expression: {}", error.message()))
                    .at(crate::diag::Span::new(file, Some(0..line.len())))
            })
            .and_then(|expr| {
                let value = crate::eval::evaluate(&expr, file, context, &known)?;
                Ok(match crate::eval::is_sensitive(&expr, file, context) {
                    true => "(sensitive value)".to_owned(),
                    false => render::state::console_value(&value, 0),
                })
            });
        match value {
            Ok(shown) => println!("{shown}"),
            Err(diagnostic) => {
                failed = true;
                let styled = colour(std::io::stderr().is_terminal());
                eprint!(
                    "{}",
                    crate::diag::render(&Diagnostics(vec![diagnostic]), &sources, styled)
                );
            }
        }
    }
    Ok(match failed {
        true => Exit::Invalid,
        false => Exit::Success,
    })
}

/// `graph`: the configuration's dependency graph, or the steps of an apply, as DOT.
fn graph_command(workspace: &crate::cli::Workspace, kind: GraphType) -> Result<Exit, Failure> {
    let loaded = load(
        workspace.dir(),
        Inputs::Given(workspace.inputs()),
        Described::No,
    )?;
    let (nodes, edges): (Vec<String>, Vec<(String, String)>) = match kind {
        GraphType::Plan => {
            let resources = &loaded.desired.resources;
            let edges = resources
                .iter()
                .flat_map(|(address, resource)| {
                    let dependencies = resource.dependencies.iter();
                    dependencies
                        .map(move |dependency| (address.to_string(), dependency.to_string()))
                })
                .collect();
            (resources.keys().map(ToString::to_string).collect(), edges)
        }
        GraphType::Apply => {
            let state = loaded.with_regions(store::read(&workspace.state_path())?);
            let plan = plan(&loaded.desired, &loaded.graph, Refreshed::skipped(state))
                .map_err(|diagnostics| invalid(diagnostics, &loaded.sources))?;
            let label = |step: &crate::apply::Step| {
                let verb = match step {
                    crate::apply::Step::Create(_) => "create",
                    crate::apply::Step::Update(_) => "update",
                    crate::apply::Step::Delete(_) => "delete",
                };
                format!("{} ({verb})", step.address())
            };
            let (steps, edges) = crate::apply::step_graph_edges(&plan);
            let edges = edges
                .iter()
                .map(|(from, to)| (label(from), label(to)))
                .collect();
            (steps.iter().map(label).collect(), edges)
        }
    };
    print!("{}", render::dot(&nodes, &edges));
    Ok(Exit::Success)
}

/// Prints a plan in the chosen format; with --detailed-exitcode, says whether it changes anything.
/// `origin` is there whenever the format is JSON: the commands build it only then.
fn show_plan(plan: &Plan, origin: Option<&Origin>, output: &PlanOutput, directory: &str) -> Exit {
    let shown = match output.format {
        Format::Text => text_plan(plan),
        Format::Markdown => render::markdown::plan(plan, directory),
        Format::Json => render::json::plan(plan, origin.unwrap_or(&Origin::default())),
        Format::Lines => render::ui::plan(plan),
    };
    print!("{shown}");
    if output.detailed_exitcode && plan.has_changes() {
        Exit::Changes
    } else {
        Exit::Success
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?)
}

async fn connect(loaded: &Loaded, tuning: Tuning) -> Result<Remotes, Failure> {
    let placed = |resource: &crate::resolve::DesiredResource| resource.region.as_str().is_some();
    if !loaded.desired.resources.values().all(placed) {
        return Err(anyhow::Error::new(crate::aws::RemoteError::NoRegion).into());
    }
    // Credentials are found in the default configuration's region, or any region named.
    let mut regions = loaded.desired.resources.values().map(|r| r.region.as_str());
    let home = loaded
        .desired
        .default_region()
        .or_else(|| regions.find_map(|r| r));
    let connection = &loaded.desired.connection.tuned(tuning);
    Ok(Remotes::connect(connection, home)
        .await
        .map_err(anyhow::Error::new)?)
}

impl Loaded {
    /// The state, with the region of every object recorded before gateform kept regions: the
    /// default provider configuration's, the only one there was.
    fn with_regions(&self, mut state: State) -> State {
        if let Some(region) = self.desired.default_region() {
            state.assume_region(region);
        }
        state
    }
}

/// Everything read before planning: the state brought up to date from AWS (unless
/// `--refresh=false`), the data sources, and the objects import blocks bring in. Without AWS to
/// ask, the state as it is and the data sources that need no AWS.
async fn refresh_state(
    mut state: State,
    args: &RefreshArgs,
    remotes: Option<&Remotes>,
    loaded: &Loaded,
) -> Result<Refreshed, Failure> {
    // First, what interrupted applies may have made.
    let journal = match remotes {
        Some(remotes) if !state.pending.is_empty() => {
            crate::journal::resolve(&mut state, remotes, |address, wait| {
                eprintln!(
                    "gateform: {address} was being created by an apply that stopped moments ago, and is not in AWS yet; looking again in {}s, in case that create is still under way.",
                    wait.as_secs_f64().ceil()
                )
            })
            .await
            .map_err(anyhow::Error::new)?
        }
        _ => Vec::new(),
    };
    let mut refreshed = match (args.refresh, remotes) {
        (true, Some(remotes)) => refresh(state, remotes, usize::from(args.parallelism))
            .await
            .map_err(anyhow::Error::new)?,
        _ => Refreshed::skipped(state),
    };
    refreshed.journal = journal;
    refreshed.data = crate::refresh::read_data(&loaded.desired.data, remotes)
        .await
        .map_err(anyhow::Error::new)?;
    if let Some(remotes) = remotes {
        import_blocks(&mut refreshed, loaded, remotes).await?;
    }
    Ok(refreshed)
}

/// Reads the objects `import` blocks name into the refreshed state, when they are not in it yet.
async fn import_blocks(
    refreshed: &mut Refreshed,
    loaded: &Loaded,
    remotes: &Remotes,
) -> Result<(), Failure> {
    for (to, id) in &loaded.desired.imports {
        if refreshed.state.resources.contains_key(to) {
            continue;
        }
        let Some(resource) = loaded.desired.resources.get(to) else {
            return Err(anyhow::anyhow!(
                "an import block brings an object to `{to}`, which is not in the configuration"
            )
            .into());
        };
        let aws = remotes
            .region(id.region().or(resource.region.as_str()))
            .map_err(anyhow::Error::new)?;
        let attributes = import(to.kind, id, &aws, &resource.provider.default_tags)
            .await
            .map_err(|error| anyhow::Error::new(error).context(format!("cannot import `{to}`")))?;
        let imported = crate::state::ResourceState {
            attributes,
            dependencies: resource.dependencies.clone(),
        };
        refreshed.state.resources.insert(to.clone(), imported);
        refreshed.imported.insert(to.clone());
    }
    Ok(())
}

/// The plan the flags ask for, a destroy, refresh-only or normal one, limited to the --targets.
fn make_plan(
    loaded: &Loaded,
    refreshed: Refreshed,
    args: &RefreshArgs,
    // How a destroy was asked for: `--destroy`, or the `destroy` command.
    destroy: Option<&str>,
) -> Result<Plan, Failure> {
    let conflict = |flag: &str| {
        let message = match destroy {
            Some("destroy") => {
                format!("`destroy` cannot take {flag}: it deletes everything in the state")
            }
            Some(destroy) => format!("{destroy} and {flag} cannot be used together"),
            None => format!("--refresh-only and {flag} cannot be used together"),
        };
        Err(anyhow::anyhow!(message).into())
    };
    let destroy = destroy.is_some();
    let addresses = |flag: &str, written: &[String]| {
        written
            .iter()
            .map(|address| {
                address
                    .parse::<Target>()
                    .map_err(|error| anyhow::anyhow!("invalid --{flag} `{address}`: {error}"))
            })
            .collect::<Result<Vec<Target>, _>>()
    };
    let (targets, replace) = (
        addresses("target", &args.targets)?,
        addresses("replace", &args.replace)?,
    );
    let known = |target: &Target| {
        let state = refreshed.state.resources.keys();
        loaded
            .desired
            .resources
            .keys()
            .chain(state)
            .any(|address| target.covers(address))
    };
    if let Some(unknown) = replace.iter().find(|target| !known(target)) {
        return Err(anyhow::anyhow!(
            "--replace `{unknown}` names no resource in the configuration or the state: check the address with `gateform state list`"
        )
        .into());
    }
    let plan = match (destroy, args.refresh_only, args.refresh, replace.is_empty()) {
        (true, true, _, _) => return conflict("--refresh-only"),
        (false, true, false, _) => return conflict("--refresh=false"),
        (true, false, _, false) => return conflict("--replace"),
        (false, true, _, false) => return conflict("--replace"),
        (true, false, _, true) => plan_destroy(refreshed, &loaded.desired),
        (false, true, true, _) => plan_refresh_only(refreshed, &loaded.desired),
        (false, false, _, _) => plan_replacing(&loaded.desired, &loaded.graph, refreshed, &replace)
            .map_err(|diagnostics| invalid(diagnostics, &loaded.sources))?,
    };
    let plan = plan.target(targets).map_err(anyhow::Error::new)?;
    crate::plan::check_prevent_destroy(&plan, &loaded.desired)
        .map_err(|diagnostics| invalid(diagnostics, &loaded.sources))?;
    Ok(plan)
}

/// `--verbose`: the AWS calls made so far, by operation, and what they met.
fn report_calls(args: &RefreshArgs, remotes: Option<&Remotes>) {
    if !args.verbose {
        return;
    }
    let Some(remotes) = remotes else {
        eprintln!("gateform made no AWS calls.");
        return;
    };
    let traffic = remotes.traffic();
    let total: usize = traffic.calls.values().sum();
    let by_operation: Vec<String> = traffic
        .calls
        .iter()
        .map(|(operation, count)| format!("{operation} ×{count}"))
        .collect();
    match total {
        0 => eprintln!("gateform made no AWS calls."),
        _ => eprintln!(
            "gateform made {total} AWS call(s): {}.\n\
             {} of them were retries; AWS turned {} away (throttled or busy); waiting for the rate limit ({}) took {:.1}s.",
            by_operation.join(", "),
            traffic.retries,
            traffic.throttled,
            remotes.rate(),
            traffic.waited.as_secs_f64(),
        ),
    }
}

#[derive(Clone, Copy)]
enum Operation {
    Apply,
    Destroy,
}

impl Operation {
    /// The name recorded in the state's lock and history.
    fn name(self) -> &'static str {
        match self {
            Operation::Apply => "apply",
            Operation::Destroy => "destroy",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Operation::Apply => "Apply",
            Operation::Destroy => "Destroy",
        }
    }
}

fn apply_command(args: &ApplyArgs, operation: Operation) -> Result<Exit, Failure> {
    let operation = match args.destroy {
        true => Operation::Destroy,
        false => operation,
    };
    if let Operation::Apply = operation
        && args.workspace.dir().is_file()
    {
        return apply_saved(args);
    }
    if args.json && !args.auto_approve {
        return Err(anyhow::anyhow!(
            "{} --json cannot ask for approval: add --auto-approve, or apply a saved plan",
            operation.name()
        )
        .into());
    }
    let loaded = load(
        args.workspace.dir(),
        Inputs::Given(args.workspace.inputs()),
        Described::No,
    )?;
    runtime()?.block_on(apply_loaded(args, operation, &loaded))
}

/// `apply FILE`: exactly the saved plan, without asking again, if nothing it was made from moved.
fn apply_saved(args: &ApplyArgs) -> Result<Exit, Failure> {
    let (path, lock) = (args.workspace.dir(), &args.lock);
    let saved = SavedPlan::read(path).map_err(anyhow::Error::new)?;
    let loaded = load(
        &saved.directory,
        Inputs::Saved(
            saved.origin.variables.clone(),
            saved.environment_region.clone(),
        ),
        Described::No,
    )?;
    saved
        .check_configuration(&loaded.sources)
        .map_err(anyhow::Error::new)?;
    // Checked before the state file is opened for writing, so a refused plan leaves it as it was;
    // checked again under the lock, in case another run wrote in between.
    saved
        .check_state(&store::read(&saved.state_path)?)
        .map_err(anyhow::Error::new)?;
    runtime()?.block_on(async {
        let interrupted = catch_interrupt()?;
        let mut store = Store::open(&saved.state_path)?;
        take_lock(
            &mut store,
            Operation::Apply.name(),
            lock,
            Some(&interrupted),
        )
        .await?;
        saved
            .check_state(&store.load()?)
            .map_err(anyhow::Error::new)?;
        let remotes = connect(&loaded, args.refresh.tuning()).await?;
        print!("{}", apply_plan(&saved.plan, args));
        carry_out(
            &saved.plan,
            &loaded,
            &remotes,
            &mut store,
            (Operation::Apply, args),
            interrupted,
        )
        .await
    })
}

/// Everything apply does once the configuration is known to be valid. Ctrl-C is caught from before
/// the lock is taken, so every way out of here releases it.
async fn apply_loaded(
    args: &ApplyArgs,
    operation: Operation,
    loaded: &Loaded,
) -> Result<Exit, Failure> {
    let interrupted = catch_interrupt()?;
    let mut store = Store::open(&args.workspace.state_path())?;
    take_lock(&mut store, operation.name(), &args.lock, Some(&interrupted)).await?;
    // Region and credentials are settled before anyone is asked to approve.
    let remotes = connect(loaded, args.refresh.tuning()).await?;
    let state = loaded.with_regions(store.load()?);
    let refreshed = refresh_state(state, &args.refresh, Some(&remotes), loaded).await?;
    let destroy = match (operation, args.destroy) {
        (Operation::Apply, _) => None,
        (Operation::Destroy, true) => Some("--destroy"),
        (Operation::Destroy, false) => Some("destroy"),
    };
    let plan = make_plan(loaded, refreshed, &args.refresh, destroy)?;
    print!("{}", apply_plan(&plan, args));
    if !plan.has_changes() {
        // Drift that needs no action is still recorded, so the state never lags behind AWS.
        crate::apply::record_drift(&plan, &mut store, operation.name())?;
        report_calls(&args.refresh, Some(&remotes));
        completed(
            operation,
            &crate::plan::Counts::default(),
            &store,
            args.json,
        )?;
        return Ok(Exit::Success);
    }
    if !args.auto_approve && !args.input.input {
        return Err(anyhow::anyhow!(
            "{} needs approval, and --input=false forbids asking for it: add --auto-approve",
            operation.name()
        )
        .into());
    }
    if !args.auto_approve && !confirm(operation, interrupted.clone()).await? {
        return Err(anyhow::anyhow!("{} cancelled.", operation.title()).into());
    }
    let exit = carry_out(
        &plan,
        loaded,
        &remotes,
        &mut store,
        (operation, args),
        interrupted,
    )
    .await?;
    report_calls(&args.refresh, Some(&remotes));
    Ok(exit)
}

/// Makes the plan's changes, recording each in the state, and says what was done.
async fn carry_out(
    plan: &Plan,
    loaded: &Loaded,
    remotes: &Remotes,
    store: &mut Store,
    (operation, args): (Operation, &ApplyArgs),
    interrupted: watch::Receiver<Interrupts>,
) -> Result<Exit, Failure> {
    let code = || interrupted.borrow().code;
    let mut reporter = crate::progress::Reporter::new(args.json);
    let counts = crate::apply::apply(
        plan,
        &loaded.desired,
        remotes,
        store,
        operation.name(),
        usize::from(args.refresh.parallelism),
        interrupted.clone(),
        |progress| reporter.report(progress),
    )
    .await;
    // The bar is gone before the summary.
    drop(reporter);
    let counts = counts.map_err(|error| match error {
        stopped @ ApplyError::Interrupted { .. } => Failure::Signalled {
            error: anyhow::Error::new(stopped),
            code: code(),
        },
        ApplyError::Evaluate(_, diagnostics) => invalid(diagnostics, &loaded.sources),
        ApplyError::Failed(mut failed) => match failed.failures.as_mut_slice() {
            [ApplyError::Evaluate(_, diagnostics)] if failed.interrupted == 0 => {
                invalid(std::mem::take(diagnostics), &loaded.sources)
            }
            // Stopped by an interrupt as well: the exit code says so.
            _ if interrupted.borrow().count > 0 => Failure::Signalled {
                error: anyhow::anyhow!("apply stopped: {failed}"),
                code: code(),
            },
            _ => Failure::Other(anyhow::anyhow!("apply stopped: {failed}")),
        },
        // Refused before anything was done.
        refused @ (ApplyError::Invalid(_) | ApplyError::Order(_)) => {
            Failure::Other(anyhow::Error::new(refused))
        }
        other => Failure::Other(anyhow::Error::new(other).context(
            "apply stopped; every change made before this error is recorded in the state",
        )),
    })?;
    store.unlock()?;
    completed(operation, &counts, store, args.json)?;
    Ok(Exit::Success)
}

/// The plan an apply shows before it starts: as text, or as the machine-readable UI's lines.
fn apply_plan(plan: &Plan, args: &ApplyArgs) -> String {
    match args.json {
        true => render::ui::apply_plan(plan),
        false => text_plan(plan),
    }
}

/// Terraform's last words of an apply or a destroy: what it did, then the outputs.
fn completed(
    operation: Operation,
    counts: &crate::plan::Counts,
    store: &Store,
    json: bool,
) -> Result<(), Failure> {
    let destroy = matches!(operation, Operation::Destroy);
    let after = store.load()?;
    if json {
        print!("{}", render::ui::applied(destroy, counts, &after));
        return Ok(());
    }
    println!("\n{}", render::applied_summary(destroy, counts));
    if let (Operation::Apply, false) = (operation, after.outputs.is_empty()) {
        let shown = render::state::outputs(&after, None, false).map_err(anyhow::Error::msg)?;
        print!("\nOutputs:\n\n{shown}");
    }
    Ok(())
}

/// Takes the state's lock for `operation`, saying so when it was left by a run that died here.
/// With `--lock-timeout`, tries again until then; an interrupt stops the wait.
async fn take_lock(
    store: &mut Store,
    operation: &str,
    lock: &LockArgs,
    interrupted: Option<&watch::Receiver<Interrupts>>,
) -> Result<(), Failure> {
    let deadline = tokio::time::Instant::now() + lock.lock_timeout;
    let dead = loop {
        match store.lock(operation) {
            Ok(dead) => break dead,
            Err(store::StoreError::Locked { .. }) if tokio::time::Instant::now() < deadline => {
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                if let Some(interrupts) = interrupted.map(|interrupted| *interrupted.borrow())
                    && interrupts.count > 0
                {
                    return Err(Failure::Signalled {
                        error: anyhow::anyhow!("{operation} cancelled while waiting for the lock."),
                        code: interrupts.code,
                    });
                }
            }
            Err(error) => return Err(error.into()),
        }
    };
    if let Some(dead) = dead {
        eprintln!(
            "gateform: took over the state's lock, {dead}: that process is no longer running on this host."
        );
    }
    *HELD_LOCK
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner()) = store.held_lock();
    Ok(())
}

/// The lock this process holds, for the second interrupt to release as it exits.
static HELD_LOCK: std::sync::Mutex<Option<store::HeldLock>> = std::sync::Mutex::new(None);

/// Catches Ctrl-C (SIGINT) and SIGTERM, which CI sends a cancelled job, from now on: the handler
/// is installed before this returns, so the default action (ending the process and leaving the
/// lock behind) can no longer happen. The first interrupt stops apply from starting another
/// call; the calls in flight finish (within their timeout) and are recorded. The second abandons
/// them at once: their intents are left for the next run to resolve, the lock is released, and
/// the process exits.
fn catch_interrupt() -> Result<watch::Receiver<Interrupts>, Failure> {
    let mut interrupts = signal(SignalKind::interrupt()).context("cannot catch Ctrl-C")?;
    let mut terminations = signal(SignalKind::terminate()).context("cannot catch SIGTERM")?;
    let (send, receive) = watch::channel(Interrupts::default());
    tokio::spawn(async move {
        loop {
            let code = tokio::select! {
                Some(()) = interrupts.recv() => 130,
                Some(()) = terminations.recv() => 143,
                else => return,
            };
            send.send_modify(|interrupts| {
                if interrupts.count == 0 {
                    interrupts.code = code;
                }
                interrupts.count += 1;
            });
            let first = *send.borrow();
            if first.count == 1 {
                eprintln!(
                    "\nInterrupt received.\nPlease wait for gateform to exit or data loss may occur.\nGracefully shutting down..."
                );
                continue;
            }
            eprintln!(
                "\nTwo interrupts received. Exiting immediately: the calls in flight are abandoned, and the next plan or apply looks for what they made."
            );
            let held = HELD_LOCK.lock().ok().and_then(|mut held| held.take());
            if let Some(held) = held {
                held.release();
            }
            std::process::exit(i32::from(first.code));
        }
    });
    Ok(receive)
}

/// Asks for `yes` on the terminal. A closed stdin, or Ctrl-C, is a no.
async fn confirm(
    operation: Operation,
    mut interrupted: watch::Receiver<Interrupts>,
) -> Result<bool, Failure> {
    let question = match operation {
        Operation::Apply => {
            "Do you want to perform these actions?\n  gateform will perform the actions described above.\n  Only 'yes' will be accepted to approve."
        }
        Operation::Destroy => {
            "Do you really want to destroy all resources?\n  gateform will destroy all your managed infrastructure, as shown above.\n  There is no undo. Only 'yes' will be accepted to confirm."
        }
    };
    let mut stderr = std::io::stderr();
    let _ = write!(stderr, "\n{question}\n\n  Enter a value: ");
    let _ = stderr.flush();
    // A plain thread, not a runtime task: on Ctrl-C it is left blocked in read_line and the process
    // exits without waiting for it.
    let (send, answer) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = send.send(std::io::stdin().lock().read_line(&mut line).map(|_| line));
    });
    tokio::select! {
        answer = answer => {
            let answer = answer
                .context("cannot read the answer from standard input")?
                .context("cannot read the answer from standard input")?;
            if !std::io::stdin().is_terminal() {
                eprintln!();
            }
            Ok(answer.trim() == "yes")
        }
        _ = interrupted.wait_for(|interrupts| interrupts.count > 0) => Ok(false),
    }
}

/// Imports one object into the state, at an address the configuration declares.
fn import_command(
    address: &str,
    id: &str,
    workspace: &crate::cli::Workspace,
    lock: &LockArgs,
) -> Result<Exit, Failure> {
    let address: crate::addr::Address = address.parse().map_err(anyhow::Error::new)?;
    let import_id = ImportId::parse(address.kind, id).map_err(anyhow::Error::new)?;
    let loaded = load(
        workspace.dir(),
        Inputs::Given(workspace.inputs()),
        Described::No,
    )?;
    let Some(resource) = loaded.desired.resources.get(&address) else {
        return Err(anyhow::anyhow!(
            "`{address}` is not in the configuration: add a `resource \"{}\" \"{}\" {{ ... }}` block first, then import into it",
            address.kind,
            address.name
        )
        .into());
    };
    runtime()?.block_on(async {
        let mut store = Store::open(&workspace.state_path())?;
        take_lock(&mut store, "import", lock, None).await?;
        if let Some(existing) = store.load()?.resources.get(&address) {
            return Err(anyhow::anyhow!(
                "`{address}` is already managed by gateform (id `{}`): each object is imported once",
                existing.id()
            )
            .into());
        }
        let remotes = connect(&loaded, Tuning::default()).await?;
        let aws = remotes
            .region(import_id.region().or(resource.region.as_str()))
            .map_err(anyhow::Error::new)?;
        eprintln!("{address}: Importing from ID \"{id}\"...");
        let attributes = import(
            address.kind,
            &import_id,
            &aws,
            &resource.provider.default_tags,
        )
        .await
        .map_err(anyhow::Error::new)?;
        let imported = crate::state::ResourceState {
            attributes,
            dependencies: resource.dependencies.clone(),
        };
        store.put(&address, &imported, "import")?;
        store.unlock()?;
        eprintln!("{address}: Import prepared! [id={}]", imported.id());
        println!(
            "Import successful!\n\nThe resources that were imported are shown above. These resources are now in your \
             gateform state and will henceforth be managed by gateform."
        );
        Ok(Exit::Success)
    })
}
