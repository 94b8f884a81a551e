//! Reconnection: injected 5xx, dropped long-polls, server restarts, give-up
//! and manual reconnect, terminal errors, backoff spacing.

mod common;

use std::time::{Duration, SystemTime};

use common::*;
use futures::StreamExt;
use pubnub_devserver::RouteClass;
use pubnub_stream::{RequestError, RetryPolicy, Status, Subscription};
use serde_json::json;

/// Publishes `label`, `end` and checks the subscription gets exactly those next.
async fn exactly_once_then_end(publisher: &Publisher, sub: &mut Subscription, label: &str) {
    publisher.publish("live", &json!("end")).await;
    assert_eq!(next_message(sub).await.payload, json!(label));
    assert_eq!(next_message(sub).await.payload, "end", "no duplicate");
}

#[tokio::test]
async fn server_errors_are_retried_and_reported() {
    let server = server().await;
    let publisher = Publisher::new(&server);
    let pubnub = subscriber(&server);
    let mut sub = pubnub
        .subscribe()
        .with_statuses()
        .channels("live")
        .execute();
    within(sub.connected()).await.unwrap();
    // faults are installed right after the drop: the retry waits for the backoff
    drop_held_poll(&server).await;
    server
        .faults()
        .fail_next(RouteClass::Subscribe, 2, 503, "busy");
    let outage = next_status(&mut sub, |s| !matches!(s, Status::Connected { .. })).await;
    assert_eq!(outage.category(), "NetworkIssues", "{outage:?}");
    publisher.publish("live", &json!("during")).await;
    next_status(&mut sub, |s| matches!(s, Status::Reconnected { .. })).await;
    exactly_once_then_end(&publisher, &mut sub, "during").await;
}

#[tokio::test]
async fn a_5xx_on_the_handshake_is_an_unexpected_disconnect() {
    let server = server().await;
    let pubnub = subscriber(&server);
    server.faults().fail_next(RouteClass::Subscribe, 1, 500, "");
    let mut sub = pubnub
        .subscribe()
        .with_statuses()
        .channels("live")
        .execute();
    let first = next_status(&mut sub, |_| true).await;
    assert_eq!(first.category(), "UnexpectedDisconnect");
    assert_eq!(first.error().and_then(RequestError::status), Some(500));
    let next = next_status(&mut sub, |_| true).await;
    assert_eq!(
        next.category(),
        "Connected",
        "never connected before: Connected"
    );
    within(sub.connected()).await.unwrap();
}

#[tokio::test]
async fn dropped_long_polls_resume_from_the_cursor() {
    let server = server().await;
    let publisher = Publisher::new(&server);
    let pubnub = subscriber(&server);
    let mut sub = pubnub
        .subscribe()
        .with_statuses()
        .channels("live")
        .execute();
    within(sub.connected()).await.unwrap();
    for round in 0..3 {
        drop_held_poll(&server).await;
        let label = format!("round-{round}");
        publisher.publish("live", &json!(label)).await;
        exactly_once_then_end(&publisher, &mut sub, &label).await;
    }
}

#[tokio::test]
async fn server_stop_and_restart_lose_and_repeat_nothing() {
    let server = server().await;
    let publisher = Publisher::new(&server);
    let pubnub = subscriber(&server);
    let mut sub = pubnub
        .subscribe()
        .with_statuses()
        .channels("live")
        .execute();
    within(sub.connected()).await.unwrap();
    publisher.publish("live", &json!("before")).await;
    assert_eq!(next_message(&mut sub).await.payload, "before");
    server.stop().await;
    let outage = next_status(&mut sub, |_| true).await;
    assert_eq!(outage.category(), "NetworkIssues", "{outage:?}");
    server.restart().await.unwrap();
    publisher
        .publish("live", &json!("while reconnecting"))
        .await;
    next_status(&mut sub, |s| matches!(s, Status::Reconnected { .. })).await;
    exactly_once_then_end(&publisher, &mut sub, "while reconnecting").await;
}

