//! The publish sink against a real dev server: what is refused, what stops
//! it, and what happens when it is dropped.

mod common;

use std::time::Duration;

use common::*;
use futures::{SinkExt, StreamExt};
use pubnub_devserver::RouteClass;
use pubnub_stream::{PublishSinkError, RequestErrorKind};
use serde::{Serialize, Serializer};
use serde_json::Value;

#[tokio::test]
async fn a_403_stops_the_sink_and_hands_back_the_unsent_messages_in_order() {
    let server = sink_server().await;
    let pubnub = client(&server);
    let mut subscriber = RawSubscriber::start(&server, &["guarded"]).await;
    let mut sink = pubnub.publisher("guarded").sink::<u32>();
    let mut first = futures::stream::iter(0..2).map(Ok);
    within(sink.send_all(&mut first))
        .await
        .expect("before the fault");
    server.faults().fail_next(
        RouteClass::Publish,
        1,
        403,
        r#"{"message":"Forbidden","payload":{"channels":["guarded"]},"error":true,"service":"Access Manager","status":403}"#,
    );
    for i in 2..7 {
        within(sink.feed(i)).await.expect("accepted");
    }
    let error = within(sink.flush()).await.expect_err("the 403 is final");
    assert_eq!(error.error().and_then(|e| e.status()), Some(403));
    match error {
        PublishSinkError::Failed {
            channel,
            failed,
            unacknowledged,
            in_doubt,
            ..
        } => {
            assert_eq!(channel, "guarded");
            assert_eq!(failed, 2);
            assert_eq!(unacknowledged, [3, 4, 5, 6]);
            assert_eq!(in_doubt, 0, "one channel: the rest were never sent");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(matches!(
        within(sink.send(9)).await,
        Err(PublishSinkError::Terminated)
    ));
    let received = subscriber.collect(2).await;
    assert_eq!(
        payloads_on(&received, "guarded"),
        [Value::from(0), Value::from(1)]
    );
}

/// Serializes like a string, except `Broken`, which fails.
#[derive(Debug, Clone, PartialEq)]
enum Item {
    Text(String),
    Broken,
}

impl Serialize for Item {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Item::Text(text) => serializer.serialize_str(text),
            Item::Broken => Err(serde::ser::Error::custom("cannot serialize Broken")),
        }
    }
}

#[tokio::test]
async fn oversize_and_unserializable_items_are_refused_with_the_item_and_the_sink_goes_on() {
    let server = sink_server().await;
    let pubnub = client(&server);
    let mut subscriber = RawSubscriber::start(&server, &["refuse"]).await;
    let mut sink = pubnub.publisher("refuse").stop_on_reject().sink::<Item>();

    let huge = Item::Text("x".repeat(40_000));
    match within(sink.send(huge.clone())).await {
        Err(PublishSinkError::Rejected { item, error }) => {
            assert_eq!(item, huge);
            assert!(
                matches!(error.kind(), RequestErrorKind::MessageTooLarge { .. }),
                "{error:?}"
            );
        }
        other => panic!("unexpected {other:?}"),
    }
    match within(sink.send(Item::Broken)).await {
        Err(PublishSinkError::Rejected { item, error }) => {
            assert_eq!(item, Item::Broken);
            assert_eq!(error.kind(), &RequestErrorKind::Serialization);
        }
        other => panic!("unexpected {other:?}"),
    }
    within(sink.send(Item::Text("fine".into())))
        .await
        .expect("still open");
    let received = subscriber.collect(1).await;
    assert_eq!(payloads_on(&received, "refuse"), [Value::from("fine")]);
    assert_eq!(
        server
            .requests()
            .iter()
            .filter(|r| r.class == Some(RouteClass::Publish))
            .count(),
        1,
        "refused items never reached the server"
    );
}

