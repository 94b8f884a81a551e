//! One channel's presence: members, announce/interval mode, pending deltas.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde_json::{Map, Value};

use super::event::{self, Action, Change, PresenceOutput};
use super::{Now, PresenceConfig};

/// One uuid's membership of one channel.
#[derive(Debug, Clone)]
pub(crate) struct Member {
    pub(crate) last_seen: Instant,
    pub(crate) timeout: Duration,
    pub(crate) state: Option<Map<String, Value>>,
}

impl Member {
    /// When this member times out; `None` if the timeout is too large to
    /// represent (it never times out).
    pub(crate) fn deadline(&self) -> Option<Instant> {
        self.last_seen.checked_add(self.timeout)
    }
}

/// Interval mode: the next tick and the net changes since the last one.
#[derive(Debug, Clone)]
struct IntervalMode {
    next_tick: Option<Instant>,
    pending: BTreeMap<String, Change>,
}

/// A channel with at least one member (empty channels are dropped).
#[derive(Debug, Clone)]
pub(crate) struct Channel {
    name: String,
    pub(crate) members: BTreeMap<String, Member>,
    interval: Option<IntervalMode>,
}

impl Channel {
    pub(crate) fn new(name: &str) -> Self {
        Channel {
            name: name.to_owned(),
            members: BTreeMap::new(),
            interval: None,
        }
    }

    pub(crate) fn occupancy(&self) -> usize {
        self.members.len()
    }

    /// Whether the channel is in interval mode.
    pub(crate) fn in_interval_mode(&self) -> bool {
        self.interval.is_some()
    }

    /// Adds a new member; announces it or records it for the next interval.
    pub(crate) fn join(
        &mut self,
        cfg: &PresenceConfig,
        now: Now,
        uuid: &str,
        member: Member,
    ) -> Option<PresenceOutput> {
        let state = member.state.clone();
        self.members.insert(uuid.to_owned(), member);
        let occupancy = self.occupancy();
        if self.interval.is_none() && occupancy > cfg.announce_max {
            self.interval = Some(IntervalMode {
                next_tick: now.instant.checked_add(cfg.interval),
                pending: BTreeMap::new(),
            });
        }
        match &mut self.interval {
            Some(mode) => {
                record(&mut mode.pending, uuid, Change::Joined);
                None
            }
            None => Some(event::individual(
                &self.name,
                Action::Join,
                now.unix_secs(),
                uuid,
                occupancy,
                state.as_ref(),
            )),
        }
    }

    /// Removes a member (leave or timeout). Leaving interval mode flushes the
    /// pending deltas first, so no change is ever lost.
    pub(crate) fn remove(
        &mut self,
        cfg: &PresenceConfig,
        now: Now,
        uuid: &str,
        change: Change,
    ) -> Vec<PresenceOutput> {
        let mut out = Vec::new();
        if !self.members.contains_key(uuid) {
            return out;
        }
        if self.in_interval_mode() && self.occupancy().saturating_sub(1) <= cfg.announce_max {
            out.extend(self.flush(cfg, now));
            self.interval = None;
        }
        self.members.remove(uuid);
        match &mut self.interval {
            Some(mode) => record(&mut mode.pending, uuid, change),
            None => {
                let action = match change {
                    Change::TimedOut => Action::Timeout,
                    Change::Left | Change::Joined => Action::Leave,
                };
                let occupancy = self.occupancy();
                out.push(event::individual(
                    &self.name,
                    action,
                    now.unix_secs(),
                    uuid,
                    occupancy,
                    None,
                ));
            }
        }
        out
    }

    /// A `state-change` event for a member (always announced, in both modes).
    pub(crate) fn state_change(&self, now: Now, uuid: &str) -> Option<PresenceOutput> {
        let member = self.members.get(uuid)?;
        let empty = Map::new();
        Some(event::individual(
            &self.name,
            Action::StateChange,
            now.unix_secs(),
            uuid,
            self.occupancy(),
            Some(member.state.as_ref().unwrap_or(&empty)),
        ))
    }

    /// The pending interval event, if anything changed; clears the deltas.
    fn flush(&mut self, cfg: &PresenceConfig, now: Now) -> Option<PresenceOutput> {
        let occupancy = self.occupancy();
        let mode = self.interval.as_mut()?;
        if mode.pending.is_empty() {
            return None;
        }
        let pending = std::mem::take(&mut mode.pending);
        Some(event::interval(
            &self.name,
            now.unix_secs(),
            occupancy,
            &pending,
            cfg.deltas,
            cfg.max_delta_bytes,
        ))
    }

    /// Times out overdue members (earliest deadline first) and fires a due
    /// interval tick, in time order (a timeout at the tick counts in it).
    /// Returns the events and the uuids that were removed.
    pub(crate) fn sweep(
        &mut self,
        cfg: &PresenceConfig,
        now: Now,
    ) -> (Vec<PresenceOutput>, Vec<String>) {
        let mut due: Vec<(Instant, String)> = self
            .members
            .iter()
            .filter_map(|(uuid, m)| m.deadline().map(|d| (d, uuid.clone())))
            .filter(|(d, _)| *d <= now.instant)
            .collect();
        due.sort();
        let mut out = Vec::new();
        for (deadline, uuid) in &due {
            if self
                .tick_due(now.instant)
                .is_some_and(|tick| tick < *deadline)
            {
                out.extend(self.tick(cfg, now));
            }
            out.extend(self.remove(cfg, now, uuid, Change::TimedOut));
        }
        if self.tick_due(now.instant).is_some() {
            out.extend(self.tick(cfg, now));
        }
        (out, due.into_iter().map(|(_, uuid)| uuid).collect())
    }

    fn tick_due(&self, now: Instant) -> Option<Instant> {
        self.interval
            .as_ref()
            .and_then(|m| m.next_tick)
            .filter(|tick| *tick <= now)
    }

    fn tick(&mut self, cfg: &PresenceConfig, now: Now) -> Option<PresenceOutput> {
        let event = self.flush(cfg, now);
        if let Some(mode) = &mut self.interval {
            let next = mode.next_tick.and_then(|t| t.checked_add(cfg.interval));
            mode.next_tick = match next {
                Some(next) if next > now.instant => Some(next),
                _ => now.instant.checked_add(cfg.interval),
            };
        }
        event
    }

    /// The earliest moment [`sweep`](Self::sweep) has work here.
    pub(crate) fn next_deadline(&self) -> Option<Instant> {
        let members = self.members.values().filter_map(Member::deadline);
        let tick = self.interval.as_ref().and_then(|m| m.next_tick);
        members.chain(tick).min()
    }
}

/// Records a change for the next interval event. The latest change of a uuid
/// wins, so each changed uuid appears once, in the list of its final state:
/// applying the lists as set operations to any view taken after the previous
/// interval event (e.g. a here_now after `here_now_refresh`) yields the
/// current membership. (Cancelling a join against a later leave would lose a
/// rejoin that such a view has not seen.)
fn record(pending: &mut BTreeMap<String, Change>, uuid: &str, change: Change) {
    pending.insert(uuid.to_owned(), change);
}
