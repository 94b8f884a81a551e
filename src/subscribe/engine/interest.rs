//! What one registered receiver wants: which names, and which kinds of events.

use std::collections::BTreeSet;

use crate::protocol::channel::PRESENCE_SUFFIX;
use crate::subscribe::{Event, HasChannel};

/// The interest of one receiver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Interest {
    /// A subscription: channels (and wildcard patterns) and groups.
    Names {
        channels: BTreeSet<String>,
        groups: BTreeSet<String>,
        presence: bool,
    },
    /// A client-wide listener: every event and status.
    Everything,
    /// The client-wide status stream: statuses only.
    Statuses,
}

impl Interest {
    /// Whether this receiver has no names left (a subscription that must end).
    pub(crate) fn is_empty_subscription(&self) -> bool {
        matches!(self, Interest::Names { channels, groups, .. } if channels.is_empty() && groups.is_empty())
    }

    /// Adds this interest's wire names (with `-pnpres` twins for presence).
    pub(crate) fn add_wire_names(&self, out: &mut WireSet) {
        if let Interest::Names {
            channels,
            groups,
            presence,
        } = self
        {
            for (names, wire) in [(channels, &mut out.channels), (groups, &mut out.groups)] {
                for name in names {
                    wire.insert(name.clone());
                    if *presence && !name.ends_with(PRESENCE_SUFFIX) {
                        wire.insert(format!("{name}{PRESENCE_SUFFIX}"));
                    }
                }
            }
        }
    }

    /// Removes `channels` and `groups`; returns whether anything was removed.
    pub(crate) fn remove(&mut self, remove_channels: &[String], remove_groups: &[String]) -> bool {
        let Interest::Names {
            channels, groups, ..
        } = self
        else {
            return false;
        };
        let before = channels.len() + groups.len();
        for c in remove_channels {
            channels.remove(c);
        }
        for g in remove_groups {
            groups.remove(g);
        }
        before != channels.len() + groups.len()
    }

    /// Whether an event (not a status) from the wire goes to this receiver.
    pub(crate) fn wants(&self, event: &Event) -> bool {
        let (channels, groups, presence) = match self {
            Interest::Everything => return true,
            Interest::Statuses => return matches!(event, Event::Status(_)),
            Interest::Names {
                channels,
                groups,
                presence,
            } => (channels, groups, *presence),
        };
        if matches!(event, Event::Status(_)) {
            return true;
        }
        let (Some(subscription), Some(channel)) = (event.subscription(), event.channel()) else {
            return true; // an envelope without names: better seen than lost
        };
        let matches = |name: &str| {
            channels.contains(name)
                || groups.contains(name)
                || channels
                    .iter()
                    .any(|pattern| wildcard_matches(pattern, name))
        };
        if let Event::Presence(_) = event {
            let explicit = |name: &str| channels.contains(&format!("{name}{PRESENCE_SUFFIX}"));
            // the server sends `a.x-pnpres` events to an `a.*` subscription
            // (the name matches the pattern): they are on a subscribed name
            let via_wildcard = subscription.ends_with(".*") && channels.contains(subscription);
            (presence && (matches(subscription) || matches(channel)))
                || explicit(subscription)
                || explicit(channel)
                || via_wildcard
        } else {
            matches(subscription) || matches(channel)
        }
    }
}

/// `a.*` matches `a.b` and deeper; anything else only matches itself.
fn wildcard_matches(pattern: &str, channel: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) if prefix.ends_with('.') => {
            channel.len() > prefix.len() && channel.starts_with(prefix)
        }
        _ => false,
    }
}

/// The channels and groups of one subscribe request (sorted, unique).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct WireSet {
    pub(crate) channels: BTreeSet<String>,
    pub(crate) groups: BTreeSet<String>,
}

impl WireSet {
    pub(crate) fn is_empty(&self) -> bool {
        self.channels.is_empty() && self.groups.is_empty()
    }

    /// Whether every channel and group of `other` is in this set.
    pub(crate) fn covers(&self, other: &WireSet) -> bool {
        other.channels.is_subset(&self.channels) && other.groups.is_subset(&self.groups)
    }

    /// Whether the two share a channel or a group.
    pub(crate) fn intersects(&self, other: &WireSet) -> bool {
        !self.channels.is_disjoint(&other.channels) || !self.groups.is_disjoint(&other.groups)
    }

