//! [`Outgoing`]: a message together with the channel it goes to.

/// A message and its channel: the item of a multi-channel publish sink
/// ([`MultiPublishSink`](super::MultiPublishSink)).
///
/// Build one with [`Outgoing::new`] or from a `(channel, message)` tuple.
///
/// ```
/// use pubnub_stream::publish::sink::Outgoing;
///
/// let a = Outgoing::new("chat", "hello");
/// let b: Outgoing<&str> = ("chat", "hello").into();
/// assert_eq!(a, b);
/// assert_eq!(a.channel, "chat");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Outgoing<T> {
    /// The channel to publish to.
    pub channel: String,
    /// The message, serialized to JSON when the sink accepts it.
    pub message: T,
}

impl<T> Outgoing<T> {
    /// `message` bound for `channel`.
    ///
    /// ```
    /// let item = pubnub_stream::publish::sink::Outgoing::new("news", 42);
    /// assert_eq!(item.message, 42);
    /// ```
    pub fn new(channel: impl Into<String>, message: T) -> Self {
        Outgoing {
            channel: channel.into(),
            message,
        }
    }

    /// The channel and the message.
    ///
    /// ```
    /// let (channel, message) = pubnub_stream::publish::sink::Outgoing::new("news", 42).into_parts();
    /// assert_eq!((channel.as_str(), message), ("news", 42));
    /// ```
    pub fn into_parts(self) -> (String, T) {
        (self.channel, self.message)
    }
}

impl<C: Into<String>, T> From<(C, T)> for Outgoing<T> {
    fn from((channel, message): (C, T)) -> Self {
        Outgoing::new(channel, message)
    }
}
