//! Shared helpers: one dev server per test, a client pointed at it, and a
//! history read (through the server's own REST API) to see what was stored.
#![allow(dead_code)] // each test file uses a subset
//!
//! Subscribe tests add a raw [`Publisher`], stream waiting helpers and
//! request-log helpers; publish-sink tests a [`RawSubscriber`] that reads
//! what arrived with plain long-polls.

mod captured_logs;
mod connect_proxy;
mod hostile;
mod process;
mod raw_http;
mod raw_subscriber;

#[allow(unused_imports)] // each test file uses a subset
pub(crate) use captured_logs::CapturedLogs;
#[allow(unused_imports)]
pub(crate) use connect_proxy::{ConnectProxy, Tunnel};
#[allow(unused_imports)]
pub(crate) use hostile::{Answer, HostileServer};
#[allow(unused_imports)]
pub(crate) use process::{cpu_time, open_fds, peak_rss_kib, reset_peak_rss, rss_kib};
#[allow(unused_imports)]
pub(crate) use raw_http::{enc, Publisher, RawHttp};
#[allow(unused_imports)]
pub(crate) use raw_subscriber::{payloads_on, RawSubscriber, Received};

use std::future::IntoFuture;
use std::time::Duration;

use futures::{Stream, StreamExt};
use pubnub_devserver::{DevServer, DevServerBuilder, RecordedRequest, RouteClass};
use pubnub_stream::{Event, Message, PubNub, PubNubBuilder, RetryPolicy, Status};

pub(crate) const PUB_KEY: &str = "pub-c-test";
pub(crate) const SUB_KEY: &str = "sub-c-test";

/// A dev server builder that accepts only [`PUB_KEY`] / [`SUB_KEY`].
pub(crate) fn server_builder() -> DevServerBuilder {
    DevServer::builder().keyset(PUB_KEY, SUB_KEY)
}

/// A dev server that accepts only [`PUB_KEY`] / [`SUB_KEY`].
pub(crate) async fn server() -> DevServer {
    server_builder().start().await.expect("dev server starts")
}

/// A [`server`] for publish-sink tests: channel queues and subscribe
/// responses hold 1000 messages (a sink test publishes many at once), and a
/// long-poll is held 200 ms so a [`RawSubscriber`] waits without spinning.
pub(crate) async fn sink_server() -> DevServer {
    server_builder()
        .queue_len(1000)
        .max_response_messages(1000)
        .long_poll_hold(Duration::from_millis(200))
        .start()
        .await
        .expect("dev server starts")
}

/// A client builder for `server` with the test keys, plain HTTP.
pub(crate) fn builder(server: &DevServer) -> PubNubBuilder {
    PubNub::builder()
        .subscribe_key(SUB_KEY)
        .publish_key(PUB_KEY)
        .user_id("tester")
        .origin(server.origin())
        .secure(false)
}

/// A client for `server` with the test keys.
pub(crate) fn client(server: &DevServer) -> PubNub {
    builder(server).build().expect("valid config")
}

/// The stored messages of `channel` (v3 history with meta and custom message type).
pub(crate) async fn history(server: &DevServer, channel: &str) -> Vec<serde_json::Value> {
    let path = format!(
        "/v3/history/sub-key/{SUB_KEY}/channel/{}?include_meta=true&include_custom_message_type=true&uuid=reader",
        percent_encoding::utf8_percent_encode(channel, percent_encoding::NON_ALPHANUMERIC)
    );
    let (status, body) = RawHttp::new(server).get(&path).await;
    assert_eq!(status, 200, "history failed: {body}");
    let json: serde_json::Value = serde_json::from_str(&body).expect("history is JSON");
    json["channels"]
        .get(channel)
        .and_then(|m| m.as_array())
        .cloned()
        .unwrap_or_default()
}

/// Safety net for every await; never used to synchronise.
pub(crate) const SAFETY: Duration = Duration::from_secs(30);

/// Await with the safety-net timeout.
pub(crate) async fn within<F: IntoFuture>(f: F) -> F::Output {
    tokio::time::timeout(SAFETY, f)
        .await
        .expect("test safety timeout")
}

/// A subscribing client's builder for `server`: the test keys, user `user`,
/// fast linear retries without jitter.
pub(crate) fn subscriber_builder(server: &DevServer, user: &str) -> PubNubBuilder {
    builder(server).user_id(user).reconnection(
        RetryPolicy::linear(Duration::from_millis(20))
            .without_jitter()
            .max_retries(50),
    )
}

/// A subscribing client for `server` (see [`subscriber_builder`]).
pub(crate) fn subscriber(server: &DevServer) -> PubNub {
    subscriber_builder(server, "sub-user")
        .build()
        .expect("client builds")
}

