//! Publish→receive latency and subscribe delivery throughput.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use futures::StreamExt;
use pubnub_stream::{__bench, Event, EventStreamExt, PubNub, Status};
use serde_json::json;

use crate::raw::{BoxError, Conn, RawPoll};

/// `k` round trips: publish one message, wait until the subscription yields it.
pub(crate) async fn latency_ours(
    pubnub: &PubNub,
    channel: &str,
    k: usize,
) -> Result<Vec<Duration>, BoxError> {
    let sub = pubnub.subscribe().channels(channel).execute();
    sub.connected().await?;
    let mut messages = sub.messages();
    let mut samples = Vec::with_capacity(k);
    for i in 0..k {
        let start = Instant::now();
        pubnub
            .publish()
            .channel(channel)
            .message(&json!({ "n": i }))
            .await?;
        let m = messages.next().await.ok_or("subscription ended")?;
        samples.push(start.elapsed());
        if m.payload["n"] != i {
            return Err(format!("expected message {i}, got {}", m.payload).into());
        }
    }
    Ok(samples)
}

/// The same with a raw publish connection and a raw long-poll loop.
pub(crate) async fn latency_raw(
    addr: SocketAddr,
    pubnub: &PubNub,
    channel: &str,
    k: usize,
) -> Result<Vec<Duration>, BoxError> {
    let uris: Vec<String> = (0..k)
        .map(|i| __bench::publish_uri(pubnub, channel, &json!({ "n": i }).to_string()))
        .collect::<Result<_, _>>()?;
    let mut poll = RawPoll::open(addr, channel, 0).await?;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let poller = tokio::spawn(async move {
        while let Ok(messages) = poll.next().await {
            for m in messages {
                if tx.send(m).is_err() {
                    return;
                }
            }
        }
    });
    let mut conn = Conn::open(addr).await?;
    let mut samples = Vec::with_capacity(k);
    for (i, uri) in uris.iter().enumerate() {
        let start = Instant::now();
        conn.get(uri).await?;
        let m = rx.recv().await.ok_or("raw poll ended")?;
        samples.push(start.elapsed());
        if m["d"]["n"] != i {
            return Err(format!("raw: expected message {i}, got {m}").into());
        }
    }
    poller.abort();
    Ok(samples)
}

/// Publishes `n` messages on `channel` (8 raw connections) and returns the
/// cursor from before them, so a subscriber can catch up on all of them.
pub(crate) async fn preload(
    addr: SocketAddr,
    pubnub: &PubNub,
    channel: &str,
    n: usize,
) -> Result<u64, BoxError> {
    let tt0 = RawPoll::open(addr, channel, 0).await?.cursor();
    let uris: Vec<String> = (0..n)
        .map(|i| {
            __bench::publish_uri(
                pubnub,
                channel,
                &json!({"text": "flood", "n": i}).to_string(),
            )
        })
        .collect::<Result<_, _>>()?;
    let chunks: Vec<Vec<String>> = uris
        .chunks(n.div_ceil(8).max(1))
        .map(<[String]>::to_vec)
        .collect();
    crate::publish::raw_concurrent(addr, chunks).await?;
    Ok(tt0)
}

/// One subscription from `tt0` drains `n` messages.
pub(crate) async fn delivery_ours(
    pubnub: &PubNub,
    channel: &str,
    tt0: u64,
    n: usize,
) -> Result<Duration, BoxError> {
    let start = Instant::now();
    // A buffer for the whole flood: this measures delivery, not the overflow policy.
    let mut sub = pubnub
        .subscribe()
        .channels(channel)
        .with_timetoken(tt0)
        .buffer_size(n)
        .execute();
    let mut got = 0;
    while got < n {
        match sub.next().await.ok_or("subscription ended")? {
            Event::Message(_) => got += 1,
            Event::Status(s @ (Status::Lagged { .. } | Status::Disconnected { .. })) => {
                return Err(format!("subscription lost messages: {s:?}").into())
            }
            _ => {}
        }
    }
    Ok(start.elapsed())
}

/// A raw long-poll loop from `tt0` parsing into `Value` drains `n` messages.
pub(crate) async fn delivery_raw(
    addr: SocketAddr,
    channel: &str,
    tt0: u64,
    n: usize,
) -> Result<Duration, BoxError> {
    let start = Instant::now();
    let mut poll = RawPoll::open(addr, channel, tt0).await?;
    let mut got = 0;
    while got < n {
        got += poll.next().await?.len();
    }
    Ok(start.elapsed())
}
