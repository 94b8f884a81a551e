//! The pooled HTTP/1 client: hyper-util's `legacy::Client` over the
//! [`Connector`](super::connector::Connector), one per [`PubNub`](crate::PubNub).
//!
//! The pool: at most [`MAX_IDLE`] idle keep-alive connections, each closed
//! after [`POOL_IDLE_TIMEOUT`] unused (hyper-util's idle reaper on the tokio
//! timer). A connection goes back to the pool only once its response body
//! was read in full: dropping a request midway, or a body over the limit,
//! closes its connection, so a half-used connection is never reused.
//!
//! Stale connections: a pooled connection the server closed (restart, idle
//! close, `Connection: close`) is retried once on another connection when
//! the request was not yet written to it (hyper-util's
//! `retry_canceled_requests`). Any other failure is a
//! [`RequestErrorKind::Network`](crate::RequestErrorKind::Network) error and
//! the caller decides whether to retry.

use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioTimer};

use super::body::read_body;
use super::connector::Connector;
use crate::error::RequestError;

type Body = Full<Bytes>;

/// How long an idle pooled connection is kept.
pub(super) const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(60);

/// Idle connections kept per origin.
pub(super) const MAX_IDLE: usize = 64;

/// The head and whole body of a response.
pub(super) type Exchanged = (http::response::Parts, Bytes);

/// The keep-alive pool of a client, shared by every request.
#[derive(Clone)]
pub(super) struct HttpClient {
    client: Client<Connector, Body>,
}

impl HttpClient {
    /// A pool over `connector` (no I/O until first use).
    pub(super) fn new(connector: Connector) -> Self {
        Self::with_idle_timeout(connector, POOL_IDLE_TIMEOUT)
    }

    pub(super) fn with_idle_timeout(connector: Connector, idle_timeout: Duration) -> Self {
        let client = Client::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .timer(TokioTimer::new())
            .pool_idle_timeout(idle_timeout)
            .pool_max_idle_per_host(MAX_IDLE)
            .retry_canceled_requests(true)
            .set_host(false)
            .build(connector);
        HttpClient { client }
    }

    /// Sends `request` (absolute URI, `Host` set) and reads the whole body,
    /// at most `max_body` bytes (see [`read_body`]).
    ///
    /// Cancel-safe: the connection goes back to the pool only after the body
    /// was read in full.
    pub(super) async fn exchange(
        &self,
        request: http::Request<Body>,
        max_body: usize,
    ) -> Result<Exchanged, RequestError> {
        let response = self
            .client
            .request(request)
            .await
            .map_err(RequestError::network)?;
        let (parts, body) = response.into_parts();
        // On error the unread body is dropped: the connection closes instead
        // of going back to the pool.
        let body = read_body(&parts, body, max_body).await?;
        Ok((parts, body))
    }
}
