//! Two subscriptions merged into one stream with `futures::stream::select`.
//!
//! ```sh
//! cargo run --example select
//! ```
//!
//! Runs against an embedded dev server unless the environment names another
//! server (`PUBNUB_ORIGIN`, keys: see `examples/support/mod.rs`).

use std::error::Error;

use futures::stream::{self, StreamExt};
use pubnub_stream::EventStreamExt;

mod support;

#[derive(Debug, serde::Deserialize)]
struct Chat {
    user: String,
    text: String,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let backend = support::Backend::from_env().await?;
    let pubnub = backend.client("reader")?;

    let chat = pubnub.subscribe().channels("chat").await?;
    let alerts = pubnub.subscribe().channels("alerts").await?;

    // Chat messages typed, alerts as raw JSON, both as text in one stream.
    let chat_lines = chat.messages().typed::<Chat>().map(|m| match m {
        Ok(m) => format!("[chat] {}: {}", m.payload.user, m.payload.text),
        Err(e) => format!("[chat] undecodable: {e}"),
    });
    let alert_lines = alerts.messages().map(|m| format!("[alert] {}", m.payload));
    let mut merged = stream::select(chat_lines, alert_lines);

    let chat_message = serde_json::json!({"user": "ann", "text": "hello"});
    pubnub
        .publish()
        .channel("chat")
        .message(&chat_message)
        .await?;
    pubnub
        .publish()
        .channel("alerts")
        .message("disk almost full")
        .await?;
    let reply = serde_json::json!({"user": "bob", "text": "hi ann"});
    pubnub.publish().channel("chat").message(&reply).await?;

    for _ in 0..3 {
        if let Some(line) = merged.next().await {
            println!("{line}");
        }
    }
    Ok(())
}
