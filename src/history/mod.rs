//! Message Persistence: stored messages read back.
//!
//! - [`PubNub::fetch_messages`](crate::PubNub::fetch_messages): one page
//!   from one or several channels ([`FetchMessagesBuilder`] →
//!   [`FetchedMessages`]).
//! - [`PubNub::history`](crate::PubNub::history): a channel's messages as a
//!   [`Stream`](futures::Stream) across pages, requested as consumed
//!   ([`History`]).
//! - [`PubNub::message_counts`](crate::PubNub::message_counts): counts per
//!   channel since a timetoken ([`MessageCountsBuilder`]).
//! - [`PubNub::delete_messages`](crate::PubNub::delete_messages): deletes a
//!   time range of a channel; needs the secret key ([`DeleteMessagesBuilder`]).
//!
//! Each stored message is a [`HistoryMessage`]: the [`Message`](crate::Message)
//! a subscriber would have received plus its [`MessageType`]; payloads decode
//! with `decode::<T>()` / `into_typed::<T>()` like live messages.

mod counts;
mod delete;
mod fetch;
pub(crate) mod message;
pub(crate) mod query;
mod stream;
mod wire;

pub use counts::MessageCountsBuilder;
pub use delete::DeleteMessagesBuilder;
pub use fetch::{FetchMessagesBuilder, FetchedMessages};
pub use message::{HistoryMessage, MessageType};
pub use query::{MAX_CHANNELS, MAX_PER_CHANNEL, MAX_PER_CHANNEL_MULTI};
pub use stream::{Direction, History};
