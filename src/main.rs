//! The binary: parse the command line, run, and turn the outcome into an exit code. The one place
//! that prints errors.

use std::process::ExitCode;

use gateform::cli::Cli;
use gateform::command::{self, Exit, Failure};

/// mimalloc: a plan is millions of small values made and dropped, where it is faster than the
/// system's allocator and gives memory back to the system sooner.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match Cli::parse_args(std::env::args_os()) {
        Ok(cli) => cli,
        // `--help` and `--version` succeed. A command line gateform cannot read is bad input
        // like any other, exit code 1 as in Terraform: clap's 2 would read as "changes present"
        // to a script running `plan -detailed-exitcode`.
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(u8::from(error.use_stderr()));
        }
    };
    if let Some(dir) = &cli.chdir
        && let Err(error) = std::env::set_current_dir(dir)
    {
        eprintln!("error: cannot switch to `{}`: {error}", dir.display());
        return ExitCode::from(1);
    }
    if cli.no_color {
        gateform::render::never_colour();
    }
    if cli.compact_warnings {
        command::compact_warnings();
    }
    // A command printing Terraform's machine-readable UI also prints its errors as `diagnostic`
    // lines on stdout, where what reads it looks; people still read them on stderr.
    let machine_readable = cli.command.machine_readable();
    let ui = |lines: String| {
        if machine_readable {
            print!("{lines}");
        }
    };
    match command::run(cli.command) {
        Ok(Exit::Success) => ExitCode::SUCCESS,
        Ok(Exit::Changes) => ExitCode::from(2),
        Ok(Exit::Unformatted) => ExitCode::from(3),
        Ok(Exit::Invalid) => ExitCode::from(1),
        Err(Failure::Invalid(invalid)) => {
            eprint!("{}", invalid.text);
            ui(gateform::render::ui::diagnostics(&invalid.json));
            ExitCode::from(1)
        }
        Err(Failure::Other(error)) => {
            eprintln!("error: {error:#}");
            ui(gateform::render::ui::error(&format!("{error:#}")));
            ExitCode::from(1)
        }
        Err(Failure::Signalled { error, code }) => {
            eprintln!("error: {error:#}");
            ui(gateform::render::ui::error(&format!("{error:#}")));
            ExitCode::from(code)
        }
    }
}
