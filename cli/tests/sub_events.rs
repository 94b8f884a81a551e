//! `pn sub`: presence lines and a clean exit on SIGINT.

mod common;

use common::{pn, Running};
use pubnub_devserver::RouteClass;
use pubnub_stream::PubNub;
use serde_json::Value;

/// The next stdout line of `sub` as JSON.
async fn next_event(sub: &mut Running) -> Value {
    let line = sub.stdout_line().await.expect("an event line");
    serde_json::from_str(&line).expect("each line is JSON")
}

#[tokio::test]
async fn presence_shows_another_clients_join_and_leave() {
    let server = common::server().await;
    let mut sub = Running::start(&mut pn(
        &server,
        ["sub", "room", "--presence", "--user-id", "watcher"],
    ));
    sub.stderr_until("pn: subscribed").await;

    let bob = PubNub::builder()
        .subscribe_key("demo")
        .user_id("bob")
        .origin(server.origin())
        .secure(false)
        .build()
        .expect("a client");
    let bob_in_room = bob
        .subscribe()
        .channels("room")
        .await
        .expect("bob subscribes");
    let mut events = Vec::new();
    let join = loop {
        let event = next_event(&mut sub).await;
        if event["uuid"] == "bob" {
            break event;
        }
        events.push(event); // the watcher's own join
    };
    assert_eq!(join["kind"], "presence");
    assert_eq!(join["action"], "join");
    assert_eq!(join["channel"], "room");
    assert!(
        join["timetoken"].as_str().is_some_and(|t| t.len() >= 17),
        "{join}"
    );

    drop(bob_in_room);
    let leave = next_event(&mut sub).await;
    assert_eq!(
        (&leave["action"], &leave["uuid"]),
        (&"leave".into(), &"bob".into()),
        "{leave}"
    );
    assert!(events.iter().all(|e| e["uuid"] == "watcher"), "{events:?}");
}

#[cfg(unix)]
#[tokio::test]
async fn sigint_unsubscribes_with_a_leave_and_exits_zero() {
    let server = common::server().await;
    let mut sub = Running::start(&mut pn(&server, ["sub", "chat", "--user-id", "leaver"]));
    sub.stderr_until("pn: subscribed").await;

    let pid = sub.child.id().expect("pn is running");
    let pid = libc::pid_t::try_from(pid).expect("a pid");
    // SAFETY: kill(2) with a child's pid and a valid signal number.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);

    let (status, stderr) = sub.finish().await;
    assert_eq!(status.code(), Some(0), "{stderr:?}");
    // pn exits only once its leave was answered: it is in the log already.
    let requests = server.requests();
    let left = requests.iter().any(|r| {
        r.class == Some(RouteClass::Presence)
            && r.path.ends_with("/channel/chat/leave")
            && r.query_value("uuid") == Some("leaver")
    });
    assert!(left, "no leave in the log: {requests:?}");
}
