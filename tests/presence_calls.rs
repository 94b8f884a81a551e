//! here_now, where_now and state end to end against the dev server's presence.

mod common;

use std::collections::BTreeMap;

use common::{builder, client, server};
use pubnub_devserver::RouteClass;
use pubnub_stream::{HereNowResult, PubNub, RequestErrorKind};
use serde_json::json;

fn named(server: &pubnub_devserver::DevServer, user: &str) -> PubNub {
    builder(server).user_id(user).build().unwrap()
}

fn uuids(result: &HereNowResult, channel: &str) -> Vec<String> {
    result.channels[channel]
        .occupants
        .iter()
        .map(|o| o.uuid.clone())
        .collect()
}

#[tokio::test]
async fn here_now_one_channel_several_groups_and_global() {
    let server = server().await;
    let alice = named(&server, "alice");
    let bob = named(&server, "bob");
    alice.heartbeat().channels(["chat", "news"]).await.unwrap();
    bob.heartbeat().channels(["chat"]).await.unwrap();

    let one = alice.here_now().channels(["chat"]).await.unwrap();
    assert_eq!((one.total_channels, one.total_occupancy), (1, 2));
    assert_eq!(one.channels["chat"].occupancy, 2);
    assert_eq!(uuids(&one, "chat"), ["alice", "bob"]);

    let several = alice.here_now().channels(["chat", "news"]).await.unwrap();
    assert_eq!((several.total_channels, several.total_occupancy), (2, 3));
    assert_eq!(uuids(&several, "news"), ["alice"]);

    alice
        .add_channels_to_channel_group()
        .channel_group("g")
        .channels(["news"])
        .await
        .unwrap();
    let by_group = alice.here_now().channel_groups(["g"]).await.unwrap();
    assert_eq!(by_group.channels.keys().collect::<Vec<_>>(), ["news"]);
    let request = server
        .wait_for_request(|r| r.query_value("channel-group") == Some("g"))
        .await;
    assert_eq!(request.path, "/v2/presence/sub-key/sub-c-test/channel/,");

    let global = alice.here_now().include_uuids(false).await.unwrap();
    assert_eq!((global.total_channels, global.total_occupancy), (2, 3));
    assert!(global.channels["chat"].occupants.is_empty());
    assert_eq!(global.channels["chat"].occupancy, 2);
}

