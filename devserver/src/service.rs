//! One connection: hyper http1 serving, faults, logging, and the router.

use std::convert::Infallible;
use std::sync::Arc;
use std::task::Poll;
use std::time::SystemTime;

use bytes::Bytes;
use futures::stream::{self, StreamExt};
use http::{header, HeaderValue, Request, Response, StatusCode};
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Full, Limited, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::sync::Notify;

use crate::conns::Handling;
use crate::faults::{Outcome, RouteClass};
use crate::log::RawRequest;
use crate::routes::{classify, route, uri_fits, Reply, RouteRequest};
use crate::server::Shared;

type Body = UnsyncBoxBody<Bytes, Infallible>;

/// Serve one accepted connection until it closes or its kill switch fires.
pub(crate) async fn serve_connection<S>(shared: Arc<Shared>, stream: S, id: u64, kill: Arc<Notify>)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let svc_shared = Arc::clone(&shared);
    let svc_kill = Arc::clone(&kill);
    let svc = service_fn(move |req| {
        let shared = Arc::clone(&svc_shared);
        let kill = Arc::clone(&svc_kill);
        async move { Ok::<_, Infallible>(handle(shared, id, kill, req).await) }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(shared.state.config.request_read_timeout)
        .keep_alive(true);
    let conn = builder.serve_connection(TokioIo::new(stream), svc);
    tokio::select! {
        r = conn => if let Err(e) = r { tracing::debug!(error = %e, id, "connection error") },
        _ = kill.notified() => tracing::debug!(id, "connection closed on purpose"),
    }
    shared.conns.unregister(id);
}

/// Clears the in-flight mark when a request finishes or is dropped.
struct InFlight<'a> {
    shared: &'a Shared,
    id: u64,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.shared.conns.set_handling(self.id, Handling::Idle);
    }
}

fn record(shared: &Shared, req: &Request<Incoming>, class: Option<RouteClass>) {
    let (path, query) = (req.uri().path(), req.uri().query().unwrap_or(""));
    tracing::debug!(
        method = %req.method(),
        path = %crate::access::redact_path(path),
        query = %crate::access::redact_query(query),
        "request"
    );
    shared.log.record(RawRequest {
        method: req.method().clone(),
        path: path.to_owned(),
        query: query.to_owned(),
        class,
        at: SystemTime::now(),
    });
}

async fn handle(
    shared: Arc<Shared>,
    id: u64,
    kill: Arc<Notify>,
    req: Request<Incoming>,
) -> Response<Body> {
    let (path, query) = (req.uri().path(), req.uri().query().unwrap_or(""));
    if !uri_fits(&shared.state, path, query) {
        // Rejected before it is logged: the log only keeps what passed validation.
        tracing::debug!(len = path.len() + query.len(), "request URI too long");
        return respond(Reply::uri_too_long());
    }
    let class = classify(path);
    shared.conns.set_handling(id, Handling::request(class));
    let _guard = InFlight {
        shared: &shared,
        id,
    };
    record(&shared, &req, class);
    let (delay, outcome) = shared.faults.take(class);
    if let Some(d) = delay {
        tokio::time::sleep(d).await;
    }
    let reply = match outcome {
        Outcome::Drop => {
            kill.notify_one();
            return std::future::pending().await;
        }
        Outcome::Fail {
            status,
            body,
            retry_after,
        } => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let mut resp = respond(Reply::js(status, body));
            if let Some(secs) = retry_after {
                resp.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(secs));
            }
            return resp;
        }
        Outcome::Normal | Outcome::DropMidResponse => run(&shared, req).await,
    };
    if outcome == Outcome::DropMidResponse {
        return partial(reply, kill);
    }
    respond(reply)
}

async fn run(shared: &Shared, req: Request<Incoming>) -> Reply {
    let (parts, body) = req.into_parts();
    let limit = shared
        .state
        .config
        .max_message_bytes
        .saturating_mul(2)
        .max(64 * 1024);
    let read_timeout = shared.state.config.request_read_timeout;
    let body = match tokio::time::timeout(read_timeout, Limited::new(body, limit).collect()).await {
        Ok(Ok(b)) => b.to_bytes(),
        Ok(Err(_)) => return Reply::body_too_large(),
        Err(_) => return Reply::request_timeout(),
    };
    let request = RouteRequest {
        method: parts.method,
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().unwrap_or("").to_owned(),
        body,
        content_encoding: parts
            .headers
            .get(header::CONTENT_ENCODING)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
    };
    route(&shared.state, request).await
}

fn builder(reply: &Reply) -> http::response::Builder {
    let builder = Response::builder();
    // The rest of a timed-out body is not worth waiting for: close after the reply.
    let builder = if reply.status == StatusCode::REQUEST_TIMEOUT {
        builder.header(header::CONNECTION, "close")
    } else {
        builder
    };
    builder
        .status(reply.status)
        .header(header::CONTENT_TYPE, reply.content_type.header_value())
        .header(header::CACHE_CONTROL, "no-cache")
        .header(header::ACCESS_CONTROL_ALLOW_ORIGIN, "*")
        .header(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            "GET, POST, DELETE, OPTIONS",
        )
        .header(header::ACCESS_CONTROL_ALLOW_HEADERS, "*")
}

fn respond(reply: Reply) -> Response<Body> {
    let body = Full::new(Bytes::from(reply.body.clone())).boxed_unsync();
    builder(&reply)
        .body(body)
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new()).boxed_unsync()))
}

/// Headers and the first half of the body, then the connection is closed.
fn partial(reply: Reply, kill: Arc<Notify>) -> Response<Body> {
    let full = Bytes::from(reply.body.clone());
    let half = full.slice(..full.len() / 2);
    let first = stream::once(async move { Ok::<_, Infallible>(Frame::data(half)) });
    let cut = stream::poll_fn(move |_| {
        kill.notify_one();
        Poll::<Option<Result<Frame<Bytes>, Infallible>>>::Pending
    });
    let body = StreamBody::new(first.chain(cut)).boxed_unsync();
    builder(&reply)
        .header(header::CONTENT_LENGTH, full.len())
        .body(body)
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new()).boxed_unsync()))
}
