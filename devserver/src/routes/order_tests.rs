//! Timetoken order is queue order: a reader that follows the cursor (as every
//! subscriber does) receives each message exactly once while publishers on
//! several channels race each other.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use http::Method;

use super::{route, RouteRequest};
use crate::config::Config;
use crate::state::matcher::Subscription;
use crate::state::AppState;

const CHANNELS: usize = 4;
const PER_CHANNEL: usize = 5_000;

fn publish(state: &AppState, channel: usize, seq: usize) {
    let req = RouteRequest {
        method: Method::GET,
        path: format!("/publish/k/k/0/ch{channel}/0/{seq}"),
        query: "store=0".to_owned(),
        body: Bytes::new(),
        content_encoding: None,
    };
    let reply = futures::executor::block_on(route(state, req));
    assert!(reply.status.is_success(), "{reply:?}");
}

#[test]
fn a_cursor_follower_receives_every_concurrent_publish_exactly_once() {
    let config = Config {
        // Large enough that nothing is dropped for overflow: any loss is the cursor's.
        queue_len: CHANNELS * PER_CHANNEL,
        ..Config::default()
    };
    let state = Arc::new(AppState::new(config));
    let done = Arc::new(AtomicUsize::new(0));
    let publishers: Vec<_> = (0..CHANNELS)
        .map(|c| {
            let (state, done) = (Arc::clone(&state), Arc::clone(&done));
            std::thread::spawn(move || {
                for seq in 0..PER_CHANNEL {
                    publish(&state, c, seq);
                }
                done.fetch_add(1, Ordering::Release);
            })
        })
        .collect();
    let channels = (0..CHANNELS).map(|c| format!("ch{c}")).collect();
    let sub = Subscription::new("k", channels, Vec::new());
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    let mut after = 0;
    loop {
        // Read `done` before collecting: once all publishers are done and a
        // collect after that finds nothing new, nothing more can come.
        let finished = done.load(Ordering::Acquire) == CHANNELS;
        let found = sub.collect(&state.lock(), after, 100);
        for d in &found {
            let key = (d.msg.channel.clone(), d.msg.payload.get().to_owned());
            *seen.entry(key).or_default() += 1;
        }
        match found.last() {
            Some(last) => after = last.msg.timetoken,
            None if finished => break,
            None => std::thread::yield_now(),
        }
    }
    for p in publishers {
        p.join().expect("publisher thread");
    }
    let dupes = seen.values().filter(|n| **n > 1).count();
    let lost = CHANNELS * PER_CHANNEL - seen.len();
    assert_eq!((lost, dupes), (0, 0), "messages lost / received twice");
}
