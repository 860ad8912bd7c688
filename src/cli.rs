//! The command line, as Terraform users type it. Settings are resolved once here: flag, then
//! environment, then default.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};

impl Cli {
    /// Parses the command line, with Terraform's single-dash spellings (`-auto-approve`,
    /// `-var-file=F`, `-chdir=DIR`) read as the long flags.
    pub fn parse_args(args: impl IntoIterator<Item = OsString>) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(terraform_spellings(args)).map_err(|error| {
            use clap::error::{ContextKind, ContextValue, ErrorKind};
            let Some(ContextValue::String(command)) = error.get(ContextKind::InvalidSubcommand)
            else {
                return error;
            };
            // A command Terraform has is not a typo of the one gateform has that looks like it.
            match TERRAFORM_ONLY.iter().find(|(name, _)| name == command) {
                Some((name, instead)) => clap::Error::raw(
                    ErrorKind::InvalidSubcommand,
                    format!("`{name}` is a Terraform command gateform does not have: {instead}\n"),
                ),
                None => error,
            }
        })
    }
}

/// Terraform's commands gateform does not have, and what to do instead.
const TERRAFORM_ONLY: &[(&str, &str)] = &[
    ("get", "`gateform init` installs the modules"),
    (
        "login",
        "gateform reads no HCP Terraform credentials; AWS's own are enough",
    ),
    (
        "logout",
        "gateform reads no HCP Terraform credentials; AWS's own are enough",
    ),
    ("metadata", "gateform is its own provider"),
    ("modules", "`gateform init` lists the modules it installs"),
    (
        "providers",
        "gateform is its own provider, for AWS API Gateway v2",
    ),
    (
        "taint",
        "plan or apply with `-replace=ADDR`, as Terraform itself advises since 0.15.2",
    ),
    (
        "untaint",
        "nothing is tainted: `-replace=ADDR` replaces an object for one apply",
    ),
    (
        "test",
        "gateform runs no `.tftest.hcl` tests; `gateform plan --detailed-exitcode` or `diff` in CI checks a change",
    ),
    (
        "workspace",
        "not yet: one state per directory, or `--state PATH`",
    ),
];

/// `-name` and `-name=VALUE` as `--name` and `--name=VALUE`: Terraform's CLI spells its flags
/// with one dash, and CI scripts carry over. A flag gateform lacks is then reported by its name,
/// with the nearest one gateform has. Single-letter flags (`-C`, `-h`), values, and everything
/// after `--` stay as they are.
pub fn terraform_spellings(args: impl IntoIterator<Item = OsString>) -> Vec<OsString> {
    let mut rest = false;
    args.into_iter()
        .map(|arg| {
            rest |= arg == "--";
            let name = arg.to_str().filter(|_| !rest).and_then(|text| {
                let flag = text.strip_prefix('-')?;
                let name = flag.split('=').next().unwrap_or(flag);
                let spelled = name.len() > 1
                    && name.starts_with(|c: char| c.is_ascii_lowercase())
                    && name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
                spelled.then(|| OsString::from(format!("-{text}")))
            });
            name.unwrap_or(arg)
        })
        .collect()
}

