//! # pubnub-stream
//!
//! A PubNub client for async Rust: a subscription is a [`futures::Stream`] of
//! typed events, publishing is a [`futures::Sink`] of serializable messages.
//!
//! ```no_run
//! use pubnub_stream::PubNub;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let pubnub = PubNub::builder()
//!     .subscribe_key("demo")
//!     .publish_key("demo")
//!     .user_id("alice")
//!     .origin("127.0.0.1:8090")
//!     .secure(false)
//!     .build()?;
//! let _ = &pubnub;
//! # Ok(())
//! # }
//! ```
#![warn(missing_docs)]

mod client;
pub mod config;
pub mod error;
pub mod protocol;
mod retry;
pub mod subscribe;
pub(crate) mod transport;

pub use client::PubNub;
pub use config::{Config, PubNubBuilder};
pub use error::{ConfigError, PublishError, RequestError, RequestErrorKind};
pub use protocol::timetoken::{ParseTimetokenError, Timetoken};
pub use retry::RetryPolicy;
pub use subscribe::{
    DecodeError, Event, EventStreamExt, HasChannel, Message, PresenceAction, PresenceEvent, Status,
    StatusError, Subscription, TypedMessage, UnknownEvent,
};
