//! Which queued messages a subscribe request receives, and with which `b`.

use std::collections::{HashSet, VecDeque};
use std::sync::Arc;

use super::channels::{Kind, Published};
use super::groups::Groups;
use super::Inner;
use crate::filter::{FilterExpr, MessageContext};
use crate::presence::PRESENCE_SUFFIX;

/// The channels, wildcard patterns and groups of one subscribe request.
#[derive(Debug, Clone, Default)]
pub(crate) struct Subscription {
    pub(crate) sub_key: String,
    channels: HashSet<String>,
    wildcards: Vec<String>,
    groups: Vec<String>,
    filter: Option<FilterExpr>,
}

/// One message to deliver, with the subscription match to put in `b`.
#[derive(Debug, Clone)]
pub(crate) struct Delivery {
    pub(crate) msg: Arc<Published>,
    pub(crate) matched: Option<String>,
}

/// How a subscription covers a channel.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Match {
    /// Not at all.
    Miss,
    /// By the channel's own name: `b` is left out.
    Direct,
    /// Through this pattern, group or presence name: it goes into `b`.
    Through(String),
}

impl Match {
    /// A plain channel subscribed by name: presence channels carry their name in `b`.
    fn plain(channel: &str) -> Self {
        if channel.ends_with(PRESENCE_SUFFIX) {
            Match::Through(channel.to_owned())
        } else {
            Match::Direct
        }
    }

    /// The envelope's `b`, if any.
    fn subscription_match(&self) -> Option<String> {
        match self {
            Match::Miss | Match::Direct => None,
            Match::Through(name) => Some(name.clone()),
        }
    }
}

/// The part of a wildcard pattern a channel must start with (`a.*` → `a.`),
/// and whether it asks for presence (`a.*-pnpres`).
fn wildcard_prefix(pattern: &str) -> Option<(&str, bool)> {
    if let Some(base) = pattern.strip_suffix(PRESENCE_SUFFIX) {
        base.strip_suffix('*').map(|p| (p, true))
    } else {
        pattern.strip_suffix('*').map(|p| (p, false))
    }
}

/// Whether wildcard `pattern` (`a.*` or `a.*-pnpres`) covers `channel`.
pub(crate) fn wildcard_hit(pattern: &str, channel: &str) -> bool {
    let Some((prefix, presence)) = wildcard_prefix(pattern) else {
        return false;
    };
    let name = match (presence, channel.strip_suffix(PRESENCE_SUFFIX)) {
        (true, Some(base)) => base,
        (false, None) => channel,
        _ => return false,
    };
    name.len() > prefix.len() && name.starts_with(prefix)
}

/// Whether `group` (or `<group>-pnpres`) of `sub_key` covers `channel`, with today's members.
pub(crate) fn group_hit(groups: &Groups, sub_key: &str, group: &str, channel: &str) -> bool {
    match (
        group.strip_suffix(PRESENCE_SUFFIX),
        channel.strip_suffix(PRESENCE_SUFFIX),
    ) {
        (Some(g), Some(base)) => groups.contains(sub_key, g, base),
        (None, None) => groups.contains(sub_key, group, channel),
        _ => false,
    }
}

impl Subscription {
    /// Build from validated channel names (plain, `-pnpres`, or `x.*` patterns) and groups.
    pub(crate) fn new(sub_key: &str, channels: Vec<String>, groups: Vec<String>) -> Self {
        let (wildcards, plain): (Vec<String>, Vec<String>) = channels
            .into_iter()
            .partition(|c| wildcard_prefix(c).is_some());
        Subscription {
            sub_key: sub_key.to_owned(),
            channels: plain.into_iter().collect(),
            wildcards,
            groups,
            filter: None,
        }
    }

    /// Deliver only messages and signals that pass `filter` (presence events always pass).
    pub(crate) fn with_filter(mut self, filter: Option<FilterExpr>) -> Self {
        self.filter = filter;
        self
    }

    fn passes(&self, msg: &Published) -> bool {
        let Some(filter) = &self.filter else {
            return true;
        };
        if msg.kind == Kind::Presence {
            return true;
        }
        let data: serde_json::Value =
            serde_json::from_str(msg.payload.get()).unwrap_or(serde_json::Value::Null);
        let meta: Option<serde_json::Value> = msg
            .meta
            .as_ref()
            .and_then(|m| serde_json::from_str(m.get()).ok());
        filter.matches(&MessageContext {
            uuid: msg.publisher.as_deref(),
            meta: meta.as_ref(),
            data: &data,
        })
    }

