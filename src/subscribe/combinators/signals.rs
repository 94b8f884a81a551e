use crate::message::Message;
use crate::subscribe::Event;

super::variant_filter! {
    /// Stream for [`EventStreamExt::signals`](crate::EventStreamExt::signals): only the signals ([`Event::Signal`]), unwrapped.
    ///
    /// ```
    /// use futures::{stream, StreamExt};
    /// use pubnub_stream::{Event, EventStreamExt, Message, Status};
    /// # futures::executor::block_on(async {
    /// let events = stream::iter(vec![
    ///     Event::Message(Message::new("chat", "hi".into())),
    ///     Event::Signal(Message::new("chat", "typing".into())),
    /// ]);
    /// let signals: Vec<Message> = events.signals().collect().await;
    /// assert_eq!(signals.len(), 1);
    /// assert_eq!(signals[0].payload, "typing");
    /// # });
    /// ```
    Signals => Message, Event::Signal
}
