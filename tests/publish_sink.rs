//! The publish sink against a real dev server: order, acks, backpressure, retries.

mod common;

use std::time::Duration;

use common::*;
use futures::{SinkExt, StreamExt};
use pubnub_devserver::RouteClass;
use pubnub_stream::RetryPolicy;
use serde_json::{json, Value};

fn quick_retries() -> RetryPolicy {
    RetryPolicy::linear(Duration::from_millis(20))
        .without_jitter()
        .max_retries(8)
}

#[tokio::test]
async fn a_forwarded_stream_arrives_in_order_with_increasing_ack_timetokens() {
    let server = sink_server().await;
    let pubnub = client(&server);
    let mut subscriber = RawSubscriber::start(&server, &["chat"]).await;
    let sink = pubnub.publisher("chat").max_pending(8).sink::<Value>();
    let acks = sink.acks();
    let messages: Vec<Value> = (0..50).map(|i| json!({ "n": i })).collect();
    within(
        futures::stream::iter(messages.clone())
            .map(Ok)
            .forward(sink),
    )
    .await
    .expect("forwarded");

    let received = subscriber.collect(50).await;
    assert_eq!(payloads_on(&received, "chat"), messages);
    let acks: Vec<_> = within(acks.collect()).await;
    assert_eq!(
        acks.iter().map(|a| a.seq()).collect::<Vec<_>>(),
        (0..50).collect::<Vec<_>>()
    );
    assert!(acks.windows(2).all(|w| w[0].timetoken() < w[1].timetoken()));
    let published: Vec<_> = received.iter().map(|r| r.timetoken).collect();
    let acked: Vec<_> = acks.iter().map(|a| a.timetoken()).collect();
    assert_eq!(
        acked, published,
        "acks carry the server's publish timetokens"
    );
}

#[tokio::test]
async fn a_slow_server_applies_backpressure_without_exceeding_max_pending() {
    let server = sink_server().await;
    server
        .faults()
        .delay(RouteClass::Publish, Duration::from_millis(20));
    let pubnub = client(&server);
    let mut subscriber = RawSubscriber::start(&server, &["slow"]).await;
    let mut sink = pubnub.publisher("slow").max_pending(4).sink::<u32>();
    let mut most = 0;
    for i in 0..20 {
        within(sink.feed(i)).await.expect("accepted");
        assert!(sink.pending() <= 4, "{} pending", sink.pending());
        most = most.max(sink.pending());
    }
    assert_eq!(
        most, 4,
        "the producer outran the server, so the bound was reached"
    );
    within(sink.close()).await.expect("closed");
    assert_eq!(sink.pending(), 0);
    let received = subscriber.collect(20).await;
    assert_eq!(
        payloads_on(&received, "slow"),
        (0..20).map(Value::from).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn server_errors_and_dropped_connections_are_retried_in_place() {
    let server = sink_server().await;
    let pubnub = client(&server);
    let mut subscriber = RawSubscriber::start(&server, &["flaky"]).await;
    let mut sink = pubnub
        .publisher("flaky")
        .retry(quick_retries())
        .sink::<u32>();
    within(sink.send(0)).await.expect("first");
    server.faults().fail_next(
        RouteClass::Publish,
        2,
        503,
        r#"{"status":503,"error":true,"message":"Service Unavailable"}"#,
    );
    server.faults().drop_next(RouteClass::Publish, 2);
    let mut rest = futures::stream::iter(1..10).map(Ok);
    within(sink.send_all(&mut rest))
        .await
        .expect("retried until sent");
    within(sink.close()).await.expect("closed");

    let received = subscriber.collect(10).await;
    assert_eq!(
        payloads_on(&received, "flaky"),
        (0..10).map(Value::from).collect::<Vec<_>>()
    );
    let publishes = server
        .requests()
        .into_iter()
        .filter(|r| r.class == Some(RouteClass::Publish))
        .count();
    assert_eq!(publishes, 10 + 4, "each failed attempt was retried once");
}

#[tokio::test]
async fn http_429_waits_for_retry_after_before_retrying() {
    let server = sink_server().await;
    let pubnub = client(&server);
    server.faults().rate_limit_next(RouteClass::Publish, 1, 1);
    let mut sink = pubnub
        .publisher("limited")
        .retry(quick_retries())
        .sink::<u32>();
    within(sink.send(7)).await.expect("sent after Retry-After");
    let times: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.class == Some(RouteClass::Publish))
        .map(|r| r.at)
        .collect();
    assert_eq!(times.len(), 2);
    let waited = times[1].duration_since(times[0]).expect("ordered");
    assert!(
        waited >= Duration::from_secs(1),
        "retried after {waited:?}, before Retry-After"
    );
}
