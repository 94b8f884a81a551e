//! Shared helpers: one dev server per test, a client pointed at it, and a
//! history read (through the server's own REST API) to see what was stored.
#![allow(dead_code)] // each test file uses a subset

use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use pubnub_devserver::DevServer;
use pubnub_stream::{PubNub, PubNubBuilder};

pub const PUB_KEY: &str = "pub-c-test";
pub const SUB_KEY: &str = "sub-c-test";

/// A dev server that accepts only [`PUB_KEY`] / [`SUB_KEY`].
pub async fn server() -> DevServer {
    DevServer::builder()
        .keyset(PUB_KEY, SUB_KEY)
        .start()
        .await
        .expect("dev server starts")
}

/// A client builder for `server` with the test keys, plain HTTP.
pub fn builder(server: &DevServer) -> PubNubBuilder {
    PubNub::builder()
        .subscribe_key(SUB_KEY)
        .publish_key(PUB_KEY)
        .user_id("tester")
        .origin(server.origin())
        .secure(false)
}

/// A client for `server` with the test keys.
pub fn client(server: &DevServer) -> PubNub {
    builder(server).build().expect("valid config")
}

/// The stored messages of `channel` (v3 history with meta and custom message type).
pub async fn history(server: &DevServer, channel: &str) -> Vec<serde_json::Value> {
    let path = format!(
        "/v3/history/sub-key/{SUB_KEY}/channel/{}?include_meta=true&include_custom_message_type=true&uuid=reader",
        percent_encoding::utf8_percent_encode(channel, percent_encoding::NON_ALPHANUMERIC)
    );
    let body = get(server, &path).await;
    let json: serde_json::Value = serde_json::from_slice(&body).expect("history is JSON");
    json["channels"]
        .get(channel)
        .and_then(|m| m.as_array())
        .cloned()
        .unwrap_or_default()
}

async fn get(server: &DevServer, path: &str) -> Bytes {
    let client = Client::builder(TokioExecutor::new()).build_http::<Empty<Bytes>>();
    let uri = format!("http://{}{path}", server.origin());
    let resp = tokio::time::timeout(Duration::from_secs(10), client.get(uri.parse().unwrap()))
        .await
        .expect("history answers in time")
        .expect("history request");
    resp.into_body().collect().await.expect("body").to_bytes()
}