/// The next message of an event stream (skipping statuses and the rest).
pub(crate) async fn next_message<S: Stream<Item = Event> + Unpin>(stream: &mut S) -> Message {
    within(async {
        loop {
            match stream.next().await {
                Some(Event::Message(m)) => return m,
                Some(_) => continue,
                None => panic!("stream ended while waiting for a message"),
            }
        }
    })
    .await
}

/// The next status matching `pred` (skipping everything else).
pub(crate) async fn next_status<S: Stream<Item = Event> + Unpin>(
    stream: &mut S,
    pred: impl Fn(&Status) -> bool,
) -> Status {
    within(async {
        loop {
            match stream.next().await {
                Some(Event::Status(s)) if pred(&s) => return s,
                Some(_) => continue,
                None => panic!("stream ended while waiting for a status"),
            }
        }
    })
    .await
}

/// Waits until the server has seen a subscribe request matching `pred`.
pub(crate) async fn wait_subscribe(
    server: &DevServer,
    pred: impl Fn(&RecordedRequest) -> bool,
) -> RecordedRequest {
    within(server.wait_for_request(|r| r.class == Some(RouteClass::Subscribe) && pred(r))).await
}

/// The subscribe requests received so far.
pub(crate) fn subscribe_requests(server: &DevServer) -> Vec<RecordedRequest> {
    server
        .requests()
        .into_iter()
        .filter(|r| r.class == Some(RouteClass::Subscribe))
        .collect()
}

/// The channel list segment of a subscribe request path.
pub(crate) fn channels_of(request: &RecordedRequest) -> String {
    request
        .path
        .split('/')
        .nth(4)
        .unwrap_or_default()
        .to_owned()
}

/// Polls a condition until it holds (a condition wait, not a fixed sleep).
pub(crate) async fn eventually<T>(mut check: impl FnMut() -> Option<T>) -> T {
    within(async {
        loop {
            if let Some(value) = check() {
                return value;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    })
    .await
}

/// Closes the client's long-poll once one is held by the server.
pub(crate) async fn drop_held_poll(server: &DevServer) {
    eventually(|| (server.faults().drop_in_flight(RouteClass::Subscribe) >= 1).then_some(())).await
}

/// Waits until the server has received at least `n` subscribe requests.
pub(crate) async fn wait_subscribe_count(server: &DevServer, n: usize) -> Vec<RecordedRequest> {
    eventually(|| {
        let requests = subscribe_requests(server);
        (requests.len() >= n).then_some(requests)
    })
    .await
}

/// The next presence event of a presence stream matching `pred` (skipping others).
pub(crate) async fn next_presence<S>(
    stream: &mut S,
    pred: impl Fn(&pubnub_stream::PresenceEvent) -> bool,
) -> pubnub_stream::PresenceEvent
where
    S: Stream<Item = pubnub_stream::PresenceEvent> + Unpin,
{
    within(async {
        loop {
            match stream.next().await {
                Some(event) if pred(&event) => return event,
                Some(_) => continue,
                None => panic!("stream ended while waiting for a presence event"),
            }
        }
    })
    .await
}

/// The presence requests (heartbeat, leave, …) whose path ends with `suffix`.
pub(crate) fn presence_requests(server: &DevServer, suffix: &str) -> Vec<RecordedRequest> {
    server
        .requests()
        .into_iter()
        .filter(|r| r.class == Some(RouteClass::Presence) && r.path.ends_with(suffix))
        .collect()
}

/// A dev server with the test keys and whatever else `configure` sets.
pub(crate) async fn server_with(
    configure: impl FnOnce(pubnub_devserver::DevServerBuilder) -> pubnub_devserver::DevServerBuilder,
) -> DevServer {
    configure(DevServer::builder().keyset(PUB_KEY, SUB_KEY))
        .start()
        .await
        .expect("dev server starts")
}

/// Client "watcher" subscribed to `channels` with presence (connected), and
/// its presence events. Keep the client alive as long as the stream.
pub(crate) async fn watch(
    server: &DevServer,
    channels: &[&str],
) -> (
    PubNub,
    impl Stream<Item = pubnub_stream::PresenceEvent> + Unpin,
) {
    use pubnub_stream::EventStreamExt;
    let watcher = subscriber_builder(server, "watcher")
        .build()
        .expect("client builds");
    let names: Vec<String> = channels.iter().map(|c| c.to_string()).collect();
    let sub = watcher
        .subscribe()
        .channels(names)
        .with_presence()
        .execute();
    within(sub.connected()).await.expect("watcher connects");
    (watcher, sub.presence())
}
