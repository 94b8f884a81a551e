//! Encryption: messages encrypted end to end with a cipher key, a reader on
//! the legacy scheme, and a reader with the wrong key.
//!
//! ```sh
//! cargo run --example encryption
//! ```
//!
//! Runs against an embedded dev server unless the environment names another
//! server (`PUBNUB_ORIGIN`, keys: see `examples/support/mod.rs`). The server
//! only ever sees base64 ciphertext; `meta` travels in the clear.

use std::error::Error;
use std::time::Duration;

use futures::{Stream, StreamExt};
use pubnub_stream::{CryptoModule, EventStreamExt, Message};
use serde::{Deserialize, Serialize};

mod support;

#[derive(Debug, Serialize, Deserialize)]
struct Chat {
    user: String,
    text: String,
}

const CHANNEL: &str = "encryption-demo";
const CIPHER_KEY: &str = "my-cipher-key";

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let backend = support::Backend::from_env().await?;
    // Alice encrypts with the current scheme (a `PNED` header, AES-256-CBC,
    // a random IV per message).
    let alice = backend
        .builder("alice")
        .crypto(CryptoModule::aes_cbc(CIPHER_KEY))
        .build()?;
    // Bob's app still uses the legacy scheme; it reads Alice's messages too.
    let bob = backend
        .builder("bob")
        .crypto(CryptoModule::legacy(CIPHER_KEY, true))
        .build()?;
    // Eve guesses the key.
    let eve = backend
        .builder("eve")
        .crypto(CryptoModule::aes_cbc("a-guess"))
        .build()?;

    let mut bob_chat = bob
        .subscribe()
        .channels(CHANNEL)
        .await?
        .messages()
        .typed::<Chat>();
    let mut eve_sees = eve.subscribe().channels(CHANNEL).await?.messages();

    let sent = alice
        .publish()
        .channel(CHANNEL)
        .message(&Chat {
            user: "alice".into(),
            text: "the meeting moved to 3pm".into(),
        })
        .meta(&serde_json::json!({ "lang": "en" })) // never encrypted: filters can use it
        .await?;
    println!("alice published at {}", sent.timetoken);

    match next(&mut bob_chat).await? {
        Ok(m) => println!("bob read: {}: {}", m.payload.user, m.payload.text),
        Err(e) => return Err(format!("bob could not read it: {e}").into()),
    }

    // Eve's message arrives all the same: the raw payload and why it did not
    // decrypt, never a garbled "message".
    let seen: Message = next(&mut eve_sees).await?;
    match &seen.decrypt_error {
        Some(error) => println!("eve got ciphertext {} ({error})", seen.payload),
        None => return Err("eve decrypted a message with the wrong key".into()),
    }
    Ok(())
}

/// The next item of `stream`, within 10 s.
async fn next<S: Stream + Unpin>(stream: &mut S) -> Result<S::Item, Box<dyn Error>> {
    match tokio::time::timeout(Duration::from_secs(10), stream.next()).await {
        Ok(Some(item)) => Ok(item),
        Ok(None) => Err("the subscription ended".into()),
        Err(_) => Err("nothing within 10 s".into()),
    }
}
