//! End-to-end benchmark: `cargo bench --bench e2e`.
//!
//! An in-process dev server on loopback; every figure of the client is measured
//! beside a baseline in the same run, alternating, `E2E_REPS` times (default
//! 5; medians are reported, and throughput ratios are the median of the
//! per-repetition ratios). `E2E_SCALE` (default 1.0) scales every count.
//!
//! 1. ordered single-channel publish throughput: `publisher(ch).max_pending(64).sink()`
//!    (and, for diagnosis, a plain `publish().await` loop)
//!    vs a raw hyper GET loop of the same URIs, one in flight, one connection;
//! 2. 64 channels: `multi_publisher().max_channels_in_flight(64).sink()` vs 64
//!    concurrent raw hyper loops, one connection each;
//! 3. publish→receive latency: `publish()` + a `Subscription` vs a raw hyper
//!    publish + a raw long-poll loop (parsing into `serde_json::Value`);
//! 4. delivery throughput: one `Subscription` drains a preloaded flood vs a raw
//!    long-poll loop that parses each response into `serde_json::Value`;
//! 5. resident memory per idle client and per extra `Subscription`.
//!
//! Under `cargo test --benches` (no `--bench` argument) it runs at 1% scale
//! as a smoke test. `E2E_ONLY=ordered,multi,latency,delivery,memory` runs a subset;
//! `E2E_THREADS=n` sets the tokio worker threads (default: one per CPU; 1 =
//! current-thread runtime).

#[path = "support/env.rs"]
mod env;
#[path = "e2e/memory.rs"]
mod memory;
#[path = "e2e/publish.rs"]
mod publish;
#[path = "support/raw.rs"]
mod raw;
#[path = "e2e/report.rs"]
mod report;
#[path = "e2e/subscribe.rs"]
mod subscribe;

use std::time::Duration;

use env::{bench_mode, env_or};
use pubnub_devserver::DevServer;
use raw::BoxError;
use report::{Row, Table};

fn scaled(n: f64) -> usize {
    let default = if bench_mode() { 1.0 } else { 0.01 };
    (n * env_or::<f64>("E2E_SCALE", default)).round().max(1.0) as usize
}

/// Whether part `name` is selected by `E2E_ONLY` (all when unset).
fn selected(name: &str) -> bool {
    std::env::var("E2E_ONLY").map_or(true, |only| only.split(',').any(|p| p.trim() == name))
}

fn main() -> Result<(), BoxError> {
    let threads = env_or::<f64>("E2E_THREADS", 0.0) as usize;
    let runtime = match threads {
        0 => tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()?,
        1 => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?,
        n => tokio::runtime::Builder::new_multi_thread()
            .worker_threads(n)
            .enable_all()
            .build()?,
    };
    // Everything, baselines included, runs in a spawned task on the runtime's
    // workers: the `block_on` thread is not a worker, and work driven from it
    // pays a cross-thread wake-up per await that the other side would not.
    runtime.block_on(async { tokio::spawn(run()).await? })
}

fn server_builder(flood_n: usize) -> pubnub_devserver::DevServerBuilder {
    DevServer::builder()
        .long_poll_hold(Duration::from_secs(30))
        .queue_len(flood_n.max(100))
        .history_len(100)
}

/// The dev server: on the measured runtime (default), or with
/// `E2E_SERVER=thread` on a current-thread runtime of its own OS thread, so
/// that the measured runtime's workers run only client and baseline tasks.
enum Server {
    Shared(DevServer),
    OwnThread {
        addr: std::net::SocketAddr,
        origin: String,
        stop: Option<tokio::sync::oneshot::Sender<()>>,
        thread: Option<std::thread::JoinHandle<()>>,
    },
}

