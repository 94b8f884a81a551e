//! [`RawSubscriber`]: reads channels through plain `/v2/subscribe` long-polls,
//! to see what a publisher under test really delivered.

use pubnub_devserver::DevServer;
use pubnub_stream::Timetoken;
use serde_json::Value;

use super::{RawHttp, SUB_KEY};

/// One message as a subscriber sees it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Received {
    pub channel: String,
    pub payload: Value,
    pub timetoken: Timetoken,
    pub meta: Option<Value>,
}

/// Reads `channels` through raw `/v2/subscribe` long-polls, from a cursor
/// taken before anything was published.
pub(crate) struct RawSubscriber {
    http: RawHttp,
    channels: String,
    cursor: String,
}

impl RawSubscriber {
    /// Handshakes now: everything published afterwards will be read.
    pub(crate) async fn start(server: &DevServer, channels: &[&str]) -> RawSubscriber {
        let mut sub = RawSubscriber {
            http: RawHttp::new(server),
            channels: channels.join(","),
            cursor: "0".into(),
        };
        let handshake = sub.poll().await;
        assert!(handshake.is_empty());
        sub
    }

    async fn poll(&mut self) -> Vec<Received> {
        let path = format!(
            "/v2/subscribe/{SUB_KEY}/{}/0?tt={}&tr=1&uuid=reader",
            self.channels, self.cursor
        );
        let (status, body) = self.http.get(&path).await;
        assert_eq!(status, 200, "subscribe failed: {body}");
        let v: Value = serde_json::from_str(&body).expect("subscribe JSON");
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
    pub(crate) async fn collect(&mut self, n: usize) -> Vec<Received> {
        let mut all = Vec::new();
        while all.len() < n {
            all.extend(self.poll().await);
        }
        assert_eq!(all.len(), n, "more messages than expected: {all:?}");
        all
    }
}

/// Payloads of `received` on `channel`, in arrival order.
pub(crate) fn payloads_on(received: &[Received], channel: &str) -> Vec<Value> {
    received
        .iter()
        .filter(|r| r.channel == channel)
        .map(|r| r.payload.clone())
        .collect()
}
