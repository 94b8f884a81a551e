//! Raw HTTP against the dev server, around the client under test: a GET
//! helper and a raw publisher (the publish API is tested elsewhere).

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use pubnub_devserver::DevServer;
use serde_json::Value;

use super::{within, PUB_KEY, SUB_KEY};

/// Plain GETs to one dev server.
#[derive(Clone)]
pub(crate) struct RawHttp {
    http: Client<HttpConnector, Full<Bytes>>,
    base: String,
}

impl RawHttp {
    pub(crate) fn new(server: &DevServer) -> Self {
        RawHttp {
            http: Client::builder(TokioExecutor::new()).build_http(),
            base: format!("http://{}", server.origin()),
        }
    }

    /// GETs `path_and_query`; the status and the body as text.
    pub(crate) async fn get(&self, path_and_query: &str) -> (u16, String) {
        let req = http::Request::get(format!("{}{}", self.base, path_and_query))
            .body(Full::new(Bytes::new()))
            .expect("request");
        within(async {
            let resp = self.http.request(req).await.expect("request sent");
            let status = resp.status().as_u16();
            let body = resp.into_body().collect().await.expect("body").to_bytes();
            (status, String::from_utf8_lossy(&body).into_owned())
        })
        .await
    }
}

/// A raw HTTP publisher (the publish API is tested elsewhere).
#[derive(Clone)]
pub(crate) struct Publisher {
    http: RawHttp,
}

impl Publisher {
    pub(crate) fn new(server: &DevServer) -> Self {
        Publisher {
            http: RawHttp::new(server),
        }
    }

    pub(crate) async fn get(&self, path_and_query: &str) -> (u16, String) {
        self.http.get(path_and_query).await
    }

    /// Publishes `message` (JSON) on `channel` with `extra` query; returns the timetoken.
    pub(crate) async fn publish_with(&self, channel: &str, message: &Value, extra: &str) -> u64 {
        let body = self.send("publish", channel, message, extra).await;
        let parsed: Value = serde_json::from_str(&body).expect("publish JSON");
        parsed[2]
            .as_str()
            .and_then(|s| s.parse().ok())
            .expect("timetoken")
    }

    pub(crate) async fn publish(&self, channel: &str, message: &Value) -> u64 {
        self.publish_with(channel, message, "").await
    }

    pub(crate) async fn signal(&self, channel: &str, message: &Value) {
        self.send("signal", channel, message, "").await;
    }

    /// `/{route}/{pub}/{sub}/0/{channel}/0/{message}`; panics unless HTTP 200.
    async fn send(&self, route: &str, channel: &str, message: &Value, extra: &str) -> String {
        let path = format!(
            "/{route}/{PUB_KEY}/{SUB_KEY}/0/{}/0/{}?uuid=publisher{extra}",
            enc(channel),
            enc(&message.to_string())
        );
        let (status, body) = self.get(&path).await;
        assert_eq!(status, 200, "{route} failed: {body}");
        body
    }

    pub(crate) async fn add_to_group(&self, group: &str, channels: &[&str]) {
        let path = format!(
            "/v1/channel-registration/sub-key/{SUB_KEY}/channel-group/{}?add={}&uuid=admin",
            enc(group),
            channels
                .iter()
                .map(|c| enc(c))
                .collect::<Vec<_>>()
                .join(",")
        );
        let (status, body) = self.get(&path).await;
        assert_eq!(status, 200, "group add failed: {body}");
    }
}

pub(crate) fn enc(s: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.');
    percent_encoding::utf8_percent_encode(s, SET).to_string()
}
