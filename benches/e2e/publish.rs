//! Publish throughput: the sinks against raw hyper loops of the same requests.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use futures::{stream, StreamExt};
use pubnub_stream::{__bench, Outgoing, PubNub};
use serde_json::{json, Value};

use crate::raw::{BoxError, Conn};

fn message(i: usize) -> Value {
    json!({"text": "hello", "n": i})
}

/// `n` messages on one channel through `publisher(ch).max_pending(64).sink()`.
pub(crate) async fn ordered_sink(
    pubnub: &PubNub,
    channel: &str,
    n: usize,
) -> Result<Duration, BoxError> {
    let sink = pubnub.publisher(channel).max_pending(64).sink::<Value>();
    let start = Instant::now();
    stream::iter((0..n).map(|i| Ok(message(i))))
        .forward(sink)
        .await?;
    Ok(start.elapsed())
}

/// `n` messages on one channel, each `publish().await`ed before the next:
/// the request path alone, without the sink's worker.
pub(crate) async fn ordered_calls(
    pubnub: &PubNub,
    channel: &str,
    n: usize,
) -> Result<Duration, BoxError> {
    let start = Instant::now();
    for i in 0..n {
        pubnub
            .publish()
            .channel(channel)
            .message(&message(i))
            .await?;
    }
    Ok(start.elapsed())
}

/// The URIs the client would send for `n` messages on `channel`.
pub(crate) fn uris(pubnub: &PubNub, channel: &str, n: usize) -> Result<Vec<String>, BoxError> {
    (0..n)
        .map(|i| {
            Ok(__bench::publish_uri(
                pubnub,
                channel,
                &message(i).to_string(),
            )?)
        })
        .collect()
}

/// The same requests, one in flight, on one raw keep-alive connection.
pub(crate) async fn raw_loop(addr: SocketAddr, uris: &[String]) -> Result<Duration, BoxError> {
    let mut conn = Conn::open(addr).await?;
    let start = Instant::now();
    for uri in uris {
        conn.get(uri).await?;
    }
    Ok(start.elapsed())
}

/// `n` messages round-robin over `channels` through the multi-channel sink,
/// with as many channels in flight as there are channels.
pub(crate) async fn multi_sink(
    pubnub: &PubNub,
    channels: &[String],
    n: usize,
) -> Result<Duration, BoxError> {
    let sink = pubnub
        .multi_publisher()
        .max_channels_in_flight(channels.len())
        .max_pending(channels.len() * 4)
        .sink::<Value>();
    let items = (0..n).map(|i| {
        Ok(Outgoing::new(
            channels[i % channels.len()].clone(),
            message(i),
        ))
    });
    let start = Instant::now();
    stream::iter(items).forward(sink).await?;
    Ok(start.elapsed())
}

/// One raw loop per channel, all concurrent, each on its own connection.
pub(crate) async fn raw_concurrent(
    addr: SocketAddr,
    per_channel: Vec<Vec<String>>,
) -> Result<Duration, BoxError> {
    let mut conns = Vec::with_capacity(per_channel.len());
    for _ in &per_channel {
        conns.push(Conn::open(addr).await?);
    }
    let start = Instant::now();
    let loops = conns.into_iter().zip(per_channel).map(|(mut conn, uris)| {
        tokio::spawn(async move {
            for uri in &uris {
                conn.get(uri).await?;
            }
            Ok::<_, BoxError>(())
        })
    });
    for result in futures::future::join_all(loops).await {
        result??;
    }
    Ok(start.elapsed())
}
