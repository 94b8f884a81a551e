//! Validation and error shapes (protocol.md §4, §5.2, §7.5).

mod common;

use common::{assert_publish_error, enc, server, start, tt_of};
use pubnub_devserver::DevServer;
use serde_json::json;

fn assert_invalid_arguments(r: &common::Resp) {
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(
        r.json(),
        json!({"status":400,"error":true,"service":"Balancer","message":"Invalid Arguments"})
    );
}

#[tokio::test]
async fn keys_are_checked_when_keysets_are_configured() {
    let (_s, http) = start(DevServer::builder().keyset("pub-1", "sub-1")).await;
    let bad_sub = json!({"message":"Invalid Subscribe Key","error":true,"service":"Access Manager","status":400});
    for path in [
        "/publish/pub-1/nope/0/ch/0/1",
        "/signal/pub-1/nope/0/ch/0/1",
        "/v2/subscribe/nope/ch/0",
        "/v1/channel-registration/sub-key/nope/channel-group",
        "/v3/history/sub-key/nope/channel/ch",
        "/v2/presence/sub-key/nope/channel/ch/leave",
    ] {
        let r = http.get(path).await;
        assert_eq!(r.status, 400, "{path}");
        assert_eq!(r.json(), bad_sub, "{path}");
        let json_route = path.starts_with("/v1/channel-registration");
        let expected_type = if json_route {
            "application/json"
        } else {
            "text/javascript; charset=\"UTF-8\""
        };
        assert_eq!(r.content_type, expected_type, "{path}");
    }
    let r = http.get("/publish/wrong/sub-1/0/ch/0/1").await;
    assert_publish_error(&r, 400, "Invalid Key");
    let r = http.get("/publish/pub-1/sub-1/0/ch/0/1").await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn bad_json_in_path_or_body_or_meta() {
    let (_s, http) = server().await;
    assert_publish_error(
        &http.get("/publish/demo/demo/0/ch/0/%7Bnope").await,
        400,
        "Invalid JSON",
    );
    assert_publish_error(
        &http.post("/publish/demo/demo/0/ch/0", "{oops").await,
        400,
        "Invalid JSON",
    );
    assert_publish_error(
        &http.publish("ch", "1", "meta=%7Bx").await,
        400,
        "Invalid JSON",
    );
    assert_publish_error(
        &http.get("/signal/demo/demo/0/ch/0/nope").await,
        400,
        "Invalid JSON",
    );
}

#[tokio::test]
async fn oversize_messages_get_413_and_the_limit_counts_escaped_channel_plus_message() {
    let (_s, http) = start(DevServer::builder().max_message_bytes(300)).await;
    // escaped channel (2) + escaped message + 100 must not exceed 300.
    // The quotes escape to %22: 2 + (6 + 192) + 100 = 300.
    let fits = format!("\"{}\"", "x".repeat(192));
    assert_eq!(http.publish("ch", &fits, "").await.status, 200);
    let over = format!("\"{}\"", "x".repeat(193));
    assert_publish_error(
        &http.publish("ch", &over, "").await,
        413,
        "Message Too Large",
    );
    // Escaping counts: 65 spaces and the quotes escape to 201 bytes.
    let spaces = format!("\"{}\"", " ".repeat(65));
    assert_publish_error(
        &http.publish("ch", &spaces, "").await,
        413,
        "Message Too Large",
    );
    // POST counts the raw body: 2 + 199 + 100 = 301.
    let body = format!("\"{}\"", "y".repeat(197));
    let fits_post = format!("\"{}\"", "y".repeat(196));
    assert_eq!(
        http.post("/publish/demo/demo/0/ch/0", &fits_post)
            .await
            .status,
        200
    );
    assert_publish_error(
        &http.post("/publish/demo/demo/0/ch/0", &body).await,
        413,
        "Message Too Large",
    );
}

#[tokio::test]
async fn signal_over_64_bytes_is_rejected() {
    let (_s, http) = server().await;
    let ok = format!("\"{}\"", "s".repeat(62));
    let r = http
        .get(&format!("/signal/demo/demo/0/ch/0/{}", enc(&ok)))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let big = format!("\"{}\"", "s".repeat(63));
    let r = http
        .get(&format!("/signal/demo/demo/0/ch/0/{}", enc(&big)))
        .await;
    assert_publish_error(&r, 400, "Signal size too large");
}

#[tokio::test]
async fn invalid_channel_names_are_rejected_everywhere() {
    let (_s, http) = server().await;
    let long = "x".repeat(93);
    for bad in [
        "a%2Cb",
        "a%3Ab",
        "a*",
        "a%2Fb",
        "a%5Cb",
        "a%20b",
        "a%01b",
        long.as_str(),
    ] {
        assert_invalid_arguments(&http.get(&format!("/publish/demo/demo/0/{bad}/0/1")).await);
        assert_invalid_arguments(&http.subscribe(bad, "tt=0").await);
    }
    assert_eq!(http.publish(&"x".repeat(92), "1", "").await.status, 200);
    for bad in ["a.*.c", "a.b.c.*", "*", ".*", "a.**"] {
        assert_invalid_arguments(&http.subscribe(bad, "tt=0").await);
    }
    assert_invalid_arguments(&http.subscribe(",", "tt=0").await);
    assert_invalid_arguments(&http.subscribe("ok", "tt=0&channel-group=bad%20group").await);
    let r = http
        .get("/v1/channel-registration/sub-key/demo/channel-group/g?add=a%20b")
        .await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn publishing_deeper_than_two_dots_is_refused() {
    let (_s, http) = server().await;
    assert_eq!(http.publish("a.b.c", "1", "").await.status, 200);
    assert_publish_error(
        &http.publish("a.b.c.d", "1", "").await,
        400,
        "Wildcard maximum depth exceeded",
    );
}

#[tokio::test]
async fn uri_too_long_gets_414() {
    let (_s, http) = start(DevServer::builder().max_uri_bytes(200)).await;
    let r = http.subscribe(&"c,".repeat(100), "tt=0").await;
    assert_eq!(r.status, 414);
    assert_eq!(r.json()["message"], "Request URI Too Long");
}

#[tokio::test]
async fn unknown_routes_are_404_json_and_bad_encoding_is_400() {
    let (_s, http) = server().await;
    for path in [
        "/",
        "/nope",
        "/v2/subscribe",
        "/publish/demo",
        "/time/1",
        "/v9/history/sub-key/demo/channel/c",
    ] {
        let r = http.get(path).await;
        assert_eq!(r.status, 404, "{path}");
        assert_eq!(r.json()["status"], 404);
    }
    let r = http.get("/publish/demo/demo/0/ch/0/%ZZ").await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"], true);
    let r = http.get("/v2/subscribe/demo/ch/0?tt=%E0").await;
    assert_eq!(r.status, 400);
    let r = http.subscribe("ch", "tt=abc").await;
    assert_eq!(r.status, 400);
    let r = http
        .get("/publish/demo/demo/0/ch/0/1?custom_message_type=x")
        .await;
    assert_eq!(r.status, 400);
    let r = http.subscribe("ch", "tt=0&state=%7Bbad").await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn error_timetokens_are_current() {
    let (_s, http) = server().await;
    let before = http.publish_tt("c", "1").await;
    let r = http.get("/publish/demo/demo/0/c/0/%7B").await;
    assert!(tt_of(&r.json()[2]) >= before);
}

#[tokio::test]
async fn cors_preflight_is_answered() {
    let (_s, http) = server().await;
    let r = common::within(http.try_send("OPTIONS", "/publish/demo/demo/0/c/0", ""))
        .await
        .expect("options");
    assert_eq!(r.status, 200);
    assert_eq!(
        r.headers
            .get("access-control-allow-origin")
            .and_then(|v| v.to_str().ok()),
        Some("*")
    );
    assert!(r.headers.contains_key("access-control-allow-headers"));
}

#[tokio::test]
async fn default_uri_limit_is_32_kib_and_reaches_the_router() {
    let (_s, http) = server().await;
    // 16,300 two-byte entries: about 32.6 KB of path, just under the limit with the prefix.
    let fits = "c,".repeat(16_300);
    assert_eq!(http.subscribe(&fits, "tt=0").await.status, 200);
    let over = "c,".repeat(16_500);
    assert_eq!(http.subscribe(&over, "tt=0").await.status, 414);
}
