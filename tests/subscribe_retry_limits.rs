//! Server-requested and policy delays at their extremes (paused clock):
//! no overflow panic in the engine, and `Retry-After` capped at the
//! reconnection policy's maximum delay.

mod common;

use std::time::Duration;

use common::*;
use pubnub_devserver::RouteClass;
use pubnub_stream::{RetryPolicy, Status};

fn capped_at_20s() -> RetryPolicy {
    RetryPolicy::exponential(Duration::from_secs(1), Duration::from_secs(20))
        .without_jitter()
        .max_retries(5)
}

/// A 429 asking for `retry_after_secs`: the retry comes after the policy's
/// maximum (20 s, below the tests' 30 s safety net), not after the server's value.
async fn rate_limited_then_connected_within_the_cap(retry_after_secs: u64) {
    let server = server().await;
    let pubnub = subscriber_builder(&server, "limited")
        .reconnection(capped_at_20s())
        .build()
        .unwrap();
    server
        .faults()
        .rate_limit_next(RouteClass::Subscribe, 1, retry_after_secs);
    let mut sub = pubnub.subscribe().with_statuses().channels("c").execute();
    let first = next_status(&mut sub, |_| true).await;
    let failed_at = tokio::time::Instant::now();
    assert_eq!(first.category(), "UnexpectedDisconnect", "{first:?}");
    next_status(&mut sub, |s| matches!(s, Status::Connected { .. })).await;
    let waited = failed_at.elapsed();
    assert!(waited >= Duration::from_secs(20), "{waited:?}");
    assert!(waited < Duration::from_secs(21), "{waited:?}");
}

#[tokio::test(start_paused = true)]
async fn retry_after_an_hour_waits_the_policy_maximum() {
    rate_limited_then_connected_within_the_cap(3600).await;
}

#[tokio::test(start_paused = true)]
async fn retry_after_u64_max_neither_panics_nor_parks_forever() {
    rate_limited_then_connected_within_the_cap(u64::MAX).await;
}

/// `linear(Duration::MAX)` waits "forever", but the engine stays alive and
/// answers `disconnect()` with a status.
#[tokio::test(start_paused = true)]
async fn a_duration_max_policy_does_not_kill_the_engine() {
    let server = server().await;
    let pubnub = subscriber_builder(&server, "forever")
        .reconnection(RetryPolicy::linear(Duration::MAX))
        .build()
        .unwrap();
    server.faults().fail_next(RouteClass::Subscribe, 1, 503, "");
    let mut sub = pubnub.subscribe().with_statuses().channels("c").execute();
    let first = next_status(&mut sub, |_| true).await;
    assert_eq!(first.category(), "UnexpectedDisconnect", "{first:?}");
    pubnub.disconnect();
    let stopped = next_status(&mut sub, |_| true).await;
    assert!(
        matches!(stopped, Status::Disconnected { error: None }),
        "{stopped:?}"
    );
    pubnub.reconnect();
    next_status(&mut sub, |s| matches!(s, Status::Connected { .. })).await;
}
