//! The heartbeat REST call: "I am still here" for channels and groups.

use std::future::IntoFuture;

use futures::future::BoxFuture;

use super::announce::{self, Announcement};
use super::builder::PresenceBuilder;
use super::targets::Targets;
use crate::client::PubNub;
use crate::error::RequestError;

/// One explicit heartbeat; `.await` it. Start with [`PubNub::heartbeat`].
///
/// Sends the configured presence timeout (`heartbeat=`) and the state this
/// client set on those channels/groups (`state=`). Usually the client sends
/// heartbeats itself when `heartbeat_interval` is configured.
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
/// pubnub.heartbeat().channels(["chat"]).channel_groups(["friends"]).await?;
/// # Ok(()) }
/// ```
pub type HeartbeatBuilder = PresenceBuilder<Heartbeat>;

/// The settings of a [`HeartbeatBuilder`] beside its channels and groups (none).
#[derive(Debug)]
pub struct Heartbeat;

impl PubNub {
    /// Starts an explicit heartbeat.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let call = pubnub.heartbeat().channels(["chat"]);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn heartbeat(&self) -> HeartbeatBuilder {
        PresenceBuilder::new(self, Heartbeat)
    }
}

impl IntoFuture for HeartbeatBuilder {
    type Output = Result<(), RequestError>;
    type IntoFuture = BoxFuture<'static, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        let targets = Targets::new(&self.channels, &self.groups);
        let pubnub = self.pubnub;
        Box::pin(async move {
            announce::announce(pubnub.inner(), Announcement::Heartbeat, &targets?).await
        })
    }
}
