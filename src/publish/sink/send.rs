//! The sending step the worker drives: the [`PublishSend`] trait, abstracted
//! so that the ordering, retry and backpressure core can be tested without a
//! network, and [`ClientSend`], the real one (a prepared publish sent by the
//! client's transport), with the [`Preparer`] that makes its messages.

use std::sync::Arc;
use std::time::Duration;

use futures::future::BoxFuture;
use serde::Serialize;

use crate::error::RequestError;
use crate::protocol::timetoken::Timetoken;
use crate::publish::{send_prepared, PreparedPublish, PublishOptions};
use crate::shared::Shared;

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

impl Classify for RequestError {
    fn is_retryable(&self) -> bool {
        RequestError::is_retryable(self)
    }

    fn retry_after(&self) -> Option<Duration> {
        RequestError::retry_after(self)
    }
}

/// Sends prepared publishes through a client.
pub(crate) struct ClientSend {
    pub(crate) inner: Arc<Shared>,
}

impl PublishSend for ClientSend {
    type Msg = PreparedPublish;
    type Error = RequestError;

    fn send(
        &self,
        msg: Arc<PreparedPublish>,
    ) -> BoxFuture<'static, Result<Timetoken, RequestError>> {
        let inner = Arc::clone(&self.inner);
        Box::pin(async move {
            send_prepared(&inner, &msg)
                .await
                .map(|result| result.timetoken)
        })
    }
}

/// What a sink needs to turn an item into a [`PreparedPublish`].
#[derive(Clone)]
pub(crate) struct Preparer {
    pub(crate) inner: Arc<Shared>,
    pub(crate) options: PublishOptions,
}

impl Preparer {
    /// Serializes and checks `message` for `channel` (no I/O).
    pub(crate) fn prepare<T: Serialize>(
        &self,
        channel: &str,
        message: &T,
    ) -> Result<(Arc<str>, PreparedPublish), RequestError> {
        let prepared = PreparedPublish::new(&self.inner, channel, message, self.options.clone())?;
        Ok((Arc::from(channel), prepared))
    }
}
