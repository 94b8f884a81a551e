//! The presence knobs of [`DevServerBuilder`] (protocol.md §8.1, §8.3).

use std::time::Duration;

use crate::config::DevServerBuilder;

impl DevServerBuilder {
    /// Above this occupancy a channel stops announcing each join/leave/timeout
    /// and sends `interval` events instead. Default 20.
    ///
    /// ```
    /// let b = pubnub_devserver::DevServer::builder().presence_announce_max(2);
    /// assert_eq!(b.config().presence.announce_max, 2);
    /// ```
    pub fn presence_announce_max(mut self, max: usize) -> Self {
        self.config.presence.announce_max = max;
        self
    }

    /// How often a channel in interval mode sends its `interval` event. Default 10 s.
    ///
    /// ```
    /// let b = pubnub_devserver::DevServer::builder()
    ///     .presence_interval(std::time::Duration::from_millis(50));
    /// assert_eq!(b.config().presence.interval.as_millis(), 50);
    /// ```
    pub fn presence_interval(mut self, interval: Duration) -> Self {
        self.config.presence.interval = interval;
        self
    }

    /// The smallest presence timeout; a `heartbeat=` below it is raised to it.
    /// Default 20 s (tests use milliseconds).
    ///
    /// ```
    /// let b = pubnub_devserver::DevServer::builder()
    ///     .presence_min_timeout(std::time::Duration::from_millis(100));
    /// assert_eq!(b.config().presence.min_timeout.as_millis(), 100);
    /// ```
    pub fn presence_min_timeout(mut self, min: Duration) -> Self {
        self.config.presence.min_timeout = min;
        self
    }

    /// The presence timeout of a client that sends no `heartbeat=`. Default 300 s.
    ///
    /// ```
    /// let b = pubnub_devserver::DevServer::builder()
    ///     .presence_default_timeout(std::time::Duration::from_secs(60));
    /// assert_eq!(b.config().presence.default_timeout.as_secs(), 60);
    /// ```
    pub fn presence_default_timeout(mut self, timeout: Duration) -> Self {
        self.config.presence.default_timeout = timeout;
        self
    }

    /// Whether `interval` events list who joined, left and timed out. Default `true`.
    ///
    /// ```
    /// let b = pubnub_devserver::DevServer::builder().presence_deltas(false);
    /// assert!(!b.config().presence.deltas);
    /// ```
    pub fn presence_deltas(mut self, deltas: bool) -> Self {
        self.config.presence.deltas = deltas;
        self
    }

    /// Above this many bytes of delta JSON an `interval` event sends
    /// `here_now_refresh: true` instead of the lists. Default 32768.
    ///
    /// ```
    /// let b = pubnub_devserver::DevServer::builder().presence_max_delta_bytes(64);
    /// assert_eq!(b.config().presence.max_delta_bytes, 64);
    /// ```
    pub fn presence_max_delta_bytes(mut self, max: usize) -> Self {
        self.config.presence.max_delta_bytes = max;
        self
    }
}
