//! `pubnub.history(..)`: stored messages as a stream, across pages, one page
//! requested at a time as the consumer takes them.

mod common;

use common::{client, server, within};
use futures::{StreamExt, TryStreamExt};
use pubnub_devserver::{DevServer, RouteClass};
use pubnub_stream::history::Direction;
use pubnub_stream::{PubNub, RequestErrorKind, RetryPolicy, Timetoken};

async fn publish_many(pubnub: &PubNub, channel: &str, n: u64) -> Vec<Timetoken> {
    let mut tts = Vec::new();
    for i in 0..n {
        let sent = within(pubnub.publish().channel(channel).message(&i))
            .await
            .expect("publish");
        tts.push(sent.timetoken);
    }
    tts
}

fn history_requests(server: &DevServer) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.class == Some(RouteClass::History))
        .count()
}

#[tokio::test]
async fn a_thousand_messages_across_pages_each_page_requested_when_consumed() {
    let server = server().await;
    let pubnub = client(&server);
    let tts = publish_many(&pubnub, "big", 1000).await;
    let mut stream = pubnub.history("big").include_meta(true);
    assert_eq!(
        history_requests(&server),
        0,
        "lazy: nothing before the first poll"
    );
    let mut got = Vec::new();
    while let Some(item) = within(stream.next()).await {
        let stored = item.expect("no error");
        got.push(stored.message.timetoken);
        let taken = got.len();
        // The page holding message `taken` is page ceil(taken / 100): no
        // request has been made for the pages behind it.
        assert_eq!(
            history_requests(&server),
            taken.div_ceil(100),
            "after taking {taken} messages"
        );
    }
    let mut expected = tts.clone();
    expected.reverse();
    assert_eq!(got, expected, "all 1000, newest first, once each");
    // 10 full pages, then one that finds nothing: a full page may have more
    // behind it (the service does not always say `more`), so the stream
    // asks once more at the end.
    assert_eq!(history_requests(&server), 11);
    let starts: Vec<Option<String>> = server
        .requests()
        .iter()
        .filter(|r| r.class == Some(RouteClass::History))
        .map(|r| r.query_value("start").map(str::to_owned))
        .collect();
    assert_eq!(starts[0], None);
    assert_eq!(starts[1].as_deref(), Some(tts[900].to_string().as_str()));
}

#[tokio::test]
async fn oldest_first_in_a_time_range_with_a_limit() {
    let server = server().await;
    let pubnub = client(&server);
    let tts = publish_many(&pubnub, "fw", 250).await;
    let got: Vec<Timetoken> = within(
        pubnub
            .history("fw")
            .after(tts[9])
            .before(tts[240])
            .direction(Direction::OldestFirst)
            .page_size(100)
            .map_ok(|m| m.message.timetoken)
            .try_collect::<Vec<_>>(),
    )
    .await
    .expect("history");
    assert_eq!(
        got,
        tts[10..240].to_vec(),
        "exclusive at both ends, in order"
    );
    let limited: Vec<u64> = within(
        pubnub
            .history("fw")
            .direction(Direction::OldestFirst)
            .limit(150)
            .and_then(|m| async move { Ok(m.decode::<u64>().expect("number")) })
            .try_collect::<Vec<_>>(),
    )
    .await
    .expect("history");
    assert_eq!(limited, (0..150).collect::<Vec<u64>>());
    let newest: Vec<Timetoken> = within(
        pubnub
            .history("fw")
            .before(tts[5])
            .map_ok(|m| m.message.timetoken)
            .try_collect::<Vec<_>>(),
    )
    .await
    .expect("history");
    assert_eq!(newest, tts[..5].iter().rev().copied().collect::<Vec<_>>());
}

#[tokio::test]
async fn retryable_failures_are_retried_then_yielded_as_the_last_item() {
    let server = server().await;
    let pubnub = client(&server);
    publish_many(&pubnub, "r", 3).await;
    let fast = RetryPolicy::linear(std::time::Duration::from_millis(1))
        .without_jitter()
        .max_retries(2);
    server.faults().fail_next(RouteClass::History, 2, 503, "");
    let got: Vec<_> = within(pubnub.history("r").retry(fast.clone()).collect::<Vec<_>>()).await;
    assert_eq!(got.len(), 3, "two failures retried in place: {got:?}");
    assert!(got.iter().all(Result::is_ok));

    server.faults().fail_next(RouteClass::History, 3, 503, "");
    let mut stream = pubnub.history("r").retry(fast);
    let first = within(stream.next()).await.expect("an item");
    let err = first.expect_err("the policy gave up");
    assert!(matches!(
        err.kind(),
        RequestErrorKind::Server { status: 503, .. }
    ));
    assert!(
        within(stream.next()).await.is_none(),
        "the error ends the stream"
    );

    server.faults().fail_next(
        RouteClass::History,
        1,
        403,
        r#"{"status":403,"error":true,"error_message":"Forbidden","channels":{}}"#,
    );
    let mut stream = pubnub.history("r");
    let err = within(stream.next())
        .await
        .expect("an item")
        .expect_err("403");
    assert!(matches!(err.kind(), RequestErrorKind::AccessDenied { .. }));
    assert!(within(stream.next()).await.is_none());

    // An error status in a 200 body is an error too.
    server.faults().fail_next(
        RouteClass::History,
        1,
        200,
        r#"{"status":403,"error":true,"error_message":"Forbidden","channels":{}}"#,
    );
    let err = within(pubnub.history("r").next())
        .await
        .expect("an item")
        .expect_err("403 in the body");
    assert!(matches!(err.kind(), RequestErrorKind::AccessDenied { .. }));
}
