//! Access Manager v3 grant and revoke (protocol.md §14.2): `POST
//! /v3/pam/{sub}/grant` issues a token, `DELETE /v3/pam/{sub}/grant/{token}`
//! revokes one. Both need a request signed with the secret key (checked
//! before routing, see `access::check`).

use std::collections::BTreeMap;

use http::{Method, StatusCode};
use regex::Regex;
use serde_json::{json, Value};

use super::{segment, sub_key, Reply, RouteRequest};
use crate::access::token::{self, Grant, Resources};
use crate::access::{bad_grant, invalid_token, Caller};
use crate::state::AppState;

/// The longest time to live PubNub grants, in minutes (30 days).
const MAX_TTL_MINUTES: u64 = 43_200;

fn success(data: Value) -> Reply {
    let body = json!({"data": data, "service": "Access Manager", "status": 200});
    Reply::js(StatusCode::OK, body.to_string())
}

/// `/v3/pam/{sub}/grant[/{token}]`.
pub(crate) fn handle(
    state: &AppState,
    segs: &[&str],
    req: &RouteRequest,
    caller: Caller,
) -> Result<Reply, Reply> {
    let ["v3", "pam", key, "grant", rest @ ..] = segs else {
        return Err(Reply::not_found());
    };
    sub_key(state, key)?;
    let Some(secret) = state.config.access.secret_key.as_deref() else {
        return Err(Reply::service(
            StatusCode::FORBIDDEN,
            "Access Manager",
            "Access Manager is not enabled: start the dev server with a secret key",
        ));
    };
    if caller != Caller::Server {
        return Err(crate::access::invalid_token(
            "Grant and revoke need the secret key.",
        ));
    }
    match (rest, &req.method) {
        ([], &Method::POST) => grant(state, secret, &req.body),
        ([raw], &Method::DELETE) => {
            let text = segment(raw)?;
            let verified = token::verify(secret, &text)
                .ok_or_else(|| invalid_token("The token was not issued for this keyset."))?;
            state.access_revoked.revoke(verified.sig);
            Ok(success(json!({"message": "Success"})))
        }
        _ => Err(Reply::not_found()),
    }
}

fn grant(state: &AppState, secret: &str, body: &[u8]) -> Result<Reply, Reply> {
    let invalid = |detail: &str| bad_grant("Invalid request", detail, "body");
    let body: Value = serde_json::from_slice(body).map_err(|_| invalid("The body is not JSON."))?;
    let ttl = body
        .get("ttl")
        .and_then(Value::as_u64)
        .filter(|t| (1..=MAX_TTL_MINUTES).contains(t))
        .ok_or_else(|| {
            bad_grant(
                "Invalid ttl",
                "Range should be 1 to 43200 minute(s).",
                "ttl",
            )
        })?;
    let permissions = body
        .get("permissions")
        .and_then(Value::as_object)
        .ok_or_else(|| invalid("permissions is missing"))?;
    let named = resources(permissions.get("resources"), false).map_err(|d| invalid(&d))?;
    let patterns = resources(permissions.get("patterns"), true).map_err(|d| invalid(&d))?;
    if named == Resources::default() && patterns == Resources::default() {
        return Err(invalid("A grant needs at least one resource or pattern."));
    }
    let meta = match permissions.get("meta") {
        None | Some(Value::Null) => serde_json::Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(_) => return Err(invalid("meta must be an object")),
    };
    let authorized_uuid = match permissions.get("uuid") {
        None | Some(Value::Null) => None,
        Some(Value::String(u)) if !u.is_empty() => Some(u.clone()),
        Some(_) => return Err(invalid("uuid must be a non-empty string")),
    };
    let grant = Grant {
        issued: state.clock.unix_secs(),
        ttl,
        resources: named,
        patterns,
        meta,
        authorized_uuid,
    };
    let token = token::issue(secret, &grant);
    Ok(success(json!({"message": "Success", "token": token})))
}

/// `{"channels":{..},"groups":{..},"uuids":{..}}` → names → bits; patterns
/// must be valid regular expressions.
fn resources(value: Option<&Value>, patterns: bool) -> Result<Resources, String> {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return Ok(Resources::default());
    };
    let map = value
        .as_object()
        .ok_or_else(|| "resources and patterns must be objects".to_owned())?;
    let kind = |name: &str| -> Result<BTreeMap<String, u32>, String> {
        let Some(entries) = map.get(name).filter(|v| !v.is_null()) else {
            return Ok(BTreeMap::new());
        };
        let entries = entries
            .as_object()
            .ok_or_else(|| format!("{name} must be an object"))?;
        entries
            .iter()
            .map(|(resource, bits)| {
                let bits = bits
                    .as_u64()
                    .and_then(|b| u32::try_from(b).ok())
                    .filter(|b| *b <= 255)
                    .ok_or_else(|| format!("{name}.{resource}: permissions must be 0 to 255"))?;
                if patterns && Regex::new(resource).is_err() {
                    return Err(format!("{name}: {resource:?} is not a regular expression"));
                }
                Ok((resource.clone(), bits))
            })
            .collect()
    };
    Ok(Resources {
        channels: kind("channels")?,
        groups: kind("groups")?,
        uuids: kind("uuids")?,
    })
}
