//! `pn history`: a channel's stored messages as JSON lines.

mod common;

use common::{output, pn};
use pubnub_devserver::DevServer;
use serde_json::Value;

/// Publishes 1..=5 on `chat` with pn; their timetokens.
async fn publish_five(server: &DevServer) -> Vec<String> {
    let mut timetokens = Vec::new();
    for n in 1..=5 {
        let n = n.to_string();
        let run = output(&mut pn(
            server,
            ["pub", "chat", &n, "--meta", r#"{"k":"v"}"#],
        ))
        .await;
        assert_eq!(run.code(), Some(0), "{}", run.stderr);
        timetokens.push(run.stdout.trim().to_owned());
    }
    timetokens
}

/// `pn history ARGS`: its lines as JSON.
async fn history<const N: usize>(server: &DevServer, args: [&str; N]) -> Vec<Value> {
    let run = output(&mut pn(server, args)).await;
    assert_eq!(run.code(), Some(0), "{}", run.stderr);
    run.stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is JSON"))
        .collect()
}

fn payloads(lines: &[Value]) -> Vec<Value> {
    lines.iter().map(|l| l["payload"].clone()).collect()
}

#[tokio::test]
async fn history_prints_stored_messages_newest_first_with_sub_fields() {
    let server = common::server().await;
    let timetokens = publish_five(&server).await;
    let all = history(&server, ["history", "chat"]).await;
    assert_eq!(payloads(&all), [5, 4, 3, 2, 1].map(Value::from));
    let newest = &all[0];
    assert_eq!(newest["kind"], "message");
    assert_eq!(newest["channel"], "chat");
    assert_eq!(
        newest["timetoken"].as_str(),
        timetokens.last().map(String::as_str)
    );
    assert_eq!(newest["meta"], serde_json::json!({"k": "v"}));

    let last_two = history(&server, ["history", "chat", "--limit", "2"]).await;
    assert_eq!(payloads(&last_two), [5, 4].map(Value::from));
}

#[tokio::test]
async fn history_since_and_until_bound_the_range() {
    let server = common::server().await;
    let timetokens = publish_five(&server).await;
    let after_first = history(
        &server,
        [
            "history",
            "chat",
            "--since",
            &timetokens[0],
            "--oldest-first",
        ],
    )
    .await;
    assert_eq!(payloads(&after_first), [2, 3, 4, 5].map(Value::from));
    let before_last = history(&server, ["history", "chat", "--until", &timetokens[4]]).await;
    assert_eq!(payloads(&before_last), [4, 3, 2, 1].map(Value::from));
}

#[tokio::test]
async fn history_of_a_channel_without_messages_prints_nothing() {
    let server = common::server().await;
    assert!(history(&server, ["history", "empty"]).await.is_empty());
}
