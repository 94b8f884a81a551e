//! [`PresenceBuilder`]: the one builder shape of the presence calls about
//! channels and channel groups, with their name setters written once.

use crate::names::IntoNames;
use crate::PubNub;

/// A presence call about channels and channel groups; `.await` it. The calls
/// are [`HereNowBuilder`](crate::HereNowBuilder),
/// [`HeartbeatBuilder`](crate::HeartbeatBuilder),
/// [`LeaveBuilder`](crate::LeaveBuilder),
/// [`SetStateBuilder`](crate::SetStateBuilder) and
/// [`GetStateBuilder`](crate::GetStateBuilder); `C` holds the call's own
/// settings.
///
/// Names are taken as [`IntoNames`]: one name or many. `-pnpres` names are
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

    /// Adds channels: a name, an array, a slice, a `Vec`, a set or a mapped
    /// iterator ([`IntoNames`]). Repeatable; `-pnpres` names are ignored.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let one = pubnub.here_now().channels("a");
    /// let two = pubnub.here_now().channels(["a", "b"]);
    /// let owned = pubnub.here_now().channels(vec![String::from("a")]);
    /// let mapped = pubnub.leave().channels((1..3).map(|n| format!("room-{n}")));
    /// let state = pubnub.set_state().channels("a").channels(&["b", "c"]);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn channels(mut self, channels: impl IntoNames) -> Self {
        self.channels.extend(channels.into_names());
        self
    }

    /// Adds channel groups, taken like [`channels`](Self::channels).
    /// Repeatable; `-pnpres` names are ignored.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let one = pubnub.here_now().channel_groups("friends");
    /// let two = pubnub.heartbeat().channel_groups(["friends", "family"]);
    /// let owned = pubnub.get_state().channel_groups(vec![String::from("friends")]);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn channel_groups(mut self, groups: impl IntoNames) -> Self {
        self.groups.extend(groups.into_names());
        self
    }
}
