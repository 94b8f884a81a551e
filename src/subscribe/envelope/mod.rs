//! The subscribe v2 response (protocol.md §7.3) and its parsing into [`Event`]s.
//!
//! Parsing is permissive, as the official SDKs are: `b` falls back to `c`; a
//! missing `e` means a message, or a presence event when `c` ends with
//! `-pnpres`; `e` may be an integer or a string. An envelope that cannot be
//! understood becomes [`Event::Unknown`] (kept raw), never an error and never
//! a panic. Only a body without a usable cursor (`t`) is an error.
//!
//! Each element of `m` is parsed on its own: the response is first split
//! into raw elements (a scan that accepts any JSON the server stores, with no
//! depth limit), then each element is parsed. An element `serde_json` refuses
//! (a lone surrogate, `1e400`, a 400-digit integer, nesting deeper than 128)
//! becomes [`Event::Malformed`] with its raw text, and the others flow: one
//! poison message never fails the whole response.

use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use self::wire::WireEnvelope;
use super::{Event, MalformedEvent, PresenceAction, PresenceEvent, UnknownEvent};
use crate::message::Message;
use crate::protocol::channel::PRESENCE_SUFFIX;
use crate::protocol::timetoken::Timetoken;

mod wire;

#[cfg(test)]
mod tests;

/// A position in the subscribe stream: timetoken plus region (`t.t`, `t.r`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub(crate) struct Cursor {
    /// The timetoken to send back as `tt`.
    pub(crate) timetoken: Timetoken,
    /// The region to send back as `tr`.
    pub(crate) region: u32,
}

/// A parsed subscribe response: the next cursor and the events, in order.
#[derive(Debug, Clone)]
pub(crate) struct SubscribeResponse {
    /// Where the next long-poll continues from.
    pub(crate) cursor: Cursor,
    /// The delivered events, in server order.
    pub(crate) events: Vec<Event>,
}

/// The body was not a subscribe response (no JSON object with a cursor).
#[derive(Debug, thiserror::Error)]
#[error("invalid subscribe response: {source}")]
pub(crate) struct EnvelopeError {
    #[from]
    source: serde_json::Error,
}

#[derive(Deserialize)]
struct WireResponse<'a> {
    t: WireCursor,
    #[serde(default, borrow)]
    m: Vec<&'a RawValue>,
}

/// The names of an envelope that failed to parse, read while skipping every
/// other field (skipping accepts any JSON the server stores).
#[derive(Deserialize)]
struct Header {
    c: Option<String>,
    b: Option<String>,
    p: Option<HeaderPublish>,
}

#[derive(Deserialize)]
struct HeaderPublish {
    t: Option<Timetoken>,
}

#[derive(Deserialize)]
struct WireCursor {
    t: Timetoken,
    #[serde(default, deserialize_with = "lenient_region")]
    r: u32,
}

fn lenient_region<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let value = Value::deserialize(d)?;
    Ok(as_u64(&value)
        .and_then(|r| u32::try_from(r).ok())
        .unwrap_or(0))
}

/// Parses a subscribe response body. Never panics, whatever the input.
pub(crate) fn parse_subscribe_response(body: &[u8]) -> Result<SubscribeResponse, EnvelopeError> {
    let wire: WireResponse<'_> = serde_json::from_slice(body)?;
    Ok(SubscribeResponse {
        cursor: Cursor {
            timetoken: wire.t.t,
            region: wire.t.r,
        },
        events: wire.m.into_iter().map(parse_raw_envelope).collect(),
    })
}

/// One raw element of `m`: its event, or [`Event::Malformed`] when
/// `serde_json` refuses it.
fn parse_raw_envelope(raw: &RawValue) -> Event {
    match serde_json::from_str::<WireEnvelope>(raw.get()) {
        Ok(envelope) => envelope.into_event(),
        Err(error) => {
            let header = serde_json::from_str::<Header>(raw.get()).ok();
            let (channel, subscription, timetoken) = match header {
                Some(h) => {
                    let subscription = h.b.or_else(|| h.c.clone());
                    (h.c, subscription, h.p.and_then(|p| p.t))
                }
                None => (None, None, None),
            };
            tracing::warn!(
                channel = channel.as_deref().unwrap_or("?"),
                %error,
                "pubnub subscribe: delivering an envelope that could not be parsed as Event::Malformed"
            );
            Event::Malformed(MalformedEvent::new(
                channel,
                subscription,
                timetoken,
                raw.get().to_owned(),
                error,
            ))
        }
    }
}

