//! Every error class maps to its own typed error, with the server's message.

mod common;

use std::time::Duration;

use common::{builder, client, server};
use pubnub_devserver::RouteClass;
use pubnub_stream::RequestErrorKind;

fn publishes(server: &pubnub_devserver::DevServer) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.class == Some(RouteClass::Publish))
        .count()
}

#[tokio::test]
async fn unknown_publish_key_is_invalid_key() {
    let server = server().await;
    let pubnub = builder(&server).publish_key("pub-c-wrong").build().unwrap();
    let err = pubnub.publish().channel("c").message(&1).await.unwrap_err();
    assert!(
        matches!(err.kind(), RequestErrorKind::InvalidKey { .. }),
        "{err:?}"
    );
    assert_eq!(err.server_message(), Some("Invalid Key"));
    assert_eq!(err.status(), Some(400));
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn unknown_subscribe_key_is_invalid_key() {
    let server = server().await;
    let pubnub = builder(&server)
        .subscribe_key("sub-c-wrong")
        .build()
        .unwrap();
    let err = pubnub.publish().channel("c").message(&1).await.unwrap_err();
    assert!(
        matches!(err.kind(), RequestErrorKind::InvalidKey { .. }),
        "{err:?}"
    );
    assert_eq!(err.server_message(), Some("Invalid Subscribe Key"));
}

#[tokio::test]
async fn forbidden_is_access_denied_with_the_denied_channels() {
    let server = server().await;
    server.faults().fail_next(
        RouteClass::Publish,
        1,
        403,
        r#"{"message":"Forbidden","payload":{"channels":["secret"]},"error":true,"service":"Access Manager","status":403}"#,
    );
    let err = client(&server)
        .publish()
        .channel("secret")
        .message(&1)
        .await
        .unwrap_err();
    match err.kind() {
        RequestErrorKind::AccessDenied {
            message, channels, ..
        } => {
            assert_eq!(message, "Forbidden");
            assert_eq!(channels, &["secret".to_owned()]);
        }
        other => panic!("expected AccessDenied, got {other:?}"),
    }
}

#[tokio::test]
async fn oversize_message_is_rejected_locally_without_a_request() {
    let server = server().await;
    let pubnub = client(&server);
    let err = pubnub
        .publish()
        .channel("c")
        .message(&"x".repeat(33_000))
        .await
        .unwrap_err();
    assert!(matches!(
        err.kind(),
        RequestErrorKind::MessageTooLarge { limit: 32_768, .. }
    ));
    assert_eq!(publishes(&server), 0);
}

#[tokio::test]
async fn oversize_signal_is_rejected_locally_without_a_request() {
    let server = server().await;
    let err = client(&server)
        .signal()
        .channel("c")
        .message(&"x".repeat(100))
        .await
        .unwrap_err();
    assert!(matches!(
        err.kind(),
        RequestErrorKind::MessageTooLarge { limit: 64, .. }
    ));
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn server_side_too_large_is_payload_too_large() {
    let server = server().await;
    let pubnub = builder(&server).max_publish_bytes(1 << 20).build().unwrap();
    let err = pubnub
        .publish()
        .channel("c")
        .message(&"x".repeat(33_000))
        .use_post(true)
        .await
        .unwrap_err();
    assert_eq!(
        err.kind(),
        &RequestErrorKind::PayloadTooLarge {
            status: 413,
            message: "Message Too Large".into()
        }
    );
}

#[tokio::test]
async fn server_rejected_channel_name_is_a_bad_request_with_its_message() {
    let server = server().await;
    let err = client(&server)
        .publish()
        .channel("a b")
        .message(&1)
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), RequestErrorKind::BadRequest { .. }),
        "{err:?}"
    );
    assert!(err.server_message().is_some());
}

#[tokio::test]
async fn server_error_is_retryable_with_its_status() {
    let server = server().await;
    server.faults().fail_next(RouteClass::Publish, 1, 503, "");
    let err = client(&server)
        .publish()
        .channel("c")
        .message(&1)
        .await
        .unwrap_err();
    assert_eq!(
        err.kind(),
        &RequestErrorKind::Server {
            status: 503,
            message: None
        }
    );
    assert!(err.is_retryable());
}

#[tokio::test]
async fn rate_limit_carries_retry_after() {
    let server = server().await;
    server.faults().rate_limit_next(RouteClass::Publish, 1, 3);
    let err = client(&server)
        .publish()
        .channel("c")
        .message(&1)
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), RequestErrorKind::RateLimited { .. }),
        "{err:?}"
    );
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3)));
    assert_eq!(err.server_message(), Some("Too many requests."));
}

#[tokio::test]
async fn slow_server_is_a_timeout() {
    let server = server().await;
    server
        .faults()
        .delay(RouteClass::Time, Duration::from_secs(30));
    let pubnub = builder(&server)
        .request_timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let err = pubnub.time().await.unwrap_err();
    assert_eq!(
        err.kind(),
        &RequestErrorKind::Timeout {
            after: Duration::from_millis(200)
        }
    );
}

#[tokio::test]
async fn dropped_connection_is_a_network_error() {
    let server = server().await;
    server.faults().drop_next(RouteClass::Publish, 1);
    let err = client(&server)
        .publish()
        .channel("c")
        .message(&1)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), &RequestErrorKind::Network);
    assert!(err.is_retryable());
}

#[tokio::test]
async fn refused_connection_is_a_network_error_with_a_source() {
    let server = server().await;
    let pubnub = client(&server);
    server.shutdown().await;
    let err = pubnub.time().await.unwrap_err();
    assert_eq!(err.kind(), &RequestErrorKind::Network);
    assert!(std::error::Error::source(&err).is_some());
}

#[tokio::test]
async fn missing_publish_key_fails_before_any_request() {
    let server = server().await;
    let pubnub = pubnub_stream::PubNub::builder()
        .subscribe_key(common::SUB_KEY)
        .user_id("u")
        .origin(server.origin())
        .secure(false)
        .build()
        .unwrap();
    let err = pubnub.publish().channel("c").message(&1).await.unwrap_err();
    assert_eq!(err.kind(), &RequestErrorKind::MissingPublishKey);
    assert!(server.requests().is_empty());
}
