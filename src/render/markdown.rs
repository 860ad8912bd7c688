//! The plan as a pull-request comment: GitHub-flavoured Markdown to post as it is.
//!
//! What a reviewer needs first stays outside any fold: the summary line, a warning listing what
//! will be destroyed or replaced, and the addresses by action. Each resource's diff is in its own
//! fold, as a ```diff block GitHub colours. A comment never exceeds [`LIMIT`]: whole folds are
//! left out from the end first, then the address lists are shortened; the summary and the
//! warning always stay.

use std::fmt::Write as _;

use super::text::{Lines, Style, deposed_object, drifted, resource};
use crate::plan::{Action, Mode, Plan, ResourceChange};

/// GitHub refuses comments over 65,536 characters; this leaves room for a bot's own words.
pub const LIMIT: usize = 65_000;

pub fn plan(plan: &Plan, directory: &str) -> String {
    let head = head(plan, directory);
    let groups = groups(plan);
    let mut folds = Vec::new();
    if !plan.drift.is_empty() {
        folds.push(drift_fold(plan));
    }
    if plan.mode != Mode::RefreshOnly {
        folds.extend(
            plan.changes
                .iter()
                .filter(|change| change.does_something())
                .map(resource_fold),
        );
        folds.extend(plan.deposed.iter().map(deposed_fold));
    }
    let total = folds.len();
    let length = |text: &str| text.chars().count();
    // Every fold, or as many as fit from the start.
    let full_lists = lists(&groups, usize::MAX);
    let mut used = length(&head) + length(&full_lists);
    let mut kept = 0;
    while kept < total {
        let next = used + length(&folds[kept]);
        let notice = match kept + 1 < total {
            true => length(&notice(total - kept - 1)),
            false => 0,
        };
        if next + notice > LIMIT {
            break;
        }
        used = next;
        kept += 1;
    }
    if kept > 0 || used + length(&notice(total)) <= LIMIT {
        return assemble(&head, &full_lists, &folds[..kept], total);
    }
    // No fold fits: the longest address lists that do.
    let longest = groups.iter().map(|(_, addresses)| addresses.len()).max();
    let candidates: Vec<usize> = (0..longest.unwrap_or(0)).collect();
    let shown = candidates.partition_point(|&shown| {
        length(&head) + length(&lists(&groups, shown)) + length(&notice(total)) <= LIMIT
    });
    assemble(&head, &lists(&groups, shown.saturating_sub(1)), &[], total)
}

