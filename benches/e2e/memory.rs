//! Resident memory (from /proc/self/statm) per idle client and per extra Subscription.
//!
//! Every measurement keeps what it built alive until all are taken, and the
//! part runs first: memory freed earlier would be reused and hide growth.

use pubnub_stream::{PubNub, Subscription};

use crate::raw::{BoxError, Conn};

/// Resident bytes of this process (assumes 4 KiB pages, as on x86-64 and most arm64 Linux).
pub(crate) fn rss() -> Result<u64, BoxError> {
    let text = std::fs::read_to_string("/proc/self/statm")?;
    let pages: u64 = text.split_whitespace().nth(1).ok_or("bad statm")?.parse()?;
    Ok(pages * 4096)
}

pub(crate) fn client(origin: &str) -> Result<PubNub, BoxError> {
    Ok(PubNub::builder()
        .subscribe_key("demo")
        .publish_key("demo")
        .user_id("bench")
        .origin(origin)
        .secure(false)
        .build()?)
}

/// Bytes per client that has made one request and keeps its connection.
/// Includes the dev server's side of that connection (same process).
pub(crate) async fn per_idle_client(
    origin: &str,
    n: usize,
) -> Result<(f64, Vec<PubNub>), BoxError> {
    let before = rss()?;
    let mut clients = Vec::with_capacity(n);
    for _ in 0..n {
        let pubnub = client(origin)?;
        pubnub.time().await?;
        clients.push(pubnub);
    }
    let after = rss()?;
    Ok((after.saturating_sub(before) as f64 / n as f64, clients))
}

/// Bytes per raw hyper connection that has made one request (both ends, as above).
pub(crate) async fn per_raw_connection(
    addr: std::net::SocketAddr,
    n: usize,
) -> Result<(f64, Vec<Conn>), BoxError> {
    let before = rss()?;
    let mut conns = Vec::with_capacity(n);
    for _ in 0..n {
        let mut conn = Conn::open(addr).await?;
        conn.get("/time/0").await?;
        conns.push(conn);
    }
    let after = rss()?;
    Ok((after.saturating_sub(before) as f64 / n as f64, conns))
}

/// Bytes per extra `Subscription` on one client (all on the same channel, so
/// the cost is the handle, its buffer and its routing entry).
pub(crate) async fn per_subscription(
    origin: &str,
    n: usize,
) -> Result<(f64, Vec<Subscription>), BoxError> {
    let pubnub = client(origin)?;
    let first = pubnub.subscribe().channels("memory").execute();
    first.connected().await?;
    let before = rss()?;
    let mut subs = Vec::with_capacity(n);
    for _ in 0..n {
        subs.push(pubnub.subscribe().channels("memory").execute());
    }
    for sub in &subs {
        sub.connected().await?;
    }
    let after = rss()?;
    subs.push(first);
    Ok((after.saturating_sub(before) as f64 / n as f64, subs))
}
