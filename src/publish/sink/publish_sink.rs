//! [`PublishSink`]: the publish `Sink`, to one channel or (as
//! [`MultiPublishSink`](super::MultiPublishSink)) to each item's own.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures::Sink;

use super::ack::Acks;
use super::core::SinkCore;
use super::error::PublishSinkError;
use super::rejected::Rejections;
use super::send::{ClientSend, Preparer};
use super::target::{OneChannel, SinkTarget};

/// Publishes every item to one channel, in order; from
/// [`PubNub::publisher`](crate::PubNub::publisher). With the [`AnyChannel`](super::AnyChannel)
/// target it is a [`MultiPublishSink`](super::MultiPublishSink), whose
/// [`Outgoing`](super::Outgoing) items name their channel; everything below
/// then holds per channel.
///
/// - `poll_ready` is `Pending` while `max_pending` accepted messages are
///   unacknowledged, so `forward` and `send_all` feel the backpressure. A
///   full sink wakes its caller when three quarters of them are
///   acknowledged (one wake-up for a burst of room, not one per ack).
/// - `start_send` serializes and size-checks the item at once; an item that
///   cannot be published is handed back, with its error, on the
///   [`rejected`](Self::rejected) stream, and the sink goes on (or, with
///   [`Publisher::stop_on_reject`](super::Publisher::stop_on_reject), in
///   [`PublishSinkError::Rejected`]; the sink stays open).
/// - Message k+1 is sent only after message k succeeded. Retryable failures
///   (network, timeout, 429 honouring `Retry-After` up to the larger of the
///   policy's maximum delay and 5 s, 5xx) are retried in
///   place with the publisher's [`RetryPolicy`](crate::RetryPolicy); 400, 403
///   and 413 fail at once. After a final failure the next `poll_ready`,
///   `poll_flush` or `poll_close` returns [`PublishSinkError::Failed`] with the
///   failed message and every accepted message not acknowledged, in order
///   per channel (telling those that may have been published). Delivery is
///   at least once; every attempt of a message carries the same `seqn` for
///   subscribers to dedupe on (see [`PublishSinkError`]).
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
pub struct PublishSink<T, K = OneChannel> {
    core: SinkCore<T, ClientSend>,
    preparer: Preparer,
    target: K,
}

impl<T> PublishSink<T> {
    /// The channel this sink publishes to.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").publish_key("d").user_id("u").build()?;
    /// assert_eq!(pubnub.publisher("chat").sink::<u8>().channel(), "chat");
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn channel(&self) -> &str {
        &self.target.0
    }
}

impl<T, K> PublishSink<T, K> {
    pub(crate) fn new(core: SinkCore<T, ClientSend>, preparer: Preparer, target: K) -> Self {
        PublishSink {
            core,
            preparer,
            target,
        }
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
    /// let all_channels = pubnub.multi_publisher().sink::<u8>().acks();
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn acks(&self) -> Acks {
        self.core.acks()
    }

    /// The items this sink could not publish at all (they do not serialize to
    /// JSON, or are over the size limit), each with its error, in the order
    /// they were given: `start_send` hands such an item here and the sink
    /// goes on, so that `forward` keeps reading its input. Take this stream
    /// before the sink is moved into `forward`; the first call gets every
    /// rejection (those before it included), later calls a stream that ends
    /// at once. Unread rejections wait in the stream (each one is also
    /// logged as a warning while nobody has taken it). With
    /// [`Publisher::stop_on_reject`](super::Publisher::stop_on_reject),
    /// `start_send` returns [`PublishSinkError::Rejected`] instead.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let server = pubnub_devserver::DevServer::builder().start().await?;
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").publish_key("demo")
    /// #     .user_id("u").origin(server.origin()).secure(false).build()?;
    /// use futures::{SinkExt, StreamExt};
    ///
    /// let mut sink = pubnub.publisher("chat").sink::<f64>();
    /// let mut rejected = sink.rejected();
    /// sink.send(f64::NAN).await?; // not JSON: handed to `rejected`, the sink goes on
    /// sink.send(1.5).await?;
    /// let rejection = rejected.next().await.expect("one rejection");
    /// assert!(rejection.item.is_nan());
    /// # Ok(()) }
    /// ```
    pub fn rejected(&mut self) -> Rejections<T> {
        self.core.rejected()
    }

    /// Accepted messages not yet known to be acknowledged (as of the last poll).
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").publish_key("d").user_id("u").build()?;
    /// assert_eq!(pubnub.publisher("chat").sink::<u8>().pending(), 0);
    /// assert_eq!(pubnub.multi_publisher().sink::<u8>().pending(), 0);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn pending(&self) -> usize {
        self.core.pending()
    }

    /// The backpressure bound set by [`Publisher::max_pending`](super::Publisher::max_pending)
    /// (over all channels, for a multi-channel sink).
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").publish_key("d").user_id("u").build()?;
    /// assert_eq!(pubnub.publisher("chat").sink::<u8>().max_pending(), 64);
    /// assert_eq!(pubnub.multi_publisher().max_pending(3).sink::<u8>().max_pending(), 3);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn max_pending(&self) -> usize {
        self.core.max_pending()
    }
}

// No field is structurally pinned.
impl<T, K> Unpin for PublishSink<T, K> {}

impl<T, K: SinkTarget<T>> Sink<T> for PublishSink<T, K> {
    type Error = PublishSinkError<T>;

    fn poll_ready(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.get_mut().core.poll_ready(cx)
    }

    fn start_send(self: Pin<&mut Self>, item: T) -> Result<(), Self::Error> {
        let this = self.get_mut();
        let (preparer, target) = (&this.preparer, &this.target);
        this.core.start_send_with(item, |item| {
            let (channel, message) = target.route(item);
            preparer.prepare(channel, message)
        })
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.get_mut().core.poll_flush(cx)
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.get_mut().core.poll_close(cx)
    }
}

impl<T, K: std::fmt::Debug> std::fmt::Debug for PublishSink<T, K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PublishSink")
            .field("target", &self.target)
            .field("pending", &self.core.pending())
            .field("max_pending", &self.core.max_pending())
            .finish_non_exhaustive()
    }
}
