use crate::subscribe::{Event, Status};

super::variant_filter! {
    /// Stream for [`EventStreamExt::statuses`](crate::EventStreamExt::statuses): only the statuses ([`Event::Status`]), unwrapped.
    ///
    /// ```
    /// use futures::{stream, StreamExt};
    /// use pubnub_stream::{Event, EventStreamExt, Message, Status};
    /// # futures::executor::block_on(async {
    /// let events = stream::iter(vec![
    ///     Event::Message(Message::new("chat", "hi".into())),
    ///     Event::Status(Status::Lagged { missed: 4 }),
    /// ]);
    /// let statuses: Vec<Status> = events.statuses().collect().await;
    /// assert!(matches!(statuses[..], [Status::Lagged { missed: 4 }]));
    /// # });
    /// ```
    Statuses => Status, Event::Status
}
