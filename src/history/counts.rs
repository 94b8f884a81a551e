//! `pubnub.message_counts()`: how many messages each channel stored since a
//! timetoken, without fetching them.

use std::collections::BTreeMap;
use std::future::IntoFuture;

use futures::future::BoxFuture;

use super::wire::parse_counts;
use crate::client::PubNub;
use crate::error::RequestError;
use crate::protocol::channel;
use crate::protocol::encode::encode;
use crate::protocol::timetoken::Timetoken;
use crate::transport::{check_status, Request};

/// A message-count query; `.await` it for the count per channel. Start with
/// [`PubNub::message_counts`].
///
/// Each channel is counted from its own timetoken
/// ([`channel`](Self::channel)) or from one for all ([`since`](Self::since));
/// the count includes the messages at or after it, as the server counts.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = pubnub_devserver::DevServer::builder().start().await?;
/// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").publish_key("demo")
/// #     .user_id("alice").origin(server.origin()).secure(false).build()?;
/// let first = pubnub.publish().channel("chat").message("one").await?.timetoken;
/// pubnub.publish().channel("chat").message("two").await?;
/// let counts = pubnub.message_counts()
///     .channel("chat", first)
///     .channel("news", first)
///     .await?;
/// assert_eq!(counts["chat"], 2);
/// assert_eq!(counts["news"], 0);
/// # Ok(()) }
/// ```
#[derive(Debug)]
#[must_use = "a query does nothing until awaited"]
pub struct MessageCountsBuilder {
    pubnub: PubNub,
    channels: Vec<(String, Option<Timetoken>)>,
    since: Option<Timetoken>,
}

impl PubNub {
    /// Starts a message-count query (unread counts and the like).
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let query = pubnub.message_counts().channel("chat", pubnub_stream::Timetoken::new(1));
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn message_counts(&self) -> MessageCountsBuilder {
        MessageCountsBuilder {
            pubnub: self.clone(),
            channels: Vec::new(),
            since: None,
        }
    }
}

impl MessageCountsBuilder {
    /// Counts `channel`'s messages from `since` (e.g. the last one read).
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// use pubnub_stream::Timetoken;
    /// let query = pubnub.message_counts().channel("a", Timetoken::new(1)).channel("b", Timetoken::new(2));
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn channel(mut self, channel: impl Into<String>, since: Timetoken) -> Self {
        self.channels.push((channel.into(), Some(since)));
        self
    }

    /// Adds channels counted from the common [`since`](Self::since) timetoken.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let query = pubnub.message_counts().channels(["a", "b"]).since(pubnub_stream::Timetoken::new(1));
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn channels(mut self, channels: impl crate::names::IntoNames) -> Self {
        self.channels
            .extend(channels.into_names().into_iter().map(|c| (c, None)));
        self
    }

    /// The timetoken channels added with [`channels`](Self::channels) are counted from.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let query = pubnub.message_counts().channels("a").since(pubnub_stream::Timetoken::new(1));
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn since(mut self, since: Timetoken) -> Self {
        self.since = Some(since);
        self
    }

    /// The channels sorted and de-duplicated with their timetokens, checked.
    fn resolved(&self) -> Result<BTreeMap<String, Timetoken>, RequestError> {
        if self.channels.is_empty() {
            return Err(RequestError::invalid_argument(
                "message_counts needs at least one channel",
            ));
        }
        let mut out = BTreeMap::new();
        for (name, own) in &self.channels {
            channel::validate(name)?;
            let since = own.or(self.since).ok_or_else(|| {
                RequestError::invalid_argument(format!(
                    "no timetoken to count channel {name:?} from: use channel(name, tt) or since(tt)"
                ))
            })?;
            if out.insert(name.clone(), since).is_some_and(|t| t != since) {
                return Err(RequestError::invalid_argument(format!(
                    "channel {name:?} is listed with two different timetokens"
                )));
            }
        }
        Ok(out)
    }
}

impl IntoFuture for MessageCountsBuilder {
    type Output = Result<BTreeMap<String, u64>, RequestError>;
    type IntoFuture = BoxFuture<'static, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let channels = self.resolved()?;
            let inner = self.pubnub.inner();
            // The timetokens go in the order of the channels in the path:
            // both are written here from the same sorted map (not with
            // `channel_list`, which sorts the encoded names, an order that
            // differs for non-ASCII names).
            let names: Vec<String> = channels.keys().map(|c| encode(c)).collect();
            let path = format!(
                "/v3/history/sub-key/{}/message-counts/{}",
                encode(inner.config.subscribe_key()),
                names.join(",")
            );
            let timetokens: Vec<String> = channels.values().map(Timetoken::to_string).collect();
            let req = Request::get(path, inner.config.request_timeout())
                .param("channelsTimetoken", timetokens.join(","));
            let resp = inner.transport.send(req).await?;
            check_status(&resp)?;
            let mut counts = parse_counts(&resp.body)?;
            for name in channels.keys() {
                counts.entry(name.clone()).or_insert(0);
            }
            Ok(counts)
        })
    }
}
