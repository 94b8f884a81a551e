//! Typed payloads: publish Rust types, receive them decoded, and see the
//! payloads that do not decode instead of losing them.
//!
//! ```sh
//! cargo run --example typed
//! ```
//!
//! Runs against an embedded dev server unless the environment names another
//! server (`PUBNUB_ORIGIN`, keys: see `examples/support/mod.rs`).

use std::error::Error;
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use pubnub_stream::EventStreamExt;
use serde::{Deserialize, Serialize};

mod support;

/// What flows on the `orders` channel: one enum, tagged by `kind`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Order {
    Placed {
        id: u32,
        item: String,
        quantity: u32,
    },
    Shipped {
        id: u32,
        carrier: String,
    },
    Cancelled {
        id: u32,
        reason: Option<String>,
    },
}

/// Metadata published beside each message (filterable with a filter expression).
#[derive(Debug, Serialize, Deserialize)]
struct Meta {
    region: String,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let backend = support::Backend::from_env().await?;
    let pubnub = backend.client("shop")?;

    let sub = pubnub.subscribe().channels("orders").await?;
    // Each item is a Result: a payload that is not an `Order` is an error
    // that carries the raw message, and the stream goes on.
    let mut orders = sub.messages().typed::<Order>();

    // A sink of `Order`s: serialized in `start_send`, sent in order.
    let mut sink = pubnub.publisher("orders").sink::<Order>();
    sink.send(Order::Placed {
        id: 1,
        item: "teapot".into(),
        quantity: 2,
    })
    .await?;
    sink.send(Order::Shipped {
        id: 1,
        carrier: "post".into(),
    })
    .await?;
    sink.close().await?;

    // Someone else publishes something that is not an order at all, with
    // metadata and a custom message type.
    pubnub
        .publish()
        .channel("orders")
        .message(&serde_json::json!({ "hello": "world" }))
        .meta(&Meta {
            region: "eu".into(),
        })
        .custom_message_type("greeting")
        .await?;
    pubnub
        .publish()
        .channel("orders")
        .message(&Order::Cancelled {
            id: 1,
            reason: None,
        })
        .await?;

    for _ in 0..4 {
        let next = tokio::time::timeout(Duration::from_secs(10), orders.next()).await?;
        match next.ok_or("the subscription ended")? {
            Ok(m) => println!("order event at {}: {:?}", m.timetoken, m.payload),
            Err(e) => {
                let raw = e.message();
                let meta: Option<Meta> = raw
                    .user_metadata
                    .as_ref()
                    .and_then(|v| serde_json::from_value(v.clone()).ok());
                println!(
                    "not an order ({e}): payload {}, type {:?}, meta {meta:?}",
                    raw.payload, raw.custom_message_type
                );
            }
        }
    }
    Ok(())
}
