//! fetch_messages, message_counts and delete_messages against the dev server.

mod common;

use common::{builder, client, server, within};
use pubnub_devserver::RouteClass;
use pubnub_stream::history::MessageType;
use pubnub_stream::{RequestErrorKind, Timetoken};
use serde_json::json;

async fn publish(pubnub: &pubnub_stream::PubNub, channel: &str, n: u64) -> Timetoken {
    within(pubnub.publish().channel(channel).message(&n))
        .await
        .expect("publish")
        .timetoken
}

#[tokio::test]
async fn fetch_from_several_channels_with_every_field() {
    let server = server().await;
    let pubnub = client(&server);
    let sent = within(
        pubnub
            .publish()
            .channel("a")
            .message(&json!({"text": "hi"}))
            .meta(&json!({"lang": "en"}))
            .custom_message_type("chat-text"),
    )
    .await
    .expect("publish")
    .timetoken;
    let mut b = Vec::new();
    for n in 0..30 {
        b.push(publish(&pubnub, "b", n).await);
    }
    let fetched = within(
        pubnub
            .fetch_messages()
            .channels(["a", "b", "empty"])
            .include_meta(true)
            .include_custom_message_type(true),
    )
    .await
    .expect("fetch");
    let a = fetched.messages("a");
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].message.timetoken, sent);
    assert_eq!(a[0].message.channel, "a");
    assert_eq!(a[0].message.publisher.as_deref(), Some("tester"));
    assert_eq!(a[0].message.user_metadata, Some(json!({"lang": "en"})));
    assert_eq!(
        a[0].message.custom_message_type.as_deref(),
        Some("chat-text")
    );
    assert_eq!(a[0].message_type, MessageType::Message);
    #[derive(serde::Deserialize)]
    struct Text {
        text: String,
    }
    assert_eq!(a[0].decode::<Text>().expect("decodes").text, "hi");
    let typed = a[0].clone().into_typed::<Text>().expect("typed");
    assert_eq!(typed.payload.text, "hi");
    // several channels: 25 each by default, the most recent, oldest first
    let got: Vec<Timetoken> = fetched
        .messages("b")
        .iter()
        .map(|m| m.message.timetoken)
        .collect();
    assert_eq!(got, b[5..].to_vec());
    assert!(fetched.messages("empty").is_empty());

    // start exclusive, end inclusive
    let ranged = within(
        pubnub
            .fetch_messages()
            .channels("b")
            .start(b[10])
            .end(b[4])
            .count(3),
    )
    .await
    .expect("fetch");
    let got: Vec<Timetoken> = ranged
        .messages("b")
        .iter()
        .map(|m| m.message.timetoken)
        .collect();
    assert_eq!(got, b[7..10].to_vec(), "the most recent 3 of [b4, b10)");
    assert!(ranged.more, "the range holds more than 3");
}

#[tokio::test]
async fn bad_fetches_fail_before_any_io() {
    let server = server().await;
    let pubnub = client(&server);
    fn kind<T: std::fmt::Debug>(r: Result<T, pubnub_stream::RequestError>) -> RequestErrorKind {
        r.expect_err("refused").into_kind()
    }
    assert!(matches!(
        kind(pubnub.fetch_messages().await),
        RequestErrorKind::InvalidArgument { .. }
    ));
    assert!(matches!(
        kind(pubnub.fetch_messages().channels(["a", "b"]).count(26).await),
        RequestErrorKind::InvalidArgument { .. }
    ));
    assert!(matches!(
        kind(pubnub.fetch_messages().channels("a").count(0).await),
        RequestErrorKind::InvalidArgument { .. }
    ));
    assert!(matches!(
        kind(pubnub.fetch_messages().channels("").await),
        RequestErrorKind::InvalidChannel { .. }
    ));
    assert!(matches!(
        kind(pubnub.message_counts().channels("a").await),
        RequestErrorKind::InvalidArgument { .. }
    ));
    assert!(server.requests().is_empty(), "{:?}", server.requests());
}

#[tokio::test]
async fn message_counts_per_channel() {
    let server = server().await;
    let pubnub = client(&server);
    let a: Vec<Timetoken> = {
        let mut v = Vec::new();
        for n in 0..5 {
            v.push(publish(&pubnub, "a", n).await);
        }
        v
    };
    publish(&pubnub, "b", 0).await;
    let counts = within(
        pubnub
            .message_counts()
            .channel("a", a[3])
            .channels(["b", "c"])
            .since(Timetoken::new(1)),
    )
    .await
    .expect("counts");
    assert_eq!(counts.get("a"), Some(&2));
    assert_eq!(counts.get("b"), Some(&1));
    assert_eq!(counts.get("c"), Some(&0));

    // Each channel counted from its own timetoken, whatever order the
    // encoded names sort in ("ü" sorts after "u" as text, before it encoded).
    publish(&pubnub, "ü", 0).await;
    let late = publish(&pubnub, "u", 0).await;
    publish(&pubnub, "u", 1).await;
    let counts = within(
        pubnub
            .message_counts()
            .channel("u", late)
            .channel("ü", Timetoken::new(1)),
    )
    .await
    .expect("counts");
    assert_eq!((counts["u"], counts["ü"]), (2, 1));
}

