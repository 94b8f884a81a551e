//! Retry policies shared by subscribe reconnection and the publish sink.

use std::time::Duration;

/// How long to wait between attempts after a retryable failure, and when to give up.
///
/// Used for subscribe reconnection (the client builder's `reconnection`) and for the
/// publish sink's in-place retries. Only retryable failures are retried: network
/// errors, timeouts, HTTP 429 (honouring `Retry-After`) and 5xx.
///
/// Delays get up to one second of random jitter added (as every official SDK
/// does) unless [`RetryPolicy::without_jitter`] is applied. A server's
/// `Retry-After` replaces the policy's delay; subscribe reconnection caps it at
/// the policy's [`max_delay`](RetryPolicy::max_delay), the publish sink at the
/// larger of that and 5 s (a rate-limited sink waits what the server asks for
/// even under a fast policy), so a hostile or confused server cannot park a
/// subscription or a sink for hours.
///
/// ```
/// use std::time::Duration;
/// use pubnub_stream::RetryPolicy;
///
/// let policy = RetryPolicy::exponential(Duration::from_secs(2), Duration::from_secs(150))
///     .max_retries(6)
///     .without_jitter();
/// assert_eq!(policy.delay(0), Some(Duration::from_secs(2)));
/// assert_eq!(policy.delay(3), Some(Duration::from_secs(16)));
/// assert_eq!(policy.delay(6), None); // gave up after six retries
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    kind: Kind,
    max_retries: Option<u32>,
    jitter: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    None,
    Linear { delay: Duration },
    Exponential { min: Duration, max: Duration },
}

impl RetryPolicy {
    /// Never retry: the first retryable failure is final.
    ///
    /// ```
    /// assert_eq!(pubnub_stream::RetryPolicy::none().delay(0), None);
    /// ```
    pub const fn none() -> Self {
        RetryPolicy {
            kind: Kind::None,
            max_retries: Some(0),
            jitter: Duration::ZERO,
        }
    }

    /// The same `delay` before every retry; unlimited retries until
    /// [`max_retries`](Self::max_retries) is set.
    ///
    /// ```
    /// use std::time::Duration;
    /// let p = pubnub_stream::RetryPolicy::linear(Duration::from_secs(2)).without_jitter();
    /// assert_eq!(p.delay(100), Some(Duration::from_secs(2)));
    /// ```
    pub const fn linear(delay: Duration) -> Self {
        RetryPolicy {
            kind: Kind::Linear { delay },
            max_retries: None,
            jitter: Duration::from_secs(1),
        }
    }

    /// `min · 2^attempt`, capped at `max`; unlimited retries until
    /// [`max_retries`](Self::max_retries) is set. `min` larger than `max` is treated as `max`.
    ///
    /// ```
    /// use std::time::Duration;
    /// let p = pubnub_stream::RetryPolicy::exponential(Duration::from_secs(1), Duration::from_secs(10))
    ///     .without_jitter();
    /// assert_eq!(p.delay(0), Some(Duration::from_secs(1)));
    /// assert_eq!(p.delay(2), Some(Duration::from_secs(4)));
    /// assert_eq!(p.delay(u32::MAX), Some(Duration::from_secs(10)));
    /// ```
    pub const fn exponential(min: Duration, max: Duration) -> Self {
        RetryPolicy {
            kind: Kind::Exponential { min, max },
            max_retries: None,
            jitter: Duration::from_secs(1),
        }
    }

    /// The PubNub SDKs' default: exponential from 2 s to 150 s, 6 retries, 1 s jitter.
    ///
    /// ```
    /// let p = pubnub_stream::RetryPolicy::default_exponential();
    /// assert_eq!(p.retries_allowed(), Some(6));
    /// ```
    pub const fn default_exponential() -> Self {
        RetryPolicy::exponential(Duration::from_secs(2), Duration::from_secs(150)).max_retries(6)
    }

    /// The client's default for subscribe reconnection: exponential from 1 s
    /// doubling to a 30 s cap, 1 s jitter, and it never gives up (a
    /// subscription survives any outage of the network or the server; only a
    /// terminal answer such as 400 or 403 ends it). Use a finite policy
    /// (e.g. [`default_exponential`](Self::default_exponential)) to have
    /// subscriptions end after an outage instead.
    ///
    /// ```
    /// use std::time::Duration;
    /// let p = pubnub_stream::RetryPolicy::default_reconnection().without_jitter();
    /// assert_eq!(p.retries_allowed(), None);
    /// assert_eq!(p.delay(0), Some(Duration::from_secs(1)));
    /// assert_eq!(p.delay(1_000), Some(Duration::from_secs(30)));
    /// ```
    pub const fn default_reconnection() -> Self {
        RetryPolicy::exponential(Duration::from_secs(1), Duration::from_secs(30))
    }

