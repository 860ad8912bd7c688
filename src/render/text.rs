//! The human plan, in the shape Terraform users scan by habit (see shared/reference/plan-format.md).

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::quoted;
use crate::plan::{Action, ActionReason, Mode, Plan, ReplaceOrder, ResourceChange};
use crate::schema::{BlockSchema, Nesting};
use crate::state::Drift;
use crate::value::{Object, Value, block_elements, format_number};

/// Where the lines of resource blocks go. Each line has a change symbol (`+`, `-`, `~`, `-/+`,
/// or blank) before its text.
pub(super) struct Lines {
    pub text: String,
    pub style: Style,
}

/// How change symbols are shown.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// At the line's indent, as Terraform prints them, for pipes and files.
    Plain,
    /// The same, coloured as Terraform colours them, for terminals.
    Colour,
    /// In column 0, `~` and `-/+` as `!`, so that a Markdown ```diff block colours the line.
    DiffMarkers,
}

const GREEN: &str = "\x1b[32m";
const RED: &str = "\x1b[31m";
const YELLOW: &str = "\x1b[33m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

impl Lines {
    pub fn new(style: Style) -> Lines {
        Lines {
            text: String::new(),
            style,
        }
    }

    /// `symbol rest` at `indent`.
    fn line(&mut self, indent: usize, symbol: &str, rest: std::fmt::Arguments<'_>) {
        match self.style {
            Style::Plain => {
                let _ = writeln!(self.text, "{:indent$}{symbol} {rest}", "");
            }
            Style::Colour => {
                let symbol = symbol
                    .replace('+', &format!("{GREEN}+{RESET}"))
                    .replace('-', &format!("{RED}-{RESET}"))
                    .replace('~', &format!("{YELLOW}~{RESET}"));
                let _ = writeln!(self.text, "{:indent$}{symbol} {rest}", "");
            }
            Style::DiffMarkers => {
                let marker = match symbol.trim() {
                    "+" => "+",
                    "-" => "-",
                    "~" | "-/+" | "+/-" => "!",
                    _ => " ",
                };
                let width = indent + symbol.len() - 1;
                let _ = writeln!(self.text, "{marker}{:width$} {rest}", "");
            }
        }
    }

    /// Bold on a terminal: what Terraform emphasises, such as the summary line.
    fn bold(&self, text: &str) -> String {
        match self.style {
            Style::Colour => format!("{BOLD}{text}{RESET}"),
            Style::Plain | Style::DiffMarkers => text.to_owned(),
        }
    }

    /// A line with no change of its own: a comment or a closing brace.
    fn plain(&mut self, indent: usize, rest: std::fmt::Arguments<'_>) {
        let _ = writeln!(self.text, "{:indent$}{rest}", "");
    }

    fn blank(&mut self) {
        self.text.push('\n');
    }
}

/// A horizontal rule between the drift report and the plan, as Terraform draws it.
const RULE: &str = "─────────────────────────────────────────────────────────────────────────────";

