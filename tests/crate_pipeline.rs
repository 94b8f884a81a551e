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

#[tokio::test]
async fn subscribe_decode_transform_forward_compiles_and_a_bad_payload_stops_it_visibly() {
    let server = sink_server().await;
    let reader = subscriber(&server);
    let writer = client(&server);
    let mut out = RawSubscriber::start(&server, &["out"]).await;
    let subscription = reader.subscribe().channels("in").execute();
    within(subscription.connected()).await.expect("connected");

    let sink = writer.publisher("out").sink::<Tick>();
    // The README pipeline, as written: no glue but `err_into`.
    let pipeline = subscription
        .messages()
        .on_channel("in")
        .typed::<Tick>()
        .map(|r| {
            r.map(|m| Tick {
                n: m.payload.n * 10,
            })
        })
        .err_into()
        .forward(sink);
    let pipeline = tokio::spawn(pipeline);

    for payload in [
        serde_json::json!({ "n": 1 }),
        serde_json::json!("not a tick"),
        serde_json::json!({ "n": 2 }),
    ] {
        within(writer.publish().channel("in").message(&payload))
            .await
            .expect("published");
    }
    let error = within(pipeline)
        .await
        .expect("pipeline task")
        .expect_err("the bad payload ends forward");
    match error {
        pubnub_stream::PublishSinkError::Decode(e) => {
            assert_eq!(e.message().payload, "not a tick");
            assert_eq!(e.message().channel, "in");
        }
        other => panic!("unexpected {other:?}"),
    }
    let received = out.collect(1).await;
    assert_eq!(
        payloads_on(&received, "out"),
        [serde_json::json!({ "n": 10 })]
    );
}
