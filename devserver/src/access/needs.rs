//! Which permissions a request needs (protocol.md §14.2, and the choices
//! docs/protocol.md records where PubNub's rules are not public).

use http::Method;

use super::token::{Kind, DELETE, MANAGE, READ, WRITE};
use crate::decode::{decode, decode_path_list, split_list, Query};
use crate::faults::RouteClass;

const PNPRES: &str = "-pnpres";

/// One permission on one resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Need {
    pub(crate) kind: Kind,
    /// The resource name; a `-pnpres` name is also covered by its base name.
    pub(crate) name: String,
    pub(crate) bits: u32,
}

fn need(kind: Kind, name: String, bits: u32) -> Need {
    Need { kind, name, bits }
}

fn channels(raw: &str, bits: u32) -> Vec<Need> {
    decode_path_list(raw)
        .unwrap_or_default()
        .into_iter()
        .map(|c| need(Kind::Channel, c, bits))
        .collect()
}

fn groups(query: &Query, bits: u32) -> Vec<Need> {
    query
        .get("channel-group")
        .map(split_list)
        .unwrap_or_default()
        .into_iter()
        .map(|g| need(Kind::Group, g, bits))
        .collect()
}

/// The permissions a request of `class` needs. Undecodable names are left
/// out: the route answers those with 400 anyway.
///
/// - publish, signal: write on the channel;
/// - subscribe: read on every channel and group;
/// - presence calls naming channels (here now, heartbeat, leave, state):
///   read on them and on the groups; where now and global here now name no
///   resource and need only a valid token;
/// - channel groups: manage on the group to add, remove or delete; read to
///   list its channels; listing every group names none;
/// - history: read on the channels; deleting messages needs delete.
pub(crate) fn needs(class: RouteClass, segs: &[&str], query: &Query, method: &Method) -> Vec<Need> {
    match (class, segs) {
        (RouteClass::Publish | RouteClass::Signal, [_, _, _, _, channel, ..]) => {
            decode(channel, false)
                .map(|c| vec![need(Kind::Channel, c, WRITE)])
                .unwrap_or_default()
        }
        (RouteClass::Subscribe, ["v2", "subscribe", _, list, ..]) => {
            let mut all = channels(list, READ);
            all.extend(groups(query, READ));
            all
        }
        (RouteClass::Presence, ["v2", "presence", _, _, "channel", list, ..]) => {
            let mut all = channels(list, READ);
            all.extend(groups(query, READ));
            all
        }
        (RouteClass::ChannelGroups, [_, _, _, _, "channel-group", group, rest @ ..]) => {
            let edits =
                !rest.is_empty() || query.get("add").is_some() || query.get("remove").is_some();
            let bits = if edits { MANAGE } else { READ };
            decode(group, false)
                .map(|g| vec![need(Kind::Group, g, bits)])
                .unwrap_or_default()
        }
        (RouteClass::History, [_, _, "sub-key", _, "channel", list, ..]) => {
            let bits = if *method == Method::DELETE {
                DELETE
            } else {
                READ
            };
            channels(list, bits)
        }
        _ => Vec::new(),
    }
}

impl Need {
    /// The names whose permission covers this one: the name, and for
    /// `<name>-pnpres` also `<name>` (a grant on a channel or group covers
    /// its presence channel).
    pub(crate) fn covered_by(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.name.strip_suffix(PNPRES))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(class: RouteClass, path: &str, query: &str, method: Method) -> Vec<(Kind, String, u32)> {
        let segs: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let q = Query::parse(query).unwrap_or_default();
        needs(class, &segs, &q, &method)
            .into_iter()
            .map(|n| (n.kind, n.name, n.bits))
            .collect()
    }

    #[test]
    fn each_route_needs_its_permission() {
        use Kind::*;
        let get = || Method::GET;
        assert_eq!(
            of(RouteClass::Publish, "/publish/p/s/0/a%20b/0/1", "", get()),
            [(Channel, "a b".into(), WRITE)]
        );
        assert_eq!(
            of(
                RouteClass::Subscribe,
                "/v2/subscribe/s/a,b-pnpres/0",
                "channel-group=g",
                get()
            ),
            [
                (Channel, "a".into(), READ),
                (Channel, "b-pnpres".into(), READ),
                (Group, "g".into(), READ)
            ]
        );
        assert_eq!(
            of(
                RouteClass::Presence,
                "/v2/presence/sub-key/s/channel/a/leave",
                "",
                get()
            ),
            [(Channel, "a".into(), READ)]
        );
        assert!(of(
            RouteClass::Presence,
            "/v2/presence/sub-key/s/uuid/u",
            "",
            get()
        )
        .is_empty());
        let cg = "/v1/channel-registration/sub-key/s/channel-group/g";
        assert_eq!(
            of(RouteClass::ChannelGroups, cg, "add=a", get()),
            [(Group, "g".into(), MANAGE)]
        );
        assert_eq!(
            of(
                RouteClass::ChannelGroups,
                &format!("{cg}/remove"),
                "",
                get()
            ),
            [(Group, "g".into(), MANAGE)]
        );
        assert_eq!(
            of(RouteClass::ChannelGroups, cg, "", get()),
            [(Group, "g".into(), READ)]
        );
        assert_eq!(
            of(
                RouteClass::History,
                "/v3/history/sub-key/s/channel/a",
                "",
                Method::DELETE
            ),
            [(Channel, "a".into(), DELETE)]
        );
        assert!(of(RouteClass::Time, "/time/0", "", get()).is_empty());
    }
}
