//! Our own per-origin HTTP/1 connection pool on `hyper::client::conn::http1`.
//!
//! Each connection is one TCP (or TLS) stream with one spawned driver task;
//! a request takes a connection out of the pool (most recently used first),
//! runs on it alone, and puts it back only after the whole body was read.
//! Dropping a request midway drops its connection (hyper's driver closes a
//! connection whose response nobody waits for), so a half-used connection
//! is never reused. New connections are made in a task of their own, so one
//! whose request was dropped while connecting still joins the pool.
//!
//! Stale connections: a pooled connection whose driver has closed (server
//! restart, idle close, `Connection: close`) is discarded at checkout. If a
//! pooled connection fails *before any byte of the request was written*
//! (hyper hands the request back), the request is retried once on a fresh
//! connection. Any other failure is a [`RequestErrorKind::Network`] error
//! and the caller decides whether to retry.
//!
//! Idle connections are closed after [`POOL_IDLE_TIMEOUT`] by a reaper task
//! that runs only while the pool holds idle connections; at most
//! [`MAX_IDLE`] are kept.

use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio::time::Instant;

use super::body::read_body;
use crate::{ConfigError, RequestError};

type Body = Full<Bytes>;

/// How long an idle pooled connection is kept.
pub(super) const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(60);

/// Idle connections kept per origin.
pub(super) const MAX_IDLE: usize = 64;

/// The head and whole body of a response.
pub(super) type Exchanged = (http::response::Parts, Bytes);

/// One connection: the request sender. Dropping it lets the driver task
/// close the connection (at once if a request on it was abandoned).
struct Conn {
    tx: SendRequest<Body>,
}

struct Idle {
    conn: Conn,
    since: Instant,
}

#[derive(Default)]
struct State {
    /// Oldest first; checkout takes from the back.
    idle: Vec<Idle>,
    reaper: bool,
}

struct Shared {
    host: String,
    port: u16,
    tls: Option<tokio_native_tls::TlsConnector>,
    connect_timeout: Duration,
    idle_timeout: Duration,
    state: Mutex<State>,
}

/// The keep-alive pool of one origin, shared by every request of a client.
#[derive(Clone)]
pub(super) struct HttpClient {
    shared: Arc<Shared>,
}

impl HttpClient {
    /// A pool for `origin` (`host` or `host:port`), over TLS when `tls` is
    /// set; no I/O until first use.
    pub(super) fn new(
        origin: &str,
        tls: Option<tokio_native_tls::TlsConnector>,
        connect_timeout: Duration,
    ) -> Result<Self, ConfigError> {
        Self::with_idle_timeout(origin, tls, connect_timeout, POOL_IDLE_TIMEOUT)
    }

    pub(super) fn with_idle_timeout(
        origin: &str,
        tls: Option<tokio_native_tls::TlsConnector>,
        connect_timeout: Duration,
        idle_timeout: Duration,
    ) -> Result<Self, ConfigError> {
        let authority: http::uri::Authority =
            origin.parse().map_err(|_| ConfigError::InvalidOption {
                option: "origin",
                reason: "not a valid host[:port]",
            })?;
        let port = authority
            .port_u16()
            .unwrap_or(if tls.is_some() { 443 } else { 80 });
        let host = authority
            .host()
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        Ok(HttpClient {
            shared: Arc::new(Shared {
                host,
                port,
                tls,
                connect_timeout,
                idle_timeout,
                state: Mutex::new(State::default()),
            }),
        })
    }

    /// Sends `request` (origin-form URI, `Host` set) and reads the whole
    /// body, at most `max_body` bytes (see [`read_body`]).
    ///
    /// Cancel-safe: the connection goes back to the pool only after the body
    /// was read in full.
    pub(super) async fn exchange(
        &self,
        mut request: http::Request<Body>,
        max_body: usize,
    ) -> Result<Exchanged, RequestError> {
        let mut fresh: Option<Conn> = None;
        let mut fresh_retry_left = true;
        loop {
            let (mut conn, reused) = match fresh.take() {
                Some(conn) => (conn, false),
                None => self.checkout().await?,
            };
            match conn.tx.try_send_request(request).await {
                Ok(response) => {
                    let (parts, body) = response.into_parts();
                    // On error `conn` and the unread body are dropped: the
                    // connection closes instead of going back to the pool.
                    let body = read_body(&parts, body, max_body).await?;
                    self.checkin(conn);
                    return Ok((parts, body));
                }
                Err(mut err) => match err.take_message() {
                    Some(unsent) if reused && fresh_retry_left => {
                        tracing::debug!(error = %err.error(), "stale pooled connection, retrying");
                        fresh_retry_left = false;
                        request = unsent;
                        fresh = Some(self.connect_ready().await?);
                    }
                    _ => return Err(RequestError::network(err.into_error())),
                },
            }
        }
    }

    /// A ready connection: the most recent idle one still open, or a new one.
    async fn checkout(&self) -> Result<(Conn, bool), RequestError> {
        while let Some(mut conn) = self.pop_idle() {
            if conn.tx.is_closed() {
                continue;
            }
            if conn.tx.ready().await.is_ok() {
                return Ok((conn, true));
            }
        }
        Ok((self.connect_ready().await?, false))
    }

