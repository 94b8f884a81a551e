//! Presence state: set and get.

use serde_json::{Map, Value};

use super::channel::{Channel, Member};
use super::registry::{non_empty, unique};
use super::{Now, PresenceError, PresenceOutput, PresenceRegistry};

impl PresenceRegistry {
    /// Sets `uuid`'s state on `channels` and fires `state-change` (with the
    /// new state as `data` and the current `occupancy`). `state` must be an
    /// object; `{}` clears the state. On a channel the uuid is not on yet, the
    /// call joins it (with `default_timeout`) and the `join` carries the state.
    pub(crate) fn set_state(
        &mut self,
        now: Now,
        uuid: &str,
        channels: &[String],
        state: &Value,
    ) -> Result<Vec<PresenceOutput>, PresenceError> {
        let state = state.as_object().ok_or(PresenceError::StateNotObject)?;
        let mut out = Vec::new();
        for name in unique(channels) {
            if let Some(channel) = self.channels.get_mut(name) {
                if let Some(member) = channel.members.get_mut(uuid) {
                    member.state = non_empty(state);
                    out.extend(channel.state_change(now, uuid));
                    continue;
                }
            }
            let timeout = self
                .uuid_timeout(uuid)
                .unwrap_or_else(|| self.default_timeout());
            let member = Member {
                last_seen: now.instant,
                timeout,
                state: non_empty(state),
            };
            let channel = self
                .channels
                .entry(name.to_owned())
                .or_insert_with(|| Channel::new(name));
            out.extend(channel.join(&self.cfg, now, uuid, member));
            self.index(uuid, name);
        }
        Ok(out)
    }

    /// `uuid`'s state on each of `channels` where it has one.
    pub(crate) fn get_state(&self, uuid: &str, channels: &[String]) -> Map<String, Value> {
        unique(channels)
            .filter_map(|name| {
                let state = self.channels.get(name)?.members.get(uuid)?.state.as_ref()?;
                Some((name.to_owned(), Value::Object(state.clone())))
            })
            .collect()
    }
}
