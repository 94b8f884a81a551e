//! Channel groups (protocol.md §9); replies are `application/json`.

use http::StatusCode;
use serde_json::json;

use super::validate::{channel_ok, group_ok};
use super::{segment, sub_key, Reply};
use crate::decode::{split_list, Query};
use crate::presence::PRESENCE_SUFFIX;
use crate::state::AppState;

const SERVICE: &str = "channel-registry";

fn ok() -> Reply {
    let body = json!({"status": 200, "message": "OK", "service": SERVICE, "error": false});
    Reply::json(StatusCode::OK, body.to_string())
}

fn invalid() -> Reply {
    let body =
        json!({"status": 400, "message": "Invalid Arguments", "service": SERVICE, "error": true});
    Reply::json(StatusCode::BAD_REQUEST, body.to_string())
}

fn channel_list(value: &str) -> Result<Vec<String>, Reply> {
    let list = split_list(value);
    if list.is_empty() || !list.iter().all(|c| channel_ok(c)) {
        return Err(invalid());
    }
    Ok(list)
}

/// `/v1/channel-registration/sub-key/{sub}/channel-group[/{cg}[/remove]]`.
pub(crate) fn handle(state: &AppState, segs: &[&str], query: &Query) -> Result<Reply, Reply> {
    let ["v1", "channel-registration", "sub-key", key, "channel-group", rest @ ..] = segs else {
        return Err(Reply::not_found());
    };
    let key = sub_key(state, key)?;
    let (group_raw, delete) = match rest {
        [] | [""] => {
            let groups = state.lock().groups.groups(&key);
            let body = json!({
                "status": 200,
                "payload": {"groups": groups, "sub_key": key},
                "service": SERVICE,
                "error": false,
            });
            return Ok(Reply::json(StatusCode::OK, body.to_string()));
        }
        [g] => (*g, false),
        [g, "remove"] => (*g, true),
        _ => return Err(Reply::not_found()),
    };
    let group = segment(group_raw)?;
    if !group_ok(&group) || group.ends_with(PRESENCE_SUFFIX) {
        return Err(invalid());
    }
    if delete {
        state.lock().groups.delete(&key, &group);
        return Ok(ok());
    }
    if let Some(add) = query.get("add") {
        let list = channel_list(add)?;
        let mut inner = state.lock();
        inner.groups.add(&key, &group, &list);
        // Messages already queued on the new members may match held polls.
        inner.waiters.wake_group(&key, &group);
        return Ok(ok());
    }
    if let Some(remove) = query.get("remove") {
        let list = channel_list(remove)?;
        state.lock().groups.remove(&key, &group, &list);
        return Ok(ok());
    }
    let channels = state.lock().groups.channels(&key, &group);
    let body = json!({
        "status": 200,
        "payload": {"channels": channels, "group": group},
        "service": SERVICE,
        "error": false,
    });
    Ok(Reply::json(StatusCode::OK, body.to_string()))
}
