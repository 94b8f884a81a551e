//! `pn sub`'s options: --since, --filter, --group, and signals.

mod common;

use common::{output, pn, Running};
use pubnub_devserver::DevServer;
use serde_json::Value;

/// `pn pub ARGS`, expected to succeed; its timetoken.
async fn publish<const N: usize>(server: &DevServer, args: [&str; N]) -> u64 {
    let run = output(&mut pn(server, args)).await;
    assert_eq!(run.code(), Some(0), "{args:?}: {}", run.stderr);
    run.stdout.trim().parse().expect("a timetoken")
}

/// Every stdout line of `sub` until it exits, as JSON.
async fn lines(mut sub: Running) -> Vec<Value> {
    let mut lines = Vec::new();
    while let Some(line) = sub.stdout_line().await {
        lines.push(serde_json::from_str(&line).expect("JSON"));
    }
    let (status, stderr) = sub.finish().await;
    assert_eq!(status.code(), Some(0), "{stderr:?}");
    lines
}

#[tokio::test]
async fn since_catches_up_from_a_timetoken() {
    let server = common::server().await;
    let first = publish(&server, ["pub", "chat", "1"]).await;
    publish(&server, ["pub", "chat", "2"]).await;
    publish(&server, ["pub", "chat", "3"]).await;
    let since = first.saturating_sub(1).to_string();
    let sub = Running::start(&mut pn(
        &server,
        ["sub", "chat", "--since", &since, "--count", "3"],
    ));
    let payloads: Vec<Value> = lines(sub)
        .await
        .into_iter()
        .map(|l| l["payload"].clone())
        .collect();
    assert_eq!(payloads, [1, 2, 3].map(Value::from));
}

#[tokio::test]
async fn filter_keeps_what_the_meta_matches() {
    let server = common::server().await;
    let mut sub = Running::start(&mut pn(
        &server,
        ["sub", "chat", "--filter", r#"lang == "en""#, "--count", "1"],
    ));
    sub.stderr_until("pn: subscribed").await;
    publish(
        &server,
        ["pub", "chat", "hallo", "--meta", r#"{"lang":"de"}"#],
    )
    .await;
    publish(
        &server,
        ["pub", "chat", "hello", "--meta", r#"{"lang":"en"}"#],
    )
    .await;
    let received = lines(sub).await;
    assert_eq!(received.len(), 1);
    assert_eq!(received[0]["payload"], "hello");
}

#[tokio::test]
async fn a_group_and_a_signal() {
    let server = common::server().await;
    let added = output(&mut pn(&server, ["group", "add", "rooms", "lobby"])).await;
    assert_eq!(added.code(), Some(0), "{}", added.stderr);
    let mut sub = Running::start(&mut pn(
        &server,
        ["sub", "--group", "rooms", "--count", "1"],
    ));
    sub.stderr_until("pn: subscribed").await;
    publish(&server, ["pub", "lobby", r#"{"typing":true}"#, "--signal"]).await;
    let received = lines(sub).await;
    assert_eq!(received.len(), 1);
    let signal = &received[0];
    assert_eq!(signal["kind"], "signal");
    assert_eq!(signal["channel"], "lobby");
    assert_eq!(signal["subscription"], "rooms");
    assert_eq!(signal["payload"], serde_json::json!({"typing": true}));
}

#[tokio::test]
async fn a_cipher_key_encrypts_on_the_wire_and_decrypts_for_the_reader() {
    let server = common::server().await;
    let mut sub = Running::start(&mut pn(&server, ["sub", "vault", "--count", "1"]));
    sub.stderr_until("pn: subscribed").await;
    let mut keyed_sub = Running::start(
        pn(&server, ["sub", "vault", "--count", "1"]).env("PUBNUB_CIPHER_KEY", "k-123"),
    );
    keyed_sub.stderr_until("pn: subscribed").await;
    publish(
        &server,
        [
            "pub",
            "vault",
            r#"{"secret":"plans"}"#,
            "--cipher-key",
            "k-123",
        ],
    )
    .await;

    let decrypted = lines(keyed_sub).await;
    assert_eq!(
        decrypted[0]["payload"],
        serde_json::json!({"secret": "plans"})
    );
    assert_eq!(decrypted[0]["decrypt_error"], Value::Null);
    let as_sent = lines(sub).await;
    let ciphertext = as_sent[0]["payload"].as_str().expect("a base64 string");
    assert!(!ciphertext.contains("plans"), "{ciphertext}");
}
