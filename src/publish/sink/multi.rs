//! [`MultiPublishSink`]: a `Sink<Outgoing<T>>` whose items name their channel.

use super::outgoing::Outgoing;
use super::target::AnyChannel;
use super::PublishSink;

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
