//! What the subscribe engine does for presence on its own: explicit
//! heartbeats while subscribed, failures reported as statuses, interval-mode
//! events, and which unsubscribes send a leave.

mod common;

use std::time::Duration;

use common::*;
use futures::StreamExt;
use pubnub_devserver::{DevServer, RouteClass};
use pubnub_stream::{PresenceAction, PubNub, Status};
use serde_json::json;

fn heartbeat_path(channels: &str) -> String {
    format!("/v2/presence/sub-key/{SUB_KEY}/channel/{channels}/heartbeat")
}

/// A client sending heartbeats every 30 ms.
fn beating(server: &DevServer, user: &str) -> PubNub {
    subscriber_builder(server, user)
        .heartbeat_interval(Duration::from_millis(30))
        .build()
        .unwrap()
}

/// How many heartbeats for exactly `channels` the server has seen.
fn heartbeats_for<'a>(server: &'a DevServer, channels: &str) -> impl Fn() -> usize + 'a {
    let path = heartbeat_path(channels);
    move || {
        presence_requests(server, "/heartbeat")
            .iter()
            .filter(|r| r.path == path)
            .count()
    }
}

#[tokio::test]
async fn heartbeats_follow_the_subscribed_names_at_the_interval() {
    let server = server().await;
    let interval = Duration::from_millis(100);
    let pubnub = subscriber_builder(&server, "beating")
        .heartbeat_interval(interval)
        .presence_timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let sub = pubnub
        .subscribe()
        .channels(["b", "a"])
        .channel_groups(["g"])
        .with_presence()
        .execute();
    within(sub.connected()).await.unwrap();
    let _watch_only = pubnub.subscribe().channels("quiet-pnpres").execute();
    let first = within(server.wait_for_request(|r| r.path.ends_with("/heartbeat"))).await;
    assert_eq!(first.path, heartbeat_path("a,b"), "no -pnpres names");
    assert_eq!(first.query_value("heartbeat"), Some("60"));
    assert_eq!(first.query_value("channel-group"), Some("g"));
    assert_eq!(first.query_value("uuid"), Some("beating"));
    let second = eventually(|| presence_requests(&server, "/heartbeat").get(1).cloned()).await;
    let gap = second.at.duration_since(first.at).unwrap_or_default();
    assert!(gap >= interval / 2, "heartbeats {gap:?} apart");

    within(pubnub.unsubscribe().channels("a").channel_groups("g"))
        .await
        .unwrap();
    let after = within(server.wait_for_request(|r| r.path == heartbeat_path("b"))).await;
    assert_eq!(after.query_value("channel-group"), None);
}

#[tokio::test]
async fn heartbeats_stop_once_nothing_is_subscribed() {
    let server = server().await;
    let (pubnub, clock) = (beating(&server, "leaving"), beating(&server, "clock"));
    let sub = pubnub.subscribe().channels("a").execute();
    let ticking = clock.subscribe().channels("z").execute();
    within(sub.connected()).await.unwrap();
    within(ticking.connected()).await.unwrap();
    let (for_a, for_z) = (heartbeats_for(&server, "a"), heartbeats_for(&server, "z"));
    eventually(|| (for_a() >= 1).then_some(())).await;
    // returns after the leave was answered; the loop was stopped before it
    within(pubnub.unsubscribe_all()).await.unwrap();
    let (a_before, z_before) = (for_a(), for_z());
    // the other client's heartbeats (same interval) measure three intervals
    eventually(|| (for_z() >= z_before + 3).then_some(())).await;
    assert_eq!(for_a(), a_before, "no heartbeat for `a` after it was left");
}

