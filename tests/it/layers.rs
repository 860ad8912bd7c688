//! The modules of `src/` import one way: no cycle between them, and the renderers never reach the
//! AWS side. Read from the `crate::` paths of each module's code (tests and comments aside), so a
//! `use` that goes the wrong way fails here with the modules on the cycle named.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use petgraph::graph::DiGraph;

/// Each top-level module of `src/` (a file, or a folder with its files) and the modules it uses.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut imports: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut files = Vec::new();
    collect_files(&src, &mut files);
    for file in files {
        let relative = file.strip_prefix(&src).expect("a file under src");
        let first = relative.components().next().expect("a path");
        let module = Path::new(first.as_os_str())
            .file_stem()
            .expect("a module name")
            .to_string_lossy()
            .into_owned();
        if module == "lib" || module == "main" {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("read a source file");
        let used = crate_paths(&without_tests(&code_only(&text)));
        let entry = imports.entry(module.clone()).or_default();
        entry.extend(used.into_iter().filter(|used| *used != module));
    }
    imports
}

fn collect_files(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            collect_files(&path, files);
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            files.push(path);
        }
    }
}

/// The text with comments, string and character literals blanked out, so that only code is read.
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let rest = &chars[i..];
        if rest.starts_with(&['/', '/']) {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if rest.starts_with(&['/', '*']) {
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if chars[i] == 'r' && matches!(rest.get(1), Some('"' | '#')) {
            // A raw string: r"..." or r#"..."#.
            let hashes = rest[1..].iter().take_while(|c| **c == '#').count();
            if rest.get(1 + hashes) != Some(&'"') {
                out.push(chars[i]);
                i += 1;
                continue;
            }
            i += 2 + hashes;
            while i < chars.len() {
                if chars[i] == '"' && chars[i + 1..].iter().take(hashes).all(|c| *c == '#') {
                    i += 1 + hashes;
                    break;
                }
                i += 1;
            }
            out.push_str("\"\"");
        } else if chars[i] == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if chars[i] == '\'' && (rest.get(2) == Some(&'\'') || rest.get(1) == Some(&'\\')) {
            // A character literal ('{', '\n'), not a lifetime.
            i += 1;
            while i < chars.len() && chars[i] != '\'' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("' '");
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// The code without its `#[cfg(test)]` items: a module's tests may use anything.
fn without_tests(code: &str) -> String {
    let mut out = String::new();
    let mut rest = code;
    while let Some(start) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let Some(open) = after.find(['{', ';']) else {
            return out;
        };
        if after.as_bytes()[open] == b';' {
            rest = &after[open + 1..];
            continue;
        }
        let mut depth = 0;
        let mut end = after.len();
        for (index, c) in after.char_indices().skip(open) {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = index + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// The top-level modules named by `crate::NAME` paths, including `use crate::{a, b::C}`.
fn crate_paths(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = code;
    while let Some(start) = rest.find("crate::") {
        rest = &rest[start + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // The names at the group's first level, each before its `::` or `,`.
            let mut depth = 0;
            let mut name = String::new();
            let mut at_start = true;
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => at_start = true,
                    c if depth == 0 && at_start && (c.is_alphanumeric() || c == '_') => {
                        name.push(c)
                    }
                    _ if depth == 0 && at_start && !name.is_empty() => {
                        found.insert(std::mem::take(&mut name));
                        at_start = false;
                    }
                    _ => {}
                }
            }
            if !name.is_empty() {
                found.insert(name);
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.insert(name);
            }
        }
    }
    found
}

#[test]
fn modules_import_one_way() {
    let imports = imports();
    let mut graph = DiGraph::<&str, ()>::new();
    let nodes: BTreeMap<&str, _> = imports
        .keys()
        .map(|module| (module.as_str(), graph.add_node(module.as_str())))
        .collect();
    for (module, used) in &imports {
        for other in used {
            let other = nodes
                .get(other.as_str())
                .unwrap_or_else(|| panic!("`{module}` uses `crate::{other}`, not a module"));
            graph.add_edge(nodes[module.as_str()], *other, ());
        }
    }
    let cycles: Vec<Vec<&str>> = petgraph::algo::tarjan_scc(&graph)
        .into_iter()
        .filter(|component| component.len() > 1)
        .map(|component| {
            let mut names: Vec<&str> = component.iter().map(|index| graph[*index]).collect();
            names.sort();
            names
        })
        .collect();
    assert!(
        cycles.is_empty(),
        "modules that import each other in a circle: {cycles:?}"
    );
}

#[test]
fn the_renderers_do_not_reach_the_aws_side() {
    let imports = imports();
    let mut reached = BTreeSet::from(["render".to_owned()]);
    let mut next = vec!["render".to_owned()];
    while let Some(module) = next.pop() {
        for used in imports.get(&module).into_iter().flatten() {
            if reached.insert(used.clone()) {
                next.push(used.clone());
            }
        }
    }
    for side in ["aws", "refresh", "apply"] {
        assert!(
            !reached.contains(side),
            "render reaches `{side}`: {reached:?}"
        );
    }
}

#[test]
fn the_reader_sees_grouped_uses_and_skips_tests_and_comments() {
    let code = code_only(
        "use crate::{schema::{Kind, Protocol}, value};\n// crate::aws\nlet s = \"crate::refresh\";\n#[cfg(test)]\nmod tests { use crate::apply; fn f() { '{'; } }\nuse crate::diag::Span;",
    );
    assert_eq!(
        crate_paths(&without_tests(&code)),
        BTreeSet::from(["diag".into(), "schema".into(), "value".into()])
    );
}
