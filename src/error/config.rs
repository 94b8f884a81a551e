//! Errors from [`PubNubBuilder::build`](crate::PubNubBuilder::build).

/// Why a [`PubNubBuilder`](crate::PubNubBuilder) could not build a client.
///
/// Messages never contain key material.
///
/// ```
/// use pubnub_stream::{ConfigError, PubNub};
///
/// let err = PubNub::builder().user_id("alice").build().unwrap_err();
/// assert!(matches!(err, ConfigError::MissingSubscribeKey));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// No subscribe key was given; every client needs one.
    #[error("a subscribe key is required")]
    MissingSubscribeKey,
    /// No user id was given; every client needs one.
    #[error("a user id is required")]
    MissingUserId,
    /// The user id is empty, longer than 92 characters or contains control characters.
    #[error("invalid user id: {reason}")]
    InvalidUserId {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The origin is not `host` or `host:port`.
    #[error("invalid origin {origin:?}: {reason}")]
    InvalidOrigin {
        /// The origin as given.
        origin: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A key or option value is not usable (for example an empty key or a control character).
    #[error("invalid {option}: {reason}")]
    InvalidOption {
        /// The builder option.
        option: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The TLS backend could not be initialised.
    #[error("TLS initialisation failed")]
    Tls(#[source] Box<dyn std::error::Error + Send + Sync>),
}
