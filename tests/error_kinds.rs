//! Every error class maps to its own typed error, with the server's message.

mod common;

use std::time::Duration;

use common::{builder, client, server, within};
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

/// A subscribe loop that does not reconnect reports the outage and then its
/// end, both carrying the same typed error with its cause (the refused
/// connection), matched by kind without downcasting.
#[tokio::test]
async fn a_subscribe_that_gives_up_keeps_the_cause_in_every_status() {
    use futures::StreamExt;
    use pubnub_stream::{Event, RetryPolicy, Status};

    let server = server().await;
    let pubnub = builder(&server)
        .reconnection(RetryPolicy::none())
        .build()
        .unwrap();
    server.shutdown().await;
    let sub = pubnub.subscribe().with_statuses().channels("a").execute();
    let statuses: Vec<Status> = within(sub.collect::<Vec<Event>>())
        .await
        .into_iter()
        .filter_map(|event| match event {
            Event::Status(status) => Some(status),
            _ => None,
        })
        .collect();
    let categories: Vec<&str> = statuses.iter().map(Status::category).collect();
    assert_eq!(categories, ["NetworkIssues", "Disconnected"]);
    for status in &statuses {
        let error = status.error().expect("each status carries the failure");
        assert_eq!(error.kind(), &RequestErrorKind::Network);
        let text = error.to_string().to_ascii_lowercase();
        assert!(text.contains("connection refused"), "{status:?}");
    }
}

/// Secrets the client was built with; no error text may contain them.
const SECRETS: [&str; 3] = ["auth-token-123", "sec-c-secret-456", "pub-c-test"];

fn assert_secret_free(text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
}

#[tokio::test]
async fn a_refused_connection_says_so_in_display_and_debug() {
    let server = server().await;
    let pubnub = builder(&server)
        .auth_key("auth-token-123")
        .secret_key("sec-c-secret-456")
        .build()
        .unwrap();
    server.shutdown().await;
    let err = pubnub.time().await.unwrap_err();
    let text = err.to_string();
    assert!(text.starts_with("network error: "), "{text}");
    assert!(
        text.to_ascii_lowercase().contains("connection refused"),
        "{text}"
    );
    assert!(!text.contains('\n'), "one line: {text}");
    let debug = format!("{err:?}");
    assert!(
        debug.to_ascii_lowercase().contains("connection refused"),
        "{debug}"
    );
    assert_secret_free(&text);
    assert_secret_free(&debug);
}

#[test]
fn every_error_type_shows_its_cause_and_no_secret() {
    use pubnub_stream::{ConfigError, PubNub, RequestError};

    // ConfigError: a TLS cause is shown by its message, in Display and Debug.
    let tls = PubNub::builder()
        .subscribe_key("sub-c-test")
        .publish_key("pub-c-test")
        .auth_key("auth-token-123")
        .secret_key("sec-c-secret-456")
        .user_id("u")
        .add_root_certificate(b"not a pem".to_vec())
        .build()
        .unwrap_err();
    assert!(matches!(tls, ConfigError::Tls(_)));
    let cause = std::error::Error::source(&tls)
        .expect("a cause")
        .to_string();
    assert!(!cause.is_empty());
    assert!(tls.to_string().contains(&cause), "{tls}");
    assert!(format!("{tls:?}").contains(&cause), "{tls:?}");
    assert_secret_free(&tls.to_string());
    assert_secret_free(&format!("{tls:?}"));

    // ConfigError without a cause: a bad key is named, never shown.
    let bad_key = PubNub::builder()
        .subscribe_key("sub-c-test")
        .auth_key("auth-token-123\n")
        .user_id("u")
        .build()
        .unwrap_err();
    assert!(bad_key.to_string().contains("auth_key"), "{bad_key}");
    assert_secret_free(&bad_key.to_string());
    assert_secret_free(&format!("{bad_key:?}"));

    // RequestErrorKind and RequestError: the kind, then the cause chain.
    let kind = RequestErrorKind::Server {
        status: 503,
        message: Some("Service Unavailable".into()),
    };
    assert_eq!(kind.to_string(), "server error (503): Service Unavailable");
    assert!(format!("{kind:?}").contains("503"));
    let err = RequestError::from_kind(kind);
    assert_eq!(err.to_string(), "server error (503): Service Unavailable");
    assert!(format!("{err:?}").contains("Service Unavailable"));
    // (A RequestError with a cause: see a_refused_connection_says_so_in_display_and_debug.)
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

/// The errors of the subscribe side and of the sink, for a server that is gone:
/// each says "connection refused" in its one-line `Display` and its `Debug`,
/// and none shows a key, the auth token or a signature.
#[tokio::test]
async fn subscribe_and_sink_errors_show_their_cause_and_no_secret() {
    use futures::SinkExt;
    use pubnub_stream::{DecodeError, Message, PublishSinkError, RetryPolicy, Timetoken};

    fn check(what: &str, text: &str, debug: &str) {
        for shown in [text, debug] {
            assert!(
                shown.to_ascii_lowercase().contains("connection refused"),
                "{what}: {shown}"
            );
            assert_secret_free(shown);
        }
        assert!(!text.contains('\n'), "{what} in one line: {text}");
    }

    let server = server().await;
    let pubnub = builder(&server)
        .auth_key("auth-token-123")
        .secret_key("sec-c-secret-456")
        .subscribe_connect_timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    server.shutdown().await;

    // ConnectError (awaitable subscribe), and the Status it carries.
    let err = within(pubnub.subscribe().channels("a")).await.unwrap_err();
    check("ConnectError", &err.to_string(), &format!("{err:?}"));
    let status = err.status();
    let status_error = status.error().expect("the status carries its error");
    check(
        "the status's RequestError",
        &status_error.to_string(),
        &format!("{status_error:?}"),
    );

    // PublishSinkError: a sink that gives up after one retry.
    let mut sink = pubnub
        .publisher("a")
        .retry(RetryPolicy::none())
        .sink::<u32>();
    let err: PublishSinkError<u32> = within(async {
        match sink.send(1).await {
            Err(err) => err,
            Ok(()) => sink.close().await.unwrap_err(),
        }
    })
    .await;
    check("PublishSinkError", &err.to_string(), &format!("{err:?}"));
    assert_eq!(err.into_items(), vec![1], "the message is handed back");

    // DecodeError: names what did not decode, keeps the message, no secret.
    let err: DecodeError = Message::new("chat", serde_json::json!("text"))
        .decode::<u32>()
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("chat") && text.contains("u32"), "{text}");
    assert_secret_free(&format!("{err:?}"));

    // ParseTimetokenError: says what was wrong with the input.
    let err = "17x".parse::<Timetoken>().unwrap_err();
    assert!(err.to_string().contains("17x"), "{err}");
}
