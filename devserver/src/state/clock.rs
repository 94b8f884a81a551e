//! The timetoken clock: 100 ns units since the Unix epoch, strictly increasing.
//!
//! Tests may move it forward ([`Clock::advance`], `DevServer::advance_clock`):
//! timetokens, token expiry and the signature timestamp window then all see
//! the later time, as if the server's wall clock had jumped.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Hands out strictly increasing 17-digit timetokens.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    last: AtomicU64,
    /// How far this clock runs ahead of the wall clock, in 100 ns units.
    offset: AtomicU64,
}

fn system_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_nanos() / 100).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

impl Clock {
    /// The wall clock plus the offset, in 100 ns units.
    fn wall_now(&self) -> u64 {
        system_now().saturating_add(self.offset.load(Ordering::Acquire))
    }

    /// Runs this clock `by` further ahead of the wall clock (for tests of
    /// expiry without sleeping).
    pub(crate) fn advance(&self, by: Duration) {
        let units = u64::try_from(by.as_nanos() / 100).unwrap_or(u64::MAX);
        let _ = self
            .offset
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |o| {
                Some(o.saturating_add(units))
            });
    }

    /// The current time in Unix seconds (offset included).
    pub(crate) fn unix_secs(&self) -> u64 {
        self.wall_now() / 10_000_000
    }

    /// A fresh timetoken, greater than every one handed out before.
    pub(crate) fn next(&self) -> u64 {
        let now = self.wall_now();
        let mut last = self.last.load(Ordering::Relaxed);
        loop {
            let candidate = now.max(last.saturating_add(1));
            match self.last.compare_exchange_weak(
                last,
                candidate,
                Ordering::AcqRel,
                Ordering::Relaxed,
            ) {
                Ok(_) => return candidate,
                Err(actual) => last = actual,
            }
        }
    }

    /// The current time without consuming a timetoken (used in error bodies).
    pub(crate) fn peek(&self) -> u64 {
        self.wall_now().max(self.last.load(Ordering::Acquire))
    }

    /// Make sure later timetokens are above `tt` (after a `ptto` override).
    pub(crate) fn observe(&self, tt: u64) {
        self.last.fetch_max(tt, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strictly_increasing_17_digits() {
        let c = Clock::default();
        let mut prev = c.next();
        assert_eq!(prev.to_string().len(), 17);
        for _ in 0..10_000 {
            let n = c.next();
            assert!(n > prev);
            prev = n;
        }
        c.observe(prev + 1_000_000);
        assert!(c.next() > prev + 1_000_000);
    }

    #[test]
    fn advancing_moves_seconds_and_timetokens_forward() {
        let c = Clock::default();
        let (secs, tt) = (c.unix_secs(), c.next());
        c.advance(Duration::from_secs(3600));
        assert!(c.unix_secs() >= secs + 3600);
        assert!(c.next() >= tt + 3600 * 10_000_000);
    }
}
