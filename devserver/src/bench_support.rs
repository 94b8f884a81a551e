//! Crate internals exposed for the fuzz targets in `fuzz/` only: hidden,
//! no stability promise, compiled only with the `bench-internals` feature.

use std::time::Duration;

use bytes::Bytes;
use http::Method;

use crate::config::Config;
use crate::routes::{route, RouteRequest};
use crate::state::AppState;

/// Routes one raw request (method, still percent-encoded path and query,
/// body, `Content-Encoding`) through a fresh server state, as a connection
/// would after the URI size check: the status and the body of the reply.
/// Long-polls are held 1 ms.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use pubnub_devserver::__bench::route_raw;
/// let (status, body) = route_raw("GET", "/time/0", "", b"", None).await;
/// assert_eq!(status, 200);
/// assert!(body.starts_with('['));
/// let (status, _) = route_raw("GET", "/publish/%ZZ", "uuid=u", b"", None).await;
/// assert!((400..500).contains(&status));
/// # }
/// ```
pub async fn route_raw(
    method: &str,
    path: &str,
    query: &str,
    body: &[u8],
    content_encoding: Option<&str>,
) -> (u16, String) {
    let state = AppState::new(Config {
        long_poll_hold: Duration::from_millis(1),
        ..Config::default()
    });
    let request = RouteRequest {
        method: Method::from_bytes(method.as_bytes()).unwrap_or(Method::GET),
        path: path.to_owned(),
        query: query.to_owned(),
        body: Bytes::copy_from_slice(body),
        content_encoding: content_encoding.map(str::to_owned),
    };
    let reply = route(&state, request).await;
    (reply.status.as_u16(), reply.body)
}
