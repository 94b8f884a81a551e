//! `/v2/presence/{sub-key|sub_key}/...` (protocol.md §8.2): heartbeat, leave,
//! here now (one channel, several, groups, global), where now, set/get state.

use http::StatusCode;
use serde_json::{Map, Value};

use super::validate::{channel_ok, group_ok};
use super::{segment, sub_key, Reply};
use crate::decode::{decode_path_list, split_list, Query};
use crate::presence::{self, PresenceError, PRESENCE_SUFFIX};
use crate::state::presence::Who;
use crate::state::AppState;

fn ok(body: &Value) -> Reply {
    Reply::js(StatusCode::OK, body.to_string())
}

fn presence_error(err: &PresenceError) -> Reply {
    Reply::js(
        StatusCode::BAD_REQUEST,
        presence::error_body(err).to_string(),
    )
}

/// The channel list segment and the `channel-group` parameter, validated;
/// `-pnpres` names are dropped (SDKs strip them; we accept them anyway).
fn names(raw_channels: &str, query: &Query) -> Result<(Vec<String>, Vec<String>), Reply> {
    let channels = decode_path_list(raw_channels).map_err(|_| Reply::bad_encoding())?;
    let groups = query
        .get("channel-group")
        .map(split_list)
        .unwrap_or_default();
    let strip = |list: Vec<String>| -> Vec<String> {
        list.into_iter()
            .filter(|n| !n.ends_with(PRESENCE_SUFFIX))
            .collect()
    };
    let (channels, groups) = (strip(channels), strip(groups));
    if !channels.iter().all(|c| channel_ok(c)) || !groups.iter().all(|g| group_ok(g)) {
        return Err(Reply::invalid_arguments());
    }
    Ok((channels, groups))
}

/// The client's uuid (`uuid=`), required by heartbeat and leave.
fn client_uuid(query: &Query) -> Result<&str, Reply> {
    query
        .get("uuid")
        .filter(|u| !u.is_empty())
        .ok_or_else(Reply::invalid_arguments)
}

/// `state=` as a JSON object, or the presence error.
fn state_param(query: &Query) -> Result<Option<Map<String, Value>>, Reply> {
    match query.get("state").filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(raw) => match serde_json::from_str::<Value>(raw) {
            Ok(Value::Object(map)) => Ok(Some(map)),
            _ => Err(presence_error(&PresenceError::StateNotObject)),
        },
    }
}

pub(crate) fn handle(state: &AppState, segs: &[&str], query: &Query) -> Result<Reply, Reply> {
    let ["v2", "presence", "sub-key" | "sub_key", key, rest @ ..] = segs else {
        return Err(Reply::not_found());
    };
    let key = sub_key(state, key)?;
    match rest {
        [] | [""] => here_now(state, &key, None, query),
        ["uuid", uuid] => {
            let uuid = segment(uuid)?;
            let channels = state.presence_read(&key, |r, _| r.where_now(&uuid));
            Ok(ok(&presence::where_now_body(&channels)))
        }
        ["channel", chs] => here_now(state, &key, Some(chs), query),
        ["channel", chs, "heartbeat"] => {
            let (channels, groups) = names(chs, query)?;
            let uuid = client_uuid(query)?;
            let timeout = query.get("heartbeat").and_then(|h| h.parse().ok());
            let presence_state = state_param(query)?;
            let who = Who {
                sub_key: &key,
                uuid,
                channels: &channels,
                groups: &groups,
            };
            state.presence_touch(who, timeout, presence_state.as_ref());
            Ok(ok(&presence::heartbeat_body()))
        }
        ["channel", chs, "leave"] => {
            let (channels, groups) = names(chs, query)?;
            let uuid = client_uuid(query)?;
            state.presence_leave(Who {
                sub_key: &key,
                uuid,
                channels: &channels,
                groups: &groups,
            });
            Ok(ok(&presence::leave_body()))
        }
        ["channel", chs, "uuid", uuid] => get_state(state, &key, chs, &segment(uuid)?, query),
        ["channel", chs, "uuid", uuid, "data"] => {
            let (channels, groups) = names(chs, query)?;
            let uuid = segment(uuid)?;
            let new_state = match state_param(query)? {
                Some(map) => Value::Object(map),
                None => return Err(presence_error(&PresenceError::StateNotObject)),
            };
            let who = Who {
                sub_key: &key,
                uuid: &uuid,
                channels: &channels,
                groups: &groups,
            };
            state
                .presence_set_state(who, &new_state)
                .map_err(|e| presence_error(&e))?;
            Ok(ok(&presence::set_state_body(&new_state)))
        }
        _ => Err(Reply::not_found()),
    }
}

/// Here now: one channel (no groups) gets the flat body, anything else the
/// `payload` body; no names at all is global here now.
fn here_now(state: &AppState, key: &str, chs: Option<&str>, query: &Query) -> Result<Reply, Reply> {
    let (channels, groups) = match chs {
        Some(chs) => names(chs, query)?,
        None => (Vec::new(), Vec::new()),
    };
    let include_uuids = query.get("disable_uuids") != Some("1");
    let include_state = query.get("state") == Some("1");
    let offset = query
        .get("offset")
        .and_then(|o| o.parse().ok())
        .unwrap_or(0);
    let limit = query
        .get("limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(1000);
    let body = state.presence_read(key, |registry, inner| {
        let result = if chs.is_none() || (channels.is_empty() && groups.is_empty()) {
            registry.global_here_now(include_uuids, include_state)
        } else {
            let all = inner.presence_channels(key, &channels, &groups);
            registry.here_now(&all, include_uuids, include_state)
        };
        let result = result.paged(offset, limit);
        match (channels.as_slice(), groups.is_empty()) {
            ([only], true) => result.single_channel_body(only),
            _ => result.multi_channel_body(),
        }
    });
    Ok(ok(&body))
}

/// Get state: one channel (no groups) gets the flat body, else `payload.channels`.
fn get_state(
    state: &AppState,
    key: &str,
    chs: &str,
    uuid: &str,
    query: &Query,
) -> Result<Reply, Reply> {
    let (channels, groups) = names(chs, query)?;
    if channels.is_empty() && groups.is_empty() {
        return Err(Reply::invalid_arguments());
    }
    let body = state.presence_read(key, |registry, inner| {
        let all = inner.presence_channels(key, &channels, &groups);
        let states = registry.get_state(uuid, &all);
        match (channels.as_slice(), groups.is_empty()) {
            ([only], true) => presence::get_state_single_body(uuid, only, states.get(only)),
            _ => presence::get_state_multi_body(uuid, &states),
        }
    });
    Ok(ok(&body))
}
