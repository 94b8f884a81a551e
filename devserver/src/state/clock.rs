//! The timetoken clock: 100 ns units since the Unix epoch, strictly increasing.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Hands out strictly increasing 17-digit timetokens.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    last: AtomicU64,
}

fn wall_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_nanos() / 100).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

impl Clock {
    /// A fresh timetoken, greater than every one handed out before.
    pub(crate) fn next(&self) -> u64 {
        let now = wall_now();
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
        wall_now().max(self.last.load(Ordering::Acquire))
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
}