/// The hidden marker, the heading, the summary line and the warnings: what always stays.
fn head(plan: &Plan, directory: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "<!-- gateform-plan: {directory} -->");
    match &plan.assumed_base {
        None => {
            let _ = writeln!(out, "## gateform plan for `{}`\n", code(directory));
        }
        Some(base) => {
            let _ = writeln!(
                out,
                "## gateform diff for `{}`\n\nPlanned against the configuration in `{}` as if it were deployed, \
                 without a state file or AWS: what only AWS knows is `(known after apply)`.\n",
                code(directory),
                code(base)
            );
        }
    }
    let counts = plan.counts();
    let summary = match plan.mode {
        Mode::RefreshOnly if plan.drift.is_empty() => {
            "**No changes.** Your infrastructure still matches the configuration.".to_owned()
        }
        Mode::RefreshOnly => format!(
            "**Refresh only: {} changed outside of gateform.** Applying this plan records {} in the state and changes nothing in AWS.",
            count(plan.drift.len(), "object has", "objects have"),
            if plan.drift.len() == 1 { "it" } else { "them" },
        ),
        _ if !plan.has_changes() => {
            "**No changes.** Your infrastructure matches the configuration.".to_owned()
        }
        _ => format!("**{}**", super::plan_summary(&counts)),
    };
    let _ = writeln!(out, "{summary}\n");
    if !plan.targets.is_empty() {
        let _ = writeln!(
            out,
            "> [!WARNING]\n> **Resource targeting is in effect.** {}\n",
            super::targeting(plan)
        );
    }
    let destructive: Vec<String> = plan
        .changes
        .iter()
        .filter(|change| matches!(change.action, Action::Delete | Action::Replace(_)))
        .map(|change| {
            format!(
                "`{}` ({})",
                code(&change.address.to_string()),
                verb(change.action)
            )
        })
        .chain(plan.deposed.iter().map(|deposed| {
            format!(
                "`{}` (destroy its deposed object `{}`)",
                code(&deposed.address.to_string()),
                code(deposed.resource.id())
            )
        }))
        .collect();
    if !destructive.is_empty() {
        let _ = writeln!(
            out,
            "> [!CAUTION]\n> **{} will be destroyed or replaced:**",
            count(destructive.len(), "resource", "resources")
        );
        for line in destructive {
            let _ = writeln!(out, "> - {line}");
        }
        out.push('\n');
    }
    let outputs: Vec<String> = plan
        .outputs
        .iter()
        .filter(|(_, change)| change.changed())
        .map(|(name, change)| {
            let action = match (&change.before, &change.after) {
                (None, _) => "create",
                (_, None) => "destroy",
                _ => "update",
            };
            format!("`{}` ({action})", code(name))
        })
        .collect();
    if !outputs.is_empty() {
        let _ = writeln!(out, "**Changes to outputs:** {}\n", outputs.join(", "));
    }
    if !plan.drift.is_empty() && plan.mode != Mode::RefreshOnly {
        let _ = writeln!(
            out,
            "> [!NOTE]\n> {} changed outside of gateform; see the first fold below. Unless the configuration was changed to match, this plan sets {} back.\n",
            count(plan.drift.len(), "object has", "objects have"),
            if plan.drift.len() == 1 { "it" } else { "them" },
        );
    }
    let adopted: Vec<String> = plan
        .journal
        .iter()
        .filter_map(|resolution| match resolution {
            crate::state::Resolution::Adopted {
                address, resource, ..
            } => Some(format!(
                "`{}` (`{}`)",
                code(&address.to_string()),
                code(resource.id())
            )),
            crate::state::Resolution::Absent { .. } => None,
        })
        .collect();
    if !adopted.is_empty() {
        let _ = writeln!(
            out,
            "> [!NOTE]\n> Created by an interrupted apply, found in AWS and adopted: {}.\n",
            adopted.join(", ")
        );
    }
    out
}

/// The affected addresses by action, in the order Terraform's legend lists them.
fn groups(plan: &Plan) -> Vec<(&'static str, Vec<String>)> {
    let mut groups: Vec<(&'static str, Vec<String>)> = [
        "create", "update", "replace", "destroy", "move", "forget", "import",
    ]
    .into_iter()
    .map(|name| (name, Vec::new()))
    .collect();
    for change in &plan.changes {
        if let Some(from) = &change.moved_from {
            groups[4].1.push(format!("{from} → {}", change.address));
        }
        if change.forget {
            groups[5].1.push(change.address.to_string());
        }
        if change.importing {
            groups[6].1.push(change.address.to_string());
        }
        let index = match change.action {
            Action::NoOp => continue,
            Action::Create => 0,
            Action::Update => 1,
            Action::Replace(_) => 2,
            Action::Delete => 3,
        };
        groups[index].1.push(change.address.to_string());
    }
    for deposed in &plan.deposed {
        groups[3].1.push(format!(
            "{} (deposed object {})",
            deposed.address,
            deposed.resource.id()
        ));
    }
    groups.retain(|(_, addresses)| !addresses.is_empty());
    groups
}

/// The address lists, each showing at most `shown` addresses and "and N more".
fn lists(groups: &[(&str, Vec<String>)], shown: usize) -> String {
    let mut out = String::new();
    for (action, addresses) in groups {
        let _ = writeln!(out, "**{action}** ({})", addresses.len());
        for address in addresses.iter().take(shown) {
            let _ = writeln!(out, "- `{}`", code(address));
        }
        if addresses.len() > shown {
            let _ = writeln!(out, "- … and {} more", addresses.len() - shown);
        }
        out.push('\n');
    }
    out
}

