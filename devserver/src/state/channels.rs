//! Per-channel catch-up queues and the published-message record.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use serde_json::value::RawValue;

/// What kind of event a queued message is (the envelope's `e`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A published message: no `e`.
    Message,
    /// A signal: `e: 1`.
    Signal,
    /// A presence event on `<ch>-pnpres`: no `e`, no `i`.
    Presence,
}

/// One message as published, shared by every queue and response that holds it.
#[derive(Debug)]
pub(crate) struct Published {
    /// Assigned when the message is queued, under the state lock
    /// ([`AppState::push_locked`](super::AppState::push_locked)).
    pub(crate) timetoken: u64,
    pub(crate) sub_key: String,
    pub(crate) channel: String,
    pub(crate) kind: Kind,
    pub(crate) payload: Box<RawValue>,
    pub(crate) publisher: Option<String>,
    pub(crate) meta: Option<Box<RawValue>>,
    pub(crate) seqn: Option<i64>,
    pub(crate) custom_message_type: Option<String>,
}

/// Insert `item` in `key` order (after equal keys), then drop from the front down to `cap`.
pub(crate) fn insert_ordered<T>(
    queue: &mut VecDeque<T>,
    item: T,
    key: impl Fn(&T) -> u64,
    cap: usize,
) {
    let k = key(&item);
    let pos = queue.iter().rposition(|x| key(x) <= k).map_or(0, |p| p + 1);
    queue.insert(pos, item);
    while queue.len() > cap {
        queue.pop_front();
    }
}

/// The last `cap` messages of each channel, per subscribe key.
#[derive(Debug, Default)]
pub(crate) struct Channels {
    keys: HashMap<String, HashMap<String, VecDeque<Arc<Published>>>>,
}

impl Channels {
    /// Queue `msg` on its channel in timetoken order, dropping the oldest over `cap`.
    pub(crate) fn push(&mut self, msg: Arc<Published>, cap: usize) {
        let queue = self
            .keys
            .entry(msg.sub_key.clone())
            .or_default()
            .entry(msg.channel.clone())
            .or_default();
        insert_ordered(queue, msg, |m| m.timetoken, cap);
    }

    /// The queue of one channel, if it has one.
    pub(crate) fn get(&self, sub_key: &str, channel: &str) -> Option<&VecDeque<Arc<Published>>> {
        self.keys.get(sub_key).and_then(|m| m.get(channel))
    }

    /// Every channel name with a queue under `sub_key`, with its queue.
    pub(crate) fn iter_key<'a>(
        &'a self,
        sub_key: &str,
    ) -> impl Iterator<Item = (&'a String, &'a VecDeque<Arc<Published>>)> + 'a {
        self.keys.get(sub_key).into_iter().flat_map(|m| m.iter())
    }
}

#[cfg(test)]
impl Published {
    /// A message on channel `c` of key `s` whose payload is its timetoken.
    pub(crate) fn for_test(tt: u64) -> Arc<Published> {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_and_cap() {
        let mut c = Channels::default();
        for tt in [5, 3, 9, 1, 7] {
            c.push(Published::for_test(tt), 3);
        }
        let (_, q) = c.iter_key("s").next().unwrap();
        let tts: Vec<u64> = q.iter().map(|m| m.timetoken).collect();
        assert_eq!(tts, vec![5, 7, 9]);
    }
}
