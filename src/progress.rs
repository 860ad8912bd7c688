//! What apply tells while it works, on stderr. Everywhere, Terraform's lines ("Creating...",
//! "Creation complete after 1s [id=...]", "Still creating... [10s elapsed]"), which CI logs keep
//! and people grep. On a terminal (and without NO_COLOR or TERM=dumb), a progress bar below
//! them as well: steps done of all, the pace, the time left, and the steps in flight. With
//! `--json`, the same lines as Terraform's machine-readable UI on stdout instead (`apply_start`,
//! `apply_progress`, `apply_complete`, `apply_errored`), and no bar.

use std::collections::BTreeMap;
use std::io::IsTerminal as _;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::json;

use crate::addr::Address;
use crate::apply::{Progress, Step};
use crate::render::ui;

/// Where apply's progress goes.
pub struct Reporter {
    bar: Option<ProgressBar>,
    json: bool,
    /// The steps in flight, with when each address's first began (a replacement has two).
    in_flight: BTreeMap<Address, (usize, Instant)>,
}

impl Reporter {
    /// Terraform's lines, with a progress bar when stderr is a terminal that wants one; or, with
    /// `json`, Terraform's machine-readable UI.
    pub fn new(json: bool) -> Reporter {
        let wanted = !json
            && crate::render::colour(std::io::stderr().is_terminal())
            && std::env::var("TERM").is_ok_and(|term| term != "dumb");
        let bar = wanted.then(|| {
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(
                    "{bar:30.cyan/blue} {pos}/{len} changes · {per_sec} · ETA {eta} · {msg}",
                )
                .expect("a valid template")
                .progress_chars("=> "),
            );
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Reporter {
            bar,
            json,
            in_flight: BTreeMap::new(),
        }
    }

    pub fn report(&mut self, progress: Progress<'_>) {
        // How long the step that failed had been under way, for `apply_errored`.
        let mut errored_after = Duration::ZERO;
        match &progress {
            Progress::Scheduled { steps } => {
                if let Some(bar) = &self.bar {
                    bar.inc_length(*steps as u64);
                }
            }
            Progress::Started { step, .. } => {
                let entry = self
                    .in_flight
                    .entry(step.address().clone())
                    .or_insert((0, Instant::now()));
                entry.0 += 1;
            }
            Progress::Finished { step, .. } | Progress::Failed { step } => {
                if let Some((count, since)) = self.in_flight.get_mut(step.address()) {
                    errored_after = since.elapsed();
                    *count -= 1;
                    if *count == 0 {
                        self.in_flight.remove(step.address());
                    }
                }
                if let Some(bar) = &self.bar {
                    bar.inc(1);
                }
            }
            Progress::Still { .. } | Progress::Found { .. } => {}
        }
        if self.json {
            if let Some(line) = json_line(&progress, errored_after) {
                println!("{line}");
            }
        } else if let Some(line) = line(&progress) {
            match &self.bar {
                Some(bar) => bar.println(line),
                None => eprintln!("{line}"),
            }
        }
        if let Some(bar) = &self.bar {
            bar.set_message(self.flying());
        }
    }

    /// The steps in flight, for the bar: the first few, and how many more.
    fn flying(&self) -> String {
        let shown: Vec<String> = self
            .in_flight
            .keys()
            .take(3)
            .map(ToString::to_string)
            .collect();
        match self.in_flight.len().saturating_sub(shown.len()) {
            0 => format!("in flight: {}", shown.join(", ")),
            more => format!("in flight: {} and {more} more", shown.join(", ")),
        }
    }
}

impl Drop for Reporter {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Terraform's line for what happened, if it has one.
fn line(progress: &Progress<'_>) -> Option<String> {
    let line = match progress {
        Progress::Scheduled { .. } | Progress::Failed { .. } => return None,
        Progress::Started { step, id } => {
            let doing = match step {
                Step::Create(_) => "Creating...",
                Step::Update(_) => "Modifying...",
                Step::Delete(_) => "Destroying...",
            };
            match id {
                Some(id) => format!("{}: {doing} [id={id}]", step.address()),
                None => format!("{}: {doing}", step.address()),
            }
        }
        Progress::Still { step, elapsed } => {
            let doing = match step {
                Step::Create(_) => "Still creating...",
                Step::Update(_) => "Still modifying...",
                Step::Delete(_) => "Still destroying...",
            };
            format!(
                "{}: {doing} [{}s elapsed]",
                step.address(),
                elapsed.as_secs()
            )
        }
        Progress::Found { step, id, failure } => format!(
            "{}: AWS's answer was lost ({failure}); the object it made was found [id={id}]",
            step.address()
        ),
        Progress::Finished { step, id, elapsed } => {
            let seconds = elapsed.as_secs();
            match step {
                Step::Create(_) => format!(
                    "{}: Creation complete after {seconds}s [id={id}]",
                    step.address()
                ),
                Step::Update(_) => format!(
                    "{}: Modifications complete after {seconds}s [id={id}]",
                    step.address()
                ),
                Step::Delete(_) => {
                    format!("{}: Destruction complete after {seconds}s", step.address())
                }
            }
        }
    };
    Some(line)
}

/// The machine-readable UI's line for what happened: Terraform's message and its hook.
fn json_line(progress: &Progress<'_>, errored_after: Duration) -> Option<serde_json::Value> {
    let action = |step: &Step| match step {
        Step::Create(_) => "create",
        Step::Update(_) => "update",
        Step::Delete(_) => "delete",
    };
    let hook =
        |step: &Step| json!({"resource": ui::resource(step.address()), "action": action(step)});
    let (kind, hook, text) = match progress {
        Progress::Scheduled { .. } => return None,
        Progress::Found { .. } => return Some(ui::message(&line(progress)?, "log", json!({}))),
        Progress::Failed { step } => {
            let what = match step {
                Step::Create(_) => "Creation",
                Step::Update(_) => "Modifications",
                Step::Delete(_) => "Destruction",
            };
            let seconds = errored_after.as_secs();
            let mut errored = hook(step);
            errored["elapsed_seconds"] = json!(seconds);
            let text = format!("{}: {what} errored after {seconds}s", step.address());
            ("apply_errored", errored, text)
        }
        Progress::Started { step, id } => {
            let mut started = hook(step);
            if let Some(id) = id {
                started["id_key"] = json!("id");
                started["id_value"] = json!(id);
            }
            ("apply_start", started, line(progress)?)
        }
        Progress::Still { step, elapsed } => {
            let mut still = hook(step);
            still["elapsed_seconds"] = json!(elapsed.as_secs());
            ("apply_progress", still, line(progress)?)
        }
        Progress::Finished { step, id, elapsed } => {
            let mut finished = hook(step);
            // A deleted object has no id left to name, as in Terraform's hook.
            if !matches!(step, Step::Delete(_)) {
                finished["id_key"] = json!("id");
                finished["id_value"] = json!(id);
            }
            finished["elapsed_seconds"] = json!(elapsed.as_secs());
            ("apply_complete", finished, line(progress)?)
        }
    };
    Some(ui::message(&text, kind, json!({ "hook": hook })))
}