    /// Give up after `retries` retries (the first attempt is not a retry).
    ///
    /// ```
    /// use std::time::Duration;
    /// let p = pubnub_stream::RetryPolicy::linear(Duration::from_secs(1)).max_retries(2);
    /// assert!(p.delay(1).is_some());
    /// assert!(p.delay(2).is_none());
    /// ```
    pub const fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// Retry forever (the default for `linear` and `exponential`).
    ///
    /// ```
    /// use std::time::Duration;
    /// let p = pubnub_stream::RetryPolicy::linear(Duration::from_secs(1)).max_retries(1).unlimited();
    /// assert_eq!(p.retries_allowed(), None);
    /// ```
    pub const fn unlimited(mut self) -> Self {
        if !matches!(self.kind, Kind::None) {
            self.max_retries = None;
        }
        self
    }

    /// Sets the upper bound of the random delay added to each wait (default 1 s).
    ///
    /// ```
    /// use std::time::Duration;
    /// let p = pubnub_stream::RetryPolicy::linear(Duration::from_secs(1)).jitter(Duration::from_millis(10));
    /// let d = p.delay(0).unwrap();
    /// assert!(d >= Duration::from_secs(1) && d < Duration::from_millis(1010));
    /// ```
    pub const fn jitter(mut self, jitter: Duration) -> Self {
        self.jitter = jitter;
        self
    }

    /// No random jitter: delays are exactly the policy's arithmetic.
    ///
    /// ```
    /// use std::time::Duration;
    /// let p = pubnub_stream::RetryPolicy::linear(Duration::from_secs(3)).without_jitter();
    /// assert_eq!(p.delay(0), Some(Duration::from_secs(3)));
    /// ```
    pub const fn without_jitter(self) -> Self {
        self.jitter(Duration::ZERO)
    }

    /// How many retries are allowed (`None` = unlimited).
    ///
    /// ```
    /// assert_eq!(pubnub_stream::RetryPolicy::none().retries_allowed(), Some(0));
    /// ```
    pub const fn retries_allowed(&self) -> Option<u32> {
        self.max_retries
    }

    /// The wait before retry number `attempt` (0-based: `delay(0)` precedes the
    /// first retry), or `None` when the policy gives up. Never panics, for any
    /// attempt number.
    ///
    /// ```
    /// use std::time::Duration;
    /// let p = pubnub_stream::RetryPolicy::exponential(Duration::ZERO, Duration::MAX).without_jitter();
    /// assert_eq!(p.delay(u32::MAX), Some(Duration::MAX));
    /// ```
    pub fn delay(&self, attempt: u32) -> Option<Duration> {
        if let Some(max) = self.max_retries {
            if attempt >= max {
                return None;
            }
        }
        let base = match self.kind {
            Kind::None => return None,
            Kind::Linear { delay } => delay,
            Kind::Exponential { min, max } => {
                let min = min.min(max);
                let factor = 1u32.checked_shl(attempt.min(31)).unwrap_or(u32::MAX);
                let scaled = if attempt > 31 {
                    max
                } else {
                    min.checked_mul(factor).unwrap_or(max)
                };
                scaled.min(max)
            }
        };
        Some(base.saturating_add(self.random_jitter()))
    }

    /// The longest base delay this policy ever waits (before jitter): the
    /// linear delay, the exponential maximum, `None` for [`none`](Self::none).
    ///
    /// ```
    /// use std::time::Duration;
    /// use pubnub_stream::RetryPolicy;
    /// let p = RetryPolicy::exponential(Duration::from_secs(1), Duration::from_secs(30));
    /// assert_eq!(p.max_delay(), Some(Duration::from_secs(30)));
    /// assert_eq!(RetryPolicy::linear(Duration::from_secs(2)).max_delay(), Some(Duration::from_secs(2)));
    /// assert_eq!(RetryPolicy::none().max_delay(), None);
    /// ```
    pub const fn max_delay(&self) -> Option<Duration> {
        match self.kind {
            Kind::None => None,
            Kind::Linear { delay } => Some(delay),
            Kind::Exponential { max, .. } => Some(max),
        }
    }

    /// The wait before retry `attempt` when the server asked for `retry_after`
    /// (HTTP 429 `Retry-After`): the server's value replaces the policy's base
    /// delay, jitter still applies, and the retry limit still holds.
    ///
    /// The server's value is honoured in full (the publish sink uses this);
    /// see [`delay_with_capped_retry_after`](Self::delay_with_capped_retry_after)
    /// for the form that bounds it.
    ///
    /// ```
    /// use std::time::Duration;
    /// let p = pubnub_stream::RetryPolicy::linear(Duration::from_secs(2)).without_jitter();
    /// assert_eq!(p.delay_with_retry_after(0, Some(Duration::from_secs(7))), Some(Duration::from_secs(7)));
    /// assert_eq!(p.delay_with_retry_after(0, None), Some(Duration::from_secs(2)));
    /// ```
    pub fn delay_with_retry_after(
        &self,
        attempt: u32,
        retry_after: Option<Duration>,
    ) -> Option<Duration> {
        let policy_delay = self.delay(attempt)?;
        match retry_after {
            Some(server) => Some(server.saturating_add(self.random_jitter())),
            None => Some(policy_delay),
        }
    }

