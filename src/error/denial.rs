//! Why the server refused access: a token problem or a missing permission.

use std::fmt;

/// Why a request got HTTP 403 from Access Manager, as far as the server's
/// body says: the token itself is unusable (expired, revoked, malformed),
/// the request's signature is wrong, or the token is fine but lacks a
/// permission. Part of [`RequestErrorKind::AccessDenied`](crate::RequestErrorKind::AccessDenied).
///
/// A token problem is fixed by getting a new token (and
/// [`PubNub::set_token`](crate::PubNub::set_token)); a permission problem by
/// a grant that covers the listed channels and groups.
///
/// ```
/// use pubnub_stream::DenialReason;
///
/// assert_eq!(DenialReason::from_message("Token is expired."), DenialReason::TokenExpired);
/// assert!(DenialReason::TokenRevoked.is_token_problem());
/// assert!(!DenialReason::Permission.is_token_problem());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DenialReason {
    /// The token does not grant a permission the request needs (the server
    /// lists the channels and groups); PubNub's message is `Forbidden`.
    Permission,
    /// The token's time to live has passed (`Token is expired.`).
    TokenExpired,
    /// The token was revoked (`Token is revoked`).
    TokenRevoked,
    /// The token is malformed, unknown or not signed by this keyset
    /// (`Invalid token`), or a token is needed and none was sent.
    TokenInvalid,
    /// The request's `signature` or `timestamp` is wrong (`Invalid signature`,
    /// e.g. a wrong secret key or a clock far off).
    Signature,
    /// The body did not say which of these it is.
    Unknown,
}

impl DenialReason {
    /// Reads the reason from the server's message (case-insensitive).
    ///
    /// ```
    /// use pubnub_stream::DenialReason;
    /// assert_eq!(DenialReason::from_message("Forbidden"), DenialReason::Permission);
    /// assert_eq!(DenialReason::from_message("Invalid signature: bad"), DenialReason::Signature);
    /// assert_eq!(DenialReason::from_message("???"), DenialReason::Unknown);
    /// ```
    pub fn from_message(message: &str) -> Self {
        let m = message.to_ascii_lowercase();
        if m.contains("signature") || m.contains("timestamp") {
            DenialReason::Signature
        } else if m.contains("expired") {
            DenialReason::TokenExpired
        } else if m.contains("revoked") {
            DenialReason::TokenRevoked
        } else if m.contains("token") || m.contains("auth") {
            DenialReason::TokenInvalid
        } else if m.contains("forbidden") {
            DenialReason::Permission
        } else {
            DenialReason::Unknown
        }
    }

    /// Whether the token itself is the problem (expired, revoked, invalid).
    ///
    /// ```
    /// assert!(pubnub_stream::DenialReason::TokenExpired.is_token_problem());
    /// ```
    pub fn is_token_problem(self) -> bool {
        matches!(
            self,
            DenialReason::TokenExpired | DenialReason::TokenRevoked | DenialReason::TokenInvalid
        )
    }
}

impl fmt::Display for DenialReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DenialReason::Permission => "missing permission",
            DenialReason::TokenExpired => "token expired",
            DenialReason::TokenRevoked => "token revoked",
            DenialReason::TokenInvalid => "token invalid",
            DenialReason::Signature => "bad signature",
            DenialReason::Unknown => "reason not given",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_pubnubs_messages() {
        use DenialReason::*;
        for (message, reason) in [
            ("Forbidden", Permission),
            ("Token is expired.", TokenExpired),
            ("Token is revoked", TokenRevoked),
            ("Invalid token", TokenInvalid),
            ("Invalid signature: Signature mismatch", Signature),
            ("Request expired: timestamp out of range", Signature),
            ("", Unknown),
        ] {
            assert_eq!(DenialReason::from_message(message), reason, "{message}");
        }
    }
}
