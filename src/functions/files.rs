//! Terraform's filesystem functions. Relative paths are the root module's, as in Terraform.

use super::encoding::{BASE64, digest};
use super::*;

pub const NAMES: &[&str] = &[
    "abspath",
    "basename",
    "dirname",
    "file",
    "filebase64",
    "filebase64sha256",
    "filebase64sha512",
    "fileexists",
    "filemd5",
    "fileset",
    "filesha1",
    "filesha256",
    "filesha512",
    "pathexpand",
];

pub fn call(a: &Args<'_>, directory: &Path) -> Result<Value, String> {
    let name = a.name;
    match name {
        "file" => {
            a.count(1)?;
            let path = directory.join(a.text(0)?);
            String::from_utf8(read(&path)?)
                .map(Value::String)
                .map_err(|_| {
                    format!(
                        "`{}` is not UTF-8 text; use `filebase64` to read it as bytes",
                        path.display()
                    )
                })
        }
        "filebase64" => {
            a.count(1)?;
            string(BASE64.encode(read(&directory.join(a.text(0)?))?))
        }
        "filemd5" | "filesha1" | "filesha256" | "filesha512" => {
            a.count(1)?;
            let bytes = read(&directory.join(a.text(0)?))?;
            string(hex(&digest(&name["file".len()..], &bytes)))
        }
        "filebase64sha256" | "filebase64sha512" => {
            a.count(1)?;
            let bytes = read(&directory.join(a.text(0)?))?;
            string(BASE64.encode(digest(&name["filebase64".len()..], &bytes)))
        }
        "fileset" => {
            a.count(2)?;
            fileset(directory, &a.text(0)?, &a.text(1)?)
        }
        "abspath" => {
            a.count(1)?;
            let path = Path::new(&a.text(0)?).to_path_buf();
            let path = match path.is_absolute() {
                true => path,
                false => std::env::current_dir()
                    .map_err(|error| format!("cannot tell the current directory: {error}"))?
                    .join(path),
            };
            string(clean(&path.to_string_lossy()))
        }
        "basename" => {
            a.count(1)?;
            let path = a.text(0)?;
            let trimmed = path.trim_end_matches('/');
            string(match (path.is_empty(), trimmed.is_empty()) {
                (true, _) => ".".to_owned(),
                (false, true) => "/".to_owned(),
                (false, false) => trimmed.rsplit('/').next().unwrap_or(trimmed).to_owned(),
            })
        }
        "dirname" => {
            a.count(1)?;
            let path = a.text(0)?;
            string(match path.rfind('/') {
                Some(slash) => clean(&path[..=slash]),
                None => ".".to_owned(),
            })
        }
        "pathexpand" => {
            a.count(1)?;
            let path = a.text(0)?;
            let home = || {
                std::env::var("HOME").map_err(|_| "cannot expand `~`: HOME is not set".to_owned())
            };
            string(match path.strip_prefix('~') {
                Some("") => home()?,
                Some(rest) if rest.starts_with('/') => format!("{}{rest}", home()?),
                Some(_) => return Err("`~user` paths cannot be expanded; only `~` is".to_owned()),
                None => path,
            })
        }
        "fileexists" => {
            a.count(1)?;
            let path = directory.join(a.text(0)?);
            match path.is_dir() {
                true => Err(format!("`{}` is a directory, not a file", path.display())),
                false => flag(path.is_file()),
            }
        }
        _ => Err(no_such(name)),
    }
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|error| format!("cannot read `{}`: {error}", path.display()))
}

/// A path as Go's `filepath.Clean` writes it: no `.` parts, no `x/..`, one slash between parts.
fn clean(path: &str) -> String {
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                _ if absolute => {}
                _ => parts.push(".."),
            },
            part => parts.push(part),
        }
    }
    match (absolute, parts.join("/")) {
        (true, joined) => format!("/{joined}"),
        (false, joined) if joined.is_empty() => ".".to_owned(),
        (false, joined) => joined,
    }
}

/// `fileset`: the files under `path` whose paths relative to it match `pattern`, sorted, with
/// `/` between directories. `*` and `?` stay within one directory; `**` crosses them.
fn fileset(directory: &Path, path: &str, pattern: &str) -> Result<Value, String> {
    let matcher = globset::GlobBuilder::new(pattern)
        .literal_separator(true)
        .backslash_escape(true)
        .build()
        .map_err(|error| format!("the pattern `{pattern}` is not valid: {error}"))?
        .compile_matcher();
    let base = directory.join(path);
    let mut found = Vec::new();
    let mut pending = vec![std::path::PathBuf::new()];
    while let Some(relative) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(base.join(&relative)) else {
            continue;
        };
        for entry in entries.flatten() {
            let relative = relative.join(entry.file_name());
            match entry.file_type() {
                Ok(kind) if kind.is_dir() => pending.push(relative),
                Ok(_) => {
                    let text = relative.to_string_lossy().replace('\\', "/");
                    if matcher.is_match(&text) {
                        found.push(Value::String(text));
                    }
                }
                Err(_) => {}
            }
        }
    }
    Ok(Value::List(set(found)))
}
