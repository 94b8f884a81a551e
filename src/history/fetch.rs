//! `pubnub.fetch_messages()`: one page of stored messages from one or
//! several channels (v3 fetch, docs/protocol.md §11).

use std::collections::BTreeMap;
use std::future::IntoFuture;

use futures::future::BoxFuture;

use super::message::HistoryMessage;
use super::query::FetchQuery;
use crate::client::PubNub;
use crate::error::RequestError;
use crate::names::IntoNames;
use crate::protocol::timetoken::Timetoken;

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
