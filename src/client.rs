//! [`PubNub`]: the cheap, cloneable client handle.

use std::fmt;
use std::sync::Arc;

use crate::config::{Config, PubNubBuilder};
use crate::error::ConfigError;
use crate::shared::Shared;
use crate::subscribe::engine::EngineCell;
#[cfg(test)]
use crate::transport::Transport;

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
    inner: Arc<Shared>,
    /// The subscribe engine, spawned on first subscribe; dropped (and the
    /// engine with it) with the last clone.
    engine: Arc<EngineCell>,
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
            inner: Arc::new(Shared::new(config)?),
            engine: Arc::default(),
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

    /// The state every clone shares, e.g. to move into a spawned task.
    pub(crate) fn inner(&self) -> &Arc<Shared> {
        &self.inner
    }

    /// Where this client keeps its subscribe engine.
    pub(crate) fn engine(&self) -> &EngineCell {
        &self.engine
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
