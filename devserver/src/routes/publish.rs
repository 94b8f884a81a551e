//! Publish (GET and POST) and signal (protocol.md §5, §6).

use std::time::{Duration, Instant};

use http::{Method, StatusCode};
use serde_json::json;
use serde_json::value::RawValue;

use super::body::{decoded, BodyError};
use super::validate::{channel_ok, too_deep};
use super::{segment, sub_key, Reply, RouteRequest};
use crate::decode::{decode, escaped_len, Query};
use crate::state::channels::{Kind, Published};
use crate::state::history::Retention;
use crate::state::AppState;

/// Size of the envelope overhead counted against the publish limit.
const OVERHEAD: usize = 100;

fn custom_type_ok(t: &str) -> bool {
    (3..=50).contains(&t.len())
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn parse_json(text: &str) -> Option<Box<RawValue>> {
    serde_json::from_str::<Box<RawValue>>(text).ok()
}

/// Retention from `store`/`ttl`.
fn retention(state: &AppState, query: &Query) -> Retention {
    let store = match query.get("store") {
        Some("1" | "true" | "True") => true,
        Some("0" | "false" | "False") => false,
        _ => state.config.store_by_default,
    };
    if !store {
        return Retention::NotStored;
    }
    let hours = query
        .get("ttl")
        .and_then(|t| t.parse::<f64>().ok())
        .filter(|h| h.is_finite() && *h > 0.0);
    hours
        .and_then(|h| Duration::try_from_secs_f64(h * 3600.0).ok())
        .and_then(|d| Instant::now().checked_add(d))
        .map_or(Retention::Forever, Retention::Until)
}

/// `/publish/{pub}/{sub}/0/{channel}/0[/{msg}]` and `/signal/...`.
pub(crate) fn handle(
    state: &AppState,
    segs: &[&str],
    query: &Query,
    req: &RouteRequest,
    signal: bool,
) -> Result<Reply, Reply> {
    let [_, pub_raw, sub_raw, _sig, channel_raw, _cb, rest @ ..] = segs else {
        return Err(Reply::not_found());
    };
    let sub = sub_key(state, sub_raw)?;
    let tt_now = state.clock.peek();
    let bad = |status: StatusCode, msg: &str| Reply::publish_error(status, msg, tt_now);
    let publish_key = segment(pub_raw)?;
    if !state.pub_key_ok(&publish_key, &sub) {
        return Err(bad(StatusCode::BAD_REQUEST, "Invalid Key"));
    }
    let channel = segment(channel_raw)?;
    if !channel_ok(&channel) {
        return Err(Reply::invalid_arguments());
    }
    if too_deep(&channel) {
        return Err(bad(
            StatusCode::BAD_REQUEST,
            "Wildcard maximum depth exceeded",
        ));
    }
    let (text, escaped) = if req.method == Method::POST && rest.is_empty() {
        // The size limit applies to the decompressed message.
        let cap = state.config.max_message_bytes;
        let body =
            decoded(&req.body, req.content_encoding.as_deref(), cap).map_err(|e| match e {
                BodyError::TooLarge => bad(StatusCode::PAYLOAD_TOO_LARGE, "Message Too Large"),
                BodyError::Corrupt => bad(StatusCode::BAD_REQUEST, "Invalid compressed body"),
                BodyError::Unsupported => bad(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "Unsupported Content-Encoding",
                ),
            })?;
        let text = String::from_utf8(body.into_owned())
            .map_err(|_| bad(StatusCode::BAD_REQUEST, "Invalid JSON"))?;
        let len = text.len();
        (text, len)
    } else {
        let text = decode(&rest.join("/"), false).map_err(|_| Reply::bad_encoding())?;
        let len = escaped_len(&text);
        (text, len)
    };
    if signal {
        if text.len() > state.config.max_signal_bytes {
            return Err(bad(StatusCode::BAD_REQUEST, "Signal size too large"));
        }
    } else if escaped_len(&channel) + escaped + OVERHEAD > state.config.max_message_bytes {
        return Err(bad(StatusCode::PAYLOAD_TOO_LARGE, "Message Too Large"));
    }
    let payload = parse_json(&text).ok_or_else(|| bad(StatusCode::BAD_REQUEST, "Invalid JSON"))?;
    let meta = match query.get("meta").filter(|m| !m.is_empty() && !signal) {
        Some(m) => Some(parse_json(m).ok_or_else(|| bad(StatusCode::BAD_REQUEST, "Invalid JSON"))?),
        None => None,
    };
    let custom_message_type = match query.get("custom_message_type").filter(|t| !t.is_empty()) {
        Some(t) if custom_type_ok(t) => Some(t.to_owned()),
        Some(_) => return Err(bad(StatusCode::BAD_REQUEST, "Invalid Arguments")),
        None => None,
    };
    let ptto = query
        .get("ptto")
        .filter(|p| p.len() == 17)
        .and_then(|p| p.parse::<u64>().ok());
    let store = if signal {
        Retention::NotStored
    } else {
        retention(state, query)
    };
    let msg = Published {
        // Stamped by `publish`, under the state lock.
        timetoken: 0,
        sub_key: sub,
        channel,
        kind: if signal { Kind::Signal } else { Kind::Message },
        payload,
        publisher: query
            .get("uuid")
            .filter(|u| !u.is_empty())
            .map(str::to_owned),
        meta,
        seqn: query.get("seqn").and_then(|s| s.parse::<i64>().ok()),
        custom_message_type,
    };
    let tt = state.publish(msg, ptto, store);
    Ok(Reply::js(
        StatusCode::OK,
        json!([1, "Sent", tt.to_string()]).to_string(),
    ))
}
