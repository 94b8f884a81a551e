//! Access Manager v3 end to end: a server-side client (secret key) grants
//! tokens, user clients send them, the dev server (secret key + Access
//! Manager on) enforces them.

mod common;

use std::time::Duration;

use common::*;
use futures::SinkExt;
use pubnub_devserver::{DevServer, RouteClass};
use pubnub_stream::{
    AccessToken, DenialReason, Permissions, PubNub, RequestError, RequestErrorKind, Status,
    TokenResources,
};
use serde_json::json;

const SECRET: &str = "sec-c-test-secret";

async fn pam_server() -> DevServer {
    server_builder()
        .secret_key(SECRET)
        .access_manager(true)
        .start()
        .await
        .expect("dev server starts")
}

/// The server side: holds the secret key, so its requests are signed.
fn admin(server: &DevServer) -> PubNub {
    builder(server)
        .user_id("admin")
        .secret_key(SECRET)
        .build()
        .expect("client builds")
}

/// A user client sending `token`.
fn user(server: &DevServer, name: &str, token: &AccessToken) -> PubNub {
    let pubnub = subscriber_builder(server, name)
        .build()
        .expect("client builds");
    pubnub.set_token(token).expect("a valid token");
    pubnub
}

async fn grant(
    server: &DevServer,
    channel: &str,
    permissions: Permissions,
    ttl: u32,
) -> AccessToken {
    within(admin(server).grant_token(ttl).channel(channel, permissions))
        .await
        .expect("grant succeeds")
}

/// The `AccessDenied` parts of `err`, or a panic naming what it was.
fn denied(err: &RequestError) -> (DenialReason, Vec<String>, Vec<String>) {
    match err.kind() {
        RequestErrorKind::AccessDenied {
            reason,
            channels,
            channel_groups,
            ..
        } => (*reason, channels.clone(), channel_groups.clone()),
        other => panic!("expected AccessDenied, got {other:?}"),
    }
}

fn status_error(status: &Status) -> &RequestError {
    status
        .error()
        .unwrap_or_else(|| panic!("a request error in {status:?}"))
}

#[tokio::test]
async fn a_read_token_on_a_subscribes_to_a_and_is_refused_on_b() {
    let server = pam_server().await;
    let token = grant(&server, "a", Permissions::READ, 60).await;
    let alice = user(&server, "alice", &token);
    let sub = within(alice.subscribe().channels("a"))
        .await
        .expect("read on a");
    let mut messages = sub;
    within(admin(&server).publish().channel("a").message(&json!("hi")))
        .await
        .expect("the server side publishes (signed)");
    assert_eq!(next_message(&mut messages).await.payload, json!("hi"));

    let bob = user(&server, "bob", &token);
    let refused = within(bob.subscribe().channels("b")).await.unwrap_err();
    let status = refused.status();
    assert!(matches!(status, Status::AccessDenied { .. }), "{status:?}");
    let (reason, channels, groups) = denied(status_error(status));
    assert_eq!(reason, DenialReason::Permission);
    assert_eq!(channels, ["b"]);
    assert!(groups.is_empty());
    assert!(status_error(status).to_string().contains("channels: b"));
}

/// On a client already reading `a`, a subscription to `b` that the token
/// does not cover fails its own await with `AccessDenied` naming `b`; the
/// subscription to `a` goes on.
#[tokio::test]
async fn a_refused_new_channel_fails_only_its_own_subscription() {
    let server = pam_server().await;
    let token = grant(&server, "a", Permissions::READ, 60).await;
    let alice = user(&server, "alice", &token);
    let mut on_a = within(alice.subscribe().channels("a"))
        .await
        .expect("read on a");
    let refused = within(alice.subscribe().channels("b")).await.unwrap_err();
    let status = refused.status();
    assert!(matches!(status, Status::AccessDenied { .. }), "{status:?}");
    let (_, channels, _) = denied(status_error(status));
    assert_eq!(channels, ["b"]);

    within(
        admin(&server)
            .publish()
            .channel("a")
            .message(&json!("after")),
    )
    .await
    .expect("the server side publishes (signed)");
    assert_eq!(next_message(&mut on_a).await.payload, json!("after"));
}

#[tokio::test]
async fn a_read_token_cannot_publish_and_the_error_names_the_channel() {
    let server = pam_server().await;
    let token = grant(&server, "a", Permissions::READ, 60).await;
    let alice = user(&server, "alice", &token);
    let err = within(alice.publish().channel("a").message(&1))
        .await
        .unwrap_err();
    assert_eq!(
        denied(&err),
        (DenialReason::Permission, vec!["a".into()], vec![])
    );
    assert!(err.to_string().contains("channels: a"), "{err}");
    let err = within(alice.signal().channel("a").message(&1))
        .await
        .unwrap_err();
    assert_eq!(denied(&err).1, ["a"]);
}

