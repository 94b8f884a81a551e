//! Shared test helper: a dev server per test and a tiny HTTP client.
#![allow(dead_code)]

use std::future::Future;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use pubnub_devserver::{DevServer, DevServerBuilder};
use serde_json::Value;

/// Safety net for every await in tests; never used to synchronise.
pub(crate) const SAFETY: Duration = Duration::from_secs(20);

/// A response, fully read.
#[derive(Debug)]
pub(crate) struct Resp {
    pub status: u16,
    pub content_type: String,
    pub headers: http::HeaderMap,
    pub body: String,
}

impl Resp {
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// An HTTP client bound to one server.
#[derive(Clone)]
pub(crate) struct Http {
    client: Client<HttpConnector, Full<Bytes>>,
    base: String,
}

impl Http {
    pub(crate) fn new(server: &DevServer) -> Self {
        Http {
            client: Client::builder(TokioExecutor::new()).build_http(),
            base: format!("http://{}", server.origin()),
        }
    }

    /// Send a request; `Err` when the connection broke.
    pub(crate) async fn try_send(
        &self,
        method: &str,
        path: &str,
        body: &str,
    ) -> Result<Resp, Box<dyn std::error::Error + Send + Sync>> {
        self.try_send_bytes(method, path, &[], Bytes::from(body.to_owned()))
            .await
    }

    /// Send a request with extra headers and a raw body; `Err` when the
    /// connection broke.
    pub(crate) async fn try_send_bytes(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Bytes,
    ) -> Result<Resp, Box<dyn std::error::Error + Send + Sync>> {
        let mut req = http::Request::builder()
            .method(method)
            .uri(format!("{}{}", self.base, path))
            .header("content-type", "application/json");
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        let req = req.body(Full::new(body))?;
        let resp = self.client.request(req).await?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let content_type = headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let body = resp.into_body().collect().await?.to_bytes();
        Ok(Resp {
            status,
            content_type,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        })
    }

    pub(crate) async fn get(&self, path: &str) -> Resp {
        within(self.try_send("GET", path, ""))
            .await
            .unwrap_or_else(|e| panic!("GET {path} failed: {e}"))
    }

    pub(crate) async fn post(&self, path: &str, body: &str) -> Resp {
        within(self.try_send("POST", path, body))
            .await
            .unwrap_or_else(|e| panic!("POST {path} failed: {e}"))
    }

    /// POST a compressed (or otherwise raw) body with `Content-Encoding: encoding`.
    pub(crate) async fn post_encoded(&self, path: &str, encoding: &str, body: Vec<u8>) -> Resp {
        let headers = [("content-encoding", encoding)];
        within(self.try_send_bytes("POST", path, &headers, Bytes::from(body)))
            .await
            .unwrap_or_else(|e| panic!("POST {path} failed: {e}"))
    }

    /// Publish `json` (already JSON text) to `channel` with key pair demo/demo.
    pub(crate) async fn publish(&self, channel: &str, json: &str, query: &str) -> Resp {
        let msg = enc(json);
        self.get(&format!("/publish/demo/demo/0/{channel}/0/{msg}?{query}"))
            .await
    }

    /// Publish and return the timetoken.
    pub(crate) async fn publish_tt(&self, channel: &str, json: &str) -> u64 {
        let r = self.publish(channel, json, "uuid=pub-1").await;
        assert_eq!(r.status, 200, "{}", r.body);
        tt_of(&r.json()[2])
    }

    /// Subscribe with the given channel segment and query.
    pub(crate) async fn subscribe(&self, channels: &str, query: &str) -> Resp {
        self.get(&format!("/v2/subscribe/demo/{channels}/0?{query}"))
            .await
    }

    /// Handshake and return the cursor.
    pub(crate) async fn handshake(&self, channels: &str) -> u64 {
        let r = self.subscribe(channels, "tt=0&uuid=sub-1").await;
        assert_eq!(r.status, 200, "{}", r.body);
        tt_of(&r.json()["t"]["t"])
    }
}

/// Await with the safety-net timeout.
pub(crate) async fn within<F: Future>(f: F) -> F::Output {
    tokio::time::timeout(SAFETY, f)
        .await
        .expect("test safety timeout")
}

/// Percent-encode like the JS SDK (everything but `A-Za-z0-9-_.`).
pub(crate) fn enc(s: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.');
    percent_encoding::utf8_percent_encode(s, SET).to_string()
}

/// Asserts a publish error reply: `status` and `[0, message, "<17-digit tt>"]`.
pub(crate) fn assert_publish_error(r: &Resp, status: u16, message: &str) {
    assert_eq!(r.status, status, "{}", r.body);
    let v = r.json();
    assert_eq!(v[0], 0, "{v}");
    assert_eq!(v[1], message);
    assert_eq!(v[2].as_str().map(str::len), Some(17), "{v}");
    assert_eq!(v.as_array().map(Vec::len), Some(3));
}

/// A timetoken from a JSON string or number.
pub(crate) fn tt_of(v: &Value) -> u64 {
    match v {
        Value::String(s) => s.parse().unwrap_or_else(|_| panic!("bad tt {s}")),
        Value::Number(n) => n.as_u64().expect("tt number"),
        other => panic!("not a timetoken: {other}"),
    }
}

/// Start a server from a builder.
pub(crate) async fn start(builder: DevServerBuilder) -> (DevServer, Http) {
    let server = builder.start().await.expect("server starts");
    let http = Http::new(&server);
    (server, http)
}

/// Start a server with defaults and a short hold (long enough never to expire by accident).
pub(crate) async fn server() -> (DevServer, Http) {
    start(DevServer::builder().long_poll_hold(Duration::from_secs(60))).await
}

/// What a request task yields: a response, or the broken-connection error.
pub(crate) type Outcome = Result<Resp, Box<dyn std::error::Error + Send + Sync>>;

/// Start a subscribe long-poll in a task; returns once the server has received it.
pub(crate) async fn held_poll(
    server: &DevServer,
    http: &Http,
    channels: &str,
    query: &str,
) -> tokio::task::JoinHandle<Outcome> {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let id = format!(
        "poll-{}",
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let path = format!("/v2/subscribe/demo/{channels}/0?{query}&requestid={id}");
    let h = http.clone();
    let task = tokio::spawn(async move { h.try_send("GET", &path, "").await });
    within(server.wait_for_request(|r| r.query_value("requestid") == Some(id.as_str()))).await;
    task
}

/// The response of a finished poll task (panics on a broken connection).
pub(crate) async fn finish(task: tokio::task::JoinHandle<Outcome>) -> Resp {
    within(task)
        .await
        .expect("poll task")
        .unwrap_or_else(|e| panic!("poll failed: {e}"))
}