#[derive(Debug, Parser)]
#[command(
    name = "gateform",
    version,
    about = "Plan and apply AWS API Gateway v2 from Terraform-style HCL",
    after_help = "Exit codes: 0 success (no changes with --detailed-exitcode), 1 error, 2 changes present (with --detailed-exitcode), 3 files to format (fmt --check)."
)]
pub struct Cli {
    /// Switch to DIR before doing anything else, like `git -C` and `terraform -chdir`.
    #[arg(short = 'C', long = "chdir", value_name = "DIR")]
    pub chdir: Option<PathBuf>,
    /// Never colour the output, even on a terminal (as the NO_COLOR variable does).
    #[arg(long, global = true)]
    pub no_color: bool,
    /// Show warnings as one summary line each, with where they are, as Terraform's
    /// `-compact-warnings` does. Errors are always shown in full.
    #[arg(long, global = true)]
    pub compact_warnings: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Install the modules the configuration calls from git repositories and registries into
    /// `.gateform/modules/`, as `terraform init` does.
    Init {
        /// The directory holding the `.hcl` and `.tf` files.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Check the configuration without reading the state or AWS.
    Validate {
        #[command(flatten)]
        workspace: Configuration,
        /// Print the result as `terraform validate -json` does, for editors and CI annotators:
        /// every problem with its file, line, column and byte offsets.
        #[arg(long)]
        json: bool,
    },
    /// Show the changes apply would make.
    Plan(PlanArgs),
    /// Make the changes, after showing them and asking for `yes`.
    Apply(ApplyArgs),
    /// Delete everything in the state, after showing it and asking for `yes`.
    Destroy(ApplyArgs),
    /// Bring an object that exists in AWS under gateform's management, at an address the
    /// configuration declares.
    Import {
        /// The resource address, such as `aws_apigatewayv2_route.example`.
        address: String,
        /// The object's id, as Terraform's: `API_ID` for an api or a VPC link; `API_ID/ID` for a
        /// route, an integration, an authorizer, a model or a deployment; `API_ID/NAME` for a
        /// stage; `DOMAIN` for a domain name; `MAPPING_ID/DOMAIN` for an api mapping;
        /// `API_ID/ROUTE_ID/ID` for a route response, `API_ID/INTEGRATION_ID/ID` for an
        /// integration response; the ARN for a routing rule.
        id: String,
        #[command(flatten)]
        workspace: Workspace,
        #[command(flatten)]
        input: InputArgs,
        #[command(flatten)]
        lock: LockArgs,
    },
    /// Show the state (given a directory) or a saved plan (given a plan file).
    Show {
        /// A configuration directory, for its state, or a plan file from `plan --out`.
        #[arg(default_value = ".")]
        path: PathBuf,
        /// The state file [default: PATH/gateform.db].
        #[arg(long, env = "GATEFORM_STATE", value_name = "PATH")]
        state: Option<PathBuf>,
        /// Print JSON for tools and jq scripts: the same as `--format json`.
        #[arg(long)]
        json: bool,
        /// `text`, `markdown` (plans only) or `json`, in the shape of `terraform show -json`.
        #[arg(long, value_enum)]
        format: Option<Format>,
    },
    /// Show what applying HEAD would change if BASE were what is deployed: no state, no AWS, no
    /// credentials. For reviewing pull requests from forks.
    Diff {
        /// The configuration assumed deployed, such as a checkout of the base branch.
        base: PathBuf,
        /// The configuration to review.
        head: PathBuf,
        #[command(flatten)]
        output: PlanOutput,
    },
    /// Print the root module's output values from the state.
    /// Like Terraform's, it works on the current directory: use `-C DIR` for another.
    Output {
        /// One output; without it, all of them.
        name: Option<String>,
        /// The state file [default: gateform.db].
        #[arg(long, env = "GATEFORM_STATE", value_name = "PATH")]
        state: Option<PathBuf>,
        /// Print JSON: `{"NAME": {"sensitive": ..., "value": ...}}`, or one output's value.
        #[arg(long, conflicts_with = "raw")]
        json: bool,
        /// Print one output's string, number or bool as it is, with no quotes and no newline,
        /// for shell scripts: `curl "$(gateform output -raw url)"`. Prints sensitive values.
        #[arg(long, requires = "name")]
        raw: bool,
    },
    /// Rewrite the configuration files in the canonical style, as `terraform fmt` does.
    Fmt(FmtArgs),
    /// Write what an account holds in API Gateway v2 (apis and all their children, domain
    /// names with their mappings, VPC links) as a new configuration that adopts it: one file
    /// per api, `domains.tf`, `vpc_links.tf`, and the `import` blocks in `imports.tf`.
    /// `gateform plan` on it then only imports.
    Discover(DiscoverArgs),
    /// Take over what another tool manages, without any change in AWS.
    Migrate {
        #[command(subcommand)]
        from: MigrateCommand,
    },
    /// Read and change the state without touching AWS, as `terraform state` does. Like
    /// Terraform's, it works on the current directory's state: `-C DIR` or `--state PATH` for
    /// another.
    State {
        #[command(subcommand)]
        command: StateCommand,
    },
    /// Print the dependency graph in Graphviz's DOT language, as `terraform graph` does:
    /// `gateform graph | dot -Tsvg > graph.svg`.
    Graph {
        #[command(flatten)]
        workspace: Workspace,
        /// `plan`: the configuration's resources and what each depends on. `apply`: the steps
        /// an apply of the plan from the state (`--refresh=false`, no AWS) takes, each with
        /// the steps it waits for.
        #[arg(long = "type", value_enum, default_value_t = GraphType::Plan)]
        kind: GraphType,
    },
    /// Bring the state up to date with what exists in AWS, changing nothing in AWS: what
    /// `apply --refresh-only --auto-approve` does, as `terraform refresh`.
    Refresh {
        #[command(flatten)]
        workspace: Workspace,
        #[command(flatten)]
        refresh: RefreshArgs,
        #[command(flatten)]
        lock: LockArgs,
    },
    /// Evaluate expressions against the configuration and the state, one per line from stdin,
    /// as `terraform console` does: `echo 'aws_apigatewayv2_api.example.id' | gateform console`.
    Console {
        #[command(flatten)]
        workspace: Workspace,
    },
    /// Print gateform's version, and the Terraform release whose formats it follows.
    Version {
        /// Print JSON, as `terraform version -json`: `terraform_version`, `platform`, and
        /// `gateform_version`.
        #[arg(long)]
        json: bool,
    },
    /// Remove a lock left behind by a run that died.
    ForceUnlock {
        /// The lock id named in the "locked" error.
        id: String,
        #[command(flatten)]
        workspace: Workspace,
    },
}

#[derive(Debug, Subcommand)]
pub enum MigrateCommand {
    /// Record every `aws_apigatewayv2_*` instance of a Terraform state (format 4) at its address
    /// in gateform's state; list what stays with Terraform, and the `terraform state rm` that
    /// hands the rest over.
    Terraform {
        /// The Terraform state: a file (`terraform.tfstate`), or `s3://BUCKET/KEY` where the s3
        /// backend keeps it (region, credentials and endpoint from the AWS environment).
        source: String,
        /// The configuration directory whose state receives them.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The state file [default: DIR/gateform.db].
        #[arg(long, env = "GATEFORM_STATE", value_name = "PATH")]
        state: Option<PathBuf>,
        #[command(flatten)]
        lock: LockArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum StateCommand {
    /// List the resource instances in the state, or those ADDRs name (`aws_apigatewayv2_route.r`
    /// names every instance).
    List {
        addresses: Vec<String>,
        #[command(flatten)]
        file: StateFile,
    },
    /// Show one resource instance's attributes.
    Show {
        address: String,
        #[command(flatten)]
        file: StateFile,
    },
    /// Stop managing resource instances: remove them from the state and leave them in AWS.
    Rm {
        #[arg(required = true)]
        addresses: Vec<String>,
        #[command(flatten)]
        file: StateFile,
        #[command(flatten)]
        lock: LockArgs,
    },
    /// Give a resource instance (or every instance of a resource) another address, as a `moved`
    /// block would, without changing AWS.
    Mv {
        from: String,
        to: String,
        #[command(flatten)]
        file: StateFile,
        #[command(flatten)]
        lock: LockArgs,
    },
    /// Print the state in Terraform's state file format (version 4), which Terraform,
    /// `terraform_remote_state` and `.tfstate` readers read.
    Pull {
        #[command(flatten)]
        file: StateFile,
    },
    /// The state's history, one line per serial: when, who, which operation, what changed.
    History {
        #[command(flatten)]
        file: StateFile,
    },
    /// Make the resources what they were at SERIAL, as new serials: changes nothing in AWS; the
    /// next plan shows what it would take to make AWS match.
    Rollback {
        serial: u64,
        #[command(flatten)]
        file: StateFile,
        #[command(flatten)]
        lock: LockArgs,
    },
}

/// The state file a `state` command reads.
#[derive(Debug, Args)]
pub struct StateFile {
    /// The state file [default: gateform.db, in the current directory].
    #[arg(long, env = "GATEFORM_STATE", value_name = "PATH")]
    pub state: Option<PathBuf>,
}

impl StateFile {
    pub fn path(&self) -> PathBuf {
        self.state.clone().unwrap_or_else(|| "gateform.db".into())
    }
}

/// The configuration directory and its state file.
#[derive(Debug, Args)]
pub struct Workspace {
    #[command(flatten)]
    pub configuration: Configuration,
    /// The state file [default: DIR/gateform.db].
    #[arg(long, env = "GATEFORM_STATE", value_name = "PATH")]
    pub state: Option<PathBuf>,
}

/// The configuration directory and its variables' values.
#[derive(Debug, Args)]
pub struct Configuration {
    /// The directory holding the `.hcl` and `.tf` files.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Set an input variable: `--var NAME=VALUE`. Repeatable; wins over every other source.
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// Read input variables from a `.tfvars` or `.tfvars.json` file. Repeatable; `--var` wins over it.
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
}

/// What `fmt` formats and what it does with each file, with terraform fmt's flags.
#[derive(Debug, Args)]
pub struct FmtArgs {
    /// The files and directories to format (`.hcl`, `.tf` and `.tfvars` files), or `-` to
    /// format standard input onto standard output.
    #[arg(default_value = ".")]
    pub targets: Vec<PathBuf>,
    /// Change nothing; list the files that would change and exit 3 if there are any.
    #[arg(long, value_name = "BOOL", default_value_t = false, num_args = 0..=1, require_equals = true, default_missing_value = "true", action = clap::ArgAction::Set)]
    pub check: bool,
    /// Show the changes as a unified diff.
    #[arg(long, value_name = "BOOL", default_value_t = false, num_args = 0..=1, require_equals = true, default_missing_value = "true", action = clap::ArgAction::Set)]
    pub diff: bool,
    /// List the files whose formatting changed; `--list=false` does not (and with `--check`,
    /// prints nothing at all).
    #[arg(long, value_name = "BOOL", default_value_t = true, num_args = 0..=1, require_equals = true, default_missing_value = "true", action = clap::ArgAction::Set)]
    pub list: bool,
    /// Write the changes into the files; `--write=false` does not (nor does `--check`). With
    /// `--list=false` too, each file's formatted text is printed instead.
    #[arg(long, value_name = "BOOL", default_value_t = true, num_args = 0..=1, require_equals = true, default_missing_value = "true", action = clap::ArgAction::Set)]
    pub write: bool,
    /// Also format the directories under each directory, except those whose names start with a
    /// dot (`.gateform`, `.git`).
    #[arg(long, value_name = "BOOL", default_value_t = false, num_args = 0..=1, require_equals = true, default_missing_value = "true", action = clap::ArgAction::Set)]
    pub recursive: bool,
}

#[derive(Debug, Args)]
pub struct DiscoverArgs {
    /// A region to read; repeatable. The first is the provider block's region, and objects in
    /// the others get `region` [default: the environment's, AWS_REGION or the profile's].
    #[arg(long = "region", value_name = "REGION")]
    pub regions: Vec<String>,
    /// Only the api of this name or id, with the domain names and VPC links it uses;
    /// repeatable [default: every api].
    #[arg(long = "api", value_name = "NAME_OR_ID")]
    pub apis: Vec<String>,
    /// The directory to write the configuration into: a new or empty one.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The API Gateway requests a second to send at most; `0` for no limit [default: 10].
    #[arg(long, value_name = "N", env = "GATEFORM_RATE", value_parser = rate)]
    pub rate: Option<crate::connection::Rate>,
}

/// How the state is brought up to date with AWS before planning.
#[derive(Debug, Args)]
pub struct RefreshArgs {
    /// Read what really exists in AWS before planning; `--refresh=false` plans from the state file alone.
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set, value_name = "BOOL")]
    pub refresh: bool,
    /// Only record in the state what changed outside gateform; change nothing in AWS.
    #[arg(long)]
    pub refresh_only: bool,
    /// Report the AWS calls made, by operation, on stderr.
    #[arg(long)]
    pub verbose: bool,
    /// Plan only ADDR and what it depends on (for a destroy: what depends on it). Repeatable;
    /// `aws_apigatewayv2_route.this` takes every instance, `aws_apigatewayv2_route.this["GET /"]` one.
    #[arg(long = "target", value_name = "ADDR")]
    pub targets: Vec<String>,
    /// Replace the object at ADDR even where nothing asks for it: destroy it and create it
    /// again (`create_before_destroy` decides the order), as Terraform's `-replace` (the
    /// successor of `taint`). Repeatable.
    #[arg(long = "replace", value_name = "ADDR")]
    pub replace: Vec<String>,
    /// How long one attempt of an AWS call may take before it is abandoned, such as `30s`,
    /// waiting for the rate limit included. An abandoned create is looked up before it is tried
    /// again.
    #[arg(long, value_name = "DURATION", default_value = "60s", env = "GATEFORM_CALL_TIMEOUT", value_parser = humantime::parse_duration)]
    pub call_timeout: std::time::Duration,
    /// How long connecting to AWS may take.
    #[arg(long, value_name = "DURATION", default_value = "10s", env = "GATEFORM_CONNECT_TIMEOUT", value_parser = humantime::parse_duration)]
    pub connect_timeout: std::time::Duration,
    /// The API Gateway requests a second to send at most, retries included, for all operations
    /// and regions together; `0` for no limit. AWS allows an account about 10, in bursts of 40
    /// [default: the provider block's `rate`, else 10].
    #[arg(long, value_name = "N", env = "GATEFORM_RATE", value_parser = rate)]
    pub rate: Option<crate::connection::Rate>,
    /// How many AWS calls may be under way at once: the changes of apply, and the reads of
    /// refresh. Changes to one api always go one at a time, as AWS requires; this bounds how many
    /// apis, domain names and VPC links change together.
    #[arg(long, value_name = "N", default_value_t = 10, env = "GATEFORM_PARALLELISM", value_parser = clap::value_parser!(u16).range(1..))]
    pub parallelism: u16,
}

impl RefreshArgs {
    pub fn tuning(&self) -> crate::connection::Tuning {
        crate::connection::Tuning {
            timeouts: crate::connection::Timeouts {
                connect: self.connect_timeout,
                call: self.call_timeout,
            },
            rate: self.rate,
        }
    }
}

fn rate(written: &str) -> Result<crate::connection::Rate, String> {
    let rate = written
        .parse::<f64>()
        .map_err(|_| "not a number".to_owned())?;
    crate::connection::Rate::parse(rate)
}

/// Whether gateform may ask on the terminal.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// `--input=false`: never ask; an apply or destroy without --auto-approve is then an error
    /// instead of a question. gateform asks for nothing else (a variable without a value is an
    /// error), so plan and import accept it and ask nothing either way.
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set, value_name = "BOOL")]
    pub input: bool,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub workspace: Workspace,
    #[command(flatten)]
    pub input: InputArgs,
    /// Accepted for Terraform's scripts: a plan reads the state without locking it, so it never
    /// waits for another run.
    #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration)]
    pub lock_timeout: Option<std::time::Duration>,
    /// Accepted for Terraform's scripts: a plan takes no lock, with or without `--lock=false`.
    #[arg(long, value_name = "BOOL", action = clap::ArgAction::Set)]
    pub lock: Option<bool>,
    #[command(flatten)]
    pub refresh: RefreshArgs,
    #[command(flatten)]
    pub output: PlanOutput,
    /// Plan the deletion of everything in the state, as `destroy` would.
    #[arg(long)]
    pub destroy: bool,
    /// Save the plan to FILE, for `gateform apply FILE` to carry out exactly.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// For every `import` block whose `to` has no resource block, write the block that matches
    /// what AWS holds into FILE, a new .tf file in DIR, and plan with it.
    #[arg(long, value_name = "FILE")]
    pub generate_config_out: Option<PathBuf>,
    /// Print Terraform's machine-readable UI, as `terraform plan -json` does: one JSON object a
    /// line (`version`, `resource_drift`, `planned_change`, `change_summary`, `outputs`). For
    /// the plan as one JSON document, use `--format json`.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
}

