//! Message persistence: v3 fetch and v2 history (protocol.md §11).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use http::{Method, StatusCode};
use serde::Serialize;
use serde_json::json;
use serde_json::value::RawValue;

use super::{sub_key, Reply};
use crate::access::Caller;
use crate::decode::{decode_path_list, Query};
use crate::state::channels::Published;
use crate::state::history::Range;
use crate::state::AppState;

#[derive(Serialize)]
struct Item<'a> {
    message: &'a RawValue,
    timetoken: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    meta: Option<&'a RawValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    uuid: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message_type: Option<UnknownType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    custom_message_type: Option<&'a str>,
}

/// A message's `message_type` when asked for: the server keeps none, so `null`.
#[derive(Debug, Clone, Copy)]
struct UnknownType;

impl Serialize for UnknownType {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_none()
    }
}

/// The v3 fetch body. Serialized straight to text: each stored message is
/// written as the raw JSON it was published with, never re-parsed into a
/// `Value` (which fails on text such as a lone UTF-16 surrogate escape).
#[derive(Serialize)]
struct FetchBody<'a> {
    status: u16,
    error: bool,
    error_message: &'static str,
    channels: BTreeMap<&'a str, Vec<Item<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    more: Option<More>,
}

/// Where the next page of a single-channel fetch starts, when the range
/// holds more than `max` messages: the request for the older rest.
#[derive(Serialize)]
struct More {
    url: String,
    start: String,
    max: usize,
}

/// One v2 history entry with `include_token` / `include_meta`.
#[derive(Serialize)]
struct DetailedItem<'a> {
    message: &'a RawValue,
    timetoken: u64,
    meta: Option<&'a RawValue>,
}

/// A v2 history entry: the bare message, or the detailed object.
#[derive(Serialize)]
#[serde(untagged)]
enum V2Item<'a> {
    Bare(&'a RawValue),
    Detailed(DetailedItem<'a>),
}

/// `body` as JSON text, or a 500 reply when it cannot be serialized.
fn render(body: &impl Serialize) -> Result<Reply, Reply> {
    match serde_json::to_string(body) {
        Ok(text) => Ok(Reply::js(StatusCode::OK, text)),
        Err(e) => {
            tracing::error!(error = %e, "history body not serializable");
            Err(Reply::js(
                StatusCode::INTERNAL_SERVER_ERROR,
                json!({"status": 500, "error": true, "error_message": "Internal Server Error"})
                    .to_string(),
            ))
        }
    }
}

fn history_error(message: &str) -> Reply {
    let body = json!({"status": 400, "error": true, "error_message": message, "channels": {}});
    Reply::js(StatusCode::BAD_REQUEST, body.to_string())
}

fn tt_param(query: &Query, key: &str) -> Result<Option<u64>, Reply> {
    match query.get(key).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v
            .parse::<u64>()
            .map(Some)
            .map_err(|_| history_error("Invalid Arguments")),
    }
}

fn channels_of(raw: &str) -> Result<Vec<String>, Reply> {
    let channels = decode_path_list(raw).map_err(|_| Reply::bad_encoding())?;
    if channels.is_empty() || !channels.iter().all(|c| super::validate::channel_ok(c)) {
        return Err(Reply::invalid_arguments());
    }
    Ok(channels)
}

fn fetch(state: &AppState, key: &str, channel: &str, range: Range) -> Vec<Arc<Published>> {
    state
        .lock()
        .history
        .fetch(key, channel, range, Instant::now())
}

/// `/v3/history/sub-key/{sub}/channel/{chs}` and `/v2/history/sub-key/{sub}/channel/{ch}`.
pub(crate) fn handle(
    state: &AppState,
    segs: &[&str],
    query: &Query,
    method: &Method,
    caller: Caller,
) -> Result<Reply, Reply> {
    let delete = method == Method::DELETE;
    // Deleting needs the secret key: a request signed with it (checked by
    // Access Manager when the server has the key; without one, at least
    // signed), or a token granting delete. An unsigned delete is refused.
    if delete && caller == Caller::Open && query.get("signature").is_none() {
        return Err(crate::access::invalid_signature(
            "Deleting messages needs a request signed with the secret key.",
        ));
    }
    match segs {
        ["v3", "history", "sub-key", key, "channel", chs] if delete => {
            delete_range(state, key, chs, query)
        }
        ["v3", "history", "sub-key", key, "channel", chs] => v3(state, key, chs, query),
        ["v3", "history", "sub-key", key, "message-counts", chs] if !delete => {
            counts(state, key, chs, query)
        }
        ["v2", "history", "sub-key", key, "channel", ch] if !delete => v2(state, key, ch, query),
        _ => Err(Reply::not_found()),
    }
}

/// `DELETE /v3/history/...?start=&end=`: removes `min < tt <= max` of the two bounds.
fn delete_range(state: &AppState, key: &str, chs: &str, query: &Query) -> Result<Reply, Reply> {
    let key = sub_key(state, key)?;
    let channels = channels_of(chs)?;
    let (a, b) = (tt_param(query, "start")?, tt_param(query, "end")?);
    let (lo, hi) = match (a, b) {
        (Some(a), Some(b)) => (Some(a.min(b)), Some(a.max(b))),
        (a, b) => (a, b),
    };
    let mut inner = state.lock();
    for c in &channels {
        inner.history.delete(&key, c, lo, hi);
    }
    let body = json!({"status": 200, "error": false, "error_message": ""});
    Ok(Reply::js(StatusCode::OK, body.to_string()))
}

