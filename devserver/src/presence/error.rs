//! Presence errors.

/// Why a presence call was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub(crate) enum PresenceError {
    /// Presence state must be a JSON object. The message is the real
    /// server's (protocol.md §8.2, HTTP 400).
    #[error("Invalid JSON specified.")]
    StateNotObject,
}
