//! Presence seen through subscriptions: a watcher subscribed `with_presence`
//! gets typed join, leave, timeout and state-change events for other clients.

mod common;

use std::time::Duration;

use common::*;
use pubnub_stream::{PresenceAction, PresenceEvent};
use serde_json::json;

fn by(uuid: &'static str) -> impl Fn(&PresenceEvent) -> bool {
    move |e| e.uuid() == Some(uuid)
}

#[tokio::test]
async fn a_watcher_sees_join_leave_and_timeout_with_occupancy() {
    let server = server_with(|b| b.presence_min_timeout(Duration::from_millis(100))).await;
    let (_watcher, mut presence) = watch(&server, &["room"]).await;

    let alice = subscriber_builder(&server, "alice").build().unwrap();
    let alice_sub = alice.subscribe().channels("room").execute();
    let join = next_presence(&mut presence, by("alice")).await;
    assert!(
        matches!(join.action, PresenceAction::Join { ref uuid, state: None } if uuid == "alice")
    );
    assert_eq!(
        (join.channel.as_str(), join.subscription.as_str()),
        ("room", "room")
    );
    assert_eq!(join.occupancy, 2, "the watcher and alice");
    assert!(join.timestamp > 0 && !join.timetoken.is_zero());

    drop(alice_sub); // the last subscription of `room` in alice's client: a leave
    let leave = next_presence(&mut presence, by("alice")).await;
    assert!(matches!(leave.action, PresenceAction::Leave { ref uuid } if uuid == "alice"));
    assert_eq!(leave.occupancy, 1);
    assert!(leave.timetoken > join.timetoken);

    // A peer that goes silent: a raw handshake announcing a 1 s presence
    // timeout (the client itself never goes under 20 s).
    let (status, _) = Publisher::new(&server)
        .get(&format!(
            "/v2/subscribe/{SUB_KEY}/room/0?tt=0&uuid=ghost&heartbeat=1"
        ))
        .await;
    assert_eq!(status, 200);
    let join = next_presence(&mut presence, by("ghost")).await;
    assert_eq!((join.action.name(), join.occupancy), ("join", 2));
    let timeout = next_presence(&mut presence, by("ghost")).await;
    assert!(matches!(timeout.action, PresenceAction::Timeout { ref uuid } if uuid == "ghost"));
    assert_eq!(timeout.occupancy, 1);
}

#[tokio::test]
async fn state_set_while_subscribed_is_announced_stored_and_resent() {
    let server = server().await;
    let (_watcher, mut presence) = watch(&server, &["room", "lobby"]).await;
    let alice = subscriber_builder(&server, "alice").build().unwrap();
    let alice_sub = alice.subscribe().channels("room").execute();
    within(alice_sub.connected()).await.unwrap();
    next_presence(&mut presence, |e| {
        e.uuid() == Some("alice") && e.action.name() == "join"
    })
    .await;

    let mood = json!({"mood": "happy"});
    within(alice.set_state().channels(["room"]).state(&mood))
        .await
        .unwrap();
    let change = next_presence(&mut presence, by("alice")).await;
    assert!(
        matches!(change.action, PresenceAction::StateChange { ref uuid, ref state } if uuid == "alice" && state == &mood)
    );
    let stored = within(alice.get_state().channels(["room"])).await.unwrap();
    assert_eq!(stored.get("room"), Some(&mood));

    // The next subscribe request (here: the mix grows) carries the state.
    let _more = alice.subscribe().channels("room2").execute();
    let resent = wait_subscribe(&server, |r| {
        r.query_value("uuid") == Some("alice") && channels_of(r) == "room,room2"
    })
    .await;
    let state: serde_json::Value =
        serde_json::from_str(resent.query_value("state").expect("state=")).unwrap();
    assert_eq!(state, json!({"room": mood}));

    // Subscribing with state: set it first, then the handshake carries it and
    // the watcher sees bob join with it.
    let bob = subscriber_builder(&server, "bob").build().unwrap();
    let busy = json!({"busy": true});
    within(bob.set_state().channels(["lobby"]).state(&busy))
        .await
        .unwrap();
    let _bob_sub = bob.subscribe().channels("lobby").execute();
    let join = next_presence(&mut presence, by("bob")).await;
    assert_eq!(join.channel, "lobby");
    assert_eq!(join.state(), Some(&busy));
    let handshake = wait_subscribe(&server, |r| r.query_value("uuid") == Some("bob")).await;
    assert_eq!(handshake.query_value("tt"), Some("0"));
    assert_eq!(
        handshake.query_value("state"),
        Some(r#"{"lobby":{"busy":true}}"#)
    );
    let watcher_requests = subscribe_requests(&server);
    assert!(watcher_requests
        .iter()
        .filter(|r| r.query_value("uuid") == Some("watcher"))
        .all(|r| r.query_value("state").is_none()));
}

#[tokio::test]
async fn a_channel_group_brings_messages_and_presence_of_its_channels() {
    let server = server().await;
    let publisher = Publisher::new(&server);
    publisher.add_to_group("friends", &["room", "den"]).await;
    let watcher = subscriber_builder(&server, "watcher").build().unwrap();
    let mut sub = watcher
        .subscribe()
        .channel_groups(["friends"])
        .with_presence()
        .execute();
    within(sub.connected()).await.unwrap();
    let requests = subscribe_requests(&server);
    assert_eq!(
        requests[0].query_value("channel-group"),
        Some("friends,friends-pnpres")
    );

    let alice = subscriber_builder(&server, "alice").build().unwrap();
    let _alice_sub = alice.subscribe().channels("den").execute();
    let join = within(async {
        loop {
            match futures::StreamExt::next(&mut sub).await {
                Some(pubnub_stream::Event::Presence(e)) if e.uuid() == Some("alice") => break e,
                Some(_) => continue,
                None => panic!("subscription ended"),
            }
        }
    })
    .await;
    assert_eq!(join.action.name(), "join");
    assert_eq!(
        (join.channel.as_str(), join.subscription.as_str()),
        ("den", "friends")
    );
    assert_eq!(
        join.occupancy, 2,
        "the group made the watcher present on den too"
    );

    publisher.publish("room", &json!("hello")).await;
    let message = next_message(&mut sub).await;
    assert_eq!(message.payload, "hello");
    assert_eq!(
        (message.channel.as_str(), message.subscription.as_str()),
        ("room", "friends")
    );
}