/// `GET /v3/history/sub-key/{sub}/message-counts/{chs}?timetoken=T | channelsTimetoken=T1,T2`:
/// messages with `tt >= T` per channel.
fn counts(state: &AppState, key: &str, chs: &str, query: &Query) -> Result<Reply, Reply> {
    let key = sub_key(state, key)?;
    let channels = channels_of(chs)?;
    let per_channel: Vec<u64> = match (
        query.get("channelsTimetoken"),
        tt_param(query, "timetoken")?,
    ) {
        (Some(list), _) => list
            .split(',')
            .map(|t| {
                t.parse::<u64>()
                    .map_err(|_| history_error("Invalid Arguments"))
            })
            .collect::<Result<_, _>>()?,
        (None, Some(t)) => vec![t; channels.len()],
        (None, None) => return Err(history_error("Invalid Arguments")),
    };
    let per_channel = match per_channel.as_slice() {
        [one] => vec![*one; channels.len()],
        _ if per_channel.len() == channels.len() => per_channel,
        _ => return Err(history_error("Invalid Arguments")),
    };
    let now = Instant::now();
    let mut inner = state.lock();
    let out: BTreeMap<&str, usize> = channels
        .iter()
        .zip(per_channel)
        .map(|(c, tt)| (c.as_str(), inner.history.count(&key, c, tt, now)))
        .collect();
    let body = json!({"status": 200, "error": false, "error_message": "", "channels": out});
    Ok(Reply::js(StatusCode::OK, body.to_string()))
}

fn v3(state: &AppState, raw_key: &str, chs: &str, query: &Query) -> Result<Reply, Reply> {
    let key = sub_key(state, raw_key)?;
    let channels = channels_of(chs)?;
    let limit = if channels.len() == 1 { 100 } else { 25 };
    let max = query
        .get("max")
        .and_then(|m| m.parse::<usize>().ok())
        .filter(|m| *m > 0)
        .map_or(limit, |m| m.min(limit));
    // One more than asked: whether the range holds more than one page.
    let range = Range {
        start: tt_param(query, "start")?,
        end: tt_param(query, "end")?,
        max: max.saturating_add(1),
    };
    let (meta, uuid) = (
        query.flag("include_meta", false),
        query.flag("include_uuid", false),
    );
    let msg_type = query.flag("include_message_type", false);
    let cmt = query.flag("include_custom_message_type", false);
    let single = channels.len() == 1;
    let mut truncated = None;
    let found: Vec<(String, Vec<Arc<Published>>)> = channels
        .into_iter()
        .map(|c| {
            let mut msgs = fetch(state, &key, &c, range);
            if msgs.len() > max {
                // the most recent `max` of the range, oldest first
                msgs.remove(0);
                truncated = msgs.first().map(|m| m.timetoken);
            }
            (c, msgs)
        })
        .filter(|(_, m)| !m.is_empty())
        .collect();
    // The path segments as the client sent them (already encoded).
    let more = truncated.filter(|_| single).map(|oldest| {
        let mut url =
            format!("/v3/history/sub-key/{raw_key}/channel/{chs}?start={oldest}&max={max}");
        if let Some(end) = range.end {
            url.push_str(&format!("&end={end}"));
        }
        More {
            url,
            start: oldest.to_string(),
            max,
        }
    });
    let mut out: BTreeMap<&str, Vec<Item<'_>>> = BTreeMap::new();
    for (channel, msgs) in &found {
        let items = msgs
            .iter()
            .map(|m| Item {
                message: &m.payload,
                timetoken: m.timetoken.to_string(),
                meta: m.meta.as_deref().filter(|_| meta),
                uuid: m.publisher.as_deref().filter(|_| uuid),
                message_type: msg_type.then_some(UnknownType),
                custom_message_type: m.custom_message_type.as_deref().filter(|_| cmt),
            })
            .collect();
        out.insert(channel, items);
    }
    render(&FetchBody {
        status: 200,
        error: false,
        error_message: "",
        channels: out,
        more,
    })
}

fn v2(state: &AppState, key: &str, ch: &str, query: &Query) -> Result<Reply, Reply> {
    let key = sub_key(state, key)?;
    let channel = match channels_of(ch)?.as_slice() {
        [one] => one.clone(),
        _ => return Err(Reply::invalid_arguments()),
    };
    let count = query
        .get("count")
        .and_then(|m| m.parse::<usize>().ok())
        .filter(|m| *m > 0)
        .map_or(100, |m| m.min(100));
    let range = Range {
        start: tt_param(query, "start")?,
        end: tt_param(query, "end")?,
        max: usize::MAX,
    };
    let mut msgs = fetch(state, &key, &channel, range);
    if query.flag("reverse", false) {
        msgs.truncate(count);
    } else {
        let skip = msgs.len().saturating_sub(count);
        msgs.drain(..skip);
    }
    let detailed = query.flag("include_token", false) || query.flag("include_meta", false);
    let items: Vec<V2Item<'_>> = msgs
        .iter()
        .map(|m| {
            if detailed {
                V2Item::Detailed(DetailedItem {
                    message: &m.payload,
                    timetoken: m.timetoken,
                    meta: m.meta.as_deref(),
                })
            } else {
                V2Item::Bare(&m.payload)
            }
        })
        .collect();
    let first = msgs.first().map_or(0, |m| m.timetoken);
    let last = msgs.last().map_or(0, |m| m.timetoken);
    render(&(items, first, last))
}