#[tokio::test]
async fn delete_without_a_secret_key_is_refused_without_io() {
    let server = server().await;
    let pubnub = client(&server);
    let err = within(pubnub.delete_messages().channel("a"))
        .await
        .expect_err("no secret key");
    assert_eq!(err.kind(), &RequestErrorKind::MissingSecretKey);
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn delete_round_trip() {
    let server = server().await;
    let admin = builder(&server)
        .secret_key("sec-c-test")
        .build()
        .expect("client");
    let mut tts = Vec::new();
    for n in 0..4 {
        tts.push(publish(&admin, "d", n).await);
    }
    within(admin.delete_messages().channel("d").message(tts[1]))
        .await
        .expect("delete one");
    let left = within(admin.fetch_messages().channels("d"))
        .await
        .expect("fetch");
    let payloads: Vec<u64> = left
        .messages("d")
        .iter()
        .map(|m| m.decode::<u64>().expect("number"))
        .collect();
    assert_eq!(payloads, [0, 2, 3]);
    let delete = server
        .requests()
        .into_iter()
        .find(|r| r.method == http::Method::DELETE)
        .expect("a DELETE request");
    assert_eq!(delete.class, Some(RouteClass::History));
    assert!(
        delete.query_value("signature").is_some(),
        "delete is signed"
    );
    within(admin.delete_messages().channel("d"))
        .await
        .expect("delete all");
    let left = within(admin.fetch_messages().channels("d"))
        .await
        .expect("fetch");
    assert!(left.messages("d").is_empty());
}

#[test]
fn history_types_cross_threads_and_calls_can_be_spawned() {
    fn send_sync<T: Send + Sync>() {}
    fn send_unpin<T: Send + Unpin>() {}
    fn send_future<F: std::future::IntoFuture>(_: F)
    where
        F::IntoFuture: Send + 'static,
    {
    }
    send_sync::<pubnub_stream::FetchedMessages>();
    send_sync::<pubnub_stream::HistoryMessage>();
    send_unpin::<pubnub_stream::History>();
    send_unpin::<pubnub_stream::FetchMessagesBuilder>();
    send_unpin::<pubnub_stream::MessageCountsBuilder>();
    send_unpin::<pubnub_stream::DeleteMessagesBuilder>();
    let pubnub = pubnub_stream::PubNub::builder()
        .subscribe_key("demo")
        .user_id("u")
        .build()
        .expect("client");
    send_future(pubnub.fetch_messages().channels("c"));
    send_future(pubnub.message_counts().channels("c"));
    send_future(pubnub.delete_messages().channel("c"));
    fn stream_is_static<S: futures::Stream + Send + 'static>(_: S) {}
    stream_is_static(pubnub.history("c"));
}

/// Against a server that holds the secret key, a delete signed with another
/// key is refused (and nothing is deleted); signed with the right one, it goes.
#[tokio::test]
async fn delete_is_checked_against_the_servers_secret_key() {
    let server = common::server_builder()
        .secret_key("sec-c-right")
        .start()
        .await
        .expect("dev server");
    let admin = builder(&server)
        .secret_key("sec-c-right")
        .build()
        .expect("client");
    let intruder = builder(&server)
        .secret_key("sec-c-wrong")
        .build()
        .expect("client");
    let tt = publish(&admin, "s", 1).await;
    let err = within(intruder.delete_messages().channel("s").message(tt))
        .await
        .expect_err("wrong key");
    assert!(
        matches!(err.kind(), RequestErrorKind::AccessDenied { .. }),
        "{err}"
    );
    let kept = within(admin.fetch_messages().channels("s"))
        .await
        .expect("fetch");
    assert_eq!(kept.messages("s").len(), 1);
    within(admin.delete_messages().channel("s").message(tt))
        .await
        .expect("right key");
    let left = within(admin.fetch_messages().channels("s"))
        .await
        .expect("fetch");
    assert!(left.messages("s").is_empty());
}

/// With a crypto module, stored messages are decrypted like live ones, in
/// both directions of the history stream; another key's reader gets the raw
/// payload with the reason, never plaintext pretending to be the message.
#[tokio::test]
async fn encrypted_messages_are_decrypted_when_read_back() {
    use futures::TryStreamExt;
    use pubnub_stream::history::Direction;
    use pubnub_stream::CryptoModule;
    let server = server().await;
    let alice = builder(&server)
        .crypto(CryptoModule::aes_cbc("cipher"))
        .build()
        .expect("client");
    within(
        alice
            .publish()
            .channel("secret")
            .message(&json!({"text": "hi"})),
    )
    .await
    .expect("publish");
    let fetched = within(alice.fetch_messages().channels("secret"))
        .await
        .expect("fetch");
    let stored = &fetched.messages("secret")[0].message;
    assert_eq!(stored.payload, json!({"text": "hi"}));
    assert!(stored.decrypt_error.is_none());
    for direction in [Direction::NewestFirst, Direction::OldestFirst] {
        let read: Vec<_> = within(
            alice
                .history("secret")
                .direction(direction)
                .try_collect::<Vec<_>>(),
        )
        .await
        .expect("history");
        assert_eq!(
            read[0].message.payload,
            json!({"text": "hi"}),
            "{direction:?}"
        );
    }
    let plain = within(client(&server).fetch_messages().channels("secret"))
        .await
        .expect("fetch");
    assert!(
        plain.messages("secret")[0].message.payload.is_string(),
        "stored encrypted"
    );
    let other = builder(&server)
        .crypto(CryptoModule::aes_cbc("another key"))
        .build()
        .expect("client");
    let fetched = within(other.fetch_messages().channels("secret"))
        .await
        .expect("fetch");
    let raw = &fetched.messages("secret")[0].message;
    assert!(raw.decrypt_error.is_some());
    assert!(raw.payload.is_string(), "the raw payload, kept");
}
