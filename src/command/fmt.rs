//! `fmt`: the configuration files of each target written as terraform fmt writes them
//! (`crate::fmt`), with terraform fmt's flags (Go's boolean spellings too: `-check=true`, a
//! bare `-list`) and its exit code 3 for `--check`. A file that does not parse is reported and
//! left alone; a target that is not a configuration file stops the run before any file is
//! written. Problems exit 1, as every gateform command's do, where terraform fmt exits 2.

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use super::{Exit, Failure, invalid};
use crate::cli::FmtArgs;
use crate::diag::{Diagnostics, Sources};

/// The files fmt formats, by how their names end.
const EXTENSIONS: [&str; 3] = [".hcl", ".tf", ".tfvars"];

pub(super) fn fmt_command(args: &FmtArgs) -> Result<Exit, Failure> {
    let stdin = Path::new("-");
    if args.targets.iter().any(|target| target == stdin) {
        if args.targets.len() > 1 {
            return Err(anyhow::anyhow!(
                "`-` formats standard input and cannot be given with other files"
            )
            .into());
        }
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("cannot read standard input")?;
        let options = Options {
            list: false,
            write: false,
            ..Options::from(args)
        };
        return format_files(vec![(PathBuf::from("<stdin>"), Some(text))], &options);
    }
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for target in &args.targets {
        if target.is_dir() {
            collect(target, args.recursive, &mut files)?;
        } else if !target.exists() {
            problems.push(format!("no file or directory at `{}`", target.display()));
        } else if configuration_file(target) {
            files.push((target.clone(), None));
        } else {
            problems.push(format!(
                "`{}` is not a configuration file: fmt formats `.hcl`, `.tf` and `.tfvars` files",
                target.display()
            ));
        }
    }
    if !problems.is_empty() {
        return Err(anyhow::anyhow!("{}", problems.join("\nerror: ")).into());
    }
    format_files(files, &Options::from(args))
}

/// What to do with each file, once `--check` has had its say: it writes nothing, and with
/// `--list=false` prints nothing either, not even the diff (as terraform fmt does).
struct Options {
    check: bool,
    diff: bool,
    list: bool,
    write: bool,
}

impl From<&FmtArgs> for Options {
    fn from(args: &FmtArgs) -> Options {
        Options {
            check: args.check,
            diff: args.diff && (args.list || !args.check),
            list: args.list,
            write: args.write && !args.check,
        }
    }
}

/// Whether a file's name says it is one fmt formats. Hidden files, editor backups (`x.tf~`)
/// and autosaves (`#x.tf#`) are not.
fn configuration_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or_default();
    EXTENSIONS.iter().any(|extension| name.ends_with(extension))
}

fn skipped(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or_default();
    name.starts_with('.') || name.ends_with('~') || (name.starts_with('#') && name.ends_with('#'))
}

/// The configuration files in a directory, in name order, and in its subdirectories' when
/// recursive. The files are read later.
fn collect(
    dir: &Path,
    recursive: bool,
    files: &mut Vec<(PathBuf, Option<String>)>,
) -> Result<(), Failure> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read the directory `{}`", dir.display()))?
        .flatten()
        // Named as terraform fmt names them: `main.tf` in `.`, not `./main.tf`.
        .map(|entry| {
            let path = entry.path();
            let current = std::path::Component::CurDir;
            path.components().filter(|part| *part != current).collect()
        })
        .filter(|path: &PathBuf| !skipped(path))
        .collect();
    paths.sort();
    // In name order, a subdirectory's files where its name falls, as terraform fmt walks.
    for path in paths {
        if path.is_dir() {
            if recursive {
                collect(&path, recursive, files)?;
            }
        } else if configuration_file(&path) {
            files.push((path, None));
        }
    }
    Ok(())
}

/// Formats each file (its text read now unless given), doing what the options say. Every file
/// is read before any is written, so one that cannot be read (not UTF-8, no permission) stops
/// the run with nothing changed.
fn format_files(files: Vec<(PathBuf, Option<String>)>, options: &Options) -> Result<Exit, Failure> {
    let mut unreadable = Vec::new();
    let files: Vec<(PathBuf, String)> = files
        .into_iter()
        .filter_map(|(path, text)| match text {
            Some(text) => Some((path, text)),
            None => match std::fs::read_to_string(&path) {
                Ok(text) => Some((path, text)),
                Err(error) => {
                    unreadable.push(format!("cannot read `{}`: {error}", path.display()));
                    None
                }
            },
        })
        .collect();
    if !unreadable.is_empty() {
        return Err(anyhow::anyhow!("{}", unreadable.join("\nerror: ")).into());
    }
    let mut sources = Sources::default();
    let mut diagnostics = Diagnostics::default();
    let mut unformatted = false;
    let mut out = std::io::stdout().lock();
    for (path, text) in files {
        let file = sources.add(path.clone(), text.clone());
        let formatted = match crate::fmt::format(&text) {
            Ok(formatted) => formatted,
            Err(error) => {
                diagnostics.push(crate::config::syntax_error(file, &text, &error));
                continue;
            }
        };
        let name = path.display().to_string();
        if formatted != text {
            unformatted = true;
            if options.list {
                writeln!(out, "{name}").context("cannot write to standard output")?;
            }
            if options.write {
                std::fs::write(&path, &formatted)
                    .with_context(|| format!("cannot write `{}`", path.display()))?;
            }
            if options.diff {
                let diff = similar::TextDiff::from_lines(&text, &formatted);
                let header = (format!("old/{name}"), format!("new/{name}"));
                write!(out, "{}", diff.unified_diff().header(&header.0, &header.1))
                    .context("cannot write to standard output")?;
            }
        }
        if !(options.list || options.write || options.diff || options.check) {
            // As terraform fmt prints it: with a final newline, even when the file has none.
            let newline = if formatted.ends_with('\n') { "" } else { "\n" };
            write!(out, "{formatted}{newline}").context("cannot write to standard output")?;
        }
    }
    if !diagnostics.is_empty() {
        return Err(invalid(diagnostics, &sources));
    }
    Ok(match options.check && unformatted {
        true => Exit::Unformatted,
        false => Exit::Success,
    })
}
