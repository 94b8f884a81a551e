//! [`AccessToken`]: an Access Manager token, never shown by `Debug`.

use std::fmt;
use std::sync::Arc;

use super::parse::{parse_token, ParseTokenError, TokenInfo};

/// An Access Manager v3 token: what [`PubNub::grant_token`](crate::PubNub::grant_token)
/// returns and what [`PubNub::set_token`](crate::PubNub::set_token) takes.
///
/// The token is a bearer credential, so `Debug` prints `<redacted>` and
/// there is no `Display`; [`as_str`](Self::as_str) gives the text to hand to
/// the client that will use it. Cloning is cheap.
///
/// ```
/// use pubnub_stream::AccessToken;
///
/// let token = AccessToken::from("p0F2AkF0Gm");
/// assert_eq!(token.as_str(), "p0F2AkF0Gm");
/// assert_eq!(format!("{token:?}"), "AccessToken(<redacted>)");
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct AccessToken(Arc<str>);

impl AccessToken {
    /// The token's text, as sent in `auth`.
    ///
    /// ```
    /// assert_eq!(pubnub_stream::AccessToken::from("abc").as_str(), "abc");
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The permissions, time to live and metadata the token holds (no network
    /// call; see [`parse_token`]).
    ///
    /// ```
    /// let err = pubnub_stream::AccessToken::from("not a token").parse().unwrap_err();
    /// assert!(!err.to_string().contains("not a token"));
    /// ```
    pub fn parse(&self) -> Result<TokenInfo, ParseTokenError> {
        parse_token(&self.0)
    }

    /// The shared text (for the transport).
    pub(crate) fn shared(&self) -> Arc<str> {
        Arc::clone(&self.0)
    }
}

impl From<String> for AccessToken {
    fn from(token: String) -> Self {
        AccessToken(Arc::from(token))
    }
}

impl From<&str> for AccessToken {
    fn from(token: &str) -> Self {
        AccessToken(Arc::from(token))
    }
}

impl From<&String> for AccessToken {
    fn from(token: &String) -> Self {
        AccessToken(Arc::from(token.as_str()))
    }
}

impl From<&AccessToken> for AccessToken {
    fn from(token: &AccessToken) -> Self {
        token.clone()
    }
}

impl AsRef<str> for AccessToken {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(<redacted>)")
    }
}
