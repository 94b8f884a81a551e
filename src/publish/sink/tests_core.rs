//! Unit tests of the ordering, retry, backpressure and ack core, against the
//! scripted fake sender, with tokio's clock paused for every delay.

use std::future::poll_fn;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Waker};
use std::time::Duration;

use futures::{Sink, SinkExt, StreamExt};
use tokio::sync::Semaphore;

use super::error::PublishSinkError;
use super::testing::*;

#[tokio::test(start_paused = true)]
async fn delivers_in_order_and_acks_with_increasing_timetokens() {
    let fake = FakeSend::default();
    let mut sink = TestSink::new(&fake, config(linear(100), 4), 4);
    let acks = sink.0.acks();
    let sent = items("a", 0..20);
    let mut stream = futures::stream::iter(sent.clone()).map(Ok);
    sink.send_all(&mut stream).await.expect("all sent");
    sink.close().await.expect("closed");
    let acks: Vec<_> = acks.collect().await;
    assert_eq!(fake.delivered(), sent);
    assert_eq!(
        acks.iter().map(|a| a.seq()).collect::<Vec<_>>(),
        (0..20).collect::<Vec<_>>()
    );
    assert!(acks.windows(2).all(|w| w[0].timetoken() < w[1].timetoken()));
    assert!(acks.iter().all(|a| a.channel() == "a"));
}

#[tokio::test(start_paused = true)]
async fn poll_ready_is_pending_while_max_pending_are_unacknowledged() {
    let gate = Arc::new(Semaphore::new(0));
    let fake = FakeSend {
        gate: Some(Arc::clone(&gate)),
        ..FakeSend::default()
    };
    let mut sink = TestSink::new(&fake, config(linear(100), 4), 4);
    for item in items("a", 0..4) {
        sink.feed(item).await.expect("room");
    }
    let mut ready = std::pin::pin!(poll_fn(|cx| Pin::new(&mut sink).poll_ready(cx)));
    tokio::task::yield_now().await;
    assert!(futures::poll!(&mut ready).is_pending(), "full at 4 pending");
    // Low water: a full sink wakes once three quarters of the bound are
    // acknowledged, not on every ack. (The paused clock runs on only when
    // every task is idle: the ack has been handled when the timeout fires.)
    gate.add_permits(1);
    let outcome = tokio::time::timeout(Duration::from_secs(60), &mut ready).await;
    assert!(outcome.is_err(), "no wake-up for one ack: {outcome:?}");
    gate.add_permits(2);
    let outcome = tokio::time::timeout(Duration::from_secs(60), &mut ready).await;
    assert!(matches!(outcome, Ok(Ok(()))), "room after three acks");
    assert_eq!(sink.0.pending(), 1);
    gate.add_permits(1);
    sink.flush().await.expect("flushed");
    assert_eq!(fake.delivered(), items("a", 0..4));
}

#[tokio::test(start_paused = true)]
async fn a_full_sink_is_woken_once_per_burst_of_acks_and_flush_once() {
    let gate = Arc::new(Semaphore::new(0));
    let fake = FakeSend {
        gate: Some(Arc::clone(&gate)),
        ..FakeSend::default()
    };
    let mut sink = TestSink::new(&fake, config(linear(100), 4), 8);
    for item in items("a", 0..8) {
        sink.feed(item).await.expect("room");
    }
    let wakes = Arc::new(CountWakes::default());
    let waker = Waker::from(Arc::clone(&wakes));
    let mut cx = Context::from_waker(&waker);
    assert!(Pin::new(&mut sink).poll_ready(&mut cx).is_pending());
    for _ in 0..5 {
        gate.add_permits(1);
        until_idle().await;
    }
    assert_eq!(fake.delivered().len(), 5);
    assert_eq!(wakes.count(), 0, "no wake-up before the low-water mark");
    gate.add_permits(1);
    until_idle().await;
    assert_eq!(wakes.count(), 1, "one wake-up at six acks of eight");
    assert!(Pin::new(&mut sink).poll_ready(&mut cx).is_ready());
    assert!(Pin::new(&mut sink).poll_flush(&mut cx).is_pending());
    gate.add_permits(1);
    until_idle().await;
    assert_eq!(wakes.count(), 1, "flush waits for every ack");
    gate.add_permits(1);
    until_idle().await;
    assert_eq!(wakes.count(), 2, "one more wake-up for the flush");
    assert!(Pin::new(&mut sink).poll_flush(&mut cx).is_ready());
    assert_eq!(fake.delivered(), items("a", 0..8));
}

