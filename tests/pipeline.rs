//! The whole pipeline: a stream forwarded into the publish sink arrives at a
//! subscription in order, none missing, none repeated.

mod common;

use std::time::Duration;

use common::*;
use futures::{StreamExt, TryStreamExt};
use pubnub_stream::EventStreamExt;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Tick {
    n: u32,
}

const COUNT: u32 = 10_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_forwarded_messages_arrive_in_order_exactly_once() {
    // The real server keeps the last 100 messages per channel. A subscriber
    // on a loaded 2-core CI machine is not guaranteed to keep up with the
    // publisher, so this test keeps every message queued: it checks the
    // client's ordering and completeness, not the server's window.
    let server = server_builder()
        .queue_len(COUNT as usize)
        .start()
        .await
        .expect("dev server starts");
    let reader = subscriber(&server);
    let writer = client(&server);

    let subscription = reader
        .subscribe()
        .channels("pipeline")
        .buffer_size(COUNT as usize)
        .execute();
    within(subscription.connected()).await.expect("connected");
    let received = tokio::spawn(
        subscription
            .messages()
            .typed::<Tick>()
            .take(COUNT as usize)
            .map_ok(|m| m.payload.n)
            .try_collect::<Vec<u32>>(),
    );

    let sink = writer.publisher("pipeline").max_pending(64).sink::<Tick>();
    let acks = sink.acks();
    tokio::time::timeout(
        Duration::from_secs(300),
        futures::stream::iter((0..COUNT).map(|n| Ok(Tick { n }))).forward(sink),
    )
    .await
    .expect("all messages forwarded in time")
    .expect("every message acknowledged");

    let got = tokio::time::timeout(Duration::from_secs(120), received)
        .await
        .expect("all messages received in time")
        .expect("receiver task")
        .expect("every payload decodes");
    assert_eq!(got, (0..COUNT).collect::<Vec<_>>());

    let acks: Vec<_> = within(acks.collect()).await;
    assert_eq!(acks.len(), COUNT as usize);
    assert!(acks.windows(2).all(|w| w[0].timetoken() < w[1].timetoken()));
}
