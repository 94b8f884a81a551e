//! Presence (protocol.md §8): a pure per-subscribe-key state machine plus the
//! exact JSON of its events and endpoint bodies.
//!
//! A server keeps one [`PresenceRegistry`] per subscribe key, calls
//! [`touch`](PresenceRegistry::touch) on every subscribe and heartbeat,
//! [`leave`](PresenceRegistry::leave), [`set_state`](PresenceRegistry::set_state)
//! on the matching routes, and [`sweep`](PresenceRegistry::sweep) from a timer
//! that sleeps until [`next_deadline`](PresenceRegistry::next_deadline). Each
//! call returns [`PresenceOutput`]s to publish on `<channel>-pnpres`.
//!
//! Choices where §8 is UNVERIFIED or silent:
//! - A membership is a (channel, uuid) pair with its own deadline
//!   `last activity + timeout`; a timeout is clamped up to `min_timeout`.
//! - Announce/interval mode is decided on the occupancy *after* a change: the
//!   join that takes a channel above `announce_max` is not announced
//!   individually but appears in the next `interval` event's `join`.
//! - `interval` events are sent every `interval` only when something changed
//!   since the last one. Each changed uuid appears once, in the list of its
//!   latest change (joined-then-left → `leave`), so applying the lists as set
//!   operations to any newer view (e.g. a here_now after a refresh) is exact.
//!   Only non-empty arrays are sent.
//!   `here_now_refresh: true` replaces the arrays when their JSON exceeds
//!   `max_delta_bytes`. With `deltas: false` the event has only `occupancy`.
//! - When occupancy falls back to `announce_max`, pending deltas are flushed
//!   at once in an `interval` event, then the leave/timeout is announced.
//! - `state-change` is announced individually in both modes. Heartbeat state
//!   updates an existing membership silently; `set_state` on a channel the
//!   uuid is not on joins it (the `join` carries `data`). `{}` clears state.

/// The suffix that names a channel's presence channel: `<channel>-pnpres`.
pub(crate) const PRESENCE_SUFFIX: &str = "-pnpres";

mod bodies;
mod channel;
mod clock;
mod config;
mod error;
mod event;
mod here_now;
mod registry;
mod state;

#[cfg(test)]
mod tests;

pub(crate) use bodies::{
    error_body, get_state_multi_body, get_state_single_body, heartbeat_body, leave_body,
    set_state_body, where_now_body,
};
pub(crate) use clock::Now;
pub use config::PresenceConfig;
pub(crate) use error::PresenceError;
pub(crate) use event::PresenceOutput;
#[cfg(test)]
pub(crate) use here_now::{ChannelPresence, HereNow, Occupant, Occupants};
pub(crate) use registry::PresenceRegistry;