impl Server {
    async fn start(flood_n: usize) -> Result<Server, BoxError> {
        if std::env::var("E2E_SERVER").as_deref() != Ok("thread") {
            return Ok(Server::Shared(server_builder(flood_n).start().await?));
        }
        let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
        let (stop, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(runtime) => runtime,
                Err(e) => {
                    let _ = ready_tx.send(Err(e.to_string()));
                    return;
                }
            };
            runtime.block_on(async move {
                match server_builder(flood_n).start().await {
                    Ok(server) => {
                        let _ = ready_tx.send(Ok((server.addr(), server.origin())));
                        let _ = stop_rx.await;
                        server.shutdown().await;
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e.to_string()));
                    }
                }
            });
        });
        let (addr, origin) = ready_rx.await?.map_err(BoxError::from)?;
        Ok(Server::OwnThread {
            addr,
            origin,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    fn addr(&self) -> std::net::SocketAddr {
        match self {
            Server::Shared(server) => server.addr(),
            Server::OwnThread { addr, .. } => *addr,
        }
    }

    fn origin(&self) -> String {
        match self {
            Server::Shared(server) => server.origin(),
            Server::OwnThread { origin, .. } => origin.clone(),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Server::OwnThread { stop, thread, .. } = self {
            if let Some(stop) = stop.take() {
                let _ = stop.send(());
            }
            if let Some(thread) = thread.take() {
                let _ = thread.join();
            }
        }
    }
}

/// What every part needs.
struct Ctx {
    addr: std::net::SocketAddr,
    origin: String,
    pubnub: pubnub_stream::PubNub,
    reps: usize,
}

async fn run() -> Result<(), BoxError> {
    let reps = env_or::<f64>("E2E_REPS", if bench_mode() { 5.0 } else { 1.0 }).max(1.0) as usize;
    let load_before = report::loadavg();
    let mut table = Table::default();
    let flood_n = scaled(20000.0);
    let server = Server::start(flood_n).await?;
    let pubnub = memory::client(&server.origin())?;
    pubnub.time().await?;
    let ctx = Ctx {
        addr: server.addr(),
        origin: server.origin(),
        pubnub,
        reps,
    };
    if selected("memory") {
        memory(&ctx, &mut table).await?;
    }
    if selected("ordered") {
        ordered(&ctx, &mut table).await?;
    }
    if selected("multi") {
        multi(&ctx, &mut table).await?;
    }
    if selected("latency") {
        latency(&ctx, &mut table).await?;
    }
    if selected("delivery") {
        delivery(&ctx, &mut table, flood_n).await?;
    }
    table.print(reps, load_before, report::loadavg());
    Ok(())
}

/// Part 1: ordered single-channel publish throughput.
async fn ordered(ctx: &Ctx, table: &mut Table) -> Result<(), BoxError> {
    let n = scaled(3000.0);
    let uris = publish::uris(&ctx.pubnub, "ordered", n)?;
    let (mut ours, mut calls, mut base) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..ctx.reps {
        base.push(publish::raw_loop(ctx.addr, &uris).await?);
        ours.push(publish::ordered_sink(&ctx.pubnub, "ordered", n).await?);
        calls.push(publish::ordered_calls(&ctx.pubnub, "ordered", n).await?);
    }
    table.push(Row::throughput(
        format!("ordered publish, 1 channel ({n} msgs), msg/s"),
        "raw hyper GET loop, 1 in flight",
        n,
        &ours,
        &base,
        Some(0.9),
    ));
    table.push(Row::throughput(
        "  same, `publish().await` in a loop (no sink), msg/s".to_string(),
        "raw hyper GET loop, 1 in flight",
        n,
        &calls,
        &base,
        None,
    ));
    Ok(())
}

/// Part 2: 64-channel publish throughput.
async fn multi(ctx: &Ctx, table: &mut Table) -> Result<(), BoxError> {
    let per = scaled(20000.0 / 64.0);
    let n = per * 64;
    let channels: Vec<String> = (0..64).map(|i| format!("multi-{i}")).collect();
    let per_channel: Vec<Vec<String>> = channels
        .iter()
        .map(|c| publish::uris(&ctx.pubnub, c, per))
        .collect::<Result<_, _>>()?;
    let (mut ours, mut base) = (Vec::new(), Vec::new());
    for _ in 0..ctx.reps {
        base.push(publish::raw_concurrent(ctx.addr, per_channel.clone()).await?);
        ours.push(publish::multi_sink(&ctx.pubnub, &channels, n).await?);
    }
    table.push(Row::throughput(
        format!("publish over 64 channels ({n} msgs), msg/s"),
        "64 concurrent raw hyper loops",
        n,
        &ours,
        &base,
        Some(0.8),
    ));
    Ok(())
}

/// Part 3: publish → receive latency.
async fn latency(ctx: &Ctx, table: &mut Table) -> Result<(), BoxError> {
    let k = scaled(500.0);
    let (mut ours, mut base) = (Vec::new(), Vec::new());
    for rep in 0..ctx.reps {
        let channel = format!("latency-{rep}");
        let raw_channel = format!("{channel}-raw");
        base.extend(subscribe::latency_raw(ctx.addr, &ctx.pubnub, &raw_channel, k).await?);
        let client = memory::client(&ctx.origin)?;
        ours.extend(subscribe::latency_ours(&client, &channel, k).await?);
    }
    table.push_latency(&ours, &base);
    Ok(())
}

/// Part 4: subscribe delivery throughput.
async fn delivery(ctx: &Ctx, table: &mut Table, n: usize) -> Result<(), BoxError> {
    let tt0 = subscribe::preload(ctx.addr, &ctx.pubnub, "flood", n).await?;
    let (mut ours, mut base) = (Vec::new(), Vec::new());
    for _ in 0..ctx.reps {
        base.push(subscribe::delivery_raw(ctx.addr, "flood", tt0, n).await?);
        let client = memory::client(&ctx.origin)?;
        ours.push(subscribe::delivery_ours(&client, "flood", tt0, n).await?);
    }
    table.push(Row::throughput(
        format!("subscribe delivery ({n} msgs, 100/response), msg/s"),
        "raw long-poll loop → serde_json::Value",
        n,
        &ours,
        &base,
        Some(0.9),
    ));
    Ok(())
}

/// Part 5: memory.
async fn memory(ctx: &Ctx, table: &mut Table) -> Result<(), BoxError> {
    let clients = scaled(500.0);
    let subs = scaled(1000.0);
    let (per_conn, conns) = memory::per_raw_connection(ctx.addr, clients).await?;
    let (per_client, idle) = memory::per_idle_client(&ctx.origin, clients).await?;
    let (per_sub, handles) = memory::per_subscription(&ctx.origin, subs).await?;
    drop((conns, idle, handles));
    table.push(Row::memory(
        format!("resident bytes per idle client ({clients}, each with 1 open connection)"),
        per_client,
        Some(("a raw hyper connection after 1 request", per_conn)),
    ));
    table.push(Row::memory(
        format!("resident bytes per extra Subscription ({subs} on one client)"),
        per_sub,
        None,
    ));
    Ok(())
}
