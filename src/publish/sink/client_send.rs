//! The real sending step: a prepared publish sent by the client's transport.

use std::sync::Arc;
use std::time::Duration;

use futures::future::BoxFuture;
use serde::Serialize;

use super::send::{Classify, PublishSend};
use crate::client::Inner;
use crate::publish::{send_prepared, PreparedPublish, PublishOptions};
use crate::{RequestError, Timetoken};

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
    pub(crate) inner: Arc<Inner>,
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
    pub(crate) inner: Arc<Inner>,
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
