//! `pubnub.fetch_messages()`: one page of stored messages from one or
//! several channels (v3 fetch, docs/protocol.md §11).

use std::collections::BTreeMap;
use std::future::IntoFuture;

use futures::future::BoxFuture;

use super::message::{HistoryMessage, MessageType};
use super::wire::{parse_v3, V3Page};
use crate::client::PubNub;
use crate::error::RequestError;
use crate::names::IntoNames;
use crate::protocol::channel;
use crate::protocol::timetoken::Timetoken;
use crate::protocol::url::channel_list;
use crate::shared::Shared;
use crate::subscribe::decrypt::decrypt_message;
use crate::transport::{check_status, Request};

/// The most messages one fetch returns for a single channel.
pub const MAX_PER_CHANNEL: u32 = 100;
/// The most messages one fetch returns per channel when it names several.
pub const MAX_PER_CHANNEL_MULTI: u32 = 25;
/// The most channels one fetch may name.
pub const MAX_CHANNELS: usize = 500;

/// What one v3 fetch asks for; shared by [`FetchMessagesBuilder`] and the
/// history stream.
#[derive(Debug, Clone)]
pub(crate) struct FetchQuery {
    pub(crate) channels: Vec<String>,
    /// Exclusive upper bound (`tt < start`).
    pub(crate) start: Option<Timetoken>,
    /// Inclusive lower bound (`tt >= end`).
    pub(crate) end: Option<Timetoken>,
    pub(crate) max: Option<u32>,
    pub(crate) include_meta: bool,
    pub(crate) include_publisher: bool,
    pub(crate) include_message_type: bool,
    pub(crate) include_custom_message_type: bool,
}

impl FetchQuery {
    pub(crate) fn new(channels: Vec<String>) -> Self {
        FetchQuery {
            channels,
            start: None,
            end: None,
            max: None,
            include_meta: false,
            include_publisher: true,
            include_message_type: true,
            include_custom_message_type: false,
        }
    }

    /// The page size this query gets: `max`, or the server's default.
    pub(crate) fn page_size(&self) -> u32 {
        let limit = self.limit();
        self.max.map_or(limit, |m| m.min(limit))
    }

    fn limit(&self) -> u32 {
        if self.channels.len() > 1 {
            MAX_PER_CHANNEL_MULTI
        } else {
            MAX_PER_CHANNEL
        }
    }

    /// Checks the names and numbers before any I/O.
    pub(crate) fn validate(&self) -> Result<(), RequestError> {
        if self.channels.is_empty() {
            return Err(RequestError::invalid_argument(
                "fetch_messages needs at least one channel",
            ));
        }
        if self.channels.len() > MAX_CHANNELS {
            return Err(RequestError::invalid_argument(format!(
                "fetch_messages takes at most {MAX_CHANNELS} channels, got {}",
                self.channels.len()
            )));
        }
        for name in &self.channels {
            channel::validate(name)?;
        }
        match self.max {
            Some(0) => Err(RequestError::invalid_argument("count must be at least 1")),
            Some(max) if max > self.limit() => Err(RequestError::invalid_argument(format!(
                "count {max} is over the server's limit of {} per channel for {} channel(s)",
                self.limit(),
                self.channels.len()
            ))),
            _ => Ok(()),
        }
    }

    /// The request (validated by the caller).
    pub(crate) fn request(&self, inner: &Shared) -> Request {
        let path = format!(
            "/v3/history/sub-key/{}/channel/{}",
            crate::protocol::encode::encode(inner.config.subscribe_key()),
            channel_list(&self.channels)
        );
        let mut req = Request::get(path, inner.config.request_timeout())
            .param("max", self.page_size().to_string());
        if let Some(start) = self.start {
            req = req.param("start", start.to_string());
        }
        if let Some(end) = self.end {
            req = req.param("end", end.to_string());
        }
        let flags = [
            ("include_meta", self.include_meta),
            ("include_uuid", self.include_publisher),
            ("include_message_type", self.include_message_type),
            (
                "include_custom_message_type",
                self.include_custom_message_type,
            ),
        ];
        for (key, on) in flags {
            req = req.param(key, if on { "true" } else { "false" });
        }
        req
    }

    /// Sends the request and parses the page.
    pub(crate) async fn send(&self, inner: &Shared) -> Result<V3Page, RequestError> {
        self.validate()?;
        let resp = inner.transport.send(self.request(inner)).await?;
        if !resp.status.is_success() {
            check_status(&resp)?;
        }
        // A success body is parsed once; the error mapping runs only when
        // it says it failed, or does not parse.
        let mut page = match parse_v3(&resp.body) {
            Ok(page) if !page.failed => page,
            Ok(page) => check_status(&resp).map(|()| page)?,
            Err(error) => {
                check_status(&resp)?;
                return Err(error);
            }
        };
        for messages in page.channels.values_mut() {
            decrypt(messages, inner);
        }
        Ok(page)
    }
}

/// Decrypts stored messages with the client's crypto module, as live
/// messages are: a payload that does not decrypt is kept raw, with
/// `decrypt_error` set. Files are left as they are.
pub(crate) fn decrypt(messages: &mut [HistoryMessage], inner: &Shared) {
    let Some(crypto) = &inner.config.crypto else {
        return;
    };
    for stored in messages {
        if stored.message_type == MessageType::Message {
            decrypt_message(&mut stored.message, crypto);
        }
    }
}