#[tokio::test]
async fn a_dropped_sink_still_publishes_what_it_accepted() {
    let server = sink_server().await;
    server
        .faults()
        .delay(RouteClass::Publish, Duration::from_millis(10));
    let pubnub = client(&server);
    let mut subscriber = RawSubscriber::start(&server, &["orphan"]).await;
    let mut sink = pubnub.publisher("orphan").max_pending(16).sink::<u32>();
    let acks = sink.acks();
    for i in 0..10 {
        within(sink.feed(i)).await.expect("accepted");
    }
    assert!(sink.pending() > 0, "dropped with messages pending");
    drop(sink);
    let acks: Vec<_> = within(acks.collect()).await;
    assert_eq!(
        acks.len(),
        10,
        "the worker finished in the background, then the acks ended"
    );
    let received = subscriber.collect(10).await;
    assert_eq!(
        payloads_on(&received, "orphan"),
        (0..10).map(Value::from).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn forward_goes_on_past_a_rejected_item_which_comes_back_intact() {
    let server = sink_server().await;
    let pubnub = client(&server);
    let mut subscriber = RawSubscriber::start(&server, &["past"]).await;
    let mut sink = pubnub.publisher("past").sink::<Item>();
    let mut rejected = sink.rejected();
    let oversize = Item::Text("x".repeat(40_000));
    let input = [
        Item::Text("first".into()),
        oversize.clone(),
        Item::Broken,
        Item::Text("last".into()),
    ];
    within(futures::stream::iter(input).map(Ok).forward(sink))
        .await
        .expect("forward completes normally, every item read");
    let received = subscriber.collect(2).await;
    assert_eq!(
        payloads_on(&received, "past"),
        [Value::from("first"), Value::from("last")]
    );
    let too_large = within(rejected.next()).await.expect("the oversize item");
    assert_eq!(too_large.item, oversize, "handed back intact");
    assert!(matches!(
        too_large.error.kind(),
        RequestErrorKind::MessageTooLarge { .. }
    ));
    let broken = within(rejected.next()).await.expect("the broken item");
    assert_eq!(broken.item, Item::Broken);
    assert_eq!(broken.error.kind(), &RequestErrorKind::Serialization);
    assert!(
        within(rejected.next()).await.is_none(),
        "the stream ends with the sink"
    );
}

#[tokio::test]
async fn stop_on_reject_makes_forward_stop_at_the_first_rejected_item() {
    let server = sink_server().await;
    let pubnub = client(&server);
    let sink = pubnub.publisher("strict").stop_on_reject().sink::<Item>();
    let input = [
        Item::Text("first".into()),
        Item::Broken,
        Item::Text("never".into()),
    ];
    let error = within(futures::stream::iter(input).map(Ok).forward(sink))
        .await
        .expect_err("stops at Broken");
    assert!(!error.is_terminal());
    assert_eq!(error.into_items(), [Item::Broken]);
}

#[tokio::test]
async fn the_sink_error_says_what_failed_and_why_in_one_line_without_the_items() {
    let server = sink_server().await;
    let pubnub = client(&server);
    server.faults().fail_next(
        RouteClass::Publish,
        1,
        400,
        r#"{"message":"Invalid Arguments","error":true,"service":"Access Manager","status":400}"#,
    );
    let mut sink = pubnub.publisher("explain").sink::<String>();
    within(sink.feed("secret-one".to_string()))
        .await
        .expect("accepted");
    within(sink.feed("secret-two".to_string()))
        .await
        .expect("accepted");
    let error = within(sink.flush()).await.expect_err("the 400 is final");
    let cause = error.error().expect("a request error").to_string();
    let shown = error.to_string();
    assert!(!shown.contains('\n'), "{shown}");
    assert!(
        shown.starts_with("publish to channel \"explain\" failed"),
        "{shown}"
    );
    assert!(shown.ends_with(&format!(": {cause}")), "{shown}");
    assert!(
        shown.contains("1 other message(s) not acknowledged"),
        "{shown}"
    );
    let debug = format!("{error:?}");
    assert!(
        !debug.contains("secret") && !shown.contains("secret"),
        "{debug}"
    );
    assert!(debug.contains("unacknowledged: 1"), "{debug}");
}
