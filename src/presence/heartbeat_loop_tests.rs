//! The loop's timing, target tracking and failure handling, with paused time.

use super::*;
use crate::error::RequestErrorKind;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::sync::mpsc;

const EVERY: Duration = Duration::from_secs(30);

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

/// A loop whose sender fails every other call; reports arrive on the receiver
/// with the (paused) time they were made.
fn fake_loop(
    targets: watch::Receiver<HeartbeatTargets>,
) -> (
    HeartbeatLoop,
    mpsc::UnboundedReceiver<(Instant, HeartbeatReport)>,
    Arc<AtomicUsize>,
) {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let send = move |_c: Vec<String>, _g: Vec<String>| {
        let n = counter.fetch_add(1, Ordering::SeqCst);
        async move {
            Some(if n % 2 == 1 {
                Err(RequestErrorKind::Server {
                    status: 503,
                    message: None,
                }
                .into())
            } else {
                Ok(())
            })
        }
    };
    let (tx, rx) = mpsc::unbounded_channel();
    let report = move |r: HeartbeatReport| {
        let _ = tx.send((Instant::now(), r));
    };
    let hb = HeartbeatLoop::spawn_with(EVERY, targets, send, report).unwrap();
    (hb, rx, calls)
}

#[tokio::test(start_paused = true)]
async fn sends_every_interval_and_keeps_going_after_failures() {
    let (_tx, rx) = watch::channel((s(&["a"]), s(&["g"])));
    let start = Instant::now();
    let (_hb, mut reports, _) = fake_loop(rx);
    for k in 1..=4u32 {
        let (at, report) = reports.recv().await.unwrap();
        assert_eq!(at - start, EVERY * k, "heartbeat {k}");
        assert_eq!(
            (report.channels.clone(), report.groups.clone()),
            (s(&["a"]), s(&["g"]))
        );
        assert_eq!(report.result.is_err(), k % 2 == 0, "heartbeat {k}");
    }
}

#[tokio::test(start_paused = true)]
async fn follows_the_target_set_and_skips_empty_sets() {
    let (tx, rx) = watch::channel((s(&["a-pnpres"]), vec![]));
    let start = Instant::now();
    let (_hb, mut reports, calls) = fake_loop(rx);
    tokio::time::sleep(EVERY * 2 + EVERY / 2).await;
    assert_eq!(calls.load(Ordering::SeqCst), 0, "nothing to announce yet");
    tx.send_replace((s(&["b"]), s(&[])));
    let (at, report) = reports.recv().await.unwrap();
    assert_eq!(at - start, EVERY * 3);
    assert_eq!(report.channels, s(&["b"]));
    tx.send_replace((s(&[]), s(&["g"])));
    let (at, report) = reports.recv().await.unwrap();
    assert_eq!(at - start, EVERY * 4);
    assert_eq!((report.channels, report.groups), (s(&[]), s(&["g"])));
}

#[tokio::test(start_paused = true)]
async fn ends_when_the_sender_or_the_handle_is_dropped() {
    let (tx, rx) = watch::channel((s(&["a"]), vec![]));
    let (_hb, mut reports, _) = fake_loop(rx);
    reports.recv().await.unwrap();
    drop(tx);
    assert!(reports.recv().await.is_none(), "the loop ended");

    let (_tx, rx) = watch::channel((s(&["a"]), vec![]));
    let (hb, mut reports, _) = fake_loop(rx);
    drop(hb);
    assert!(reports.recv().await.is_none(), "the loop was aborted");
}

#[tokio::test]
async fn spawn_needs_an_interval() {
    let pubnub = crate::client::PubNub::builder()
        .subscribe_key("s")
        .user_id("u")
        .build()
        .unwrap();
    let (_tx, rx) = watch::channel((s(&["a"]), vec![]));
    assert!(HeartbeatLoop::spawn(pubnub.inner(), rx, |_| {}).is_none());
    let (_tx, rx) = watch::channel((s(&["a"]), vec![]));
    assert!(HeartbeatLoop::spawn_with(Duration::ZERO, rx, |_, _| async { None }, |_| {}).is_none());
}

#[test]
fn spawn_outside_a_runtime_is_none() {
    let (_tx, rx) = watch::channel((s(&["a"]), vec![]));
    assert!(HeartbeatLoop::spawn_with(EVERY, rx, |_, _| async { None }, |_| {}).is_none());
}

#[tokio::test(start_paused = true)]
async fn heartbeats_reach_the_dev_server_every_interval() {
    let server = pubnub_devserver::DevServer::builder()
        .start()
        .await
        .unwrap();
    let every = Duration::from_secs(29);
    let pubnub = crate::client::PubNub::builder()
        .subscribe_key("demo")
        .user_id("me")
        .origin(server.origin())
        .secure(false)
        .presence_timeout(Duration::from_secs(60))
        .heartbeat_interval(every)
        .build()
        .unwrap();
    pubnub
        .inner()
        .presence_state
        .set(&s(&["a"]), &serde_json::json!({"mood": "ok"}));
    let (_tx, rx) = watch::channel((s(&["a", "a-pnpres"]), s(&["g", "g-pnpres"])));
    let (reports_tx, mut reports) = mpsc::unbounded_channel();
    let start = Instant::now();
    let _hb = HeartbeatLoop::spawn(pubnub.inner(), rx, move |r| {
        let _ = reports_tx.send((Instant::now(), r));
    })
    .unwrap();
    for k in 1..=3u32 {
        let (at, report) = reports.recv().await.unwrap();
        let elapsed = at - start;
        assert!(
            elapsed >= every * k && elapsed < every * k + Duration::from_secs(1),
            "heartbeat {k} after {elapsed:?}"
        );
        assert_eq!(report.channels, s(&["a", "a-pnpres"]));
    }
    let sent: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.path.ends_with("/heartbeat"))
        .collect();
    assert_eq!(sent.len(), 3);
    for r in sent {
        assert_eq!(r.path, "/v2/presence/sub-key/demo/channel/a/heartbeat");
        assert_eq!(r.query_value("heartbeat"), Some("60"));
        assert_eq!(r.query_value("channel-group"), Some("g"));
        assert_eq!(r.query_value("state"), Some(r#"{"a":{"mood":"ok"}}"#));
        assert_eq!(r.query_value("uuid"), Some("me"));
    }
}
