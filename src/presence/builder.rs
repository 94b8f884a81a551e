//! [`PresenceBuilder`]: the one builder shape of the presence calls about
//! channels and channel groups.

use crate::client::PubNub;

/// A presence call about channels and channel groups; `.await` it. The calls
/// are [`HereNowBuilder`](crate::HereNowBuilder),
/// [`HeartbeatBuilder`](crate::HeartbeatBuilder),
/// [`LeaveBuilder`](crate::LeaveBuilder),
/// [`SetStateBuilder`](crate::SetStateBuilder) and
/// [`GetStateBuilder`](crate::GetStateBuilder); `C` holds the call's own
/// settings.
///
/// Names are taken as [`IntoNames`](crate::IntoNames): one name or many. `-pnpres` names are
/// ignored; the rest are sorted and de-duplicated before sending.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = pubnub_devserver::DevServer::builder().start().await?;
/// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").user_id("alice")
/// #     .origin(server.origin()).secure(false).build()?;
/// pubnub.heartbeat().channels("chat").channel_groups(["friends", "family"]).await?;
/// let room = pubnub.here_now().channels("chat").await?;
/// assert_eq!(room.total_occupancy, 1);
/// # Ok(()) }
/// ```
#[derive(Debug)]
#[must_use = "a presence call does nothing until awaited"]
pub struct PresenceBuilder<C> {
    pub(super) pubnub: PubNub,
    pub(super) channels: Vec<String>,
    pub(super) groups: Vec<String>,
    pub(super) call: C,
}

impl<C> PresenceBuilder<C> {
    /// A builder about no channel and no group yet.
    pub(super) fn new(pubnub: &PubNub, call: C) -> Self {
        PresenceBuilder {
            pubnub: pubnub.clone(),
            channels: Vec::new(),
            groups: Vec::new(),
            call,
        }
    }

    crate::names::name_setters!(channels: channels, channel_groups: groups, start: "here_now()");
}
