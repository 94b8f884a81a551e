//! The server process: either the dev server or the bare baseline, driven
//! over stdin/stdout by the parent (`count` → number of requests received).

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::net::TcpListener;
use tokio::sync::broadcast;

/// Runs the server named `kind` (`devserver` or `bare`) until stdin closes.
pub(crate) async fn run(kind: &str) -> Result<(), Box<dyn std::error::Error>> {
    super::raise_nofile_limit();
    let counter: Box<dyn Fn() -> usize> = match kind {
        "devserver" => {
            let server = pubnub_devserver::DevServer::builder()
                .long_poll_hold(Duration::from_secs(600))
                .start()
                .await?;
            println!("addr {}", server.addr());
            let server = Arc::new(server);
            Box::new(move || server.requests().len())
        }
        "bare" => {
            let bare = Bare::start().await?;
            Box::new(move || bare.count.load(Ordering::SeqCst))
        }
        other => return Err(format!("unknown child kind {other:?}").into()),
    };
    let mut lines = BufReader::new(tokio::io::stdin()).lines();
    while let Some(line) = lines.next_line().await? {
        if line.trim() == "count" {
            println!("count {}", counter());
        }
    }
    Ok(())
}

/// The baseline: a bare hyper server that parks every poll on a tokio
/// broadcast channel and answers all of them with one pre-rendered envelope
/// per publish. No routing, validation, cursors, queues or logging.
struct Bare {
    tx: broadcast::Sender<Bytes>,
    count: AtomicUsize,
    tt: AtomicU64,
}

impl Bare {
    async fn start() -> std::io::Result<Arc<Bare>> {
        let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
        println!("addr {}", listener.local_addr()?);
        let bare = Arc::new(Bare {
            tx: broadcast::channel(16).0,
            count: AtomicUsize::new(0),
            tt: AtomicU64::new(17_000_000_000_000_000),
        });
        let shared = Arc::clone(&bare);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let _ = stream.set_nodelay(true);
                let bare = Arc::clone(&shared);
                tokio::spawn(async move {
                    let service = service_fn(move |req| {
                        let bare = Arc::clone(&bare);
                        async move { Ok::<_, Infallible>(bare.handle(req).await) }
                    });
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Ok(bare)
    }

    async fn handle(&self, req: Request<hyper::body::Incoming>) -> Response<Full<Bytes>> {
        let path = req.uri().path();
        let query = req.uri().query().unwrap_or("");
        if path.starts_with("/publish/") {
            let tt = self.tt.fetch_add(1, Ordering::SeqCst) + 1;
            let raw = path.rsplit('/').next().unwrap_or("null");
            let text = percent_encoding::percent_decode_str(raw).decode_utf8_lossy();
            let d: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
            let body = serde_json::json!({
                "t": {"t": tt.to_string(), "r": 1},
                "m": [{"a": "1", "f": 0, "i": "pub", "p": {"t": tt.to_string(), "r": 1},
                       "k": "demo", "c": "fan", "d": d}],
            });
            let _ = self.tx.send(Bytes::from(body.to_string()));
            self.count.fetch_add(1, Ordering::SeqCst);
            return Response::new(Full::new(Bytes::from(format!("[1,\"Sent\",\"{tt}\"]"))));
        }
        if query.contains("tt=0") || !query.contains("tt=") {
            let tt = self.tt.load(Ordering::SeqCst);
            self.count.fetch_add(1, Ordering::SeqCst);
            let body = format!("{{\"t\":{{\"t\":\"{tt}\",\"r\":1}},\"m\":[]}}");
            return Response::new(Full::new(Bytes::from(body)));
        }
        let mut rx = self.tx.subscribe();
        self.count.fetch_add(1, Ordering::SeqCst);
        match rx.recv().await {
            Ok(body) => Response::new(Full::new(body)),
            Err(_) => Response::new(Full::new(Bytes::from_static(b"{}"))),
        }
    }
}
