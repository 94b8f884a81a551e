//! Subscribing: the [`Subscription`] stream, its events and statuses, the
//! combinators of [`EventStreamExt`], and the engine behind them.

mod builder;
mod client_api;
pub mod combinators;
pub(crate) mod decrypt;
pub(crate) mod engine;
pub(crate) mod envelope;
mod event;
mod ext;
mod listener;
mod presence_event;
mod registration;
mod status;
mod status_stream;
mod subscription;
mod validate;

pub use crate::message::{DecodeError, Message, TypedMessage};
pub use builder::{SubscribeBuilder, UnsubscribeBuilder, DEFAULT_BUFFER_SIZE};
pub use event::{Event, HasChannel, MalformedEvent, UnknownEvent};
pub use ext::EventStreamExt;
pub use listener::{ListenerId, SubscribeCallback};
pub use presence_event::{PresenceAction, PresenceEvent};
pub use status::Status;
pub use status_stream::StatusStream;
pub use subscription::{ConnectError, Subscription, Termination};

#[cfg(test)]
mod tests;
