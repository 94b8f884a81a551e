//! The progress line of a pipe (published, rate, pending) on stderr, drawn
//! only when stderr is a terminal: redirected stderr gets nothing of the sort.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress line, or nothing when stderr is not a terminal.
#[derive(Debug)]
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
}

impl Progress {
    /// Starts drawing (every 100 ms) when stderr is a terminal.
    pub(crate) fn start() -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.enable_steady_tick(Duration::from_millis(100));
            bar
        });
        Progress {
            bar,
            started: Instant::now(),
        }
    }

    /// Shows the counts.
    pub(crate) fn update(&self, published: u64, pending: u64) {
        if let Some(bar) = &self.bar {
            let secs = self.started.elapsed().as_secs_f64();
            let rate = if secs > 0.0 {
                published as f64 / secs
            } else {
                0.0
            };
            bar.set_message(format!(
                "{published} published, {rate:.0}/s, {pending} pending"
            ));
        }
    }

    /// Removes the line (before the summary is printed).
    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
