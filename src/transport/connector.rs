//! How a connection to the origin is made: TCP (nodelay, connect timeout),
//! directly or through an HTTP proxy's `CONNECT` tunnel, then TLS for an
//! HTTPS origin (hyper-tls with the `native-tls` feature, the default;
//! hyper-rustls with the `rustls` feature).

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use http::Uri;
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::client::proxy::matcher::Intercept;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tower_service::Service;

use crate::config::proxy;
use crate::error::ConfigError;

type BoxError = Box<dyn StdError + Send + Sync>;

/// TLS over a [`Route`].
#[cfg(feature = "rustls")]
type TlsConnector = hyper_rustls::HttpsConnector<Route>;
#[cfg(feature = "rustls")]
type Stream = hyper_rustls::MaybeHttpsStream<TokioIo<Tcp>>;

/// TLS over a [`Route`].
#[cfg(all(feature = "native-tls", not(feature = "rustls")))]
type TlsConnector = hyper_tls::HttpsConnector<Route>;
#[cfg(all(feature = "native-tls", not(feature = "rustls")))]
type Stream = hyper_tls::MaybeHttpsStream<TokioIo<Tcp>>;

/// The connector of the pooled client: the [`Route`] alone for a plain
/// HTTP origin, wrapped in TLS for an HTTPS one.
///
/// A plain client builds no TLS context at all: a native-tls context loads
/// the platform's root store, which cost ~860 KB per idle client in the e2e
/// bench (891 716 vs 32 522 resident bytes per client) when every client
/// had one.
#[derive(Clone)]
pub(super) enum Connector {
    /// Plain HTTP.
    Plain(Route),
    /// HTTPS.
    Tls(TlsConnector),
}

impl Service<Uri> for Connector {
    type Response = Stream;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Stream, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        match self {
            Connector::Plain(route) => route.poll_ready(cx),
            Connector::Tls(tls) => tls.poll_ready(cx),
        }
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        match self {
            Connector::Plain(route) => {
                let connecting = route.call(dst);
                Box::pin(async move { connecting.await.map(Stream::Http) })
            }
            Connector::Tls(tls) => {
                let connecting = tls.call(dst);
                Box::pin(connecting)
            }
        }
    }
}

#[cfg(not(any(feature = "native-tls", feature = "rustls")))]
compile_error!(
    "pubnub-stream needs a TLS backend: enable the `native-tls` or the `rustls` feature"
);

/// The TCP part of a connection: straight to the origin, or a tunnel
/// through a proxy.
#[derive(Clone)]
pub(super) enum Route {
    /// TCP to the origin.
    Direct(HttpConnector),
    /// TCP to the proxy, then `CONNECT host:port` (boxed: it is the larger
    /// variant, and the connector is cloned per connection).
    Tunnel {
        tunnel: Box<Tunnel<HttpConnector>>,
        /// The proxy's address for errors (no credentials).
        proxy: Arc<str>,
        /// The TCP connect plus `CONNECT` exchange must finish within this.
        connect_timeout: Duration,
    },
}

impl Service<Uri> for Route {
    type Response = TokioIo<Tcp>;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        // Both connectors are always ready (they do their work in `call`).
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        match self {
            Route::Direct(tcp) => {
                let connecting = tcp.call(dst);
                Box::pin(async move { Ok(Tcp::from_io(connecting.await?)) })
            }
            Route::Tunnel {
                tunnel,
                proxy,
                connect_timeout,
            } => {
                // `Tunnel` asks for port 443 when the URI has none; a plain
                // HTTP origin without a port means 80.
                let dst = with_port(dst);
                let connecting = tunnel.call(dst);
                let proxy = proxy.clone();
                let limit = *connect_timeout;
                Box::pin(async move {
                    match tokio::time::timeout(limit, connecting).await {
                        Ok(Ok(io)) => Ok(Tcp::from_io(io)),
                        Ok(Err(err)) => Err(ProxyError::boxed(proxy, err.into())),
                        Err(elapsed) => Err(ProxyError::boxed(
                            proxy,
                            Box::new(ConnectTimeout(limit, elapsed)),
                        )),
                    }
                })
            }
        }
    }
}

/// A connected TCP stream (to the origin, or a tunnel through the proxy)
/// that tells the pool nothing about itself.
///
/// hyper-util's own `TcpStream` connection reports its addresses
/// (`HttpInfo`), which the pool then clones into the extensions of every
/// response: a map allocated and freed per request that nothing here reads
/// (callgrind: ~650 instructions a publish, 1.3% of its client-side cost).
#[derive(Debug)]
pub(super) struct Tcp(TcpStream);

impl Tcp {
    /// The stream inside hyper-util's `TokioIo` wrapper, wrapped again in one.
    fn from_io(io: TokioIo<TcpStream>) -> TokioIo<Tcp> {
        TokioIo::new(Tcp(io.into_inner()))
    }
}

impl Connection for Tcp {
    fn connected(&self) -> Connected {
        Connected::new()
    }
}

impl AsyncRead for Tcp {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl AsyncWrite for Tcp {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.0).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.0.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(cx)
    }
}

/// `dst` with its scheme's default port made explicit.
fn with_port(dst: Uri) -> Uri {
    if dst.port().is_some() {
        return dst;
    }
    let port = if dst.scheme_str() == Some("http") {
        80
    } else {
        443
    };
    let Some(host) = dst.host() else {
        return dst;
    };
    let authority = format!("{host}:{port}");
    let mut parts = dst.clone().into_parts();
    match authority.parse() {
        Ok(authority) => {
            parts.authority = Some(authority);
            Uri::from_parts(parts).unwrap_or(dst)
        }
        Err(_) => dst,
    }
}

