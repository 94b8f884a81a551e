//! `pubnub.list_channels_in_channel_group()`.

use std::future::IntoFuture;

use futures::future::BoxFuture;

use super::{call, channels, group_request};
use crate::client::PubNub;
use crate::error::RequestError;
use crate::transport::Request;

/// Lists the channels of a channel group; `.await` it for the names (empty for
/// an unknown group). Start with [`PubNub::list_channels_in_channel_group`].
///
/// Defaults: no group; one is needed.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = pubnub_devserver::DevServer::builder().start().await?;
/// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").user_id("alice")
/// #     .origin(server.origin()).secure(false).build()?;
/// pubnub.add_channels_to_channel_group().channel_group("friends").channels(["bob"]).await?;
/// let channels = pubnub.list_channels_in_channel_group().channel_group("friends").await?;
/// assert_eq!(channels, ["bob"]);
/// # Ok(()) }
/// ```
#[derive(Debug)]
#[must_use = "the call does nothing until awaited"]
pub struct ListChannelsBuilder {
    pubnub: PubNub,
    group: Option<String>,
}

impl PubNub {
    /// Starts listing the channels of a channel group: `GET …/channel-group/{cg}`.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let call = pubnub.list_channels_in_channel_group().channel_group("friends");
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn list_channels_in_channel_group(&self) -> ListChannelsBuilder {
        ListChannelsBuilder {
            pubnub: self.clone(),
            group: None,
        }
    }
}

impl ListChannelsBuilder {
    /// The channel group (required).
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let call = pubnub.list_channels_in_channel_group().channel_group("friends");
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn channel_group(mut self, group: impl Into<String>) -> Self {
        self.group = Some(group.into());
        self
    }

    fn request(&self) -> Result<Request, RequestError> {
        group_request(self.pubnub.config(), self.group.as_deref(), "")
    }
}

impl IntoFuture for ListChannelsBuilder {
    type Output = Result<Vec<String>, RequestError>;
    type IntoFuture = BoxFuture<'static, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        let request = self.request();
        call(self.pubnub, request, channels)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::offline_client;
    use serde_json::json;

    #[test]
    fn path_and_golden_body() {
        let pubnub = offline_client("s", "u");
        let req = pubnub
            .list_channels_in_channel_group()
            .channel_group("g")
            .request()
            .unwrap();
        assert_eq!(
            req.path,
            "/v1/channel-registration/sub-key/s/channel-group/g"
        );
        assert!(req.query.is_empty());
        assert!(pubnub.list_channels_in_channel_group().request().is_err());
        let body = json!({"status":200,"payload":{"channels":["ch1"],"group":"cg"},"service":"channel-registry","error":false});
        assert_eq!(channels(&body).unwrap(), ["ch1"]);
    }
}
