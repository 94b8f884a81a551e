//! # pubnub-stream
//!
//! A PubNub client for async Rust: a subscription is a [`futures::Stream`] of
//! typed events, publishing is a [`futures::Sink`] of serializable messages.
#![warn(missing_docs)]

pub mod protocol;
pub mod subscribe;

pub use protocol::timetoken::{ParseTimetokenError, Timetoken};
mod retry;

pub use retry::RetryPolicy;
pub use subscribe::{
    DecodeError, Event, EventStreamExt, HasChannel, Message, PresenceAction, PresenceEvent, Status,
    StatusError, TypedMessage, UnknownEvent,
};