#[tokio::test]
async fn here_now_with_state_and_where_now() {
    let server = server().await;
    let alice = named(&server, "alice");
    let stored = alice
        .set_state()
        .channels(["chat"])
        .state(&json!({"mood": "happy"}))
        .await
        .unwrap();
    assert_eq!(stored, json!({"mood": "happy"}));
    named(&server, "bob")
        .heartbeat()
        .channels(["chat", "news"])
        .await
        .unwrap();

    let here = alice
        .here_now()
        .channels(["chat"])
        .include_state(true)
        .await
        .unwrap();
    let mut occupants = here.channels["chat"].occupants.clone();
    occupants.sort_by(|a, b| a.uuid.cmp(&b.uuid));
    assert_eq!(occupants[0].uuid, "alice");
    assert_eq!(occupants[0].state, Some(json!({"mood": "happy"})));
    assert_eq!(occupants[1].uuid, "bob");
    assert_eq!(occupants[1].state, None);

    assert_eq!(alice.where_now().await.unwrap(), ["chat"]);
    assert_eq!(
        alice.where_now().user_id("bob").await.unwrap(),
        ["chat", "news"]
    );
    assert!(alice
        .where_now()
        .user_id("nobody")
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn get_state_one_channel_several_and_another_user() {
    let server = server().await;
    let alice = named(&server, "alice");
    alice
        .set_state()
        .channels(["a", "b"])
        .state(&json!({"n": 1}))
        .await
        .unwrap();
    let one = alice.get_state().channels(["a"]).await.unwrap();
    assert_eq!(one, BTreeMap::from([("a".to_owned(), json!({"n": 1}))]));
    let both = alice.get_state().channels(["a", "b"]).await.unwrap();
    assert_eq!(both.len(), 2);
    assert_eq!(both["b"], json!({"n": 1}));

    let bob = named(&server, "bob");
    let seen_by_bob = bob
        .get_state()
        .channels(["a"])
        .user_id("alice")
        .await
        .unwrap();
    assert_eq!(seen_by_bob["a"], json!({"n": 1}));
    let bobs_own = bob.get_state().channels(["a"]).await.unwrap();
    assert_eq!(bobs_own["a"], json!({}));
}

#[tokio::test]
async fn state_set_on_a_group_applies_to_its_channels() {
    let server = server().await;
    let pubnub = client(&server);
    pubnub
        .add_channels_to_channel_group()
        .channel_group("fam")
        .channels(["x", "y"])
        .await
        .unwrap();
    pubnub
        .set_state()
        .channel_groups(["fam"])
        .state(&json!({"away": true}))
        .await
        .unwrap();
    let states = pubnub.get_state().channel_groups(["fam"]).await.unwrap();
    assert_eq!(
        states,
        BTreeMap::from([
            ("x".to_owned(), json!({"away": true})),
            ("y".to_owned(), json!({"away": true})),
        ])
    );
}

#[tokio::test]
async fn leave_removes_the_user() {
    let server = server().await;
    let pubnub = client(&server);
    pubnub.heartbeat().channels(["room"]).await.unwrap();
    assert_eq!(pubnub.where_now().await.unwrap(), ["room"]);
    pubnub.leave().channels(["room"]).await.unwrap();
    assert!(pubnub.where_now().await.unwrap().is_empty());
    let here = pubnub.here_now().channels(["room"]).await.unwrap();
    assert_eq!(here.total_occupancy, 0);
}

#[tokio::test]
async fn state_that_is_not_an_object_is_rejected_before_io() {
    let server = server().await;
    let pubnub = client(&server);
    for state in [json!("mood"), json!(1), json!([1, 2]), json!(null)] {
        let err = pubnub
            .set_state()
            .channels(["c"])
            .state(&state)
            .await
            .unwrap_err();
        assert!(
            matches!(err.kind(), RequestErrorKind::InvalidArgument { .. }),
            "{state}: {err:?}"
        );
    }
    assert!(server
        .requests()
        .iter()
        .all(|r| r.class != Some(RouteClass::Presence)));
}

#[tokio::test]
async fn presence_errors_are_typed() {
    let server = server().await;
    let wrong_key = builder(&server)
        .subscribe_key("sub-c-wrong")
        .build()
        .unwrap();
    let err = wrong_key.here_now().channels(["c"]).await.unwrap_err();
    assert!(
        matches!(err.kind(), RequestErrorKind::InvalidKey { .. }),
        "{err:?}"
    );

    let pubnub = client(&server);
    server
        .faults()
        .fail_next(RouteClass::Presence, 1, 200, r#"{"status":200}"#);
    let err = pubnub.where_now().await.unwrap_err();
    assert!(
        matches!(err.kind(), RequestErrorKind::InvalidResponse { .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn here_now_pages_with_limit_and_offset() {
    let server = server().await;
    for user in ["u1", "u2", "u3", "u4"] {
        named(&server, user)
            .heartbeat()
            .channels(["crowd"])
            .await
            .unwrap();
    }
    let pubnub = client(&server);
    let page = |offset| {
        pubnub
            .here_now()
            .channels(["crowd"])
            .limit(3)
            .offset(offset)
    };
    let first = page(0).await.unwrap();
    assert_eq!(first.channels["crowd"].occupancy, 4);
    assert_eq!(uuids(&first, "crowd"), ["u1", "u2", "u3"]);
    let second = page(3).await.unwrap();
    assert_eq!(uuids(&second, "crowd"), ["u4"]);
}

#[tokio::test]
async fn presence_calls_take_one_name_or_many() {
    let server = server().await;
    let alice = named(&server, "alice");
    let rooms: Vec<String> = (1..3).map(|n| format!("room-{n}")).collect();
    alice.heartbeat().channels("lobby").await.unwrap();
    alice.heartbeat().channels(&rooms).await.unwrap();
    alice
        .set_state()
        .channels("lobby")
        .channel_groups(Vec::<String>::new())
        .state(&json!({"mood": "ok"}))
        .await
        .unwrap();

    let lobby = alice.here_now().channels("lobby").await.unwrap();
    assert_eq!(lobby.channels.keys().collect::<Vec<_>>(), ["lobby"]);
    let both = alice
        .here_now()
        .channels(rooms.clone())
        .channels("lobby")
        .await
        .unwrap();
    assert_eq!(
        both.channels.keys().collect::<Vec<_>>(),
        ["lobby", "room-1", "room-2"]
    );
    let state = alice.get_state().channels("lobby").await.unwrap();
    assert_eq!(state["lobby"], json!({"mood": "ok"}));

    alice.leave().channels(rooms).await.unwrap();
    let left = server
        .wait_for_request(|r| r.path.ends_with("/leave"))
        .await;
    assert_eq!(
        left.path,
        "/v2/presence/sub-key/sub-c-test/channel/room-1,room-2/leave"
    );
}