#[tokio::test]
async fn gives_up_after_max_retries_then_reconnect_recovers() {
    let server = server().await;
    let publisher = Publisher::new(&server);
    let pubnub = subscriber_builder(&server, "fragile")
        .reconnection(
            RetryPolicy::linear(Duration::from_millis(50))
                .without_jitter()
                .max_retries(2),
        )
        .build()
        .unwrap();
    let mut statuses = pubnub.status_stream();
    let mut sub = pubnub
        .subscribe()
        .with_statuses()
        .channels("live")
        .execute();
    within(sub.connected()).await.unwrap();
    drop_held_poll(&server).await;
    server
        .faults()
        .fail_next(RouteClass::Subscribe, 10, 502, "bad gateway");
    let stop = next_status(&mut sub, |s| matches!(s, Status::Disconnected { .. })).await;
    assert_eq!(stop.error().and_then(RequestError::status), Some(502));
    let attempts = subscribe_requests(&server)
        .iter()
        .filter(|r| r.query_value("tt") != Some("0"))
        .count();
    assert_eq!(attempts, 1 + 2, "the dropped poll, then two retries");
    // the status stream saw the same story
    let mut seen = Vec::new();
    while seen.last() != Some(&"Disconnected") {
        seen.push(within(statuses.next()).await.unwrap().category());
    }
    assert_eq!(seen, ["Connected", "NetworkIssues", "Disconnected"]);

    // the subscription ended; a supervisor reconnects and subscribes again
    // and continues from the kept cursor
    assert!(within(sub.next()).await.is_none(), "ended after giving up");
    server.faults().clear();
    publisher.publish("live", &json!("missed while down")).await;
    pubnub.reconnect();
    let mut sub = within(pubnub.subscribe().with_statuses().channels("live"))
        .await
        .unwrap();
    exactly_once_then_end(&publisher, &mut sub, "missed while down").await;
}

#[tokio::test]
async fn access_denied_is_terminal_until_reconnect() {
    let server = server().await;
    let pubnub = subscriber(&server);
    server.faults().fail_next(
        RouteClass::Subscribe,
        1,
        403,
        r#"{"message":"Forbidden","payload":{"channels":["secret"]},"error":true,"service":"Access Manager","status":403}"#,
    );
    let mut sub = pubnub
        .subscribe()
        .with_statuses()
        .channels("secret")
        .execute();
    let error = within(sub.connected()).await.unwrap_err();
    assert_eq!(error.status().category(), "AccessDenied");
    assert!(error.to_string().contains("Forbidden"), "{error}");
    let status = next_status(&mut sub, |_| true).await;
    assert_eq!(status.category(), "AccessDenied");
    assert!(within(sub.next()).await.is_none(), "the subscription ended");
    // later subscriptions learn it too, without a request
    let late = pubnub
        .subscribe()
        .with_statuses()
        .channels("other")
        .execute();
    assert!(within(late.connected()).await.is_err());
    pubnub.reconnect();
    let again = within(pubnub.subscribe().with_statuses().channels("secret")).await;
    assert!(again.is_ok(), "{again:?}");
}

#[tokio::test]
async fn disconnect_stops_polling_and_reconnect_resumes() {
    let server = server().await;
    let publisher = Publisher::new(&server);
    let pubnub = subscriber(&server);
    let mut sub = pubnub
        .subscribe()
        .with_statuses()
        .channels("live")
        .execute();
    within(sub.connected()).await.unwrap();
    pubnub.disconnect();
    let status = next_status(&mut sub, |s| !matches!(s, Status::Connected { .. })).await;
    assert!(
        matches!(status, Status::Disconnected { error: None }),
        "{status:?}"
    );
    publisher
        .publish("live", &json!("while disconnected"))
        .await;
    pubnub.reconnect();
    next_status(&mut sub, |s| matches!(s, Status::Reconnected { .. })).await;
    exactly_once_then_end(&publisher, &mut sub, "while disconnected").await;
}

#[tokio::test]
async fn retries_wait_for_the_backoff_and_retry_after() {
    let server = server().await;
    let pubnub = subscriber_builder(&server, "patient")
        // Retry-After is honoured up to the policy's maximum delay (2 s here)
        .reconnection(
            RetryPolicy::exponential(Duration::from_millis(150), Duration::from_secs(2))
                .without_jitter(),
        )
        .build()
        .unwrap();
    server.faults().fail_next(RouteClass::Subscribe, 2, 503, "");
    let sub = pubnub
        .subscribe()
        .with_statuses()
        .channels("live")
        .execute();
    within(sub.connected()).await.unwrap();
    drop_held_poll(&server).await;
    server.faults().rate_limit_next(RouteClass::Subscribe, 1, 1);
    let times: Vec<SystemTime> = wait_subscribe_count(&server, 6)
        .await
        .iter()
        .map(|r| r.at)
        .collect();
    let gap = |a: usize, b: usize| times[b].duration_since(times[a]).unwrap_or_default();
    // handshake failed twice: 150 ms between attempts
    assert!(gap(0, 1) >= Duration::from_millis(150), "{:?}", gap(0, 1));
    assert!(gap(1, 2) >= Duration::from_millis(150), "{:?}", gap(1, 2));
    // request 3 is the held receive, dropped; 4 gets the 429; 5 waits Retry-After (1 s)
    assert!(gap(4, 5) >= Duration::from_secs(1), "{:?}", gap(4, 5));
}

