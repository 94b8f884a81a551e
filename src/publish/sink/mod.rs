//! Publishing as a [`futures::Sink`]: backpressure, per-channel order,
//! retries in place, acknowledgments, and nothing lost on failure.
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
mod client_send;
mod core;
mod deliver;
mod error;
mod multi;
mod outgoing;
mod publisher;
mod rate_limit;
mod send;
mod single;
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
pub use multi::MultiPublishSink;
pub use outgoing::Outgoing;
pub use publisher::{
    default_retry_policy, AnyChannel, OneChannel, Publisher, DEFAULT_MAX_CHANNELS_IN_FLIGHT,
    DEFAULT_MAX_PENDING,
};
pub use single::PublishSink;
