//! Request building and the checks that happen before any I/O.

use std::future::IntoFuture;

use super::*;
use crate::client::PubNub;
use crate::error::RequestErrorKind;

/// A client whose origin refuses connections: any I/O would fail with
/// `Network`. Its publish limit is 200 bytes.
fn offline(publish_key: Option<&str>) -> PubNub {
    offline_with_limit(publish_key, 200)
}

fn offline_with_limit(publish_key: Option<&str>, limit: usize) -> PubNub {
    let mut b = PubNub::builder()
        .subscribe_key("sub-c-1")
        .user_id("u")
        .origin("127.0.0.1:9")
        .secure(false)
        .max_publish_bytes(limit);
    if let Some(key) = publish_key {
        b = b.publish_key(key);
    }
    b.build().unwrap()
}

fn prepared(channel: &str, options: PublishOptions) -> PreparedPublish {
    let pubnub = offline_with_limit(Some("pub-c-1"), 1000);
    PreparedPublish::new(
        pubnub.inner(),
        channel,
        &serde_json::json!({"t": "a b"}),
        options,
    )
    .unwrap()
}

#[test]
fn get_puts_the_encoded_message_in_the_path() {
    let pubnub = offline(Some("pub-c-1"));
    let p = prepared("a'b(c)*!~", PublishOptions::default());
    let req = p.request(pubnub.config());
    assert_eq!(req.method, http::Method::GET);
    assert_eq!(
        req.path,
        "/publish/pub-c-1/sub-c-1/0/a%27b%28c%29%2A%21%7E/0/%7B%22t%22%3A%22a%20b%22%7D"
    );
    assert_eq!(req.query, vec![("seqn".into(), p.seqn().to_string())]);
    assert!(req.body.is_none());
}

#[test]
fn post_sends_the_json_as_body() {
    let pubnub = offline(Some("pub-c-1"));
    let mut options = PublishOptions::default();
    options.set_use_post(true);
    let req = prepared("x+y", options).request(pubnub.config());
    assert_eq!(req.method, http::Method::POST);
    assert_eq!(req.path, "/publish/pub-c-1/sub-c-1/0/x%2By/0");
    assert_eq!(req.body.as_deref(), Some(&b"{\"t\":\"a b\"}"[..]));
}

#[test]
fn options_become_query_parameters() {
    let pubnub = offline(Some("pub-c-1"));
    let mut options = PublishOptions::default();
    options.set_store(false);
    options.set_ttl(24);
    options.set_replicate(false);
    options.set_custom_message_type("chat-v1".into());
    options.set_meta(&serde_json::json!({"lang": "en"}), 1000);
    let prepared = prepared("c", options);
    let seqn = prepared.seqn().to_string();
    let req = prepared.request(pubnub.config());
    let q: Vec<(&str, &str)> = req
        .query
        .iter()
        .map(|(k, v)| (k.as_ref(), v.as_str()))
        .collect();
    assert_eq!(
        q,
        [
            ("store", "0"),
            ("ttl", "24"),
            ("meta", "{\"lang\":\"en\"}"),
            ("norep", "true"),
            ("custom_message_type", "chat-v1"),
            ("seqn", seqn.as_str()),
        ]
    );
}

#[tokio::test]
async fn missing_channel_or_message_is_a_typed_error() {
    let pubnub = offline(Some("pub-c-1"));
    let err = pubnub.publish().message(&1).await.unwrap_err();
    assert!(matches!(
        err.kind(),
        RequestErrorKind::InvalidArgument { .. }
    ));
    let err = pubnub.publish().channel("c").await.unwrap_err();
    assert!(matches!(
        err.kind(),
        RequestErrorKind::InvalidArgument { .. }
    ));
}

