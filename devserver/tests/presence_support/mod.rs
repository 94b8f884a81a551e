//! A `-pnpres` watcher for the presence tests.
#![allow(dead_code)] // each test file uses a subset

use pubnub_devserver::DevServer;
use serde_json::Value;

use crate::common::{finish, held_poll, tt_of, Http};

/// Presence events seen by a `-pnpres` subscriber, one long-poll at a time.
pub(crate) struct Watcher {
    channels: String,
    query: String,
    pub cursor: u64,
}

impl Watcher {
    pub(crate) async fn new(http: &Http, channels: &str, query: &str) -> Watcher {
        let r = http
            .subscribe(channels, &format!("tt=0&uuid=watcher&{query}"))
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        Watcher {
            channels: channels.to_owned(),
            query: query.to_owned(),
            cursor: tt_of(&r.json()["t"]["t"]),
        }
    }

    /// The envelopes of the next non-empty long-poll answer.
    pub(crate) async fn next(&mut self, server: &DevServer, http: &Http) -> Vec<Value> {
        loop {
            let q = format!("tt={}&tr=1&uuid=watcher&{}", self.cursor, self.query);
            let r = finish(held_poll(server, http, &self.channels, &q).await).await;
            assert_eq!(r.status, 200, "{}", r.body);
            let json = r.json();
            self.cursor = tt_of(&json["t"]["t"]);
            let m = json["m"].as_array().cloned().unwrap_or_default();
            if !m.is_empty() {
                return m;
            }
        }
    }

    /// The payloads (`d`) of the next events, until `n` have arrived.
    pub(crate) async fn events(&mut self, server: &DevServer, http: &Http, n: usize) -> Vec<Value> {
        let mut out = Vec::new();
        while out.len() < n {
            out.extend(
                self.next(server, http)
                    .await
                    .into_iter()
                    .map(|e| e["d"].clone()),
            );
        }
        out
    }
}

pub(crate) fn without_timestamp(mut event: Value) -> Value {
    assert!(
        event["timestamp"].is_u64(),
        "timestamp is an integer: {event}"
    );
    event.as_object_mut().unwrap().remove("timestamp");
    event
}
