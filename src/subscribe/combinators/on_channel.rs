super::name_filter! {
    /// Stream for [`EventStreamExt::on_channel`](crate::EventStreamExt::on_channel):
    /// only the items published on one channel (statuses have no channel and are dropped).
    ///
    /// Works on streams of [`Event`](crate::Event), [`Message`](crate::Message),
    /// [`PresenceEvent`](crate::PresenceEvent) or [`TypedMessage`](crate::TypedMessage).
    ///
    /// ```
    /// use futures::{stream, StreamExt};
    /// use pubnub_stream::{Event, EventStreamExt, Message};
    /// # futures::executor::block_on(async {
    /// let events = stream::iter(vec![
    ///     Event::Message(Message::new("chat", "hi".into())),
    ///     Event::Message(Message::new("news", "extra".into())),
    /// ]);
    /// let chat: Vec<Message> = events.messages().on_channel("chat").collect().await;
    /// assert_eq!(chat.len(), 1);
    /// assert_eq!(chat[0].payload, "hi");
    /// # });
    /// ```
    OnChannel, channel
}
