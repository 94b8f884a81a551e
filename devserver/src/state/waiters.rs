//! Wait lists for held long-polls, per subscribe key: by channel, by wildcard
//! pattern and by group, so that a publish wakes only the polls it can match.
//!
//! Each poll owns one [`Notify`]; a publish calls `notify_one` on it, which
//! leaves a permit when the poll is not parked yet, so a publish that lands
//! between the poll's queue check and its wait is not lost.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::Notify;

use super::groups::Groups;
use super::matcher::{group_hit, wildcard_hit, Subscription};
use crate::presence::PRESENCE_SUFFIX;

/// Poll id → that poll's wake-up.
type List = HashMap<u64, Arc<Notify>>;

/// The wait lists of one subscribe key.
#[derive(Debug, Default)]
struct KeyLists {
    channels: HashMap<String, List>,
    wildcards: HashMap<String, List>,
    groups: HashMap<String, List>,
}

impl KeyLists {
    fn is_empty(&self) -> bool {
        self.channels.is_empty() && self.wildcards.is_empty() && self.groups.is_empty()
    }
}

/// Every held poll's interest, per subscribe key.
#[derive(Debug, Default)]
pub(crate) struct Waiters {
    keys: HashMap<String, KeyLists>,
    next_id: u64,
    /// Wake-ups sent, for tests.
    woken: u64,
}

fn add(map: &mut HashMap<String, List>, name: &str, id: u64, notify: &Arc<Notify>) {
    map.entry(name.to_owned())
        .or_default()
        .insert(id, Arc::clone(notify));
}

fn remove(map: &mut HashMap<String, List>, name: &str, id: u64) {
    if let Some(list) = map.get_mut(name) {
        list.remove(&id);
        if list.is_empty() {
            map.remove(name);
        }
    }
}

fn notify_all(list: &List, woken: &mut u64) {
    for n in list.values() {
        n.notify_one();
        *woken += 1;
    }
}

impl Waiters {
    /// Put a poll on the lists of everything `sub` names; returns its id.
    pub(crate) fn register(&mut self, sub: &Subscription, notify: &Arc<Notify>) -> u64 {
        let id = self.next_id;
        self.next_id = self.next_id.wrapping_add(1);
        let lists = self.keys.entry(sub.sub_key.clone()).or_default();
        for c in sub.channel_names() {
            add(&mut lists.channels, c, id, notify);
        }
        for w in sub.wildcard_patterns() {
            add(&mut lists.wildcards, w, id, notify);
        }
        for g in sub.group_names() {
            add(&mut lists.groups, g, id, notify);
        }
        id
    }

    /// Take poll `id` (registered with `sub`) off every list; empty lists go.
    pub(crate) fn unregister(&mut self, sub: &Subscription, id: u64) {
        let Some(lists) = self.keys.get_mut(&sub.sub_key) else {
            return;
        };
        for c in sub.channel_names() {
            remove(&mut lists.channels, c, id);
        }
        for w in sub.wildcard_patterns() {
            remove(&mut lists.wildcards, w, id);
        }
        for g in sub.group_names() {
            remove(&mut lists.groups, g, id);
        }
        if lists.is_empty() {
            self.keys.remove(&sub.sub_key);
        }
    }

    /// Wake the polls a message on `channel` of `sub_key` can match.
    pub(crate) fn wake(&mut self, groups: &Groups, sub_key: &str, channel: &str) {
        let Some(lists) = self.keys.get(sub_key) else {
            return;
        };
        let woken = &mut self.woken;
        if let Some(list) = lists.channels.get(channel) {
            notify_all(list, woken);
        }
        for (pattern, list) in &lists.wildcards {
            if wildcard_hit(pattern, channel) {
                notify_all(list, woken);
            }
        }
        for (group, list) in &lists.groups {
            if group_hit(groups, sub_key, group, channel) {
                notify_all(list, woken);
            }
        }
    }

    /// Wake the polls waiting on `group` (its members changed), and on `<group>-pnpres`.
    pub(crate) fn wake_group(&mut self, sub_key: &str, group: &str) {
        let Some(lists) = self.keys.get(sub_key) else {
            return;
        };
        let woken = &mut self.woken;
        for name in [group.to_owned(), format!("{group}{PRESENCE_SUFFIX}")] {
            if let Some(list) = lists.groups.get(&name) {
                notify_all(list, woken);
            }
        }
    }

    /// How many wake-ups were sent so far (one per poll per matching list).
    #[cfg(test)]
    pub(crate) fn woken(&self) -> u64 {
        self.woken
    }

    /// Whether no subscribe key has any list left.
    #[cfg(test)]
    pub(crate) fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// How many (poll, list) registrations are held.
    #[cfg(test)]
    pub(crate) fn registrations(&self) -> usize {
        self.keys
            .values()
            .flat_map(|k| [&k.channels, &k.wildcards, &k.groups])
            .flat_map(|m| m.values())
            .map(HashMap::len)
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::matcher::tests::sub;

    #[test]
    fn wakes_only_matching_lists() {
        let mut groups = Groups::default();
        groups.add("s", "cg", &["m".into()]);
        let mut w = Waiters::default();
        let on_b = Arc::new(Notify::new());
        let wild = Arc::new(Notify::new());
        let grp = Arc::new(Notify::new());
        let b = sub(&["b"], &[]);
        let x = sub(&["x.*"], &[]);
        let g = sub(&[], &["cg-pnpres"]);
        let ids = [
            w.register(&b, &on_b),
            w.register(&x, &wild),
            w.register(&g, &grp),
        ];
        assert_eq!(w.registrations(), 3);
        w.wake(&groups, "s", "a");
        w.wake(&groups, "other", "b");
        w.wake(&groups, "s", "m");
        assert_eq!(w.woken(), 0);
        w.wake(&groups, "s", "b");
        assert_eq!(w.woken(), 1);
        w.wake(&groups, "s", "x.y");
        assert_eq!(w.woken(), 2);
        w.wake(&groups, "s", "m-pnpres");
        assert_eq!(w.woken(), 3);
        w.wake_group("s", "cg");
        assert_eq!(w.woken(), 4);
        w.unregister(&b, ids[0]);
        w.unregister(&x, ids[1]);
        w.unregister(&g, ids[2]);
        assert_eq!(w.registrations(), 0);
        assert!(w.keys.is_empty());
    }
}
