//! `/v2/presence/{sub-key|sub_key}/...`: answers 501 until the presence registry is wired in.

use http::StatusCode;

use super::{sub_key, Reply};
use crate::decode::Query;
use crate::state::AppState;

pub(crate) fn handle(state: &AppState, segs: &[&str], _query: &Query) -> Result<Reply, Reply> {
    match segs {
        ["v2", "presence", "sub-key" | "sub_key", key, ..] => {
            sub_key(state, key)?;
            Ok(Reply::service(
                StatusCode::NOT_IMPLEMENTED,
                "Presence",
                "Presence is not implemented yet",
            ))
        }
        _ => Err(Reply::not_found()),
    }
}
