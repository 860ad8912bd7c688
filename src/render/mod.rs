//! Views of plans and states. Rendering makes no decisions: the plan has made them all.

pub mod configuration;
pub mod json;
pub mod markdown;
pub mod state;
pub mod text;

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
