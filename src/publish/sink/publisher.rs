//! [`Publisher`]: configures a publish sink (`pubnub.publisher("ch")…sink()`).

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;

use super::core::SinkCore;
use super::rate_limit::RateLimit;
use super::send::{ClientSend, Preparer};
use super::target::{AnyChannel, OneChannel};
use super::worker::WorkerConfig;
use super::{MultiPublishSink, PublishSink};
use crate::client::PubNub;
use crate::publish::{publish_option_setters, PublishOptions};
use crate::retry::RetryPolicy;

/// Default bound on accepted but unacknowledged messages.
pub const DEFAULT_MAX_PENDING: usize = 64;

/// Default bound on channels with a message in flight at once.
pub const DEFAULT_MAX_CHANNELS_IN_FLIGHT: usize = 8;

/// The default retry policy of a publish sink: exponential from 100 ms to
/// 5 s, up to 100 ms of jitter, at most 10 retries (about 30 s in all)
/// before the sink gives up and hands the messages back.
///
/// ```
/// use std::time::Duration;
/// let policy = pubnub_stream::publish::sink::default_retry_policy();
/// assert_eq!(policy.retries_allowed(), Some(10));
/// assert!(policy.delay(0).unwrap() < Duration::from_millis(200));
/// ```
pub fn default_retry_policy() -> RetryPolicy {
    RetryPolicy::exponential(Duration::from_millis(100), Duration::from_secs(5))
        .jitter(Duration::from_millis(100))
        .max_retries(10)
}

/// Configures a publish sink; finish with `.sink::<T>()`.
///
/// Every setting has a default: no `meta`, the keyset's storage and TTL, GET,
/// replicated, `max_pending` [`DEFAULT_MAX_PENDING`], retries
/// [`default_retry_policy`], no rate limit, [`DEFAULT_MAX_CHANNELS_IN_FLIGHT`],
/// rejected items to [`PublishSink::rejected`] (see [`stop_on_reject`](Self::stop_on_reject)).
///
/// ```
/// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").publish_key("demo").user_id("u").build()?;
/// use std::time::Duration;
/// use pubnub_stream::RetryPolicy;
///
/// let sink = pubnub
///     .publisher("chat")
///     .meta(&serde_json::json!({ "lang": "en" }))
///     .should_store(true)
///     .max_pending(16)
///     .retry(RetryPolicy::linear(Duration::from_millis(250)).max_retries(4))
///     .rate_limit(10)
///     .sink::<String>();
/// assert_eq!(sink.channel(), "chat");
/// # Ok::<(), pubnub_stream::ConfigError>(())
/// ```
#[derive(Debug, Clone)]
#[must_use = "a publisher does nothing until you call .sink()"]
pub struct Publisher<K = OneChannel> {
    pubnub: PubNub,
    target: K,
    options: PublishOptions,
    max_pending: usize,
    retry: RetryPolicy,
    rate_limit: u32,
    max_channels_in_flight: usize,
    stop_on_reject: bool,
}

impl PubNub {
    /// Configures a [`PublishSink`] for `channel`.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").publish_key("demo").user_id("u").build()?;
    /// let sink = pubnub.publisher("chat").sink::<serde_json::Value>();
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn publisher(&self, channel: impl Into<String>) -> Publisher<OneChannel> {
        Publisher::new(self.clone(), OneChannel(channel.into()))
    }

    /// Configures a [`MultiPublishSink`], whose items carry their channel.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").publish_key("demo").user_id("u").build()?;
    /// let sink = pubnub.multi_publisher().max_channels_in_flight(4).sink::<u32>();
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn multi_publisher(&self) -> Publisher<AnyChannel> {
        Publisher::new(self.clone(), AnyChannel)
    }
}

impl<K> Publisher<K> {
    fn new(pubnub: PubNub, target: K) -> Self {
        Publisher {
            pubnub,
            target,
            options: PublishOptions::default(),
            max_pending: DEFAULT_MAX_PENDING,
            retry: default_retry_policy(),
            rate_limit: 0,
            max_channels_in_flight: DEFAULT_MAX_CHANNELS_IN_FLIGHT,
            stop_on_reject: false,
        }
    }

