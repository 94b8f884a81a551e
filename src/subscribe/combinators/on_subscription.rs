super::name_filter! {
    /// Stream for [`EventStreamExt::on_subscription`](crate::EventStreamExt::on_subscription):
    /// only the items that arrived through one subscription name: a channel, a
    /// channel group or a wildcard pattern (the wire `b`, else `c`).
    ///
    /// ```
    /// use futures::{stream, StreamExt};
    /// use pubnub_stream::{Event, EventStreamExt, Message};
    /// # futures::executor::block_on(async {
    /// let mut via_wildcard = Message::new("sports.tennis", "ace".into());
    /// via_wildcard.subscription = "sports.*".into();
    /// let events = stream::iter(vec![
    ///     Event::Message(via_wildcard),
    ///     Event::Message(Message::new("sports", "direct".into())),
    /// ]);
    /// let matched: Vec<Event> = events.on_subscription("sports.*").collect().await;
    /// assert_eq!(matched.len(), 1);
    /// # });
    /// ```
    OnSubscription, subscription
}
