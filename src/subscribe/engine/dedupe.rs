//! A bounded cache of recently delivered messages, to drop repeats after a
//! reconnect or a region change.

use std::collections::{HashSet, VecDeque};

use crate::protocol::timetoken::Timetoken;
use crate::subscribe::Event;

type Key = (Timetoken, Option<String>, String);

/// Remembers the last `capacity` (timetoken, publisher, channel) triples.
#[derive(Debug)]
pub(crate) struct Dedupe {
    capacity: usize,
    order: VecDeque<Key>,
    seen: HashSet<Key>,
}

impl Dedupe {
    pub(crate) fn new(capacity: usize) -> Self {
        Dedupe {
            capacity: capacity.max(1),
            order: VecDeque::new(),
            seen: HashSet::new(),
        }
    }

    /// Whether `event` was already seen (statuses and presence never are).
    pub(crate) fn is_repeat(&mut self, event: &Event) -> bool {
        let message = match event {
            Event::Message(m)
            | Event::Signal(m)
            | Event::Object(m)
            | Event::MessageAction(m)
            | Event::File(m) => m,
            _ => return false,
        };
        let key = (
            message.timetoken,
            message.publisher.clone(),
            message.channel.clone(),
        );
        if self.seen.contains(&key) {
            return true;
        }
        if self.order.len() == self.capacity {
            if let Some(oldest) = self.order.pop_front() {
                self.seen.remove(&oldest);
            }
        }
        self.seen.insert(key.clone());
        self.order.push_back(key);
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::Message;
    use crate::subscribe::Status;

    fn at(tt: u64) -> Event {
        let mut m = Message::new("c", tt.into());
        m.timetoken = Timetoken::new(tt);
        Event::Message(m)
    }

    #[test]
    fn drops_repeats_within_capacity_only() {
        let mut d = Dedupe::new(2);
        assert!(!d.is_repeat(&at(1)));
        assert!(d.is_repeat(&at(1)));
        assert!(!d.is_repeat(&at(2)));
        assert!(!d.is_repeat(&at(3))); // evicts 1
        assert!(!d.is_repeat(&at(1)));
        let lagged = Event::Status(Status::Lagged { missed: 1 });
        assert!(!d.is_repeat(&lagged) && !d.is_repeat(&lagged));
    }
}
