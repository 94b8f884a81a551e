//! Errors from [`PubNubBuilder::build`](crate::PubNubBuilder::build).

use std::fmt;

use super::Chain;

/// Why a [`PubNubBuilder`](crate::PubNubBuilder) could not build a client.
///
/// Messages never contain key material. `Display` includes the cause (for
/// example why a PEM certificate did not load); `Debug` shows the cause by
/// its message, never as the TLS library's raw structures.
///
/// ```
/// use pubnub_stream::{ConfigError, PubNub};
///
/// let err = PubNub::builder().user_id("alice").build().unwrap_err();
/// assert!(matches!(err, ConfigError::MissingSubscribeKey));
/// ```
#[derive(thiserror::Error)]
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
    #[error("TLS initialisation failed: {}", Chain(&**.0))]
    Tls(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl fmt::Debug for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::MissingSubscribeKey => f.write_str("MissingSubscribeKey"),
            ConfigError::MissingUserId => f.write_str("MissingUserId"),
            ConfigError::InvalidUserId { reason } => f
                .debug_struct("InvalidUserId")
                .field("reason", reason)
                .finish(),
            ConfigError::InvalidOrigin { origin, reason } => f
                .debug_struct("InvalidOrigin")
                .field("origin", origin)
                .field("reason", reason)
                .finish(),
            ConfigError::InvalidOption { option, reason } => f
                .debug_struct("InvalidOption")
                .field("option", option)
                .field("reason", reason)
                .finish(),
            ConfigError::Tls(source) => f.debug_tuple("Tls").field(&Chain(&**source)).finish(),
        }
    }
}
