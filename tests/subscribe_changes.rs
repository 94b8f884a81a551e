//! Changing what the client subscribes to: catch-up, channel-set changes,
//! unsubscribe and leave, unsubscribe_all, drop, slow consumers.

mod common;

use common::*;
use futures::StreamExt;
use pubnub_stream::{Event, Status};
use serde_json::json;

#[tokio::test]
async fn with_timetoken_catches_up_from_that_point() {
    let server = server().await;
    let publisher = Publisher::new(&server);
    let t0 = publisher.publish("log", &json!("before")).await;
    let t1 = publisher.publish("log", &json!("first")).await;
    publisher.publish("log", &json!("second")).await;
    let pubnub = subscriber(&server);
    let mut sub = pubnub
        .subscribe()
        .channels("log")
        .with_timetoken(t0)
        .execute();
    assert_eq!(next_message(&mut sub).await.timetoken.as_u64(), t1);
    assert_eq!(next_message(&mut sub).await.payload, "second");
    let receive = wait_subscribe(&server, |r| r.query_value("tt") == Some(&t0.to_string())).await;
    assert!(
        receive.query_value("tr").is_some(),
        "region from the handshake"
    );
}

#[tokio::test]
async fn channel_set_changes_lose_and_repeat_nothing() {
    let server = server().await;
    let publisher = Publisher::new(&server);
    let pubnub = subscriber(&server);
    let mut steady = pubnub
        .subscribe()
        .with_statuses()
        .channels("steady")
        .execute();
    within(steady.connected()).await.unwrap();
    let sender = {
        let publisher = publisher.clone();
        tokio::spawn(async move {
            for n in 0..40 {
                publisher.publish("steady", &json!(n)).await;
                tokio::task::yield_now().await;
            }
        })
    };
    // churn the channel mix while messages flow
    for round in 0..8 {
        let extra = pubnub
            .subscribe()
            .channels(format!("extra-{round}"))
            .execute();
        within(extra.connected()).await.unwrap();
        drop(extra);
        tokio::task::yield_now().await;
    }
    within(sender).await.unwrap();
    publisher.publish("steady", &json!("end")).await;
    for n in 0..40 {
        assert_eq!(next_message(&mut steady).await.payload, json!(n));
    }
    assert_eq!(next_message(&mut steady).await.payload, "end", "no repeats");
    let changes = subscribe_requests(&server)
        .iter()
        .filter(|r| channels_of(r).contains("extra"))
        .count();
    assert!(changes >= 1, "the mix changed on the wire");
}

#[tokio::test]
async fn unsubscribe_sends_leave_and_ends_streams_left_empty() {
    let server = server().await;
    let publisher = Publisher::new(&server);
    let pubnub = subscriber(&server);
    let mut sub = pubnub
        .subscribe()
        .with_statuses()
        .channels(["a", "b"])
        .execute();
    within(sub.connected()).await.unwrap();
    // the dev server may not answer leaves yet: only the request matters here
    let _ = within(pubnub.unsubscribe().channels("a")).await;
    let leave = server
        .requests()
        .into_iter()
        .find(|r| r.path.ends_with("/leave"))
        .expect("leave was sent before unsubscribe returned");
    assert_eq!(
        leave.path,
        format!("/v2/presence/sub-key/{SUB_KEY}/channel/a/leave")
    );
    let ack = next_status(&mut sub, |s| matches!(s, Status::Acknowledgment { .. })).await;
    assert!(matches!(ack, Status::Acknowledgment { ref channels, .. } if channels == &["a"]));
    wait_subscribe(&server, |r| channels_of(r) == "b").await;
    publisher.publish("a", &json!("gone")).await;
    publisher.publish("b", &json!("still")).await;
    assert_eq!(next_message(&mut sub).await.payload, "still");
    let _ = within(pubnub.unsubscribe().channels("b")).await;
    let rest: Vec<Event> = within(sub.by_ref().collect()).await;
    assert!(
        rest.iter().all(|e| matches!(e, Event::Status(_))),
        "{rest:?}"
    );
    assert!(futures::stream::FusedStream::is_terminated(&sub));
}

#[tokio::test]
async fn suppressed_leave_events_send_no_leave() {
    let server = server().await;
    let pubnub = subscriber_builder(&server, "quiet")
        .suppress_leave_events(true)
        .build()
        .unwrap();
    let sub = pubnub.subscribe().with_statuses().channels("a").execute();
    within(sub.connected()).await.unwrap();
    within(pubnub.unsubscribe().channels("a")).await.unwrap();
    let sub2 = pubnub
        .subscribe()
        .with_statuses()
        .channels("after")
        .execute();
    within(sub2.connected()).await.unwrap();
    assert!(!server.requests().iter().any(|r| r.path.ends_with("/leave")));
}

#[tokio::test]
async fn unsubscribe_all_resets_the_cursor() {
    let server = server().await;
    let publisher = Publisher::new(&server);
    let pubnub = subscriber(&server);
    let mut sub = pubnub.subscribe().with_statuses().channels("x").execute();
    within(sub.connected()).await.unwrap();
    publisher.publish("x", &json!(1)).await;
    next_message(&mut sub).await;
    let _ = within(pubnub.unsubscribe_all()).await;
    let rest: Vec<Event> = within(sub.collect()).await;
    assert!(rest
        .iter()
        .any(|e| matches!(e, Event::Status(Status::Acknowledgment { .. }))));
    let leave = within(server.wait_for_request(|r| r.path.ends_with("/leave"))).await;
    assert_eq!(
        leave.path,
        format!("/v2/presence/sub-key/{SUB_KEY}/channel/x/leave")
    );
    let again = pubnub.subscribe().with_statuses().channels("y").execute();
    within(again.connected()).await.unwrap();
    let first_y = subscribe_requests(&server)
        .into_iter()
        .find(|r| channels_of(r) == "y")
        .unwrap();
    assert_eq!(
        first_y.query_value("tt"),
        Some("0"),
        "handshake again after unsubscribe_all"
    );
}

