//! Access Manager v3: tokens that grant a client permissions on channels,
//! channel groups and user ids.
//!
//! A server holding the keyset's secret key grants a token
//! ([`PubNub::grant_token`]) and may revoke it ([`PubNub::revoke_token`]);
//! the client that uses it sends it with every request
//! ([`PubNub::set_token`], replaceable at any time). [`parse_token`] shows
//! what a token holds. A request the token does not allow fails with
//! [`RequestErrorKind::AccessDenied`](crate::RequestErrorKind::AccessDenied),
//! whose [`DenialReason`](crate::DenialReason) tells a token problem from a
//! missing permission.

mod grant;
mod parse;
mod permissions;
mod revoke;
mod token;

pub use grant::{GrantTokenBuilder, MAX_TOKEN_TTL_MINUTES};
pub use parse::{parse_token, ParseTokenError, TokenInfo, TokenResources};
pub use permissions::Permissions;
pub use token::AccessToken;

use crate::client::PubNub;
use crate::error::ConfigError;

impl PubNub {
    /// Sends `token` as `auth` with every request from now on, replacing
    /// the [`auth_key`](crate::PubNubBuilder::auth_key) and any earlier
    /// token: the running subscription's next long-poll and the publish
    /// sinks' next attempt use it, without restarting anything. Fails with
    /// [`ConfigError::InvalidOption`] (option `"token"`) for an empty token,
    /// one with control characters or with whitespace at either end; the
    /// token in use is then unchanged.
    ///
    /// ```
    /// let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").user_id("alice").build()?;
    /// pubnub.set_token("p0F2AkF0Gm")?;
    /// assert!(pubnub.set_token(" p0F2AkF0Gm").is_err());
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn set_token(&self, token: impl Into<AccessToken>) -> Result<(), ConfigError> {
        let token = token.into();
        crate::config::validate::key("token", token.as_str())?;
        self.inner().transport.set_auth(Some(token.shared()));
        Ok(())
    }
}
