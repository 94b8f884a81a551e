//! The request/response commands: group, state, here-now, where-now, time.

mod common;

use common::{output, pn, Running};
use serde_json::{json, Value};

/// Runs `pn ARGS` against `server`, expects exit 0, returns stdout as JSON (Null when empty).
async fn call<const N: usize>(server: &pubnub_devserver::DevServer, args: [&str; N]) -> Value {
    let run = output(&mut pn(server, args)).await;
    assert_eq!(run.code(), Some(0), "{args:?}: {}", run.stderr);
    match run.stdout.trim() {
        "" => Value::Null,
        text => serde_json::from_str(text).unwrap_or_else(|e| panic!("{args:?}: {e}: {text}")),
    }
}

#[tokio::test]
async fn groups_are_added_listed_removed_and_deleted() {
    let server = common::server().await;
    call(&server, ["group", "add", "sensors", "temp", "humidity"]).await;
    let mut channels: Vec<Value> = call(&server, ["group", "list", "sensors"])
        .await
        .as_array()
        .cloned()
        .expect("an array");
    channels.sort_by_key(|c| c.to_string());
    assert_eq!(channels, [json!("humidity"), json!("temp")]);
    assert_eq!(call(&server, ["group", "list"]).await, json!(["sensors"]));

    call(&server, ["group", "remove", "sensors", "humidity"]).await;
    assert_eq!(
        call(&server, ["group", "list", "sensors"]).await,
        json!(["temp"])
    );
    call(&server, ["group", "delete", "sensors"]).await;
    assert_eq!(call(&server, ["group", "list"]).await, json!([]));
}

#[tokio::test]
async fn state_here_now_and_where_now_see_a_subscriber() {
    let server = common::server().await;
    let mut alice = Running::start(&mut pn(&server, ["sub", "room", "--user-id", "alice"]));
    alice.stderr_until("pn: subscribed").await;

    let stored = call(
        &server,
        [
            "state",
            "set",
            "room",
            r#"{"mood":"curious"}"#,
            "--user-id",
            "alice",
        ],
    )
    .await;
    assert_eq!(stored, json!({"mood": "curious"}));
    assert_eq!(
        call(&server, ["state", "get", "room", "--user", "alice"]).await,
        json!({"room": {"mood": "curious"}})
    );

    let here = call(&server, ["here-now", "room", "--state"]).await;
    assert_eq!(here["total_occupancy"], 1, "{here}");
    assert_eq!(
        here["channels"]["room"]["occupants"],
        json!([{"uuid": "alice", "state": {"mood": "curious"}}])
    );
    assert_eq!(call(&server, ["where-now", "alice"]).await, json!(["room"]));
}

#[tokio::test]
async fn state_set_wants_a_json_object_last() {
    let server = common::server().await;
    let run = output(&mut pn(&server, ["state", "set", "room", "not-json"])).await;
    assert_eq!(run.code(), Some(2));
    assert!(
        run.stderr.contains("must be a JSON object"),
        "{}",
        run.stderr
    );
    assert!(server.requests().is_empty());
}
