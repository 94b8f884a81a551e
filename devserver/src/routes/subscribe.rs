//! Subscribe v2: handshake and long-poll (protocol.md §7).

use std::time::Duration;

use http::StatusCode;
use serde_json::{Map, Value};
use tokio::time::{timeout_at, Instant};

use super::validate::{group_ok, subscribe_channel_ok};
use super::{envelope, sub_key, Reply};
use crate::decode::{decode_path_list, split_list, Query};
use crate::filter::FilterExpr;
use crate::state::matcher::Subscription;
use crate::state::presence::Who;
use crate::state::AppState;

/// What a subscribe request says about its client, kept for presence and filtering.
#[derive(Debug, Clone, Default)]
pub(crate) struct SubscribeParams {
    /// The client's uuid.
    pub(crate) uuid: Option<String>,
    /// Presence timeout in seconds (`heartbeat=`).
    pub(crate) heartbeat: Option<u64>,
    /// State keyed by channel or group (`state=`).
    pub(crate) state: Option<Map<String, Value>>,
    /// The filter expression (`filter-expr=`), parsed.
    pub(crate) filter: Option<FilterExpr>,
    /// Requested channels (including `-pnpres` and patterns).
    pub(crate) channels: Vec<String>,
    /// Requested groups (including `-pnpres`).
    pub(crate) groups: Vec<String>,
}

fn parse_params(segs_channels: &str, query: &Query) -> Result<SubscribeParams, Reply> {
    let channels = decode_path_list(segs_channels).map_err(|_| Reply::bad_encoding())?;
    let groups = query
        .get("channel-group")
        .map(split_list)
        .unwrap_or_default();
    if channels.is_empty() && groups.is_empty() {
        return Err(Reply::invalid_arguments());
    }
    if !channels.iter().all(|c| subscribe_channel_ok(c)) || !groups.iter().all(|g| group_ok(g)) {
        return Err(Reply::invalid_arguments());
    }
    let state = match query.get("state").filter(|s| !s.is_empty()) {
        Some(s) => match serde_json::from_str::<Value>(s) {
            Ok(Value::Object(m)) => Some(m),
            _ => {
                return Err(Reply::service(
                    StatusCode::BAD_REQUEST,
                    "Presence",
                    "Invalid JSON specified.",
                ))
            }
        },
        None => None,
    };
    let filter = match query.get("filter-expr").filter(|f| !f.is_empty()) {
        Some(src) => Some(FilterExpr::parse(src).map_err(|e| {
            Reply::service(
                StatusCode::BAD_REQUEST,
                "Balancer",
                &format!("Invalid Arguments: filter-expr: {e}"),
            )
        })?),
        None => None,
    };
    Ok(SubscribeParams {
        uuid: query.get("uuid").map(str::to_owned),
        heartbeat: query.get("heartbeat").and_then(|h| h.parse().ok()),
        state,
        filter,
        channels,
        groups,
    })
}

/// The cursor: `None` = handshake (`tt` missing, empty, 0 or negative).
fn parse_tt(query: &Query) -> Result<Option<u64>, Reply> {
    match query.get("tt").filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => match t.parse::<i128>() {
            Ok(n) if n <= 0 => Ok(None),
            Ok(n) => u64::try_from(n)
                .map(Some)
                .map_err(|_| Reply::invalid_arguments()),
            Err(_) => Err(Reply::invalid_arguments()),
        },
    }
}

/// `/v2/subscribe/{sub}/{channels}/0`.
pub(crate) async fn handle(state: &AppState, segs: &[&str], query: &Query) -> Result<Reply, Reply> {
    let ["v2", "subscribe", key, channels, rest @ ..] = segs else {
        return Err(Reply::not_found());
    };
    if rest.len() > 1 {
        return Err(Reply::not_found());
    }
    let key = sub_key(state, key)?;
    let params = parse_params(channels, query)?;
    let cursor = parse_tt(query)?;
    touch_presence(state, &key, &params, true);
    let reply = poll(state, &key, &params, cursor).await;
    touch_presence(state, &key, &params, false);
    Ok(reply)
}

/// A subscribe counts as presence activity at its start (with its `state`)
/// and again when it answers (protocol.md §8.3).
fn touch_presence(state: &AppState, key: &str, params: &SubscribeParams, start: bool) {
    let Some(uuid) = params.uuid.as_deref().filter(|u| !u.is_empty()) else {
        return;
    };
    let who = Who {
        sub_key: key,
        uuid,
        channels: &params.channels,
        groups: &params.groups,
    };
    let presence_state = if start { params.state.as_ref() } else { None };
    state.presence_touch(who, params.heartbeat, presence_state);
}

/// The handshake answer, or the long-poll: held until something matches or
/// the hold time ends.
async fn poll(state: &AppState, key: &str, params: &SubscribeParams, cursor: Option<u64>) -> Reply {
    let Some(after) = cursor else {
        let tt = state.clock.next();
        return Reply::js(StatusCode::OK, envelope::render(tt, &[]));
    };
    let sub = Subscription::new(key, params.channels.clone(), params.groups.clone())
        .with_filter(params.filter.clone());
    let now = Instant::now();
    let deadline = now
        .checked_add(state.config.long_poll_hold)
        .unwrap_or_else(|| now + Duration::from_secs(365 * 24 * 3600));
    let waiting = state.wait_for(&sub);
    loop {
        let found = sub.collect(&state.lock(), after, state.config.max_response_messages);
        if let Some(last) = found.last() {
            let tt = last.msg.timetoken;
            return Reply::js(StatusCode::OK, envelope::render(tt, &found));
        }
        if timeout_at(deadline, waiting.woken()).await.is_err() {
            return Reply::js(StatusCode::OK, envelope::render(after, &[]));
        }
    }
}
