//! A hostile server (tests/common/hostile.rs, raw TCP, not a PubNub server):
//! every broken answer gets a typed error or status within the request
//! timeout, memory stays bounded by the response size limit, and a
//! subscription recovers without loss or repeats once the server is sane.

mod common;

use std::time::{Duration, Instant};

use common::{peak_rss_kib, reset_peak_rss, within, Answer, HostileServer};
use futures::StreamExt;
use pubnub_stream::{Event, PubNub, RequestErrorKind, RetryPolicy, Status};
use serde_json::json;

const TIMEOUT: Duration = Duration::from_secs(2);

fn client(server: &HostileServer) -> PubNub {
    PubNub::builder()
        .subscribe_key("sub-c-test")
        .publish_key("pub-c-test")
        .user_id("tester")
        .origin(server.origin())
        .secure(false)
        .request_timeout(TIMEOUT)
        .subscribe_timeout(TIMEOUT)
        .max_response_bytes(1024 * 1024)
        .reconnection(
            RetryPolicy::linear(Duration::from_millis(10))
                .without_jitter()
                .unlimited(),
        )
        .build()
        .expect("client builds")
}

/// The kind of error `answer` gives a `time()` call, checked to arrive
/// within the request timeout (plus scheduling slack), and the next call
/// succeeding.
async fn call_error(answer: Answer) -> RequestErrorKind {
    let server = HostileServer::start().await;
    let pubnub = client(&server);
    server.push(answer);
    let started = Instant::now();
    let err = within(pubnub.time())
        .await
        .expect_err("a hostile answer is an error");
    assert!(
        started.elapsed() < TIMEOUT + Duration::from_secs(1),
        "{answer:?} took {:?}",
        started.elapsed()
    );
    let _ = (err.to_string(), format!("{err:?}")); // printable
    assert!(
        !err.to_string().contains("secret"),
        "{answer:?}: no query secrets in {err}"
    );
    within(pubnub.time())
        .await
        .unwrap_or_else(|e| panic!("after {answer:?} the next call fails: {e}"));
    err.kind().clone()
}

/// What a `time()` call gets for each answer.
fn is_expected(answer: Answer, kind: &RequestErrorKind) -> bool {
    use RequestErrorKind as K;
    match answer {
        Answer::Truncated | Answer::ResetMidBody => matches!(kind, K::Network),
        Answer::LengthTooLong => matches!(kind, K::Timeout { .. }),
        Answer::Html502 => matches!(kind, K::Server { status: 502, .. }),
        Answer::Redirect => matches!(
            kind,
            K::Redirect { status: 301, location: Some(l) } if l == "http://elsewhere.example/x"
        ),
        Answer::EndlessBody | Answer::HundredMegabytes => {
            matches!(kind, K::ResponseTooLarge { limit: 1_048_576 })
        }
        Answer::LengthTooShort
        | Answer::NonUtf8
        | Answer::WrongTypes
        | Answer::HugeNumbers
        | Answer::Backwards => matches!(kind, K::InvalidResponse { .. }),
    }
}

#[tokio::test]
async fn each_broken_answer_to_a_call_is_a_typed_error_and_the_next_call_succeeds() {
    for answer in Answer::ALL {
        let kind = call_error(answer).await;
        assert!(is_expected(answer, &kind), "{answer:?} gave {kind:?}");
    }
}

#[tokio::test]
async fn a_100_mb_body_and_an_endless_body_keep_memory_bounded() {
    let server = HostileServer::start().await;
    // The default limit (documented on `max_response_bytes`).
    let pubnub = PubNub::builder()
        .subscribe_key("sub-c-test")
        .user_id("tester")
        .origin(server.origin())
        .secure(false)
        .request_timeout(TIMEOUT)
        .build()
        .expect("client builds");
    let before = reset_peak_rss().then(peak_rss_kib).flatten();
    for answer in [Answer::HundredMegabytes, Answer::EndlessBody] {
        server.push(answer);
        let err = within(pubnub.time()).await.expect_err("too large");
        assert!(
            matches!(err.kind(), RequestErrorKind::ResponseTooLarge { .. }),
            "{answer:?}: {err}"
        );
    }
    within(pubnub.time()).await.expect("recovers");
    if let (Some(before), Some(after)) = (before, peak_rss_kib()) {
        // Unbounded buffering peaked at 260 MB for the 100 MB body alone.
        let grown = after.saturating_sub(before);
        assert!(grown < 64 * 1024, "peak RSS grew by {grown} KiB");
    }
}

