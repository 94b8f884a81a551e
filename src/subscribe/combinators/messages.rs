use crate::message::Message;
use crate::subscribe::Event;

super::variant_filter! {
    /// Stream for [`EventStreamExt::messages`](crate::EventStreamExt::messages): only the messages ([`Event::Message`]), unwrapped.
    ///
    /// ```
    /// use futures::{stream, StreamExt};
    /// use pubnub_stream::{Event, EventStreamExt, Message, Status};
    /// # futures::executor::block_on(async {
    /// let events = stream::iter(vec![
    ///     Event::Status(Status::Lagged { missed: 1 }),
    ///     Event::Message(Message::new("chat", "hi".into())),
    ///     Event::Signal(Message::new("chat", "typing".into())),
    /// ]);
    /// let messages: Vec<Message> = events.messages().collect().await;
    /// assert_eq!(messages.len(), 1);
    /// assert_eq!(messages[0].payload, "hi");
    /// # });
    /// ```
    Messages => Message, Event::Message
}
