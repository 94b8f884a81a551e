//! The sending step the worker drives, abstracted so that the ordering, retry
//! and backpressure core can be tested without a network.

use std::sync::Arc;
use std::time::Duration;

use futures::future::BoxFuture;

use crate::Timetoken;

/// How a failed attempt should be treated by the retry loop.
pub(crate) trait Classify {
    /// Network errors, timeouts, HTTP 429 and 5xx: worth another attempt.
    fn is_retryable(&self) -> bool;
    /// The server's `Retry-After`, when it sent one.
    fn retry_after(&self) -> Option<Duration>;
}

/// Sends one already-prepared message and yields its publish timetoken.
///
/// The future is `'static` so the worker can run several channels at once;
/// implementations clone what they need out of `self`.
pub(crate) trait PublishSend: Send + Sync + 'static {
    /// A message serialized and size-checked once, sent as often as retries need.
    type Msg: Send + Sync + 'static;
    /// The failure of one attempt.
    type Error: Classify + Send + 'static;

    /// One attempt at publishing `msg`.
    fn send(&self, msg: Arc<Self::Msg>) -> BoxFuture<'static, Result<Timetoken, Self::Error>>;
}
