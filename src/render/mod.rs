//! Views of plans and states. Rendering makes no decisions: the plan has made them all.

pub mod json;
pub mod markdown;
pub mod state;
pub mod text;

/// A string in HCL's quoted form. `${` and `%{` would start a template, so they are escaped.
pub(crate) fn quoted(text: &str) -> String {
    serde_json::to_string(text)
        .unwrap_or_default()
        .replace("${", "$${")
        .replace("%{", "%%{")
}
