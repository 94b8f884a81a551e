//! Callback listeners and the client-wide status stream.

mod common;

use common::*;
use futures::StreamExt;
use pubnub_stream::subscribe::SubscribeCallback;
use pubnub_stream::{Message, PresenceEvent, Status};
use serde_json::json;
use tokio::sync::mpsc;

struct Forward(mpsc::UnboundedSender<String>);

impl SubscribeCallback for Forward {
    fn status(&mut self, status: &Status) {
        let _ = self.0.send(format!("status {}", status.category()));
    }
    fn message(&mut self, message: &Message) {
        let _ = self
            .0
            .send(format!("message {} {}", message.channel, message.payload));
    }
    fn signal(&mut self, signal: &Message) {
        let _ = self.0.send(format!("signal {}", signal.payload));
    }
    fn presence(&mut self, presence: &PresenceEvent) {
        let _ = self.0.send(format!("presence {}", presence.action.name()));
    }
}

async fn next_line(rx: &mut mpsc::UnboundedReceiver<String>) -> String {
    within(rx.recv()).await.expect("listener alive")
}

#[tokio::test]
async fn listeners_see_every_event_until_removed() {
    let server = server().await;
    let publisher = Publisher::new(&server);
    let pubnub = subscriber(&server);
    let (tx, mut rx) = mpsc::unbounded_channel();
    let id = pubnub.add_listener(Forward(tx));
    let a = pubnub.subscribe().channels("a").with_presence().execute();
    let b = pubnub.subscribe().channels("b").execute();
    within(a.connected()).await.unwrap();
    within(b.connected()).await.unwrap();
    assert_eq!(next_line(&mut rx).await, "status Connected");
    publisher.publish("a", &json!(1)).await;
    publisher.signal("b", &json!("s")).await;
    server.publish_presence(
        SUB_KEY,
        "a",
        &json!({"action":"leave","timestamp":1,"uuid":"u","occupancy":0}),
    );
    let mut lines = Vec::new();
    while lines.len() < 3 {
        let line = next_line(&mut rx).await;
        if !line.starts_with("status") {
            lines.push(line);
        }
    }
    assert_eq!(lines, ["message a 1", "signal \"s\"", "presence leave"]);
    assert!(pubnub.remove_listener(id));
    assert!(!pubnub.remove_listener(id));
    // the listener task is gone: its sender is dropped (a hang here fails the test)
    while within(rx.recv()).await.is_some() {}
}

#[tokio::test]
async fn the_status_stream_sees_statuses_of_all_subscriptions() {
    let server = server().await;
    let pubnub = subscriber(&server);
    let mut statuses = pubnub.status_stream();
    let sub = pubnub.subscribe().channels("one").execute();
    within(sub.connected()).await.unwrap();
    let first = within(statuses.next()).await.unwrap();
    assert!(matches!(first, Status::Connected { ref channels, .. } if channels == &["one"]));
    let other = pubnub.subscribe().channels("two").execute();
    within(other.connected()).await.unwrap();
    let second = within(statuses.next()).await.unwrap();
    assert!(
        matches!(second, Status::Connected { ref channels, .. } if channels == &["one", "two"]),
        "{second:?}"
    );
    drop(other);
    let third = within(statuses.next()).await.unwrap();
    assert!(matches!(third, Status::Connected { ref channels, .. } if channels == &["one"]));
}