#[tokio::test]
async fn heartbeats_pause_while_disconnected() {
    let server = server().await;
    let (pubnub, clock) = (beating(&server, "pausing"), beating(&server, "clock"));
    let mut sub = pubnub.subscribe().with_statuses().channels("a").execute();
    let ticking = clock.subscribe().channels("z").execute();
    within(sub.connected()).await.unwrap();
    within(ticking.connected()).await.unwrap();
    let (for_a, for_z) = (heartbeats_for(&server, "a"), heartbeats_for(&server, "z"));
    eventually(|| (for_a() >= 1).then_some(())).await;
    pubnub.disconnect();
    // the status comes after the heartbeat loop stopped
    next_status(&mut sub, |s| matches!(s, Status::Disconnected { .. })).await;
    let (a_before, z_before) = (for_a(), for_z());
    eventually(|| (for_z() >= z_before + 3).then_some(())).await;
    assert_eq!(for_a(), a_before, "no heartbeat while disconnected");
    pubnub.reconnect();
    eventually(|| (for_a() > a_before).then_some(())).await;
}

#[tokio::test]
async fn a_failed_heartbeat_is_a_status_and_the_subscription_goes_on() {
    let server = server().await;
    let publisher = Publisher::new(&server);
    let pubnub = subscriber_builder(&server, "beating")
        .heartbeat_interval(Duration::from_millis(50))
        .build()
        .unwrap();
    let mut statuses = pubnub.status_stream();
    let mut sub = pubnub.subscribe().channels("a").execute();
    within(sub.connected()).await.unwrap();
    server.faults().fail_next(RouteClass::Presence, 1, 503, "");
    let failed = within(async {
        loop {
            match statuses.next().await {
                Some(status @ Status::HeartbeatFailed { .. }) => break status,
                Some(_) => continue,
                None => panic!("status stream ended"),
            }
        }
    })
    .await;
    let Status::HeartbeatFailed {
        channels, error, ..
    } = &failed
    else {
        unreachable!()
    };
    assert_eq!(channels, &["a"]);
    assert_eq!(error.status(), Some(503));
    assert_eq!(failed.category(), "HeartbeatFailed");
    publisher.publish("a", &json!("still here")).await;
    assert_eq!(next_message(&mut sub).await.payload, "still here");
    let heartbeats = presence_requests(&server, "/heartbeat").len();
    eventually(|| (presence_requests(&server, "/heartbeat").len() > heartbeats).then_some(()))
        .await;
}

#[tokio::test]
async fn interval_mode_arrives_as_typed_interval_events() {
    let server = server_with(|b| {
        b.presence_announce_max(1)
            .presence_interval(Duration::from_millis(50))
    })
    .await;
    let (_watcher, mut presence) = watch(&server, &["big"]).await;
    for user in ["u2", "u3"] {
        let peer = subscriber_builder(&server, user).build().unwrap();
        within(peer.heartbeat().channels(["big"])).await.unwrap();
    }
    let mut joined = Vec::new();
    while joined.len() < 2 {
        let event = next_presence(&mut presence, |e| e.action.name() == "interval").await;
        let PresenceAction::Interval {
            joined: j,
            here_now_refresh,
            ..
        } = event.action
        else {
            unreachable!()
        };
        assert!(!here_now_refresh);
        assert_eq!(event.channel, "big");
        joined.extend(j);
        if joined.len() == 2 {
            assert_eq!(event.occupancy, 3);
        }
    }
    joined.sort();
    assert_eq!(joined, ["u2", "u3"]);
}

#[tokio::test]
async fn too_many_deltas_ask_for_a_here_now_refresh() {
    let server = server_with(|b| {
        b.presence_announce_max(1)
            .presence_interval(Duration::from_millis(50))
            .presence_max_delta_bytes(4)
    })
    .await;
    let (watcher, mut presence) = watch(&server, &["big"]).await;
    let peer = subscriber_builder(&server, "a-rather-long-user-id")
        .build()
        .unwrap();
    within(peer.heartbeat().channels(["big"])).await.unwrap();
    let event = next_presence(&mut presence, |e| e.action.name() == "interval").await;
    assert!(matches!(
        event.action,
        PresenceAction::Interval { here_now_refresh: true, ref joined, .. } if joined.is_empty()
    ));
    let here = within(watcher.here_now().channels(["big"])).await.unwrap();
    assert_eq!(here.channels["big"].occupancy, event.occupancy);
}
