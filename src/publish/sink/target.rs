//! Where a publish sink's items go: [`OneChannel`] (the sink's channel) or
//! [`AnyChannel`] (each [`Outgoing`] item's own, in a [`MultiPublishSink`]).

use serde::Serialize;

use super::PublishSink;

/// Target marker of a [`Publisher`](super::Publisher) and a
/// [`PublishSink`](super::PublishSink) for one channel (from
/// [`PubNub::publisher`](crate::PubNub::publisher)).
#[derive(Debug, Clone)]
pub struct OneChannel(pub(super) String);

/// Target marker of a [`Publisher`](super::Publisher) and a
/// [`PublishSink`](super::PublishSink) whose items name their channel (from
/// [`PubNub::multi_publisher`](crate::PubNub::multi_publisher)).
#[derive(Debug, Clone, Copy)]
pub struct AnyChannel;

/// How a [`PublishSink`](super::PublishSink) with target `Self` routes an
/// item of type `I`: [`OneChannel`] sends any `T: Serialize` to its channel,
/// [`AnyChannel`] sends an [`Outgoing<T>`] to the item's channel. Sealed: the
/// two markers are the only targets.
///
/// ```
/// use pubnub_stream::publish::sink::{AnyChannel, OneChannel, Outgoing, SinkTarget};
///
/// fn routes<I, K: SinkTarget<I>>() {}
/// routes::<u32, OneChannel>();
/// routes::<Outgoing<u32>, AnyChannel>();
/// ```
pub trait SinkTarget<I>: sealed::Route<I> {}

impl<I, K: sealed::Route<I>> SinkTarget<I> for K {}

pub(super) mod sealed {
    use serde::Serialize;

    /// The channel and the message of an item (crate-private: seals [`SinkTarget`](super::SinkTarget)).
    pub trait Route<I> {
        /// What is serialized and published.
        type Message: Serialize;

        /// The channel `item` goes to, and its message.
        fn route<'a>(&'a self, item: &'a I) -> (&'a str, &'a Self::Message);
    }
}

impl<T: Serialize> sealed::Route<T> for OneChannel {
    type Message = T;

    fn route<'a>(&'a self, item: &'a T) -> (&'a str, &'a T) {
        (&self.0, item)
    }
}

impl<T: Serialize> sealed::Route<Outgoing<T>> for AnyChannel {
    type Message = T;

    fn route<'a>(&'a self, item: &'a Outgoing<T>) -> (&'a str, &'a T) {
        (&item.channel, &item.message)
    }
}

/// A message and its channel: the item of a multi-channel publish sink
/// ([`MultiPublishSink`](super::MultiPublishSink)).
///
/// Build one with [`Outgoing::new`] or from a `(channel, message)` tuple.
///
/// ```
/// use pubnub_stream::publish::sink::Outgoing;
///
/// let a = Outgoing::new("chat", "hello");
/// let b: Outgoing<&str> = ("chat", "hello").into();
/// assert_eq!(a, b);
/// assert_eq!(a.channel, "chat");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Outgoing<T> {
    /// The channel to publish to.
    pub channel: String,
    /// The message, serialized to JSON when the sink accepts it.
    pub message: T,
}

impl<T> Outgoing<T> {
    /// `message` bound for `channel`.
    ///
    /// ```
    /// let item = pubnub_stream::publish::sink::Outgoing::new("news", 42);
    /// assert_eq!(item.message, 42);
    /// ```
    pub fn new(channel: impl Into<String>, message: T) -> Self {
        Outgoing {
            channel: channel.into(),
            message,
        }
    }

    /// The channel and the message.
    ///
    /// ```
    /// let (channel, message) = pubnub_stream::publish::sink::Outgoing::new("news", 42).into_parts();
    /// assert_eq!((channel.as_str(), message), ("news", 42));
    /// ```
    pub fn into_parts(self) -> (String, T) {
        (self.channel, self.message)
    }
}

impl<C: Into<String>, T> From<(C, T)> for Outgoing<T> {
    fn from((channel, message): (C, T)) -> Self {
        Outgoing::new(channel, message)
    }
}

/// Publishes [`Outgoing`] items, each to its own channel; from
/// [`PubNub::multi_publisher`](crate::PubNub::multi_publisher).
///
/// A [`PublishSink`] with the [`AnyChannel`] target: everything said of
/// [`PublishSink`] holds per channel: strict order, retries in place,
/// backpressure over all channels together (`max_pending`). Different channels proceed concurrently, up to
/// [`max_channels_in_flight`](super::Publisher::max_channels_in_flight). A
/// final failure on one channel stops the whole sink: requests already in
/// flight on other channels finish (they are acknowledged if they succeed),
/// nothing new starts, and the error hands back every unacknowledged message
/// of every channel (see [`PublishSinkError::Failed`](super::PublishSinkError::Failed)).
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
pub type MultiPublishSink<T> = PublishSink<Outgoing<T>, AnyChannel>;
