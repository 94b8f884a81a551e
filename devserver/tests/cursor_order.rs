//! Concurrent publishers on several channels and long-pollers following the
//! cursor: every message is received exactly once (timetoken order is queue
//! order, so no poll returns `N + 1` before `N` is queued).

mod common;

use std::collections::HashMap;

use common::{start, within, Http};
use pubnub_devserver::DevServer;

const CHANNELS: usize = 4;
const PUBLISHERS_PER_CHANNEL: usize = 4;
const PER_PUBLISHER: usize = 150;
const END: &str = "\"end\"";

/// Follows the cursor on `channels` from `cursor` until each has delivered
/// [`END`]; returns how often each (channel, payload) arrived.
async fn follow(
    http: Http,
    channels: Vec<String>,
    mut cursor: u64,
) -> HashMap<(String, String), usize> {
    let mut seen = HashMap::new();
    let mut ended = 0;
    while ended < channels.len() {
        let r = http
            .subscribe(&channels.join(","), &format!("tt={cursor}"))
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let v = r.json();
        for m in v["m"].as_array().expect("m array") {
            let key = (m["c"].as_str().expect("c").to_owned(), m["d"].to_string());
            if key.1 == END {
                ended += 1;
            }
            *seen.entry(key).or_insert(0) += 1;
        }
        cursor = common::tt_of(&v["t"]["t"]);
    }
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn cursor_followers_receive_every_concurrent_publish_exactly_once() {
    // A queue long enough that a lagging poller loses nothing to overflow.
    let builder = DevServer::builder()
        .queue_len(100_000)
        .long_poll_hold(std::time::Duration::from_secs(60));
    let (_server, http) = start(builder).await;
    let names: Vec<String> = (0..CHANNELS).map(|c| format!("ch{c}")).collect();
    // One poller per channel and one on all of them.
    let mut followers = Vec::new();
    for chs in names.iter().map(|c| vec![c.clone()]).chain([names.clone()]) {
        // Handshake before anything is published.
        let cursor = http.handshake(&chs.join(",")).await;
        let http = http.clone();
        followers.push(tokio::spawn(async move {
            (chs.clone(), follow(http, chs, cursor).await)
        }));
    }
    let publishers: Vec<_> = (0..CHANNELS * PUBLISHERS_PER_CHANNEL)
        .map(|p| {
            let http = http.clone();
            tokio::spawn(async move {
                let channel = format!("ch{}", p % CHANNELS);
                for i in 0..PER_PUBLISHER {
                    let r = http
                        .publish(&channel, &format!("{}", p * PER_PUBLISHER + i), "")
                        .await;
                    assert_eq!(r.status, 200, "{}", r.body);
                }
            })
        })
        .collect();
    for p in publishers {
        within(p).await.expect("publisher");
    }
    for c in &names {
        http.publish(c, END, "").await;
    }
    let per_channel = PUBLISHERS_PER_CHANNEL * PER_PUBLISHER + 1;
    for f in followers.drain(..) {
        let (chs, seen) = within(f).await.expect("follower");
        let dupes = seen.values().filter(|n| **n > 1).count();
        let lost = chs.len() * per_channel - seen.len();
        assert_eq!((lost, dupes), (0, 0), "lost / duplicated on {chs:?}");
    }
}
