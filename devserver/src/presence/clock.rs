//! The time passed into every registry call.

#[cfg(test)]
use std::time::Duration;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// A moment as the registry sees it: a monotonic [`Instant`] for timeouts and
/// intervals, and wall-clock Unix milliseconds for event `timestamp`s.
///
/// Tests build it by hand and [`advance`](Now::advance) it, so they run
/// instantly and deterministically; a server uses [`Now::system`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Now {
    /// Monotonic time, used for deadlines.
    pub instant: Instant,
    /// Wall-clock time in milliseconds since the Unix epoch.
    pub unix_ms: u64,
}

impl Now {
    /// The current system time.
    pub(crate) fn system() -> Now {
        let unix_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
        Now {
            instant: Instant::now(),
            unix_ms,
        }
    }

    /// A moment given explicitly (for tests).
    pub(crate) fn at(instant: Instant, unix_ms: u64) -> Now {
        Now { instant, unix_ms }
    }

    /// This moment plus `d` on both clocks (saturating).
    #[cfg(test)]
    #[must_use]
    pub(crate) fn advance(self, d: Duration) -> Now {
        let ms = u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
        Now {
            instant: self.instant.checked_add(d).unwrap_or(self.instant),
            unix_ms: self.unix_ms.saturating_add(ms),
        }
    }

    /// Whole Unix seconds, as presence events carry them.
    pub(crate) fn unix_secs(&self) -> u64 {
        self.unix_ms / 1000
    }
}
