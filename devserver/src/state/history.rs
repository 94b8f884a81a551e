//! Message persistence (protocol.md §11): stored messages with optional expiry.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::Instant;

use super::channels::Published;

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
    /// Store `msg` until `expires` (never when `None`), keeping at most `cap` per channel.
    pub(crate) fn store(&mut self, msg: Arc<Published>, expires: Option<Instant>, cap: usize) {
        let queue = self
            .keys
            .entry(msg.sub_key.clone())
            .or_default()
            .entry(msg.channel.clone())
            .or_default();
        let pos = queue
            .iter()
            .rposition(|s| s.msg.timetoken <= msg.timetoken)
            .map_or(0, |p| p + 1);
        queue.insert(pos, Stored { msg, expires });
        while queue.len() > cap {
            queue.pop_front();
        }
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
        queue.retain(|s| s.expires.map_or(true, |e| e > now));
        let mut picked: Vec<Arc<Published>> = queue
            .iter()
            .rev()
            .filter(|s| range.start.map_or(true, |st| s.msg.timetoken < st))
            .filter(|s| range.end.map_or(true, |en| s.msg.timetoken >= en))
            .take(range.max)
            .map(|s| Arc::clone(&s.msg))
            .collect();
        picked.reverse();
        picked
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::channels::Kind;
    use serde_json::value::RawValue;
    use std::time::Duration;

    fn msg(tt: u64) -> Arc<Published> {
        Arc::new(Published {
            timetoken: tt,
            sub_key: "s".into(),
            channel: "c".into(),
            kind: Kind::Message,
            payload: RawValue::from_string(tt.to_string()).unwrap(),
            publisher: None,
            meta: None,
            seqn: None,
            custom_message_type: None,
        })
    }

    fn tts(v: &[Arc<Published>]) -> Vec<u64> {
        v.iter().map(|m| m.timetoken).collect()
    }

    #[test]
    fn range_and_max_and_expiry() {
        let mut h = History::default();
        let now = Instant::now();
        for tt in 1..=10 {
            h.store(msg(tt), None, 8);
        }
        h.store(msg(11), Some(now + Duration::from_secs(3600)), 8);
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
    }
}
