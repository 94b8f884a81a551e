//! Unit tests of the sink's life cycle: the worker task (runtime, drop,
//! progress without polling), rate limits and concurrency across channels.

use std::sync::Arc;
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use tokio::sync::Semaphore;

use super::error::PublishSinkError;
use super::rate_limit::RateLimit;
use super::testing::*;

#[tokio::test(start_paused = true)]
async fn dropping_the_sink_finishes_accepted_messages_in_the_background() {
    let gate = Arc::new(Semaphore::new(0));
    let fake = FakeSend {
        gate: Some(Arc::clone(&gate)),
        ..FakeSend::default()
    };
    let mut sink = TestSink::new(&fake, config(linear(10), 4), 8);
    let acks = sink.0.acks();
    for item in items("a", 0..5) {
        sink.feed(item).await.expect("room");
    }
    drop(sink);
    gate.add_permits(5);
    let acks: Vec<_> = tokio::time::timeout(Duration::from_secs(60), acks.collect())
        .await
        .expect("the worker finishes and the acks stream ends");
    assert_eq!(
        acks.iter().map(|a| a.seq()).collect::<Vec<_>>(),
        [0, 1, 2, 3, 4]
    );
    assert_eq!(fake.delivered(), items("a", 0..5));
}

#[tokio::test(start_paused = true)]
async fn rate_limit_spaces_attempts_per_channel_not_across_channels() {
    let fake = FakeSend::default();
    let mut cfg = config(linear(10), 4);
    cfg.rate_limit = RateLimit::per_second(5);
    let mut sink = TestSink::new(&fake, cfg, 64);
    let start = tokio::time::Instant::now();
    for id in 0..6 {
        sink.feed(("a".into(), id)).await.expect("room");
        sink.feed(("b".into(), 100 + id)).await.expect("room");
    }
    sink.flush().await.expect("flushed");
    let attempts = fake.lock().attempts.clone();
    for channel in ["a", "b"] {
        let times: Vec<_> = attempts
            .iter()
            .filter(|a| a.channel == channel)
            .map(|a| a.at)
            .collect();
        assert_eq!(times.len(), 6);
        assert!(
            times
                .windows(2)
                .all(|w| w[1] - w[0] >= Duration::from_millis(200)),
            "{channel}"
        );
        assert_eq!(
            times[0], start,
            "{channel}'s first message waits for nobody"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn channels_proceed_concurrently_up_to_the_bound() {
    let fake = FakeSend {
        latency: Duration::from_millis(50),
        ..FakeSend::default()
    };
    let mut sink = TestSink::new(&fake, config(linear(10), 2), 64);
    for id in 0..3 {
        for channel in ["a", "b", "c", "d"] {
            sink.feed((channel.into(), id)).await.expect("room");
        }
    }
    sink.flush().await.expect("flushed");
    let state = fake.lock();
    assert_eq!(state.max_in_flight, 2, "concurrent, and bounded");
    assert_eq!(state.overlaps, 0, "never two in flight on one channel");
    assert_eq!(state.attempts.len(), 12);
}

#[test]
fn a_sink_created_outside_a_runtime_starts_its_worker_on_first_poll() {
    let fake = FakeSend::default();
    let mut sink = TestSink::new(&fake, config(linear(10), 1), 4);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("runtime");
    runtime
        .block_on(async { sink.send(("a".into(), 1)).await })
        .expect("sent");
    assert_eq!(fake.delivered(), items("a", 1..2));
}

#[test]
fn without_any_runtime_the_sink_errors_instead_of_panicking() {
    let fake = FakeSend::default();
    let mut sink = TestSink::new(&fake, config(linear(10), 1), 4);
    let result = futures::executor::block_on(sink.send(("a".into(), 1)));
    assert!(
        matches!(result, Err(PublishSinkError::WorkerGone { .. })),
        "{result:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn the_worker_progresses_while_nobody_polls_the_sink() {
    let fake = FakeSend {
        latency: Duration::from_millis(10),
        ..FakeSend::default()
    };
    let mut sink = TestSink::new(&fake, config(linear(10), 1), 8);
    let acks = sink.0.acks();
    for item in items("a", 0..5) {
        sink.feed(item).await.expect("room");
    }
    let acks: Vec<_> = acks.take(5).collect().await;
    assert_eq!(acks.len(), 5);
    assert_eq!(fake.delivered(), items("a", 0..5));
    assert_eq!(
        sink.0.pending(),
        5,
        "the sink learns of the acks when next polled"
    );
    sink.flush().await.expect("flushed");
    assert_eq!(sink.0.pending(), 0);
}

#[test]
fn public_types_are_send_sync_unpin() {
    fn check<T: Send + Sync + Unpin>() {}
    check::<super::PublishSink<String>>();
    check::<super::MultiPublishSink<String>>();
    check::<super::Acks>();
    check::<super::Ack>();
    check::<super::Outgoing<String>>();
    check::<super::PublishSinkError<String>>();
    check::<super::Publisher>();
}

#[test]
fn a_runtime_shutdown_hands_back_every_unsent_item() {
    let gate = Arc::new(Semaphore::new(0));
    let fake = FakeSend {
        gate: Some(gate),
        ..FakeSend::default()
    };
    let paused_runtime = || {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .expect("runtime")
    };
    let first = paused_runtime();
    let mut sink = first.block_on(async {
        let mut sink = TestSink::new(&fake, config(linear(10), 1), 8);
        for item in items("a", 0..3) {
            sink.feed(item).await.expect("room");
        }
        tokio::task::yield_now().await;
        sink
    });
    drop(first); // the worker dies with its runtime
    let result = paused_runtime().block_on(sink.flush());
    match result {
        Err(PublishSinkError::WorkerGone {
            unacknowledged,
            in_doubt,
        }) => {
            assert_eq!(unacknowledged, items("a", 0..3));
            assert_eq!(
                in_doubt, 1,
                "a0 was on the wire: it may have been published"
            );
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(fake.delivered().is_empty());
}
