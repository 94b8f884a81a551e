//! Two subscriptions merged into one stream with `futures::stream::select`.
//!
//! Runs against an embedded dev server, no keys needed:
//!
//! ```sh
//! cargo run --example select
//! ```

use std::error::Error;

use futures::stream::{self, StreamExt};
use pubnub_devserver::DevServer;
use pubnub_stream::{EventStreamExt, PubNub};

#[derive(Debug, serde::Deserialize)]
struct Chat {
    user: String,
    text: String,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let server = DevServer::builder().start().await?;
    let pubnub = PubNub::builder()
        .subscribe_key("demo")
        .publish_key("demo")
        .user_id("reader")
        .origin(server.origin())
        .secure(false)
        .build()?;

    let chat = pubnub.subscribe().channels("chat").execute();
    let alerts = pubnub.subscribe().channels("alerts").execute();
    chat.connected().await?;
    alerts.connected().await?;

    // Chat messages typed, alerts as raw JSON, both as text in one stream.
    let chat_lines = chat.messages().typed::<Chat>().map(|m| match m {
        Ok(m) => format!("[chat] {}: {}", m.payload.user, m.payload.text),
        Err(e) => format!("[chat] undecodable: {e}"),
    });
    let alert_lines = alerts.messages().map(|m| format!("[alert] {}", m.payload));
    let mut merged = stream::select(chat_lines, alert_lines);

    publish(&server, "chat", r#"{"user":"ann","text":"hello"}"#).await?;
    publish(&server, "alerts", r#""disk almost full""#).await?;
    publish(&server, "chat", r#"{"user":"bob","text":"hi ann"}"#).await?;

    for _ in 0..3 {
        if let Some(line) = merged.next().await {
            println!("{line}");
        }
    }
    Ok(())
}

/// Publishes raw JSON with a plain HTTP GET (see the `publish` API for the real thing).
async fn publish(server: &DevServer, channel: &str, json: &str) -> Result<(), Box<dyn Error>> {
    use http_body_util::{BodyExt, Empty};
    use hyper_util::client::legacy::Client;
    use hyper_util::rt::TokioExecutor;

    let message = percent_encoding::utf8_percent_encode(json, percent_encoding::NON_ALPHANUMERIC);
    let uri = format!(
        "http://{}/publish/demo/demo/0/{channel}/0/{message}?uuid=writer",
        server.origin()
    );
    let client = Client::builder(TokioExecutor::new()).build_http::<Empty<bytes::Bytes>>();
    let response = client.get(uri.parse()?).await?;
    let status = response.status();
    let body = response.into_body().collect().await?.to_bytes();
    if !status.is_success() {
        return Err(format!(
            "publish failed: {status} {}",
            String::from_utf8_lossy(&body)
        )
        .into());
    }
    Ok(())
}
