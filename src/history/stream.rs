//! `pubnub.history("ch")`: a channel's stored messages as a [`Stream`], one
//! by one, across as many pages as the range needs. The next page is
//! requested only when the consumer has taken every message of the last one.

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::future::BoxFuture;
use futures::stream::{FusedStream, Stream};
use futures::FutureExt;

use super::message::HistoryMessage;
use super::query::{decrypt, FetchQuery, MAX_PER_CHANNEL};
use super::wire::parse_v2;
use crate::client::PubNub;
use crate::error::RequestError;
use crate::protocol::channel;
use crate::protocol::encode::encode;
use crate::protocol::timetoken::Timetoken;
use crate::retry::RetryPolicy;
use crate::transport::{check_status, Request};

/// The order a [`History`] stream walks its range in.
///
/// ```
/// use pubnub_stream::history::Direction;
/// assert_eq!(Direction::default(), Direction::NewestFirst);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Direction {
    /// From the most recent message back in time (v3 fetch: every field,
    /// publisher and message types included).
    #[default]
    NewestFirst,
    /// From the oldest message forward (v2 history with `reverse=true`: the
    /// service's v2 items carry the payload, timetoken and meta only, so
    /// `publisher` and `custom_message_type` are `None`).
    OldestFirst,
}

/// One page: its messages in the order they are to be yielded, and whether
/// it was the last of the range.
struct Page {
    messages: Vec<HistoryMessage>,
    last: bool,
}

/// The range still to read: `after < tt < before`.
#[derive(Debug, Clone, Copy)]
struct Range {
    after: Option<Timetoken>,
    before: Option<Timetoken>,
}

/// A channel's stored messages as a `Stream` of `Result<HistoryMessage,
/// RequestError>`, in order across pages. Start with [`PubNub::history`].
///
/// Defaults: the whole stored history, newest first
/// ([`Direction::NewestFirst`]), pages of 100, no meta, no limit, the
/// publish sink's retry policy
/// ([`default_retry_policy`](crate::publish::sink::default_retry_policy)).
///
/// - **Backpressure**: a page is requested only when the consumer polls for
///   a message and every message of the previous page has been taken; a
///   consumer that stops polling stops the requests. Drop the stream to stop
///   for good (a request in flight is cancelled).
/// - **Errors**: a retryable failure (network, timeout, 429, 5xx) is retried
///   in place with the retry policy; when the policy gives up, or on any
///   other failure, the error is the stream's last item. Nothing already
///   yielded is yielded again: to resume, start a new stream
///   [`after`](Self::after) / [`before`](Self::before) the last timetoken.
/// - The stream is lazy: no request is made before the first poll.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = pubnub_devserver::DevServer::builder().start().await?;
/// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").publish_key("demo")
/// #     .user_id("alice").origin(server.origin()).secure(false).build()?;
/// use futures::TryStreamExt;
/// use pubnub_stream::history::Direction;
///
/// let first = pubnub.publish().channel("chat").message("one").await?.timetoken;
/// pubnub.publish().channel("chat").message("two").await?;
/// pubnub.publish().channel("chat").message("three").await?;
///
/// // Everything after `first`, oldest first, as many pages as it takes.
/// let mut since = pubnub.history("chat").after(first).direction(Direction::OldestFirst);
/// while let Some(stored) = since.try_next().await? {
///     println!("{}: {}", stored.message.timetoken, stored.decode::<String>()?);
/// }
///
/// // The last two, newest first.
/// let last: Vec<_> = pubnub.history("chat").limit(2).try_collect().await?;
/// assert_eq!(last[0].message.payload, "three");
/// assert_eq!(last[1].message.payload, "two");
/// # Ok(()) }
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct History {
    pubnub: PubNub,
    channel: String,
    range: Range,
    direction: Direction,
    limit: Option<u64>,
    page_size: u32,
    include_meta: bool,
    retry: RetryPolicy,
    /// Messages of the current page not yet yielded.
    buffer: VecDeque<HistoryMessage>,
    /// The page request in flight.
    pending: Option<BoxFuture<'static, Result<Page, RequestError>>>,
    yielded: u64,
    /// The last page came, or the limit was reached, or an error was yielded.
    done: bool,
}