    /// At most this many accepted messages may be unacknowledged; `poll_ready`
    /// is `Pending` while the bound is reached. Values below 1 count as 1.
    /// Default: [`DEFAULT_MAX_PENDING`].
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").publish_key("d").user_id("u").build()?;
    /// let sink = pubnub.publisher("c").max_pending(8).sink::<u8>();
    /// assert_eq!(sink.max_pending(), 8);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn max_pending(mut self, max_pending: usize) -> Self {
        self.max_pending = max_pending.max(1);
        self
    }

    /// How retryable failures (network, timeout, 429, 5xx) are retried, in
    /// place, before the sink gives up. Default: [`default_retry_policy`].
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").publish_key("d").user_id("u").build()?;
    /// let publisher = pubnub.publisher("c").retry(pubnub_stream::RetryPolicy::none());
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// At most `per_second` requests a second on each channel (retries
    /// included); `0` means no limit. Default: no limit.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").publish_key("d").user_id("u").build()?;
    /// let publisher = pubnub.publisher("c").rate_limit(5);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn rate_limit(mut self, per_second: u32) -> Self {
        self.rate_limit = per_second;
        self
    }

    /// How many channels may have a message in flight at once (messages on
    /// one channel always go one at a time). Values below 1 count as 1.
    /// Default: [`DEFAULT_MAX_CHANNELS_IN_FLIGHT`].
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").publish_key("d").user_id("u").build()?;
    /// let publisher = pubnub.multi_publisher().max_channels_in_flight(2);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn max_channels_in_flight(mut self, max: usize) -> Self {
        self.max_channels_in_flight = max.max(1);
        self
    }

    /// `start_send` returns an item that cannot be published (not
    /// serializable, too large) in [`PublishSinkError::Rejected`](super::PublishSinkError::Rejected),
    /// so that `forward` stops at the first such item. Default: the item goes
    /// to [`PublishSink::rejected`] and the sink goes on.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").publish_key("d").user_id("u").build()?;
    /// use futures::SinkExt;
    ///
    /// let mut sink = pubnub.publisher("c").stop_on_reject().sink::<f64>();
    /// let error = sink.send(f64::NAN).await.unwrap_err();
    /// assert!(!error.is_terminal()); // the sink stays open
    /// assert!(error.into_items()[0].is_nan());
    /// # Ok(()) }
    /// ```
    pub fn stop_on_reject(mut self) -> Self {
        self.stop_on_reject = true;
        self
    }

    fn into_parts<T>(self, one_channel: bool) -> (K, Preparer, SinkCore<T, ClientSend>) {
        let config = WorkerConfig {
            retry: self.retry,
            rate_limit: RateLimit::per_second(self.rate_limit),
            max_channels_in_flight: self.max_channels_in_flight,
            one_channel,
        };
        let inner = Arc::clone(self.pubnub.inner());
        let core = SinkCore::new(
            Arc::new(ClientSend {
                inner: Arc::clone(&inner),
            }),
            config,
            self.max_pending,
            self.stop_on_reject,
        );
        let preparer = Preparer {
            inner,
            options: self.options,
        };
        (self.target, preparer, core)
    }
}

publish_option_setters!(Publisher<K>, "publisher(\"c\")", K);

impl Publisher<OneChannel> {
    /// The sink. Its worker task is spawned on the current tokio runtime (or
    /// the runtime of its first poll, if created outside one).
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").publish_key("d").user_id("u").build()?;
    /// let sink = pubnub.publisher("chat").sink::<String>();
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn sink<T: Serialize>(self) -> PublishSink<T> {
        let (target, preparer, core) = self.into_parts(true);
        PublishSink::new(core, preparer, target)
    }
}

impl Publisher<AnyChannel> {
    /// The sink. Its worker task is spawned on the current tokio runtime (or
    /// the runtime of its first poll, if created outside one).
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").publish_key("d").user_id("u").build()?;
    /// let sink = pubnub.multi_publisher().sink::<String>();
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn sink<T: Serialize>(self) -> MultiPublishSink<T> {
        let (target, preparer, core) = self.into_parts(false);
        PublishSink::new(core, preparer, target)
    }
}
