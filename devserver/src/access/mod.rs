//! Access Manager on the dev server (off by default): request signatures
//! checked against the secret key, and tokens checked on every request.
//!
//! With a secret key ([`DevServerBuilder::secret_key`](crate::DevServerBuilder::secret_key)),
//! a request carrying `signature` must be signed with it (v2, or the v1
//! variant for POST publish) within 60 s of the server clock; such a
//! request is the server side and skips token checks. Grant and revoke need
//! a signature. Without Access Manager every other request needs one too;
//! with Access Manager ([`DevServerBuilder::access_manager`](crate::DevServerBuilder::access_manager))
//! an unsigned request is a client's, and its `auth` token must be valid
//! (issued here, not expired, not revoked, for this user id) and grant what
//! the request needs (see [`needs`]). Refusals are 403 with PubNub's bodies.

mod denial;
pub(crate) mod needs;
pub(crate) mod signature;
pub(crate) mod token;

use std::collections::HashSet;
use std::fmt;
use std::sync::Mutex;

use http::Method;

use crate::decode::{decode, Query};
use crate::faults::RouteClass;
use crate::routes::{classify, Reply, RouteRequest};
use crate::state::AppState;
pub(crate) use denial::{bad_grant, invalid_signature, invalid_token};
use needs::Need;
use signature::Signed;

/// The Access Manager settings. `Debug` never prints the secret key.
#[derive(Clone, Default)]
pub(crate) struct AccessConfig {
    pub(crate) secret_key: Option<String>,
    pub(crate) access_manager: bool,
}

impl fmt::Debug for AccessConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessConfig")
            .field(
                "secret_key",
                &self.secret_key.as_ref().map(|_| "<redacted>"),
            )
            .field("access_manager", &self.access_manager)
            .finish()
    }
}

/// Revoked tokens, by signature.
#[derive(Debug, Default)]
pub(crate) struct Revoked(Mutex<HashSet<Vec<u8>>>);

impl Revoked {
    pub(crate) fn revoke(&self, sig: Vec<u8>) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).insert(sig);
    }

    fn contains(&self, sig: &[u8]) -> bool {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(sig)
    }
}

/// Who sent a request, as far as Access Manager is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Caller {
    /// No secret key configured, or a route that needs nothing (`/time/0`).
    Open,
    /// Signed with the secret key: the server side; no token checks.
    Server,
    /// An unsigned request whose token allows it.
    Client,
}

/// The subscribe-key segment of each route, and the publish key of the
/// path for publish and signal.
fn keys_of(class: Option<RouteClass>, segs: &[&str]) -> (Option<String>, Option<String>) {
    let seg = |i: usize| segs.get(i).and_then(|s| decode(s, false).ok());
    match class {
        Some(RouteClass::Publish | RouteClass::Signal) => (seg(2), seg(1)),
        Some(RouteClass::Subscribe) | None => (seg(2), None),
        Some(_) => (seg(3), None),
    }
}

/// Whether the path is a grant or revoke (`/v3/pam/...`).
pub(crate) fn is_pam(segs: &[&str]) -> bool {
    matches!(segs, ["v3", "pam", ..])
}

/// The Access Manager check of one request, before it is routed. `Ok`
/// says who sent it; `Err` is the 403 to answer with.
pub(crate) fn check(
    state: &AppState,
    req: &RouteRequest,
    query: &Query,
    segs: &[&str],
) -> Result<Caller, Reply> {
    let access = &state.config.access;
    let Some(secret) = access.secret_key.as_deref() else {
        return Ok(Caller::Open);
    };
    let class = classify(&req.path);
    let pam = is_pam(segs);
    if req.method == Method::OPTIONS || class == Some(RouteClass::Time) || (class.is_none() && !pam)
    {
        return Ok(Caller::Open);
    }
    if let Some(signature) = query.get("signature") {
        let (sub_key, path_pub_key) = keys_of(class, segs);
        let sub_key = sub_key.unwrap_or_default();
        let pub_keys = match path_pub_key {
            Some(key) => vec![key],
            None => state
                .config
                .keysets
                .iter()
                .filter(|k| k.subscribe_key() == sub_key)
                .map(|k| k.publish_key().to_owned())
                .collect(),
        };
        let signed = Signed {
            method: &req.method,
            path: &req.path,
            query,
            body: &req.body,
            sub_key: &sub_key,
            pub_keys,
        };
        return signature::verify(secret, signature, &signed, state.clock.unix_secs())
            .map(|()| Caller::Server)
            .map_err(|refusal| denial::invalid_signature(refusal.detail()));
    }
    if pam {
        return Err(denial::invalid_signature(
            "Grant and revoke must be signed with the secret key.",
        ));
    }
    if !access.access_manager {
        return Err(denial::invalid_signature(
            "This keyset has a secret key: requests must be signed with it.",
        ));
    }
    let Some(class) = class else {
        return Ok(Caller::Open);
    };
    let needs = needs::needs(class, segs, query, &req.method);
    check_token(state, secret, query, &needs).map(|()| Caller::Client)
}

/// The client's `auth` token against what the request needs.
fn check_token(state: &AppState, secret: &str, query: &Query, needs: &[Need]) -> Result<(), Reply> {
    let Some(auth) = query.get("auth").filter(|a| !a.is_empty()) else {
        return Err(forbidden(needs.iter()));
    };
    let Some(verified) = token::verify(secret, auth) else {
        return Err(invalid_token(
            "The token is malformed or was not issued for this keyset.",
        ));
    };
    if state.access_revoked.contains(&verified.sig) {
        return Err(denial::revoked_token());
    }
    let grant = verified.grant;
    if grant.expired(state.clock.unix_secs()) {
        return Err(denial::expired_token());
    }
    if let Some(authorized) = &grant.authorized_uuid {
        if query.get("uuid") != Some(authorized.as_str()) {
            return Err(invalid_token(
                "The token is authorized for another user id.",
            ));
        }
    }
    let denied: Vec<&Need> = needs
        .iter()
        .filter(|need| {
            let bits = need
                .covered_by()
                .fold(0, |acc, name| acc | grant.bits_for(need.kind, name));
            bits & need.bits != need.bits
        })
        .collect();
    if denied.is_empty() {
        Ok(())
    } else {
        Err(forbidden(denied.into_iter()))
    }
}

/// 403 `Forbidden` listing the resources of `needs`.
fn forbidden<'a>(needs: impl Iterator<Item = &'a Need>) -> Reply {
    let (mut channels, mut groups) = (Vec::new(), Vec::new());
    for need in needs {
        let list = match need.kind {
            token::Kind::Channel => &mut channels,
            token::Kind::Group => &mut groups,
        };
        if !list.contains(&need.name) {
            list.push(need.name.clone());
        }
    }
    denial::forbidden(&channels, &groups)
}

/// `query` for logs: `auth` and `signature` values hidden.
pub(crate) fn redact_query(query: &str) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((key @ ("auth" | "signature"), _)) => format!("{key}=<redacted>"),
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// `path` for logs: the token of a revoke (`/v3/pam/{sub}/grant/{token}`) hidden.
pub(crate) fn redact_path(path: &str) -> std::borrow::Cow<'_, str> {
    match path.split_once("/grant/") {
        Some((head, _)) if path.starts_with("/v3/pam/") => format!("{head}/grant/<token>").into(),
        _ => path.into(),
    }
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