/// Renders the whole plan: drift found by refresh first, then the actions, ending with the summary
/// line or a "No changes." paragraph.
pub fn plan(plan: &Plan, style: Style) -> String {
    let mut out = String::new();
    let emphasis = Lines::new(style);
    if !plan.targets.is_empty() {
        let _ = write!(
            out,
            "{}\n\n{}\n\n",
            emphasis.bold("Warning: Resource targeting is in effect"),
            super::targeting(plan)
        );
    }
    adopted(&mut out, plan);
    if !plan.drift.is_empty() {
        drift(&mut out, plan, style);
    }
    if plan.mode == Mode::RefreshOnly {
        out.push_str(if plan.drift.is_empty() {
            "No changes. Your infrastructure still matches the configuration.\n\n\
             gateform has checked that the real remote objects still match the result of your most recent changes, and found no differences.\n"
        } else {
            "This is a refresh-only plan, so gateform will not take any actions to undo these. If you were expecting these \
             changes then you can apply this plan to record the updated values in the gateform state without changing any remote objects.\n"
        });
        return out;
    }
    if !plan.has_changes() {
        out.push_str(&no_changes(plan));
        return out;
    }
    let resources_change =
        plan.changes.iter().any(ResourceChange::does_something) || !plan.deposed.is_empty();
    if !resources_change {
        outputs(&mut out, plan, style);
        out.push_str(
            "\nYou can apply this plan to save these new output values to the gateform state, without changing any real infrastructure.\n",
        );
        return out;
    }
    out.push_str(
        "gateform will perform the following actions. Resource actions are indicated with the following symbols:\n",
    );
    let mut symbols = Lines::new(style);
    for (symbol, meaning) in legend(plan) {
        symbols.line(0, &format!("{symbol:>3}"), format_args!("{meaning}"));
    }
    out.push_str(&symbols.text);
    for change in plan.changes.iter().filter(|change| change.does_something()) {
        out.push('\n');
        let mut lines = Lines::new(style);
        resource(&mut lines, change);
        out.push_str(&lines.text);
    }
    for deposed in &plan.deposed {
        out.push('\n');
        let mut lines = Lines::new(style);
        deposed_object(&mut lines, deposed);
        out.push_str(&lines.text);
    }
    let summary = super::plan_summary(&plan.counts());
    let _ = writeln!(out, "\n{}", emphasis.bold(&summary));
    outputs(&mut out, plan, style);
    out
}