#[tokio::test(start_paused = true)]
async fn retryable_failures_are_retried_in_place_keeping_order() {
    let fake = FakeSend::default();
    fake.script(1, [Step::Retry(None), Step::Retry(None)]);
    let mut sink = TestSink::new(&fake, config(linear(100), 4), 8);
    for item in items("a", 0..4) {
        sink.feed(item).await.expect("room");
    }
    sink.flush().await.expect("retries succeed");
    assert_eq!(fake.delivered(), items("a", 0..4));
    let attempts = fake.lock().attempts.clone();
    let order: Vec<(u32, bool)> = attempts.iter().map(|a| (a.id, a.ok)).collect();
    assert_eq!(
        order,
        [
            (0, true),
            (1, false),
            (1, false),
            (1, true),
            (2, true),
            (3, true)
        ]
    );
    let retries: Vec<_> = attempts
        .iter()
        .filter(|a| a.id == 1)
        .map(|a| a.at)
        .collect();
    assert!(retries
        .windows(2)
        .all(|w| w[1] - w[0] >= Duration::from_millis(100)));
}

#[tokio::test(start_paused = true)]
async fn retry_after_from_the_server_replaces_the_policy_delay() {
    let fake = FakeSend::default();
    fake.script(0, [Step::Retry(Some(Duration::from_secs(7)))]);
    let mut sink = TestSink::new(&fake, config(linear(10_000), 1), 8);
    sink.send(("a".into(), 0))
        .await
        .expect("sent after waiting");
    let attempts = fake.lock().attempts.clone();
    assert_eq!(attempts.len(), 2);
    let waited = attempts[1].at - attempts[0].at;
    assert!(waited >= Duration::from_secs(7) && waited < Duration::from_secs(10));
}

