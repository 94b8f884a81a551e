//! Presence: who is where ([`PubNub::here_now`](crate::PubNub::here_now),
//! [`PubNub::where_now`](crate::PubNub::where_now)), per-channel state
//! ([`PubNub::set_state`](crate::PubNub::set_state),
//! [`PubNub::get_state`](crate::PubNub::get_state)), and the heartbeat and
//! leave calls. Presence calls leave `-pnpres` names out.

pub(crate) mod announce;
mod builder;
mod heartbeat;
pub(crate) mod heartbeat_loop;
mod here_now;
mod leave;
mod shaped_read;
mod state;
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

#[cfg(feature = "bench-internals")]
pub(crate) use {here_now::parse_here_now, state::parse_get_state};