/// "Changes to Outputs:", when any output changes. Sensitive values are never shown.
fn outputs(out: &mut String, plan: &Plan, style: Style) {
    let changed: Vec<(&String, &crate::plan::OutputChange)> = plan
        .outputs
        .iter()
        .filter(|(_, change)| change.changed())
        .collect();
    if changed.is_empty() {
        return;
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str("Changes to Outputs:\n");
    let width = changed
        .iter()
        .map(|(name, _)| name.chars().count())
        .max()
        .unwrap_or(0);
    let mut lines = Lines::new(style);
    for (name, change) in changed {
        let name = super::padded(name, width);
        if change.sensitive {
            let hidden = "(sensitive value)";
            let (symbol, text) = match (&change.before, &change.after) {
                (None, _) => ("+", hidden.to_owned()),
                (_, None) => ("-", format!("{hidden} -> null")),
                _ => ("~", format!("{hidden} -> {hidden}")),
            };
            lines.line(2, symbol, format_args!("{name} = {text}"));
        } else {
            // Shown as a resource's attribute is: a collection element by element.
            let (before, after) = (
                change.before.clone().unwrap_or(Value::Null),
                change.after.clone().unwrap_or(Value::Null),
            );
            attribute(&mut lines, 2, &name, &before, &after, false);
        }
    }
    out.push_str(&lines.text);
}

/// "Objects have changed outside of gateform": each drifted resource as a block.
fn drift(out: &mut String, plan: &Plan, style: Style) {
    out.push_str(&Lines::new(style).bold("Note: Objects have changed outside of gateform"));
    out.push_str(
        "\n\n\
         gateform detected the following changes made outside of gateform since the last \"gateform apply\" \
         which may have affected this plan:\n",
    );
    for drift in &plan.drift {
        let mut lines = Lines::new(style);
        drifted(&mut lines, drift);
        out.push('\n');
        out.push_str(&lines.text);
    }
    if plan.mode != Mode::RefreshOnly {
        let _ = write!(
            out,
            "\nUnless you have made equivalent changes to your configuration, the following plan may include actions \
             to undo or respond to these changes.\n\n{RULE}\n\n"
        );
    } else {
        out.push('\n');
    }
}

/// The paragraph shown instead of a plan when there is nothing to do.
fn no_changes(plan: &Plan) -> String {
    if let Some(base) = &plan.assumed_base {
        return format!(
            "No changes. The configuration matches `{base}`.\n\n\
             gateform compared it with the configuration in `{base}`, assumed applied, without a state file or AWS, \
             and found no differences, so applying it over `{base}` would change nothing.\n"
        );
    }
    let text = match (plan.mode, plan.refreshed) {
        (Mode::Destroy, _) => {
            "No changes. No objects need to be destroyed.\n\n\
             Either you have not created any objects yet or the existing objects were already deleted outside of gateform.\n"
        }
        (Mode::Normal | Mode::RefreshOnly, true) => {
            "No changes. Your infrastructure matches the configuration.\n\n\
             gateform has compared your real infrastructure against your configuration and found no differences, so no changes are needed.\n"
        }
        (Mode::Normal | Mode::RefreshOnly, false) => {
            "No changes. Your infrastructure matches the configuration.\n\n\
             gateform has compared your configuration with the state file, without reading AWS (--refresh=false), and found no differences, so no changes are needed.\n"
        }
    };
    text.to_owned()
}

fn legend(plan: &Plan) -> Vec<(&'static str, &'static str)> {
    let used = |wanted: fn(Action) -> bool| plan.changes.iter().any(|change| wanted(change.action));
    let mut legend = Vec::new();
    if used(|action| action == Action::Create) {
        legend.push(("+", "create"));
    }
    if used(|action| action == Action::Update) {
        legend.push(("~", "update in-place"));
    }
    if used(|action| action == Action::Delete) || !plan.deposed.is_empty() {
        legend.push(("-", "destroy"));
    }
    if used(|action| action == Action::Replace(ReplaceOrder::DeleteThenCreate)) {
        legend.push(("-/+", "destroy and then create replacement"));
    }
    if used(|action| action == Action::Replace(ReplaceOrder::CreateThenDelete)) {
        legend.push(("+/-", "create replacement and then destroy"));
    }
    legend
}

/// An object a `create_before_destroy` replacement left behind: `# ADDRESS (deposed object ID)
/// will be destroyed`, as Terraform says it.
pub(super) fn deposed_object(out: &mut Lines, deposed: &crate::state::Deposed) {
    out.plain(
        2,
        format_args!(
            "# {} (deposed object {}) will be destroyed",
            deposed.address,
            deposed.resource.id()
        ),
    );
    out.plain(
        2,
        format_args!("# (left over from a partially-failed replacement of this instance)"),
    );
    block(
        out,
        "-",
        &deposed.address,
        &deposed.resource.attributes,
        &Object::new(),
        &BTreeSet::new(),
        &BTreeSet::new(),
    );
}

/// One drifted resource: `# ADDRESS has changed` and its block.
pub(super) fn drifted(out: &mut Lines, drift: &Drift) {
    let (verb, symbol) = match drift.after {
        Some(_) => ("has changed", "~"),
        None => ("has been deleted", "-"),
    };
    out.plain(2, format_args!("# {} {verb}", drift.address));
    let empty = Object::new();
    let after = drift.after.as_ref().unwrap_or(&empty);
    block(
        out,
        symbol,
        &drift.address,
        &drift.before,
        after,
        &BTreeSet::new(),
        &drift.sensitive,
    );
}

/// The objects interrupted applies made, found in AWS and now in the state.
fn adopted(out: &mut String, plan: &Plan) {
    let mut any = false;
    for resolution in &plan.journal {
        if let crate::state::Resolution::Adopted {
            address, resource, ..
        } = resolution
        {
            let _ = writeln!(
                out,
                "  # {address} was created by an interrupted apply and has been adopted [id={}]",
                resource.id()
            );
            any = true;
        }
    }
    if any {
        out.push('\n');
    }
}

/// One changed resource: `# ADDRESS will be ...` and its block.
pub(super) fn resource(out: &mut Lines, change: &ResourceChange) {
    let address = &change.address;
    // A change to the state alone: the object as it is, under what happens to it.
    let state_only: Option<(Vec<String>, &str)> = match (change.action, &change.moved_from) {
        _ if change.forget => Some((
            vec![
                format!("# {address} will no longer be managed by gateform"),
                "# (the object stays in AWS; a removed block says so)".to_owned(),
            ],
            ".",
        )),
        (Action::NoOp, _) if change.importing => {
            let mut comments = vec![format!("# {address} will be imported")];
            if change.generated_config.is_some() {
                comments.push("# (config will be generated)".to_owned());
            }
            Some((comments, " "))
        }
        (Action::NoOp, Some(from)) => Some((vec![format!("# {from} has moved to {address}")], " ")),
        _ => None,
    };
    if let Some((comments, symbol)) = state_only {
        for comment in comments {
            out.plain(2, format_args!("{comment}"));
        }
        let before = change.before.clone().unwrap_or_default();
        let none = BTreeSet::new();
        return block(
            out,
            symbol,
            address,
            &before,
            &before,
            &none,
            &change.sensitive,
        );
    }
    let (verb, symbol) = match change.action {
        Action::NoOp => return,
        Action::Replace(order) if change.reason == Some(ActionReason::ReplaceByRequest) => {
            let symbol = match order {
                ReplaceOrder::DeleteThenCreate => "-/+",
                ReplaceOrder::CreateThenDelete => "+/-",
            };
            ("will be replaced, as requested", symbol)
        }
        Action::Create => ("will be created", "+"),
        Action::Update => ("will be updated in-place", "~"),
        Action::Replace(ReplaceOrder::DeleteThenCreate) => ("must be replaced", "-/+"),
        Action::Replace(ReplaceOrder::CreateThenDelete) => ("must be replaced", "+/-"),
        Action::Delete => ("will be destroyed", "-"),
    };
    out.plain(2, format_args!("# {address} {verb}"));
    if let Some(from) = &change.moved_from {
        out.plain(2, format_args!("# (moved from {from})"));
    }
    if change.importing {
        out.plain(2, format_args!("# (imported by an import block)"));
    }
    if change.generated_config.is_some() {
        out.plain(2, format_args!("# (config will be generated)"));
    }
    if let Some(ActionReason::ReplaceByTriggers) = change.reason {
        out.plain(
            2,
            format_args!("# (replaced because of a change in its replace_triggered_by)"),
        );
    }
    if let Some(ActionReason::NoResourceConfig) = change.reason {
        out.plain(
            2,
            format_args!("# (because {address} is not in configuration)"),
        );
    }
    let empty = Object::new();
    let before = change.before.as_ref().unwrap_or(&empty);
    let after = change.after.as_ref().unwrap_or(&empty);
    let (replace_paths, sensitive) = (&change.replace_paths, &change.sensitive);
    block(
        out,
        symbol,
        address,
        before,
        after,
        replace_paths,
        sensitive,
    );
}

/// `SYMBOL resource "TYPE" "NAME" { ... }` showing how `before` becomes `after`.
fn block(
    out: &mut Lines,
    symbol: &str,
    address: &crate::addr::Address,
    before: &Object,
    after: &Object,
    replace_paths: &BTreeSet<String>,
    sensitive: &BTreeSet<String>,
) {
    out.line(
        0,
        &format!("{symbol:>3}"),
        format_args!("resource \"{}\" \"{}\" {{", address.kind, address.name),
    );
    body(
        out,
        6,
        before,
        after,
        address.kind.schema().blocks,
        replace_paths,
        sensitive,
    );
    out.plain(4, format_args!("}}"));
}

/// How one value changes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Diff {
    Unchanged,
    Add,
    Remove,
    Change,
}

