//! The cipher key (and the AES keys derived from it) never appear in
//! `Debug`, `Display`, errors or logs.

mod common;

use base64::Engine as _;
use common::*;
use futures::{SinkExt, StreamExt};
use pubnub_stream::{CryptoError, CryptoModule, EventStreamExt, Message, PubNub};
use serde_json::json;
use sha2::{Digest, Sha256};

const CIPHER_KEY: &str = "cipher-key-Zq8xW3";

/// The cipher key and every form of the keys derived from it that a
/// careless `Debug` could print.
fn forbidden() -> Vec<String> {
    let digest = Sha256::digest(CIPHER_KEY.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    let bytes: Vec<String> = digest.iter().take(4).map(u8::to_string).collect();
    let legacy: Vec<String> = hex.bytes().take(4).map(|b| b.to_string()).collect();
    vec![
        CIPHER_KEY.to_owned(),
        "Zq8xW3".to_owned(),
        hex[..32].to_owned(),     // the legacy AES key, as text
        hex[..12].to_uppercase(), // upper-case hex
        bytes.join(", "),         // the raw key as a Debug byte array
        legacy.join(", "),        // the legacy key as a Debug byte array
        base64::engine::general_purpose::STANDARD.encode(digest)[..16].to_owned(),
    ]
}

/// The scan finds the derived keys as a `Debug` of them would print them.
#[test]
fn the_scan_would_see_a_leaked_key() {
    let digest = Sha256::digest(CIPHER_KEY.as_bytes());
    let legacy: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    for leak in [
        format!("{digest:?}"),
        format!("{:?}", &legacy.as_bytes()[..32]),
        format!("{:?}", &legacy[..32]),
        format!("Keys {{ key: {CIPHER_KEY:?} }}"),
    ] {
        let caught = forbidden().iter().any(|secret| leak.contains(secret));
        assert!(caught, "{leak}");
    }
}

fn assert_clean(what: &str, text: &str) {
    for secret in forbidden() {
        assert!(!text.contains(&secret), "{what} shows {secret:?}: {text}");
    }
}

/// Formats with `Debug` (and `Display` where there is one) and scans.
macro_rules! check {
    (debug $value:expr) => {
        assert_clean(stringify!($value), &format!("{:?} {:#?}", $value, $value))
    };
    (both $value:expr) => {{
        check!(debug $value);
        assert_clean(stringify!($value), &format!("{}", $value));
    }};
}

#[tokio::test(flavor = "current_thread")]
async fn the_cipher_key_is_in_no_debug_display_error_or_log_line() {
    let (captured, _guard) = CapturedLogs::start();

    let server = server().await;
    for crypto in [
        CryptoModule::aes_cbc(CIPHER_KEY),
        CryptoModule::legacy(CIPHER_KEY, true),
        CryptoModule::legacy(CIPHER_KEY, false),
    ] {
        check!(debug crypto);
        let builder = subscriber_builder(&server, "reader").crypto(crypto.clone());
        check!(debug builder);
        let pubnub: PubNub = builder.build().expect("builds");
        check!(debug pubnub);
        check!(debug pubnub.config());
        check!(debug pubnub.config().crypto());

        // A round trip, a wrong-key message, a message that is too large:
        // everything logged on the way is scanned below.
        let subscription = within(pubnub.subscribe().channels("secret-room"))
            .await
            .expect("connects");
        check!(debug subscription);
        let mut typed = subscription.messages().typed::<serde_json::Value>();
        within(
            pubnub
                .publish()
                .channel("secret-room")
                .message(&json!({"n": 1})),
        )
        .await
        .expect("published");
        let wrong = subscriber_builder(&server, "wrong")
            .crypto(CryptoModule::aes_cbc("another-key"))
            .build()
            .expect("builds");
        within(
            wrong
                .publish()
                .channel("secret-room")
                .message(&json!({"n": 2})),
        )
        .await
        .expect("published");
        let good = within(typed.next()).await.expect("item").expect("decodes");
        check!(debug good);
        let bad = within(typed.next())
            .await
            .expect("item")
            .expect_err("another key");
        check!(both bad);
        check!(debug bad.message());
        let too_large = within(
            pubnub
                .publish()
                .channel("secret-room")
                .message(&"x".repeat(30_000)),
        )
        .await
        .expect_err("too large once encrypted");
        check!(both too_large);
        let mut sink = pubnub.publisher("secret-room").sink::<u32>();
        check!(debug sink);
        within(sink.send(3)).await.expect("sent");
    }

    // Every error a crypto operation can give.
    let crypto = CryptoModule::aes_cbc(CIPHER_KEY);
    for payload in ["not base64!", "AAAA", "UE5FRAFYWFhYEA=="] {
        let error: CryptoError = crypto.decrypt(payload).expect_err("undecryptable");
        check!(both error);
    }
    let config_error = builder(&server)
        .crypto(CryptoModule::aes_cbc(""))
        .build()
        .expect_err("empty key");
    check!(both config_error);
    let mut message = Message::new("c", json!("payload"));
    message.decrypt_error = Some(CryptoError::BadPadding);
    check!(debug message);

    let logs = captured.text();
    assert!(
        logs.contains("did not decrypt"),
        "the wrong-key message was logged (so the scan saw the crypto paths): {logs}"
    );
    assert_clean("the logs", &logs);
}
