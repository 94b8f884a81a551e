//! Which unsubscribes send a leave: only for names nobody else in the client
//! still subscribes to, never for presence-only names, never when suppressed.

mod common;

use common::*;
use pubnub_stream::PresenceAction;

fn leave_path(channels: &str) -> String {
    format!("/v2/presence/sub-key/{SUB_KEY}/channel/{channels}/leave")
}

#[tokio::test]
async fn only_dropping_the_last_subscription_of_a_name_leaves_it() {
    let server = server().await;
    let (_watcher, mut presence) = watch(&server, &["chat"]).await;
    let pubnub = subscriber_builder(&server, "alice").build().unwrap();
    let first = pubnub.subscribe().channels("chat").execute();
    let second = pubnub.subscribe().channels(["chat", "news"]).execute();
    within(second.connected()).await.unwrap();
    next_presence(&mut presence, |e| e.uuid() == Some("alice")).await;

    drop(first); // `second` still holds chat
    drop(second); // now chat and news are gone: one leave for both
    let leave = within(server.wait_for_request(|r| r.path.ends_with("/leave"))).await;
    assert_eq!(leave.path, leave_path("chat,news"));
    assert_eq!(leave.query_value("uuid"), Some("alice"));
    let gone = next_presence(&mut presence, |e| e.uuid() == Some("alice")).await;
    assert!(matches!(gone.action, PresenceAction::Leave { .. }));
    assert_eq!(
        presence_requests(&server, "/leave").len(),
        1,
        "dropping the first subscription sent no leave"
    );
}

#[tokio::test]
async fn unsubscribe_leaves_its_names_everywhere_but_not_presence_only_ones() {
    let server = server().await;
    let pubnub = subscriber(&server);
    let both = pubnub.subscribe().channels(["a", "b"]).execute();
    let _b = pubnub.subscribe().channels("b").execute();
    let _watch = pubnub.subscribe().channels("p-pnpres").execute();
    within(both.connected()).await.unwrap();
    // unsubscribe answers after its leave (if any) is done
    within(pubnub.unsubscribe().channels("p-pnpres"))
        .await
        .unwrap();
    assert!(
        presence_requests(&server, "/leave").is_empty(),
        "presence-only"
    );
    within(pubnub.unsubscribe().channels(["a", "b"]))
        .await
        .unwrap();
    let leaves = presence_requests(&server, "/leave");
    assert_eq!(leaves.len(), 1);
    assert_eq!(leaves[0].path, leave_path("a,b"));
}

#[tokio::test]
async fn suppressed_leaves_never_reach_the_server() {
    let server = server().await;
    let pubnub = subscriber_builder(&server, "quiet")
        .suppress_leave_events(true)
        .build()
        .unwrap();
    let sub = pubnub.subscribe().channels(["a", "b"]).execute();
    within(sub.connected()).await.unwrap();
    within(pubnub.unsubscribe().channels("a")).await.unwrap();
    within(pubnub.unsubscribe_all()).await.unwrap();
    let other = pubnub.subscribe().channels("c").execute();
    within(other.connected()).await.unwrap();
    drop(other);
    // the same client leaves explicitly: the only leave on the log
    within(pubnub.leave().channels(["marker"])).await.unwrap();
    let leaves = presence_requests(&server, "/leave");
    assert_eq!(leaves.len(), 1, "{leaves:?}");
    assert_eq!(leaves[0].path, leave_path("marker"));
}