impl Diff {
    fn of(before: &Value, after: &Value) -> Diff {
        match (before, after) {
            // Equal values are unchanged; both unknown happens only in `diff`, where the prior
            // values are assumed.
            (before, after) if before == after => Diff::Unchanged,
            (Value::Null, _) => Diff::Add,
            (_, Value::Null) => Diff::Remove,
            _ => Diff::Change,
        }
    }

    fn symbol(self) -> &'static str {
        match self {
            Diff::Unchanged => " ",
            Diff::Add => "+",
            Diff::Remove => "-",
            Diff::Change => "~",
        }
    }
}

/// The attributes and nested blocks of one object, at `indent` spaces. Unchanged attributes are
/// hidden and counted, except `id`, which identifies the resource.
fn body(
    out: &mut Lines,
    indent: usize,
    before: &Object,
    after: &Object,
    blocks: &[BlockSchema],
    replace_paths: &BTreeSet<String>,
    sensitive: &BTreeSet<String>,
) {
    let null = Value::Null;
    let names: BTreeSet<&str> = before
        .keys()
        .chain(after.keys())
        .map(String::as_str)
        .collect();
    let present = |name: &&str| {
        !(before.get(*name).unwrap_or(&null).is_null()
            && after.get(*name).unwrap_or(&null).is_null())
    };
    let attributes: Vec<&str> = names
        .iter()
        .copied()
        .filter(|name| !blocks.iter().any(|block| block.name == *name))
        .filter(present)
        .collect();
    let width = attributes.iter().map(|name| name.len()).max().unwrap_or(0);
    let mut hidden_attributes = 0;
    for name in &attributes {
        let (old, new) = (
            before.get(*name).unwrap_or(&null),
            after.get(*name).unwrap_or(&null),
        );
        let diff = Diff::of(old, new);
        let forces = replace_paths.contains(*name);
        if diff == Diff::Unchanged && *name != "id" && !forces {
            hidden_attributes += 1;
            continue;
        }
        // Derived from a sensitive variable: that it changes shows, never what it is.
        if sensitive.contains(*name) {
            let note = if forces { " # forces replacement" } else { "" };
            let padded = super::padded(name, width);
            out.line(
                indent,
                diff.symbol(),
                format_args!("{padded} = (sensitive value){note}"),
            );
            continue;
        }
        attribute(out, indent, &super::padded(name, width), old, new, forces);
    }
    if hidden_attributes > 0 {
        out.plain(
            indent + 2,
            format_args!(
                "# ({hidden_attributes} unchanged {} hidden)",
                plural(hidden_attributes, "attribute")
            ),
        );
    }
    let mut hidden_blocks = 0;
    for block in blocks {
        let name = block.name;
        let (old, new) = (block_elements(before, name), block_elements(after, name));
        // The elements to show, as (before, after) pairs: one pair for a single block; for a set,
        // each element that is in only one of the two.
        let pairs: Vec<(Option<&Object>, Option<&Object>)> = match block.nesting {
            Nesting::Single if old.is_empty() && new.is_empty() => Vec::new(),
            Nesting::Single => vec![(old.first().copied(), new.first().copied())],
            Nesting::Set => {
                hidden_blocks += old.iter().filter(|element| new.contains(element)).count();
                let removed = old
                    .iter()
                    .filter(|element| !new.contains(element))
                    .map(|e| (Some(*e), None));
                let added = new
                    .iter()
                    .filter(|element| !old.contains(element))
                    .map(|e| (None, Some(*e)));
                removed.chain(added).collect()
            }
        };
        let empty = Object::new();
        for (old, new) in pairs {
            let diff = Diff::of(
                &old.cloned().map_or(Value::Null, Value::Map),
                &new.cloned().map_or(Value::Null, Value::Map),
            );
            if diff == Diff::Unchanged {
                hidden_blocks += 1;
                continue;
            }
            if !out.text.ends_with("{\n") {
                out.blank();
            }
            if sensitive.contains(name) {
                out.line(
                    indent,
                    diff.symbol(),
                    format_args!("{name} {{ # (sensitive value) }}"),
                );
                continue;
            }
            out.line(indent, diff.symbol(), format_args!("{name} {{"));
            body(
                out,
                indent + 4,
                old.unwrap_or(&empty),
                new.unwrap_or(&empty),
                block.blocks,
                &BTreeSet::new(),
                &BTreeSet::new(),
            );
            out.plain(indent + 2, format_args!("}}"));
        }
    }
    if hidden_blocks > 0 {
        out.blank();
        out.plain(
            indent + 2,
            format_args!(
                "# ({hidden_blocks} unchanged {} hidden)",
                plural(hidden_blocks, "block")
            ),
        );
    }
}

