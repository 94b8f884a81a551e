//! `pubnub.delete_channel_group()`.

use std::future::IntoFuture;

use futures::future::BoxFuture;

use super::{acknowledged, call, group_request};
use crate::client::PubNub;
use crate::error::RequestError;
use crate::transport::Request;

/// Deletes a channel group; `.await` it. Start with [`PubNub::delete_channel_group`].
///
/// Defaults: no group; one is needed.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = pubnub_devserver::DevServer::builder().start().await?;
/// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").user_id("alice")
/// #     .origin(server.origin()).secure(false).build()?;
/// pubnub.delete_channel_group().channel_group("friends").await?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
#[must_use = "the call does nothing until awaited"]
pub struct DeleteChannelGroupBuilder {
    pubnub: PubNub,
    group: Option<String>,
}

impl PubNub {
    /// Starts deleting a channel group: `GET …/channel-group/{cg}/remove`.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let call = pubnub.delete_channel_group().channel_group("friends");
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn delete_channel_group(&self) -> DeleteChannelGroupBuilder {
        DeleteChannelGroupBuilder {
            pubnub: self.clone(),
            group: None,
        }
    }
}

impl DeleteChannelGroupBuilder {
    /// The channel group (required).
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let call = pubnub.delete_channel_group().channel_group("friends");
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn channel_group(mut self, group: impl Into<String>) -> Self {
        self.group = Some(group.into());
        self
    }

    fn request(&self) -> Result<Request, RequestError> {
        group_request(self.pubnub.config(), self.group.as_deref(), "/remove")
    }
}

impl IntoFuture for DeleteChannelGroupBuilder {
    type Output = Result<(), RequestError>;
    type IntoFuture = BoxFuture<'static, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        let request = self.request();
        call(self.pubnub, request, acknowledged)
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::offline_client;

    #[test]
    fn path() {
        let pubnub = offline_client("s", "u");
        let req = pubnub
            .delete_channel_group()
            .channel_group("a/b")
            .request()
            .unwrap();
        assert_eq!(
            req.path,
            "/v1/channel-registration/sub-key/s/channel-group/a%2Fb/remove"
        );
        assert!(pubnub.delete_channel_group().request().is_err());
    }
}
