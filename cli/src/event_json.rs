//! The JSON line `pn sub` prints for each event, with stable field names.
//!
//! Every line has `kind`, `channel`, `subscription` and `timetoken` (a
//! string: timetokens do not fit a JSON double). Then, by kind:
//!
//! - `message`, `signal`, `object`, `message-action`, `file`: `publisher`,
//!   `payload`, `meta`, `type` (the custom message type), `sequence`,
//!   `decrypt_error` (with a cipher key: why the payload, left as it came,
//!   did not decrypt);
//! - `presence`: `action` (`join`, `leave`, `timeout`, `state-change`,
//!   `interval`, ...), `uuid`, `occupancy`, `timestamp`, `state`, and for
//!   `interval` also `joined`, `left`, `timed_out`, `here_now_refresh`;
//! - `unknown` (a kind this version does not know): `raw`, the envelope;
//! - `malformed` (an envelope that did not parse): `raw` (its text) and `error`.
//!
//! Absent values are `null`, never left out.

use pubnub_stream::{Event, Message, PresenceAction, PresenceEvent, Status};
use serde::Serialize;
use serde_json::{json, Value};

/// The line for `event`, or `None` for a status (those go to stderr).
pub(crate) fn event_json(event: &Event) -> Option<String> {
    Some(match event {
        Event::Message(m) => message_json("message", m),
        Event::Signal(m) => message_json("signal", m),
        Event::Object(m) => message_json("object", m),
        Event::MessageAction(m) => message_json("message-action", m),
        Event::File(m) => message_json("file", m),
        Event::Presence(p) => presence_json(p),
        Event::Unknown(u) => to_line(json!({
            "kind": "unknown",
            "channel": u.channel,
            "subscription": u.subscription,
            "timetoken": u.timetoken.map(|t| t.to_string()),
            "raw": u.raw,
        })),
        Event::Malformed(m) => to_line(json!({
            "kind": "malformed",
            "channel": m.channel,
            "subscription": m.subscription,
            "timetoken": m.timetoken.map(|t| t.to_string()),
            "raw": m.raw,
            "error": m.error().to_string(),
        })),
        Event::Status(_) => return None,
        // A kind added to the library later: say so rather than drop it.
        _ => to_line(
            json!({ "kind": "unknown", "channel": null, "subscription": null,
                             "timetoken": null, "raw": null }),
        ),
    })
}

/// True for the kinds `--typed-only` keeps: every kind `pn` knows the shape
/// of (not `unknown` nor `malformed`).
pub(crate) fn is_typed(event: &Event) -> bool {
    !matches!(event, Event::Unknown(_) | Event::Malformed(_))
}

/// True for the events `--count` counts: messages and signals.
pub(crate) fn is_message(event: &Event) -> bool {
    matches!(event, Event::Message(_) | Event::Signal(_))
}

/// The stderr line for a status: `status Connected: chat, news`.
pub(crate) fn status_line(status: &Status) -> String {
    let names = |channels: &[String], groups: &[String]| {
        let mut names: Vec<String> = channels.to_vec();
        names.extend(groups.iter().map(|g| format!("group {g}")));
        names.join(", ")
    };
    let detail = match status {
        Status::Connected { channels, groups }
        | Status::Reconnected { channels, groups }
        | Status::Acknowledgment { channels, groups } => names(channels, groups),
        Status::Lagged { missed } => {
            format!("{missed} event(s) dropped: this reader was too slow")
        }
        Status::PossibleGap { channels, from, to } => format!(
            "messages between {from} and {to} may be missing on {}",
            channels.join(", ")
        ),
        other => other.error().map(|e| e.to_string()).unwrap_or_default(),
    };
    if detail.is_empty() {
        format!("status {}", status.category())
    } else {
        format!("status {}: {detail}", status.category())
    }
}

