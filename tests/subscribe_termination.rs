//! Pipelines that cannot die silently: with a finite reconnection policy a
//! pipeline built on a subscription ends when the policy gives up, and the
//! reason is readable; with the default policy it survives a long outage.

mod common;

use std::time::Duration;

use common::*;
use futures::StreamExt;
use pubnub_devserver::RouteClass;
use pubnub_stream::{EventStreamExt, RetryPolicy, Status};
use serde::Deserialize;
use serde_json::json;

#[derive(Debug, Deserialize, PartialEq)]
struct Note {
    n: u32,
}

#[tokio::test(start_paused = true)]
async fn a_finite_policy_ends_the_pipeline_when_it_gives_up() {
    let server = server().await;
    let pubnub = subscriber_builder(&server, "finite")
        .reconnection(
            RetryPolicy::linear(Duration::from_secs(1))
                .without_jitter()
                .max_retries(3),
        )
        .build()
        .unwrap();
    let sub = within(pubnub.subscribe().channels("a")).await.unwrap();
    let ended = sub.termination();
    assert!(ended.reason().is_none());
    let pipeline = sub.messages().on_channel("a").typed::<Note>();
    wait_subscribe_count(&server, 2).await; // the long-poll is held
    server.stop().await;
    let started = tokio::time::Instant::now();
    let got: Vec<_> = within(pipeline.collect()).await;
    assert!(got.is_empty(), "{got:?}");
    let took = started.elapsed();
    assert!(took < Duration::from_secs(4), "three 1 s retries: {took:?}");
    let reason = ended.reason().expect("ended with a reason");
    assert!(
        matches!(reason, Status::Disconnected { error: Some(_) }),
        "{reason:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn the_default_policy_survives_a_three_minute_outage() {
    let server = server().await;
    let publisher = Publisher::new(&server);
    let pubnub = builder(&server).user_id("patient").build().unwrap();
    let sub = within(pubnub.subscribe().channels("a")).await.unwrap();
    let mut pipeline = sub.messages().on_channel("a").typed::<Note>();
    wait_subscribe_count(&server, 2).await;
    server.stop().await;
    // three minutes of (paused) outage: the engine keeps retrying meanwhile
    tokio::time::sleep(Duration::from_secs(180)).await;
    server.restart().await.unwrap();
    publisher.publish("a", &json!({"n": 7})).await;
    // the next retry may be up to 31 s away (30 s cap + jitter)
    let next = tokio::time::timeout(Duration::from_secs(120), pipeline.next())
        .await
        .expect("resumed by itself")
        .expect("the pipeline did not end")
        .expect("decodes");
    assert_eq!(next.payload, Note { n: 7 });
}

#[tokio::test]
async fn a_terminal_error_ends_every_derived_stream() {
    let server = server().await;
    let pubnub = subscriber(&server);
    let sub = within(pubnub.subscribe().channels("a")).await.unwrap();
    let other = within(pubnub.subscribe().channels("b")).await.unwrap();
    let (ended_a, ended_b) = (sub.termination(), other.termination());
    drop_held_poll(&server).await;
    server.faults().fail_next(
        RouteClass::Subscribe,
        1,
        403,
        r#"{"message":"Forbidden","error":true,"service":"Access Manager","status":403}"#,
    );
    let a: Vec<_> = within(sub.messages().collect()).await;
    let b: Vec<_> = within(other.presence().collect()).await;
    assert!(a.is_empty() && b.is_empty());
    for ended in [ended_a, ended_b] {
        assert_eq!(ended.reason().unwrap().category(), "AccessDenied");
    }
    // a subscription made now ends at once with the same reason
    let late = pubnub.subscribe().channels("c").execute();
    let late_end = late.termination();
    let rest: Vec<_> = within(late.collect()).await;
    assert_eq!(rest.len(), 1, "just the reason: {rest:?}");
    assert_eq!(late_end.reason().unwrap().category(), "AccessDenied");
    // a supervisor reconnects and subscribes again
    pubnub.reconnect();
    let again = within(pubnub.subscribe().channels("a")).await;
    assert!(again.is_ok(), "{again:?}");
}
