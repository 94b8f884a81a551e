//! Delivering one message: wait for the rate limit, send, retry in place.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use super::rate_limit::RateLimit;
use super::send::{Classify, PublishSend};
use crate::protocol::timetoken::Timetoken;
use crate::retry::RetryPolicy;

/// A server's `Retry-After` is honoured up to the larger of the policy's
/// maximum delay and this: a rate-limited sink whose policy retries every
/// 20 ms still waits the second or two a server asks for, while a
/// `Retry-After: 18446744073709551615` cannot park it.
pub(crate) const RETRY_AFTER_FLOOR: Duration = Duration::from_secs(5);

/// How one message's delivery ended.
#[derive(Debug)]
pub(crate) enum Outcome<E> {
    /// Published with this timetoken.
    Acked(Timetoken),
    /// A non-retryable error, or the retry policy gave up.
    Failed(E),
    /// The sink stopped (another message failed) before this one got
    /// through. If `attempted`, an earlier attempt failed in a way that does
    /// not prove the message was not published (a timeout, a dropped
    /// connection); else it was never sent.
    Abandoned { attempted: bool },
}

/// Everything one delivery needs, moved into its future.
pub(crate) struct Delivery<X: PublishSend> {
    pub(crate) sender: Arc<X>,
    pub(crate) msg: Arc<X::Msg>,
    pub(crate) retry: RetryPolicy,
    pub(crate) limit: RateLimit,
    pub(crate) stop: watch::Receiver<bool>,
}

impl<X: PublishSend> Delivery<X> {
    /// Runs attempts until success, a final failure, or a stop. An attempt in
    /// flight when the stop arrives is finished (a cancelled request might
    /// still have been published), but no new attempt starts.
    ///
    /// Returns the rate-limit state for the channel's lane to keep.
    pub(crate) async fn run(mut self) -> (Outcome<X::Error>, RateLimit) {
        let mut attempt: u32 = 0;
        loop {
            let acquired = tokio::select! {
                biased;
                () = stopped(&mut self.stop) => false,
                () = self.limit.acquire() => true,
            };
            if !acquired {
                return (Outcome::Abandoned { attempted: false }, self.limit);
            }
            let error = match self.sender.send(Arc::clone(&self.msg)).await {
                Ok(timetoken) => return (Outcome::Acked(timetoken), self.limit),
                Err(error) => error,
            };
            if !error.is_retryable() {
                return (Outcome::Failed(error), self.limit);
            }
            let ceiling = self
                .retry
                .max_delay()
                .map_or(RETRY_AFTER_FLOOR, |max| max.max(RETRY_AFTER_FLOOR));
            let retry_after = error.retry_after().map(|server| server.min(ceiling));
            let Some(delay) = self.retry.delay_with_retry_after(attempt, retry_after) else {
                return (Outcome::Failed(error), self.limit);
            };
            tracing::debug!(attempt, ?delay, "publish attempt failed; retrying");
            let slept = tokio::select! {
                biased;
                () = stopped(&mut self.stop) => false,
                () = tokio::time::sleep(delay) => true,
            };
            if !slept {
                return (Outcome::Abandoned { attempted: true }, self.limit);
            }
            attempt = attempt.saturating_add(1);
        }
    }
}

/// Resolves once the stop flag is set; never if the worker (the flag's owner) is gone.
async fn stopped(stop: &mut watch::Receiver<bool>) {
    if stop.wait_for(|stop| *stop).await.is_err() {
        std::future::pending::<()>().await;
    }
}
