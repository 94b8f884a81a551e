//! `check` on requests built here: signatures, tokens, permissions.

use bytes::Bytes;

use super::signature::hmac;
use super::token::{issue, Grant, Resources, READ, WRITE};
use super::*;
use crate::config::Config;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

const SECRET: &str = "sec";

fn state(access_manager: bool) -> AppState {
    let mut config = Config::default();
    config.keysets.push(crate::Keyset::new("pub", "sub"));
    config.access = AccessConfig {
        secret_key: Some(SECRET.into()),
        access_manager,
    };
    AppState::new(config)
}

fn request(method: Method, path: &str, query: &str) -> RouteRequest {
    RouteRequest {
        method,
        path: path.into(),
        query: query.into(),
        body: Bytes::new(),
        content_encoding: None,
    }
}

fn run(state: &AppState, req: &RouteRequest) -> Result<Caller, Reply> {
    let query = Query::parse(&req.query).unwrap_or_default();
    let segs: Vec<&str> = req.path.trim_start_matches('/').split('/').collect();
    check(state, req, &query, &segs)
}

/// `query` plus a fresh timestamp and its v2 signature.
fn signed(state: &AppState, secret: &str, method: Method, path: &str, query: &str) -> RouteRequest {
    let ts = state.clock.unix_secs();
    let query = format!("{query}&timestamp={ts}");
    let mut pairs: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
    pairs.sort();
    let input = format!("{method}\npub\n{path}\n{}\n", pairs.join("&"));
    let sig = URL_SAFE_NO_PAD.encode(hmac(secret.as_bytes(), input.as_bytes()));
    request(method, path, &format!("{query}&signature=v2.{sig}"))
}

fn token(state: &AppState, channels: &[(&str, u32)], ttl: u64) -> String {
    let mut resources = Resources::default();
    for (name, bits) in channels {
        resources.channels.insert((*name).into(), *bits);
    }
    let grant = Grant {
        issued: state.clock.unix_secs(),
        ttl,
        resources,
        patterns: Resources::default(),
        meta: Default::default(),
        authorized_uuid: None,
    };
    issue(SECRET, &grant)
}

fn message(reply: &Reply) -> String {
    let body: serde_json::Value = serde_json::from_str(&reply.body).unwrap_or_default();
    body.get("message")
        .or_else(|| body.pointer("/error/message"))
        .and_then(|m| m.as_str())
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn signatures_are_checked_and_make_a_server_caller() {
    let s = state(false);
    let good = signed(&s, SECRET, Method::GET, "/v2/subscribe/sub/a/0", "uuid=u");
    assert_eq!(run(&s, &good), Ok(Caller::Server));
    let wrong = signed(&s, "nope", Method::GET, "/v2/subscribe/sub/a/0", "uuid=u");
    let denied = run(&s, &wrong).unwrap_err();
    assert_eq!(denied.status, http::StatusCode::FORBIDDEN);
    assert_eq!(message(&denied), "Invalid signature");
    // Unsigned with the secret key set and Access Manager off: refused.
    let unsigned = request(Method::GET, "/v2/subscribe/sub/a/0", "uuid=u");
    assert_eq!(
        message(&run(&s, &unsigned).unwrap_err()),
        "Invalid signature"
    );
    // Time needs nothing.
    assert_eq!(
        run(&s, &request(Method::GET, "/time/0", "")),
        Ok(Caller::Open)
    );
    // A stale timestamp.
    let stale = signed(&s, SECRET, Method::GET, "/v2/subscribe/sub/a/0", "uuid=u");
    s.clock.advance(std::time::Duration::from_secs(61));
    assert!(run(&s, &stale).is_err());
}

#[test]
fn tokens_need_the_permission_and_must_be_live() {
    let s = state(true);
    let read_a = token(&s, &[("a", READ)], 1);
    let sub = |ch: &str, auth: &str| {
        request(
            Method::GET,
            &format!("/v2/subscribe/sub/{ch}/0"),
            &format!("uuid=u&auth={auth}"),
        )
    };
    assert_eq!(run(&s, &sub("a", &read_a)), Ok(Caller::Client));
    assert_eq!(run(&s, &sub("a-pnpres", &read_a)), Ok(Caller::Client));
    let denied = run(&s, &sub("a,b", &read_a)).unwrap_err();
    assert_eq!(message(&denied), "Forbidden");
    assert!(
        denied.body.contains(r#""channels":["b"]"#),
        "{}",
        denied.body
    );
    let publish = request(
        Method::GET,
        "/publish/pub/sub/0/a/0/1",
        &format!("auth={read_a}"),
    );
    assert!(run(&s, &publish)
        .unwrap_err()
        .body
        .contains(r#""channels":["a"]"#));
    let write_a = token(&s, &[("a", WRITE)], 1);
    let publish = request(
        Method::GET,
        "/publish/pub/sub/0/a/0/1",
        &format!("auth={write_a}"),
    );
    assert_eq!(run(&s, &publish), Ok(Caller::Client));
    assert_eq!(
        message(&run(&s, &sub("a", "garbage")).unwrap_err()),
        "Invalid token"
    );
    assert_eq!(
        message(&run(&s, &request(Method::GET, "/v2/subscribe/sub/a/0", "")).unwrap_err()),
        "Forbidden"
    );
    s.access_revoked.revoke(
        super::token::verify(SECRET, &write_a)
            .map(|v| v.sig)
            .unwrap_or_default(),
    );
    assert_eq!(message(&run(&s, &publish).unwrap_err()), "Token is revoked");
    s.clock.advance(std::time::Duration::from_secs(60));
    assert_eq!(
        message(&run(&s, &sub("a", &read_a)).unwrap_err()),
        "Token is expired."
    );
}

#[test]
fn grant_and_revoke_need_a_signature() {
    let s = state(true);
    let unsigned = request(Method::POST, "/v3/pam/sub/grant", "uuid=u");
    assert_eq!(
        message(&run(&s, &unsigned).unwrap_err()),
        "Invalid signature"
    );
}

#[test]
fn logs_hide_tokens_and_signatures() {
    assert_eq!(
        redact_query("uuid=u&auth=tok&signature=v2.x"),
        "uuid=u&auth=<redacted>&signature=<redacted>"
    );
    assert_eq!(
        redact_path("/v3/pam/sub/grant/tok"),
        "/v3/pam/sub/grant/<token>"
    );
    assert_eq!(redact_path("/time/0"), "/time/0");
    let debug = format!("{:?}", state(true).config);
    assert!(!debug.contains("\"sec\""), "{debug}");
    assert!(debug.contains("<redacted>"), "{debug}");
}
