//! Quickstart: subscribe, publish, receive — against an embedded dev server.
//!
//! ```sh
//! cargo run --example quickstart
//! ```
//!
//! With `PUBNUB_SUBSCRIBE_KEY` and `PUBNUB_PUBLISH_KEY` set, it talks to the
//! real PubNub network instead (TLS, origin `ps.pndsn.com` unless
//! `PUBNUB_ORIGIN` is set).

use std::error::Error;
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use pubnub_devserver::DevServer;
use pubnub_stream::{EventStreamExt, PubNub};
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
struct Chat {
    user: String,
    text: String,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    // Keep the embedded server alive for the whole run (dropping it stops it).
    let (_server, pubnub) = connect().await?;

    let time = pubnub.time().await?;
    println!("server time: {time}");

    // A subscription is a Stream of events; combinators narrow it down.
    let sub = pubnub
        .subscribe()
        .channels(["quickstart"])
        .with_presence()
        .execute();
    sub.connected().await?;
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

/// An embedded dev server unless keys are in the environment.
async fn connect() -> Result<(Option<DevServer>, PubNub), Box<dyn Error>> {
    let builder = PubNub::builder().user_id("quickstart-user");
    match (
        std::env::var("PUBNUB_SUBSCRIBE_KEY"),
        std::env::var("PUBNUB_PUBLISH_KEY"),
    ) {
        (Ok(sub), Ok(publ)) => {
            let mut builder = builder.subscribe_key(sub).publish_key(publ);
            if let Ok(origin) = std::env::var("PUBNUB_ORIGIN") {
                builder = builder.origin(origin);
            }
            println!("using the PubNub network");
            Ok((None, builder.build()?))
        }
        _ => {
            let server = DevServer::builder().start().await?;
            println!("using an embedded dev server at http://{}", server.origin());
            let pubnub = builder
                .subscribe_key("demo")
                .publish_key("demo")
                .origin(server.origin())
                .secure(false)
                .build()?;
            Ok((Some(server), pubnub))
        }
    }
}
