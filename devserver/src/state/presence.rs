//! Glue between the routes and the pure presence model: one
//! [`PresenceRegistry`] per subscribe key, group expansion, and publishing
//! the registry's events on `<channel>-pnpres` while the lock is held (so
//! events of one channel keep their order).

use std::collections::HashMap;
use std::sync::Weak;
use std::time::Instant;

use serde_json::{Map, Value};

use super::history::Retention;
use super::{AppState, Inner};
use crate::presence::{Now, PresenceError, PresenceOutput, PresenceRegistry, PRESENCE_SUFFIX};
use crate::server::Shared;

/// The registry's time: tokio's clock (so deadlines and the sweeper's sleeps
/// agree, also under `tokio::time::pause`) and the wall clock for timestamps.
fn now() -> Now {
    Now::at(
        tokio::time::Instant::now().into_std(),
        Now::system().unix_ms,
    )
}

/// Every subscribe key's registry, created on first use.
#[derive(Debug, Default)]
pub(crate) struct Registries {
    by_key: HashMap<String, PresenceRegistry>,
}

/// Who does what: the uuid and the names of one request.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Who<'a> {
    pub(crate) sub_key: &'a str,
    pub(crate) uuid: &'a str,
    pub(crate) channels: &'a [String],
    pub(crate) groups: &'a [String],
}

impl Inner {
    /// The channels named by `channels` and `groups`: `-pnpres` names and
    /// wildcard patterns are left out, groups contribute their channels.
    pub(crate) fn presence_channels(
        &self,
        sub_key: &str,
        channels: &[String],
        groups: &[String],
    ) -> Vec<String> {
        let mut out: Vec<String> = channels
            .iter()
            .filter(|c| !c.ends_with(PRESENCE_SUFFIX) && !c.ends_with('*'))
            .cloned()
            .collect();
        for group in groups.iter().filter(|g| !g.ends_with(PRESENCE_SUFFIX)) {
            out.extend(self.groups.channels(sub_key, group));
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// `state=` keyed by channel or group → keyed by channel (a channel's own
    /// entry wins over its group's).
    fn state_by_channel(
        &self,
        sub_key: &str,
        groups: &[String],
        state: &Map<String, Value>,
    ) -> Map<String, Value> {
        let mut out = Map::new();
        for group in groups {
            if let Some(value) = state.get(group) {
                for channel in self.groups.channels(sub_key, group) {
                    out.insert(channel, value.clone());
                }
            }
        }
        for (name, value) in state {
            if !groups.contains(name) {
                out.insert(name.clone(), value.clone());
            }
        }
        out
    }
}

impl AppState {
    /// Runs `f` on `sub_key`'s registry under the lock, publishes the events it
    /// returns (which wakes the polls they match), and wakes the sweeper.
    fn presence_update<R>(
        &self,
        sub_key: &str,
        f: impl FnOnce(&mut PresenceRegistry, &Inner) -> (Vec<PresenceOutput>, R),
    ) -> R {
        let result = {
            let mut inner = self.lock();
            let mut registry = inner
                .presence
                .by_key
                .remove(sub_key)
                .unwrap_or_else(|| PresenceRegistry::new(self.config.presence.clone()));
            let (outputs, result) = f(&mut registry, &inner);
            inner.presence.by_key.insert(sub_key.to_owned(), registry);
            self.emit_locked(&mut inner, sub_key, outputs);
            result
        };
        self.presence_wake.notify_one();
        result
    }

    /// Queues each event on its `<channel>-pnpres` (waking the polls it matches).
    fn emit_locked(&self, inner: &mut Inner, sub_key: &str, outputs: Vec<PresenceOutput>) {
        for out in outputs {
            let msg = super::presence_message(sub_key, &out.channel, &out.event);
            self.push_locked(inner, msg, None, Retention::NotStored);
        }
    }

    /// A subscribe or heartbeat: joins or refreshes `who` on its channels.
    pub(crate) fn presence_touch(
        &self,
        who: Who<'_>,
        timeout_secs: Option<u64>,
        state: Option<&Map<String, Value>>,
    ) {
        self.presence_update(who.sub_key, |registry, inner| {
            let channels = inner.presence_channels(who.sub_key, who.channels, who.groups);
            let state = state.map(|s| inner.state_by_channel(who.sub_key, who.groups, s));
            let out = registry.touch(now(), who.uuid, &channels, timeout_secs, state.as_ref());
            (out, ())
        });
    }

    /// An explicit leave.
    pub(crate) fn presence_leave(&self, who: Who<'_>) {
        self.presence_update(who.sub_key, |registry, inner| {
            let channels = inner.presence_channels(who.sub_key, who.channels, who.groups);
            (registry.leave(now(), who.uuid, &channels), ())
        });
    }

    /// Sets `who`'s state on its channels (fires `state-change`, or `join`).
    pub(crate) fn presence_set_state(
        &self,
        who: Who<'_>,
        state: &Value,
    ) -> Result<(), PresenceError> {
        self.presence_update(who.sub_key, |registry, inner| {
            let channels = inner.presence_channels(who.sub_key, who.channels, who.groups);
            match registry.set_state(now(), who.uuid, &channels, state) {
                Ok(out) => (out, Ok(())),
                Err(e) => (Vec::new(), Err(e)),
            }
        })
    }

    /// Read access to `sub_key`'s registry (an empty one if none yet).
    pub(crate) fn presence_read<R>(
        &self,
        sub_key: &str,
        f: impl FnOnce(&PresenceRegistry, &Inner) -> R,
    ) -> R {
        let inner = self.lock();
        match inner.presence.by_key.get(sub_key) {
            Some(registry) => f(registry, &inner),
            None => f(&PresenceRegistry::new(self.config.presence.clone()), &inner),
        }
    }

    /// Sweeps every registry (timeouts, interval events); returns the next deadline.
    fn presence_sweep(&self) -> Option<Instant> {
        let mut inner = self.lock();
        let now = now();
        let keys: Vec<String> = inner.presence.by_key.keys().cloned().collect();
        let mut next: Option<Instant> = None;
        for key in keys {
            let Some(registry) = inner.presence.by_key.get_mut(&key) else {
                continue;
            };
            let outputs = registry.sweep(now);
            let deadline = registry.next_deadline();
            next = match (next, deadline) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            self.emit_locked(&mut inner, &key, outputs);
        }
        next
    }
}

/// The sweeper task: sleeps until the earliest presence deadline (or until
/// woken by activity), then sweeps. Ends when the server is gone.
pub(crate) async fn sweeper(shared: Weak<Shared>) {
    loop {
        let (next, wake) = {
            let Some(shared) = shared.upgrade() else {
                return;
            };
            let next = shared.state.presence_sweep();
            (next, std::sync::Arc::clone(&shared.state.presence_wake))
        };
        match next {
            Some(deadline) => {
                let deadline = tokio::time::Instant::from_std(deadline);
                tokio::select! {
                    _ = tokio::time::sleep_until(deadline) => {}
                    _ = wake.notified() => {}
                }
            }
            None => wake.notified().await,
        }
    }
}