impl PubNub {
    /// The stored messages of `channel` as a stream (see [`History`]).
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let recent = pubnub.history("chat").limit(50);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn history(&self, channel: impl Into<String>) -> History {
        History {
            pubnub: self.clone(),
            channel: channel.into(),
            range: Range {
                after: None,
                before: None,
            },
            direction: Direction::default(),
            limit: None,
            page_size: MAX_PER_CHANNEL,
            include_meta: false,
            retry: crate::publish::sink::default_retry_policy(),
            buffer: VecDeque::new(),
            pending: None,
            yielded: 0,
            done: false,
        }
    }
}

impl History {
    /// Only messages published after `timetoken` (exclusive).
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let newer = pubnub.history("chat").after(pubnub_stream::Timetoken::new(17_000_000_000_000_000));
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn after(mut self, timetoken: Timetoken) -> Self {
        self.range.after = Some(timetoken);
        self
    }

    /// Only messages published before `timetoken` (exclusive).
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let older = pubnub.history("chat").before(pubnub_stream::Timetoken::new(17_000_000_000_000_000));
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn before(mut self, timetoken: Timetoken) -> Self {
        self.range.before = Some(timetoken);
        self
    }

    /// The order to walk the range in. Default [`Direction::NewestFirst`].
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let forward = pubnub.history("chat").direction(pubnub_stream::history::Direction::OldestFirst);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn direction(mut self, direction: Direction) -> Self {
        self.direction = direction;
        self
    }

    /// Yield at most `count` messages (the last page asks for no more than needed).
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let ten = pubnub.history("chat").limit(10);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn limit(mut self, count: u64) -> Self {
        self.limit = Some(count);
        self
    }

    /// Messages per request, 1 to 100 (values outside are clamped). Default 100.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let small_pages = pubnub.history("chat").page_size(25);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = size.clamp(1, MAX_PER_CHANNEL);
        self
    }

    /// Include each message's meta. Default `false`.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let with_meta = pubnub.history("chat").include_meta(true);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn include_meta(mut self, on: bool) -> Self {
        self.include_meta = on;
        self
    }

    /// How retryable failures of a page request are retried before the error
    /// is yielded. Default: the publish sink's
    /// [`default_retry_policy`](crate::publish::sink::default_retry_policy).
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let no_retries = pubnub.history("chat").retry(pubnub_stream::RetryPolicy::none());
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// How many messages the next page asks for (`None`: the limit is reached).
    fn next_page_size(&self) -> Option<u32> {
        let Some(limit) = self.limit else {
            return Some(self.page_size);
        };
        let remaining = limit.saturating_sub(self.yielded);
        if remaining == 0 {
            return None;
        }
        Some(u32::try_from(remaining).map_or(self.page_size, |r| r.min(self.page_size)))
    }

    /// The future of the next page's request, retried with the policy.
    fn request_page(&self, size: u32) -> BoxFuture<'static, Result<Page, RequestError>> {
        let pubnub = self.pubnub.clone();
        let channel = self.channel.clone();
        let (range, direction, meta) = (self.range, self.direction, self.include_meta);
        let retry = self.retry.clone();
        async move {
            channel::validate(&channel)?;
            let mut attempt = 0u32;
            loop {
                let result = match direction {
                    Direction::NewestFirst => {
                        newest_first(&pubnub, &channel, range, size, meta).await
                    }
                    Direction::OldestFirst => oldest_first(&pubnub, &channel, range, size).await,
                };
                match result {
                    Err(error) if error.is_retryable() => {
                        match retry.delay_with_retry_after(attempt, error.retry_after()) {
                            Some(delay) => {
                                tracing::debug!(%error, ?delay, "pubnub history: retrying a page");
                                tokio::time::sleep(delay).await;
                                attempt = attempt.saturating_add(1);
                            }
                            None => return Err(error),
                        }
                    }
                    other => return other,
                }
            }
        }
        .boxed()
    }

    /// Takes a page: moves the range past it and queues its messages.
    fn accept(&mut self, page: Page, size: u32) {
        let Page { messages, last } = page;
        let short = messages.len() < usize::try_from(size).unwrap_or(usize::MAX);
        // The page's far end, in the direction of travel.
        let edge = messages.last().map(|m| m.message.timetoken);
        match (self.direction, edge) {
            (_, None) => self.done = true,
            (Direction::NewestFirst, Some(oldest)) => self.range.before = Some(oldest),
            (Direction::OldestFirst, Some(newest)) => self.range.after = Some(newest),
        }
        if last && short {
            self.done = true;
        }
        self.buffer.extend(messages);
    }
}