/// How a plan is shown.
#[derive(Debug, Args)]
pub struct PlanOutput {
    /// `text` for terminals, `markdown` for a pull-request comment, `json` in the shape of
    /// `terraform show -json PLANFILE`.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit 0 when there are no changes, 1 on error, 2 when there are changes.
    #[arg(long)]
    pub detailed_exitcode: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum GraphType {
    Plan,
    Apply,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Markdown,
    Json,
    /// Terraform's machine-readable UI, one JSON object a line: what `plan --json` prints.
    #[value(skip)]
    Lines,
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    #[command(flatten)]
    pub workspace: Workspace,
    #[command(flatten)]
    pub refresh: RefreshArgs,
    /// Apply without asking for confirmation.
    #[arg(long)]
    pub auto_approve: bool,
    /// `apply --destroy`: what `gateform destroy` does, as Terraform spells it.
    #[arg(long)]
    pub destroy: bool,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub lock: LockArgs,
    /// Print Terraform's machine-readable UI on stdout, as `terraform apply -json` does: the
    /// plan's lines, `apply_start`, `apply_progress`, `apply_complete` or `apply_errored` for
    /// each change, then the `change_summary` and the `outputs`. It cannot ask for approval:
    /// give --auto-approve, or apply a saved plan.
    #[arg(long)]
    pub json: bool,
}

impl Command {
    /// Whether it prints Terraform's machine-readable UI (`--json` of plan, apply and destroy),
    /// whose readers look for its errors there too.
    pub fn machine_readable(&self) -> bool {
        match self {
            Command::Plan(args) => args.json,
            Command::Apply(args) | Command::Destroy(args) => args.json,
            _ => false,
        }
    }
}

/// How a writer takes the state's lock.
#[derive(Debug, Args)]
pub struct LockArgs {
    /// How long to wait for another run's lock, such as `30s` or `5m`; by default, not at all.
    #[arg(long, value_name = "DURATION", default_value = "0s", value_parser = humantime::parse_duration)]
    pub lock_timeout: std::time::Duration,
    /// Only `--lock=true`: gateform always holds the state's lock while it changes AWS, so that
    /// two runs never make the same object twice.
    #[arg(long, value_name = "BOOL", default_value = "true", action = clap::ArgAction::Set, value_parser = always_locked)]
    pub lock: bool,
}

fn always_locked(written: &str) -> Result<bool, String> {
    match written {
        "true" => Ok(true),
        "false" => Err("gateform always locks the state while it changes AWS: two runs at once would make the same objects twice; wait for the other run with --lock-timeout instead".to_owned()),
        _ => Err("expected `true` or `false`".to_owned()),
    }
}

impl Workspace {
    pub fn state_path(&self) -> PathBuf {
        self.state
            .clone()
            .unwrap_or_else(|| self.dir().join("gateform.db"))
    }

