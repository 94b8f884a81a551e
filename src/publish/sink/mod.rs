//! Publishing as a [`futures::Sink`]: backpressure, per-channel order,
//! retries in place, acknowledgments, and nothing lost on failure.
//!
//! - [`PubNub::publisher`](crate::PubNub::publisher)`(channel)` → [`Publisher`]
//!   → `.sink::<T>()` → [`PublishSink<T>`]: a `Sink<T: Serialize>`.
//! - [`PubNub::multi_publisher`](crate::PubNub::multi_publisher)`()` →
//!   `.sink::<T>()` → [`MultiPublishSink<T>`]: a `Sink<`[`Outgoing<T>`]`>`.
//! - `sink.acks()` → [`Acks`]: a `Stream` of [`Ack`] (channel, timetoken, seq).
//! - `sink.rejected()` → [`Rejections`]: a `Stream` of [`Rejection`], the
//!   items that cannot be published at all (not serializable, too large),
//!   each with its error; the sink goes on past them.
//! - Errors: [`PublishSinkError`], which hands back every item not
//!   acknowledged.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let server = pubnub_devserver::DevServer::builder().start().await?;
//! # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").publish_key("demo")
//! #     .user_id("u").origin(server.origin()).secure(false).build()?;
//! use futures::StreamExt;
//!
//! let sink = pubnub.publisher("chat").max_pending(64).sink::<serde_json::Value>();
//! let incoming = futures::stream::iter(0..10).map(|n| Ok(serde_json::json!({ "n": n })));
//! incoming.forward(sink).await?; // backpressure, order, retries; closes the sink at the end
//! # Ok(()) }
//! ```
//!
//! Each sink owns a background worker task, spawned on the tokio runtime the
//! sink is created in (or, if created outside one, the runtime of its first
//! poll). The worker makes progress on its own: the caller does not have to
//! keep polling the sink for accepted messages to go out.
//!
//! Dropping a sink with messages still pending does not cancel them: the
//! worker finishes sending everything that was accepted (with retries), then
//! exits. If one of those messages then fails for good, the rest are dropped
//! and a warning is logged. Await `poll_close` (e.g. `SinkExt::close`) to know
//! the outcome.

mod ack;
mod channel_queue;
mod core;
mod deliver;
mod error;
mod publish_sink;
mod publisher;
mod rate_limit;
mod rejected;
mod send;
mod target;
mod worker;

#[cfg(test)]
mod testing;
#[cfg(test)]
mod tests_core;
#[cfg(test)]
mod tests_lifecycle;
#[cfg(test)]
mod tests_prop;

pub use ack::{Ack, Acks};
pub use error::PublishSinkError;
pub use publish_sink::PublishSink;
pub use publisher::{
    default_retry_policy, Publisher, DEFAULT_MAX_CHANNELS_IN_FLIGHT, DEFAULT_MAX_PENDING,
};
pub use rejected::{Rejection, Rejections};
pub use target::{AnyChannel, MultiPublishSink, OneChannel, Outgoing, SinkTarget};
