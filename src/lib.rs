//! # pubnub-stream
//!
//! A PubNub client for async Rust: a subscription is a [`futures::Stream`] of
//! typed events, publishing is a [`futures::Sink`] of serializable messages.
#![warn(missing_docs)]

pub mod protocol;
/// Publishing: the one-shot builder and the [`futures::Sink`].
pub mod publish;

pub use protocol::timetoken::{ParseTimetokenError, Timetoken};
mod retry;

pub use retry::RetryPolicy;
