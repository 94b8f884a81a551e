//! The leave REST call: stop being present on channels and groups.

use std::future::IntoFuture;

use futures::future::BoxFuture;

use super::announce::{self, Announcement};
use super::builder::PresenceBuilder;
use super::targets::Targets;
use crate::client::PubNub;
use crate::error::RequestError;

/// An explicit leave; `.await` it. Start with [`PubNub::leave`].
///
/// Unsubscribing already leaves (unless `suppress_leave_events` is set); this
/// call is for clients that announce presence with heartbeats only. The state
/// this client set on those channels/groups is forgotten.
///
/// Names are added with [`channels`](PresenceBuilder::channels) and
/// [`channel_groups`](PresenceBuilder::channel_groups) (one name or many).
///
/// Defaults: no channels and no groups; at least one is needed.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = pubnub_devserver::DevServer::builder().start().await?;
/// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").user_id("alice")
/// #     .origin(server.origin()).secure(false).build()?;
/// pubnub.leave().channels(["chat"]).await?;
/// # Ok(()) }
/// ```
pub type LeaveBuilder = PresenceBuilder<Leave>;

/// The settings of a [`LeaveBuilder`] beside its channels and groups (none).
#[derive(Debug)]
pub struct Leave;

impl PubNub {
    /// Starts an explicit leave.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let call = pubnub.leave().channels(["chat"]);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn leave(&self) -> LeaveBuilder {
        PresenceBuilder::new(self, Leave)
    }
}

impl IntoFuture for LeaveBuilder {
    type Output = Result<(), RequestError>;
    type IntoFuture = BoxFuture<'static, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        let targets = Targets::new(&self.channels, &self.groups);
        let pubnub = self.pubnub;
        Box::pin(
            async move { announce::announce(pubnub.inner(), Announcement::Leave, &targets?).await },
        )
    }
}
