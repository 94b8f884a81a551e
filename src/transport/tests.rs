//! Transport against a minimal HTTP/1.1 responder on loopback.

use std::time::Duration;

use tokio::net::TcpListener;

use super::*;
use crate::client::PubNub;
use crate::test_support::one_shot_server;

fn client(origin: &str) -> PubNub {
    PubNub::builder()
        .subscribe_key("sub-c-1")
        .publish_key("pub-c-1")
        .user_id("alice")
        .origin(origin)
        .secure(false)
        .build()
        .unwrap()
}

const SENT: &str = "HTTP/1.1 200 OK\r\ncontent-type: text/javascript; charset=\"UTF-8\"\r\ncontent-length: 30\r\n\r\n[1,\"Sent\",\"17334108327846111\"]";

#[tokio::test]
async fn sends_common_parameters_and_reads_the_body() {
    let (origin, seen) = one_shot_server(SENT).await;
    let pubnub = client(&origin);
    let req = Request::get("/time/0".into(), Duration::from_secs(5)).param("store", "0");
    let resp = pubnub.transport().send(req).await.unwrap();
    assert_eq!(resp.status, http::StatusCode::OK);
    assert_eq!(&resp.body[..], b"[1,\"Sent\",\"17334108327846111\"]");
    assert!(check_status(&resp).is_ok());
    let head = seen.await.unwrap();
    assert!(
        head.starts_with("GET /time/0?uuid=alice&pnsdk=PubNub-Rust-Stream%2F"),
        "{head}"
    );
    assert!(head.contains("&store=0 HTTP/1.1"), "{head}");
    assert!(head
        .to_ascii_lowercase()
        .contains("user-agent: pubnub-rust-stream/"));
}

#[tokio::test]
async fn post_bodies_are_json() {
    let (origin, seen) = one_shot_server(SENT).await;
    let pubnub = client(&origin);
    let mut req = Request::get("/publish/p/s/0/ch/0".into(), Duration::from_secs(5));
    req.method = http::Method::POST;
    req.body = Some(Bytes::from_static(b"{\"a\":1}"));
    pubnub.transport().send(req).await.unwrap();
    let head = seen.await.unwrap().to_ascii_lowercase();
    assert!(head.starts_with("post /publish/p/s/0/ch/0?"));
    assert!(head.contains("content-type: application/json"));
}

#[tokio::test]
async fn a_silent_server_times_out() {
    let (origin, _seen) = one_shot_server("").await;
    let pubnub = client(&origin);
    let req = Request::get("/time/0".into(), Duration::from_millis(200));
    let err = pubnub.transport().send(req).await.unwrap_err();
    assert_eq!(
        err.kind(),
        &RequestErrorKind::Timeout {
            after: Duration::from_millis(200)
        }
    );
    assert!(err.is_retryable());
}

#[tokio::test]
async fn a_closed_port_is_a_network_error_with_a_source() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = listener.local_addr().unwrap().to_string();
    drop(listener);
    let pubnub = client(&origin);
    let req = Request::get("/time/0".into(), Duration::from_secs(5));
    let err = pubnub.transport().send(req).await.unwrap_err();
    assert_eq!(err.kind(), &RequestErrorKind::Network);
    assert!(std::error::Error::source(&err).is_some());
}
