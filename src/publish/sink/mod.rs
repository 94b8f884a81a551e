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
// Phase 1: the core is wired to the client in the next step.
#![cfg_attr(not(test), allow(dead_code))]

mod ack;
mod channel_queue;
mod core;
mod deliver;
mod error;
mod rate_limit;
mod send;
mod worker;

#[cfg(test)]
mod testing;
#[cfg(test)]
mod tests_core;
#[cfg(test)]
mod tests_prop;

pub use ack::{Ack, Acks};
pub use error::PublishSinkError;
