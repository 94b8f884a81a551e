//! The secret key and tokens never show: not in `Debug` of any public type
//! that holds them, not in errors, not in the logs of the client or the dev
//! server (captured at `trace` while grants, uses, refusals and revokes run).

mod common;

use common::*;
use pubnub_stream::{AccessToken, Permissions, PubNub};

const SECRET: &str = "sec-c-SECRETPART";

/// Everything in `shown` that must not be there.
fn leaks(shown: &str, token: &AccessToken) -> Vec<&'static str> {
    let mut found = Vec::new();
    if shown.contains("SECRETPART") {
        found.push("the secret key");
    }
    // A distinctive run of the token (its head is the common CBOR prefix).
    let tail = &token.as_str()[token.as_str().len().saturating_sub(24)..];
    if shown.contains(tail) {
        found.push("the token");
    }
    if shown.contains("signature=v2.") || shown.contains("\"v2.") {
        found.push("a signature");
    }
    found
}

#[tokio::test]
async fn secrets_and_tokens_never_show_in_debug_errors_or_logs() {
    let (logs, _guard) = CapturedLogs::start();

    let server = server_builder()
        .secret_key(SECRET)
        .access_manager(true)
        .start()
        .await
        .unwrap();
    let admin = builder(&server)
        .user_id("admin")
        .secret_key(SECRET)
        .build()
        .unwrap();
    let token = within(admin.grant_token(5).channel("a", Permissions::READ))
        .await
        .unwrap();
    let alice = PubNub::builder()
        .subscribe_key(SUB_KEY)
        .publish_key(PUB_KEY)
        .user_id("alice")
        .auth_key(token.as_str())
        .origin(server.origin())
        .secure(false)
        .build()
        .unwrap();
    alice.set_token(&token).unwrap();
    let sub = within(alice.subscribe().channels("a")).await.unwrap();
    let denied = within(alice.publish().channel("a").message(&1))
        .await
        .unwrap_err();
    let bob = builder(&server).user_id("bob").build().unwrap();
    bob.set_token(&token).unwrap();
    let refused = within(bob.subscribe().channels("b")).await.unwrap_err();
    let bad_token = alice.set_token(format!(" {}", token.as_str())).unwrap_err();
    within(admin.revoke_token(&token)).await.unwrap();
    let revoked = within(alice.publish().channel("a").message(&2))
        .await
        .unwrap_err();
    let grant_builder = admin.grant_token(5).channel("a", Permissions::READ);

    let shown = [
        format!(
            "{admin:?} {alice:?} {:?} {:?}",
            admin.config(),
            alice.config()
        ),
        format!("{token:?} {grant_builder:?} {:?}", token.parse()),
        format!("{denied:?} {denied} {revoked:?} {revoked}"),
        format!("{refused:?} {:?}", refused.status()),
        format!("{bad_token:?} {bad_token}"),
        format!("{server:?} {:?} {:?}", server.config(), server.requests()),
        format!("{sub:?}"),
        logs.text(),
    ];
    for (i, text) in shown.iter().enumerate() {
        assert_eq!(leaks(text, &token), Vec::<&str>::new(), "item {i}: {text}");
    }
    // The logs did see the calls (else this test could not fail).
    let logged = logs.text();
    assert!(logged.contains("auth=<redacted>"), "{logged}");
    assert!(logged.contains("signature=<redacted>"), "{logged}");
    assert!(logged.contains("/grant/<token>"), "{logged}");
    // And the request log still holds the real values for tests to read.
    assert!(server
        .requests()
        .iter()
        .any(|r| r.query_value("auth") == Some(token.as_str())));
}
