//! Exact JSON bodies of the other presence endpoints (protocol.md §8.2).

use serde_json::{json, Map, Value};

use super::PresenceError;

/// Heartbeat success: `{"status":200,"message":"OK","service":"Presence"}`.
pub(crate) fn heartbeat_body() -> Value {
    json!({"status": 200, "message": "OK", "service": "Presence"})
}

/// Leave success: `{"status":200,"message":"OK","action":"leave","service":"Presence"}`.
pub(crate) fn leave_body() -> Value {
    json!({"status": 200, "message": "OK", "action": "leave", "service": "Presence"})
}

/// Where-now: `{"status":200,"message":"OK","payload":{"channels":[…]},"service":"Presence"}`.
pub(crate) fn where_now_body(channels: &[String]) -> Value {
    json!({"status": 200, "message": "OK", "payload": {"channels": channels}, "service": "Presence"})
}

/// Set-state success: the state echoed as `payload`.
pub(crate) fn set_state_body(state: &Value) -> Value {
    json!({"status": 200, "message": "OK", "payload": state, "service": "Presence"})
}

/// Get-state for one channel: `payload` is the state (`{}` when none),
/// plus `uuid` and `channel`.
pub(crate) fn get_state_single_body(uuid: &str, channel: &str, state: Option<&Value>) -> Value {
    let payload = state.cloned().unwrap_or_else(|| json!({}));
    json!({
        "status": 200, "message": "OK", "payload": payload,
        "uuid": uuid, "channel": channel, "service": "Presence",
    })
}

/// Get-state for several channels (or groups): `payload.channels` maps each
/// channel with state to it, as returned by
/// [`PresenceRegistry::get_state`](super::PresenceRegistry::get_state).
pub(crate) fn get_state_multi_body(uuid: &str, states: &Map<String, Value>) -> Value {
    json!({
        "status": 200, "message": "OK", "payload": {"channels": states},
        "uuid": uuid, "service": "Presence",
    })
}

/// The 400 body for a presence error:
/// `{"status":400,"error":1,"message":"Invalid JSON specified.","service":"Presence"}`.
pub(crate) fn error_body(err: &PresenceError) -> Value {
    json!({"status": 400, "error": 1, "message": err.to_string(), "service": "Presence"})
}