/// A message-like line, fields in this order.
#[derive(Serialize)]
struct MessageLine<'a> {
    kind: &'a str,
    channel: &'a str,
    subscription: &'a str,
    timetoken: String,
    publisher: Option<&'a str>,
    payload: &'a Value,
    meta: Option<&'a Value>,
    #[serde(rename = "type")]
    message_type: Option<&'a str>,
    sequence: Option<u64>,
    decrypt_error: Option<String>,
}

fn message_json(kind: &str, m: &Message) -> String {
    to_line(MessageLine {
        kind,
        channel: &m.channel,
        subscription: &m.subscription,
        timetoken: m.timetoken.to_string(),
        publisher: m.publisher.as_deref(),
        payload: &m.payload,
        meta: m.user_metadata.as_ref(),
        message_type: m.custom_message_type.as_deref(),
        sequence: m.sequence,
        decrypt_error: m.decrypt_error.as_ref().map(ToString::to_string),
    })
}

/// A presence line, fields in this order; the interval lists only for `interval`.
#[derive(Serialize)]
struct PresenceLine<'a> {
    kind: &'a str,
    channel: &'a str,
    subscription: &'a str,
    timetoken: String,
    action: &'a str,
    uuid: Option<&'a str>,
    occupancy: u64,
    timestamp: u64,
    state: Option<&'a Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    joined: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    left: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    timed_out: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    here_now_refresh: Option<bool>,
}

fn presence_json(p: &PresenceEvent) -> String {
    let mut line = PresenceLine {
        kind: "presence",
        channel: &p.channel,
        subscription: &p.subscription,
        timetoken: p.timetoken.to_string(),
        action: p.action.name(),
        uuid: p.uuid(),
        occupancy: p.occupancy,
        timestamp: p.timestamp,
        state: p.state(),
        joined: None,
        left: None,
        timed_out: None,
        here_now_refresh: None,
    };
    if let PresenceAction::Interval {
        joined,
        left,
        timed_out,
        here_now_refresh,
    } = &p.action
    {
        line.joined = Some(joined);
        line.left = Some(left);
        line.timed_out = Some(timed_out);
        line.here_now_refresh = Some(*here_now_refresh);
    }
    to_line(line)
}

/// A line's text, fields in declaration order; these values always
/// serialize (no maps with non-string keys, no failing `Serialize`).
fn to_line(line: impl Serialize) -> String {
    serde_json::to_string(&line)
        .unwrap_or_else(|e| format!("{{\"kind\":\"unprintable\",\"error\":{:?}}}", e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_line_has_every_field_even_when_absent() {
        let line = event_json(&Event::Message(Message::new("chat", json!({"n": 1}))));
        let text = line.expect("a message is printed");
        assert!(
            text.starts_with(r#"{"kind":"message","channel":"chat","#),
            "{text}"
        );
        let line: Value = serde_json::from_str(&text).expect("a JSON line");
        for field in [
            "kind",
            "channel",
            "subscription",
            "timetoken",
            "publisher",
            "payload",
            "meta",
            "type",
            "sequence",
            "decrypt_error",
        ] {
            assert!(line.get(field).is_some(), "{field} missing in {line}");
        }
        assert_eq!(line["kind"], "message");
        assert_eq!(line["timetoken"], "0");
        assert_eq!(line["payload"], json!({"n": 1}));
    }

    #[test]
    fn an_interval_lists_who_came_and_went() {
        let action = PresenceAction::Interval {
            joined: vec!["a".into()],
            left: vec![],
            timed_out: vec!["b".into()],
            here_now_refresh: false,
        };
        let line = presence_json(&PresenceEvent::new("room", action));
        let line: Value = serde_json::from_str(&line).expect("a JSON line");
        assert_eq!(line["action"], "interval");
        assert_eq!(line["uuid"], Value::Null);
        assert_eq!(line["joined"], json!(["a"]));
        assert_eq!(line["timed_out"], json!(["b"]));
    }
}