fn assemble(head: &str, lists: &str, folds: &[String], total: usize) -> String {
    let mut out = format!("{head}{lists}");
    for fold in folds {
        out.push_str(fold);
    }
    let left_out = total - folds.len();
    if left_out > 0 {
        out.push_str(&notice(left_out));
    }
    out
}

/// Why some folds are missing, and where to see them.
fn notice(left_out: usize) -> String {
    format!(
        "> [!NOTE]\n> {} left out to keep this comment under GitHub's size limit. \
         Run `gateform plan` (or `gateform show PLANFILE`) to see the whole plan.\n",
        count(left_out, "diff was", "diffs were"),
    )
}

fn resource_fold(change: &ResourceChange) -> String {
    let mut lines = Lines::new(Style::DiffMarkers);
    resource(&mut lines, change);
    let marker = match change.action {
        Action::Create => "+",
        Action::Delete => "-",
        Action::NoOp | Action::Update => "~",
        Action::Replace(crate::plan::ReplaceOrder::DeleteThenCreate) => "-/+",
        Action::Replace(crate::plan::ReplaceOrder::CreateThenDelete) => "+/-",
    };
    let moved;
    let phrase = match (change.action, &change.moved_from) {
        _ if change.forget => "will no longer be managed by gateform",
        (Action::NoOp, None) if change.importing => "will be imported",
        (Action::NoOp, Some(from)) => {
            moved = format!("has moved from {}", html(&from.to_string()));
            moved.as_str()
        }
        (Action::Create, _) => "will be created",
        (Action::Delete, _) => "will be destroyed",
        (Action::NoOp | Action::Update, _) => "will be updated in-place",
        (Action::Replace(_), _) => "must be replaced",
    };
    fold(
        &format!(
            "<code>{marker} {}</code> {phrase}",
            html(&change.address.to_string()),
        ),
        &lines.text,
    )
}

fn deposed_fold(deposed: &crate::state::Deposed) -> String {
    let mut lines = Lines::new(Style::DiffMarkers);
    deposed_object(&mut lines, deposed);
    fold(
        &format!(
            "<code>- {}</code> (deposed object {}) will be destroyed",
            html(&deposed.address.to_string()),
            html(deposed.resource.id())
        ),
        &lines.text,
    )
}

fn drift_fold(plan: &Plan) -> String {
    let mut lines = Lines::new(Style::DiffMarkers);
    for (index, drift) in plan.drift.iter().enumerate() {
        if index > 0 {
            lines.text.push('\n');
        }
        drifted(&mut lines, drift);
    }
    fold(
        &format!(
            "{} changed outside of gateform",
            count(plan.drift.len(), "object has", "objects have")
        ),
        &lines.text,
    )
}

/// A `<details>` fold around a ```diff block, fenced with more backticks than it contains.
fn fold(summary: &str, diff: &str) -> String {
    let mut fence = "```".to_owned();
    while diff.contains(&fence) {
        fence.push('`');
    }
    format!("<details><summary>{summary}</summary>\n\n{fence}diff\n{diff}{fence}\n\n</details>\n\n")
}

fn verb(action: Action) -> &'static str {
    match action {
        Action::NoOp => "unchanged",
        Action::Create => "create",
        Action::Update => "update",
        Action::Replace(_) => "replace",
        Action::Delete => "destroy",
    }
}

fn count(count: usize, one: &str, many: &str) -> String {
    match count {
        1 => format!("1 {one}"),
        _ => format!("{count} {many}"),
    }
}

/// Text inside a `code` span: a backtick would end it.
fn code(text: &str) -> String {
    text.replace('`', "'")
}

/// Text inside HTML, such as a fold's summary.
fn html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
