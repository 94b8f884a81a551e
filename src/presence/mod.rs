//! Presence: who is where ([`PubNub::here_now`](crate::PubNub::here_now),
//! [`PubNub::where_now`](crate::PubNub::where_now)), per-channel state
//! ([`PubNub::set_state`](crate::PubNub::set_state),
//! [`PubNub::get_state`](crate::PubNub::get_state)), and the heartbeat and
//! leave calls. Presence calls leave `-pnpres` names out.

mod builder;
mod heartbeat;
mod heartbeat_loop;
mod here_now;
mod leave;
mod state;
mod state_store;
mod targets;
#[cfg(test)]
pub(crate) mod test_json;
mod types;
mod where_now;

pub use builder::PresenceBuilder;
pub use heartbeat::HeartbeatBuilder;
pub use here_now::HereNowBuilder;
pub use leave::LeaveBuilder;
pub use state::{GetStateBuilder, SetStateBuilder};
pub use types::{ChannelOccupancy, HereNowResult, Occupant};
pub use where_now::WhereNowBuilder;

pub(crate) use heartbeat_loop::{HeartbeatLoop, HeartbeatReport, HeartbeatTargets};
pub(crate) use leave::leave;
pub(crate) use state_store::presence_state_json;
pub(crate) use state_store::StateStore;
#[cfg(feature = "bench-internals")]
pub(crate) use {here_now::parse_here_now, state::parse_get_state};
