//! Publish, signal and time against the dev server.

mod common;

use common::{client, history, server};
use pubnub_devserver::RouteClass;
use serde_json::json;

#[tokio::test]
async fn publish_by_get_returns_a_timetoken_and_stores_the_message() {
    let server = server().await;
    let pubnub = client(&server);
    let sent = pubnub
        .publish()
        .channel("chat")
        .message(&json!({"text": "hello"}))
        .await
        .unwrap();
    let stored = history(&server, "chat").await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["message"], json!({"text": "hello"}));
    assert_eq!(stored[0]["timetoken"], sent.timetoken.to_string());
}

#[tokio::test]
async fn publish_by_post_sends_the_message_as_the_body() {
    let server = server().await;
    let pubnub = client(&server);
    pubnub
        .publish()
        .channel("chat")
        .message(&json!(["a", 1, true]))
        .use_post(true)
        .await
        .unwrap();
    let request = server
        .wait_for_request(|r| r.class == Some(RouteClass::Publish))
        .await;
    assert_eq!(request.method, http::Method::POST);
    assert_eq!(
        history(&server, "chat").await[0]["message"],
        json!(["a", 1, true])
    );
}

#[tokio::test]
async fn meta_is_stored_with_the_message() {
    let server = server().await;
    client(&server)
        .publish()
        .channel("chat")
        .message(&"hi")
        .meta(&json!({"lang": "en", "n": 5}))
        .await
        .unwrap();
    assert_eq!(
        history(&server, "chat").await[0]["meta"],
        json!({"lang": "en", "n": 5})
    );
}

#[tokio::test]
async fn should_store_false_keeps_the_message_out_of_history() {
    let server = server().await;
    let pubnub = client(&server);
    pubnub
        .publish()
        .channel("chat")
        .message(&1)
        .should_store(false)
        .await
        .unwrap();
    pubnub
        .publish()
        .channel("chat")
        .message(&2)
        .should_store(true)
        .await
        .unwrap();
    let stored = history(&server, "chat").await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["message"], json!(2));
}

#[tokio::test]
async fn store_ttl_and_replicate_false_reach_the_server() {
    let server = server().await;
    client(&server)
        .publish()
        .channel("chat")
        .message(&1)
        .should_store(true)
        .ttl(24)
        .replicate(false)
        .await
        .unwrap();
    let request = server
        .wait_for_request(|r| r.class == Some(RouteClass::Publish))
        .await;
    assert_eq!(request.query_value("store"), Some("1"));
    assert_eq!(request.query_value("ttl"), Some("24"));
    assert_eq!(request.query_value("norep"), Some("true"));
    assert_eq!(request.query_value("uuid"), Some("tester"));
}

#[tokio::test]
async fn custom_message_type_is_stored() {
    let server = server().await;
    client(&server)
        .publish()
        .channel("chat")
        .message(&1)
        .custom_message_type("chat-v1_x")
        .await
        .unwrap();
    assert_eq!(
        history(&server, "chat").await[0]["custom_message_type"],
        "chat-v1_x"
    );
}

#[tokio::test]
async fn unicode_and_awkward_channel_names_round_trip_exactly() {
    let server = server().await;
    let pubnub = client(&server);
    for channel in ["ü", "x+y", "a'b(c)!~", "q?a=1&b#c", "%20"] {
        pubnub
            .publish()
            .channel(channel)
            .message(&channel)
            .await
            .unwrap();
        let stored = history(&server, channel).await;
        assert_eq!(stored.len(), 1, "channel {channel:?}");
        assert_eq!(stored[0]["message"], json!(channel));
    }
}

#[tokio::test]
async fn unicode_and_reserved_characters_in_messages_survive_get_and_post() {
    let server = server().await;
    let pubnub = client(&server);
    let text = "a b+c%20 ü € 😀 !~*'() ,:/?#&=";
    pubnub
        .publish()
        .channel("get")
        .message(&text)
        .await
        .unwrap();
    pubnub
        .publish()
        .channel("post")
        .message(&text)
        .use_post(true)
        .await
        .unwrap();
    assert_eq!(history(&server, "get").await[0]["message"], json!(text));
    assert_eq!(history(&server, "post").await[0]["message"], json!(text));
}

#[tokio::test]
async fn signal_returns_a_timetoken_and_is_not_stored() {
    let server = server().await;
    let pubnub = client(&server);
    let sent = pubnub
        .signal()
        .channel("typing")
        .message(&json!({"on": true}))
        .await
        .unwrap();
    assert!(!sent.timetoken.is_zero());
    let request = server
        .wait_for_request(|r| r.class == Some(RouteClass::Signal))
        .await;
    assert!(
        request.path.ends_with("/typing/0/{\"on\":true}"),
        "{}",
        request.path
    );
    assert!(history(&server, "typing").await.is_empty());
}

#[tokio::test]
async fn time_is_the_server_clock() {
    let server = server().await;
    let pubnub = client(&server);
    let before = pubnub.time().await.unwrap();
    let sent = pubnub.publish().channel("c").message(&1).await.unwrap();
    assert!(before.as_u64() > 0);
    assert!(sent.timetoken >= before);
}
