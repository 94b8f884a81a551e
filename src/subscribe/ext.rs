//! The extension trait that adds event combinators to streams.

use futures::Stream;
use serde::de::DeserializeOwned;

use super::combinators::{Messages, OnChannel, OnSubscription, Presence, Signals, Statuses, Typed};
use super::{Event, HasChannel};
use crate::message::Message;

/// Combinators for subscription streams, implemented for every [`Stream`].
///
/// Each method is available where it makes sense: `messages`, `signals`,
/// `presence` and `statuses` on streams of [`Event`]; `on_channel` and
/// `on_subscription` on streams of anything with a channel ([`Event`],
/// [`Message`], [`PresenceEvent`](crate::PresenceEvent),
/// [`TypedMessage`](crate::TypedMessage)); `typed` on streams of [`Message`].
/// So they chain in any order that type-checks:
///
/// ```
/// use futures::{stream, StreamExt};
/// use pubnub_stream::{Event, EventStreamExt, Message};
///
/// #[derive(serde::Deserialize)]
/// struct Chat { text: String }
///
/// # futures::executor::block_on(async {
/// let sub = stream::iter(vec![
///     Event::Message(Message::new("news", serde_json::json!({"text": "extra"}))),
///     Event::Message(Message::new("chat", serde_json::json!({"text": "hi"}))),
/// ]);
/// let mut chat = sub.messages().on_channel("chat").typed::<Chat>();
/// assert_eq!(chat.next().await.unwrap().unwrap().payload.text, "hi");
/// assert!(chat.next().await.is_none());
/// # });
/// ```
///
/// They combine with `futures::stream::select`, `tokio_stream::StreamMap` and
/// the rest of `StreamExt` like any other stream.
pub trait EventStreamExt: Stream {
    /// Only the messages, unwrapped into [`Message`].
    ///
    /// ```
    /// use futures::{stream, StreamExt};
    /// use pubnub_stream::{Event, EventStreamExt, Message, Status};
    /// # futures::executor::block_on(async {
    /// let events = stream::iter(vec![
    ///     Event::Status(Status::Disconnected { error: None }),
    ///     Event::Message(Message::new("a", 1.into())),
    /// ]);
    /// assert_eq!(events.messages().count().await, 1);
    /// # });
    /// ```
    fn messages(self) -> Messages<Self>
    where
        Self: Stream<Item = Event> + Sized,
    {
        Messages::new(self)
    }

    /// Only the signals, unwrapped into [`Message`].
    ///
    /// ```
    /// use futures::{stream, StreamExt};
    /// use pubnub_stream::{Event, EventStreamExt, Message};
    /// # futures::executor::block_on(async {
    /// let events = stream::iter(vec![Event::Signal(Message::new("a", 1.into()))]);
    /// assert_eq!(events.signals().count().await, 1);
    /// # });
    /// ```
    fn signals(self) -> Signals<Self>
    where
        Self: Stream<Item = Event> + Sized,
    {
        Signals::new(self)
    }

    /// Only the presence events, unwrapped into [`PresenceEvent`](crate::PresenceEvent).
    ///
    /// ```
    /// use futures::{stream, StreamExt};
    /// use pubnub_stream::{Event, EventStreamExt, PresenceAction, PresenceEvent};
    /// # futures::executor::block_on(async {
    /// let leave = PresenceEvent::new("a", PresenceAction::Leave { uuid: "u".into() });
    /// let events = stream::iter(vec![Event::Presence(leave)]);
    /// assert_eq!(events.presence().count().await, 1);
    /// # });
    /// ```
    fn presence(self) -> Presence<Self>
    where
        Self: Stream<Item = Event> + Sized,
    {
        Presence::new(self)
    }

    /// Only the statuses, unwrapped into [`Status`](crate::Status).
    ///
    /// ```
    /// use futures::{stream, StreamExt};
    /// use pubnub_stream::{Event, EventStreamExt, Message, Status};
    /// # futures::executor::block_on(async {
    /// let events = stream::iter(vec![
    ///     Event::Message(Message::new("a", 1.into())),
    ///     Event::Status(Status::Lagged { missed: 2 }),
    /// ]);
    /// assert_eq!(events.statuses().count().await, 1);
    /// # });
    /// ```
    fn statuses(self) -> Statuses<Self>
    where
        Self: Stream<Item = Event> + Sized,
    {
        Statuses::new(self)
    }

    /// Only the items published on `channel` (exact name).
    ///
    /// ```
    /// use futures::{stream, StreamExt};
    /// use pubnub_stream::{Event, EventStreamExt, Message};
    /// # futures::executor::block_on(async {
    /// let events = stream::iter(vec![
    ///     Event::Message(Message::new("a", 1.into())),
    ///     Event::Message(Message::new("b", 2.into())),
    /// ]);
    /// assert_eq!(events.on_channel("b").count().await, 1);
    /// # });
    /// ```
    fn on_channel(self, channel: impl Into<String>) -> OnChannel<Self>
    where
        Self: Sized,
        Self::Item: HasChannel,
    {
        OnChannel::new(self, channel.into())
    }

    /// Only the items that arrived through `subscription`: a channel, a channel
    /// group or a wildcard pattern, as subscribed.
    ///
    /// ```
    /// use futures::{stream, StreamExt};
    /// use pubnub_stream::{Event, EventStreamExt, Message};
    /// # futures::executor::block_on(async {
    /// let mut via_group = Message::new("a", 1.into());
    /// via_group.subscription = "group".into();
    /// let events = stream::iter(vec![Event::Message(via_group)]);
    /// assert_eq!(events.messages().on_subscription("group").count().await, 1);
    /// # });
    /// ```
    fn on_subscription(self, subscription: impl Into<String>) -> OnSubscription<Self>
    where
        Self: Sized,
        Self::Item: HasChannel,
    {
        OnSubscription::new(self, subscription.into())
    }

    /// Decodes each message's payload into `T`; a payload that does not decode
    /// yields `Err(DecodeError)` and the stream continues.
    ///
    /// ```
    /// use futures::{stream, StreamExt};
    /// use pubnub_stream::{Event, EventStreamExt, Message};
    /// # futures::executor::block_on(async {
    /// let events = stream::iter(vec![Event::Message(Message::new("n", 7.into()))]);
    /// let first = events.messages().typed::<u32>().next().await.unwrap();
    /// assert_eq!(first.unwrap().payload, 7);
    /// # });
    /// ```
    fn typed<T: DeserializeOwned>(self) -> Typed<Self, T>
    where
        Self: Stream<Item = Message> + Sized,
    {
        Typed::new(self)
    }
}

impl<S: Stream + ?Sized> EventStreamExt for S {}
