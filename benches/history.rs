//! History catch-up benchmark: `cargo bench --bench history`.
//!
//! 10,000 stored messages on one channel of a dev server running on its own
//! OS thread (a current-thread runtime), read back newest first, 100 a page:
//!
//! - **ours**: `pubnub.history(ch)` drained message by message;
//! - **baseline**: a raw loop of the same v3 page requests over one hyper
//!   keep-alive connection, each body parsed into `serde_json::Value`, the
//!   next `start` taken from the oldest timetoken, until an empty page (the
//!   stream makes the same requests, the empty last one included).
//!
//! Both alternate `HISTORY_REPS` times (default 5); the figure is the median
//! of the per-repetition ratios (ours / baseline throughput). Under `cargo
//! test --benches` (no `--bench` argument) it runs once with 300 messages as
//! a smoke test. `HISTORY_N` overrides the message count.

#[path = "support/env.rs"]
mod env;
#[allow(dead_code)] // only the connection is used here, not the long-poll loop
#[path = "support/raw.rs"]
mod raw;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use env::{bench_mode, env_or};
use futures::StreamExt;
use pubnub_devserver::DevServer;
use pubnub_stream::PubNub;
use raw::{BoxError, Conn};

const CHANNEL: &str = "catch-up";

/// A dev server on its own thread: its address and a stopper.
fn server_thread(
    n: usize,
) -> Result<
    (
        SocketAddr,
        std::sync::mpsc::Sender<()>,
        std::thread::JoinHandle<()>,
    ),
    BoxError,
> {
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let (stop_tx, stop_rx) = std::sync::mpsc::channel::<()>();
    let thread = std::thread::spawn(move || {
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return;
        };
        runtime.block_on(async move {
            let server = DevServer::builder().history_len(n.max(100)).start().await;
            let Ok(server) = server else {
                return;
            };
            let _ = ready_tx.send(server.addr());
            let _ = tokio::task::spawn_blocking(move || stop_rx.recv()).await;
            server.shutdown().await;
        });
    });
    let addr = ready_rx.recv()?;
    Ok((addr, stop_tx, thread))
}

/// Drains the whole history through the client; returns (messages, time).
async fn ours(pubnub: &PubNub) -> Result<(usize, Duration), BoxError> {
    let start = Instant::now();
    let mut stream = pubnub.history(CHANNEL);
    let mut n = 0;
    while let Some(item) = stream.next().await {
        item?;
        n += 1;
    }
    Ok((n, start.elapsed()))
}

/// The same page requests by hand, parsed into `serde_json::Value`.
async fn baseline(addr: SocketAddr) -> Result<(usize, Duration), BoxError> {
    let mut conn = Conn::open(addr).await?;
    let base = format!(
        "/v3/history/sub-key/demo/channel/{CHANNEL}?uuid=raw&max=100&include_meta=false&include_uuid=true&include_message_type=true&include_custom_message_type=true"
    );
    let start_at = Instant::now();
    let mut start: Option<String> = None;
    let mut n = 0;
    loop {
        let uri = match &start {
            Some(tt) => format!("{base}&start={tt}"),
            None => base.clone(),
        };
        let body = conn.get(&uri).await?;
        let v: serde_json::Value = serde_json::from_slice(&body)?;
        let page = v
            .pointer(&format!("/channels/{CHANNEL}"))
            .and_then(serde_json::Value::as_array);
        let Some(page) = page.filter(|p| !p.is_empty()) else {
            break;
        };
        n += page.len();
        start = page
            .first()
            .and_then(|m| m["timetoken"].as_str())
            .map(str::to_owned);
        if start.is_none() {
            return Err("a page without a timetoken".into());
        }
    }
    Ok((n, start_at.elapsed()))
}

async fn run(addr: SocketAddr, n: usize, reps: usize) -> Result<(), BoxError> {
    let pubnub = PubNub::builder()
        .subscribe_key("demo")
        .publish_key("demo")
        .user_id("bench")
        .origin(addr.to_string())
        .secure(false)
        .build()?;
    let mut sink = pubnub.publisher(CHANNEL).max_pending(64).sink::<u64>();
    futures::SinkExt::send_all(
        &mut sink,
        &mut futures::stream::iter(
            (0..n as u64).map(Ok::<u64, pubnub_stream::PublishSinkError<u64>>),
        ),
    )
    .await?;
    futures::SinkExt::close(&mut sink).await?;
    // warm both paths once
    ours(&pubnub).await?;
    baseline(addr).await?;
    let mut ratios = Vec::new();
    let (mut ours_rates, mut raw_rates) = (Vec::new(), Vec::new());
    for _ in 0..reps {
        let (got, t_ours) = ours(&pubnub).await?;
        let (raw_got, t_raw) = baseline(addr).await?;
        if got != n || raw_got != n {
            return Err(
                format!("expected {n} messages, got {got} (ours) and {raw_got} (raw)").into(),
            );
        }
        let (a, b) = (
            n as f64 / t_ours.as_secs_f64(),
            n as f64 / t_raw.as_secs_f64(),
        );
        ours_rates.push(a);
        raw_rates.push(b);
        ratios.push(a / b);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!(
        "| history catch-up, {n} stored messages, `history(ch)` vs raw v3 page loop into `serde_json::Value`, msg/s | {:.0} | {:.0} | {:.2} |",
        median(&mut ours_rates),
        median(&mut raw_rates),
        median(&mut ratios)
    );
    println!("ratios per repetition: {ratios:.2?}");
    Ok(())
}

fn main() -> Result<(), BoxError> {
    let (n, reps) = if bench_mode() {
        (
            env_or::<usize>("HISTORY_N", 10_000),
            env_or::<usize>("HISTORY_REPS", 5).max(1),
        )
    } else {
        (env_or::<usize>("HISTORY_N", 300), 1)
    };
    let (addr, stop, thread) = server_thread(n)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let result = runtime.block_on(async move { tokio::spawn(run(addr, n, reps)).await? });
    let _ = stop.send(());
    let _ = thread.join();
    result
}