#[test]
fn dropping_a_subscription_outside_a_runtime_is_fine() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (server, pubnub, sub) = runtime.block_on(async {
        let server = server().await;
        let pubnub = subscriber(&server);
        let sub = pubnub
            .subscribe()
            .with_statuses()
            .channels("outside")
            .execute();
        within(sub.connected()).await.unwrap();
        (server, pubnub, sub)
    });
    drop(sub); // no runtime context here
    runtime.block_on(async {
        let leave = within(server.wait_for_request(|r| r.path.ends_with("/leave"))).await;
        assert!(leave.path.contains("/channel/outside/"));
    });
    drop(runtime);
    drop(pubnub); // the engine's runtime is gone: still no panic
}

#[test]
fn subscribing_outside_a_runtime_reports_and_ends() {
    let pubnub = pubnub_stream::PubNub::builder()
        .subscribe_key("demo")
        .user_id("u")
        .build()
        .unwrap();
    let events: Vec<Event> = futures::executor::block_on(
        pubnub
            .subscribe()
            .with_statuses()
            .channels("c")
            .execute()
            .collect(),
    );
    assert!(
        matches!(events[..], [Event::Status(Status::Unknown { .. })]),
        "{events:?}"
    );
}

#[tokio::test]
async fn a_slow_consumer_does_not_stall_a_fast_one_and_learns_what_it_missed() {
    let server = server().await;
    let publisher = Publisher::new(&server);
    let pubnub = subscriber(&server);
    let mut slow = pubnub
        .subscribe()
        .with_statuses()
        .channels("fire")
        .buffer_size(4)
        .execute();
    let mut fast = pubnub
        .subscribe()
        .with_statuses()
        .channels("fire")
        .execute();
    within(slow.connected()).await.unwrap();
    within(fast.connected()).await.unwrap();
    for n in 0..20 {
        publisher.publish("fire", &json!(n)).await;
    }
    for n in 0..20 {
        assert_eq!(next_message(&mut fast).await.payload, json!(n));
    }
    // the slow one: what fitted, then the gap, then the next message
    let mut received = Vec::new();
    let missed = loop {
        match within(slow.next()).await.unwrap() {
            Event::Message(m) => received.push(m.payload),
            Event::Status(Status::Lagged { missed }) => break missed,
            Event::Status(_) => {}
            other => panic!("unexpected {other:?}"),
        }
    };
    let expected: Vec<_> = (0..received.len()).map(|n| json!(n)).collect();
    assert_eq!(received, expected, "the buffered prefix, in order");
    assert!(received.len() < 4);
    assert_eq!(received.len() as u64 + missed, 20, "nothing lost silently");
    publisher.publish("fire", &json!("after")).await;
    assert_eq!(next_message(&mut fast).await.payload, "after");
    assert_eq!(next_message(&mut slow).await.payload, "after");
}

#[tokio::test]
async fn dedupe_drops_repeats_from_a_catch_up() {
    let server = server().await;
    let publisher = Publisher::new(&server);
    let pubnub = subscriber(&server);
    let mut deduped = pubnub
        .subscribe()
        .with_statuses()
        .channels("d")
        .dedupe(100)
        .execute();
    let mut plain = pubnub.subscribe().with_statuses().channels("d").execute();
    within(deduped.connected()).await.unwrap();
    within(plain.connected()).await.unwrap();
    let t1 = publisher.publish("d", &json!(1)).await;
    assert_eq!(next_message(&mut deduped).await.payload, 1);
    assert_eq!(next_message(&mut plain).await.payload, 1);
    // a catch-up subscription moves the shared cursor back before message 1
    let _catch_up = pubnub
        .subscribe()
        .channels("d")
        .with_timetoken(t1 - 1)
        .execute();
    publisher.publish("d", &json!(2)).await;
    assert_eq!(
        next_message(&mut plain).await.payload,
        1,
        "repeat without dedupe"
    );
    assert_eq!(
        next_message(&mut deduped).await.payload,
        2,
        "repeat dropped"
    );
}

/// Churn elsewhere on the client (subscriptions coming and going, each a
/// `Connected` for the new mix) no longer fills a quiet subscription's
/// buffer with statuses and pushes out its messages.
#[tokio::test]
async fn churn_elsewhere_does_not_push_out_a_message() {
    let server = server().await;
    let publisher = Publisher::new(&server);
    let pubnub = subscriber(&server);
    let mut quiet = within(pubnub.subscribe().channels("quiet").buffer_size(2))
        .await
        .unwrap();
    for round in 0..6 {
        let passing = within(pubnub.subscribe().channels(format!("passing-{round}")))
            .await
            .unwrap();
        drop(passing);
    }
    publisher.publish("quiet", &json!("kept")).await;
    let first = within(quiet.next()).await;
    assert!(
        matches!(&first, Some(Event::Message(m)) if m.payload == "kept"),
        "{first:?}"
    );
}
