//! Unit tests for the event types and combinators.

use futures::stream::{self, FusedStream, Stream, StreamExt};
use serde_json::json;

use super::combinators::*;
use super::*;

fn assert_send_sync_unpin<T: Send + Sync + Unpin>() {}

#[test]
fn public_types_are_send_sync_unpin() {
    type Src = stream::Iter<std::vec::IntoIter<Event>>;
    type MsgSrc = Messages<Src>;
    assert_send_sync_unpin::<Event>();
    assert_send_sync_unpin::<Message>();
    assert_send_sync_unpin::<TypedMessage<String>>();
    assert_send_sync_unpin::<PresenceEvent>();
    assert_send_sync_unpin::<Status>();
    assert_send_sync_unpin::<DecodeError>();
    assert_send_sync_unpin::<UnknownEvent>();
    assert_send_sync_unpin::<Messages<Src>>();
    assert_send_sync_unpin::<Signals<Src>>();
    assert_send_sync_unpin::<Presence<Src>>();
    assert_send_sync_unpin::<Statuses<Src>>();
    assert_send_sync_unpin::<OnChannel<Src>>();
    assert_send_sync_unpin::<OnSubscription<Src>>();
    assert_send_sync_unpin::<Subscription>();
    assert_send_sync_unpin::<StatusStream>();
    assert_send_sync_unpin::<SubscribeBuilder>();
    assert_send_sync_unpin::<UnsubscribeBuilder>();
    assert_send_sync_unpin::<ConnectError>();
    assert_send_sync_unpin::<ListenerId>();
    fn assert_send<T: Send>(_: &T) {}
    let client = crate::client::PubNub::builder()
        .subscribe_key("s")
        .user_id("u")
        .build()
        .unwrap();
    assert_send(&std::future::IntoFuture::into_future(client.unsubscribe()));
    assert_send(&client.unsubscribe_all());
    // `Typed` is Send/Sync/Unpin whatever the payload type is.
    assert_send_sync_unpin::<Typed<MsgSrc, std::rc::Rc<String>>>();
}

fn mixed() -> Vec<Event> {
    let mut grouped = Message::new("chat", json!({"text": "via group"}));
    grouped.subscription = "rooms".into();
    vec![
        Event::Status(Status::Connected {
            channels: vec!["chat".into()],
            groups: vec![],
        }),
        Event::Message(Message::new("chat", json!({"text": "hi"}))),
        Event::Signal(Message::new("chat", json!("typing"))),
        Event::Presence(PresenceEvent::new(
            "chat",
            PresenceAction::Join {
                uuid: "bob".into(),
                state: None,
            },
        )),
        Event::Message(Message::new("news", json!({"text": "extra"}))),
        Event::Message(grouped),
        Event::Message(Message::new("chat", json!(17))),
        Event::Status(Status::Lagged { missed: 2 }),
    ]
}

#[tokio::test]
async fn each_variant_filter_keeps_only_its_variant() {
    let messages: Vec<_> = stream::iter(mixed()).messages().collect().await;
    assert_eq!(messages.len(), 4);
    let signals: Vec<_> = stream::iter(mixed()).signals().collect().await;
    assert_eq!(signals.len(), 1);
    assert_eq!(signals[0].payload, "typing");
    let presence: Vec<_> = stream::iter(mixed()).presence().collect().await;
    assert_eq!(presence.len(), 1);
    assert_eq!(presence[0].uuid(), Some("bob"));
    let statuses: Vec<_> = stream::iter(mixed()).statuses().collect().await;
    let categories: Vec<_> = statuses.iter().map(Status::category).collect();
    assert_eq!(categories, ["Connected", "Lagged"]);
}

