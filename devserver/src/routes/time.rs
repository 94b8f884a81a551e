//! `GET /time/0` → `[<tt>]` (a number).

use http::StatusCode;

use super::Reply;
use crate::state::AppState;

pub(crate) fn handle(state: &AppState) -> Reply {
    Reply::js(StatusCode::OK, format!("[{}]", state.clock.next()))
}
