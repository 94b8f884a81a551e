//! `pubnub.remove_channels_from_channel_group()`.

use super::edit::EditChannelGroupBuilder;
use crate::client::PubNub;

impl PubNub {
    /// Starts removing channels from a channel group:
    /// `GET …/channel-group/{cg}?remove=ch1,ch2`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let server = pubnub_devserver::DevServer::builder().start().await?;
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").user_id("alice")
    /// #     .origin(server.origin()).secure(false).build()?;
    /// pubnub.remove_channels_from_channel_group().channel_group("g").channels(["a"]).await?;
    /// # Ok(()) }
    /// ```
    pub fn remove_channels_from_channel_group(&self) -> EditChannelGroupBuilder {
        EditChannelGroupBuilder::new(self, "remove")
    }
}
