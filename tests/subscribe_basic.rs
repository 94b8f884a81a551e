//! Subscribing against the dev server: multiplexing, groups, wildcards,
//! filter expression, typed decoding, merging subscriptions.

mod common;

use common::*;
use futures::StreamExt;
use pubnub_stream::{Event, EventStreamExt, Status};
use serde_json::json;

#[tokio::test]
async fn multiplexed_channels_deliver_in_order_with_envelope_fields() {
    let server = server().await;
    let publisher = Publisher::new(&server);
    let pubnub = subscriber(&server);
    let mut sub = pubnub
        .subscribe()
        .with_statuses()
        .channels(["chat", "news"])
        .execute();
    within(sub.connected()).await.unwrap();
    let first = next_status(&mut sub, |s| matches!(s, Status::Connected { .. })).await;
    let Status::Connected { channels, groups } = first else {
        unreachable!()
    };
    assert_eq!(
        (channels, groups),
        (vec!["chat".to_owned(), "news".to_owned()], vec![])
    );
    let tt1 = publisher
        .publish_with("chat", &json!({"text": "one"}), "&meta=%7B%22k%22%3A1%7D")
        .await;
    let tt2 = publisher.publish("news", &json!("two")).await;
    publisher.signal("chat", &json!("typing")).await;
    let m1 = next_message(&mut sub).await;
    assert_eq!(
        (m1.channel.as_str(), m1.subscription.as_str()),
        ("chat", "chat")
    );
    assert_eq!(m1.timetoken.as_u64(), tt1);
    assert_eq!(m1.publisher.as_deref(), Some("publisher"));
    assert_eq!(m1.payload["text"], "one");
    assert_eq!(m1.user_metadata, Some(json!({"k": 1})));
    let m2 = next_message(&mut sub).await;
    assert_eq!((m2.channel.as_str(), m2.timetoken.as_u64()), ("news", tt2));
    let signal = within(sub.next()).await.unwrap();
    assert!(
        matches!(signal, Event::Signal(ref s) if s.payload == "typing"),
        "{signal:?}"
    );
}

#[tokio::test]
async fn channel_groups_route_by_group_name() {
    let server = server().await;
    let publisher = Publisher::new(&server);
    publisher.add_to_group("rooms", &["room-1", "room-2"]).await;
    let pubnub = subscriber(&server);
    let mut sub = pubnub.subscribe().channel_groups("rooms").execute();
    within(sub.connected()).await.unwrap();
    let request = wait_subscribe(&server, |r| r.query_value("channel-group").is_some()).await;
    assert_eq!(request.query_value("channel-group"), Some("rooms"));
    assert_eq!(channels_of(&request), ",");
    publisher.publish("room-2", &json!("hello room 2")).await;
    let m = next_message(&mut sub).await;
    assert_eq!(
        (m.channel.as_str(), m.subscription.as_str()),
        ("room-2", "rooms")
    );
}

#[tokio::test]
async fn wildcard_subscriptions_match_like_channels() {
    let server = server().await;
    let publisher = Publisher::new(&server);
    let pubnub = subscriber(&server);
    let mut sports = pubnub.subscribe().channels("sports.*").execute();
    within(sports.connected()).await.unwrap();
    publisher.publish("weather", &json!("not for us")).await;
    publisher.publish("sports.tennis", &json!("ace")).await;
    let m = next_message(&mut sports).await;
    assert_eq!(m.channel, "sports.tennis");
    assert_eq!(m.subscription, "sports.*");
    assert_eq!(m.payload, "ace");
}

#[tokio::test]
async fn filter_expression_and_heartbeat_reach_the_wire_encoded_once() {
    let server = server().await;
    let pubnub = subscriber_builder(&server, "filtered")
        .filter_expression("uuid != 'me' && meta.level > 5")
        .presence_timeout(std::time::Duration::from_secs(120))
        .build()
        .unwrap();
    let sub = pubnub.subscribe().channels("a~b").execute();
    within(sub.connected()).await.unwrap();
    let request = wait_subscribe(&server, |_| true).await;
    assert_eq!(
        request.query_value("filter-expr"),
        Some("uuid != 'me' && meta.level > 5")
    );
    assert_eq!(request.query_value("heartbeat"), Some("120"));
    assert_eq!(request.query_value("uuid"), Some("filtered"));
    assert_eq!(request.query_value("tt"), Some("0"));
    assert_eq!(channels_of(&request), "a~b");
}

#[derive(Debug, serde::Deserialize, PartialEq)]
struct Chat {
    user: String,
    text: String,
}

#[tokio::test]
async fn typed_stream_decodes_and_reports_a_bad_payload() {
    let server = server().await;
    let publisher = Publisher::new(&server);
    let pubnub = subscriber(&server);
    let sub = pubnub.subscribe().channels(["chat", "news"]).execute();
    within(sub.connected()).await.unwrap();
    let mut chat = sub.messages().on_channel("chat").typed::<Chat>();
    publisher
        .publish("news", &json!({"user": "x", "text": "ignored"}))
        .await;
    publisher
        .publish("chat", &json!({"user": "ann", "text": "hi"}))
        .await;
    publisher.publish("chat", &json!({"oops": true})).await;
    publisher
        .publish("chat", &json!({"user": "bob", "text": "still here"}))
        .await;
    let first = within(chat.next()).await.unwrap().unwrap();
    assert_eq!(
        first.payload,
        Chat {
            user: "ann".into(),
            text: "hi".into()
        }
    );
    let bad = within(chat.next()).await.unwrap().unwrap_err();
    assert_eq!(bad.message().payload, json!({"oops": true}));
    let third = within(chat.next()).await.unwrap().unwrap();
    assert_eq!(third.payload.user, "bob");
}

