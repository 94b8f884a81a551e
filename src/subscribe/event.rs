//! The item of a subscription stream.

use std::sync::Arc;

use serde_json::Value;

use super::{PresenceEvent, Status};
use crate::message::Message;
use crate::protocol::timetoken::Timetoken;

/// One item of a subscription stream.
///
/// ```
/// use pubnub_stream::{Event, Message};
///
/// fn describe(event: &Event) -> String {
///     match event {
///         Event::Message(m) => format!("{} said {} on {}", m.publisher.as_deref().unwrap_or("?"), m.payload, m.channel),
///         Event::Signal(s) => format!("signal {} on {}", s.payload, s.channel),
///         Event::Presence(p) => format!("{} on {}", p.action.name(), p.channel),
///         Event::Status(status) => format!("status: {}", status.category()),
///         Event::Unknown(u) => format!("unknown envelope {}", u.raw),
///         Event::Malformed(bad) => format!("malformed envelope {}: {}", bad.raw, bad.error()),
///         _ => "an object, message action or file event".to_owned(),
///     }
/// }
///
/// let mut hello = Message::new("chat", serde_json::json!("hello"));
/// hello.publisher = Some("alice".into());
/// assert_eq!(describe(&Event::Message(hello)), r#"alice said "hello" on chat"#);
/// let typing = Message::new("chat", serde_json::json!("typing"));
/// assert_eq!(describe(&Event::Signal(typing)), r#"signal "typing" on chat"#);
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
/// Made by the library only; a consumer reads it, e.g. to log what it skips:
///
/// ```
/// use pubnub_stream::UnknownEvent;
///
/// fn log_unknown(unknown: &UnknownEvent) {
///     let kind = unknown.raw.get("e"); // the envelope type this library does not know
///     eprintln!("skipping {kind:?} on {:?}: {}", unknown.channel, unknown.raw);
/// }
/// # let _ = log_unknown;
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
/// Made by the library only (e.g. for a payload with a lone surrogate
/// `"\ud83d"`); a consumer keeps or reports it:
///
/// ```
/// use pubnub_stream::MalformedEvent;
///
/// fn quarantine(bad: &MalformedEvent, dead_letters: &mut Vec<String>) {
///     eprintln!("unparsable envelope on {:?}: {}", bad.channel, bad.error());
///     dead_letters.push(bad.raw.clone()); // the exact text the server sent
/// }
/// # let _ = quarantine;
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
    /// use pubnub_stream::MalformedEvent;
    ///
    /// // e.g. "number out of range at line 1 column 40" for a payload `1e400`
    /// fn reason(bad: &MalformedEvent) -> String {
    ///     bad.error().to_string()
    /// }
    /// # let _ = reason;
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
