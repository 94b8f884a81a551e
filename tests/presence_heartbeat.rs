//! The heartbeat and leave calls as the dev server receives them (protocol.md §8.2).

mod common;

use std::time::Duration;

use common::{builder, client, presence_requests, server};
use pubnub_devserver::RouteClass;
use pubnub_stream::RequestErrorKind;

#[tokio::test]
async fn heartbeat_sends_the_presence_timeout_groups_and_no_pnpres_names() {
    let server = server().await;
    let pubnub = builder(&server)
        .presence_timeout(Duration::from_secs(120))
        .build()
        .unwrap();
    pubnub
        .heartbeat()
        .channels(["b", "a", "a-pnpres"])
        .channel_groups(["g2", "g1", "g1-pnpres"])
        .await
        .unwrap();
    let sent = presence_requests(&server, "/heartbeat");
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].path,
        "/v2/presence/sub-key/sub-c-test/channel/a,b/heartbeat"
    );
    assert_eq!(sent[0].query_value("heartbeat"), Some("120"));
    assert_eq!(sent[0].query_value("channel-group"), Some("g1,g2"));
    assert_eq!(sent[0].query_value("state"), None);
    assert_eq!(sent[0].query_value("uuid"), Some("tester"));
}

#[tokio::test]
async fn heartbeat_with_only_groups_uses_a_comma_channel_segment() {
    let server = server().await;
    client(&server)
        .heartbeat()
        .channel_groups(["friends"])
        .await
        .unwrap();
    let sent = presence_requests(&server, "/heartbeat");
    assert_eq!(
        sent[0].path,
        "/v2/presence/sub-key/sub-c-test/channel/,/heartbeat"
    );
    assert_eq!(sent[0].query_value("heartbeat"), Some("300"));
    assert_eq!(sent[0].query_value("channel-group"), Some("friends"));
}

#[tokio::test]
async fn heartbeat_carries_the_state_set_on_those_names() {
    let server = server().await;
    let pubnub = client(&server);
    pubnub
        .set_state()
        .channels(["chat"])
        .channel_groups(["friends"])
        .state(&serde_json::json!({"mood": "ok"}))
        .await
        .unwrap();
    pubnub
        .heartbeat()
        .channels(["chat", "other"])
        .channel_groups(["friends"])
        .await
        .unwrap();
    let sent = presence_requests(&server, "/heartbeat");
    let state: serde_json::Value =
        serde_json::from_str(sent[0].query_value("state").unwrap()).unwrap();
    assert_eq!(
        state,
        serde_json::json!({"chat": {"mood": "ok"}, "friends": {"mood": "ok"}})
    );
}

#[tokio::test]
async fn leave_is_sent_for_channels_and_groups_and_forgets_the_state() {
    let server = server().await;
    let pubnub = client(&server);
    pubnub
        .set_state()
        .channels(["chat"])
        .state(&serde_json::json!({"n": 1}))
        .await
        .unwrap();
    pubnub
        .leave()
        .channels(["chat", "chat-pnpres"])
        .channel_groups(["g"])
        .await
        .unwrap();
    let sent = presence_requests(&server, "/leave");
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].path,
        "/v2/presence/sub-key/sub-c-test/channel/chat/leave"
    );
    assert_eq!(sent[0].query_value("channel-group"), Some("g"));
    pubnub.heartbeat().channels(["chat"]).await.unwrap();
    let heartbeat = &presence_requests(&server, "/heartbeat")[0];
    assert_eq!(heartbeat.query_value("state"), None);
}

#[tokio::test]
async fn empty_or_invalid_targets_fail_before_any_request() {
    let server = server().await;
    let pubnub = client(&server);
    let err = pubnub.heartbeat().await.unwrap_err();
    assert!(matches!(
        err.kind(),
        RequestErrorKind::InvalidArgument { .. }
    ));
    let err = pubnub.heartbeat().channels(["x-pnpres"]).await.unwrap_err();
    assert!(matches!(
        err.kind(),
        RequestErrorKind::InvalidArgument { .. }
    ));
    let err = pubnub.leave().channels([""]).await.unwrap_err();
    assert!(matches!(
        err.kind(),
        RequestErrorKind::InvalidChannel { .. }
    ));
    assert!(server
        .requests()
        .iter()
        .all(|r| r.class != Some(RouteClass::Presence)));
}

#[tokio::test]
async fn server_errors_are_typed() {
    let server = server().await;
    let pubnub = client(&server);
    server.faults().fail_next(
        RouteClass::Presence,
        1,
        400,
        r#"{"status":400,"error":1,"message":"Invalid JSON specified.","service":"Presence"}"#,
    );
    let err = pubnub.heartbeat().channels(["c"]).await.unwrap_err();
    assert_eq!(
        err.kind(),
        &RequestErrorKind::BadRequest {
            message: "Invalid JSON specified.".into()
        }
    );
    server.faults().fail_next(RouteClass::Presence, 1, 500, "");
    let err = pubnub.leave().channels(["c"]).await.unwrap_err();
    assert!(err.is_retryable());
}
