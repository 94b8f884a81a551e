//! Shared by the publish sink integration tests: a dev server per test, a
//! client for it, and a raw subscribe long-poll reader to see what arrived.
#![allow(dead_code)]

use std::future::Future;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use pubnub_devserver::DevServer;
use pubnub_stream::{PubNub, Timetoken};
use serde_json::Value;

/// Safety net for awaits; never used to synchronise.
pub const SAFETY: Duration = Duration::from_secs(30);

/// Awaits `f`, failing the test if it hangs.
pub async fn within<F: Future>(f: F) -> F::Output {
    tokio::time::timeout(SAFETY, f)
        .await
        .expect("timed out (safety net)")
}

pub async fn server() -> DevServer {
    DevServer::builder()
        .queue_len(1000)
        .max_response_messages(1000)
        .long_poll_hold(Duration::from_millis(200))
        .start()
        .await
        .expect("dev server starts")
}

pub fn client(server: &DevServer) -> PubNub {
    PubNub::builder()
        .subscribe_key("demo")
        .publish_key("demo")
        .user_id("sink-test")
        .origin(server.origin())
        .secure(false)
        .build()
        .expect("client builds")
}

/// One message as a subscriber sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Received {
    pub channel: String,
    pub payload: Value,
    pub timetoken: Timetoken,
    pub meta: Option<Value>,
}

/// Reads `channels` through raw `/v2/subscribe` long-polls, from a cursor
/// taken before anything was published.
pub struct Subscriber {
    http: Client<HttpConnector, Empty<Bytes>>,
    base: String,
    channels: String,
    cursor: String,
}

impl Subscriber {
    /// Handshakes now: everything published afterwards will be read.
    pub async fn start(server: &DevServer, channels: &[&str]) -> Subscriber {
        let mut sub = Subscriber {
            http: Client::builder(TokioExecutor::new()).build_http(),
            base: format!("http://{}", server.origin()),
            channels: channels.join(","),
            cursor: "0".into(),
        };
        let handshake = sub.poll().await;
        assert!(handshake.is_empty());
        sub
    }

    async fn poll(&mut self) -> Vec<Received> {
        let uri = format!(
            "{}/v2/subscribe/demo/{}/0?tt={}&tr=1&uuid=reader",
            self.base, self.channels, self.cursor
        );
        let resp = within(self.http.get(uri.parse().expect("uri")))
            .await
            .expect("subscribe request");
        let body = within(resp.into_body().collect())
            .await
            .expect("subscribe body")
            .to_bytes();
        let v: Value = serde_json::from_slice(&body).expect("subscribe JSON");
        self.cursor = v["t"]["t"].as_str().expect("cursor").to_string();
        let messages = v["m"].as_array().cloned().unwrap_or_default();
        messages
            .into_iter()
            .map(|m| Received {
                channel: m["c"].as_str().expect("c").to_string(),
                payload: m["d"].clone(),
                timetoken: m["p"]["t"].as_str().expect("p.t").parse().expect("tt"),
                meta: m.get("u").cloned(),
            })
            .collect()
    }

    /// Long-polls until `n` messages have arrived (fails on more).
    pub async fn collect(&mut self, n: usize) -> Vec<Received> {
        let mut all = Vec::new();
        while all.len() < n {
            all.extend(self.poll().await);
        }
        assert_eq!(all.len(), n, "more messages than expected: {all:?}");
        all
    }
}

/// Payloads of `received` on `channel`, in arrival order.
pub fn payloads_on(received: &[Received], channel: &str) -> Vec<Value> {
    received
        .iter()
        .filter(|r| r.channel == channel)
        .map(|r| r.payload.clone())
        .collect()
}
