//! Resident memory (from /proc/self/statm) per idle client and per extra Subscription.

use pubnub_stream::PubNub;

use crate::raw::BoxError;

/// Resident bytes of this process (assumes 4 KiB pages, as on x86-64 and most arm64 Linux).
pub fn rss() -> Result<u64, BoxError> {
    let text = std::fs::read_to_string("/proc/self/statm")?;
    let pages: u64 = text.split_whitespace().nth(1).ok_or("bad statm")?.parse()?;
    Ok(pages * 4096)
}

pub fn client(origin: &str) -> Result<PubNub, BoxError> {
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
pub async fn per_idle_client(origin: &str, n: usize) -> Result<f64, BoxError> {
    let before = rss()?;
    let mut clients = Vec::with_capacity(n);
    for _ in 0..n {
        let pubnub = client(origin)?;
        pubnub.time().await?;
        clients.push(pubnub);
    }
    let after = rss()?;
    drop(clients);
    Ok(after.saturating_sub(before) as f64 / n as f64)
}

/// Bytes per extra `Subscription` on one client (all on the same channel, so
/// the cost is the handle, its buffer and its routing entry).
pub async fn per_subscription(origin: &str, n: usize) -> Result<f64, BoxError> {
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
    drop(subs);
    drop(first);
    Ok(after.saturating_sub(before) as f64 / n as f64)
}
