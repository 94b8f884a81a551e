//! Presence event JSON (protocol.md §8.1).

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

/// One presence event to publish on `<channel>-pnpres`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PresenceOutput {
    /// The base channel (without `-pnpres`).
    pub channel: String,
    /// The event body, exactly as delivered in the envelope's `d`.
    pub event: Value,
}

impl PresenceOutput {
    /// The channel to publish on: `<channel>-pnpres`.
    #[cfg(test)]
    pub(crate) fn presence_channel(&self) -> String {
        format!("{}{}", self.channel, super::PRESENCE_SUFFIX)
    }

    /// The event's `action` (`join`, `leave`, `timeout`, `state-change`, `interval`).
    #[cfg(test)]
    pub(crate) fn action(&self) -> Option<&str> {
        self.event.get("action").and_then(Value::as_str)
    }
}

/// Individual actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    Join,
    Leave,
    Timeout,
    StateChange,
}

impl Action {
    fn as_str(self) -> &'static str {
        match self {
            Action::Join => "join",
            Action::Leave => "leave",
            Action::Timeout => "timeout",
            Action::StateChange => "state-change",
        }
    }
}

/// A membership change remembered for the next `interval` event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Change {
    Joined,
    Left,
    TimedOut,
}

/// `join` / `leave` / `timeout` / `state-change`, with `data` when given.
pub(crate) fn individual(
    channel: &str,
    action: Action,
    unix_secs: u64,
    uuid: &str,
    occupancy: usize,
    data: Option<&Map<String, Value>>,
) -> PresenceOutput {
    let mut event = json!({
        "action": action.as_str(),
        "timestamp": unix_secs,
        "uuid": uuid,
        "occupancy": occupancy,
    });
    if let (Some(data), Some(obj)) = (data, event.as_object_mut()) {
        obj.insert("data".to_owned(), Value::Object(data.clone()));
    }
    PresenceOutput {
        channel: channel.to_owned(),
        event,
    }
}

/// An `interval` event. With `deltas`, non-empty `join` / `leave` /
/// `timeout` arrays are included, or `here_now_refresh: true` when the
/// arrays' JSON (each array serialized, summed) exceeds `max_delta_bytes`.
pub(crate) fn interval(
    channel: &str,
    unix_secs: u64,
    occupancy: usize,
    pending: &BTreeMap<String, Change>,
    deltas: bool,
    max_delta_bytes: usize,
) -> PresenceOutput {
    let mut obj = Map::new();
    obj.insert("action".to_owned(), json!("interval"));
    obj.insert("timestamp".to_owned(), json!(unix_secs));
    obj.insert("occupancy".to_owned(), json!(occupancy));
    if deltas {
        let list = |want: Change| -> Vec<&str> {
            pending
                .iter()
                .filter(|(_, c)| **c == want)
                .map(|(u, _)| u.as_str())
                .collect()
        };
        let arrays: Vec<(&str, Vec<&str>)> = [
            ("join", list(Change::Joined)),
            ("leave", list(Change::Left)),
            ("timeout", list(Change::TimedOut)),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect();
        let size: usize = arrays.iter().map(|(_, v)| json!(v).to_string().len()).sum();
        if size > max_delta_bytes {
            obj.insert("here_now_refresh".to_owned(), json!(true));
        } else {
            for (key, uuids) in arrays {
                obj.insert(key.to_owned(), json!(uuids));
            }
        }
    }
    PresenceOutput {
        channel: channel.to_owned(),
        event: Value::Object(obj),
    }
}
