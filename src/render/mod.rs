//! Views of plans and states. Rendering makes no decisions: the plan has made them all.

pub mod configuration;
pub mod json;
pub mod markdown;
pub mod state;
pub mod text;
pub mod ui;

/// Set by `--no-color`: nothing is coloured.
static PLAIN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// `--no-color`: never colour, even on a terminal.
pub fn never_colour() {
    PLAIN.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Whether to colour what goes to a stream: only on a terminal, and never with `--no-color` or
/// when NO_COLOR is set (no-color.org; Terraform ignores NO_COLOR, gateform does not). The one
/// place that decides, for plans, diagnostics and apply's progress bar.
pub fn colour(terminal: bool) -> bool {
    terminal
        && !PLAIN.load(std::sync::atomic::Ordering::Relaxed)
        && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
}

/// A graph in Graphviz's DOT language, as `terraform graph` prints it: `dot -Tsvg` draws it.
/// Each edge points from a node to one it waits for.
pub fn dot(nodes: &[String], edges: &[(String, String)]) -> String {
    let quoted = |text: &str| serde_json::to_string(text).unwrap_or_default();
    let mut out = String::from(
        "digraph G {\n  rankdir = \"RL\";\n  node [shape = rect, fontname = \"sans-serif\"];\n",
    );
    for node in nodes {
        out.push_str(&format!("  {} [label={}];\n", quoted(node), quoted(node)));
    }
    for (from, to) in edges {
        out.push_str(&format!("  {} -> {};\n", quoted(from), quoted(to)));
    }
    out.push_str("}\n");
    out
}

/// Terraform's summary line: `Plan: 1 to import, 2 to add, 0 to change, 1 to destroy.`
pub fn plan_summary(counts: &crate::plan::Counts) -> String {
    let imports = match counts.import {
        0 => String::new(),
        count => format!("{count} to import, "),
    };
    format!(
        "Plan: {imports}{} to add, {} to change, {} to destroy.",
        counts.add, counts.change, counts.destroy
    )
}

/// Terraform's last line of an apply or a destroy (a destroy only destroys).
pub fn applied_summary(destroy: bool, counts: &crate::plan::Counts) -> String {
    match destroy {
        true => format!("Destroy complete! Resources: {} destroyed.", counts.destroy),
        false => format!(
            "Apply complete! Resources: {} added, {} changed, {} destroyed.",
            counts.add, counts.change, counts.destroy
        ),
    }
}

/// What a plan limited with --target leaves out, in every format's words.
fn targeting(plan: &crate::plan::Plan) -> String {
    let targets: Vec<String> = plan
        .targets
        .iter()
        .map(|target| format!("`{target}`"))
        .collect();
    let one = plan.targets.len() == 1;
    let related = match (plan.mode, one) {
        (crate::plan::Mode::Destroy, true) => "what depends on it",
        (crate::plan::Mode::Destroy, false) => "what depends on them",
        (_, true) => "what it depends on",
        (_, false) => "what they depend on",
    };
    format!(
        "This plan was limited with --target to {} and {related}, so it may not show every change the configuration asks for.",
        targets.join(", ")
    )
}

/// `text` padded with spaces to `width` characters. (`format!`'s own width stops at 65,535, and a
/// map key can be longer.)
pub(crate) fn padded(text: &str, width: usize) -> String {
    let mut out = text.to_owned();
    out.extend(std::iter::repeat_n(
        ' ',
        width.saturating_sub(text.chars().count()),
    ));
    out
}

/// A string in HCL's quoted form. `${` and `%{` would start a template, so they are escaped.
pub(crate) fn quoted(text: &str) -> String {
    serde_json::to_string(text)
        .unwrap_or_default()
        .replace("${", "$${")
        .replace("%{", "%%{")
}
