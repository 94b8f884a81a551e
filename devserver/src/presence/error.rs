//! Presence errors.

/// Why a presence call was refused.
///
/// ```
/// use pubnub_devserver::presence::{Now, PresenceConfig, PresenceError, PresenceRegistry};
/// use serde_json::json;
///
/// let mut reg = PresenceRegistry::new(PresenceConfig::default());
/// let err = reg.set_state(Now::system(), "u1", &["ch".to_owned()], &json!([1])).unwrap_err();
/// assert_eq!(err, PresenceError::StateNotObject);
/// assert_eq!(err.to_string(), "Invalid JSON specified.");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PresenceError {
    /// Presence state must be a JSON object. The message is the real
    /// server's (protocol.md §8.2, HTTP 400).
    #[error("Invalid JSON specified.")]
    StateNotObject,
}
