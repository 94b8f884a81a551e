//! Fault injection: fail, rate-limit, delay, drop, drop mid-response, drop in flight.

mod common;

use std::time::Duration;

use common::{held_poll, server, within};
use pubnub_devserver::RouteClass;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn fail_next_answers_n_requests_of_the_class_then_stops() {
    let (server, http) = server().await;
    server.faults().fail_next(
        RouteClass::Publish,
        2,
        503,
        r#"{"status":503,"error":true}"#,
    );
    assert_eq!(
        http.get("/time/0").await.status,
        200,
        "other classes unaffected"
    );
    for _ in 0..2 {
        let r = http.publish("c", "1", "").await;
        assert_eq!(r.status, 503);
        assert_eq!(r.body, r#"{"status":503,"error":true}"#);
    }
    assert_eq!(http.publish("c", "1", "").await.status, 200);
    server.faults().fail_next(RouteClass::Any, 1, 500, "");
    assert_eq!(http.get("/nope").await.status, 500);
    assert_eq!(http.get("/nope").await.status, 404);
}

#[tokio::test]
async fn rate_limit_sends_retry_after() {
    let (server, http) = server().await;
    server.faults().rate_limit_next(RouteClass::Subscribe, 1, 3);
    let r = http.subscribe("c", "tt=0").await;
    assert_eq!(r.status, 429);
    assert_eq!(
        r.headers.get("retry-after").and_then(|v| v.to_str().ok()),
        Some("3")
    );
    assert_eq!(r.json()["status"], 429);
    assert_eq!(http.subscribe("c", "tt=0").await.status, 200);
}

#[tokio::test]
async fn drop_next_closes_without_a_response() {
    let (server, http) = server().await;
    server.faults().drop_next(RouteClass::Publish, 1);
    let r = within(http.try_send("GET", "/publish/demo/demo/0/c/0/1", "")).await;
    assert!(r.is_err(), "expected a broken connection, got {r:?}");
    assert_eq!(http.publish("c", "1", "").await.status, 200);
}

#[tokio::test]
async fn delayed_request_is_in_flight_until_dropped_and_clear_delay_restores() {
    let (server, http) = server().await;
    server
        .faults()
        .delay(RouteClass::Time, Duration::from_secs(3600));
    let h = http.clone();
    let delayed = tokio::spawn(async move { h.try_send("GET", "/time/0", "").await });
    server
        .wait_for_request(|r| r.class == Some(RouteClass::Time))
        .await;
    assert_eq!(
        server.faults().drop_in_flight(RouteClass::Time),
        1,
        "the request is held by the delay"
    );
    assert!(within(delayed).await.expect("task").is_err());
    server.faults().clear_delay(RouteClass::Time);
    assert_eq!(http.get("/time/0").await.status, 200);
}

#[tokio::test]
async fn drop_in_flight_breaks_held_long_polls_only() {
    let (server, http) = server().await;
    let cursor = http.handshake("c").await;
    let poll = held_poll(&server, &http, "c", &format!("tt={cursor}")).await;
    assert_eq!(server.faults().drop_in_flight(RouteClass::Publish), 0);
    assert_eq!(server.faults().drop_in_flight(RouteClass::Subscribe), 1);
    assert!(within(poll).await.expect("task").is_err());
    // The server keeps working, and the message published now is caught up.
    http.publish_tt("c", "1").await;
    let v = http.subscribe("c", &format!("tt={cursor}")).await.json();
    assert_eq!(v["m"][0]["d"], 1);
}

#[tokio::test]
async fn drop_mid_response_sends_headers_and_part_of_the_body() {
    let (server, _http) = server().await;
    server.faults().drop_mid_response(RouteClass::Time, 1);
    let mut stream = tokio::net::TcpStream::connect(server.addr())
        .await
        .expect("connect");
    stream
        .write_all(b"GET /time/0 HTTP/1.1\r\nhost: x\r\n\r\n")
        .await
        .expect("write");
    let mut raw = Vec::new();
    within(stream.read_to_end(&mut raw))
        .await
        .expect("read to EOF");
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text.split_once("\r\n\r\n").expect("headers were sent");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let len: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length: ")
                .map(str::to_owned)
        })
        .and_then(|v| v.trim().parse().ok())
        .expect("content-length");
    assert_eq!(len, 19, "[<17 digits>]");
    assert!(
        !body.is_empty() && body.len() < len,
        "partial body {body:?}"
    );
    // Next request is normal.
    assert_eq!(_http.get("/time/0").await.status, 200);
}
