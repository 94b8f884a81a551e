//! [`PubNub`]: the cheap, cloneable client handle.

use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use crate::config::{Config, PubNubBuilder};
use crate::transport::Transport;
use crate::ConfigError;

/// A PubNub client. Cloning is cheap (an `Arc`); all clones share one
/// configuration and one HTTP connection pool.
///
/// Building does no I/O and needs no runtime; the calls need a tokio runtime.
///
/// ```
/// use pubnub_stream::PubNub;
///
/// let pubnub = PubNub::builder()
///     .subscribe_key("demo")
///     .publish_key("demo")
///     .user_id("alice")
///     .build()?;
/// let clone = pubnub.clone();
/// assert_eq!(clone.config().user_id(), "alice");
/// # Ok::<(), pubnub_stream::ConfigError>(())
/// ```
#[derive(Clone)]
pub struct PubNub {
    inner: Arc<Inner>,
}

/// State shared by every clone of a [`PubNub`].
///
/// Other modules add their own fields here (e.g. the subscribe engine handle);
/// construct them in [`Inner::new`] so that every client gets them.
pub(crate) struct Inner {
    pub(crate) config: Config,
    pub(crate) transport: Transport,
    /// Publish sequence counter (`seqn`, 1..=65535, wrapping).
    publish_seqn: AtomicU32,
    /// The subscribe engine, spawned on first subscribe.
    pub(crate) subscribe: crate::subscribe::engine::EngineCell,
    /// This client's presence state per channel/group (set_state; sent again on subscribe/heartbeat).
    pub(crate) presence_state: crate::presence::StateStore,
}

impl Inner {
    fn new(config: Config) -> Result<Self, ConfigError> {
        let transport = Transport::new(&config)?;
        Ok(Inner {
            config,
            transport,
            publish_seqn: AtomicU32::new(0),
            subscribe: Default::default(),
            presence_state: Default::default(),
        })
    }

    /// The next publish `seqn`: 1, 2, …, 65535, 1, …
    pub(crate) fn next_publish_seqn(&self) -> u16 {
        let n = self.publish_seqn.fetch_add(1, Ordering::Relaxed);
        // n % 65535 is at most 65534, so + 1 fits in u16.
        u16::try_from(n % 65_535 + 1).unwrap_or(1)
    }
}

impl PubNub {
    /// A [`PubNubBuilder`] with every default.
    ///
    /// ```
    /// let pubnub = pubnub_stream::PubNub::builder()
    ///     .subscribe_key("demo").user_id("alice").build()?;
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn builder() -> PubNubBuilder {
        PubNubBuilder::new()
    }

    pub(crate) fn from_config(config: Config) -> Result<Self, ConfigError> {
        Ok(PubNub {
            inner: Arc::new(Inner::new(config)?),
        })
    }

    /// The client's configuration.
    ///
    /// ```
    /// let pubnub = pubnub_stream::PubNub::builder()
    ///     .subscribe_key("demo").user_id("alice").build()?;
    /// assert_eq!(pubnub.config().subscribe_key(), "demo");
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The shared transport (the transport tests send through it).
    #[cfg(test)]
    pub(crate) fn transport(&self) -> &Transport {
        &self.inner.transport
    }

    /// The shared state, e.g. to move into a spawned task.
    pub(crate) fn inner(&self) -> &Arc<Inner> {
        &self.inner
    }
}

impl fmt::Debug for PubNub {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PubNub")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seqn_wraps_from_65535_to_1() {
        let pubnub = PubNub::builder()
            .subscribe_key("s")
            .user_id("u")
            .build()
            .unwrap();
        let inner = pubnub.inner();
        assert_eq!(inner.next_publish_seqn(), 1);
        inner.publish_seqn.store(65_534, Ordering::Relaxed);
        assert_eq!(inner.next_publish_seqn(), 65_535);
        assert_eq!(inner.next_publish_seqn(), 1);
    }

    #[test]
    fn handles_are_send_sync_and_debug_hides_secrets() {
        fn assert_send_sync<T: Send + Sync + Clone>() {}
        assert_send_sync::<PubNub>();
        let pubnub = PubNub::builder()
            .subscribe_key("sub-c-secretpart")
            .publish_key("pub-c-secretpart")
            .secret_key("sec-c-secretpart")
            .auth_key("token-secretpart")
            .user_id("u")
            .build()
            .unwrap();
        let shown = format!("{pubnub:?}");
        assert!(!shown.contains("secretpart"), "{shown}");
        assert!(shown.contains("sub-c-…"));
    }
}