    pub fn dir(&self) -> &Path {
        &self.configuration.dir
    }

    pub fn inputs(&self) -> Vec<crate::variables::CliInput> {
        self.configuration.inputs()
    }
}

impl Configuration {
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The command line's variable values: files first, then `--var`, which wins.
    pub fn inputs(&self) -> Vec<crate::variables::CliInput> {
        use crate::variables::CliInput;
        self.var_files
            .iter()
            .cloned()
            .map(CliInput::VarFile)
            .chain(self.vars.iter().cloned().map(CliInput::Var))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spelled(args: &[&str]) -> Vec<String> {
        terraform_spellings(args.iter().map(OsString::from))
            .into_iter()
            .map(|arg| arg.into_string().unwrap())
            .collect()
    }

    #[test]
    fn terraforms_single_dash_flags_read_as_long_flags() {
        assert_eq!(
            spelled(&[
                "gateform",
                "-chdir=infra",
                "apply",
                "-auto-approve",
                "-var",
                "name=-x",
                "-var-file=prod.tfvars",
                "-lock-timeout=30s",
                "-C",
                "-h",
                "--state",
                "s.db",
                "-1",
                "--",
                "-out=x",
            ]),
            [
                "gateform",
                "--chdir=infra",
                "apply",
                "--auto-approve",
                "--var",
                "name=-x",
                "--var-file=prod.tfvars",
                "--lock-timeout=30s",
                "-C",
                "-h",
                "--state",
                "s.db",
                "-1",
                "--",
                "-out=x",
            ]
        );
    }
}