#[tokio::test]
async fn on_channel_and_on_subscription_filter_by_name() {
    let on_chat: Vec<_> = stream::iter(mixed()).on_channel("chat").collect().await;
    // message, signal, presence, grouped message, numeric message
    assert_eq!(on_chat.len(), 5);
    let via_rooms: Vec<_> = stream::iter(mixed())
        .messages()
        .on_subscription("rooms")
        .collect()
        .await;
    assert_eq!(via_rooms.len(), 1);
    assert_eq!(via_rooms[0].payload["text"], "via group");
    let presence_on_news: Vec<_> = stream::iter(mixed())
        .presence()
        .on_channel("news")
        .collect()
        .await;
    assert!(presence_on_news.is_empty());
}

#[derive(Debug, serde::Deserialize, PartialEq)]
struct Chat {
    text: String,
}

#[tokio::test]
async fn typed_reports_bad_payloads_and_continues() {
    let decoded: Vec<_> = stream::iter(mixed())
        .messages()
        .on_channel("chat")
        .typed::<Chat>()
        .collect()
        .await;
    assert_eq!(decoded.len(), 3);
    assert_eq!(decoded[0].as_ref().unwrap().payload.text, "hi");
    assert_eq!(decoded[1].as_ref().unwrap().payload.text, "via group");
    assert_eq!(decoded[1].as_ref().unwrap().subscription, "rooms");
    let error = decoded[2].as_ref().unwrap_err();
    assert_eq!(error.message().payload, 17);
    assert!(std::error::Error::source(error).is_some());
    // typed messages can still be filtered by channel
    let typed_on_news: Vec<_> = stream::iter(mixed())
        .messages()
        .typed::<Chat>()
        .on_channel("news")
        .collect()
        .await;
    assert_eq!(typed_on_news.len(), 1);
    let bad_on_chat = stream::iter(mixed())
        .messages()
        .typed::<Chat>()
        .on_channel("chat")
        .filter(|r| std::future::ready(r.is_err()))
        .count()
        .await;
    assert_eq!(bad_on_chat, 1, "decode errors keep their channel");
}

#[tokio::test]
async fn adapters_are_fused_when_the_source_is() {
    let mut messages = stream::iter(mixed()).fuse().messages().on_channel("news");
    assert!(!messages.is_terminated());
    assert!(messages.next().await.is_some());
    assert!(messages.next().await.is_none());
    assert!(messages.is_terminated());
    let mut typed = stream::iter(mixed()).fuse().messages().typed::<Chat>();
    while typed.next().await.is_some() {}
    assert!(typed.is_terminated());
}

#[test]
fn size_hints_bound_the_output() {
    let events = stream::iter(mixed());
    let n = mixed().len();
    assert_eq!(events.messages().size_hint(), (0, Some(n)));
    let typed = stream::iter(vec![Message::new("a", json!(1))]).typed::<u8>();
    assert_eq!(typed.size_hint(), (1, Some(1)));
}

#[test]
fn status_errors_keep_the_kind_and_the_source_chain() {
    #[derive(Debug, thiserror::Error)]
    #[error("outer")]
    struct Outer(#[source] std::io::Error);
    let error = crate::error::RequestError::network(Outer(std::io::Error::other("inner")));
    let status = Status::NetworkIssues {
        error: error.clone(),
    };
    let carried = status.error().unwrap();
    assert_eq!(carried.kind(), &crate::error::RequestErrorKind::Network);
    assert_eq!(carried.to_string(), "network error: outer: inner");
    let source = std::error::Error::source(carried).unwrap();
    assert!(source.downcast_ref::<Outer>().is_some());
    assert_eq!(
        std::error::Error::source(source).unwrap().to_string(),
        "inner"
    );
    assert_eq!(
        error.to_string(),
        carried.to_string(),
        "a clone shares the cause"
    );
}

#[test]
fn has_channel_for_every_event_kind() {
    for event in mixed() {
        match &event {
            Event::Status(_) => assert_eq!(event.channel(), None),
            _ => assert!(event.channel().is_some() && event.subscription().is_some()),
        }
    }
}
