//! Encrypted messages through the dev server: publish and the publish sink
//! encrypt, subscriptions decrypt, in both cryptors; what stays plain (meta,
//! signals) stays plain; the size limit counts the encrypted form.

mod common;

use std::time::Duration;

use common::*;
use futures::{SinkExt, Stream, StreamExt};
use pubnub_devserver::{DevServer, RouteClass};
use pubnub_stream::{
    ConfigError, CryptoModule, DecodeError, Event, EventStreamExt, PubNub, RequestErrorKind,
    RetryPolicy, TypedMessage,
};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Chat {
    text: String,
    n: u32,
}

fn chat(n: u32) -> Chat {
    Chat {
        text: format!("secret message {n} ✓"),
        n,
    }
}

/// The three ways to encrypt, with one cipher key.
fn modules(key: &str) -> [(&'static str, CryptoModule); 3] {
    [
        ("aes-cbc", CryptoModule::aes_cbc(key)),
        ("legacy random IV", CryptoModule::legacy(key, true)),
        ("legacy fixed IV", CryptoModule::legacy(key, false)),
    ]
}

fn client_with(server: &DevServer, user: &str, crypto: CryptoModule) -> PubNub {
    subscriber_builder(server, user)
        .crypto(crypto)
        .build()
        .expect("client builds")
}

/// A connected subscription's messages on `channel` decoded as [`Chat`].
async fn typed_reader(
    reader: &PubNub,
    channel: &str,
) -> impl Stream<Item = Result<TypedMessage<Chat>, DecodeError>> + Unpin {
    let subscription = within(reader.subscribe().channels(channel.to_owned()))
        .await
        .expect("connects");
    Box::pin(subscription.messages().typed::<Chat>())
}

async fn next_chat<S>(stream: &mut S) -> Chat
where
    S: Stream<Item = Result<TypedMessage<Chat>, DecodeError>> + Unpin,
{
    within(stream.next())
        .await
        .expect("stream open")
        .expect("the message decrypts and decodes")
        .payload
}

/// What the server delivered is a base64 string that is not the message,
/// and that `crypto` decrypts to the message's JSON.
fn assert_encrypted(delivered: &Value, crypto: &CryptoModule, message: &Chat) {
    let sealed = delivered
        .as_str()
        .expect("an encrypted payload is a string");
    assert!(!sealed.contains("secret"), "{sealed}");
    let plain = crypto.decrypt(sealed).expect("decrypts");
    assert_eq!(serde_json::from_slice::<Chat>(&plain).unwrap(), *message);
}

#[tokio::test]
async fn publish_then_subscribe_round_trips_in_every_mode_get_and_post() {
    let server = server().await;
    for (i, (name, crypto)) in modules("round-trip-key").into_iter().enumerate() {
        let channel = format!("enc-{i}");
        let reader = client_with(&server, "reader", crypto.clone());
        let mut messages = typed_reader(&reader, &channel).await;
        let mut raw = RawSubscriber::start(&server, &[&channel]).await;
        let writer = client_with(&server, "writer", crypto.clone());
        for (n, post) in [(1, false), (2, true)] {
            within(
                writer
                    .publish()
                    .channel(&channel)
                    .message(&chat(n))
                    .use_post(post),
            )
            .await
            .unwrap_or_else(|e| panic!("{name}: publish {n}: {e}"));
        }
        assert_eq!(next_chat(&mut messages).await, chat(1), "{name}");
        assert_eq!(next_chat(&mut messages).await, chat(2), "{name}");
        let delivered = raw.collect(2).await;
        for (received, n) in delivered.iter().zip([1, 2]) {
            assert_encrypted(&received.payload, &crypto, &chat(n));
        }
    }
}

#[tokio::test]
async fn sink_then_subscribe_round_trips_in_both_cryptors() {
    let server = sink_server().await;
    for (i, (name, crypto)) in modules("sink-key").into_iter().enumerate() {
        let channel = format!("sink-{i}");
        let reader = client_with(&server, "reader", crypto.clone());
        let mut messages = typed_reader(&reader, &channel).await;
        let mut raw = RawSubscriber::start(&server, &[&channel]).await;
        let writer = client_with(&server, "writer", crypto.clone());
        let mut sink = writer.publisher(channel.clone()).sink::<Chat>();
        let mut items = futures::stream::iter((0..5).map(chat).map(Ok));
        within(sink.send_all(&mut items)).await.expect("sent");
        within(sink.close()).await.expect("closed");
        for n in 0..5 {
            assert_eq!(next_chat(&mut messages).await, chat(n), "{name}");
        }
        for (received, n) in raw.collect(5).await.iter().zip(0..) {
            assert_encrypted(&received.payload, &crypto, &chat(n));
        }
    }
}

#[tokio::test]
async fn the_sink_encrypts_once_so_a_retry_sends_the_same_ciphertext() {
    let server = sink_server().await;
    let crypto = CryptoModule::aes_cbc("retry-key"); // a random IV per encryption
    let reader = client_with(&server, "reader", crypto.clone());
    let mut messages = typed_reader(&reader, "flaky").await;
    let writer = client_with(&server, "writer", crypto);
    let mut sink = writer
        .publisher("flaky")
        .retry(
            RetryPolicy::linear(Duration::from_millis(10))
                .without_jitter()
                .max_retries(5),
        )
        .sink::<Chat>();
    server.faults().fail_next(
        RouteClass::Publish,
        2,
        503,
        r#"{"status":503,"error":true,"message":"Service Unavailable"}"#,
    );
    within(sink.send(chat(7)))
        .await
        .expect("sent after retries");
    assert_eq!(next_chat(&mut messages).await, chat(7));
    let paths: Vec<String> = server
        .requests()
        .into_iter()
        .filter(|r| r.class == Some(RouteClass::Publish))
        .map(|r| r.path)
        .collect();
    assert_eq!(paths.len(), 3, "two failures, one success");
    assert!(
        paths.iter().all(|p| *p == paths[0]),
        "every attempt carries the same ciphertext: {paths:#?}"
    );
}

#[tokio::test]
async fn each_cryptor_reads_the_other_as_far_as_the_scheme_allows() {
    let server = server().await;
    let key = "shared-key";
    // (publisher, reader): PNED payloads name their cryptor, so every legacy
    // reader reads them; a PNED reader reads legacy random-IV payloads.
    let pairs = [
        (CryptoModule::aes_cbc(key), CryptoModule::legacy(key, true)),
        (CryptoModule::aes_cbc(key), CryptoModule::legacy(key, false)),
        (CryptoModule::legacy(key, true), CryptoModule::aes_cbc(key)),
    ];
    for (i, (publisher, reading)) in pairs.into_iter().enumerate() {
        let channel = format!("cross-{i}");
        let reader = client_with(&server, "reader", reading.clone());
        let mut messages = typed_reader(&reader, &channel).await;
        let writer = client_with(&server, "writer", publisher.clone());
        within(writer.publish().channel(&channel).message(&chat(i as u32)))
            .await
            .expect("published");
        assert_eq!(
            next_chat(&mut messages).await,
            chat(i as u32),
            "{publisher:?} → {reading:?}"
        );
    }
}

#[tokio::test]
async fn payloads_encrypted_by_other_sdks_decrypt() {
    // Raw publishes of the committed vectors (tests/data/crypto_vectors.json,
    // made with Python's `cryptography`): what another SDK would send, a
    // PNED payload and a legacy random-IV one, both with the key "enigma".
    let server = server().await;
    let vectors: Value =
        serde_json::from_str(include_str!("data/crypto_vectors.json")).expect("vectors");
    let pick = |cryptor: &str| {
        vectors["vectors"]
            .as_array()
            .and_then(|all| {
                all.iter().find(|v| {
                    v["cryptor"] == cryptor && v["random_iv"] == true && v["cipher_key"] == "enigma"
                })
            })
            .cloned()
            .expect("a vector")
    };
    let reader = client_with(&server, "reader", CryptoModule::aes_cbc("enigma"));
    let subscription = within(reader.subscribe().channels("other-sdk"))
        .await
        .expect("connects");
    let mut events = subscription.messages();
    for vector in [pick("aes-cbc"), pick("legacy")] {
        Publisher::new(&server)
            .publish("other-sdk", &vector["ciphertext"])
            .await;
        let message = within(events.next()).await.expect("a message");
        assert_eq!(message.decrypt_error, None, "{}", vector["name"]);
        let expected: Value = serde_json::from_str(vector["plaintext"].as_str().unwrap()).unwrap();
        assert_eq!(message.payload, expected, "{}", vector["name"]);
    }
}

#[tokio::test]
async fn meta_and_signals_stay_plain_and_filters_on_meta_keep_working() {
    let server = server().await;
    let crypto = CryptoModule::aes_cbc("filter-key");
    let filtered = subscriber_builder(&server, "filtered")
        .crypto(crypto.clone())
        .filter_expression("meta.lang == 'en'")
        .build()
        .expect("builds");
    let mut english = typed_reader(&filtered, "room").await;
    let reader = client_with(&server, "reader", crypto.clone());
    let mut everything = within(reader.subscribe().channels("room"))
        .await
        .expect("connects");
    let mut raw = RawSubscriber::start(&server, &["room"]).await;
    let writer = client_with(&server, "writer", crypto.clone());
    for (n, lang) in [(1, "fr"), (2, "en")] {
        within(
            writer
                .publish()
                .channel("room")
                .message(&chat(n))
                .meta(&json!({ "lang": lang })),
        )
        .await
        .expect("published");
    }
    within(
        writer
            .signal()
            .channel("room")
            .message(&json!({"typing": true})),
    )
    .await
    .expect("signalled");
    // The filter on the (plain) meta let only the English message through.
    assert_eq!(next_chat(&mut english).await, chat(2));
    // Everything else, decrypted; the signal as sent.
    let mut seen = Vec::new();
    while seen.len() < 3 {
        match within(everything.next()).await.expect("open") {
            Event::Message(m) => seen.push(("message", m.payload, m.user_metadata)),
            Event::Signal(s) => seen.push(("signal", s.payload, None)),
            _ => {}
        }
    }
    assert_eq!(
        seen,
        [
            ("message", json!(chat(1)), Some(json!({"lang": "fr"}))),
            ("message", json!(chat(2)), Some(json!({"lang": "en"}))),
            ("signal", json!({"typing": true}), None),
        ]
    );
    // On the wire: the messages encrypted, their meta and the signal plain.
    let delivered = raw.collect(3).await;
    for (received, (n, lang)) in delivered.iter().zip([(1, "fr"), (2, "en")]) {
        assert_encrypted(&received.payload, &crypto, &chat(n));
        assert_eq!(received.meta, Some(json!({ "lang": lang })));
    }
    assert_eq!(delivered[2].payload, json!({"typing": true}));
}

#[tokio::test]
async fn the_size_limit_counts_the_encrypted_message_before_any_io() {
    let server = server().await;
    // About 25 KB of JSON: under the 32 KiB limit as plain text, over it
    // once encrypted and base64-encoded (a third larger).
    let big = "a".repeat(25_000);
    let plain = client(&server);
    within(plain.publish().channel("big").message(&big))
        .await
        .expect("fits as plain text");
    let encrypting = client_with(&server, "writer", CryptoModule::aes_cbc("size-key"));
    let before = server.requests().len();
    let error = within(encrypting.publish().channel("big").message(&big))
        .await
        .expect_err("too large once encrypted");
    assert!(
        matches!(error.kind(), RequestErrorKind::MessageTooLarge { size, limit: 32_768 } if *size > 32_768),
        "{error}"
    );
    assert_eq!(server.requests().len(), before, "nothing was sent");
}

#[tokio::test]
async fn the_sink_hands_back_an_item_too_large_once_encrypted_and_goes_on() {
    let server = sink_server().await;
    let crypto = CryptoModule::legacy("sink-size-key", true);
    let reader = client_with(&server, "reader", crypto.clone());
    let subscription = within(reader.subscribe().channels("sink-size"))
        .await
        .expect("connects");
    let mut messages = subscription.messages();
    let writer = client_with(&server, "writer", crypto);
    let mut sink = writer.publisher("sink-size").sink::<String>();
    let mut rejected = sink.rejected();
    let big = "b".repeat(25_000); // fits as plain text, not encrypted
    let items = ["before".to_owned(), big.clone(), "after".to_owned()];
    within(futures::stream::iter(items).map(Ok).forward(sink))
        .await
        .expect("forward completes, every item read");
    let rejection = within(rejected.next()).await.expect("one rejection");
    let (item, error) = rejection.into_parts();
    assert_eq!(item, big, "the item comes back unchanged, not encrypted");
    assert!(
        matches!(error.kind(), RequestErrorKind::MessageTooLarge { .. }),
        "{error}"
    );
    for expected in ["before", "after"] {
        let message = within(messages.next()).await.expect("a message");
        assert_eq!(
            (message.payload, message.decrypt_error),
            (json!(expected), None)
        );
    }
}

#[tokio::test]
async fn an_empty_cipher_key_fails_build_with_a_typed_error() {
    let server = server().await;
    for crypto in [CryptoModule::aes_cbc(""), CryptoModule::legacy("", false)] {
        let built = builder(&server).crypto(crypto).build();
        match built {
            Err(ConfigError::InvalidOption { option, reason }) => {
                assert_eq!((option, reason), ("crypto", "the cipher key is empty"));
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!(server.requests().is_empty());
}
