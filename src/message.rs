//! Messages (and signals) as a subscriber receives them and history returns
//! them, their typed form, and the decryption of their payload.
//!
//! Below both `subscribe/` and `history/`, which deliver these types: neither
//! imports the other for them.

use std::error::Error as StdError;
use std::fmt;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::crypto::{CryptoError, CryptoModule};
use crate::protocol::timetoken::Timetoken;

/// A message (or signal) received on a subscription.
///
/// The payload stays raw JSON until you ask for a type with
/// [`Message::decode`] or the [`typed`](crate::EventStreamExt::typed) combinator.
///
/// On a client with a [`CryptoModule`](crate::CryptoModule), `payload` is the
/// decrypted message. A payload that did not decrypt (a different cipher
/// key, not base64, a cryptor this library does not know, or a publisher
/// that did not encrypt) is delivered all the same, as received, with
/// [`decrypt_error`](Self::decrypt_error) saying why: check it before using
/// `payload` from [`messages()`](crate::EventStreamExt::messages), while
/// [`decode`](Self::decode) and `typed::<T>()` turn such a message into an
/// error ([`DecodeError::decrypt_error`]).
///
/// ```
/// use pubnub_stream::Message;
///
/// fn show(message: &Message) -> String {
///     let from = message.publisher.as_deref().unwrap_or("someone");
///     format!("[{}] {from}: {}", message.channel, message.payload["text"])
/// }
///
/// let mut message = Message::new("chat", serde_json::json!({"text": "hi"}));
/// message.publisher = Some("alice".into());
/// assert_eq!(message.subscription, "chat"); // a direct channel match
/// assert_eq!(show(&message), r#"[chat] alice: "hi""#);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Message {
    /// The channel the message was published to (`c`).
    pub channel: String,
    /// What the subscription matched (`b`, else `c`): the channel, the channel
    /// group or the wildcard pattern.
    pub subscription: String,
    /// The publish timetoken (`p.t`).
    pub timetoken: Timetoken,
    /// The region of the publish timetoken (`p.r`).
    pub region: u32,
    /// The publisher's user id (`i`), when the server sent it.
    pub publisher: Option<String>,
    /// The payload (`d`) as raw JSON.
    pub payload: Value,
    /// The publisher's metadata (`u`, the publish `meta`).
    pub user_metadata: Option<Value>,
    /// The custom message type (`cmt`).
    pub custom_message_type: Option<String>,
    /// The publisher's sequence number (`s`), when it sent one.
    pub sequence: Option<u64>,
    /// Why the payload could not be decrypted, on a client with a
    /// [`CryptoModule`](crate::CryptoModule); `payload` is then the raw
    /// payload as received (usually a base64 string), never a decryption
    /// of it. `None` when it decrypted, or when the client has no module.
    ///
    /// ```
    /// use pubnub_stream::Message;
    ///
    /// fn text(message: &Message) -> Option<&str> {
    ///     if let Some(error) = &message.decrypt_error {
    ///         eprintln!("undecryptable message on {}: {error} (raw: {})", message.channel, message.payload);
    ///         return None;
    ///     }
    ///     message.payload["text"].as_str()
    /// }
    /// # assert_eq!(text(&Message::new("c", serde_json::json!({"text": "hi"}))), Some("hi"));
    /// ```
    pub decrypt_error: Option<CryptoError>,
}

impl Message {
    /// A message on `channel` with `payload`, matched directly by the channel
    /// (`subscription` = `channel`), timetoken zero and no optional fields.
    /// Handy for testing code that consumes messages; set the public fields to
    /// adjust it.
    ///
    /// ```
    /// let mut m = pubnub_stream::Message::new("chat", serde_json::json!({"text": "hi"}));
    /// m.publisher = Some("alice".into());
    /// assert_eq!(m.subscription, "chat");
    /// ```
    pub fn new(channel: impl Into<String>, payload: Value) -> Self {
        let channel = channel.into();
        Message {
            subscription: channel.clone(),
            channel,
            timetoken: Timetoken::ZERO,
            region: 0,
            publisher: None,
            payload,
            user_metadata: None,
            custom_message_type: None,
            sequence: None,
            decrypt_error: None,
        }
    }

    /// Deserializes the payload into `T`, leaving the message untouched.
    /// A message whose payload did not decrypt is an error without trying
    /// (its payload is ciphertext, see [`decrypt_error`](Self::decrypt_error)).
    ///
    /// ```
    /// #[derive(serde::Deserialize)]
    /// struct Chat { text: String }
    ///
    /// let message = pubnub_stream::Message::new("chat", serde_json::json!({"text": "hi"}));
    /// assert_eq!(message.decode::<Chat>().unwrap().text, "hi");
    /// assert!(message.decode::<u32>().is_err());
    /// ```
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, DecodeError> {
        if self.decrypt_error.is_some() {
            return Err(DecodeError::new(self.clone(), None));
        }
        T::deserialize(&self.payload).map_err(|source| DecodeError::new(self.clone(), Some(source)))
    }

    /// Converts into a [`TypedMessage`], or gives the message back inside the error.
    ///
    /// ```
    /// let message = pubnub_stream::Message::new("n", serde_json::json!(5));
    /// let typed = message.into_typed::<u8>().unwrap();
    /// assert_eq!(typed.payload, 5);
    /// ```
    pub fn into_typed<T: DeserializeOwned>(self) -> Result<TypedMessage<T>, DecodeError> {
        if self.decrypt_error.is_some() {
            return Err(DecodeError::new(self, None));
        }
        match T::deserialize(&self.payload) {
            Ok(payload) => Ok(TypedMessage {
                channel: self.channel,
                subscription: self.subscription,
                timetoken: self.timetoken,
                region: self.region,
                publisher: self.publisher,
                payload,
                user_metadata: self.user_metadata,
                custom_message_type: self.custom_message_type,
                sequence: self.sequence,
            }),
            Err(source) => Err(DecodeError::new(self, Some(source))),
        }
    }

