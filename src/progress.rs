//! What apply tells while it works, on stderr. Everywhere, Terraform's lines ("Creating...",
//! "Creation complete after 1s [id=...]", "Still creating... [10s elapsed]"), which CI logs keep
//! and people grep. On a terminal (and without NO_COLOR or TERM=dumb), a progress bar below
//! them as well: steps done of all, the pace, the time left, and the steps in flight.

use std::collections::BTreeMap;
use std::io::IsTerminal as _;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::addr::Address;
use crate::apply::{Progress, Step};

/// Where apply's progress goes.
pub struct Reporter {
    bar: Option<ProgressBar>,
    /// The steps in flight, with how many of each address (a replacement has two).
    in_flight: BTreeMap<Address, usize>,
}

impl Reporter {
    /// Terraform's lines, with a progress bar when stderr is a terminal that wants one.
    pub fn new() -> Reporter {
        let wanted = crate::render::colour(std::io::stderr().is_terminal())
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
            in_flight: BTreeMap::new(),
        }
    }

    pub fn report(&mut self, progress: Progress<'_>) {
        match &progress {
            Progress::Scheduled { steps } => {
                if let Some(bar) = &self.bar {
                    bar.inc_length(*steps as u64);
                }
            }
            Progress::Started { step, .. } => {
                *self.in_flight.entry(step.address().clone()).or_default() += 1;
            }
            Progress::Finished { step, .. } | Progress::Failed { step } => {
                if let Some(count) = self.in_flight.get_mut(step.address()) {
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
        if let Some(line) = line(&progress) {
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

impl Default for Reporter {
    fn default() -> Reporter {
        Reporter::new()
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
