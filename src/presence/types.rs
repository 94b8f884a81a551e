//! Results of the presence calls.

use std::collections::BTreeMap;

use serde_json::Value;

/// Who is on which channel: the result of [`PubNub::here_now`](crate::PubNub::here_now).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = pubnub_devserver::DevServer::builder().start().await?;
/// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").user_id("alice")
/// #     .origin(server.origin()).secure(false).build()?;
/// let result = pubnub.here_now().channels(["chat"]).await?;
/// for (channel, occupancy) in &result.channels {
///     println!("{channel}: {} present", occupancy.occupancy);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct HereNowResult {
    /// How many channels the answer covers.
    pub total_channels: u64,
    /// The sum of the channels' occupancies.
    pub total_occupancy: u64,
    /// Each channel's occupancy, by channel name.
    pub channels: BTreeMap<String, ChannelOccupancy>,
}

/// One channel in a [`HereNowResult`].
///
/// ```
/// let occupancy = pubnub_stream::ChannelOccupancy::default();
/// assert_eq!(occupancy.occupancy, 0);
/// assert!(occupancy.occupants.is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct ChannelOccupancy {
    /// How many distinct user ids are present.
    pub occupancy: u64,
    /// Who they are (empty when `include_uuids(false)` was asked).
    pub occupants: Vec<Occupant>,
}

/// One present user in a [`ChannelOccupancy`].
///
/// ```
/// let occupant = pubnub_stream::Occupant::default();
/// assert!(occupant.uuid.is_empty() && occupant.state.is_none());
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Occupant {
    /// The user id.
    pub uuid: String,
    /// The user's state on the channel, when `include_state(true)` was asked
    /// and the user has one.
    pub state: Option<Value>,
}
