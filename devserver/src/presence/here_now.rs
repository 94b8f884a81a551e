//! Here-now queries and their exact response bodies (protocol.md §8.2).

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::channel::Channel;
use super::PresenceRegistry;

/// The answer to a here-now query.
///
/// `channels` holds every requested channel, unoccupied ones with occupancy
/// 0. The multi-channel body lists only occupied channels (and counts only
/// those in `total_channels`), as the real server's global here-now does; the
/// single-channel body always describes the one channel.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct HereNow {
    /// Per requested channel, sorted by name.
    pub channels: BTreeMap<String, ChannelPresence>,
}

/// One channel's occupancy and occupants.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ChannelPresence {
    /// Number of distinct uuids present.
    pub occupancy: usize,
    /// Who, in the shape the query asked for.
    pub occupants: Occupants,
}

/// The `uuids` field of a here-now answer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Occupants {
    /// `disable_uuids=1`: no `uuids` key.
    Hidden,
    /// `uuids` as plain strings.
    Uuids(Vec<String>),
    /// `state=1`: `uuids` as `{"uuid", "state"}` objects (`state` left out if none).
    WithState(Vec<Occupant>),
}

/// One uuid with its state on a channel.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Occupant {
    /// The uuid.
    pub uuid: String,
    /// Its state on the channel, if any.
    pub state: Option<Map<String, Value>>,
}

impl ChannelPresence {
    fn of(channel: Option<&Channel>, include_uuids: bool, include_state: bool) -> Self {
        let members = channel.map(|c| &c.members);
        let occupancy = members.map_or(0, BTreeMap::len);
        let uuids = members.into_iter().flatten();
        let occupants = match (include_uuids, include_state) {
            (false, _) => Occupants::Hidden,
            (true, false) => Occupants::Uuids(uuids.map(|(u, _)| u.clone()).collect()),
            (true, true) => Occupants::WithState(
                uuids
                    .map(|(u, m)| Occupant {
                        uuid: u.clone(),
                        state: m.state.clone(),
                    })
                    .collect(),
            ),
        };
        ChannelPresence {
            occupancy,
            occupants,
        }
    }

    /// `{"uuids": […], "occupancy": n}` (no `uuids` when hidden).
    pub(crate) fn to_json(&self) -> Value {
        let mut obj = Map::new();
        let uuids = match &self.occupants {
            Occupants::Hidden => None,
            Occupants::Uuids(u) => Some(json!(u)),
            Occupants::WithState(list) => Some(Value::Array(
                list.iter()
                    .map(|o| {
                        let mut entry = Map::new();
                        entry.insert("uuid".to_owned(), json!(o.uuid));
                        if let Some(state) = &o.state {
                            entry.insert("state".to_owned(), Value::Object(state.clone()));
                        }
                        Value::Object(entry)
                    })
                    .collect(),
            )),
        };
        if let Some(uuids) = uuids {
            obj.insert("uuids".to_owned(), uuids);
        }
        obj.insert("occupancy".to_owned(), json!(self.occupancy));
        Value::Object(obj)
    }
}

impl HereNow {
    /// Applies the `offset=` / `limit=` query parameters: per channel, skips
    /// the first `offset` occupants (sorted by uuid) and keeps at most
    /// `limit`. Occupancy and totals are unchanged.
    #[must_use]
    pub(crate) fn paged(mut self, offset: usize, limit: usize) -> HereNow {
        fn page<T>(list: &mut Vec<T>, offset: usize, limit: usize) {
            list.drain(..offset.min(list.len()));
            list.truncate(limit);
        }
        for c in self.channels.values_mut() {
            match &mut c.occupants {
                Occupants::Hidden => {}
                Occupants::Uuids(list) => page(list, offset, limit),
                Occupants::WithState(list) => page(list, offset, limit),
            }
        }
        self
    }

    /// Number of occupied channels in the answer.
    pub(crate) fn total_channels(&self) -> usize {
        self.channels.values().filter(|c| c.occupancy > 0).count()
    }

    /// Sum of the channels' occupancies.
    pub(crate) fn total_occupancy(&self) -> usize {
        self.channels.values().map(|c| c.occupancy).sum()
    }

    /// The single-channel body for `channel`; a channel absent from the answer
    /// renders as empty (`"uuids": [], "occupancy": 0`).
    pub(crate) fn single_channel_body(&self, channel: &str) -> Value {
        let empty = ChannelPresence {
            occupancy: 0,
            occupants: Occupants::Uuids(Vec::new()),
        };
        let mut body = match self.channels.get(channel).unwrap_or(&empty).to_json() {
            Value::Object(obj) => obj,
            _ => Map::new(),
        };
        body.insert("status".to_owned(), json!(200));
        body.insert("message".to_owned(), json!("OK"));
        body.insert("service".to_owned(), json!("Presence"));
        Value::Object(body)
    }

    /// The multi-channel (and global) body: `payload.channels` (occupied
    /// channels only), `total_channels`, `total_occupancy`.
    pub(crate) fn multi_channel_body(&self) -> Value {
        let channels: Map<String, Value> = self
            .channels
            .iter()
            .filter(|(_, c)| c.occupancy > 0)
            .map(|(name, c)| (name.clone(), c.to_json()))
            .collect();
        json!({
            "status": 200,
            "message": "OK",
            "service": "Presence",
            "payload": {
                "channels": channels,
                "total_channels": self.total_channels(),
                "total_occupancy": self.total_occupancy(),
            },
        })
    }
}

impl PresenceRegistry {
    /// Who is on each of `channels`. `include_uuids: false` is
    /// `disable_uuids=1`; `include_state` is `state=1`.
    pub(crate) fn here_now(
        &self,
        channels: &[String],
        include_uuids: bool,
        include_state: bool,
    ) -> HereNow {
        let channels = channels
            .iter()
            .map(|name| {
                let presence =
                    ChannelPresence::of(self.channel(name), include_uuids, include_state);
                (name.clone(), presence)
            })
            .collect();
        HereNow { channels }
    }

    /// Here-now over every occupied channel (render with
    /// [`HereNow::multi_channel_body`]).
    pub(crate) fn global_here_now(&self, include_uuids: bool, include_state: bool) -> HereNow {
        self.here_now(&self.active_channels(), include_uuids, include_state)
    }
}
