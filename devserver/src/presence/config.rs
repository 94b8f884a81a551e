//! Presence tuning knobs.

use std::time::Duration;

/// The presence knobs of a dev server ([`Config::presence`](crate::Config::presence));
/// every default is documented on its field and can be shortened for tests.
///
/// ```
/// use std::time::Duration;
/// use pubnub_devserver::{Config, DevServerBuilder, PresenceConfig};
///
/// let presence = PresenceConfig { announce_max: 2, interval: Duration::from_millis(50), ..Default::default() };
/// assert_eq!(presence.default_timeout, Duration::from_secs(300));
/// let mut config = Config::default();
/// config.presence = presence;
/// let builder = DevServerBuilder::from_config(config);
/// assert_eq!(builder.config().presence.announce_max, 2);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresenceConfig {
    /// Above this occupancy a channel switches from announcing each
    /// join/leave/timeout to periodic `interval` events. Default 20
    /// (PubNub's documented default; UNVERIFIED).
    pub announce_max: usize,
    /// Period of `interval` events. Default 10 s (UNVERIFIED); values below
    /// 1 ms are treated as 1 ms so a timer task never spins.
    pub interval: Duration,
    /// Smallest accepted presence timeout; smaller `heartbeat=` values are
    /// raised to it. Default 20 s (what the Rust SDK clamps to).
    pub min_timeout: Duration,
    /// Timeout used when a request names none. Default 300 s.
    pub default_timeout: Duration,
    /// Whether `interval` events list who joined, left or timed out since the
    /// previous one ("presence deltas"). Default true.
    pub deltas: bool,
    /// When the JSON of the delta arrays would exceed this many bytes, the
    /// `interval` event carries `here_now_refresh: true` instead. Default 32 KiB.
    pub max_delta_bytes: usize,
}

impl Default for PresenceConfig {
    fn default() -> Self {
        PresenceConfig {
            announce_max: 20,
            interval: Duration::from_secs(10),
            min_timeout: Duration::from_secs(20),
            default_timeout: Duration::from_secs(300),
            deltas: true,
            max_delta_bytes: 32 * 1024,
        }
    }
}
