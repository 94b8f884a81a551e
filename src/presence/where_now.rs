//! `pubnub.where_now()`: the channels a user id is present on.

use std::future::IntoFuture;

use futures::future::BoxFuture;

use crate::client::PubNub;
use crate::error::RequestError;
use crate::protocol::encode::encode;
use crate::rest::{payload_strings, send_json};
use crate::transport::Request;

/// A where-now query; `.await` it for the channel names. Start with [`PubNub::where_now`].
///
/// Defaults: this client's own user id.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = pubnub_devserver::DevServer::builder().start().await?;
/// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").user_id("alice")
/// #     .origin(server.origin()).secure(false).build()?;
/// let channels: Vec<String> = pubnub.where_now().user_id("bob").await?;
/// println!("bob is on {channels:?}");
/// # Ok(()) }
/// ```
#[derive(Debug)]
#[must_use = "a where_now query does nothing until awaited"]
pub struct WhereNowBuilder {
    pubnub: PubNub,
    user_id: Option<String>,
}

impl PubNub {
    /// Starts a where-now query; by default about this client's own user id.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let query = pubnub.where_now();
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn where_now(&self) -> WhereNowBuilder {
        WhereNowBuilder {
            pubnub: self.clone(),
            user_id: None,
        }
    }
}

impl WhereNowBuilder {
    /// The user id to ask about. Default: the client's own.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let query = pubnub.where_now().user_id("bob");
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn user_id(mut self, user_id: impl Into<String>) -> Self {
        self.user_id = Some(user_id.into());
        self
    }

    fn request(self) -> Result<(PubNub, Request), RequestError> {
        let config = self.pubnub.config();
        let user_id = self.user_id.as_deref().unwrap_or(config.user_id());
        if user_id.is_empty() {
            return Err(RequestError::invalid_argument("the user id is empty"));
        }
        let path = format!(
            "/v2/presence/sub-key/{}/uuid/{}",
            encode(config.subscribe_key()),
            encode(user_id)
        );
        let req = Request::get(path, config.request_timeout());
        Ok((self.pubnub, req))
    }
}

impl IntoFuture for WhereNowBuilder {
    type Output = Result<Vec<String>, RequestError>;
    type IntoFuture = BoxFuture<'static, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        let request = self.request();
        Box::pin(async move {
            let (pubnub, req) = request?;
            let body = send_json(pubnub.inner(), req).await?;
            payload_strings(&body, "channels")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::offline_client;
    use serde_json::json;

    #[test]
    fn path_defaults_to_own_user_id() {
        let (_, req) = offline_client("s", "me/1").where_now().request().unwrap();
        assert_eq!(req.path, "/v2/presence/sub-key/s/uuid/me%2F1");
        let (_, req) = offline_client("s", "me/1")
            .where_now()
            .user_id("bob")
            .request()
            .unwrap();
        assert_eq!(req.path, "/v2/presence/sub-key/s/uuid/bob");
        assert!(offline_client("s", "me/1")
            .where_now()
            .user_id("")
            .request()
            .is_err());
    }

    #[test]
    fn parses_the_golden_body() {
        let body = json!({"status":200,"message":"OK","payload":{"channels":["ch1","ch2"]},"service":"Presence"});
        assert_eq!(payload_strings(&body, "channels").unwrap(), ["ch1", "ch2"]);
        let empty =
            json!({"status":200,"message":"OK","payload":{"channels":[]},"service":"Presence"});
        assert!(payload_strings(&empty, "channels").unwrap().is_empty());
    }
}
