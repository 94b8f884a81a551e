//! The item of a subscription stream.

use std::sync::Arc;

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
    /// An envelope that is not valid JSON for this parser (a lone surrogate
    /// `"\ud83d"`, a number out of range such as `1e400`, nesting deeper than
    /// 128 levels): kept as raw text with the parse error. The rest of the
    /// response is delivered and the subscription moves on.
    Malformed(MalformedEvent),
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

/// An envelope of a subscribe response that could not be parsed.
///
/// The server accepted the message, so it is delivered, not dropped: the
/// channel, subscription and timetoken are recovered when the envelope's
/// own fields are readable, and the exact bytes are kept in [`raw`](Self::raw).
///
/// ```
/// # use pubnub_stream::{Event, protocol::envelope::parse_subscribe_response};
/// let body = br#"{"t":{"t":"17","r":1},"m":[
///     {"p":{"t":"15","r":1},"c":"chat","d":"\ud83d"},
///     {"p":{"t":"16","r":1},"c":"chat","d":"fine"}]}"#;
/// let events = parse_subscribe_response(body).unwrap().events;
/// let Event::Malformed(bad) = &events[0] else { unreachable!() };
/// assert_eq!(bad.channel.as_deref(), Some("chat"));
/// assert!(bad.raw.contains(r"\ud83d"));
/// assert!(bad.error().to_string().contains("hex escape"));
/// assert!(matches!(&events[1], Event::Message(m) if m.payload == "fine"));
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct MalformedEvent {
    /// The channel (`c`), when it could be read.
    pub channel: Option<String>,
    /// What the subscription matched (`b`, else `c`), when it could be read.
    pub subscription: Option<String>,
    /// The publish timetoken (`p.t`), when it could be read.
    pub timetoken: Option<Timetoken>,
    /// The envelope exactly as received (JSON text).
    pub raw: String,
    error: Arc<serde_json::Error>,
}

impl MalformedEvent {
    pub(crate) fn new(
        channel: Option<String>,
        subscription: Option<String>,
        timetoken: Option<Timetoken>,
        raw: String,
        error: serde_json::Error,
    ) -> Self {
        MalformedEvent {
            channel,
            subscription,
            timetoken,
            raw,
            error: Arc::new(error),
        }
    }

    /// Why the envelope could not be parsed.
    ///
    /// ```
    /// # use pubnub_stream::{Event, protocol::envelope::parse_subscribe_response};
    /// let body = br#"{"t":{"t":"17","r":1},"m":[{"p":{"t":"15"},"c":"a","d":1e400}]}"#;
    /// let Event::Malformed(bad) = &parse_subscribe_response(body).unwrap().events[0] else { unreachable!() };
    /// assert!(bad.error().to_string().contains("out of range"));
    /// ```
    pub fn error(&self) -> &serde_json::Error {
        &self.error
    }
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
            Event::Malformed(m) => m.channel.as_deref(),
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
            Event::Malformed(m) => m.subscription.as_deref(),
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