/// A connection through the proxy failed; names the proxy (never its
/// credentials) and keeps the cause.
#[derive(Debug)]
pub(crate) struct ProxyError {
    proxy: Arc<str>,
    source: BoxError,
}

impl ProxyError {
    fn boxed(proxy: Arc<str>, source: BoxError) -> BoxError {
        Box::new(ProxyError { proxy, source })
    }
}

impl fmt::Display for ProxyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "through proxy {}", self.proxy)
    }
}

impl StdError for ProxyError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&*self.source)
    }
}

/// The proxy did not set up the tunnel in time.
#[derive(Debug, thiserror::Error)]
#[error("proxy tunnel not set up within {0:?}")]
struct ConnectTimeout(Duration, #[source] tokio::time::error::Elapsed);

/// The connector for `proxy` (or direct); when `secure`, with TLS trusting
/// the platform's roots plus `extra_roots` (PEM).
pub(super) fn connector(
    proxy: Option<&Intercept>,
    secure: bool,
    extra_roots: &[Vec<u8>],
    connect_timeout: Duration,
) -> Result<Connector, ConfigError> {
    let mut tcp = HttpConnector::new();
    tcp.set_nodelay(true);
    tcp.set_connect_timeout(Some(connect_timeout));
    tcp.enforce_http(false);
    let route = match proxy {
        None => Route::Direct(tcp),
        Some(intercept) => {
            let mut tunnel = Tunnel::new(intercept.uri().clone(), tcp);
            if let Some(auth) = intercept.basic_auth() {
                tunnel = tunnel.with_auth(auth.clone());
            }
            Route::Tunnel {
                tunnel: Box::new(tunnel),
                proxy: proxy::display(intercept).into(),
                connect_timeout,
            }
        }
    };
    if secure {
        Ok(Connector::Tls(tls(route, extra_roots)?))
    } else {
        Ok(Connector::Plain(route))
    }
}

#[cfg(all(feature = "native-tls", not(feature = "rustls")))]
fn tls(route: Route, extra_roots: &[Vec<u8>]) -> Result<TlsConnector, ConfigError> {
    use tokio_native_tls::native_tls::{Certificate, TlsConnector};
    let tls_error = |e: tokio_native_tls::native_tls::Error| ConfigError::Tls(Box::new(e));
    let mut builder = TlsConnector::builder();
    for pem in extra_roots {
        builder.add_root_certificate(Certificate::from_pem(pem).map_err(tls_error)?);
    }
    let tls = tokio_native_tls::TlsConnector::from(builder.build().map_err(tls_error)?);
    Ok(hyper_tls::HttpsConnector::from((route, tls)))
}

#[cfg(feature = "rustls")]
fn tls(route: Route, extra_roots: &[Vec<u8>]) -> Result<TlsConnector, ConfigError> {
    use hyper_rustls::HttpsConnectorBuilder;
    use rustls::RootCertStore;

    let mut roots = RootCertStore::empty();
    // The platform's roots; ones that do not parse are skipped (as
    // hyper-rustls does), an unreadable store is an error only if it
    // leaves no root at all.
    let native = rustls_native_certs::load_native_certs();
    roots.add_parsable_certificates(native.certs);
    for pem in extra_roots {
        let mut found = false;
        for cert in rustls_pemfile::certs(&mut pem.as_slice()) {
            let cert = cert.map_err(|e| ConfigError::Tls(Box::new(e)))?;
            roots.add(cert).map_err(|e| ConfigError::Tls(Box::new(e)))?;
            found = true;
        }
        if !found {
            return Err(ConfigError::Tls(
                "no PEM certificate in the given root certificate".into(),
            ));
        }
    }
    if roots.is_empty() {
        return Err(ConfigError::Tls("no trusted root certificate found".into()));
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| ConfigError::Tls(Box::new(e)))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(HttpsConnectorBuilder::new()
        .with_tls_config(config)
        .https_or_http()
        .enable_http1()
        .wrap_connector(route))
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper_util::client::legacy::connect::{Connection, HttpInfo};

    #[test]
    fn a_port_is_made_explicit_for_the_tunnel() {
        let plain = with_port("http://ps.pndsn.com/time/0".parse().unwrap());
        assert_eq!(plain.authority().unwrap().as_str(), "ps.pndsn.com:80");
        let tls = with_port("https://ps.pndsn.com/time/0".parse().unwrap());
        assert_eq!(tls.authority().unwrap().as_str(), "ps.pndsn.com:443");
        let given = with_port("http://127.0.0.1:8090/".parse().unwrap());
        assert_eq!(given.authority().unwrap().as_str(), "127.0.0.1:8090");
        let v6 = with_port("http://[::1]/".parse().unwrap());
        assert_eq!(v6.authority().unwrap().as_str(), "[::1]:80");
    }

    /// The pool copies a connection's extras into every response; ours has
    /// none (hyper-util's `TcpStream` reports its addresses, `HttpInfo`).
    #[tokio::test]
    async fn a_connection_hands_the_pool_no_extras() {
        let server = pubnub_devserver::DevServer::builder()
            .start()
            .await
            .unwrap();
        let mut connector = connector(None, false, &[], Duration::from_secs(5)).unwrap();
        let uri: Uri = format!("http://{}/", server.addr()).parse().unwrap();
        let stream = connector.call(uri).await.unwrap();
        let mut extensions = http::Extensions::new();
        stream.connected().get_extras(&mut extensions);
        assert!(
            extensions.get::<HttpInfo>().is_none(),
            "a response would carry the connection's addresses"
        );
        assert!(extensions.is_empty());
    }
}