/// `name = value`, `name = old -> new` or a multi-line collection, with the change's symbol.
fn attribute(
    out: &mut Lines,
    indent: usize,
    padded_name: &str,
    before: &Value,
    after: &Value,
    forces: bool,
) {
    // A forcing value that looks the same is one that will be known only after apply.
    let diff = match Diff::of(before, after) {
        Diff::Unchanged if forces => Diff::Change,
        diff => diff,
    };
    let note = if forces { " # forces replacement" } else { "" };
    let symbol = diff.symbol();
    if document(before).is_some() || document(after).is_some() {
        return heredoc(out, indent, padded_name, before, after, note);
    }
    match (diff, before, after) {
        (Diff::Add | Diff::Unchanged, _, value) if !is_collection(value) => {
            out.line(
                indent,
                symbol,
                format_args!("{padded_name} = {}{note}", scalar(value)),
            );
        }
        (Diff::Remove, value, _) if !is_collection(value) => {
            out.line(
                indent,
                symbol,
                format_args!("{padded_name} = {} -> null{note}", scalar(value)),
            );
        }
        (Diff::Change, old, new) if !is_collection(old) && !is_collection(new) => {
            out.line(
                indent,
                symbol,
                format_args!("{padded_name} = {} -> {}{note}", scalar(old), scalar(new)),
            );
        }
        (_, old, new) => {
            let (open, close) = if matches!(old, Value::Map(_)) || matches!(new, Value::Map(_)) {
                ("{", "}")
            } else {
                ("[", "]")
            };
            out.line(indent, symbol, format_args!("{padded_name} = {open}{note}"));
            elements(out, indent + 4, old, new);
            let tail = match (diff, new) {
                (Diff::Remove, _) => " -> null",
                (_, Value::Unknown) => " -> (known after apply)",
                _ => "",
            };
            out.plain(indent + 2, format_args!("{close}{tail}"));
        }
    }
}

