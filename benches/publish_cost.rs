//! Driver for counting the client's instructions per publish:
//! `cargo bench --bench publish_cost --no-run`, then run the binary under
//! `valgrind --tool=callgrind --separate-threads=yes` with `N` = 500 and
//! 1 500 (first argument, or `PUBLISH_COST_N`).
//!
//! The dev server runs on a current-thread runtime of its own OS thread; the
//! client makes one `time()` call, then `N` plain `publish().await` calls on
//! a current-thread runtime of the main thread. So callgrind's file for
//! thread 1 holds the client's instructions alone, thread 2 the server's;
//! the difference between the two `N`, divided by 1 000, is the cost of one
//! publish without start-up (docs/benchmarks.md, "Session 5").
//!
//! It measures no time: under `cargo test --benches` it makes 10 publishes
//! as a smoke test.

use pubnub_devserver::DevServer;
use pubnub_stream::PubNub;
use serde_json::json;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn main() -> Result<(), BoxError> {
    let n: usize = std::env::args()
        .nth(1)
        .filter(|a| !a.starts_with('-'))
        .or_else(|| std::env::var("PUBLISH_COST_N").ok())
        .map(|v| v.parse())
        .transpose()?
        .unwrap_or(10);
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let (stop, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = std::thread::spawn(move || -> Result<(), String> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        runtime.block_on(async move {
            let server = DevServer::builder()
                .start()
                .await
                .map_err(|e| e.to_string());
            let started = server.as_ref().map(DevServer::origin).map_err(Clone::clone);
            let _ = ready_tx.send(started);
            if let Ok(server) = server {
                let _ = stop_rx.await;
                server.shutdown().await;
            }
            Ok(())
        })
    });
    let origin = ready_rx.recv()??;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let result = runtime.block_on(async move {
        let pubnub = PubNub::builder()
            .subscribe_key("demo")
            .publish_key("demo")
            .user_id("bench")
            .origin(origin.as_str())
            .secure(false)
            .build()?;
        pubnub.time().await?;
        for i in 0..n {
            pubnub
                .publish()
                .channel("ordered")
                .message(&json!({ "n": i, "text": "hello world" }))
                .await?;
        }
        Ok::<_, BoxError>(())
    });
    let _ = stop.send(());
    server
        .join()
        .map_err(|_| "the dev server thread panicked")??;
    result?;
    println!("{n} publishes");
    Ok(())
}
