//! [`EditChannelGroupBuilder`]: the add and remove calls share one builder.

use std::future::IntoFuture;

use futures::future::BoxFuture;

use super::{acknowledged, call, edit_request};
use crate::client::PubNub;
use crate::error::RequestError;
use crate::transport::Request;

/// Adds channels to, or removes channels from, a channel group; `.await` it.
/// Start with [`PubNub::add_channels_to_channel_group`] or
/// [`PubNub::remove_channels_from_channel_group`].
///
/// Defaults: no group and no channels; one group and at least one channel
/// are needed.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = pubnub_devserver::DevServer::builder().start().await?;
/// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").user_id("alice")
/// #     .origin(server.origin()).secure(false).build()?;
/// pubnub
///     .add_channels_to_channel_group()
///     .channel_group("friends")
///     .channels(["alice", "bob"])
///     .await?;
/// pubnub
///     .remove_channels_from_channel_group()
///     .channel_group("friends")
///     .channels(["bob"])
///     .await?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
#[must_use = "the call does nothing until awaited"]
pub struct EditChannelGroupBuilder {
    pubnub: PubNub,
    op: &'static str,
    group: Option<String>,
    channels: Vec<String>,
}

impl EditChannelGroupBuilder {
    pub(super) fn new(pubnub: &PubNub, op: &'static str) -> Self {
        EditChannelGroupBuilder {
            pubnub: pubnub.clone(),
            op,
            group: None,
            channels: Vec::new(),
        }
    }

    /// The channel group (required).
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let call = pubnub.add_channels_to_channel_group().channel_group("friends");
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn channel_group(mut self, group: impl Into<String>) -> Self {
        self.group = Some(group.into());
        self
    }

    crate::names::name_setters!(channels: channels, start: "add_channels_to_channel_group().channel_group(\"g\")");

    fn request(&self) -> Result<Request, RequestError> {
        edit_request(
            self.pubnub.config(),
            self.group.as_deref(),
            &self.channels,
            self.op,
        )
    }
}

impl IntoFuture for EditChannelGroupBuilder {
    type Output = Result<(), RequestError>;
    type IntoFuture = BoxFuture<'static, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        let request = self.request();
        call(self.pubnub, request, acknowledged)
    }
}