/// A string shown over several lines: a JSON object or array pretty-printed, or text that has
/// line breaks (an OpenAPI document in YAML), as it is.
fn document(value: &Value) -> Option<String> {
    let Value::String(text) = value else {
        return None;
    };
    let shown = match serde_json::from_str::<serde_json::Value>(text) {
        Ok(json @ (serde_json::Value::Object(_) | serde_json::Value::Array(_))) => {
            serde_json::to_string_pretty(&json).ok()?
        }
        _ => text.clone(),
    };
    shown.contains('\n').then_some(shown)
}

/// A multi-line string as a heredoc, as Terraform shows one; a changed one as a line diff with
/// three lines of context.
fn heredoc(
    out: &mut Lines,
    indent: usize,
    padded_name: &str,
    before: &Value,
    after: &Value,
    note: &str,
) {
    let diff = Diff::of(before, after);
    let text = |value: &Value| {
        document(value).unwrap_or_else(|| value.as_str().unwrap_or_default().to_owned())
    };
    let (old, new) = (text(before), text(after));
    out.line(
        indent,
        diff.symbol(),
        format_args!("{padded_name} = <<-EOT{note}"),
    );
    let lines = indent + 4;
    let hidden = |out: &mut Lines, count: usize| {
        if count > 0 {
            out.plain(
                lines + 2,
                format_args!("# ({count} unchanged {} hidden)", plural(count, "line")),
            );
        }
    };
    match (diff, after) {
        (Diff::Change, Value::String(_)) => {
            let text_diff = similar::TextDiff::from_lines(&old, &new);
            let mut shown_until = 0;
            for group in text_diff.grouped_ops(3) {
                let (Some(first), Some(last)) = (group.first(), group.last()) else {
                    continue;
                };
                hidden(out, first.old_range().start - shown_until);
                for op in &group {
                    for change in text_diff.iter_changes(op) {
                        let marker = match change.tag() {
                            similar::ChangeTag::Equal => " ",
                            similar::ChangeTag::Delete => "-",
                            similar::ChangeTag::Insert => "+",
                        };
                        let line = change.value().trim_end_matches('\n');
                        out.line(lines, marker, format_args!("{line}"));
                    }
                }
                shown_until = last.old_range().end;
            }
            hidden(out, old.lines().count().saturating_sub(shown_until));
        }
        (Diff::Remove, _) | (Diff::Change, _) => {
            for line in old.lines() {
                out.line(lines, " ", format_args!("{line}"));
            }
        }
        (Diff::Add | Diff::Unchanged, _) => {
            for line in new.lines() {
                out.line(lines, " ", format_args!("{line}"));
            }
        }
    }
    let tail = match (diff, after) {
        (Diff::Remove, _) => " -> null",
        (_, Value::Unknown) => " -> (known after apply)",
        _ => "",
    };
    out.plain(indent + 2, format_args!("EOT{tail}"));
}

