//! Server state shared by every request: clock, queues, groups, history.

pub(crate) mod channels;
pub(crate) mod clock;
pub(crate) mod groups;
pub(crate) mod history;
pub(crate) mod matcher;
pub(crate) mod presence;
pub(crate) mod waiters;

use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::value::RawValue;
use tokio::sync::Notify;

use crate::config::Config;
use crate::presence::PRESENCE_SUFFIX;
use crate::sync::lock;
use channels::{Channels, Kind, Published};
use clock::Clock;
use groups::Groups;
use history::{History, Retention};
use matcher::Subscription;
use waiters::Waiters;

/// The mutable parts, behind one lock (never held across an await).
#[derive(Debug, Default)]
pub(crate) struct Inner {
    pub(crate) channels: Channels,
    pub(crate) groups: Groups,
    pub(crate) history: History,
    pub(crate) presence: presence::Registries,
    pub(crate) waiters: Waiters,
}

/// Everything the routes share.
#[derive(Debug)]
pub(crate) struct AppState {
    pub(crate) config: Config,
    pub(crate) clock: Clock,
    /// Tokens revoked through Access Manager.
    pub(crate) access_revoked: crate::access::Revoked,
    inner: Mutex<Inner>,
    /// Wakes the presence sweeper when a deadline may have moved.
    pub(crate) presence_wake: Arc<tokio::sync::Notify>,
}

impl AppState {
    /// Fresh, empty state.
    pub(crate) fn new(config: Config) -> Self {
        AppState {
            config,
            clock: Clock::default(),
            access_revoked: Default::default(),
            inner: Mutex::new(Inner::default()),
            presence_wake: Arc::default(),
        }
    }

    /// Lock the mutable state; a poisoned lock is still usable (no panics).
    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        lock(&self.inner)
    }

    /// Whether `sub_key` is accepted (any key when no keyset is configured).
    pub(crate) fn sub_key_ok(&self, sub_key: &str) -> bool {
        self.config.keysets.is_empty()
            || self
                .config
                .keysets
                .iter()
                .any(|k| k.subscribe_key() == sub_key)
    }

    /// Whether `pub_key` belongs with `sub_key`.
    pub(crate) fn pub_key_ok(&self, pub_key: &str, sub_key: &str) -> bool {
        self.config.keysets.is_empty()
            || self
                .config
                .keysets
                .iter()
                .any(|k| k.subscribe_key() == sub_key && k.publish_key() == pub_key)
    }

    /// Put a long-poll for `sub` on its wait lists until the guard drops
    /// (the poll answers, or its connection goes and the future is dropped).
    pub(crate) fn wait_for<'a>(&'a self, sub: &'a Subscription) -> Waiting<'a> {
        let notify = Arc::new(Notify::new());
        let id = self.lock().waiters.register(sub, &notify);
        Waiting {
            state: self,
            sub,
            id,
            notify,
        }
    }

    /// Stamp `msg` with its timetoken (`ptto`, or the next one from the
    /// clock), queue it, store it as `store` says, and wake polls. Returns the timetoken.
    pub(crate) fn publish(&self, msg: Published, ptto: Option<u64>, store: Retention) -> u64 {
        self.push_locked(&mut self.lock(), msg, ptto, store)
    }

    /// [`publish`](Self::publish) with the lock already held.
    ///
    /// The timetoken is taken here, under the same lock as the insert, so
    /// timetoken order is queue order: a poll that returns `N + 1` has `N`
    /// queued already, and a subscriber following the cursor never skips one.
    pub(crate) fn push_locked(
        &self,
        inner: &mut Inner,
        mut msg: Published,
        ptto: Option<u64>,
        store: Retention,
    ) -> u64 {
        msg.timetoken = match ptto {
            Some(tt) => {
                self.clock.observe(tt);
                tt
            }
            None => self.clock.next(),
        };
        let tt = msg.timetoken;
        let msg = Arc::new(msg);
        inner
            .history
            .store(Arc::clone(&msg), store, self.config.history_len);
        inner
            .waiters
            .wake(&inner.groups, &msg.sub_key, &msg.channel);
        inner.channels.push(msg, self.config.queue_len);
        tt
    }

    /// Publish a presence event (§8.1 JSON) on `<channel>-pnpres`: no `e`, no `i`.
    /// Returns its timetoken. This is the seam the presence registry publishes through.
    pub(crate) fn publish_presence(
        &self,
        sub_key: &str,
        channel: &str,
        event: &serde_json::Value,
    ) -> u64 {
        self.publish(
            presence_message(sub_key, channel, event),
            None,
            Retention::NotStored,
        )
    }
}

/// A presence event as a message on `<channel>-pnpres`, to be stamped when queued.
pub(crate) fn presence_message(
    sub_key: &str,
    channel: &str,
    event: &serde_json::Value,
) -> Published {
    let payload =
        serde_json::value::to_raw_value(event).unwrap_or_else(|_| RawValue::NULL.to_owned());
    Published {
        timetoken: 0,
        sub_key: sub_key.to_owned(),
        channel: format!("{channel}{PRESENCE_SUFFIX}"),
        kind: Kind::Presence,
        payload,
        publisher: None,
        meta: None,
        seqn: None,
        custom_message_type: None,
    }
}

/// A long-poll on its wait lists; dropping it takes it off them.
#[derive(Debug)]
pub(crate) struct Waiting<'a> {
    state: &'a AppState,
    sub: &'a Subscription,
    id: u64,
    notify: Arc<Notify>,
}

impl Waiting<'_> {
    /// Resolves after a publish that may match (or at once if one came since
    /// the last wait): check the queues again after it.
    pub(crate) async fn woken(&self) {
        self.notify.notified().await;
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.state.lock().waiters.unregister(self.sub, self.id);
    }
}
