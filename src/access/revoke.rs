//! `pubnub.revoke_token(token)`: make a token unusable before its time runs out.

use crate::access::AccessToken;
use crate::client::PubNub;
use crate::error::{RequestError, RequestErrorKind};
use crate::protocol::encode::encode;
use crate::rest::send_json;
use crate::transport::Request;

impl PubNub {
    /// Revokes `token` (`DELETE /v3/pam/{sub}/grant/{token}`, signed with the
    /// secret key): every later request that sends it is refused with
    /// [`DenialReason::TokenRevoked`](crate::DenialReason::TokenRevoked).
    /// Needs the [`secret_key`](crate::PubNubBuilder::secret_key)
    /// (else [`RequestErrorKind::MissingSecretKey`] before any I/O).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let server = pubnub_devserver::DevServer::builder().keyset("demo", "demo")
    /// #     .secret_key("sec").access_manager(true).start().await?;
    /// # let admin = pubnub_stream::PubNub::builder().subscribe_key("demo").publish_key("demo")
    /// #     .secret_key("sec").user_id("admin").origin(server.origin()).secure(false).build()?;
    /// let token = admin.grant_token(60).channel("chat", pubnub_stream::Permissions::READ).await?;
    /// admin.revoke_token(&token).await?;
    /// # Ok(()) }
    /// ```
    pub async fn revoke_token(&self, token: impl Into<AccessToken>) -> Result<(), RequestError> {
        let token = token.into();
        let config = self.config();
        if !config.has_secret_key() {
            return Err(RequestError::from_kind(RequestErrorKind::MissingSecretKey));
        }
        if token.as_str().is_empty() {
            return Err(RequestError::invalid_argument("the token is empty"));
        }
        let path = format!(
            "/v3/pam/{}/grant/{}",
            encode(config.subscribe_key()),
            encode(token.as_str())
        );
        let mut request = Request::get(path, config.request_timeout());
        request.method = http::Method::DELETE;
        send_json(self.inner(), request).await.map(|_| ())
    }
}
