//! Exact JSON bodies of the other presence endpoints (protocol.md §8.2).

use serde_json::{json, Map, Value};

use super::PresenceError;

/// Heartbeat success: `{"status":200,"message":"OK","service":"Presence"}`.
///
/// ```
/// assert_eq!(pubnub_devserver::presence::heartbeat_body()["service"], "Presence");
/// ```
pub fn heartbeat_body() -> Value {
    json!({"status": 200, "message": "OK", "service": "Presence"})
}

/// Leave success: `{"status":200,"message":"OK","action":"leave","service":"Presence"}`.
///
/// ```
/// assert_eq!(pubnub_devserver::presence::leave_body()["action"], "leave");
/// ```
pub fn leave_body() -> Value {
    json!({"status": 200, "message": "OK", "action": "leave", "service": "Presence"})
}

/// Where-now: `{"status":200,"message":"OK","payload":{"channels":[…]},"service":"Presence"}`.
///
/// ```
/// let body = pubnub_devserver::presence::where_now_body(&["ch1".to_owned()]);
/// assert_eq!(body["payload"]["channels"], serde_json::json!(["ch1"]));
/// ```
pub fn where_now_body(channels: &[String]) -> Value {
    json!({"status": 200, "message": "OK", "payload": {"channels": channels}, "service": "Presence"})
}

/// Set-state success: the state echoed as `payload`.
///
/// ```
/// use serde_json::json;
/// let body = pubnub_devserver::presence::set_state_body(&json!({"mood": "ok"}));
/// assert_eq!(body, json!({"status": 200, "message": "OK", "payload": {"mood": "ok"}, "service": "Presence"}));
/// ```
pub fn set_state_body(state: &Value) -> Value {
    json!({"status": 200, "message": "OK", "payload": state, "service": "Presence"})
}

/// Get-state for one channel: `payload` is the state (`{}` when none),
/// plus `uuid` and `channel`.
///
/// ```
/// let body = pubnub_devserver::presence::get_state_single_body("u", "ch", None);
/// assert_eq!(body["payload"], serde_json::json!({}));
/// assert_eq!(body["channel"], "ch");
/// ```
pub fn get_state_single_body(uuid: &str, channel: &str, state: Option<&Value>) -> Value {
    let payload = state.cloned().unwrap_or_else(|| json!({}));
    json!({
        "status": 200, "message": "OK", "payload": payload,
        "uuid": uuid, "channel": channel, "service": "Presence",
    })
}

/// Get-state for several channels (or groups): `payload.channels` maps each
/// channel with state to it, as returned by
/// [`PresenceRegistry::get_state`](super::PresenceRegistry::get_state).
///
/// ```
/// use serde_json::json;
/// let states = json!({"a": {"x": 1}});
/// let body = pubnub_devserver::presence::get_state_multi_body("u", states.as_object().unwrap());
/// assert_eq!(body["payload"]["channels"]["a"]["x"], 1);
/// assert_eq!(body["uuid"], "u");
/// ```
pub fn get_state_multi_body(uuid: &str, states: &Map<String, Value>) -> Value {
    json!({
        "status": 200, "message": "OK", "payload": {"channels": states},
        "uuid": uuid, "service": "Presence",
    })
}

/// The 400 body for a presence error:
/// `{"status":400,"error":1,"message":"Invalid JSON specified.","service":"Presence"}`.
///
/// ```
/// use pubnub_devserver::presence::{error_body, PresenceError};
/// assert_eq!(error_body(&PresenceError::StateNotObject)["status"], 400);
/// ```
pub fn error_body(err: &PresenceError) -> Value {
    json!({"status": 400, "error": 1, "message": err.to_string(), "service": "Presence"})
}