#[tokio::test]
async fn local_checks_fail_before_any_io() {
    let err = offline(None)
        .publish()
        .channel("c")
        .message(&1)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), &RequestErrorKind::MissingPublishKey);

    let pubnub = offline(Some("pub-c-1"));
    let err = pubnub.publish().channel("").message(&1).await.unwrap_err();
    assert!(matches!(
        err.kind(),
        RequestErrorKind::InvalidChannel { .. }
    ));

    let err = pubnub
        .publish()
        .channel("c")
        .message(&"x".repeat(200))
        .await
        .unwrap_err();
    assert!(matches!(
        err.kind(),
        RequestErrorKind::MessageTooLarge { limit: 200, .. }
    ));

    let publish = pubnub.publish().channel("c").message(&1);
    let signal = pubnub.signal().channel("c").message(&1);
    for call in [
        publish.custom_message_type("no").into_future(),
        signal.custom_message_type("no").into_future(),
    ] {
        assert!(matches!(
            call.await.unwrap_err().kind(),
            RequestErrorKind::InvalidArgument { .. }
        ));
    }

    let err = pubnub
        .signal()
        .channel("c")
        .message(&"x".repeat(63))
        .await
        .unwrap_err();
    assert_eq!(
        err.kind(),
        &RequestErrorKind::MessageTooLarge {
            size: 65,
            limit: 64
        }
    );
}

/// A value serde_json refuses: a map with non-string keys.
fn unserializable() -> std::collections::HashMap<(u8, u8), u8> {
    std::iter::once(((1, 2), 3)).collect()
}

#[tokio::test]
async fn unserializable_messages_and_meta_are_serialization_errors_with_a_source() {
    let pubnub = offline(Some("p"));
    let bad_message = pubnub.publish().channel("c").message(&unserializable());
    let bad_meta = pubnub
        .publish()
        .channel("c")
        .message(&1)
        .meta(&unserializable());
    for publish in [bad_message, bad_meta] {
        let err = publish.await.unwrap_err();
        assert_eq!(err.kind(), &RequestErrorKind::Serialization);
        assert!(std::error::Error::source(&err).is_some());
    }
}

#[tokio::test]
async fn with_every_check_passed_the_request_is_sent() {
    // port 9 on loopback refuses: proves the request left (Network error), unlike above
    let pubnub = offline(Some("p"));
    let plain = pubnub.publish().channel("c").message(&1);
    // a later good meta replaces a bad one
    let meta_replaced = pubnub
        .publish()
        .channel("c")
        .message(&1)
        .meta(&unserializable())
        .meta(&serde_json::json!({"ok": true}));
    for publish in [plain, meta_replaced] {
        assert_eq!(
            publish.await.unwrap_err().kind(),
            &RequestErrorKind::Network
        );
    }
    let signal = pubnub
        .signal()
        .channel("c")
        .message(&1)
        .custom_message_type("typing");
    assert_eq!(signal.await.unwrap_err().kind(), &RequestErrorKind::Network);
}

#[tokio::test]
async fn send_prepared_returns_the_server_timetoken_and_can_resend() {
    const SENT: &str =
        "HTTP/1.1 200 OK\r\ncontent-length: 30\r\n\r\n[1,\"Sent\",\"17334108327846111\"]";
    let (origin, seen) = crate::test_support::one_shot_server(SENT).await;
    let pubnub = PubNub::builder()
        .subscribe_key("s")
        .publish_key("p")
        .user_id("u")
        .origin(origin)
        .secure(false)
        .build()
        .unwrap();
    let p = PreparedPublish::new(pubnub.inner(), "ch", &"hi", PublishOptions::default()).unwrap();
    let result = send_prepared(pubnub.inner(), &p).await.unwrap();
    assert_eq!(result.timetoken.as_u64(), 17334108327846111);
    assert!(seen
        .await
        .unwrap()
        .starts_with("GET /publish/p/s/0/ch/0/%22hi%22?"));
}

#[tokio::test]
async fn the_publish_sink_checks_options_like_the_builder() {
    use futures::SinkExt;

    use crate::publish::sink::PublishSinkError;

    let pubnub = offline(Some("p"));
    let bad_meta = pubnub
        .publisher("c")
        .meta(&unserializable())
        .stop_on_reject()
        .sink::<u8>();
    let bad_type = pubnub
        .publisher("c")
        .custom_message_type("no")
        .stop_on_reject()
        .sink::<u8>();
    for (mut sink, is_serialization) in [(bad_meta, true), (bad_type, false)] {
        match sink.send(7).await {
            Err(PublishSinkError::Rejected { item, error }) => {
                assert_eq!(item, 7);
                let kind = error.kind();
                if is_serialization {
                    assert_eq!(kind, &RequestErrorKind::Serialization);
                } else {
                    assert!(matches!(kind, RequestErrorKind::InvalidArgument { .. }));
                }
            }
            other => panic!("expected a rejection, got {other:?}"),
        }
    }
}
