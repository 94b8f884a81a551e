//! Message persistence (protocol.md §11): stored messages with optional expiry.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::Instant;

use super::channels::{insert_ordered, Published};

#[derive(Debug)]
struct Stored {
    msg: Arc<Published>,
    expires: Option<Instant>,
}

/// Stored messages per subscribe key and channel, in timetoken order.
#[derive(Debug, Default)]
pub(crate) struct History {
    keys: HashMap<String, HashMap<String, VecDeque<Stored>>>,
}

/// Whether and how long a published message is kept in history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retention {
    /// Not stored (signals, presence events, `store=0`).
    NotStored,
    /// Stored until this instant (`ttl`).
    Until(Instant),
    /// Stored until pushed out by newer messages.
    Forever,
}

/// Which stored messages a fetch wants.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Range {
    /// Exclusive upper bound (`tt < start`).
    pub(crate) start: Option<u64>,
    /// Inclusive lower bound (`tt >= end`).
    pub(crate) end: Option<u64>,
    /// At most this many: the most recent ones in the range.
    pub(crate) max: usize,
}

impl History {
    /// Store `msg` as `retention` says, keeping at most `cap` per channel.
    pub(crate) fn store(&mut self, msg: Arc<Published>, retention: Retention, cap: usize) {
        let expires = match retention {
            Retention::NotStored => return,
            Retention::Until(at) => Some(at),
            Retention::Forever => None,
        };
        let queue = self
            .keys
            .entry(msg.sub_key.clone())
            .or_default()
            .entry(msg.channel.clone())
            .or_default();
        insert_ordered(queue, Stored { msg, expires }, |s| s.msg.timetoken, cap);
    }

    /// Live messages of `channel` in `range`, oldest first. Expired ones are purged.
    pub(crate) fn fetch(
        &mut self,
        sub_key: &str,
        channel: &str,
        range: Range,
        now: Instant,
    ) -> Vec<Arc<Published>> {
        let Some(queue) = self.keys.get_mut(sub_key).and_then(|k| k.get_mut(channel)) else {
            return Vec::new();
        };
        queue.retain(|s| s.expires.is_none_or(|e| e > now));
        let mut picked: Vec<Arc<Published>> = queue
            .iter()
            .rev()
            .filter(|s| range.start.is_none_or(|st| s.msg.timetoken < st))
            .filter(|s| range.end.is_none_or(|en| s.msg.timetoken >= en))
            .take(range.max)
            .map(|s| Arc::clone(&s.msg))
            .collect();
        picked.reverse();
        picked
    }
}

impl History {
    /// Delete messages with `lo < tt <= hi` (an absent bound is open). Returns how many.
    pub(crate) fn delete(
        &mut self,
        sub_key: &str,
        channel: &str,
        lo: Option<u64>,
        hi: Option<u64>,
    ) -> usize {
        let Some(queue) = self.keys.get_mut(sub_key).and_then(|k| k.get_mut(channel)) else {
            return 0;
        };
        let before = queue.len();
        queue.retain(|s| {
            let tt = s.msg.timetoken;
            !(lo.is_none_or(|l| tt > l) && hi.is_none_or(|h| tt <= h))
        });
        before - queue.len()
    }

    /// How many live messages of `channel` have `tt >= since`.
    pub(crate) fn count(
        &mut self,
        sub_key: &str,
        channel: &str,
        since: u64,
        now: Instant,
    ) -> usize {
        let range = Range {
            start: None,
            end: Some(since),
            max: usize::MAX,
        };
        self.fetch(sub_key, channel, range, now).len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn tts(v: &[Arc<Published>]) -> Vec<u64> {
        v.iter().map(|m| m.timetoken).collect()
    }

    #[test]
    fn range_and_max_and_expiry() {
        let mut h = History::default();
        let now = Instant::now();
        for tt in 1..=10 {
            h.store(Published::for_test(tt), Retention::Forever, 8);
        }
        h.store(
            Published::for_test(11),
            Retention::Until(now + Duration::from_secs(3600)),
            8,
        );
        let all = Range {
            start: None,
            end: None,
            max: 100,
        };
        assert_eq!(
            tts(&h.fetch("s", "c", all, now)),
            (4..=11).collect::<Vec<_>>()
        );
        let r = Range {
            start: Some(9),
            end: Some(5),
            max: 100,
        };
        assert_eq!(tts(&h.fetch("s", "c", r, now)), vec![5, 6, 7, 8]);
        let r = Range {
            start: None,
            end: None,
            max: 2,
        };
        assert_eq!(tts(&h.fetch("s", "c", r, now)), vec![10, 11]);
        let later = now + Duration::from_secs(3601);
        assert_eq!(tts(&h.fetch("s", "c", all, later)).last(), Some(&10));
        assert!(h.fetch("s", "nope", all, now).is_empty());
        // 11 expired above and was purged.
        assert_eq!(h.count("s", "c", 9, now), 2);
        assert_eq!(h.delete("s", "c", Some(8), Some(9)), 1);
        assert_eq!(tts(&h.fetch("s", "c", all, now)), vec![4, 5, 6, 7, 8, 10]);
        assert_eq!(h.delete("s", "c", None, None), 6);
    }
}
