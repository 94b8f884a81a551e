//! What every request carries, and how the client behaves when a call is dropped.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::{builder, client, server};
use pubnub_devserver::RouteClass;
use pubnub_stream::{PubNub, RequestErrorKind, Timetoken};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

/// What the hostile server does with its first connection; later ones get
/// a well-formed `/time/0` answer.
#[derive(Clone, Copy)]
enum Hostile {
    /// A chunked body that never ends (64 KiB chunks, as fast as the client reads).
    EndlessChunks,
    /// `Content-Length` of 100 GB, then body bytes as fast as the client reads.
    HugeContentLength,
    /// `302 Found` to a captive portal whose URL carries a token.
    Redirect,
}

/// A tiny hostile HTTP/1.1 server on loopback (not a PubNub server, so not
/// the dev server): it reports when the client closed the first connection.
async fn hostile(mode: Hostile) -> (String, mpsc::UnboundedReceiver<&'static str>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = listener.local_addr().unwrap().to_string();
    let (events, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        let mut first = true;
        while let Ok((socket, _)) = listener.accept().await {
            let events = events.clone();
            let hostile = std::mem::replace(&mut first, false);
            tokio::spawn(async move {
                if hostile {
                    let closed = serve_hostile(socket, mode).await;
                    let _ = events.send(closed);
                } else {
                    serve_time(socket).await;
                }
            });
        }
    });
    (origin, rx)
}

async fn read_head(socket: &mut TcpStream) -> bool {
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
        match socket.read(&mut buf).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => seen.extend_from_slice(&buf[..n]),
        }
    }
    true
}

/// Serves the hostile answer until the client closes the connection.
async fn serve_hostile(mut socket: TcpStream, mode: Hostile) -> &'static str {
    if !read_head(&mut socket).await {
        return "no request";
    }
    let head: &[u8] = match mode {
        Hostile::EndlessChunks => b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n",
        Hostile::HugeContentLength => b"HTTP/1.1 200 OK\r\ncontent-length: 100000000000\r\n\r\n",
        Hostile::Redirect => b"HTTP/1.1 302 Found\r\nlocation: http://portal.example/login?orig=auth%3Dmy-token\r\ncontent-length: 0\r\n\r\n",
    };
    if socket.write_all(head).await.is_err() {
        return "closed";
    }
    let mut chunk = Vec::new();
    match mode {
        Hostile::EndlessChunks => {
            chunk.extend_from_slice(b"10000\r\n");
            chunk.extend(std::iter::repeat_n(b'x', 0x10000));
            chunk.extend_from_slice(b"\r\n");
        }
        Hostile::HugeContentLength => chunk = vec![b'x'; 0x10000],
        Hostile::Redirect => {
            // Wait for the client's next request or its close.
            let mut buf = [0u8; 4096];
            return match socket.read(&mut buf).await {
                Ok(0) | Err(_) => "closed",
                Ok(_) => "reused",
            };
        }
    }
    loop {
        if socket.write_all(&chunk).await.is_err() {
            return "closed";
        }
    }
}

async fn serve_time(mut socket: TcpStream) {
    while read_head(&mut socket).await {
        let answer = b"HTTP/1.1 200 OK\r\ncontent-length: 19\r\n\r\n[17000000000000000]";
        if socket.write_all(answer).await.is_err() {
            return;
        }
    }
}