#[tokio::test]
async fn a_publish_gets_a_typed_error_and_the_next_publish_succeeds() {
    let server = HostileServer::start().await;
    let pubnub = client(&server);
    for answer in [Answer::Html502, Answer::Truncated, Answer::NonUtf8] {
        server.push(answer);
        let err = within(pubnub.publish().channel("c").message("hi"))
            .await
            .expect_err("hostile");
        let _ = err.to_string();
        within(pubnub.publish().channel("c").message("hi"))
            .await
            .unwrap_or_else(|e| panic!("after {answer:?}: {e}"));
    }
}

/// Reads the subscription until the message with `index` arrives; every
/// message on the way is recorded, and statuses and malformed envelopes
/// are counted as reports.
async fn read_until(
    sub: &mut pubnub_stream::Subscription,
    index: u64,
    received: &mut Vec<u64>,
) -> Vec<String> {
    let mut reports = Vec::new();
    within(async {
        loop {
            match sub.next().await {
                Some(Event::Message(m)) => {
                    let Some(i) = m.payload["i"].as_u64() else {
                        panic!("a message that was never published: {m:?}");
                    };
                    received.push(i);
                    if i == index {
                        return;
                    }
                }
                Some(Event::Status(s)) => reports.push(s.category().to_owned()),
                Some(Event::Malformed(bad)) => reports.push(format!("Malformed: {}", bad.error())),
                Some(_) => {}
                None => panic!(
                    "the subscription ended: {:?} after {reports:?}",
                    sub.termination().reason()
                ),
            }
        }
    })
    .await;
    reports
}

#[tokio::test]
async fn a_subscription_reports_each_broken_answer_and_recovers_without_loss_or_repeats() {
    let server = HostileServer::start().await;
    let pubnub = client(&server);
    let mut sub = within(pubnub.subscribe().with_statuses().channels("c"))
        .await
        .expect("connects");
    let mut received = Vec::new();
    server.publish(&json!({ "i": 0 }));
    read_until(&mut sub, 0, &mut received).await;
    let answers = Answer::ALL;
    for (i, answer) in (1u64..).zip(answers) {
        server.push(answer);
        // Publish once the hostile answer went out, so it cannot be skipped.
        common::eventually(|| (server.pending() == 0).then_some(())).await;
        server.publish(&json!({ "i": i }));
        let started = Instant::now();
        let reports = read_until(&mut sub, i, &mut received).await;
        eprintln!("{answer:?}: {reports:?}");
        assert!(
            started.elapsed() < TIMEOUT * 2 + Duration::from_secs(1),
            "{answer:?}: recovery took {:?}",
            started.elapsed()
        );
        let reported = reports.iter().any(|r| {
            r.starts_with("Malformed")
                || ["UnexpectedDisconnect", "Timeout", "NetworkIssues"].contains(&r.as_str())
        });
        assert!(reported, "{answer:?} was not reported: {reports:?}");
        if answer != Answer::NonUtf8 {
            assert!(
                reports.iter().any(|r| r == "Reconnected"),
                "{answer:?}: no recovery status: {reports:?}"
            );
        }
    }
    assert_eq!(server.served(), answers.len());
    let expected: Vec<u64> = (0..=answers.len() as u64).collect();
    assert_eq!(received, expected, "every message once, in order");
    assert!(
        !matches!(
            pubnub_stream::Subscription::termination(&sub).reason(),
            Some(Status::Disconnected { .. })
        ),
        "still running"
    );
}

/// A `Retry-After` of u64::MAX seconds used to park the publish sink for
/// good (it honoured any server delay); it is capped at the policy's maximum.
#[tokio::test]
async fn a_huge_retry_after_does_not_park_the_publish_sink() {
    use futures::SinkExt;
    let server = common::server().await;
    let pubnub = common::client(&server);
    let mut sink = pubnub
        .publisher("c")
        .retry(RetryPolicy::linear(Duration::from_millis(20)).without_jitter())
        .sink::<String>();
    server
        .faults()
        .rate_limit_next(pubnub_devserver::RouteClass::Publish, 1, u64::MAX);
    // The sink cuts the server's wait to 5 s (its floor; the policy's 20 ms is less).
    let sent = tokio::time::timeout(Duration::from_secs(30), async {
        sink.send("hi".to_owned()).await?;
        sink.close().await
    })
    .await;
    assert!(matches!(sent, Ok(Ok(()))), "the sink is parked: {sent:?}");
}
