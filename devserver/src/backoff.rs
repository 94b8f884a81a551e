//! What the accept loop does when `accept` fails (e.g. `EMFILE` when every
//! descriptor is taken): wait before the next try, 1 ms doubling up to 1 s and
//! back to none after a success (as hyper's and tokio's example servers do),
//! and warn at most once a second, counting the failures in between.
//!
//! Without it a listener with a pending connection it cannot accept is
//! readable forever: the loop spun on both cores and logged a warning per try
//! (3.5 GB of log in 30 s).

use std::time::{Duration, Instant};

/// The first pause after a failed accept.
const FIRST: Duration = Duration::from_millis(1);
/// The longest pause.
const MAX: Duration = Duration::from_secs(1);
/// At most one warning per this period.
const WARN_EVERY: Duration = Duration::from_secs(1);

/// Backoff and warning state of one accept loop.
#[derive(Debug, Default)]
pub(crate) struct AcceptBackoff {
    /// The pause after the last failure; zero after a success.
    delay: Duration,
    /// When the last warning was logged.
    last_warn: Option<Instant>,
    /// Failures since the last warning that were not warned about.
    suppressed: u64,
}

/// What to do after one failed accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Failure {
    /// Wait this long before accepting again.
    pub(crate) pause: Duration,
    /// `Some(n)`: log a warning now, mentioning `n` failures not warned about
    /// since the last one.
    pub(crate) warn: Option<u64>,
}

impl AcceptBackoff {
    /// An accept failed at `now`.
    pub(crate) fn failed(&mut self, now: Instant) -> Failure {
        self.delay = if self.delay.is_zero() {
            FIRST
        } else {
            self.delay.saturating_mul(2).min(MAX)
        };
        let due = self
            .last_warn
            .is_none_or(|at| now.saturating_duration_since(at) >= WARN_EVERY);
        let warn = if due {
            self.last_warn = Some(now);
            Some(std::mem::take(&mut self.suppressed))
        } else {
            self.suppressed = self.suppressed.saturating_add(1);
            None
        };
        Failure {
            pause: self.delay,
            warn,
        }
    }

    /// An accept succeeded: the next failure starts from the first pause again.
    pub(crate) fn succeeded(&mut self) {
        self.delay = Duration::ZERO;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_double_up_to_a_second_and_reset_on_success() {
        let mut b = AcceptBackoff::default();
        let now = Instant::now();
        let pauses: Vec<u64> = (0..13)
            .map(|_| b.failed(now).pause.as_millis() as u64)
            .collect();
        assert_eq!(
            pauses,
            [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000, 1000, 1000]
        );
        b.succeeded();
        assert_eq!(b.failed(now).pause, FIRST);
    }

    #[test]
    fn warns_at_most_once_a_second_with_the_count_in_between() {
        let mut b = AcceptBackoff::default();
        let t0 = Instant::now();
        assert_eq!(b.failed(t0).warn, Some(0));
        for ms in [1, 3, 7, 500, 999] {
            assert_eq!(b.failed(t0 + Duration::from_millis(ms)).warn, None);
        }
        assert_eq!(b.failed(t0 + Duration::from_millis(1000)).warn, Some(5));
        // A success resets the pause, not the warning's rate limit.
        b.succeeded();
        assert_eq!(b.failed(t0 + Duration::from_millis(1500)).warn, None);
        assert_eq!(b.failed(t0 + Duration::from_millis(2000)).warn, Some(1));
    }
}
