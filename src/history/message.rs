//! A message read from history: the [`Message`] a subscriber would have
//! received, plus the message type only history reports.

use serde::de::DeserializeOwned;

use crate::message::{DecodeError, Message, TypedMessage};

/// What kind of message history holds (`message_type`, asked for with
/// `include_message_type`).
///
/// ```
/// use pubnub_stream::history::MessageType;
/// assert_eq!(MessageType::from_wire(None), MessageType::Message);
/// assert_eq!(MessageType::from_wire(Some("4")), MessageType::File);
/// assert_eq!(MessageType::from_wire(Some("9")), MessageType::Other("9".into()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum MessageType {
    /// A published message (`message_type` absent, `null` or `0`).
    #[default]
    Message,
    /// A file shared on the channel (`4`): the payload holds `message` and `file`.
    File,
    /// A type this library does not know, as the server wrote it.
    Other(String),
}

impl MessageType {
    /// The type for the server's `message_type` value (a number or its text).
    ///
    /// ```
    /// use pubnub_stream::history::MessageType;
    /// assert_eq!(MessageType::from_wire(Some("0")), MessageType::Message);
    /// ```
    pub fn from_wire(value: Option<&str>) -> Self {
        match value.map(str::trim) {
            None | Some("" | "0" | "null") => MessageType::Message,
            Some("4") => MessageType::File,
            Some(other) => MessageType::Other(other.to_owned()),
        }
    }
}

/// One stored message: the [`Message`] (channel, timetoken, payload, meta,
/// publisher, custom message type) and its [`MessageType`].
///
/// Which optional fields are filled depends on what the request asked for
/// (`include_meta`, `include_publisher`, ...). `subscription` is the channel,
/// `region` is 0 and `sequence` is `None`: history does not keep them.
///
/// ```
/// use pubnub_stream::history::{HistoryMessage, MessageType};
/// use pubnub_stream::Message;
///
/// #[derive(serde::Deserialize)]
/// struct Chat { text: String }
///
/// let stored = HistoryMessage::new(Message::new("chat", serde_json::json!({"text": "hi"})));
/// assert_eq!(stored.message_type, MessageType::Message);
/// assert_eq!(stored.decode::<Chat>()?.text, "hi");
/// # Ok::<(), pubnub_stream::DecodeError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct HistoryMessage {
    /// The message, as a subscriber would have received it.
    pub message: Message,
    /// What kind of message it is.
    pub message_type: MessageType,
}

impl HistoryMessage {
    /// A plain message (type [`MessageType::Message`]); handy in tests.
    ///
    /// ```
    /// let m = pubnub_stream::history::HistoryMessage::new(pubnub_stream::Message::new("c", 1.into()));
    /// assert_eq!(m.message.channel, "c");
    /// ```
    pub fn new(message: Message) -> Self {
        HistoryMessage {
            message,
            message_type: MessageType::Message,
        }
    }

    /// Deserializes the payload into `T`, like [`Message::decode`].
    ///
    /// ```
    /// let m = pubnub_stream::history::HistoryMessage::new(pubnub_stream::Message::new("c", 7.into()));
    /// assert_eq!(m.decode::<u8>()?, 7);
    /// # Ok::<(), pubnub_stream::DecodeError>(())
    /// ```
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, DecodeError> {
        self.message.decode()
    }

    /// Converts into a [`TypedMessage`], like [`Message::into_typed`]; the
    /// error keeps the whole message.
    ///
    /// ```
    /// let m = pubnub_stream::history::HistoryMessage::new(pubnub_stream::Message::new("c", 7.into()));
    /// assert_eq!(m.into_typed::<u8>()?.payload, 7);
    /// # Ok::<(), pubnub_stream::DecodeError>(())
    /// ```
    pub fn into_typed<T: DeserializeOwned>(self) -> Result<TypedMessage<T>, DecodeError> {
        self.message.into_typed()
    }
}

impl From<HistoryMessage> for Message {
    fn from(stored: HistoryMessage) -> Message {
        stored.message
    }
}
