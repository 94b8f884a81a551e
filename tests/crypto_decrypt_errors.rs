//! Payloads a subscriber cannot decrypt: delivered with their raw payload
//! and a typed error (never as plaintext pretending to be the message,
//! never dropped), and the next good message decodes.

mod common;

use base64::Engine as _;
use common::*;
use futures::StreamExt;
use pubnub_stream::{CryptoError, CryptoModule, EventStreamExt, Message};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Chat {
    text: String,
}

/// A PNED payload naming a cryptor this library does not have.
fn unknown_cryptor_payload() -> String {
    let mut bytes = b"PNED\x01XXXX\x10".to_vec();
    bytes.extend_from_slice(&[7; 32]);
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[tokio::test]
async fn undecryptable_payloads_arrive_raw_with_a_typed_error_and_the_next_good_one_decodes() {
    let server = server().await;
    let reading_key = CryptoModule::aes_cbc("the-right-key");
    let reader = subscriber_builder(&server, "reader")
        .crypto(reading_key.clone())
        .build()
        .expect("builds");
    // The same messages through `messages()` and through `typed::<Chat>()`.
    let plain = within(reader.subscribe().channels("mixed"))
        .await
        .expect("connects");
    let typed = within(reader.subscribe().channels("mixed"))
        .await
        .expect("connects");
    let mut messages = plain.messages();
    let mut typed = typed.messages().typed::<Chat>();
    let mut raw = RawSubscriber::start(&server, &["mixed"]).await;

    // 1: encrypted with another key, by a client.
    let other_key = subscriber_builder(&server, "other")
        .crypto(CryptoModule::aes_cbc("a-different-key"))
        .build()
        .expect("builds");
    within(other_key.publish().channel("mixed").message(&Chat {
        text: "secret".into(),
    }))
    .await
    .expect("published");
    // 2-4: raw publishes of what no cryptor wrote.
    let publisher = Publisher::new(&server);
    publisher.publish("mixed", &json!({"text": "plain"})).await;
    publisher.publish("mixed", &json!("not base64!")).await;
    publisher
        .publish("mixed", &json!(unknown_cryptor_payload()))
        .await;
    // 5: a good one.
    let good = Chat {
        text: "readable".into(),
    };
    let sealed = reading_key
        .encrypt(serde_json::to_string(&good).unwrap().as_bytes())
        .unwrap();
    publisher.publish("mixed", &json!(sealed)).await;

    let on_the_wire: Vec<Value> = raw
        .collect(5)
        .await
        .into_iter()
        .map(|r| r.payload)
        .collect();
    let mut received: Vec<Message> = Vec::new();
    for _ in 0..5 {
        received.push(within(messages.next()).await.expect("a message"));
    }
    // messages(): every payload is delivered as received, with why it failed.
    for (message, wire) in received.iter().zip(&on_the_wire).take(4) {
        assert_eq!(
            &message.payload, wire,
            "the raw payload, not a decryption of it"
        );
        assert!(message.decrypt_error.is_some(), "{message:?}");
    }
    assert!(matches!(
        received[0].decrypt_error,
        Some(CryptoError::BadPadding | CryptoError::NotJson)
    ));
    assert_eq!(received[1].decrypt_error, Some(CryptoError::NotAString));
    assert_eq!(received[2].decrypt_error, Some(CryptoError::NotBase64));
    assert_eq!(
        received[3].decrypt_error,
        Some(CryptoError::UnknownCryptor("XXXX".into()))
    );
    assert_eq!(received[4].decrypt_error, None);
    assert_eq!(received[4].payload, json!(good));

    // typed(): the four are errors that hold the raw message, then the good one.
    for wire in on_the_wire.iter().take(4) {
        let error = within(typed.next())
            .await
            .expect("an item")
            .expect_err("an undecryptable payload is an error item");
        assert!(error.decrypt_error().is_some(), "{error}");
        assert_eq!(&error.message().payload, wire);
        assert!(error.to_string().contains("could not decrypt"), "{error}");
        let source = std::error::Error::source(&error).expect("a source");
        assert_eq!(
            source.to_string(),
            error.decrypt_error().unwrap().to_string()
        );
    }
    let decoded = within(typed.next())
        .await
        .expect("an item")
        .expect("the good message decodes");
    assert_eq!(decoded.payload, good);
}

#[tokio::test]
async fn a_fixed_iv_legacy_payload_from_another_sdk_is_read_in_fixed_iv_mode() {
    // A legacy payload does not say its IV mode: a reader decrypts it in the
    // mode its module names (here the publisher's, fixed IV).
    let server = server().await;
    let fixed = CryptoModule::legacy("k", false);
    let sealed = fixed.encrypt(b"{\"text\":\"fixed iv message\"}").unwrap();
    let reader = subscriber_builder(&server, "reader")
        .crypto(CryptoModule::legacy("k", false))
        .build()
        .expect("builds");
    let subscription = within(reader.subscribe().channels("legacy"))
        .await
        .expect("connects");
    let mut typed = subscription.messages().typed::<Chat>();
    Publisher::new(&server)
        .publish("legacy", &json!(sealed))
        .await;
    let decoded = within(typed.next())
        .await
        .expect("an item")
        .expect("decodes");
    assert_eq!(decoded.payload.text, "fixed iv message");
}
