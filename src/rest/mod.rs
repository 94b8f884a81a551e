//! Pieces every REST call shares (presence, channel groups, time): checking
//! and joining the names listed in a query value, the `channel-group`
//! parameter, and "send, check the status, parse the JSON body".

mod json;
mod names;

pub(crate) use json::{payload_strings, send_json};
pub(crate) use names::{joined, validate_group, validate_listed, with_channel_groups};
