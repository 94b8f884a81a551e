//! The router: one request in, one [`Reply`] out. No networking here.

pub(crate) mod body;
pub(crate) mod envelope;
pub(crate) mod groups;
pub(crate) mod history;
pub(crate) mod pam;
pub(crate) mod presence;
pub(crate) mod publish;
pub(crate) mod reply;
pub(crate) mod subscribe;
pub(crate) mod time;
pub(crate) mod validate;

#[cfg(test)]
mod fuzz_tests;
#[cfg(test)]
mod order_tests;
#[cfg(test)]
mod wake_tests;

use bytes::Bytes;
use http::Method;

use crate::decode::{decode, Query};
use crate::faults::RouteClass;
use crate::state::AppState;
pub(crate) use reply::Reply;

/// A request as the router sees it: raw (still percent-encoded) path and query.
#[derive(Debug, Clone)]
pub(crate) struct RouteRequest {
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) query: String,
    pub(crate) body: Bytes,
    /// The `Content-Encoding` header, if any (see [`body::decoded`]).
    pub(crate) content_encoding: Option<String>,
}

/// The route class of a raw path (`None` for an unknown route).
pub(crate) fn classify(path: &str) -> Option<RouteClass> {
    let p = path.trim_start_matches('/');
    let class = if p.starts_with("publish/") {
        RouteClass::Publish
    } else if p.starts_with("signal/") {
        RouteClass::Signal
    } else if p.starts_with("v2/subscribe/") {
        RouteClass::Subscribe
    } else if p.starts_with("v2/presence/") {
        RouteClass::Presence
    } else if p.starts_with("v1/channel-registration/") {
        RouteClass::ChannelGroups
    } else if p.starts_with("v2/history/") || p.starts_with("v3/history/") {
        RouteClass::History
    } else if p == "time/0" {
        RouteClass::Time
    } else {
        return None;
    };
    Some(class)
}

/// Decode one path segment, or answer 400.
pub(crate) fn segment(raw: &str) -> Result<String, Reply> {
    decode(raw, false).map_err(|_| Reply::bad_encoding())
}

/// Check the subscribe key segment, or answer with the service error.
pub(crate) fn sub_key(state: &AppState, raw: &str) -> Result<String, Reply> {
    let key = segment(raw)?;
    if state.sub_key_ok(&key) {
        Ok(key)
    } else {
        Err(Reply::invalid_sub_key())
    }
}

/// Whether the URI (`path?query`) is within `max_uri_bytes` (else 414).
pub(crate) fn uri_fits(state: &AppState, path: &str, query: &str) -> bool {
    let len = path
        .len()
        .saturating_add(query.len())
        .saturating_add(usize::from(!query.is_empty()));
    len <= state.config.max_uri_bytes
}

/// Route one request. Never panics; every outcome is a reply.
pub(crate) async fn route(state: &AppState, req: RouteRequest) -> Reply {
    if !uri_fits(state, &req.path, &req.query) {
        return Reply::uri_too_long();
    }
    let Ok(query) = Query::parse(&req.query) else {
        return Reply::bad_encoding();
    };
    let segs: Vec<&str> = req.path.trim_start_matches('/').split('/').collect();
    let caller = match crate::access::check(state, &req, &query, &segs) {
        Ok(caller) => caller,
        Err(denied) => return denied,
    };
    let get = req.method == Method::GET;
    let class = classify(&req.path);
    let result = match (class, segs.as_slice()) {
        (None, _) if crate::access::is_pam(&segs) => pam::handle(state, &segs, &req, caller),
        (Some(RouteClass::Time), _) if get => Ok(time::handle(state)),
        (Some(RouteClass::Publish), _) if get || req.method == Method::POST => {
            publish::handle(state, &segs, &query, &req, false)
        }
        (Some(RouteClass::Signal), _) if get => publish::handle(state, &segs, &query, &req, true),
        (Some(RouteClass::Subscribe), _) if get => subscribe::handle(state, &segs, &query).await,
        (Some(RouteClass::Presence), _) => presence::handle(state, &segs, &query),
        (Some(RouteClass::ChannelGroups), _) if get => groups::handle(state, &segs, &query),
        (Some(RouteClass::History), _) if get || req.method == Method::DELETE => {
            history::handle(state, &segs, &query, &req.method, caller)
        }
        (_, _) if req.method == Method::OPTIONS => Ok(Reply::js(http::StatusCode::OK, "")),
        _ => Err(Reply::not_found()),
    };
    let mut reply = result.unwrap_or_else(|e| e);
    if class == Some(RouteClass::ChannelGroups) {
        // protocol.md §17.7: the channel registry always answers application/json.
        reply.content_type = reply::ContentType::Json;
    }
    reply
}