    /// Replaces the payload with its decryption, or keeps the raw payload
    /// and sets [`decrypt_error`](Self::decrypt_error): the message is
    /// delivered either way (live by the subscribe engine, stored by history).
    pub(crate) fn decrypt_with(&mut self, crypto: &CryptoModule) {
        match crypto.decrypt_value(&self.payload) {
            Ok(plain) => self.payload = plain,
            Err(error) => {
                tracing::warn!(
                    channel = %self.channel,
                    timetoken = %self.timetoken,
                    %error,
                    "pubnub: delivering a message whose payload did not decrypt, with its raw payload and decrypt_error"
                );
                self.decrypt_error = Some(error);
            }
        }
    }
}

/// A [`Message`] whose payload has been decoded into `T`.
///
/// Produced by [`Message::into_typed`] and the
/// [`typed`](crate::EventStreamExt::typed) combinator.
///
/// ```
/// let message = pubnub_stream::Message::new("n", serde_json::json!([1, 2]));
/// let typed = message.into_typed::<Vec<u8>>().unwrap();
/// assert_eq!((typed.channel.as_str(), typed.payload), ("n", vec![1, 2]));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TypedMessage<T> {
    /// The channel the message was published to.
    pub channel: String,
    /// What the subscription matched: channel, group or wildcard pattern.
    pub subscription: String,
    /// The publish timetoken.
    pub timetoken: Timetoken,
    /// The region of the publish timetoken.
    pub region: u32,
    /// The publisher's user id, when the server sent it.
    pub publisher: Option<String>,
    /// The decoded payload.
    pub payload: T,
    /// The publisher's metadata.
    pub user_metadata: Option<Value>,
    /// The custom message type.
    pub custom_message_type: Option<String>,
    /// The publisher's sequence number.
    pub sequence: Option<u64>,
}

/// A payload that did not deserialize into the requested type, or that
/// could not be decrypted.
///
/// It keeps the whole [`Message`] (so nothing is lost) and the cause as its
/// `source()`: the serde error, or for a payload that did not decrypt the
/// [`CryptoError`] (also [`decrypt_error`](Self::decrypt_error)).
///
/// ```
/// let message = pubnub_stream::Message::new("n", serde_json::json!("text"));
/// let error = message.into_typed::<u32>().unwrap_err();
/// assert_eq!(error.message().payload, "text");
/// assert!(error.to_string().contains("channel \"n\""));
/// assert!(error.decrypt_error().is_none());
/// ```
#[derive(Debug)]
pub struct DecodeError {
    message: Box<Message>,
    /// The serde error; `None` when the message did not decrypt (the cause
    /// is then its `decrypt_error`).
    source: Option<serde_json::Error>,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (channel, timetoken) = (&self.message.channel, self.message.timetoken);
        match (&self.source, &self.message.decrypt_error) {
            (Some(source), _) => write!(
                f,
                "could not decode the payload of the message on channel {channel:?} at {timetoken}: {source}"
            ),
            (None, Some(error)) => write!(
                f,
                "could not decrypt the payload of the message on channel {channel:?} at {timetoken}: {error}"
            ),
            (None, None) => write!(
                f,
                "could not decode the payload of the message on channel {channel:?} at {timetoken}"
            ),
        }
    }
}

impl StdError for DecodeError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match (&self.source, &self.message.decrypt_error) {
            (Some(source), _) => Some(source),
            (None, Some(error)) => Some(error),
            (None, None) => None,
        }
    }
}

impl DecodeError {
    fn new(message: Message, source: Option<serde_json::Error>) -> Self {
        DecodeError {
            message: Box::new(message),
            source,
        }
    }

    /// Why the payload could not be decrypted, when that is the cause (the
    /// message's [`decrypt_error`](Message::decrypt_error)); `None` when it
    /// did not deserialize.
    ///
    /// ```
    /// use pubnub_stream::{CryptoError, Message};
    ///
    /// let mut message = Message::new("n", serde_json::json!("bm90IGEgbWVzc2FnZQ=="));
    /// message.decrypt_error = Some(CryptoError::BadPadding);
    /// let error = message.decode::<String>().unwrap_err();
    /// assert_eq!(error.decrypt_error(), Some(&CryptoError::BadPadding));
    /// assert_eq!(error.message().payload, "bm90IGEgbWVzc2FnZQ=="); // the raw payload
    /// ```
    pub fn decrypt_error(&self) -> Option<&CryptoError> {
        if self.source.is_some() {
            return None;
        }
        self.message.decrypt_error.as_ref()
    }

    /// The message whose payload did not decode.
    ///
    /// ```
    /// # let m = pubnub_stream::Message::new("n", serde_json::Value::Null);
    /// let error = m.decode::<String>().unwrap_err();
    /// assert_eq!(error.message().channel, "n");
    /// ```
    pub fn message(&self) -> &Message {
        &self.message
    }

    /// Takes the message back out of the error.
    ///
    /// ```
    /// # let m = pubnub_stream::Message::new("n", serde_json::Value::Null);
    /// let message = m.into_typed::<String>().unwrap_err().into_message();
    /// assert!(message.payload.is_null());
    /// ```
    pub fn into_message(self) -> Message {
        *self.message
    }
}
