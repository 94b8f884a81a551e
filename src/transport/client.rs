//! The pooled hyper client: plain HTTP or HTTPS (native TLS).

use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper_tls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::{Client, ResponseFuture};
use hyper_util::rt::{TokioExecutor, TokioTimer};

use crate::ConfigError;

type Body = Full<Bytes>;

/// How long an idle pooled connection is kept.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(60);

/// One keep-alive pool, shared by every request of a client.
pub(super) enum HttpClient {
    Plain(Client<HttpConnector, Body>),
    Tls(Client<HttpsConnector<HttpConnector>, Body>),
}

impl HttpClient {
    pub(super) fn new(secure: bool, connect_timeout: Duration) -> Result<Self, ConfigError> {
        let mut http = HttpConnector::new();
        http.set_connect_timeout(Some(connect_timeout));
        http.set_nodelay(true);
        let mut builder = Client::builder(TokioExecutor::new());
        builder
            .pool_idle_timeout(POOL_IDLE_TIMEOUT)
            .pool_timer(TokioTimer::new());
        if !secure {
            return Ok(HttpClient::Plain(builder.build(http)));
        }
        http.enforce_http(false);
        let tls = hyper_tls::native_tls::TlsConnector::new()
            .map_err(|e| ConfigError::Tls(Box::new(e)))?;
        let connector = HttpsConnector::from((http, tls.into()));
        Ok(HttpClient::Tls(builder.build(connector)))
    }

    pub(super) fn request(&self, request: http::Request<Body>) -> ResponseFuture {
        match self {
            HttpClient::Plain(client) => client.request(request),
            HttpClient::Tls(client) => client.request(request),
        }
    }
}
