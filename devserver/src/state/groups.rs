//! The channel-group registry (protocol.md §9), per subscribe key.

use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Groups → member channels, per subscribe key.
#[derive(Debug, Default)]
pub(crate) struct Groups {
    keys: HashMap<String, BTreeMap<String, BTreeSet<String>>>,
}

impl Groups {
    /// Add channels to a group, creating it.
    pub(crate) fn add(&mut self, sub_key: &str, group: &str, channels: &[String]) {
        let set = self
            .keys
            .entry(sub_key.to_owned())
            .or_default()
            .entry(group.to_owned())
            .or_default();
        set.extend(channels.iter().cloned());
    }

    /// Remove channels from a group; an emptied group disappears.
    pub(crate) fn remove(&mut self, sub_key: &str, group: &str, channels: &[String]) {
        if let Some(groups) = self.keys.get_mut(sub_key) {
            if let Some(set) = groups.get_mut(group) {
                for c in channels {
                    set.remove(c);
                }
                if set.is_empty() {
                    groups.remove(group);
                }
            }
        }
    }

    /// Delete a whole group.
    pub(crate) fn delete(&mut self, sub_key: &str, group: &str) {
        if let Some(groups) = self.keys.get_mut(sub_key) {
            groups.remove(group);
        }
    }

    /// Member channels of a group, sorted (empty for an unknown group).
    pub(crate) fn channels(&self, sub_key: &str, group: &str) -> Vec<String> {
        self.keys
            .get(sub_key)
            .and_then(|g| g.get(group))
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// Whether `channel` is a member of `group`.
    pub(crate) fn contains(&self, sub_key: &str, group: &str, channel: &str) -> bool {
        self.keys
            .get(sub_key)
            .and_then(|g| g.get(group))
            .is_some_and(|s| s.contains(channel))
    }

    /// All group names, sorted.
    pub(crate) fn groups(&self, sub_key: &str) -> Vec<String> {
        self.keys
            .get(sub_key)
            .map(|g| g.keys().cloned().collect())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_remove_delete() {
        let mut g = Groups::default();
        g.add("s", "cg", &["b".into(), "a".into()]);
        assert_eq!(g.channels("s", "cg"), vec!["a", "b"]);
        assert!(g.contains("s", "cg", "a"));
        assert!(!g.contains("other", "cg", "a"));
        g.remove("s", "cg", &["a".into()]);
        assert_eq!(g.channels("s", "cg"), vec!["b"]);
        g.add("s", "cg2", &["x".into()]);
        assert_eq!(g.groups("s"), vec!["cg", "cg2"]);
        g.delete("s", "cg");
        assert_eq!(g.groups("s"), vec!["cg2"]);
        g.remove("s", "cg2", &["x".into()]);
        assert!(g.groups("s").is_empty());
    }
}
