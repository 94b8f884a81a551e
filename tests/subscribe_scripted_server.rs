//! Server behaviour the dev server does not reproduce, played by a tiny
//! scripted HTTP server (response shapes of protocol §7.3):
//! - a cursor that goes to 0 or backwards after the handshake: the client
//!   keeps its cursor, reports the glitch and retries from it;
//! - presence events the real server sends to a wildcard subscription
//!   (`c` = `demo.room-pnpres`, `b` = `demo.*`) without `with_presence()`:
//!   delivered, not dropped.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use futures::StreamExt;
use pubnub_stream::{Event, EventStreamExt, PresenceAction, PubNub, RetryPolicy, Status};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

/// Answers each request with the next body of `script` (then holds the
/// connection open, like an idle long-poll); sends each request's target.
async fn scripted_server(script: Vec<String>) -> (String, mpsc::UnboundedReceiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = listener.local_addr().unwrap().to_string();
    let (seen, targets) = mpsc::unbounded_channel();
    let script = Arc::new(Mutex::new(script.into_iter()));
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let (seen, script) = (seen.clone(), script.clone());
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if socket.read(&mut byte).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                let text = String::from_utf8_lossy(&head).into_owned();
                let target = text.split(' ').nth(1).unwrap_or_default().to_owned();
                let _ = seen.send(target);
                let next = script.lock().unwrap().next();
                let Some(body) = next else {
                    std::future::pending::<()>().await;
                    return;
                };
                let reply = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(reply.as_bytes()).await;
            });
        }
    });
    (origin, targets)
}

fn response(cursor: u64, messages: &[(u64, &str)]) -> String {
    let m: Vec<String> = messages
        .iter()
        .map(|(tt, payload)| {
            format!(r#"{{"a":"1","f":0,"p":{{"t":"{tt}","r":1}},"k":"k","c":"c","d":"{payload}"}}"#)
        })
        .collect();
    format!(r#"{{"t":{{"t":"{cursor}","r":1}},"m":[{}]}}"#, m.join(","))
}

fn client_of(origin: String) -> PubNub {
    PubNub::builder()
        .subscribe_key(SUB_KEY)
        .user_id("u")
        .origin(origin)
        .secure(false)
        .reconnection(RetryPolicy::linear(Duration::from_millis(10)).without_jitter())
        .build()
        .unwrap()
}

async fn glitch_is_refused(glitch: u64) {
    let (origin, mut targets) = scripted_server(vec![
        response(1000, &[]),
        response(glitch, &[(500, "stale")]),
        response(2000, &[(1500, "fresh")]),
    ])
    .await;
    let pubnub = client_of(origin);
    let mut sub = pubnub.subscribe().with_statuses().channels("c").execute();
    let glitched = next_status(&mut sub, |s| !matches!(s, Status::Connected { .. })).await;
    assert_eq!(glitched.category(), "UnexpectedDisconnect", "{glitched:?}");
    assert!(
        glitched.error().unwrap().to_string().contains("cursor"),
        "{glitched:?}"
    );
    let m = next_message(&mut sub).await;
    assert_eq!(
        m.payload, "fresh",
        "the glitching response is not delivered"
    );
    let mut seen = Vec::new();
    for _ in 0..3 {
        seen.push(within(targets.recv()).await.unwrap());
    }
    assert!(seen[0].contains("tt=0"), "{seen:?}");
    assert!(seen[1].contains("tt=1000"), "{seen:?}");
    assert!(
        seen[2].contains("tt=1000"),
        "the old cursor is kept: {seen:?}"
    );
}

#[tokio::test]
async fn a_cursor_that_goes_to_zero_is_refused() {
    glitch_is_refused(0).await;
}

#[tokio::test]
async fn a_cursor_that_goes_backwards_is_refused() {
    glitch_is_refused(10).await;
}

#[tokio::test]
async fn wildcard_presence_is_delivered_without_with_presence() {
    let join = r#"{"t":{"t":"2000","r":1},"m":[{"a":"1","f":0,"p":{"t":"1500","r":1},"k":"k",
        "c":"demo.room-pnpres","b":"demo.*",
        "d":{"action":"join","uuid":"alice","timestamp":1700000000,"occupancy":1}}]}"#;
    let (origin, _targets) = scripted_server(vec![response(1000, &[]), join.to_owned()]).await;
    let pubnub = client_of(origin);
    let sub = pubnub.subscribe().channels("demo.*").execute();
    let mut presence = sub.presence();
    let event = within(presence.next()).await.expect("delivered");
    assert_eq!(event.channel, "demo.room");
    assert_eq!(event.subscription, "demo.*");
    assert!(
        matches!(&event.action, PresenceAction::Join { uuid, .. } if uuid == "alice"),
        "{event:?}"
    );
}

/// The raw `Event` stream has it too (not only the `presence()` view).
#[tokio::test]
async fn wildcard_presence_is_an_event_of_the_subscription() {
    let leave = r#"{"t":{"t":"2000","r":1},"m":[{"a":"1","f":0,"p":{"t":"1500","r":1},"k":"k",
        "c":"demo.a.b-pnpres","b":"demo.*",
        "d":{"action":"leave","uuid":"bob","timestamp":1700000000,"occupancy":0}}]}"#;
    let (origin, _targets) = scripted_server(vec![response(1000, &[]), leave.to_owned()]).await;
    let pubnub = client_of(origin);
    let mut sub = pubnub.subscribe().channels("demo.*").execute();
    let event = within(async {
        loop {
            match sub.next().await {
                Some(Event::Status(_)) => continue,
                other => return other,
            }
        }
    })
    .await;
    assert!(matches!(event, Some(Event::Presence(_))), "{event:?}");
}
