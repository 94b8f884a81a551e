//! Quickstart: subscribe, publish, receive — against an embedded dev server.
//!
//! ```sh
//! cargo run --example quickstart
//! ```
//!
//! Runs against an embedded dev server unless the environment names another
//! server (`PUBNUB_ORIGIN`, keys: see `examples/support/mod.rs`), e.g. a
//! standalone dev server or the real PubNub network:
//!
//! ```sh
//! PUBNUB_ORIGIN=http://127.0.0.1:8090 cargo run --example quickstart
//! PUBNUB_SUBSCRIBE_KEY=sub-c-... PUBNUB_PUBLISH_KEY=pub-c-... cargo run --example quickstart
//! ```

use std::error::Error;
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use pubnub_stream::EventStreamExt;
use serde::{Deserialize, Serialize};

mod support;

#[derive(Debug, Serialize, Deserialize)]
struct Chat {
    user: String,
    text: String,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    // Keep the backend (maybe an embedded server) alive for the whole run.
    let backend = support::Backend::from_env().await?;
    let pubnub = backend.client("quickstart-user")?;

    let time = pubnub.time().await?;
    println!("server time: {time}");

    // A subscription is a Stream of events; combinators narrow it down.
    let sub = pubnub
        .subscribe()
        .channels(["quickstart"])
        .with_presence()
        .await?; // resolves once connected: nothing published after it is missed
    println!("connected");
    let mut chat = sub.messages().on_channel("quickstart").typed::<Chat>();

    // One-off publish: a builder you await.
    let sent = pubnub
        .publish()
        .channel("quickstart")
        .message(&Chat {
            user: "alice".into(),
            text: "hello".into(),
        })
        .meta(&serde_json::json!({ "lang": "en" }))
        .await?;
    println!("published at {}", sent.timetoken);

    // Many messages: a Sink with backpressure and ordered retries.
    let mut sink = pubnub.publisher("quickstart").sink::<Chat>();
    for text in ["how are you?", "still there?"] {
        sink.send(Chat {
            user: "alice".into(),
            text: text.into(),
        })
        .await?;
    }
    sink.close().await?;

    for _ in 0..3 {
        match tokio::time::timeout(Duration::from_secs(10), chat.next()).await {
            Ok(Some(Ok(m))) => println!(
                "[{}] {}: {} (tt {})",
                m.channel, m.payload.user, m.payload.text, m.timetoken
            ),
            Ok(Some(Err(e))) => println!("undecodable message: {e}"),
            Ok(None) => break,
            Err(_) => return Err("no message within 10 s".into()),
        }
    }
    Ok(())
}