    /// The plain channel names (including `-pnpres` ones).
    pub(crate) fn channel_names(&self) -> impl Iterator<Item = &str> {
        self.channels.iter().map(String::as_str)
    }

    /// The wildcard patterns (`a.*`, `a.*-pnpres`).
    pub(crate) fn wildcard_patterns(&self) -> impl Iterator<Item = &str> {
        self.wildcards.iter().map(String::as_str)
    }

    /// The group names (including `-pnpres` ones).
    pub(crate) fn group_names(&self) -> impl Iterator<Item = &str> {
        self.groups.iter().map(String::as_str)
    }

    /// Appends the messages of `queue` after `after` that pass the filter.
    fn take(
        &self,
        out: &mut Vec<Delivery>,
        queue: &VecDeque<Arc<Published>>,
        after: u64,
        hit: &Match,
    ) {
        let matched = hit.subscription_match();
        // The queue is in timetoken order: skip what the cursor has seen.
        let start = queue.partition_point(|m| m.timetoken <= after);
        out.extend(
            queue
                .range(start..)
                .filter(|m| self.passes(m))
                .map(|m| Delivery {
                    msg: Arc::clone(m),
                    matched: matched.clone(),
                }),
        );
    }

    /// How `channel` is subscribed, if at all.
    fn matches(&self, groups: &Groups, channel: &str) -> Match {
        if self.channels.contains(channel) {
            return Match::plain(channel);
        }
        if let Some(pattern) = self.wildcards.iter().find(|p| wildcard_hit(p, channel)) {
            return Match::Through(pattern.clone());
        }
        if let Some(group) = self
            .groups
            .iter()
            .find(|g| group_hit(groups, &self.sub_key, g, channel))
        {
            return Match::Through(group.clone());
        }
        Match::Miss
    }

    /// Matching messages with `p.t > after`, in timetoken order, at most `cap`.
    ///
    /// Plain channels only: their queues are looked up directly; with
    /// wildcards or groups every queue of the key is checked.
    pub(crate) fn collect(&self, inner: &Inner, after: u64, cap: usize) -> Vec<Delivery> {
        let mut out = Vec::new();
        if self.wildcards.is_empty() && self.groups.is_empty() {
            for channel in &self.channels {
                if let Some(queue) = inner.channels.get(&self.sub_key, channel) {
                    self.take(&mut out, queue, after, &Match::plain(channel));
                }
            }
        } else {
            for (channel, queue) in inner.channels.iter_key(&self.sub_key) {
                if queue.back().is_none_or(|m| m.timetoken <= after) {
                    continue;
                }
                let hit = self.matches(&inner.groups, channel);
                if hit != Match::Miss {
                    self.take(&mut out, queue, after, &hit);
                }
            }
        }
        out.sort_by_key(|d| d.msg.timetoken);
        out.truncate(cap);
        out
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A subscription on key `s` to channels `chs` and groups `gs`.
    pub(crate) fn sub(chs: &[&str], gs: &[&str]) -> Subscription {
        Subscription::new(
            "s",
            chs.iter().map(|s| s.to_string()).collect(),
            gs.iter().map(|s| s.to_string()).collect(),
        )
    }

    #[test]
    fn match_rules() {
        let mut g = Groups::default();
        g.add("s", "cg", &["m".into()]);
        let s = sub(
            &["a", "p-pnpres", "w.*", "x.*-pnpres"],
            &["cg", "cg-pnpres"],
        );
        assert_eq!(s.matches(&g, "a"), Match::Direct);
        assert_eq!(s.matches(&g, "a-pnpres"), Match::Miss);
        assert_eq!(s.matches(&g, "p-pnpres"), Match::Through("p-pnpres".into()));
        assert_eq!(s.matches(&g, "w.b"), Match::Through("w.*".into()));
        assert_eq!(s.matches(&g, "w.b.c"), Match::Through("w.*".into()));
        assert_eq!(s.matches(&g, "w."), Match::Miss);
        assert_eq!(s.matches(&g, "w.b-pnpres"), Match::Miss);
        assert_eq!(
            s.matches(&g, "x.y-pnpres"),
            Match::Through("x.*-pnpres".into())
        );
        assert_eq!(s.matches(&g, "m"), Match::Through("cg".into()));
        assert_eq!(
            s.matches(&g, "m-pnpres"),
            Match::Through("cg-pnpres".into())
        );
        assert_eq!(s.matches(&g, "n"), Match::Miss);
    }
}
