//! The awaited form of `subscribe()`: resolves once connected (with this
//! subscription's names), fails fast with a typed error otherwise.

mod common;

use std::time::Duration;

use common::*;
use pubnub_devserver::RouteClass;
use pubnub_stream::{PubNub, RequestErrorKind, Status};
use serde_json::json;

/// Fifty rounds of: await a new subscription, publish at once, receive it.
#[tokio::test]
async fn a_message_published_right_after_await_is_delivered_50_of_50() {
    let server = server().await;
    let publisher = Publisher::new(&server);
    let pubnub = subscriber(&server);
    let _first = within(pubnub.subscribe().channels("warm")).await.unwrap();
    for round in 0..50 {
        let channel = format!("round-{round}");
        let mut sub = within(pubnub.subscribe().channels(channel.as_str()))
            .await
            .expect("connected");
        publisher.publish(&channel, &json!(round)).await;
        let m = next_message(&mut sub).await;
        assert_eq!(
            (m.channel.as_str(), m.payload.clone()),
            (channel.as_str(), json!(round))
        );
    }
}

/// A closed loopback port: a typed error (the first attempt's status) well
/// within the connect timeout, not after the reconnection policy.
#[tokio::test]
async fn an_unreachable_origin_fails_fast_with_a_typed_error() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let origin = closed.local_addr().unwrap().to_string();
    drop(closed);
    let pubnub = PubNub::builder()
        .subscribe_key(SUB_KEY)
        .user_id("nobody")
        .origin(origin)
        .secure(false)
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let error = within(pubnub.subscribe().channels("a"))
        .await
        .expect_err("nothing listens there");
    assert!(started.elapsed() < Duration::from_secs(10));
    let Status::NetworkIssues { error } = error.status() else {
        panic!("{error:?}")
    };
    assert!(
        matches!(error.kind(), RequestErrorKind::Network),
        "{error:?}"
    );
}

/// A server that never answers: the connect timeout bounds the wait.
#[tokio::test(start_paused = true)]
async fn a_silent_server_times_out_after_the_connect_timeout() {
    let server = server().await;
    server
        .faults()
        .delay(RouteClass::Subscribe, Duration::from_secs(3600));
    let pubnub = subscriber_builder(&server, "waiting")
        .subscribe_connect_timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let started = tokio::time::Instant::now();
    let error = within(pubnub.subscribe().channels("a"))
        .await
        .expect_err("times out");
    assert!(
        matches!(error.status(), Status::Timeout { .. }),
        "{error:?}"
    );
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(5) && waited < Duration::from_secs(6),
        "{waited:?}"
    );
}

#[tokio::test]
async fn an_invalid_subscription_fails_at_once() {
    let server = server().await;
    let pubnub = subscriber(&server);
    let error = within(pubnub.subscribe().channels("a b"))
        .await
        .expect_err("invalid name");
    assert!(
        matches!(error.status(), Status::BadRequest { .. }),
        "{error:?}"
    );
}

/// On a client already connected, awaiting a subscription to a new channel
/// waits for the server to take the new names: a 400 for them fails that
/// await (with the server's answer), and the subscription already running
/// goes on receiving.
#[tokio::test]
async fn a_new_channel_refused_on_a_connected_client_fails_its_await_and_the_others_go_on() {
    let server = server().await;
    let publisher = Publisher::new(&server);
    let pubnub = subscriber(&server);
    let mut first = within(pubnub.subscribe().channels("first"))
        .await
        .expect("connected");
    // once the long-poll of "first" is held, the next subscribe request is
    // the one carrying the new name
    within(server.wait_for_request(|r| {
        r.class == Some(RouteClass::Subscribe) && r.query_value("tt") != Some("0")
    }))
    .await;
    server.faults().fail_next(
        RouteClass::Subscribe,
        1,
        400,
        r#"{"status":400,"error":true,"message":"Invalid Subscribe Channel"}"#,
    );
    let error = within(pubnub.subscribe().channels("second"))
        .await
        .expect_err("the server refused the request carrying `second`");
    assert!(
        matches!(error.status(), Status::BadRequest { .. }),
        "{error:?}"
    );
    publisher.publish("first", &json!("still here")).await;
    let m = next_message(&mut first).await;
    assert_eq!(m.payload, json!("still here"));
}

/// A second subscription whose names are already on the wire (and taken by
/// the server) connects at once, without a new handshake; one with a new
/// name costs one handshake.
#[tokio::test]
async fn a_subscription_to_a_channel_already_subscribed_connects_without_a_handshake() {
    let server = server().await;
    let publisher = Publisher::new(&server);
    let pubnub = subscriber(&server);
    let handshakes = || {
        server
            .requests()
            .iter()
            .filter(|r| r.class == Some(RouteClass::Subscribe) && r.query_value("tt") == Some("0"))
            .count()
    };
    let _first = within(pubnub.subscribe().channels("shared"))
        .await
        .expect("connected");
    assert_eq!(handshakes(), 1);
    let mut second = within(pubnub.subscribe().channels("shared"))
        .await
        .expect("connected");
    assert_eq!(handshakes(), 1, "the names were taken already");
    let _third = within(pubnub.subscribe().channels("other"))
        .await
        .expect("connected");
    assert_eq!(handshakes(), 2, "a new name is confirmed by a handshake");
    publisher.publish("shared", &json!(1)).await;
    assert_eq!(next_message(&mut second).await.payload, json!(1));
}

/// Subscribing on a client paused by `disconnect()` fails at once, and the
/// error says why and what resumes it; after `reconnect()` it connects.
#[tokio::test]
async fn subscribing_while_disconnected_fails_at_once_and_says_how_to_resume() {
    let server = server().await;
    let pubnub = subscriber(&server);
    let _first = within(pubnub.subscribe().channels("first"))
        .await
        .expect("connected");
    pubnub.disconnect();
    let error = within(pubnub.subscribe().channels("second"))
        .await
        .expect_err("the client is paused");
    assert!(
        matches!(error.status(), Status::Disconnected { error: None }),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("reconnect() resumes it"),
        "{error}"
    );
    pubnub.reconnect();
    let _second = within(pubnub.subscribe().channels("second"))
        .await
        .expect("connected after reconnect()");
}
