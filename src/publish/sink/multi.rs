//! [`MultiPublishSink`]: a `Sink<Outgoing<T>>` whose items name their channel.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures::Sink;
use serde::Serialize;

use super::ack::Acks;
use super::client_send::{ClientSend, Preparer};
use super::core::SinkCore;
use super::error::PublishSinkError;
use super::outgoing::Outgoing;

/// Publishes [`Outgoing`] items, each to its own channel; from
/// [`PubNub::multi_publisher`](crate::PubNub::multi_publisher).
///
/// Everything said of [`PublishSink`](super::PublishSink) holds per channel:
/// strict order, retries in place, backpressure over all channels together
/// (`max_pending`). Different channels proceed concurrently, up to
/// [`max_channels_in_flight`](super::Publisher::max_channels_in_flight). A
/// final failure on one channel stops the whole sink: requests already in
/// flight on other channels finish (they are acknowledged if they succeed),
/// nothing new starts, and the error hands back every unsent message of
/// every channel in accepted order.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = pubnub_devserver::DevServer::builder().start().await?;
/// use futures::SinkExt;
/// use pubnub_stream::{publish::sink::Outgoing, PubNub};
///
/// let pubnub = PubNub::builder()
///     .subscribe_key("demo").publish_key("demo").user_id("alice")
///     .origin(server.origin()).secure(false)
///     .build()?;
/// let mut sink = pubnub.multi_publisher().sink::<u32>();
/// sink.feed(Outgoing::new("a", 1)).await?;
/// sink.feed(("b", 2).into()).await?;
/// sink.close().await?;
/// # Ok(()) }
/// ```
#[must_use = "sinks do nothing unless polled"]
pub struct MultiPublishSink<T> {
    core: SinkCore<Outgoing<T>, ClientSend>,
    preparer: Preparer,
}

impl<T> MultiPublishSink<T> {
    pub(crate) fn new(core: SinkCore<Outgoing<T>, ClientSend>, preparer: Preparer) -> Self {
        MultiPublishSink { core, preparer }
    }

    /// A stream of the acknowledgments of messages published from now on;
    /// see [`PublishSink::acks`](super::PublishSink::acks).
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").publish_key("d").user_id("u").build()?;
    /// let acks = pubnub.multi_publisher().sink::<u8>().acks();
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn acks(&self) -> Acks {
        self.core.acks()
    }

    /// Accepted messages not yet known to be acknowledged (as of the last poll).
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").publish_key("d").user_id("u").build()?;
    /// assert_eq!(pubnub.multi_publisher().sink::<u8>().pending(), 0);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn pending(&self) -> usize {
        self.core.pending()
    }

    /// The backpressure bound, over all channels.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").publish_key("d").user_id("u").build()?;
    /// assert_eq!(pubnub.multi_publisher().max_pending(3).sink::<u8>().max_pending(), 3);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn max_pending(&self) -> usize {
        self.core.max_pending()
    }
}

// No field is structurally pinned.
impl<T> Unpin for MultiPublishSink<T> {}

impl<T: Serialize> Sink<Outgoing<T>> for MultiPublishSink<T> {
    type Error = PublishSinkError<Outgoing<T>>;

    fn poll_ready(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.get_mut().core.poll_ready(cx)
    }

    fn start_send(self: Pin<&mut Self>, item: Outgoing<T>) -> Result<(), Self::Error> {
        let this = self.get_mut();
        let preparer = &this.preparer;
        this.core
            .start_send_with(item, |item| preparer.prepare(&item.channel, &item.message))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.get_mut().core.poll_flush(cx)
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.get_mut().core.poll_close(cx)
    }
}

impl<T> std::fmt::Debug for MultiPublishSink<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MultiPublishSink")
            .field("pending", &self.core.pending())
            .field("max_pending", &self.core.max_pending())
            .finish_non_exhaustive()
    }
}