#[tokio::test]
async fn set_token_reaches_the_running_subscription_and_sink() {
    let server = pam_server().await;
    let both = Permissions::READ | Permissions::WRITE;
    let first = grant(&server, "a", both, 1).await;
    // Granted now: signed requests must be within 60 s of the server clock.
    let second = grant(&server, "a", both, 60).await;
    let alice = user(&server, "alice", &first);
    let sub = within(alice.subscribe().channels("a")).await.unwrap();
    let ended = sub.termination();
    let mut messages = sub;
    let mut sink = alice.publisher("a").sink::<u32>();
    within(sink.send(1)).await.expect("the first token writes");
    assert_eq!(next_message(&mut messages).await.payload, json!(1));

    // The long-poll after message 1 is held (checked with the first token);
    // then the first token runs out and the second replaces it at run time.
    wait_subscribe_count(&server, 3).await;
    server.advance_clock(Duration::from_secs(120));
    alice.set_token(&second).unwrap();
    within(sink.send(2))
        .await
        .expect("the running sink's next publish sends the new token");
    assert_eq!(next_message(&mut messages).await.payload, json!(2));
    // The long-poll after that one carries the new token too, and goes on.
    within(server.wait_for_request(|r| {
        r.class == Some(RouteClass::Subscribe) && r.query_value("auth") == Some(second.as_str())
    }))
    .await;
    within(sink.send(3)).await.unwrap();
    assert_eq!(next_message(&mut messages).await.payload, json!(3));
    assert!(ended.reason().is_none(), "{:?}", ended.reason());
}

#[tokio::test]
async fn an_expired_token_is_refused_as_expired() {
    let server = pam_server().await;
    let token = grant(&server, "a", Permissions::WRITE, 1).await;
    let alice = user(&server, "alice", &token);
    within(alice.publish().channel("a").message(&1))
        .await
        .expect("valid for a minute");
    server.advance_clock(Duration::from_secs(61));
    let err = within(alice.publish().channel("a").message(&2))
        .await
        .unwrap_err();
    let (reason, ..) = denied(&err);
    assert_eq!(reason, DenialReason::TokenExpired);
    assert!(reason.is_token_problem());
}

#[tokio::test]
async fn a_revoked_token_is_refused_as_revoked() {
    let server = pam_server().await;
    let token = grant(&server, "a", Permissions::WRITE, 60).await;
    let alice = user(&server, "alice", &token);
    within(alice.publish().channel("a").message(&1))
        .await
        .unwrap();
    within(admin(&server).revoke_token(&token)).await.unwrap();
    let err = within(alice.publish().channel("a").message(&2))
        .await
        .unwrap_err();
    assert_eq!(denied(&err).0, DenialReason::TokenRevoked);
    // A token this keyset never issued.
    alice.set_token("p0F2AkF0GmVVVVVDdHRsGDxDcmVzpQ").unwrap();
    let err = within(alice.publish().channel("a").message(&3))
        .await
        .unwrap_err();
    assert_eq!(denied(&err).0, DenialReason::TokenInvalid);
}

#[tokio::test]
async fn a_wrong_secret_key_is_refused_with_a_clear_error() {
    let server = pam_server().await;
    let impostor = builder(&server)
        .user_id("impostor")
        .secret_key("not-the-secret")
        .build()
        .unwrap();
    let err = within(impostor.grant_token(60).channel("a", Permissions::READ))
        .await
        .unwrap_err();
    assert_eq!(denied(&err).0, DenialReason::Signature);
    assert!(err.to_string().contains("Invalid signature"), "{err}");
    let err = within(impostor.publish().channel("a").message(&1))
        .await
        .unwrap_err();
    assert_eq!(denied(&err).0, DenialReason::Signature);
    // Granting without any secret key fails before any request.
    let no_key = client(&server);
    let err = within(no_key.grant_token(60).channel("a", Permissions::READ))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), &RequestErrorKind::MissingSecretKey);
    assert!(server
        .requests()
        .iter()
        .all(|r| r.query_value("uuid") != Some("tester")));
}

