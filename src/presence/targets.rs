//! [`Targets`]: the checked channels and groups a presence call is about.

use crate::protocol::channel::PRESENCE_SUFFIX;
use crate::protocol::{channel, url};
use crate::rest::{validate_group, with_channel_groups};
use crate::transport::Request;

use crate::error::RequestError;

/// The channels and groups a presence call is about, without `-pnpres` names,
/// each checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Targets {
    pub(crate) channels: Vec<String>,
    pub(crate) groups: Vec<String>,
}

impl Targets {
    /// Drops `-pnpres` names, validates the rest, sorts and de-duplicates.
    pub(crate) fn new(channels: &[String], groups: &[String]) -> Result<Self, RequestError> {
        let clean = |names: &[String]| {
            let mut kept: Vec<String> = names
                .iter()
                .filter(|n| !n.ends_with(PRESENCE_SUFFIX))
                .cloned()
                .collect();
            kept.sort_unstable();
            kept.dedup();
            kept
        };
        let targets = Targets {
            channels: clean(channels),
            groups: clean(groups),
        };
        for c in &targets.channels {
            channel::validate(c)?;
        }
        for g in &targets.groups {
            validate_group(g)?;
        }
        Ok(targets)
    }

    /// Neither channels nor groups.
    pub(crate) fn is_empty(&self) -> bool {
        self.channels.is_empty() && self.groups.is_empty()
    }

    /// The channel path segment (`,` when there are only groups).
    pub(crate) fn channel_segment(&self) -> String {
        url::channel_list(&self.channels)
    }

    /// The channel when exactly one is named and no group: the server then
    /// answers here_now and get_state with its one-channel body shape.
    pub(crate) fn single_channel(&self) -> Option<String> {
        match (self.channels.as_slice(), self.groups.is_empty()) {
            ([only], true) => Some(only.clone()),
            _ => None,
        }
    }

    /// Adds `channel-group=` when there are groups.
    pub(crate) fn with_groups(&self, req: Request) -> Request {
        with_channel_groups(req, &self.groups)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::RequestErrorKind;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn targets_drop_pnpres_sort_and_dedupe() {
        let t = Targets::new(&s(&["b", "a-pnpres", "a", "b"]), &s(&["g-pnpres", "g"])).unwrap();
        assert_eq!(t.channels, s(&["a", "b"]));
        assert_eq!(t.groups, s(&["g"]));
        assert_eq!(t.channel_segment(), "a,b");
        let only_groups = Targets::new(&[], &s(&["g"])).unwrap();
        assert_eq!(only_groups.channel_segment(), ",");
        assert!(Targets::new(&s(&["x-pnpres"]), &[]).unwrap().is_empty());
    }

    #[test]
    fn bad_names_are_typed_errors() {
        let long = "x".repeat(93);
        assert!(matches!(
            Targets::new(&[String::new()], &[]).unwrap_err().kind(),
            RequestErrorKind::InvalidChannel { .. }
        ));
        assert!(matches!(
            Targets::new(&[], &[long]).unwrap_err().kind(),
            RequestErrorKind::InvalidArgument { .. }
        ));
    }

    #[test]
    fn groups_parameter_is_sorted_and_joined() {
        let t = Targets::new(&[], &s(&["z", "a", "z"])).unwrap();
        let req = t.with_groups(Request::get("/".into(), std::time::Duration::from_secs(1)));
        assert_eq!(req.query, vec![("channel-group".into(), "a,z".to_owned())]);
    }
}
