//! [`PublishSink`]: a `Sink<T: Serialize>` publishing to one channel.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures::Sink;
use serde::Serialize;

use super::ack::Acks;
use super::client_send::{ClientSend, Preparer};
use super::core::SinkCore;
use super::error::PublishSinkError;

/// Publishes every item to one channel, in order; from
/// [`PubNub::publisher`](crate::PubNub::publisher).
///
/// - `poll_ready` is `Pending` while `max_pending` accepted messages are
///   unacknowledged, so `forward` and `send_all` feel the backpressure.
/// - `start_send` serializes and size-checks the item at once; an item that
///   cannot be published is handed back in [`PublishSinkError::Rejected`] and
///   the sink stays open.
/// - Message k+1 is sent only after message k succeeded. Retryable failures
///   (network, timeout, 429 honouring `Retry-After`, 5xx) are retried in
///   place with the publisher's [`RetryPolicy`](crate::RetryPolicy); 400, 403
///   and 413 fail at once. After a final failure the next `poll_ready`,
///   `poll_flush` or `poll_close` returns [`PublishSinkError::Failed`] with the
///   failed message and every accepted message not yet sent, in order.
/// - `poll_flush` completes when every accepted message is acknowledged;
///   `poll_close` flushes, then lets the worker end. [`acks`](Self::acks)
///   shows each acknowledgment with its publish timetoken.
///
/// A background worker task (spawned on the tokio runtime current when the
/// sink is created, else on the first poll's) sends the messages, so they go
/// out even while nobody polls the sink. Dropping the sink does not cancel
/// accepted messages: the worker sends them all (with retries), then exits;
/// if one of them then fails for good, the rest are discarded with a
/// warning. Use `close().await` to learn the outcome.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = pubnub_devserver::DevServer::builder().start().await?;
/// use futures::{SinkExt, StreamExt};
/// use pubnub_stream::PubNub;
///
/// let pubnub = PubNub::builder()
///     .subscribe_key("demo").publish_key("demo").user_id("alice")
///     .origin(server.origin()).secure(false)
///     .build()?;
/// let mut sink = pubnub.publisher("chat").max_pending(8).sink::<String>();
/// let acks = sink.acks();
/// let mut lines = futures::stream::iter(["hello", "world"]).map(|s| Ok(s.to_string()));
/// sink.send_all(&mut lines).await?;
/// sink.close().await?;
/// let acks: Vec<_> = acks.collect().await;
/// assert_eq!(acks.len(), 2);
/// assert!(acks[0].timetoken() < acks[1].timetoken());
/// # Ok(()) }
/// ```
#[must_use = "sinks do nothing unless polled"]
pub struct PublishSink<T> {
    core: SinkCore<T, ClientSend>,
    preparer: Preparer,
    channel: Arc<str>,
}

impl<T> PublishSink<T> {
    pub(crate) fn new(
        core: SinkCore<T, ClientSend>,
        preparer: Preparer,
        channel: Arc<str>,
    ) -> Self {
        PublishSink {
            core,
            preparer,
            channel,
        }
    }

    /// The channel this sink publishes to.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").publish_key("d").user_id("u").build()?;
    /// assert_eq!(pubnub.publisher("chat").sink::<u8>().channel(), "chat");
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn channel(&self) -> &str {
        &self.channel
    }

    /// A stream of the acknowledgments of messages published from now on (so
    /// call it before sending). Every call gives an independent stream; each
    /// ends when the worker finishes. Unread acks are buffered: read the
    /// stream or drop it.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").publish_key("d").user_id("u").build()?;
    /// let sink = pubnub.publisher("chat").sink::<u8>();
    /// let acks = sink.acks(); // a Stream<Item = Ack>
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn acks(&self) -> Acks {
        self.core.acks()
    }

    /// Accepted messages not yet known to be acknowledged (as of the last poll).
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").publish_key("d").user_id("u").build()?;
    /// assert_eq!(pubnub.publisher("chat").sink::<u8>().pending(), 0);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn pending(&self) -> usize {
        self.core.pending()
    }

    /// The backpressure bound set by [`Publisher::max_pending`](super::Publisher::max_pending).
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").publish_key("d").user_id("u").build()?;
    /// assert_eq!(pubnub.publisher("chat").sink::<u8>().max_pending(), 64);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn max_pending(&self) -> usize {
        self.core.max_pending()
    }
}

// No field is structurally pinned.
impl<T> Unpin for PublishSink<T> {}

impl<T: Serialize> Sink<T> for PublishSink<T> {
    type Error = PublishSinkError<T>;

    fn poll_ready(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.get_mut().core.poll_ready(cx)
    }

    fn start_send(self: Pin<&mut Self>, item: T) -> Result<(), Self::Error> {
        let this = self.get_mut();
        let (preparer, channel) = (&this.preparer, &this.channel);
        this.core
            .start_send_with(item, |item| preparer.prepare(channel, item))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.get_mut().core.poll_flush(cx)
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.get_mut().core.poll_close(cx)
    }
}

impl<T> std::fmt::Debug for PublishSink<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PublishSink")
            .field("channel", &self.channel)
            .field("pending", &self.core.pending())
            .field("max_pending", &self.core.max_pending())
            .finish_non_exhaustive()
    }
}