/// One v3 page of the range, newest first.
async fn newest_first(
    pubnub: &PubNub,
    channel: &str,
    range: Range,
    size: u32,
    meta: bool,
) -> Result<Page, RequestError> {
    let mut query = FetchQuery::new(vec![channel.to_owned()]);
    query.start = range.before;
    query.end = range
        .after
        .map(|t| Timetoken::new(t.as_u64().saturating_add(1)));
    query.max = Some(size);
    query.include_meta = meta;
    query.include_custom_message_type = true;
    let page = query.send(pubnub.inner()).await?;
    let more = page.more;
    let mut messages = page.channels.into_values().next().unwrap_or_default();
    messages.reverse();
    Ok(Page {
        messages,
        last: !more,
    })
}

/// One v2 page of the range, oldest first.
async fn oldest_first(
    pubnub: &PubNub,
    channel: &str,
    range: Range,
    size: u32,
) -> Result<Page, RequestError> {
    let inner = pubnub.inner();
    let path = format!(
        "/v2/history/sub-key/{}/channel/{}",
        encode(inner.config.subscribe_key()),
        encode(channel)
    );
    let mut req = Request::get(path, inner.config.request_timeout())
        .param("count", size.to_string())
        .param("reverse", "true")
        .param("include_token", "true")
        .param("include_meta", "true");
    if let Some(after) = range.after {
        req = req.param("end", after.as_u64().saturating_add(1).to_string());
    }
    if let Some(before) = range.before {
        req = req.param("start", before.to_string());
    }
    let resp = inner.transport.send(req).await?;
    check_status(&resp)?;
    let mut messages = parse_v2(channel, &resp.body)?;
    decrypt(&mut messages, inner);
    Ok(Page {
        messages,
        last: true,
    })
}

impl Stream for History {
    type Item = Result<HistoryMessage, RequestError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if this.limit.is_some_and(|l| this.yielded >= l) {
                this.done = true;
                this.buffer.clear();
                this.pending = None;
                return Poll::Ready(None);
            }
            if let Some(message) = this.buffer.pop_front() {
                this.yielded = this.yielded.saturating_add(1);
                return Poll::Ready(Some(Ok(message)));
            }
            if this.done {
                return Poll::Ready(None);
            }
            let Some(size) = this.next_page_size() else {
                this.done = true;
                continue;
            };
            let pending = match &mut this.pending {
                Some(pending) => pending,
                None => this.pending.insert(this.request_page(size)),
            };
            match pending.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(result) => {
                    this.pending = None;
                    match result {
                        Ok(page) => this.accept(page, size),
                        Err(error) => {
                            this.done = true;
                            return Poll::Ready(Some(Err(error)));
                        }
                    }
                }
            }
        }
    }
}

impl FusedStream for History {
    fn is_terminated(&self) -> bool {
        self.done && self.buffer.is_empty()
    }
}

impl fmt::Debug for History {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("History")
            .field("channel", &self.channel)
            .field("range", &self.range)
            .field("direction", &self.direction)
            .field("limit", &self.limit)
            .field("yielded", &self.yielded)
            .field("buffered", &self.buffer.len())
            .field("requesting", &self.pending.is_some())
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}
