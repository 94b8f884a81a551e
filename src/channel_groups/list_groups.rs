//! `pubnub.list_channel_groups()`.

use std::future::IntoFuture;

use futures::future::BoxFuture;

use super::{call, groups, registry_path};
use crate::client::PubNub;
use crate::error::RequestError;
use crate::transport::Request;

/// Lists the keyset's channel groups; `.await` it for the names.
/// Start with [`PubNub::list_channel_groups`].
///
/// Defaults: nothing to set; the keyset is the client's subscribe key.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = pubnub_devserver::DevServer::builder().start().await?;
/// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").user_id("alice")
/// #     .origin(server.origin()).secure(false).build()?;
/// pubnub.add_channels_to_channel_group().channel_group("friends").channels(["bob"]).await?;
/// let groups = pubnub.list_channel_groups().await?;
/// assert_eq!(groups, ["friends"]);
/// # Ok(()) }
/// ```
#[derive(Debug)]
#[must_use = "the call does nothing until awaited"]
pub struct ListChannelGroupsBuilder {
    pubnub: PubNub,
}

impl PubNub {
    /// Starts listing channel groups: `GET /v1/channel-registration/sub-key/{sub}/channel-group`.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let call = pubnub.list_channel_groups();
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn list_channel_groups(&self) -> ListChannelGroupsBuilder {
        ListChannelGroupsBuilder {
            pubnub: self.clone(),
        }
    }
}

impl IntoFuture for ListChannelGroupsBuilder {
    type Output = Result<Vec<String>, RequestError>;
    type IntoFuture = BoxFuture<'static, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        let config = self.pubnub.config();
        let request = Request::get(registry_path(config), config.request_timeout());
        call(self.pubnub, Ok(request), groups)
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
        assert_eq!(
            registry_path(pubnub.config()),
            "/v1/channel-registration/sub-key/s/channel-group"
        );
        let body = json!({"status":200,"payload":{"groups":["a","b"],"sub_key":"s"},"service":"channel-registry","error":false});
        assert_eq!(groups(&body).unwrap(), ["a", "b"]);
        let empty = json!({"status":200,"payload":{"groups":[],"sub_key":"s"},"service":"channel-registry","error":false});
        assert!(groups(&empty).unwrap().is_empty());
    }
}