/// With the clock paused, the waits between retries are exactly the policy's.
#[tokio::test(start_paused = true)]
async fn exponential_backoff_under_a_paused_clock() {
    let server = server().await;
    let pubnub = subscriber_builder(&server, "paused")
        .reconnection(
            RetryPolicy::exponential(Duration::from_secs(1), Duration::from_secs(60))
                .without_jitter()
                .max_retries(5),
        )
        .build()
        .unwrap();
    server.faults().fail_next(RouteClass::Subscribe, 3, 503, "");
    let mut sub = pubnub
        .subscribe()
        .with_statuses()
        .channels("slow")
        .execute();
    let first = next_status(&mut sub, |_| true).await;
    let failed_at = tokio::time::Instant::now();
    assert_eq!(first.category(), "UnexpectedDisconnect");
    next_status(&mut sub, |s| matches!(s, Status::Connected { .. })).await;
    let waited = failed_at.elapsed();
    // three failures: 1 s + 2 s + 4 s of backoff before the fourth attempt
    assert!(waited >= Duration::from_secs(7), "{waited:?}");
    assert!(waited < Duration::from_secs(8), "{waited:?}");
}

#[tokio::test]
async fn a_bad_request_is_terminal_and_keeps_the_server_message() {
    let server = server().await;
    let pubnub = subscriber(&server);
    server.faults().fail_next(
        RouteClass::Subscribe,
        1,
        400,
        r#"{"status":400,"error":true,"service":"Balancer","message":"Invalid Arguments"}"#,
    );
    let sub = pubnub.subscribe().with_statuses().channels("c").execute();
    let error = within(sub.connected()).await.unwrap_err();
    let Status::BadRequest { error } = error.status() else {
        panic!("{error:?}")
    };
    assert_eq!(error.server_message(), Some("Invalid Arguments"));
    assert_eq!(subscribe_requests(&server).len(), 1, "no retry after a 400");
}

/// More than the server's 100-message window piles up while disconnected:
/// the catch-up response is full, and the subscription hears a
/// `PossibleGap` before the first message it gets (#50), not just `Reconnected`.
#[tokio::test]
async fn a_full_catch_up_after_reconnect_reports_a_possible_gap() {
    let server = server().await;
    let publisher = Publisher::new(&server);
    let pubnub = subscriber(&server);
    let mut sub = pubnub
        .subscribe()
        .with_statuses()
        .channels("busy")
        .execute();
    within(sub.connected()).await.unwrap();
    publisher.publish("busy", &json!(-1)).await;
    let last_seen = next_message(&mut sub).await.timetoken;
    pubnub.disconnect();
    next_status(&mut sub, |s| matches!(s, Status::Disconnected { .. })).await;
    let mut published = Vec::new();
    for n in 0..150 {
        published.push(publisher.publish("busy", &json!(n)).await);
    }
    pubnub.reconnect();
    next_status(&mut sub, |s| matches!(s, Status::Reconnected { .. })).await;
    let gap = next_status(&mut sub, |_| true).await;
    let Status::PossibleGap { channels, from, to } = gap else {
        panic!("expected PossibleGap, got {gap:?}")
    };
    assert_eq!(channels, ["busy"]);
    assert_eq!(from, last_seen);
    assert_eq!(to.as_u64(), published[50]);
    let first = next_message(&mut sub).await;
    assert_eq!(first.payload, json!(50), "the server kept the last 100");
}

/// A 408 (request timeout from the server or a proxy) is a transient
/// failure: reported as `Timeout`, retried, and delivery goes on.
#[tokio::test]
async fn a_408_is_retried() {
    let server = server().await;
    let publisher = Publisher::new(&server);
    let pubnub = subscriber(&server);
    server
        .faults()
        .fail_next(RouteClass::Subscribe, 1, 408, "Request Timeout");
    let mut sub = pubnub
        .subscribe()
        .with_statuses()
        .channels("live")
        .execute();
    let outage = next_status(&mut sub, |_| true).await;
    assert!(matches!(outage, Status::Timeout { .. }), "{outage:?}");
    within(sub.connected()).await.unwrap();
    publisher.publish("live", &json!("after 408")).await;
    assert_eq!(next_message(&mut sub).await.payload, "after 408");
}