#[tokio::test]
async fn parse_token_returns_exactly_what_was_granted() {
    let server = pam_server().await;
    let meta = json!({"plan": "gold", "seats": 3, "beta": true, "nested": {"x": [1, null]}});
    let token = within(
        admin(&server)
            .grant_token(90)
            .channel("a", Permissions::READ | Permissions::WRITE)
            .channel("a", Permissions::GET)
            .channel_pattern("^room-.*$", Permissions::READ)
            .channel_group("g", Permissions::MANAGE)
            .channel_group_pattern("^team-.*$", Permissions::READ)
            .user_id("bob", Permissions::GET | Permissions::UPDATE)
            .user_id_pattern("^bot-.*$", Permissions::DELETE)
            .authorized_user_id("alice")
            .meta(&meta),
    )
    .await
    .unwrap();
    let info = pubnub_stream::parse_token(token.as_str()).unwrap();
    assert_eq!(info, token.parse().unwrap());
    assert_eq!(info.version, 2);
    assert_eq!(info.ttl_minutes, 90);
    assert_eq!(info.authorized_user_id.as_deref(), Some("alice"));
    let names = |entries: &[(&str, Permissions)]| {
        entries
            .iter()
            .map(|(n, p)| ((*n).to_owned(), *p))
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    assert_eq!(
        info.resources,
        TokenResources {
            channels: names(&[(
                "a",
                Permissions::READ | Permissions::WRITE | Permissions::GET
            )]),
            groups: names(&[("g", Permissions::MANAGE)]),
            user_ids: names(&[("bob", Permissions::GET | Permissions::UPDATE)]),
        }
    );
    assert_eq!(
        info.patterns,
        TokenResources {
            channels: names(&[("^room-.*$", Permissions::READ)]),
            groups: names(&[("^team-.*$", Permissions::READ)]),
            user_ids: names(&[("^bot-.*$", Permissions::DELETE)]),
        }
    );
    assert_eq!(serde_json::Value::Object(info.meta), meta);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(
        info.issued_at.abs_diff(now) < 60,
        "{} vs {now}",
        info.issued_at
    );
}

#[tokio::test]
async fn patterns_groups_and_the_authorized_user_are_enforced() {
    let server = pam_server().await;
    let token = within(
        admin(&server)
            .grant_token(60)
            .channel_pattern("^room-.*$", Permissions::READ | Permissions::WRITE)
            .channel_group("g", Permissions::READ | Permissions::MANAGE)
            .authorized_user_id("alice"),
    )
    .await
    .unwrap();
    let alice = user(&server, "alice", &token);
    within(alice.publish().channel("room-1").message(&1))
        .await
        .unwrap();
    let err = within(alice.publish().channel("lobby").message(&1))
        .await
        .unwrap_err();
    assert_eq!(denied(&err).1, ["lobby"]);
    within(
        alice
            .add_channels_to_channel_group()
            .channel_group("g")
            .channels(["room-1"]),
    )
    .await
    .expect("manage on g");
    let _in_g = within(alice.subscribe().channel_groups("g"))
        .await
        .expect("read on g");
    let other = user(&server, "alice", &token);
    let refused = within(other.subscribe().channel_groups("h"))
        .await
        .unwrap_err();
    assert_eq!(denied(status_error(refused.status())).2, ["h"]);
    let mallory = user(&server, "mallory", &token);
    let err = within(mallory.publish().channel("room-1").message(&1))
        .await
        .unwrap_err();
    assert_eq!(denied(&err).0, DenialReason::TokenInvalid);
}

#[tokio::test]
async fn with_a_secret_key_alone_every_request_is_signed_post_publish_included() {
    let server = server_builder().secret_key(SECRET).start().await.unwrap();
    let signer = admin(&server);
    let sub = within(signer.subscribe().channels("a"))
        .await
        .expect("signed subscribe");
    let mut messages = sub;
    within(signer.publish().channel("a").message(&1))
        .await
        .expect("signed GET publish");
    within(signer.publish().channel("a").message(&2).use_post(true))
        .await
        .expect("signed POST publish");
    let mut sink = signer.publisher("a").sink::<u32>();
    within(sink.send(3)).await.expect("the sink signs");
    for n in [1, 2, 3] {
        assert_eq!(next_message(&mut messages).await.payload, json!(n));
    }
    let unsigned = client(&server);
    let err = within(unsigned.publish().channel("a").message(&1))
        .await
        .unwrap_err();
    assert_eq!(denied(&err).0, DenialReason::Signature);
    assert!(server
        .requests()
        .iter()
        .filter(|r| r.query_value("uuid") == Some("admin"))
        .all(|r| r
            .query_value("signature")
            .is_some_and(|s| s.starts_with("v2."))));
}

#[tokio::test]
async fn the_dev_server_refuses_settings_that_cannot_work() {
    let no_secret = DevServer::builder().access_manager(true).start().await;
    assert_eq!(
        no_secret.unwrap_err().kind(),
        std::io::ErrorKind::InvalidInput
    );
    let no_keyset = DevServer::builder().secret_key("s").start().await;
    assert_eq!(
        no_keyset.unwrap_err().kind(),
        std::io::ErrorKind::InvalidInput
    );
}
