//! Presence timing over HTTP (protocol.md §8.1, §8.3): timeouts, the
//! minimum timeout, interval mode, and what counts as activity.

mod common;
mod presence_support;

use std::time::Duration;

use common::{finish, held_poll, start, within};
use presence_support::{without_timestamp, Watcher};
use pubnub_devserver::DevServer;
use serde_json::{json, Value};

const P: &str = "/v2/presence/sub-key/demo";

#[tokio::test]
async fn a_silent_client_times_out() {
    let (server, http) = start(
        DevServer::builder()
            .long_poll_hold(Duration::from_secs(60))
            .presence_min_timeout(Duration::from_millis(50))
            .presence_default_timeout(Duration::from_millis(150)),
    )
    .await;
    let mut watcher = Watcher::new(&http, "room-pnpres", "").await;
    let r = http
        .get(&format!("{P}/channel/room/heartbeat?uuid=bob"))
        .await;
    assert_eq!(
        r.json(),
        json!({"status":200,"message":"OK","service":"Presence"})
    );
    let events = within(watcher.events(&server, &http, 2)).await;
    let actions: Vec<_> = events.iter().map(|e| e["action"].clone()).collect();
    assert_eq!(actions, [json!("join"), json!("timeout")]);
    assert_eq!(events[1]["uuid"], "bob");
    assert_eq!(events[1]["occupancy"], 0);
    let here = http.get(&format!("{P}/channel/room")).await.json();
    assert_eq!(here["occupancy"], 0);
}

#[tokio::test]
async fn heartbeat_timeout_is_clamped_to_the_minimum() {
    let (server, http) = start(
        DevServer::builder()
            .long_poll_hold(Duration::from_secs(60))
            .presence_min_timeout(Duration::from_millis(100)),
    )
    .await;
    let mut watcher = Watcher::new(&http, "c-pnpres", "").await;
    // heartbeat=0 is raised to the 100 ms minimum, so the uuid times out soon.
    http.get(&format!("{P}/channel/c/heartbeat?uuid=u&heartbeat=0"))
        .await;
    let events = within(watcher.events(&server, &http, 2)).await;
    assert_eq!(events[1]["action"], "timeout");
}

#[tokio::test]
async fn interval_mode_sends_deltas_then_here_now_refresh() {
    let (server, http) = start(
        DevServer::builder()
            .long_poll_hold(Duration::from_secs(60))
            .presence_announce_max(1)
            .presence_interval(Duration::from_millis(50)),
    )
    .await;
    let mut watcher = Watcher::new(&http, "big-pnpres", "").await;
    http.get(&format!("{P}/channel/big/heartbeat?uuid=u1"))
        .await;
    let first = within(watcher.events(&server, &http, 1)).await;
    assert_eq!(first[0]["action"], "join");
    http.get(&format!("{P}/channel/big/heartbeat?uuid=u2"))
        .await;
    http.get(&format!("{P}/channel/big/heartbeat?uuid=u3"))
        .await;
    // one interval event, or two if a tick fell between the heartbeats
    let mut joined = Vec::new();
    let mut last = Value::Null;
    while joined.len() < 2 {
        for event in within(watcher.events(&server, &http, 1)).await {
            assert_eq!(event["action"], "interval", "{event}");
            assert!(event.get("uuid").is_none(), "not announced one by one");
            joined.extend(event["join"].as_array().cloned().unwrap_or_default());
            last = event;
        }
    }
    assert_eq!(joined, [json!("u2"), json!("u3")]);
    assert_eq!(last["occupancy"], 3);

    let (server, http) = start(
        DevServer::builder()
            .long_poll_hold(Duration::from_secs(60))
            .presence_announce_max(1)
            .presence_interval(Duration::from_millis(50))
            .presence_max_delta_bytes(8),
    )
    .await;
    let mut watcher = Watcher::new(&http, "big-pnpres", "").await;
    http.get(&format!("{P}/channel/big/heartbeat?uuid=u1"))
        .await;
    within(watcher.events(&server, &http, 1)).await;
    // ["a-long-user-id"] is 18 bytes of deltas, over the 8-byte limit
    http.get(&format!("{P}/channel/big/heartbeat?uuid=a-long-user-id"))
        .await;
    let refresh = within(watcher.events(&server, &http, 1)).await;
    assert_eq!(
        without_timestamp(refresh[0].clone()),
        json!({"action":"interval","occupancy":2,"here_now_refresh":true})
    );
}

/// With paused time: a long-poll held 15 s by a client with a 20 s timeout
/// times it out 20 s after the poll *ended*, not after it started.
#[tokio::test(start_paused = true)]
async fn the_end_of_a_long_poll_counts_as_activity() {
    let (server, http) = start(
        DevServer::builder()
            .long_poll_hold(Duration::from_secs(15))
            .presence_min_timeout(Duration::from_secs(1)),
    )
    .await;
    let mut watcher = Watcher::new(&http, "p-pnpres", "").await;
    let start = tokio::time::Instant::now();
    let poll = held_poll(
        &server,
        &http,
        "p",
        &format!("tt={}&tr=1&uuid=alice&heartbeat=20", watcher.cursor),
    )
    .await;
    let mut timed_out_at = None;
    while timed_out_at.is_none() {
        for event in watcher.events(&server, &http, 1).await {
            if event["action"] == "timeout" {
                assert_eq!(event["uuid"], "alice");
                timed_out_at = Some(tokio::time::Instant::now());
            }
        }
    }
    assert_eq!(finish(poll).await.status, 200);
    let after = timed_out_at.unwrap() - start;
    assert!(
        after >= Duration::from_secs(35) && after < Duration::from_secs(36),
        "timed out {after:?} after the poll started"
    );
}
