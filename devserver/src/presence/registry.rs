//! The per-subscribe-key presence state machine.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use serde_json::{Map, Value};

use super::channel::{Channel, Member};
use super::event::{Change, PresenceOutput};
use super::{Now, PresenceConfig};

/// Presence for one subscribe key: who is on which channel, their state, and
/// the events that changes produce. Pure: no I/O, no tasks; time is passed in.
///
/// Channel lists are expected already expanded from channel groups; empty
/// names and names ending in `-pnpres` are ignored, duplicates count once.
#[derive(Debug, Clone)]
pub(crate) struct PresenceRegistry {
    pub(crate) cfg: PresenceConfig,
    pub(crate) channels: BTreeMap<String, Channel>,
    by_uuid: BTreeMap<String, BTreeSet<String>>,
}

impl PresenceRegistry {
    /// An empty registry. `cfg.interval` below 1 ms is raised to 1 ms.
    pub(crate) fn new(mut cfg: PresenceConfig) -> Self {
        cfg.interval = cfg.interval.max(Duration::from_millis(1));
        PresenceRegistry {
            cfg,
            channels: BTreeMap::new(),
            by_uuid: BTreeMap::new(),
        }
    }

    /// The configuration in use.
    #[cfg(test)]
    pub(crate) fn config(&self) -> &PresenceConfig {
        &self.cfg
    }

    /// A subscribe or heartbeat by `uuid` naming `channels`: joins new
    /// (channel, uuid) pairs, refreshes the activity of existing ones.
    ///
    /// `timeout_secs` (the `heartbeat=` parameter) is raised to
    /// `min_timeout`; when absent an existing membership keeps its timeout and
    /// a new one takes the uuid's timeout on its other channels, else
    /// `default_timeout`. `state` (the `state=` parameter,
    /// keyed by channel) sets each named channel's state when the value is an
    /// object (other values are ignored): a join carries it as `data`; on an
    /// existing membership it is updated silently (no `state-change`).
    pub(crate) fn touch(
        &mut self,
        now: Now,
        uuid: &str,
        channels: &[String],
        timeout_secs: Option<u64>,
        state: Option<&Map<String, Value>>,
    ) -> Vec<PresenceOutput> {
        let timeout = timeout_secs.map(|s| Duration::from_secs(s).max(self.cfg.min_timeout));
        let inherited = self
            .uuid_timeout(uuid)
            .unwrap_or_else(|| self.default_timeout());
        let mut out = Vec::new();
        for name in unique(channels) {
            let new_state = state
                .and_then(|s| s.get(name))
                .and_then(Value::as_object)
                .map(non_empty);
            let channel = self
                .channels
                .entry(name.to_owned())
                .or_insert_with(|| Channel::new(name));
            if let Some(member) = channel.members.get_mut(uuid) {
                member.last_seen = now.instant;
                if let Some(t) = timeout {
                    member.timeout = t;
                }
                if let Some(s) = new_state {
                    member.state = s;
                }
                continue;
            }
            let member = Member {
                last_seen: now.instant,
                timeout: timeout.unwrap_or(inherited),
                state: new_state.flatten(),
            };
            out.extend(channel.join(&self.cfg, now, uuid, member));
            self.index(uuid, name);
        }
        out
    }

    /// An explicit leave of `uuid` from `channels`; names it is not on are ignored.
    pub(crate) fn leave(
        &mut self,
        now: Now,
        uuid: &str,
        channels: &[String],
    ) -> Vec<PresenceOutput> {
        let mut out = Vec::new();
        for name in unique(channels) {
            out.extend(self.remove(now, name, uuid, Change::Left));
        }
        out
    }

    /// Times out members whose deadline has passed and emits due `interval`
    /// events (none when nothing changed since the previous one).
    pub(crate) fn sweep(&mut self, now: Now) -> Vec<PresenceOutput> {
        let due: Vec<String> = self
            .channels
            .iter()
            .filter(|(_, c)| c.next_deadline().is_some_and(|d| d <= now.instant))
            .map(|(name, _)| name.clone())
            .collect();
        let mut out = Vec::new();
        for name in due {
            let Some(channel) = self.channels.get_mut(&name) else {
                continue;
            };
            let (events, removed) = channel.sweep(&self.cfg, now);
            out.extend(events);
            for uuid in removed {
                self.unindex(&uuid, &name);
            }
            self.drop_if_empty(&name);
        }
        out
    }

    /// When [`sweep`](Self::sweep) next has work: the earliest member
    /// deadline or interval tick. `None` when there is nothing to wait for.
    pub(crate) fn next_deadline(&self) -> Option<Instant> {
        self.channels
            .values()
            .filter_map(Channel::next_deadline)
            .min()
    }

    /// The channels `uuid` is present on, sorted.
    pub(crate) fn where_now(&self, uuid: &str) -> Vec<String> {
        self.by_uuid
            .get(uuid)
            .map(|set| set.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// All channels with at least one member, sorted.
    pub(crate) fn active_channels(&self) -> Vec<String> {
        self.channels.keys().cloned().collect()
    }

    pub(crate) fn channel(&self, name: &str) -> Option<&Channel> {
        self.channels.get(name)
    }

    fn remove(&mut self, now: Now, name: &str, uuid: &str, change: Change) -> Vec<PresenceOutput> {
        let Some(channel) = self.channels.get_mut(name) else {
            return Vec::new();
        };
        let out = channel.remove(&self.cfg, now, uuid, change);
        self.unindex(uuid, name);
        self.drop_if_empty(name);
        out
    }

    pub(crate) fn default_timeout(&self) -> Duration {
        self.cfg.default_timeout.max(self.cfg.min_timeout)
    }

    /// The timeout of any existing membership of `uuid`.
    pub(crate) fn uuid_timeout(&self, uuid: &str) -> Option<Duration> {
        let name = self.by_uuid.get(uuid)?.iter().next()?;
        Some(self.channels.get(name)?.members.get(uuid)?.timeout)
    }

    pub(crate) fn index(&mut self, uuid: &str, name: &str) {
        self.by_uuid
            .entry(uuid.to_owned())
            .or_default()
            .insert(name.to_owned());
    }

    fn unindex(&mut self, uuid: &str, name: &str) {
        if let Some(set) = self.by_uuid.get_mut(uuid) {
            set.remove(name);
            if set.is_empty() {
                self.by_uuid.remove(uuid);
            }
        }
    }

    fn drop_if_empty(&mut self, name: &str) {
        if self.channels.get(name).is_some_and(|c| c.occupancy() == 0) {
            self.channels.remove(name);
        }
    }
}

/// Channel names in order, without duplicates, empty names or `-pnpres` names.
pub(crate) fn unique(channels: &[String]) -> impl Iterator<Item = &str> {
    let mut seen = BTreeSet::new();
    channels
        .iter()
        .map(String::as_str)
        .filter(move |c| !c.is_empty() && !c.ends_with(super::PRESENCE_SUFFIX) && seen.insert(*c))
}

/// `{}` means "no state".
pub(crate) fn non_empty(state: &Map<String, Value>) -> Option<Map<String, Value>> {
    (!state.is_empty()).then(|| state.clone())
}
