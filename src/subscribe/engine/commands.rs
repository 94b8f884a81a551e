//! How the engine applies commands from handles.

use super::interest::WireSet;
use super::run::{Engine, Flow};
use super::slot::{Connection, Slot};
use super::state::LoopState;
use super::{Command, Reply};
use crate::protocol::timetoken::Timetoken;
use crate::subscribe::validate::{names_uri_bytes, too_long, MAX_NAMES_URI_BYTES};
use crate::subscribe::{Event, Status};

impl Engine {
    pub(super) fn handle(&mut self, command: Command) -> Flow {
        match command {
            Command::Register {
                id,
                slot,
                timetoken,
            } => self.register(id, slot, timetoken),
            Command::Remove { id } => {
                let before = self.wire();
                if self.slots.remove(&id).is_none() {
                    return Flow::Keep;
                }
                self.slots_changed();
                self.after_removal(&before, None)
            }
            Command::Unsubscribe {
                channels,
                groups,
                reply,
            } => self.unsubscribe(channels, groups, reply),
            Command::UnsubscribeAll { reply } => {
                let wire = self.wire();
                let flow = self.unsubscribe(wire.channel_list(), wire.group_list(), reply);
                self.cursor = None;
                self.catch_up = None;
                self.state.forget_connection();
                flow
            }
            Command::Disconnect => {
                if !self.state.is_running() {
                    return Flow::Keep;
                }
                self.disconnect();
                Flow::Restart
            }
            Command::HeartbeatFailed {
                channels,
                groups,
                error,
            } => {
                self.heartbeat_failed(channels, groups, error);
                Flow::Keep
            }
            Command::Reconnect => {
                // handshake first (it answers at once, so subscriptions learn
                // they are connected), then catch up from the kept cursor
                self.handshake_next();
                self.state.restart();
                self.set_connection(Connection::Pending);
                Flow::Restart
            }
        }
    }

    /// Makes the next request a handshake, and the receive after it continue
    /// from the kept cursor (a catch-up), so nothing published meanwhile is
    /// skipped.
    fn handshake_next(&mut self) {
        if let Some(cursor) = self.cursor.take() {
            self.catch_up = self.catch_up.or(Some(cursor.timetoken));
        }
    }

    fn register(&mut self, id: u64, slot: Slot, timetoken: Option<Timetoken>) -> Flow {
        if slot.interest.is_empty_subscription() {
            return Flow::Keep; // dropping the slot ends that stream at once
        }
        if let LoopState::Terminated { status, .. } = &self.state {
            // the client stopped for good: this one ends at once with the reason
            let status = status.clone();
            let mut slot = slot;
            slot.deliver(Event::Status(status.clone()));
            slot.set_connection(Connection::Failed(status));
            return Flow::Keep;
        }
        let before = self.wire();
        let mut candidate = before.clone();
        slot.interest.add_wire_names(&mut candidate);
        let union_bytes = names_uri_bytes(&candidate.channels, &candidate.groups);
        if union_bytes > MAX_NAMES_URI_BYTES {
            // this one alone would break the request of every subscription
            let status = Status::BadRequest {
                error: too_long(union_bytes),
            };
            let mut slot = slot;
            slot.deliver(Event::Status(status.clone()));
            slot.set_connection(Connection::Failed(status));
            return Flow::Keep; // dropping the slot ends that stream
        }
        self.slots.insert(id, slot);
        self.slots_changed();
        let after = self.wire();
        let mut flow = if before == after {
            Flow::Keep
        } else {
            Flow::Restart
        };
        if let Some(timetoken) = timetoken {
            match &mut self.cursor {
                Some(cursor) => cursor.timetoken = timetoken,
                None => self.catch_up = Some(timetoken),
            }
            flow = Flow::Restart;
        }
        let taken = self.state.is_connected() && self.confirmed_names().covers(&after);
        if self.state.is_connected() && !taken && flow == Flow::Restart {
            // New names on a connected loop: a long-poll would only answer
            // when a message comes, so the next request is a handshake (it
            // answers at once: the newcomer learns it is connected, or why
            // the server refused its names).
            self.handshake_next();
        }
        if let Some(status) = self.state.stopped_with() {
            if let Some(slot) = self.slots.get(&id) {
                slot.set_connection(Connection::Failed(status));
            }
        } else if taken {
            // its names were all in the last successful request: connected
            // now (it always hears the mix; the others heard it already)
            let status = Status::Connected {
                channels: after.channel_list(),
                groups: after.group_list(),
            };
            if self.slots.get(&id).is_some_and(|slot| slot.statuses) {
                self.deliver_to(&[id], Event::Status(status));
            }
            self.confirmed.insert(id);
            if let Some(slot) = self.slots.get(&id) {
                slot.set_connection(Connection::Connected);
            }
        }
        // otherwise it connects with the first successful request that
        // carries its names (`connect_newcomers`), or fails with it
        flow
    }

    fn unsubscribe(&mut self, channels: Vec<String>, groups: Vec<String>, reply: Reply) -> Flow {
        let before = self.wire();
        let mut touched = false;
        for slot in self.slots.values_mut() {
            touched |= slot.interest.remove(&channels, &groups);
        }
        self.slots_changed();
        if touched {
            self.broadcast(Status::Acknowledgment {
                channels: channels.clone(),
                groups: groups.clone(),
            });
        }
        self.slots
            .retain(|_, slot| !slot.interest.is_empty_subscription());
        self.slots_changed();
        self.after_removal(&before, Some(reply))
    }

    /// Sends a leave for names no longer subscribed and restarts if the wire changed.
    fn after_removal(&mut self, before: &WireSet, reply: Option<Reply>) -> Flow {
        let after = self.wire();
        let (channels, groups) = before.left_behind(&after);
        // heartbeats stop naming what is left before the leave goes out
        self.sync_heartbeats();
        self.leave(channels, groups, reply);
        if before == &after {
            Flow::Keep
        } else {
            if self.state.is_connected() && !after.is_empty() {
                self.broadcast(Status::Connected {
                    channels: after.channel_list(),
                    groups: after.group_list(),
                });
            }
            Flow::Restart
        }
    }
}
