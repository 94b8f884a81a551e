//! The connection pool against a small keep-alive HTTP/1.1 server on loopback.
//!
//! What the pool does is seen from the server's side: how many connections
//! it accepted, and when the client closed one.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

use super::client::HttpClient;
use super::connector::connector;

const OK: &[u8] = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok";
const SAFETY: Duration = Duration::from_secs(10);
const LIMIT: usize = crate::config::DEFAULT_MAX_RESPONSE_BYTES;

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// Answer every request, keep the connection open.
    KeepAlive,
    /// Answer one request, then close the connection.
    CloseAfterOne,
    /// Read the request, never answer.
    Hold,
}

#[derive(Debug, PartialEq)]
enum Event {
    /// A request head arrived.
    Request,
    /// The client closed the connection (or the server did, in `CloseAfterOne`).
    Closed,
}

struct Server {
    origin: String,
    accepts: Arc<AtomicUsize>,
    events: mpsc::UnboundedReceiver<Event>,
}

impl Server {
    async fn start(mode: Mode) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let origin = listener.local_addr().unwrap().to_string();
        let accepts = Arc::new(AtomicUsize::new(0));
        let (tx, events) = mpsc::unbounded_channel();
        let counter = accepts.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                counter.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(serve(socket, mode, tx.clone()));
            }
        });
        Server {
            origin,
            accepts,
            events,
        }
    }

    fn accepts(&self) -> usize {
        self.accepts.load(Ordering::SeqCst)
    }

    async fn next_event(&mut self) -> Event {
        tokio::time::timeout(SAFETY, self.events.recv())
            .await
            .expect("no server event in time")
            .expect("server gone")
    }
}

async fn serve(mut socket: TcpStream, mode: Mode, events: mpsc::UnboundedSender<Event>) {
    let mut buf = vec![0u8; 8192];
    let mut seen = Vec::new();
    loop {
        let n = socket.read(&mut buf).await.unwrap_or(0);
        if n == 0 {
            let _ = events.send(Event::Closed);
            return;
        }
        seen.extend_from_slice(&buf[..n]);
        while let Some(end) = seen.windows(4).position(|w| w == b"\r\n\r\n") {
            seen.drain(..end + 4);
            let _ = events.send(Event::Request);
            match mode {
                Mode::Hold => {}
                Mode::KeepAlive => socket.write_all(OK).await.unwrap(),
                Mode::CloseAfterOne => {
                    socket.write_all(OK).await.unwrap();
                    drop(socket);
                    let _ = events.send(Event::Closed);
                    return;
                }
            }
        }
    }
}

fn pool(_origin: &str) -> HttpClient {
    HttpClient::new(connector(None, false, &[], SAFETY).unwrap())
}

fn get(origin: &str) -> http::Request<Full<Bytes>> {
    http::Request::get(format!("http://{origin}/time/0"))
        .header(http::header::HOST, origin)
        .body(Full::new(Bytes::new()))
        .unwrap()
}

#[tokio::test]
async fn sequential_requests_reuse_one_connection() {
    let server = Server::start(Mode::KeepAlive).await;
    let pool = pool(&server.origin);
    for _ in 0..3 {
        let (parts, body) = pool.exchange(get(&server.origin), LIMIT).await.unwrap();
        assert_eq!(parts.status, http::StatusCode::OK);
        assert_eq!(&body[..], b"ok");
    }
    assert_eq!(server.accepts(), 1);
}

#[tokio::test]
async fn concurrent_requests_each_get_a_connection() {
    let server = Server::start(Mode::KeepAlive).await;
    let pool = pool(&server.origin);
    let results =
        futures::future::join_all((0..4).map(|_| pool.exchange(get(&server.origin), LIMIT))).await;
    assert!(results.iter().all(Result::is_ok));
    assert_eq!(server.accepts(), 4);
    // All four went back to the pool: four more concurrent requests open nothing new.
    let again =
        futures::future::join_all((0..4).map(|_| pool.exchange(get(&server.origin), LIMIT))).await;
    assert!(again.iter().all(Result::is_ok));
    assert_eq!(server.accepts(), 4);
}

#[tokio::test]
async fn a_cancelled_request_drops_its_connection() {
    let mut server = Server::start(Mode::Hold).await;
    let pool = pool(&server.origin);
    {
        let request = pool.exchange(get(&server.origin), LIMIT);
        tokio::pin!(request);
        tokio::select! {
            _ = &mut request => panic!("the server never answers"),
            event = server.next_event() => assert_eq!(event, Event::Request),
        }
    } // the request future is dropped here, mid-response
    assert_eq!(server.next_event().await, Event::Closed);
}

#[tokio::test]
async fn a_connection_closed_by_the_server_is_replaced() {
    let mut server = Server::start(Mode::CloseAfterOne).await;
    let pool = pool(&server.origin);
    pool.exchange(get(&server.origin), LIMIT).await.unwrap();
    assert_eq!(server.next_event().await, Event::Request);
    assert_eq!(server.next_event().await, Event::Closed);
    // The pooled connection is stale: discarded at checkout, or (if it fails
    // before the request is written) the request is retried on a fresh one.
    let (parts, _) = pool.exchange(get(&server.origin), LIMIT).await.unwrap();
    assert_eq!(parts.status, http::StatusCode::OK);
    assert_eq!(server.accepts(), 2);
}

#[tokio::test]
async fn a_server_dropping_mid_response_is_a_network_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = listener.local_addr().unwrap().to_string();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buf = vec![0u8; 8192];
        let _ = socket.read(&mut buf).await;
        // promises 100 bytes, sends 2, closes
        let _ = socket
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nok")
            .await;
    });
    let pool = pool(&origin);
    let err = pool.exchange(get(&origin), LIMIT).await.unwrap_err();
    assert_eq!(err.kind(), &crate::error::RequestErrorKind::Network);
}

#[tokio::test]
async fn idle_connections_close_after_the_idle_timeout() {
    let mut server = Server::start(Mode::KeepAlive).await;
    let idle = Duration::from_millis(300);
    let pool = HttpClient::with_idle_timeout(connector(None, false, &[], SAFETY).unwrap(), idle);
    let started = tokio::time::Instant::now();
    pool.exchange(get(&server.origin), LIMIT).await.unwrap();
    assert_eq!(server.next_event().await, Event::Request);
    // The pool's reaper closes the idle connection (no request in between).
    assert_eq!(server.next_event().await, Event::Closed);
    assert!(started.elapsed() >= idle, "not before the idle timeout");
    pool.exchange(get(&server.origin), LIMIT).await.unwrap();
    assert_eq!(
        server.accepts(),
        2,
        "a new connection after the idle one closed"
    );
}
