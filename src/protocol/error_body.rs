//! Permissive parsing of every PubNub error body shape (protocol §4).

use serde_json::Value;

/// What an error body says; every field is optional because shapes differ.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ErrorBody {
    /// `status` from the body, when it carries one.
    pub status: Option<u16>,
    /// The server's message.
    pub message: Option<String>,
    /// Channels from a PAM `payload`.
    pub channels: Vec<String>,
    /// Channel groups from a PAM `payload`.
    pub channel_groups: Vec<String>,
}

/// The longest non-JSON body still used as a message.
const MAX_TEXT_MESSAGE: usize = 200;

/// Parses any body; never fails, never panics.
pub(crate) fn parse(body: &[u8]) -> ErrorBody {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Array(items)) => from_array(&items),
        Ok(Value::Object(obj)) => from_object(&obj),
        Ok(Value::String(s)) => ErrorBody {
            message: non_empty(&s),
            ..ErrorBody::default()
        },
        Ok(_) => ErrorBody::default(),
        Err(_) => from_text(body),
    }
}

/// A JSON object with a numeric `status >= 400` is an error even on HTTP 200.
/// Cheap for ordinary bodies: only objects are parsed, and only `status` is kept.
pub(crate) fn error_in_success_body(body: &[u8]) -> Option<ErrorBody> {
    let first = body.iter().find(|b| !b.is_ascii_whitespace())?;
    if *first != b'{' {
        return None;
    }
    // A status key must spell `"status"` (or use a `\u` escape): skip the
    // full parse of large ordinary bodies, such as subscribe responses.
    if let Ok(text) = std::str::from_utf8(body) {
        if !text.contains("\"status\"") && !text.contains("\\u") {
            return None;
        }
    }
    #[derive(serde::Deserialize)]
    struct Probe {
        status: Option<Value>,
    }
    let probe: Probe = serde_json::from_slice(body).ok()?;
    let status = probe.status.as_ref().and_then(as_status)?;
    if status < 400 {
        return None;
    }
    Some(parse(body))
}

/// `[0,"Invalid Key","<tt>"]`, `[0,"Forbidden"]`.
fn from_array(items: &[Value]) -> ErrorBody {
    ErrorBody {
        message: items.get(1).and_then(Value::as_str).and_then(non_empty),
        ..ErrorBody::default()
    }
}

/// Service objects, PAM objects (with `payload` or nested `error`), history and
/// objects shapes.
fn from_object(obj: &serde_json::Map<String, Value>) -> ErrorBody {
    let nested = obj.get("error").and_then(Value::as_object);
    let message = obj
        .get("message")
        .and_then(Value::as_str)
        .and_then(non_empty)
        .or_else(|| nested.and_then(nested_message))
        .or_else(|| {
            obj.get("error_message")
                .and_then(Value::as_str)
                .and_then(non_empty)
        });
    let payload = obj.get("payload").and_then(Value::as_object);
    ErrorBody {
        status: obj.get("status").and_then(as_status),
        message,
        channels: payload
            .map(|p| strings(p.get("channels")))
            .unwrap_or_default(),
        channel_groups: payload
            .map(|p| strings(p.get("channel-groups")))
            .unwrap_or_default(),
    }
}

/// `{"message":"Invalid signature","details":[{"message":"…"}]}` → `Invalid signature: …`.
fn nested_message(error: &serde_json::Map<String, Value>) -> Option<String> {
    let message = error.get("message").and_then(Value::as_str)?;
    let detail = error
        .get("details")
        .and_then(Value::as_array)
        .and_then(|d| d.first())
        .and_then(|d| d.get("message"))
        .and_then(Value::as_str)
        .filter(|d| !d.is_empty() && *d != message);
    match detail {
        Some(detail) => Some(format!("{message}: {detail}")),
        None => non_empty(message),
    }
}

/// A short plain-text body (not HTML) becomes the message.
fn from_text(body: &[u8]) -> ErrorBody {
    let message = std::str::from_utf8(body)
        .ok()
        .map(str::trim)
        .filter(|t| t.chars().count() <= MAX_TEXT_MESSAGE && !t.starts_with('<'))
        .and_then(non_empty);
    ErrorBody {
        message,
        ..ErrorBody::default()
    }
}

fn as_status(value: &Value) -> Option<u16> {
    match value {
        Value::Number(n) => n.as_u64().and_then(|n| u16::try_from(n).ok()),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        Some(Value::Object(map)) => map.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

#[cfg(test)]
#[path = "error_body_tests.rs"]
mod tests;