/// The elements of a changed list or map: added and removed ones shown, unchanged ones counted.
fn elements(out: &mut Lines, indent: usize, before: &Value, after: &Value) {
    let mut hidden = 0;
    match (before, after) {
        (Value::Map(_), _) | (_, Value::Map(_)) => {
            let empty = Default::default();
            let old = if let Value::Map(entries) = before {
                entries
            } else {
                &empty
            };
            let new = if let Value::Map(entries) = after {
                entries
            } else {
                &empty
            };
            let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
            let width = keys
                .iter()
                .map(|key| quoted(key).chars().count())
                .max()
                .unwrap_or(0);
            for key in keys {
                let key_text = super::padded(&quoted(key), width);
                match (old.get(key), new.get(key)) {
                    (Some(a), Some(b)) if a == b && !b.has_unknown() => hidden += 1,
                    (Some(a), Some(b)) => out.line(
                        indent,
                        "~",
                        format_args!("{key_text} = {} -> {}", scalar(a), scalar(b)),
                    ),
                    (None, Some(b)) => {
                        out.line(indent, "+", format_args!("{key_text} = {}", scalar(b)))
                    }
                    (Some(a), None) => out.line(
                        indent,
                        "-",
                        format_args!("{key_text} = {} -> null", scalar(a)),
                    ),
                    (None, None) => {}
                }
            }
        }
        _ => {
            let items = |value: &Value| match value {
                Value::List(items) => items.clone(),
                _ => Vec::new(),
            };
            let (old, new) = (items(before), items(after));
            for item in &old {
                if new.contains(item) {
                    hidden += 1;
                } else {
                    out.line(indent, "-", format_args!("{},", scalar(item)));
                }
            }
            for item in new.iter().filter(|item| !old.contains(item)) {
                out.line(indent, "+", format_args!("{},", scalar(item)));
            }
        }
    }
    if hidden > 0 {
        out.plain(
            indent + 2,
            format_args!(
                "# ({hidden} unchanged {} hidden)",
                plural(hidden, "element")
            ),
        );
    }
}

fn is_collection(value: &Value) -> bool {
    matches!(value, Value::List(items) if !items.is_empty())
        || matches!(value, Value::Map(entries) if !entries.is_empty())
}

/// A value on one line, in HCL syntax.
fn scalar(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(flag) => flag.to_string(),
        Value::Number(number) => format_number(*number),
        Value::String(text) => quoted(text),
        Value::List(items) if items.is_empty() => "[]".to_owned(),
        Value::Map(entries) if entries.is_empty() => "{}".to_owned(),
        Value::List(items) => format!(
            "[{}]",
            items.iter().map(scalar).collect::<Vec<_>>().join(", ")
        ),
        Value::Map(entries) => format!(
            "{{ {} }}",
            entries
                .iter()
                .map(|(key, value)| format!("{} = {}", quoted(key), scalar(value)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Unknown => "(known after apply)".to_owned(),
    }
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        noun.to_owned()
    } else {
        format!("{noun}s")
    }
}