/// Turns one element of `m` into an [`Event`].
pub(crate) fn parse_envelope(value: Value) -> Event {
    let Value::Object(mut map) = value else {
        return unknown(None, None, None, value);
    };
    let channel = str_field(&map, "c");
    let subscription = str_field(&map, "b").or_else(|| channel.clone());
    let publish = map.get("p");
    let timetoken = publish
        .and_then(|p| p.get("t"))
        .and_then(|t| Timetoken::deserialize(t).ok());
    let region = publish
        .and_then(|p| p.get("r"))
        .and_then(as_u64)
        .and_then(|r| u32::try_from(r).ok())
        .unwrap_or(0);
    let kind = match map.get("e") {
        None | Some(Value::Null) => None,
        Some(e) => match as_u64(e) {
            Some(kind) => Some(kind),
            None => return unknown(channel, subscription, timetoken, Value::Object(map)),
        },
    };
    let (Some(channel), Some(subscription), Some(timetoken)) = (channel, subscription, timetoken)
    else {
        let (c, b) = (str_field(&map, "c"), str_field(&map, "b"));
        return unknown(c.clone(), b.or(c), timetoken, Value::Object(map));
    };
    let is_presence_channel = channel.ends_with(PRESENCE_SUFFIX);
    match kind {
        None if is_presence_channel => {
            match parse_presence(&map, &channel, &subscription, timetoken) {
                Some(event) => Event::Presence(event),
                None => unknown(
                    Some(channel),
                    Some(subscription),
                    Some(timetoken),
                    Value::Object(map),
                ),
            }
        }
        None | Some(0..=4) => {
            let kind = kind.unwrap_or(0);
            let message = message(&mut map, channel, subscription, timetoken, region);
            message_event(kind, message)
        }
        Some(_) => unknown(
            Some(channel),
            Some(subscription),
            Some(timetoken),
            Value::Object(map),
        ),
    }
}

/// The event a message-shaped envelope of type `e` = `kind` (0..=4) is;
/// both envelope parsers use it.
fn message_event(kind: u64, message: Message) -> Event {
    match kind {
        1 => Event::Signal(message),
        2 => Event::Object(message),
        3 => Event::MessageAction(message),
        4 => Event::File(message),
        _ => Event::Message(message),
    }
}

fn message(
    map: &mut Map<String, Value>,
    channel: String,
    subscription: String,
    timetoken: Timetoken,
    region: u32,
) -> Message {
    Message {
        publisher: str_field(map, "i"),
        payload: map.remove("d").unwrap_or(Value::Null),
        user_metadata: map.remove("u").filter(|u| !u.is_null()),
        custom_message_type: str_field(map, "cmt"),
        sequence: map.get("s").and_then(as_u64),
        decrypt_error: None,
        channel,
        subscription,
        timetoken,
        region,
    }
}

fn parse_presence(
    map: &Map<String, Value>,
    channel: &str,
    subscription: &str,
    timetoken: Timetoken,
) -> Option<PresenceEvent> {
    let d = map.get("d")?.as_object()?;
    let action_name = d.get("action")?.as_str()?;
    let uuid = || str_field(d, "uuid");
    let list = |key: &str| -> Vec<String> {
        d.get(key)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let data = || d.get("data").filter(|v| !v.is_null()).cloned();
    let action = match action_name {
        "join" => PresenceAction::Join {
            uuid: uuid()?,
            state: data(),
        },
        "leave" => PresenceAction::Leave { uuid: uuid()? },
        "timeout" => PresenceAction::Timeout { uuid: uuid()? },
        "state-change" => PresenceAction::StateChange {
            uuid: uuid()?,
            state: data().unwrap_or(Value::Null),
        },
        "interval" => PresenceAction::Interval {
            joined: list("join"),
            left: list("leave"),
            timed_out: list("timeout"),
            here_now_refresh: d
                .get("here_now_refresh")
                .is_some_and(|v| v.as_bool() == Some(true) || v.as_str() == Some("true")),
        },
        other => PresenceAction::Other {
            action: other.to_owned(),
            raw: Value::Object(d.clone()),
        },
    };
    Some(PresenceEvent {
        channel: strip_presence(channel).to_owned(),
        subscription: strip_presence(subscription).to_owned(),
        timetoken,
        timestamp: d.get("timestamp").and_then(as_u64).unwrap_or(0),
        occupancy: d.get("occupancy").and_then(as_u64).unwrap_or(0),
        action,
    })
}

/// `name` without a trailing `-pnpres`.
fn strip_presence(name: &str) -> &str {
    name.strip_suffix(PRESENCE_SUFFIX).unwrap_or(name)
}

fn unknown(
    channel: Option<String>,
    subscription: Option<String>,
    timetoken: Option<Timetoken>,
    raw: Value,
) -> Event {
    Event::Unknown(UnknownEvent {
        channel,
        subscription,
        timetoken,
        raw,
    })
}

fn str_field(map: &Map<String, Value>, key: &str) -> Option<String> {
    map.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// A non-negative integer given as a JSON number or a decimal string.
fn as_u64(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}