#[tokio::test]
async fn two_subscriptions_merge_with_select() {
    let server = server().await;
    let publisher = Publisher::new(&server);
    let pubnub = subscriber(&server);
    let a = pubnub.subscribe().channels("a").execute();
    let b = pubnub.subscribe().channels("b").execute();
    within(a.connected()).await.unwrap();
    within(b.connected()).await.unwrap();
    let mut merged = futures::stream::select(a.messages(), b.messages());
    publisher.publish("a", &json!(1)).await;
    publisher.publish("b", &json!(2)).await;
    let mut got = [
        within(merged.next()).await.unwrap(),
        within(merged.next()).await.unwrap(),
    ];
    got.sort_by_key(|m| m.channel.clone());
    assert_eq!((got[0].channel.as_str(), &got[0].payload), ("a", &json!(1)));
    assert_eq!((got[1].channel.as_str(), &got[1].payload), ("b", &json!(2)));
    // one long-poll for both: the latest request carries both channels
    let last = subscribe_requests(&server).pop().unwrap();
    assert_eq!(channels_of(&last), "a,b");
}

#[tokio::test]
async fn presence_events_arrive_without_the_suffix() {
    let server = server().await;
    let pubnub = subscriber(&server);
    let sub = pubnub
        .subscribe()
        .channels("lobby")
        .with_presence()
        .execute();
    within(sub.connected()).await.unwrap();
    let request = wait_subscribe(&server, |r| channels_of(r).contains("pnpres")).await;
    assert_eq!(channels_of(&request), "lobby,lobby-pnpres");
    server.publish_presence(
        SUB_KEY,
        "lobby",
        &json!({"action":"join","timestamp":1,"uuid":"zed","occupancy":7}),
    );
    let mut presence = sub.presence().on_channel("lobby");
    let event = loop {
        let e = within(presence.next()).await.unwrap();
        if e.uuid() == Some("zed") {
            break e;
        }
    };
    assert_eq!((event.channel.as_str(), event.occupancy), ("lobby", 7));
}

#[tokio::test]
async fn each_subscription_gets_only_its_own_channels() {
    let server = server().await;
    let publisher = Publisher::new(&server);
    let pubnub = subscriber(&server);
    let mut a = pubnub.subscribe().channels("a").execute();
    let mut b = pubnub.subscribe().channels("b").execute();
    within(a.connected()).await.unwrap();
    within(b.connected()).await.unwrap();
    for (channel, n) in [("a", 1), ("b", 1), ("a", 2), ("b", 2)] {
        publisher
            .publish(channel, &json!(format!("{channel}{n}")))
            .await;
    }
    assert_eq!(next_message(&mut a).await.payload, "a1");
    assert_eq!(next_message(&mut a).await.payload, "a2");
    assert_eq!(next_message(&mut b).await.payload, "b1");
    assert_eq!(next_message(&mut b).await.payload, "b2");
}

#[tokio::test]
async fn group_presence_is_routed_to_the_group() {
    let server = server().await;
    let publisher = Publisher::new(&server);
    publisher.add_to_group("rooms", &["room-1"]).await;
    let pubnub = subscriber(&server);
    let sub = pubnub
        .subscribe()
        .channel_groups("rooms")
        .with_presence()
        .execute();
    within(sub.connected()).await.unwrap();
    let request = wait_subscribe(&server, |r| r.query_value("channel-group").is_some()).await;
    assert_eq!(
        request.query_value("channel-group"),
        Some("rooms,rooms-pnpres")
    );
    server.publish_presence(
        SUB_KEY,
        "room-1",
        &json!({"action":"timeout","timestamp":1,"uuid":"gone","occupancy":0}),
    );
    let mut presence = sub.presence().on_subscription("rooms");
    let event = loop {
        let e = within(presence.next()).await.unwrap();
        if e.uuid() == Some("gone") {
            break e;
        }
    };
    assert_eq!(event.channel, "room-1");
    assert!(matches!(
        event.action,
        pubnub_stream::PresenceAction::Timeout { .. }
    ));
}

/// Statuses once: three merged subscriptions and the client's status stream
/// yield each connection status once, not once per subscription.
#[tokio::test]
async fn select_all_over_three_subscriptions_yields_each_status_once() {
    let server = server().await;
    let pubnub = subscriber(&server);
    let mut subs = Vec::new();
    for name in ["x", "y", "z"] {
        subs.push(within(pubnub.subscribe().channels(name)).await.unwrap());
    }
    let mut all = futures::stream::select(
        futures::stream::select_all(subs),
        pubnub.status_stream().events(),
    );
    drop_held_poll(&server).await;
    // something to answer the retried long-poll at once
    Publisher::new(&server).publish("x", &json!("wake")).await;
    let mut seen = Vec::new();
    within(async {
        while !seen.contains(&"Reconnected") {
            if let Some(Event::Status(status)) = all.next().await {
                seen.push(status.category());
            }
        }
    })
    .await;
    // `Connected` is the status stream's view of the state when it was made
    assert_eq!(seen, ["Connected", "NetworkIssues", "Reconnected"]);
}
