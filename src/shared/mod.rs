//! [`Shared`]: what every clone of a client shares and every call works
//! with: the configuration, the transport, the publish `seqn` counter and
//! the presence state this client announces.
//!
//! It sits below the calls and the subscribe engine, so that both can hold
//! it without depending on the [`PubNub`](crate::client::PubNub) handle.

mod state_store;

use std::sync::atomic::{AtomicU32, Ordering};

use crate::config::Config;
use crate::error::ConfigError;
use crate::transport::Transport;

pub(crate) use state_store::StateStore;

/// State shared by every clone of a [`PubNub`](crate::client::PubNub).
///
/// Add fields here for state that every call may need; construct them in
/// [`Shared::new`] so that every client gets them.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) config: Config,
    pub(crate) transport: Transport,
    /// Publish sequence counter (`seqn`, 1..=65535, wrapping).
    publish_seqn: AtomicU32,
    /// This client's presence state per channel/group (set_state; sent again on subscribe/heartbeat).
    pub(crate) presence_state: StateStore,
}

impl Shared {
    pub(crate) fn new(config: Config) -> Result<Self, ConfigError> {
        let transport = Transport::new(&config)?;
        Ok(Shared {
            config,
            transport,
            publish_seqn: AtomicU32::new(0),
            presence_state: StateStore::default(),
        })
    }

    /// The next publish `seqn`: 1, 2, …, 65535, 1, …
    pub(crate) fn next_publish_seqn(&self) -> u16 {
        let n = self.publish_seqn.fetch_add(1, Ordering::Relaxed);
        // n % 65535 is at most 65534, so + 1 fits in u16.
        u16::try_from(n % 65_535 + 1).unwrap_or(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::PubNub;

    #[test]
    fn seqn_wraps_from_65535_to_1() {
        let pubnub = PubNub::builder()
            .subscribe_key("s")
            .user_id("u")
            .build()
            .unwrap();
        let shared = pubnub.inner();
        assert_eq!(shared.next_publish_seqn(), 1);
        shared.publish_seqn.store(65_534, Ordering::Relaxed);
        assert_eq!(shared.next_publish_seqn(), 65_535);
        assert_eq!(shared.next_publish_seqn(), 1);
    }
}
