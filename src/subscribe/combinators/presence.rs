use crate::subscribe::{Event, PresenceEvent};

super::variant_filter! {
    /// Stream for [`EventStreamExt::presence`](crate::EventStreamExt::presence): only the presence events ([`Event::Presence`]), unwrapped.
    ///
    /// ```
    /// use futures::{stream, StreamExt};
    /// use pubnub_stream::{Event, EventStreamExt, Message, PresenceAction, PresenceEvent};
    /// # futures::executor::block_on(async {
    /// let events = stream::iter(vec![
    ///     Event::Message(Message::new("chat", "hi".into())),
    ///     Event::Presence(PresenceEvent::new("chat", PresenceAction::Join { uuid: "bob".into(), state: None })),
    /// ]);
    /// let presence: Vec<PresenceEvent> = events.presence().collect().await;
    /// assert_eq!(presence[0].uuid(), Some("bob"));
    /// # });
    /// ```
    Presence => PresenceEvent, Event::Presence
}