fn hostile_client(origin: &str) -> PubNub {
    PubNub::builder()
        .subscribe_key("sub-c-test")
        .user_id("tester")
        .auth_key("my-token")
        .origin(origin)
        .secure(false)
        .request_timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

async fn closed(events: &mut mpsc::UnboundedReceiver<&'static str>) -> &'static str {
    tokio::time::timeout(Duration::from_secs(10), events.recv())
        .await
        .expect("the hostile server saw the connection end")
        .expect("server running")
}

#[tokio::test]
async fn an_endless_chunked_body_is_cut_at_the_limit_and_the_client_recovers() {
    let (origin, mut events) = hostile(Hostile::EndlessChunks).await;
    let pubnub = hostile_client(&origin);
    let err = pubnub.time().await.unwrap_err();
    assert_eq!(
        err.kind(),
        &RequestErrorKind::ResponseTooLarge {
            limit: pubnub_stream::config::DEFAULT_MAX_RESPONSE_BYTES
        },
        "{err}"
    );
    assert!(!err.is_retryable());
    assert_eq!(closed(&mut events).await, "closed", "connection dropped");
    assert_eq!(
        pubnub.time().await.unwrap(),
        Timetoken::from(17_000_000_000_000_000),
        "the next request on a fresh connection succeeds"
    );
}

#[tokio::test]
async fn a_content_length_over_the_limit_fails_before_the_body_is_read() {
    let (origin, mut events) = hostile(Hostile::HugeContentLength).await;
    let pubnub = PubNub::builder()
        .subscribe_key("sub-c-test")
        .user_id("tester")
        .origin(&origin)
        .secure(false)
        .max_response_bytes(1024)
        .build()
        .unwrap();
    let err = pubnub.time().await.unwrap_err();
    assert_eq!(
        err.kind(),
        &RequestErrorKind::ResponseTooLarge { limit: 1024 },
        "{err}"
    );
    assert_eq!(closed(&mut events).await, "closed", "connection dropped");
    assert_eq!(
        pubnub.time().await.unwrap(),
        Timetoken::from(17_000_000_000_000_000)
    );
    let zero = PubNub::builder()
        .subscribe_key("sub-c-test")
        .user_id("tester")
        .max_response_bytes(0)
        .build()
        .unwrap_err();
    assert!(
        matches!(
            zero,
            pubnub_stream::ConfigError::InvalidOption {
                option: "max_response_bytes",
                ..
            }
        ),
        "{zero:?}"
    );
}

#[tokio::test]
async fn a_redirect_is_a_typed_error_naming_the_location_without_the_token() {
    let (origin, _events) = hostile(Hostile::Redirect).await;
    let pubnub = hostile_client(&origin);
    let err = pubnub.time().await.unwrap_err();
    assert_eq!(
        err.kind(),
        &RequestErrorKind::Redirect {
            status: 302,
            location: Some("http://portal.example/login".into())
        }
    );
    let text = err.to_string();
    assert!(text.contains("http://portal.example/login"), "{text}");
    assert!(!text.contains("my-token") && !format!("{err:?}").contains("my-token"));
    assert!(
        err.is_retryable(),
        "a captive portal goes away; retry policies are bounded"
    );
}

#[tokio::test]
async fn every_request_carries_uuid_pnsdk_auth_and_a_fresh_requestid() {
    let server = server().await;
    let pubnub = builder(&server).auth_key("my-token").build().unwrap();
    pubnub.time().await.unwrap();
    pubnub.publish().channel("c").message(&1).await.unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for r in &requests {
        assert_eq!(r.query_value("uuid"), Some("tester"));
        assert_eq!(r.query_value("auth"), Some("my-token"));
        let pnsdk = r.query_value("pnsdk").unwrap();
        assert!(pnsdk.starts_with("PubNub-Rust-Stream/"), "{pnsdk}");
    }
    let ids: HashSet<_> = requests
        .iter()
        .map(|r| r.query_value("requestid"))
        .collect();
    assert_eq!(ids.len(), 2);
}

#[tokio::test]
async fn publish_sends_an_increasing_seqn() {
    let server = server().await;
    let pubnub = client(&server);
    pubnub.publish().channel("c").message(&1).await.unwrap();
    pubnub.publish().channel("c").message(&2).await.unwrap();
    let seqns: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.query_value("seqn").map(str::to_owned))
        .collect();
    assert_eq!(seqns, [Some("1".to_owned()), Some("2".to_owned())]);
}

#[tokio::test]
async fn dropping_a_call_aborts_it_and_the_client_keeps_working() {
    let server = server().await;
    let pubnub = client(&server);
    server
        .faults()
        .delay(RouteClass::Time, Duration::from_secs(60));
    let dropped = tokio::time::timeout(Duration::from_millis(100), pubnub.time()).await;
    assert!(dropped.is_err(), "the delayed call should still be pending");
    server.faults().clear_delay(RouteClass::Time);
    let now = tokio::time::timeout(Duration::from_secs(10), pubnub.time())
        .await
        .expect("a new call is not stuck behind the dropped one");
    assert!(now.is_ok());
}

#[tokio::test]
async fn a_secret_key_signs_every_request() {
    let server = server().await;
    let pubnub = builder(&server).secret_key("sec-c-test").build().unwrap();
    pubnub.time().await.unwrap();
    pubnub
        .publish()
        .channel("c")
        .message(&1)
        .use_post(true)
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for r in requests {
        let timestamp: u64 = r.query_value("timestamp").unwrap().parse().unwrap();
        assert!(timestamp > 1_700_000_000);
        let signature = r.query_value("signature").unwrap();
        assert!(signature.starts_with("v2."), "{signature}");
        assert!(!signature.contains('=') && !signature.contains('+') && !signature.contains('/'));
    }
}

#[tokio::test]
async fn without_a_secret_key_nothing_is_signed() {
    let server = server().await;
    client(&server).time().await.unwrap();
    let r = server
        .wait_for_request(|r| r.class == Some(RouteClass::Time))
        .await;
    assert_eq!(r.query_value("signature"), None);
    assert_eq!(r.query_value("timestamp"), None);
}
