//! # pubnub-stream
//!
//! A PubNub client for async Rust: a subscription is a [`futures::Stream`] of
//! typed events, publishing is a [`futures::Sink`] of serializable messages.
//!
//! ```
//! use pubnub_stream::PubNub;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let server = pubnub_devserver::DevServer::builder().start().await?;
//! # let origin = server.origin();
//! // e.g. a local `pubnub-devserver --port 8090`: origin = "127.0.0.1:8090"
//! let pubnub = PubNub::builder()
//!     .subscribe_key("demo")
//!     .publish_key("demo")
//!     .user_id("alice")
//!     .origin(origin)
//!     .secure(false)
//!     .build()?;
//! let sent = pubnub.publish().channel("chat").message(&"hello").await?;
//! println!("published at {}", sent.timetoken);
//! # Ok(())
//! # }
//! ```
#![warn(missing_docs)]

#[doc(hidden)]
#[path = "bench_support.rs"]
pub mod __bench;
pub mod channel_groups;
mod client;
pub mod config;
pub mod error;
pub mod presence;
pub mod protocol;
pub mod publish;
mod retry;
pub mod subscribe;
#[cfg(test)]
mod test_support;
mod time;
pub(crate) mod transport;

pub use channel_groups::{
    DeleteChannelGroupBuilder, EditChannelGroupBuilder, ListChannelGroupsBuilder,
    ListChannelsBuilder,
};
pub use client::PubNub;
pub use config::{Config, PubNubBuilder};
pub use error::{ConfigError, PublishError, RequestError, RequestErrorKind};
pub use presence::{
    ChannelOccupancy, GetStateBuilder, HeartbeatBuilder, HereNowBuilder, HereNowResult,
    LeaveBuilder, Occupant, SetStateBuilder, WhereNowBuilder,
};
pub use protocol::timetoken::{ParseTimetokenError, Timetoken};
pub use publish::sink::{
    Ack, MultiPublishSink, Outgoing, PublishSink, PublishSinkError, Publisher,
};
pub use publish::{PublishBuilder, PublishResult, SignalBuilder};
pub use retry::RetryPolicy;
pub use subscribe::{
    ConnectError, DecodeError, Event, EventStreamExt, HasChannel, MalformedEvent, Message,
    PresenceAction, PresenceEvent, Status, StatusError, Subscription, Termination, TypedMessage,
    UnknownEvent,
};

/// The README's examples, compiled as doctests so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