    /// A new ready connection, made in a task of its own: if the request
    /// waiting for it is dropped meanwhile, the connection still goes to
    /// the pool for the next request instead of being thrown away.
    async fn connect_ready(&self) -> Result<Conn, RequestError> {
        let (tx, rx) = oneshot::channel();
        let pool = self.clone();
        tokio::spawn(async move {
            let made = pool.connect_now().await;
            if let Err(Ok(conn)) = tx.send(made) {
                pool.push_idle(conn);
            }
        });
        rx.await.map_err(RequestError::network)?
    }

    async fn connect_now(&self) -> Result<Conn, RequestError> {
        let mut conn = self.connect().await?;
        conn.tx.ready().await.map_err(RequestError::network)?;
        Ok(conn)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.shared
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn pop_idle(&self) -> Option<Conn> {
        let idle_timeout = self.shared.idle_timeout;
        let mut state = self.lock();
        while let Some(idle) = state.idle.pop() {
            if idle.since.elapsed() < idle_timeout {
                return Some(idle.conn);
            }
        }
        None
    }

    fn checkin(&self, conn: Conn) {
        if conn.tx.is_closed() {
            return;
        }
        self.push_idle(conn);
    }

    fn push_idle(&self, conn: Conn) {
        let mut state = self.lock();
        if state.idle.len() >= MAX_IDLE {
            return;
        }
        state.idle.push(Idle {
            conn,
            since: Instant::now(),
        });
        if !state.reaper {
            state.reaper = true;
            let first = Instant::now() + self.shared.idle_timeout;
            tokio::spawn(reap(Arc::downgrade(&self.shared), first));
        }
    }

    /// Idle connections now in the pool.
    #[cfg(test)]
    pub(super) fn idle_count(&self) -> usize {
        self.lock().idle.len()
    }

    /// A new connection with its driver spawned, within the connect timeout.
    async fn connect(&self) -> Result<Conn, RequestError> {
        let shared = &self.shared;
        let connecting = async {
            let stream = TcpStream::connect((shared.host.as_str(), shared.port))
                .await
                .map_err(RequestError::network)?;
            stream.set_nodelay(true).map_err(RequestError::network)?;
            match &shared.tls {
                None => handshake(stream).await,
                Some(tls) => {
                    let stream = tls
                        .connect(&shared.host, stream)
                        .await
                        .map_err(RequestError::network)?;
                    handshake(stream).await
                }
            }
        };
        match tokio::time::timeout(shared.connect_timeout, connecting).await {
            Ok(conn) => conn,
            Err(elapsed) => Err(RequestError::network(ConnectTimeout(
                shared.connect_timeout,
                elapsed,
            ))),
        }
    }
}

/// A TLS connector trusting the platform's roots and `extra_roots` (PEM).
pub(super) fn tls_connector(
    extra_roots: &[Vec<u8>],
) -> Result<tokio_native_tls::TlsConnector, ConfigError> {
    use tokio_native_tls::native_tls::{Certificate, TlsConnector};
    let tls_error = |e: tokio_native_tls::native_tls::Error| ConfigError::Tls(Box::new(e));
    let mut builder = TlsConnector::builder();
    for pem in extra_roots {
        builder.add_root_certificate(Certificate::from_pem(pem).map_err(tls_error)?);
    }
    Ok(builder.build().map_err(tls_error)?.into())
}

/// The connect timeout passed (a network error: the caller may retry).
#[derive(Debug, thiserror::Error)]
#[error("connect timed out after {0:?}")]
struct ConnectTimeout(Duration, #[source] tokio::time::error::Elapsed);

async fn handshake<S>(stream: S) -> Result<Conn, RequestError>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Send + Unpin + 'static,
{
    let (tx, connection) = http1::handshake(TokioIo::new(stream))
        .await
        .map_err(RequestError::network)?;
    tokio::spawn(async move {
        if let Err(err) = connection.await {
            tracing::trace!(error = %err, "pubnub connection closed");
        }
    });
    Ok(Conn { tx })
}

/// Closes idle connections past the idle timeout; runs while any are idle.
///
/// Sleeps first, until `first` (when the connection whose check-in spawned
/// it would expire), and only then looks. A reaper that looked at once would
/// usually find the pool empty under load (its one connection checked out
/// again by the next request), exit, and be spawned anew at the next
/// check-in: a task spawn and a wake-up of another worker thread per
/// request, which cut sequential request throughput on two workers to a
/// third. Now it wakes at most once per idle timeout while requests flow.
async fn reap(shared: Weak<Shared>, first: Instant) {
    let mut next = first;
    loop {
        tokio::time::sleep_until(next).await;
        let Some(shared) = shared.upgrade() else {
            return;
        };
        let mut state = shared
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let timeout = shared.idle_timeout;
        state.idle.retain(|idle| idle.since.elapsed() < timeout);
        match state.idle.first() {
            Some(oldest) => next = oldest.since + timeout,
            None => {
                state.reaper = false;
                return;
            }
        }
    }
}