/// What a fetch returned: each channel's messages, oldest first. Channels
/// with no message in the range are absent.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = pubnub_devserver::DevServer::builder().start().await?;
/// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").publish_key("demo")
/// #     .user_id("alice").origin(server.origin()).secure(false).build()?;
/// pubnub.publish().channel("chat").message("hi").await?;
/// let fetched = pubnub.fetch_messages().channels("chat").await?;
/// assert_eq!(fetched.messages("chat")[0].message.payload, "hi");
/// assert!(fetched.messages("news").is_empty());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct FetchedMessages {
    /// Messages per channel, oldest first.
    pub channels: BTreeMap<String, Vec<HistoryMessage>>,
    /// The server said the range holds more than it returned (a single
    /// channel only; the service does not always say it: a page as long as
    /// the count asked for may also have more behind it).
    pub more: bool,
}

impl FetchedMessages {
    /// The messages of `channel`, oldest first (empty when it had none).
    ///
    /// ```
    /// let none = pubnub_stream::history::FetchedMessages::default();
    /// assert!(none.messages("chat").is_empty());
    /// ```
    pub fn messages(&self, channel: &str) -> &[HistoryMessage] {
        self.channels.get(channel).map_or(&[], Vec::as_slice)
    }
}

/// A fetch of stored messages; `.await` it. Start with [`PubNub::fetch_messages`].
///
/// Defaults: the most recent messages of the channels (no `start`, no
/// `end`), as many as the server gives at once (100 for one channel, 25 per
/// channel for several), with the publisher and the message type, without
/// meta and custom message type.
///
/// `start` is exclusive and `end` inclusive: the messages with
/// `end <= timetoken < start`, the most recent `count` of them, oldest
/// first. To read further back, fetch again with `start` set to the oldest
/// timetoken received (or use [`PubNub::history`], which does that).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = pubnub_devserver::DevServer::builder().start().await?;
/// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").publish_key("demo")
/// #     .user_id("alice").origin(server.origin()).secure(false).build()?;
/// #[derive(serde::Serialize, serde::Deserialize)]
/// struct Chat { text: String }
///
/// let sent = pubnub.publish().channel("chat").message(&Chat { text: "hi".into() })
///     .meta(&serde_json::json!({"lang": "en"})).await?;
/// let fetched = pubnub.fetch_messages()
///     .channels(["chat", "news"])
///     .end(sent.timetoken)           // inclusive
///     .count(10)
///     .include_meta(true)
///     .await?;
/// for stored in fetched.messages("chat") {
///     let chat = stored.decode::<Chat>()?;
///     println!("{} at {}: {}", stored.message.publisher.as_deref().unwrap_or("?"),
///              stored.message.timetoken, chat.text);
///     assert_eq!(stored.message.user_metadata, Some(serde_json::json!({"lang": "en"})));
/// }
/// # Ok(()) }
/// ```
#[derive(Debug)]
#[must_use = "a fetch does nothing until awaited"]
pub struct FetchMessagesBuilder {
    pubnub: PubNub,
    query: FetchQuery,
}

impl PubNub {
    /// Starts a fetch of stored messages (Message Persistence).
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let fetch = pubnub.fetch_messages().channels(["chat"]).count(25);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn fetch_messages(&self) -> FetchMessagesBuilder {
        FetchMessagesBuilder {
            pubnub: self.clone(),
            query: FetchQuery::new(Vec::new()),
        }
    }
}

impl FetchMessagesBuilder {
    /// Adds channels (one name or many); at least one, at most 500.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let fetch = pubnub.fetch_messages().channels("a").channels(["b", "c"]);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn channels(mut self, channels: impl IntoNames) -> Self {
        self.query.channels.extend(channels.into_names());
        self
    }

    /// Only messages older than `start` (exclusive).
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let fetch = pubnub.fetch_messages().channels("a").start(pubnub_stream::Timetoken::new(17_000_000_000_000_000));
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn start(mut self, start: Timetoken) -> Self {
        self.query.start = Some(start);
        self
    }

    /// Only messages at or after `end` (inclusive).
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let fetch = pubnub.fetch_messages().channels("a").end(pubnub_stream::Timetoken::new(16_000_000_000_000_000));
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn end(mut self, end: Timetoken) -> Self {
        self.query.end = Some(end);
        self
    }

    /// At most `count` messages per channel: 1 to 100 for one channel, 1 to
    /// 25 for several (more is an `InvalidArgument` error, before any I/O).
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let fetch = pubnub.fetch_messages().channels("a").count(100);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn count(mut self, count: u32) -> Self {
        self.query.max = Some(count);
        self
    }

    /// Include each message's meta (the publish `meta`). Default `false`.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let fetch = pubnub.fetch_messages().channels("a").include_meta(true);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn include_meta(mut self, on: bool) -> Self {
        self.query.include_meta = on;
        self
    }

    /// Include the publisher's user id. Default `true`.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let fetch = pubnub.fetch_messages().channels("a").include_publisher(false);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn include_publisher(mut self, on: bool) -> Self {
        self.query.include_publisher = on;
        self
    }

    /// Include the message type (message or file). Default `true`.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let fetch = pubnub.fetch_messages().channels("a").include_message_type(false);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn include_message_type(mut self, on: bool) -> Self {
        self.query.include_message_type = on;
        self
    }

    /// Include the custom message type (the publish `custom_message_type`).
    /// Default `false`.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let fetch = pubnub.fetch_messages().channels("a").include_custom_message_type(true);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn include_custom_message_type(mut self, on: bool) -> Self {
        self.query.include_custom_message_type = on;
        self
    }
}

impl IntoFuture for FetchMessagesBuilder {
    type Output = Result<FetchedMessages, RequestError>;
    type IntoFuture = BoxFuture<'static, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let page = self.query.send(self.pubnub.inner()).await?;
            Ok(FetchedMessages {
                channels: page.channels,
                more: page.more,
            })
        })
    }
}
