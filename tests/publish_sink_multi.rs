//! The multi-channel publish sink and the publisher's options against a real dev server.

mod common;

use std::collections::HashMap;
use std::time::Duration;

use common::*;
use futures::{SinkExt, StreamExt};
use pubnub_devserver::RouteClass;
use pubnub_stream::{Outgoing, RetryPolicy};
use serde_json::{json, Value};

#[tokio::test]
async fn each_channel_keeps_its_order_through_retries() {
    let server = sink_server().await;
    server
        .faults()
        .delay(RouteClass::Publish, Duration::from_millis(5));
    let pubnub = client(&server);
    let channels = ["red", "green", "blue"];
    let mut subscriber = RawSubscriber::start(&server, &channels).await;
    let mut sink = pubnub
        .multi_publisher()
        .max_pending(6)
        .max_channels_in_flight(3)
        .retry(
            RetryPolicy::linear(Duration::from_millis(10))
                .without_jitter()
                .max_retries(8),
        )
        .sink::<u32>();
    let acks = sink.acks();
    server
        .faults()
        .fail_next(RouteClass::Publish, 3, 500, "oops");
    let items: Vec<Outgoing<u32>> = (0..45)
        .map(|i| Outgoing::new(channels[(i % 3) as usize], i))
        .collect();
    let mut stream = futures::stream::iter(items.clone()).map(Ok);
    within(sink.send_all(&mut stream)).await.expect("all sent");
    within(sink.close()).await.expect("closed");

    let received = subscriber.collect(45).await;
    let acks: Vec<_> = within(acks.collect()).await;
    assert_eq!(acks.len(), 45);
    for channel in channels {
        let expected: Vec<Value> = items
            .iter()
            .filter(|o| o.channel == channel)
            .map(|o| Value::from(o.message))
            .collect();
        assert_eq!(payloads_on(&received, channel), expected, "{channel}");
        let acked: Vec<_> = acks.iter().filter(|a| a.channel() == channel).collect();
        assert!(
            acked.windows(2).all(|w| w[0].seq() < w[1].seq()),
            "{channel} acks in order"
        );
        assert!(acked
            .windows(2)
            .all(|w| w[0].timetoken() < w[1].timetoken()));
    }
    let by_seq: HashMap<u64, &str> = acks.iter().map(|a| (a.seq(), a.channel())).collect();
    for (seq, item) in (0u64..).zip(&items) {
        assert_eq!(by_seq.get(&seq).copied(), Some(item.channel.as_str()));
    }
}

#[tokio::test]
async fn publisher_options_reach_the_server() {
    let server = sink_server().await;
    let pubnub = client(&server);
    let mut subscriber = RawSubscriber::start(&server, &["opts"]).await;
    let mut sink = pubnub
        .publisher("opts")
        .meta(&json!({ "lang": "en" }))
        .should_store(false)
        .use_post(true)
        .sink::<Value>();
    within(sink.send(json!({ "text": "hi" })))
        .await
        .expect("sent");
    let received = subscriber.collect(1).await;
    assert_eq!(received[0].payload, json!({ "text": "hi" }));
    assert_eq!(received[0].meta, Some(json!({ "lang": "en" })));
    let publish = server
        .requests()
        .into_iter()
        .find(|r| r.class == Some(RouteClass::Publish))
        .expect("a publish request");
    assert_eq!(publish.method, http::Method::POST);
    assert_eq!(publish.query_value("store"), Some("0"));
}
