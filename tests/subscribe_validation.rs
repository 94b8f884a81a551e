//! One bad subscription fails alone: invalid names are refused when the
//! subscription is created, and a request the server still rejects (400,
//! 414) ends only the subscriptions added since the last good request.

mod common;

use common::*;
use futures::StreamExt;
use pubnub_devserver::RouteClass;
use pubnub_stream::{Event, PubNub, RequestError, RequestErrorKind, Status, Subscription};
use serde_json::json;

/// A client with a connected subscription on `good`.
async fn good_subscription(server: &pubnub_devserver::DevServer) -> (PubNub, Subscription) {
    let pubnub = subscriber(server);
    let sub = pubnub.subscribe().channels("good").execute();
    within(sub.connected()).await.unwrap();
    (pubnub, sub)
}

/// `sub` yields a `BadRequest` status (after `Connected` when the client
/// was connected), then ends.
async fn ends_with_bad_request(mut sub: Subscription) -> (RequestErrorKind, Option<u16>) {
    let first = next_status(&mut sub, |s| !matches!(s, Status::Connected { .. })).await;
    let Status::BadRequest { error } = first else {
        panic!("expected BadRequest, got {first:?}")
    };
    let rest: Vec<Event> = within(sub.collect()).await;
    assert!(rest.is_empty(), "the failed subscription ends: {rest:?}");
    (error.kind().clone(), error.status())
}

/// The `good` subscription still receives what is published next.
async fn still_delivers(server: &pubnub_devserver::DevServer, good: &mut Subscription) {
    Publisher::new(server)
        .publish("good", &json!("still here"))
        .await;
    let m = next_message(good).await;
    assert_eq!(m.payload, "still here");
}

#[tokio::test]
async fn invalid_names_fail_only_their_subscription() {
    let long = "x".repeat(93);
    let many: Vec<String> = (0..5000).map(|n| format!("channel-{n}")).collect();
    let cases: Vec<Vec<String>> = vec![
        vec!["a b".into()],
        vec!["*".into()],
        vec!["a:b".into()],
        vec!["a.*.c".into()],
        vec![long],
        many,
    ];
    let server = server().await;
    let (pubnub, mut good) = good_subscription(&server).await;
    for names in cases {
        let shown = format!("{:.40}", names.join(","));
        let bad = pubnub.subscribe().channels(names).execute();
        let (kind, _) = ends_with_bad_request(bad).await;
        assert!(
            matches!(kind, RequestErrorKind::InvalidArgument { .. }),
            "{shown}: {kind:?}"
        );
        still_delivers(&server, &mut good).await;
    }
    let bad_group = pubnub.subscribe().channel_groups("g h").execute();
    ends_with_bad_request(bad_group).await;
    still_delivers(&server, &mut good).await;
}

#[tokio::test]
async fn a_400_for_a_new_subscription_ends_it_and_resumes_the_others() {
    let server = server().await;
    let (pubnub, mut good) = good_subscription(&server).await;
    wait_subscribe_count(&server, 2).await; // the long-poll after the handshake is held
    server.faults().fail_next(
        RouteClass::Subscribe,
        1,
        400,
        r#"{"status":400,"error":true,"service":"Balancer","message":"Invalid Arguments"}"#,
    );
    let newcomer = pubnub.subscribe().channels("newcomer").execute();
    let (_, status) = ends_with_bad_request(newcomer).await;
    assert_eq!(status, Some(400));
    still_delivers(&server, &mut good).await;
}

#[tokio::test]
async fn a_414_for_a_new_subscription_ends_it_and_resumes_the_others() {
    let server = server_builder().max_uri_bytes(2048).start().await.unwrap();
    let (pubnub, mut good) = good_subscription(&server).await;
    let many: Vec<String> = (0..300).map(|n| format!("room-{n}")).collect();
    let crowd = pubnub.subscribe().channels(many).execute();
    let mut crowd = crowd;
    let status = next_status(&mut crowd, |s| s.error().is_some()).await;
    assert_eq!(
        status.error().and_then(RequestError::status),
        Some(414),
        "{status:?}"
    );
    assert!(within(crowd.next()).await.is_none(), "the crowd ends");
    still_delivers(&server, &mut good).await;
}