#[tokio::test(start_paused = true)]
async fn a_huge_retry_after_is_cut_to_the_floor_under_a_fast_policy() {
    let fake = FakeSend::default();
    fake.script(0, [Step::Retry(Some(Duration::MAX))]);
    let mut sink = TestSink::new(&fake, config(linear(100), 1), 8);
    sink.send(("a".into(), 0))
        .await
        .expect("sent after the capped wait");
    let attempts = fake.lock().attempts.clone();
    assert_eq!(attempts.len(), 2);
    let waited = attempts[1].at - attempts[0].at;
    assert!(waited >= super::deliver::RETRY_AFTER_FLOOR, "{waited:?}");
    assert!(
        waited < super::deliver::RETRY_AFTER_FLOOR + Duration::from_secs(2),
        "{waited:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_huge_retry_after_is_cut_to_a_slow_policys_maximum() {
    let fake = FakeSend::default();
    fake.script(0, [Step::Retry(Some(Duration::MAX))]);
    let mut sink = TestSink::new(&fake, config(linear(60_000), 1), 8);
    sink.send(("a".into(), 0))
        .await
        .expect("sent after the capped wait");
    let attempts = fake.lock().attempts.clone();
    let waited = attempts[1].at - attempts[0].at;
    assert!(
        waited >= Duration::from_secs(60) && waited < Duration::from_secs(62),
        "{waited:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn fatal_failure_hands_back_the_failed_and_every_unsent_item_in_order() {
    let fake = FakeSend::default();
    fake.script(2, [Step::Fatal]);
    let mut sink = TestSink::new(&fake, config(linear(100), 4), 16);
    for item in items("a", 0..6) {
        sink.feed(item).await.expect("room");
    }
    let error = sink.flush().await.expect_err("message 2 fails");
    assert!(error.is_terminal());
    match error {
        PublishSinkError::Failed {
            channel,
            error,
            failed,
            unacknowledged,
            in_doubt,
        } => {
            assert_eq!(channel, "a");
            assert_eq!(error, FakeError::Fatal);
            assert_eq!(failed, ("a".to_string(), 2));
            assert_eq!(in_doubt, 0);
            assert_eq!(unacknowledged, items("a", 3..6));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(fake.delivered(), items("a", 0..2));
    let again = poll_fn(|cx| Pin::new(&mut sink).poll_ready(cx)).await;
    assert!(matches!(again, Err(PublishSinkError::Terminated)));
}

#[tokio::test(start_paused = true)]
async fn a_failure_tells_the_messages_that_were_sent_from_those_never_sent() {
    let fake = FakeSend::default();
    // a0 fails for good at 50 ms, while b1 waits to retry (its first
    // attempt at 0 ms failed); b2 and a3 wait behind them.
    fake.script(
        0,
        [Step::Retry(Some(Duration::from_millis(50))), Step::Fatal],
    );
    fake.script(1, [Step::Retry(None), Step::Retry(None)]);
    let mut sink = TestSink::new(&fake, config(linear(100), 4), 16);
    let accepted = [("a", 0), ("b", 1), ("b", 2), ("a", 3)];
    for (channel, id) in accepted {
        sink.feed((channel.to_string(), id)).await.expect("room");
    }
    match sink.flush().await.expect_err("message 0 fails") {
        PublishSinkError::Failed {
            failed,
            unacknowledged,
            in_doubt,
            ..
        } => {
            assert_eq!(failed, ("a".to_string(), 0));
            assert_eq!(in_doubt, 1, "b1 was attempted once, then stopped");
            let expected = [("b", 1), ("b", 2), ("a", 3)].map(|(c, i)| (c.to_string(), i));
            assert_eq!(unacknowledged, expected);
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(fake.delivered().is_empty());
}

#[tokio::test(start_paused = true)]
async fn giving_up_after_max_retries_is_a_final_failure() {
    let fake = FakeSend::default();
    fake.script(0, [Step::Retry(None); 3]);
    let mut sink = TestSink::new(&fake, config(linear(10).max_retries(2), 4), 16);
    sink.feed(("a".into(), 0)).await.expect("room");
    sink.feed(("a".into(), 1)).await.expect("room");
    let error = sink.flush().await.expect_err("retries exhausted");
    assert_eq!(error.error(), Some(&FakeError::Retryable(None)));
    assert_eq!(error.into_items(), items("a", 0..2));
    assert_eq!(fake.lock().attempts.len(), 3, "first attempt + 2 retries");
}

#[tokio::test(start_paused = true)]
async fn rejected_item_is_handed_back_and_the_sink_stays_open() {
    let fake = FakeSend::default();
    let mut sink = TestSink::new(&fake, config(linear(10), 4), 4);
    let acks = sink.0.acks();
    let error = sink
        .send(("a".into(), UNSERIALIZABLE))
        .await
        .expect_err("rejected");
    assert!(!error.is_terminal());
    match error {
        PublishSinkError::Rejected { item, error } => {
            assert_eq!(item, ("a".to_string(), UNSERIALIZABLE));
            assert_eq!(error, FakeError::Unserializable);
        }
        other => panic!("unexpected {other:?}"),
    }
    sink.send(("a".into(), 7)).await.expect("still open");
    sink.close().await.expect("closed");
    let acks: Vec<_> = acks.collect().await;
    assert_eq!(acks.len(), 1);
    assert_eq!(acks[0].seq(), 0, "a rejected item takes no index");
}

#[tokio::test(start_paused = true)]
async fn start_send_without_room_is_refused_with_the_item() {
    let gate = Arc::new(Semaphore::new(0));
    let fake = FakeSend {
        gate: Some(gate),
        ..FakeSend::default()
    };
    let mut sink = TestSink::new(&fake, config(linear(10), 4), 1);
    sink.feed(("a".into(), 0)).await.expect("room");
    let refused = Pin::new(&mut sink).start_send(("a".into(), 1));
    assert!(matches!(refused, Err(PublishSinkError::NotAccepted { item }) if item.1 == 1));
    assert_eq!(sink.0.pending(), 1);
}