    /// Like [`delay_with_retry_after`](Self::delay_with_retry_after), but the
    /// server's value is capped at the policy's [`max_delay`](Self::max_delay):
    /// a `Retry-After: 3600` (or `18446744073709551615`) does not park a
    /// subscription for an hour (or forever) when the policy never waits more
    /// than 30 s. The subscribe engine reconnects with this form (and logs
    /// when it cuts a server's value, see
    /// [`server_delay_capped`](Self::server_delay_capped)).
    ///
    /// ```
    /// use std::time::Duration;
    /// let p = pubnub_stream::RetryPolicy::linear(Duration::from_secs(2)).without_jitter();
    /// let capped = |secs| p.delay_with_capped_retry_after(0, Some(Duration::from_secs(secs)));
    /// assert_eq!(capped(1), Some(Duration::from_secs(1)));
    /// assert_eq!(capped(3600), Some(Duration::from_secs(2)));
    /// assert_eq!(p.delay_with_capped_retry_after(0, None), Some(Duration::from_secs(2)));
    /// ```
    pub fn delay_with_capped_retry_after(
        &self,
        attempt: u32,
        retry_after: Option<Duration>,
    ) -> Option<Duration> {
        let capped = match (retry_after, self.max_delay()) {
            (Some(server), Some(max)) => Some(server.min(max)),
            (server, _) => server,
        };
        self.delay_with_retry_after(attempt, capped)
    }

    /// Whether a server-requested delay (`Retry-After`) exceeds what this
    /// policy waits and is cut to [`max_delay`](Self::max_delay) by
    /// [`delay_with_capped_retry_after`](Self::delay_with_capped_retry_after).
    ///
    /// ```
    /// use std::time::Duration;
    /// let p = pubnub_stream::RetryPolicy::linear(Duration::from_secs(2));
    /// assert!(p.server_delay_capped(Some(Duration::from_secs(3600))));
    /// assert!(!p.server_delay_capped(Some(Duration::from_secs(1))));
    /// assert!(!p.server_delay_capped(None));
    /// ```
    pub fn server_delay_capped(&self, retry_after: Option<Duration>) -> bool {
        matches!((retry_after, self.max_delay()), (Some(server), Some(max)) if server > max)
    }

    fn random_jitter(&self) -> Duration {
        if self.jitter.is_zero() {
            return Duration::ZERO;
        }
        let nanos = u64::try_from(self.jitter.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(fastrand::u64(0..nanos))
    }
}

impl Default for RetryPolicy {
    /// [`RetryPolicy::default_exponential`].
    fn default() -> Self {
        RetryPolicy::default_exponential()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn dur() -> impl Strategy<Value = Duration> {
        prop_oneof![
            Just(Duration::ZERO),
            Just(Duration::MAX),
            any::<u64>().prop_map(Duration::from_millis),
            any::<(u64, u32)>().prop_map(|(s, n)| Duration::new(s, n % 1_000_000_000)),
        ]
    }

    proptest! {
        #[test]
        fn never_panics_and_stays_within_bounds(min in dur(), max in dur(), jitter in dur(),
                                                attempt in any::<u32>(), retries in proptest::option::of(any::<u32>())) {
            let mut p = RetryPolicy::exponential(min, max).jitter(jitter);
            if let Some(r) = retries { p = p.max_retries(r); }
            match p.delay(attempt) {
                None => prop_assert!(retries.is_some_and(|r| attempt >= r)),
                Some(d) => prop_assert!(d <= max.saturating_add(jitter)),
            }
            let l = RetryPolicy::linear(min).jitter(jitter);
            prop_assert!(l.delay(attempt).is_some());
        }

        #[test]
        fn server_delays_are_capped_at_the_policy_maximum(min in dur(), max in dur(), server in dur(),
                                                          attempt in 0u32..64) {
            let p = RetryPolicy::exponential(min, max).without_jitter();
            prop_assert!(p.delay_with_capped_retry_after(attempt, Some(server)).unwrap() <= max);
            let l = RetryPolicy::linear(min).without_jitter();
            prop_assert!(l.delay_with_capped_retry_after(attempt, Some(server)).unwrap() <= min);
        }

        #[test]
        fn exponential_is_monotonic_without_jitter(min in dur(), max in dur(), attempt in 0u32..200) {
            let p = RetryPolicy::exponential(min, max).without_jitter();
            prop_assert!(p.delay(attempt).unwrap() <= p.delay(attempt + 1).unwrap());
        }
    }

    #[test]
    fn none_never_retries() {
        assert_eq!(RetryPolicy::none().unlimited().delay(0), None);
    }
}
