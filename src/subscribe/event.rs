//! The item of a subscription stream.

use serde_json::Value;

use super::{Message, PresenceEvent, Status};
use crate::Timetoken;

/// One item of a subscription stream.
///
/// ```
/// # use pubnub_stream::{Event, protocol::envelope::parse_subscribe_response};
/// let body = br#"{"t":{"t":"17","r":1},"m":[
///     {"p":{"t":"15","r":1},"c":"chat","d":"hello"},
///     {"p":{"t":"16","r":1},"c":"chat","d":"typing","e":1}]}"#;
/// let events = parse_subscribe_response(body).unwrap().events;
/// assert!(matches!(&events[0], Event::Message(m) if m.payload == "hello"));
/// assert!(matches!(&events[1], Event::Signal(s) if s.payload == "typing"));
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Event {
    /// A published message (`e` absent or 0).
    Message(Message),
    /// A signal (`e` = 1): small, never stored.
    Signal(Message),
    /// A presence event (on `<channel>-pnpres`).
    Presence(PresenceEvent),
    /// A change of the connection, or of this subscription's buffer.
    Status(Status),
    /// An App Context (objects) event (`e` = 2); the payload is the raw event.
    Object(Message),
    /// A message action added or removed (`e` = 3); the payload is the raw event.
    MessageAction(Message),
    /// A file shared on the channel (`e` = 4); the payload holds `message` and `file`.
    File(Message),
    /// An envelope this library does not understand, kept raw so nothing is lost.
    Unknown(UnknownEvent),
}

/// An envelope of an unknown type, or one missing required fields.
///
/// ```
/// # use pubnub_stream::{Event, protocol::envelope::parse_subscribe_response};
/// let body = br#"{"t":{"t":"17","r":1},"m":[{"p":{"t":"17","r":1},"c":"chat","d":1,"e":99}]}"#;
/// let Event::Unknown(unknown) = parse_subscribe_response(body).unwrap().events.remove(0) else { unreachable!() };
/// assert_eq!(unknown.channel.as_deref(), Some("chat"));
/// assert_eq!(unknown.raw["e"], 99);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct UnknownEvent {
    /// The channel (`c`), when present.
    pub channel: Option<String>,
    /// What the subscription matched (`b`, else `c`), when present.
    pub subscription: Option<String>,
    /// The publish timetoken (`p.t`), when present.
    pub timetoken: Option<Timetoken>,
    /// The whole envelope as received.
    pub raw: Value,
}

/// Items that belong to a channel and a subscription; [`on_channel`] and
/// [`on_subscription`] work on streams of any such item.
///
/// [`on_channel`]: crate::EventStreamExt::on_channel
/// [`on_subscription`]: crate::EventStreamExt::on_subscription
///
/// ```
/// use pubnub_stream::{Event, HasChannel, Status};
/// let status = Event::Status(Status::Lagged { missed: 1 });
/// assert_eq!(status.channel(), None);
/// ```
pub trait HasChannel {
    /// The channel the item was published on, if it has one.
    fn channel(&self) -> Option<&str>;
    /// What the subscription matched (channel, group or wildcard pattern), if any.
    fn subscription(&self) -> Option<&str>;
}

impl HasChannel for Message {
    fn channel(&self) -> Option<&str> {
        Some(&self.channel)
    }
    fn subscription(&self) -> Option<&str> {
        Some(&self.subscription)
    }
}

impl HasChannel for PresenceEvent {
    fn channel(&self) -> Option<&str> {
        Some(&self.channel)
    }
    fn subscription(&self) -> Option<&str> {
        Some(&self.subscription)
    }
}

impl<T> HasChannel for super::TypedMessage<T> {
    fn channel(&self) -> Option<&str> {
        Some(&self.channel)
    }
    fn subscription(&self) -> Option<&str> {
        Some(&self.subscription)
    }
}

impl HasChannel for Event {
    fn channel(&self) -> Option<&str> {
        match self {
            Event::Message(m)
            | Event::Signal(m)
            | Event::Object(m)
            | Event::MessageAction(m)
            | Event::File(m) => m.channel(),
            Event::Presence(p) => p.channel(),
            Event::Status(_) => None,
            Event::Unknown(u) => u.channel.as_deref(),
        }
    }

    fn subscription(&self) -> Option<&str> {
        match self {
            Event::Message(m)
            | Event::Signal(m)
            | Event::Object(m)
            | Event::MessageAction(m)
            | Event::File(m) => m.subscription(),
            Event::Presence(p) => p.subscription(),
            Event::Status(_) => None,
            Event::Unknown(u) => u.subscription.as_deref(),
        }
    }
}

impl HasChannel for super::DecodeError {
    fn channel(&self) -> Option<&str> {
        self.message().channel()
    }
    fn subscription(&self) -> Option<&str> {
        self.message().subscription()
    }
}

/// So that `typed()` output (`Result<TypedMessage<T>, DecodeError>`) filters by channel too.
impl<T: HasChannel, E: HasChannel> HasChannel for Result<T, E> {
    fn channel(&self) -> Option<&str> {
        match self {
            Ok(item) => item.channel(),
            Err(error) => error.channel(),
        }
    }
    fn subscription(&self) -> Option<&str> {
        match self {
            Ok(item) => item.subscription(),
            Err(error) => error.subscription(),
        }
    }
}