    pub(crate) fn channel_list(&self) -> Vec<String> {
        self.channels.iter().cloned().collect()
    }

    pub(crate) fn group_list(&self) -> Vec<String> {
        self.groups.iter().cloned().collect()
    }

    /// The names this client is present on: every channel and group except the
    /// `-pnpres` ones (what heartbeats and `state=` are about).
    pub(crate) fn announced(&self) -> (Vec<String>, Vec<String>) {
        let present = |names: &BTreeSet<String>| -> Vec<String> {
            names
                .iter()
                .filter(|n| !n.ends_with(PRESENCE_SUFFIX))
                .cloned()
                .collect()
        };
        (present(&self.channels), present(&self.groups))
    }

    /// Names (without `-pnpres`) present in `self` but not in `other`: what to leave.
    pub(crate) fn left_behind(&self, other: &WireSet) -> (Vec<String>, Vec<String>) {
        let gone = |mine: &BTreeSet<String>, theirs: &BTreeSet<String>| -> Vec<String> {
            mine.iter()
                .filter(|n| !n.ends_with(PRESENCE_SUFFIX) && !theirs.contains(*n))
                .cloned()
                .collect()
        };
        (
            gone(&self.channels, &other.channels),
            gone(&self.groups, &other.groups),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::Message;
    use crate::subscribe::{PresenceAction, PresenceEvent, Status};

    fn names(channels: &[&str], groups: &[&str], presence: bool) -> Interest {
        Interest::Names {
            channels: channels.iter().map(|s| s.to_string()).collect(),
            groups: groups.iter().map(|s| s.to_string()).collect(),
            presence,
        }
    }

    fn message(channel: &str, subscription: &str) -> Event {
        let mut m = Message::new(channel, 1.into());
        m.subscription = subscription.into();
        Event::Message(m)
    }

    #[test]
    fn routes_by_subscription_then_channel() {
        let chat = names(&["chat"], &[], false);
        assert!(chat.wants(&message("chat", "chat")));
        assert!(!chat.wants(&message("news", "news")));
        assert!(chat.wants(&message("chat", "rooms")), "c matches");
        let group = names(&[], &["rooms"], false);
        assert!(group.wants(&message("chat", "rooms")));
        assert!(!group.wants(&message("chat", "chat")));
        let wildcard = names(&["sports.*"], &[], false);
        assert!(wildcard.wants(&message("sports.tennis", "sports.*")));
        assert!(wildcard.wants(&message("sports.golf", "sports.golf")));
        assert!(!wildcard.wants(&message("sports", "sports")));
        assert!(chat.wants(&Event::Status(Status::Lagged { missed: 1 })));
        assert!(!Interest::Statuses.wants(&message("chat", "chat")));
    }

    #[test]
    fn presence_only_when_asked() {
        let join = Event::Presence(PresenceEvent::new(
            "chat",
            PresenceAction::Leave { uuid: "u".into() },
        ));
        assert!(!names(&["chat"], &[], false).wants(&join));
        assert!(names(&["chat"], &[], true).wants(&join));
        assert!(names(&["chat-pnpres"], &[], false).wants(&join));
    }

    #[test]
    fn wire_names_and_leave_sets() {
        let mut wire = WireSet::default();
        names(&["a"], &["g"], true).add_wire_names(&mut wire);
        names(&["b"], &[], false).add_wire_names(&mut wire);
        assert_eq!(wire.channel_list(), ["a", "a-pnpres", "b"]);
        assert_eq!(wire.group_list(), ["g", "g-pnpres"]);
        names(&["c-pnpres"], &[], false).add_wire_names(&mut wire);
        assert_eq!(
            wire.announced(),
            (vec!["a".into(), "b".into()], vec!["g".into()])
        );
        let mut smaller = WireSet::default();
        names(&["b"], &[], false).add_wire_names(&mut smaller);
        assert_eq!(
            wire.left_behind(&smaller),
            (vec!["a".into()], vec!["g".into()])
        );
    }

    #[test]
    fn removing_names_empties_a_subscription() {
        let mut interest = names(&["a", "b"], &["g"], false);
        assert!(interest.remove(&["a".into()], &[]));
        assert!(!interest.remove(&["zzz".into()], &[]));
        assert!(interest.remove(&["b".into()], &["g".into()]));
        assert!(interest.is_empty_subscription());
        assert!(!Interest::Everything.is_empty_subscription());
    }
}
