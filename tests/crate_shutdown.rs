//! Shutdown: dropping the client, its subscriptions and its sinks leaves no
//! task and no connection behind, also when the runtime shuts down with
//! work in flight.
//!
//! The client runs on a runtime of its own (its task count is the client's
//! alone: `RuntimeMetrics::num_alive_tasks`); the dev server runs on
//! another. Open descriptors are counted through /proc/self/fd, so the tests
//! of this file run one at a time.

mod common;

use std::sync::Mutex;
use std::time::{Duration, Instant};

use common::*;
use futures::{SinkExt, StreamExt};
use pubnub_devserver::{DevServer, RouteClass};
use pubnub_stream::{EventStreamExt, PublishSinkError};

/// One test at a time: descriptors are counted process-wide.
static SERIAL: Mutex<()> = Mutex::new(());

/// Polls `check` (from outside any runtime) until it holds or 10 s pass.
fn wait_until(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting: {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// A dev server on a runtime of its own (kept alive with it).
fn server_runtime() -> (tokio::runtime::Runtime, DevServer) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("server runtime");
    let server = rt.block_on(
        server_builder()
            .queue_len(1000)
            .max_response_messages(1000)
            .long_poll_hold(Duration::from_millis(100))
            .start(),
    );
    (rt, server.expect("dev server starts"))
}

fn client_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("client runtime")
}

#[test]
fn dropping_the_client_its_subscriptions_and_sinks_leaves_no_task_and_no_connection() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let (_server_rt, server) = server_runtime();
    let rt = client_runtime();
    let fds_before = open_fds();
    assert_eq!(rt.metrics().num_alive_tasks(), 0);

    rt.block_on(async {
        let pubnub = subscriber_builder(&server, "shutdown")
            .heartbeat_interval(Duration::from_secs(1))
            .build()
            .expect("client builds");
        let sub = within(pubnub.subscribe().channels(["a", "b"]).with_presence())
            .await
            .expect("connects");
        let statuses = pubnub.status_stream();
        let mut messages = sub.messages();
        let mut sink = pubnub.multi_publisher().sink::<u32>();
        let mut one = pubnub.publisher("b").sink::<u32>();
        for i in 0..20 {
            within(sink.feed(pubnub_stream::Outgoing::new("a", i)))
                .await
                .expect("fed");
        }
        within(sink.flush()).await.expect("flushed");
        within(one.send(7)).await.expect("sent");
        let here = within(pubnub.here_now().channels(["a"]))
            .await
            .expect("here");
        assert_eq!(here.total_occupancy, 1);
        for _ in 0..21 {
            within(messages.next()).await.expect("message");
        }
        // An unfinished call and an unclosed sink are dropped as well.
        server
            .faults()
            .delay(RouteClass::Time, Duration::from_secs(60));
        let pending_call = tokio::spawn({
            let pubnub = pubnub.clone();
            async move { pubnub.time().await }
        });
        within(server.wait_for_request(|r| r.class == Some(RouteClass::Time))).await;
        pending_call.abort();
        drop((messages, statuses, sink, one, pubnub));
    });
    wait_until("every client task ends", || {
        rt.metrics().num_alive_tasks() == 0
    });
    wait_until("every connection is closed", || open_fds() <= fds_before);
    server.faults().clear();
}

#[test]
fn a_runtime_shut_down_with_work_in_flight_leaves_no_connection_and_hands_items_back() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let (_server_rt, server) = server_runtime();
    let fds_before = open_fds();
    let rt = client_runtime();
    // Publishes hang in the server: the sink has messages on the wire.
    server
        .faults()
        .delay(RouteClass::Publish, Duration::from_secs(60));
    let (pubnub, sub, mut sink) = rt.block_on(async {
        let pubnub = subscriber(&server);
        let sub = within(pubnub.subscribe().channels("c"))
            .await
            .expect("connects");
        let mut sink = pubnub.publisher("c").max_pending(16).sink::<u32>();
        for i in 0..10 {
            within(sink.feed(i)).await.expect("fed");
        }
        within(server.wait_for_request(|r| r.class == Some(RouteClass::Publish))).await;
        (pubnub, sub, sink)
    });
    rt.shutdown_timeout(Duration::from_secs(5));

    // Off the runtime: the sink hands every accepted item back, and dropping
    // the handles neither panics nor needs a runtime.
    let handed_back = futures::executor::block_on(sink.close());
    match handed_back {
        Err(PublishSinkError::WorkerGone {
            unacknowledged,
            in_doubt,
        }) => {
            assert_eq!(unacknowledged, (0..10).collect::<Vec<_>>());
            assert_eq!(in_doubt, 1, "the first was on the wire");
        }
        other => panic!("{other:?}"),
    }
    drop((sub, sink, pubnub));
    wait_until("every connection is closed", || open_fds() <= fds_before);
    server.faults().clear();
}
