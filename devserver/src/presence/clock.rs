//! The time passed into every registry call.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// A moment as the registry sees it: a monotonic [`Instant`] for timeouts and
/// intervals, and wall-clock Unix milliseconds for event `timestamp`s.
///
/// Tests build it by hand and [`advance`](Now::advance) it, so they run
/// instantly and deterministically; a server uses [`Now::system`].
///
/// ```
/// use std::time::{Duration, Instant};
/// use pubnub_devserver::presence::Now;
///
/// let t0 = Now::at(Instant::now(), 1_700_000_000_000);
/// let t1 = t0.advance(Duration::from_millis(1500));
/// assert_eq!(t1.unix_secs(), 1_700_000_001);
/// assert_eq!(t1.instant - t0.instant, Duration::from_millis(1500));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Now {
    /// Monotonic time, used for deadlines.
    pub instant: Instant,
    /// Wall-clock time in milliseconds since the Unix epoch.
    pub unix_ms: u64,
}

impl Now {
    /// The current system time.
    ///
    /// ```
    /// let now = pubnub_devserver::presence::Now::system();
    /// assert!(now.unix_secs() > 1_600_000_000);
    /// ```
    pub fn system() -> Now {
        let unix_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
        Now {
            instant: Instant::now(),
            unix_ms,
        }
    }

    /// A moment given explicitly (for tests).
    ///
    /// ```
    /// use std::time::Instant;
    /// let now = pubnub_devserver::presence::Now::at(Instant::now(), 5_000);
    /// assert_eq!(now.unix_secs(), 5);
    /// ```
    pub fn at(instant: Instant, unix_ms: u64) -> Now {
        Now { instant, unix_ms }
    }

    /// This moment plus `d` on both clocks (saturating).
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// let now = pubnub_devserver::presence::Now::at(Instant::now(), 0).advance(Duration::from_secs(3));
    /// assert_eq!(now.unix_secs(), 3);
    /// ```
    #[must_use]
    pub fn advance(self, d: Duration) -> Now {
        let ms = u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
        Now {
            instant: self.instant.checked_add(d).unwrap_or(self.instant),
            unix_ms: self.unix_ms.saturating_add(ms),
        }
    }

    /// Whole Unix seconds, as presence events carry them.
    ///
    /// ```
    /// use std::time::Instant;
    /// assert_eq!(pubnub_devserver::presence::Now::at(Instant::now(), 1_999).unix_secs(), 1);
    /// ```
    pub fn unix_secs(&self) -> u64 {
        self.unix_ms / 1000
    }
}
