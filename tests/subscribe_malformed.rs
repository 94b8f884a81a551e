//! Envelopes the server stores but `serde_json` refuses (a lone surrogate,
//! `1e400`, a 400-digit integer, nesting deeper than 128) arrive as
//! `Event::Malformed` on their channel; the other channels and the messages
//! behind them keep flowing and the cursor moves past them.

mod common;

use common::*;
use futures::StreamExt;
use pubnub_stream::{Event, Subscription};
use serde_json::json;

/// Publishes the JSON text `payload` as is on `channel` (the dev server stores it raw).
async fn publish_text(publisher: &Publisher, channel: &str, payload: &str) {
    let path = format!(
        "/publish/{PUB_KEY}/{SUB_KEY}/0/{}/0/{}?uuid=publisher",
        enc(channel),
        enc(payload)
    );
    let (status, body) = publisher.get(&path).await;
    assert_eq!(status, 200, "the dev server stores {payload:.40}: {body}");
}

/// The next event that is not a status.
async fn next_data(sub: &mut Subscription) -> Event {
    within(async {
        loop {
            match sub.next().await {
                Some(Event::Status(_)) => continue,
                Some(event) => return event,
                None => panic!("subscription ended"),
            }
        }
    })
    .await
}

/// One poison payload on `a`, then good messages on `b` and `a`: the poison
/// is delivered as `Malformed` (channel and raw text kept), the rest follows
/// in order and nothing is repeated.
async fn poison_does_not_stall(payload: &str, error_contains: &str) {
    let server = server().await;
    let publisher = Publisher::new(&server);
    let pubnub = subscriber(&server);
    let mut sub = pubnub.subscribe().channels(["a", "b"]).execute();
    within(sub.connected()).await.unwrap();
    publish_text(&publisher, "a", payload).await;
    publisher.publish("b", &json!("after-b")).await;
    publisher.publish("a", &json!("after-a")).await;

    let Event::Malformed(bad) = next_data(&mut sub).await else {
        panic!("the poison envelope is not delivered as Malformed")
    };
    assert_eq!(bad.channel.as_deref(), Some("a"));
    assert_eq!(bad.subscription.as_deref(), Some("a"));
    assert!(bad.timetoken.is_some());
    assert!(bad.raw.contains(payload), "raw text kept: {}", bad.raw);
    assert!(
        bad.error().to_string().contains(error_contains),
        "{}",
        bad.error()
    );
    let m = next_message(&mut sub).await;
    assert_eq!(
        (m.channel.as_str(), m.payload.clone()),
        ("b", json!("after-b"))
    );
    let m = next_message(&mut sub).await;
    assert_eq!(
        (m.channel.as_str(), m.payload.clone()),
        ("a", json!("after-a"))
    );
    // the cursor moved on: the next event is new, not the poison again
    publisher.publish("a", &json!("end")).await;
    let Event::Message(end) = next_data(&mut sub).await else {
        panic!("the poison envelope came back")
    };
    assert_eq!(end.payload, "end");
}

#[tokio::test]
async fn a_lone_surrogate_does_not_stall_the_client() {
    poison_does_not_stall(r#"{"text":"\ud83d"}"#, "hex escape").await;
}

#[tokio::test]
async fn a_number_out_of_range_does_not_stall_the_client() {
    poison_does_not_stall("[1e400]", "out of range").await;
}

#[tokio::test]
async fn a_400_digit_integer_does_not_stall_the_client() {
    poison_does_not_stall(&"9".repeat(400), "out of range").await;
}

#[tokio::test]
async fn nesting_deeper_than_128_does_not_stall_the_client() {
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    poison_does_not_stall(&deep, "recursion limit").await;
}

/// Our own `publish()` refuses what our subscribers could not parse: a value
/// nested deeper than serde_json's 128 levels is a typed error before any
/// request (other publishers can still send one: the test above).
#[tokio::test]
async fn the_client_refuses_to_publish_nesting_its_subscribers_cannot_parse() {
    let server = server().await;
    let pubnub = subscriber(&server);
    let mut deep = json!(1);
    for _ in 0..129 {
        deep = json!([deep]);
    }
    let err = within(pubnub.publish().channel("a").message(&deep))
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), pubnub_stream::RequestErrorKind::Serialization),
        "{err:?}"
    );
    assert!(err.to_string().contains("nested deeper"), "{err}");
    assert!(server
        .requests()
        .iter()
        .all(|r| r.class != Some(pubnub_devserver::RouteClass::Publish)));
}
