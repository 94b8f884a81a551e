//! The optional per-channel rate limit: a minimum spacing between attempts.

use std::time::Duration;

use tokio::time::Instant;

/// At most `per_second` attempts a second on one channel (burst of one).
///
/// Every attempt counts, retries included, so a struggling server is not
/// hit harder than the limit allows. The state is a plain value that the
/// channel's lane lends to the delivery in flight and takes back afterwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RateLimit {
    interval: Option<Duration>,
    next: Option<Instant>,
}

impl RateLimit {
    /// No limit.
    pub(crate) const fn unlimited() -> Self {
        RateLimit {
            interval: None,
            next: None,
        }
    }

    /// `per_second` attempts a second; `0` means no limit.
    pub(crate) fn per_second(per_second: u32) -> Self {
        if per_second == 0 {
            return Self::unlimited();
        }
        RateLimit {
            interval: Some(Duration::from_secs(1) / per_second),
            next: None,
        }
    }

    /// Waits until the next attempt is allowed and books it. Cancel-safe: a
    /// cancelled wait books nothing.
    pub(crate) async fn acquire(&mut self) {
        let Some(interval) = self.interval else {
            return;
        };
        if let Some(next) = self.next {
            tokio::time::sleep_until(next).await;
        }
        self.next = Some(Instant::now() + interval);
    }

    /// Whether forgetting this state would lose nothing (no booking in the future).
    pub(crate) fn is_idle(&self) -> bool {
        match self.next {
            None => true,
            Some(next) => next <= Instant::now(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn spaces_attempts_by_the_interval() {
        let mut limit = RateLimit::per_second(4);
        let start = Instant::now();
        let mut times = Vec::new();
        for _ in 0..5 {
            limit.acquire().await;
            times.push(Instant::now() - start);
        }
        for pair in times.windows(2) {
            assert!(pair[1] - pair[0] >= Duration::from_millis(250), "{times:?}");
        }
        assert!(!limit.is_idle());
    }

    #[tokio::test(start_paused = true)]
    async fn zero_and_unlimited_never_wait() {
        for mut limit in [RateLimit::per_second(0), RateLimit::unlimited()] {
            let start = Instant::now();
            for _ in 0..100 {
                limit.acquire().await;
            }
            assert_eq!(Instant::now(), start);
            assert!(limit.is_idle());
        }
    }
}
