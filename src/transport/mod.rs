//! The HTTP transport: one keep-alive connection pool per
//! [`PubNub`](crate::PubNub), shared by every call.
//!
//! - `client`: hyper-util's pooled `legacy::Client` (HTTP/1.1, idle
//!   timeout, stale-connection retry).
//! - `connector`: TCP with nodelay and the connect timeout, optionally
//!   through an HTTP proxy's `CONNECT` tunnel
//!   ([`PubNubBuilder::proxy`](crate::PubNubBuilder::proxy)), then TLS
//!   (hyper-tls / native-tls by default, hyper-rustls with the `rustls`
//!   feature) trusting the platform's roots and
//!   [`add_root_certificate`](crate::PubNubBuilder::add_root_certificate)'s.
//! - `body`: every response body is read whole, under
//!   [`max_response_bytes`](crate::PubNubBuilder::max_response_bytes).
//! - `status`: HTTP statuses and error bodies to typed errors.
//! - `query`: the parameters every request carries, signing and redaction.
//!
//! Each request's timeout covers the whole exchange, from sending to the
//! last byte of the body (`tokio::time::timeout`).
//!
//! Crate-internal API used by the REST calls, the subscribe engine and the
//! publish sink: build a [`Request`] (encoded path, raw query values), call
//! [`Transport::send`], then [`check_status`] on the [`Response`].

mod body;
mod client;
mod connector;
mod query;
mod status;

use std::borrow::Cow;
use std::time::Duration;

use bytes::Bytes;
use http::header::{CONTENT_TYPE, HOST, USER_AGENT};
use http::HeaderValue;
use http_body_util::Full;

use crate::config::Config;
use crate::error::{ConfigError, RequestError, RequestErrorKind};
use client::HttpClient;
use query::CommonQuery;

pub(crate) use status::check_status;

/// One HTTP request, before the common parameters are added.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    /// GET, POST, …
    pub method: http::Method,
    /// The path, already percent-encoded (e.g. built with `protocol::url`).
    pub path: String,
    /// Endpoint parameters with raw values; the transport encodes each value once
    /// and adds `uuid`, `pnsdk`, `requestid`, `auth` (and `timestamp`/`signature`).
    pub query: Vec<(Cow<'static, str>, String)>,
    /// A JSON body (sent with `Content-Type: application/json`).
    pub body: Option<Bytes>,
    /// Time allowed from sending to the full response body.
    pub timeout: Duration,
}

impl Request {
    /// A GET of `path` with no parameters.
    pub(crate) fn get(path: String, timeout: Duration) -> Self {
        Request {
            method: http::Method::GET,
            path,
            query: Vec::new(),
            body: None,
            timeout,
        }
    }

    /// Adds an endpoint parameter (raw value).
    pub(crate) fn param(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.query.push((Cow::Borrowed(key), value.into()));
        self
    }
}

/// A complete HTTP response.
#[derive(Debug, Clone)]
pub(crate) struct Response {
    /// HTTP status.
    pub status: http::StatusCode,
    /// Response headers.
    pub headers: http::HeaderMap,
    /// The full body.
    pub body: Bytes,
}

/// The pooled HTTP client plus the parameters every request carries.
pub(crate) struct Transport {
    client: HttpClient,
    host: HeaderValue,
    base: String,
    common: CommonQuery,
    user_agent: HeaderValue,
    /// The limit on one response body.
    max_body: usize,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

impl Transport {
    /// A transport for `config` (no I/O; connections are made on first use).
    pub(crate) fn new(config: &Config) -> Result<Self, ConfigError> {
        let connector = connector::connector(
            config.proxy.as_ref(),
            config.secure,
            &config.root_certificates,
            config.connect_timeout,
        )?;
        let client = HttpClient::new(connector);
        let host =
            HeaderValue::from_str(&config.origin).map_err(|_| ConfigError::InvalidOption {
                option: "origin",
                reason: "not a valid header value",
            })?;
        let scheme = if config.secure { "https" } else { "http" };
        let user_agent =
            HeaderValue::from_str(&config.pnsdk()).map_err(|_| ConfigError::InvalidOption {
                option: "pnsdk_suffix",
                reason: "not a valid header value",
            })?;
        Ok(Transport {
            client,
            host,
            base: format!("{scheme}://{}", config.origin),
            common: CommonQuery::new(config),
            user_agent,
            max_body: config.max_response_bytes,
        })
    }

    /// The full URI of `req` with its finished `query` (see [`Transport::query`]).
    pub(crate) fn uri(&self, req: &Request, query: &str) -> String {
        format!("{}{}?{}", self.base, req.path, query)
    }

    /// The query string `req` is sent with: common parameters, the request's
    /// own, and the signature when signing.
    pub(crate) fn query(&self, req: &Request) -> String {
        self.common.build(req)
    }

    /// The length of [`query`](Self::query)`(req)`, without building it.
    pub(crate) fn query_len(&self, req: &Request) -> usize {
        self.common.len(req)
    }

    /// Sends `token` as `auth` on every request from now on (`None`: no `auth`).
    pub(crate) fn set_auth(&self, token: Option<std::sync::Arc<str>>) {
        self.common.set_auth(token);
    }

    /// Sends `req` and reads the whole body within `req.timeout`.
    ///
    /// Cancel-safe: dropping the future aborts the request (its connection is
    /// closed, never put back in the pool). A pooled connection that fails
    /// before the request was written is retried on another connection (see
    /// [`client`]); other connection failures are `Network` errors. A body
    /// over the limit is `ResponseTooLarge`. Does not look at the status;
    /// see [`check_status`].
    pub(crate) async fn send(&self, req: Request) -> Result<Response, RequestError> {
        let query = self.query(&req);
        // Absolute form for the pool (it keys connections by scheme and
        // authority); hyper writes origin-form on the wire.
        let uri = self.uri(&req, &query);
        let mut builder = http::Request::builder()
            .method(req.method.clone())
            .uri(uri)
            .header(HOST, self.host.clone())
            .header(USER_AGENT, self.user_agent.clone());
        let body = match req.body {
            Some(body) => {
                builder =
                    builder.header(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                Full::new(body)
            }
            None => Full::new(Bytes::new()),
        };
        let request = builder.body(body).map_err(|e| {
            RequestError::with_source(
                RequestErrorKind::InvalidArgument {
                    reason: "the request URI is not valid".to_owned(),
                },
                e,
            )
        })?;
        tracing::debug!(
            method = %req.method,
            path = %self.common.redact_path(&req.path),
            query = %self.common.redact_query(&query),
            "pubnub request"
        );
        let exchange = async {
            let (parts, body) = self.client.exchange(request, self.max_body).await?;
            Ok::<_, RequestError>(Response {
                status: parts.status,
                headers: parts.headers,
                body,
            })
        };
        let result = match tokio::time::timeout(req.timeout, exchange).await {
            Ok(result) => result,
            Err(_elapsed) => Err(RequestErrorKind::Timeout { after: req.timeout }.into()),
        };
        match &result {
            Ok(resp) => tracing::debug!(
                status = resp.status.as_u16(),
                bytes = resp.body.len(),
                "pubnub response"
            ),
            Err(err) => tracing::debug!(error = %err, "pubnub request failed"),
        }
        result
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod pool_tests;
