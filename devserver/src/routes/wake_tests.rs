//! A publish wakes only the long-polls it can match, and a poll leaves the
//! wait lists when it answers or is dropped.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::Method;
use tokio::task::JoinHandle;
use tokio::time::timeout;

use super::{route, RouteRequest};
use crate::config::Config;
use crate::state::AppState;

const SAFETY: Duration = Duration::from_secs(10);

fn state() -> Arc<AppState> {
    Arc::new(AppState::new(Config::default()))
}

async fn get(state: &AppState, path: &str, query: &str) -> String {
    let req = RouteRequest {
        method: Method::GET,
        path: path.to_owned(),
        query: query.to_owned(),
        body: Bytes::new(),
        content_encoding: None,
    };
    let reply = route(state, req).await;
    assert!(reply.status.is_success(), "{path}?{query}: {reply:?}");
    reply.body
}

async fn publish(state: &AppState, channel: &str, payload: &str) -> u64 {
    let body = get(state, &format!("/publish/k/k/0/{channel}/0/{payload}"), "").await;
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    v[2].as_str().unwrap().parse().unwrap()
}

fn registrations(state: &AppState) -> usize {
    state.lock().waiters.registrations()
}

fn woken(state: &AppState) -> u64 {
    state.lock().waiters.woken()
}

/// Starts a long-poll after cursor `tt`; returns once it sits on the wait lists.
async fn held(state: &Arc<AppState>, channels: &str, query: &str) -> JoinHandle<String> {
    let before = registrations(state);
    let s = Arc::clone(state);
    let path = format!("/v2/subscribe/k/{channels}/0");
    let query = query.to_owned();
    let task = tokio::spawn(async move { get(&s, &path, &query).await });
    timeout(SAFETY, async {
        while registrations(state) == before {
            tokio::task::yield_now().await;
        }
    })
    .await
    .expect("poll never registered");
    task
}

async fn answer(task: JoinHandle<String>) -> String {
    timeout(SAFETY, task)
        .await
        .expect("poll not woken")
        .unwrap()
}

#[tokio::test]
async fn publish_on_a_does_not_wake_a_poll_on_b() {
    let state = state();
    let tt = publish(&state, "b", "0").await;
    let poll = held(&state, "b", &format!("tt={tt}")).await;
    publish(&state, "a", "1").await;
    publish(&state, "b-pnpres", "1").await;
    assert_eq!(woken(&state), 0);
    assert!(!poll.is_finished());
    publish(&state, "b", "%22hit%22").await;
    assert_eq!(woken(&state), 1);
    assert!(answer(poll).await.contains("\"hit\""));
    assert_eq!(registrations(&state), 0);
}

#[tokio::test]
async fn wildcard_and_group_polls_wake() {
    let state = state();
    get(
        &state,
        "/v1/channel-registration/sub-key/k/channel-group/cg",
        "add=m",
    )
    .await;
    let tt = publish(&state, "z", "0").await;
    let cursor = format!("tt={tt}");
    let wild = held(&state, "w.*", &cursor).await;
    let group = held(&state, ",", &format!("{cursor}&channel-group=cg")).await;
    publish(&state, "w", "1").await;
    publish(&state, "x.w", "1").await;
    publish(&state, "n", "1").await;
    assert_eq!(woken(&state), 0);
    publish(&state, "w.a", "%22wild%22").await;
    assert!(answer(wild).await.contains("\"wild\""));
    publish(&state, "m", "%22member%22").await;
    assert!(answer(group).await.contains("\"member\""));
    assert_eq!(registrations(&state), 0);
}

#[tokio::test]
async fn group_gaining_a_member_wakes_its_polls() {
    let state = state();
    let tt = publish(&state, "z", "0").await;
    publish(&state, "q", "%22queued%22").await;
    let poll = held(&state, ",", &format!("tt={tt}&channel-group=cg2")).await;
    get(
        &state,
        "/v1/channel-registration/sub-key/k/channel-group/cg2",
        "add=q",
    )
    .await;
    assert!(answer(poll).await.contains("\"queued\""));
}

#[tokio::test]
async fn presence_events_wake_presence_polls() {
    let state = state();
    let tt = publish(&state, "z", "0").await;
    let poll = held(&state, "room-pnpres", &format!("tt={tt}")).await;
    let join = tokio::spawn({
        let s = Arc::clone(&state);
        async move { get(&s, "/v2/subscribe/k/room/0", "uuid=alice").await }
    });
    assert!(answer(poll).await.contains("\"join\""));
    timeout(SAFETY, join).await.unwrap().unwrap();
}

#[tokio::test]
async fn a_dropped_poll_leaves_the_wait_lists() {
    let state = state();
    let poll = held(&state, "a,b.*", "tt=1&channel-group=cg").await;
    assert_eq!(registrations(&state), 3);
    poll.abort();
    assert!(timeout(SAFETY, poll).await.unwrap().is_err());
    assert_eq!(registrations(&state), 0);
    assert!(state.lock().waiters.is_empty());
}
