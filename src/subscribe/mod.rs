//! Subscribing: events, statuses, combinators and the subscribe engine.

pub mod combinators;
mod event;
mod ext;
mod message;
mod presence_event;
mod status;

pub use event::{Event, HasChannel, UnknownEvent};
pub use ext::EventStreamExt;
pub use message::{DecodeError, Message, TypedMessage};
pub use presence_event::{PresenceAction, PresenceEvent};
pub use status::{Status, StatusError};

#[cfg(test)]
mod tests;
