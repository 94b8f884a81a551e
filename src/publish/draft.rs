//! [`Draft`]: the channel and message that every publish and signal needs.

use serde::Serialize;

use super::json::{to_json, JsonError};
use crate::error::RequestError;

/// The required parts of a publish or signal as given to its builder: the
/// message is serialized when given, and both are checked for presence when
/// the builder is awaited.
#[derive(Debug, Default)]
pub(super) struct Draft {
    channel: Option<String>,
    message: Option<Result<String, JsonError>>,
}

impl Draft {
    pub(super) fn set_channel(&mut self, channel: String) {
        self.channel = Some(channel);
    }

    /// Serializes `message` now, stopping past `cap` bytes (see
    /// [`to_json`]); a failure is reported by [`into_parts`](Self::into_parts).
    pub(super) fn set_message<T: Serialize + ?Sized>(&mut self, message: &T, cap: usize) {
        self.message = Some(to_json(message, cap));
    }

    /// The channel and the message JSON: `InvalidArgument` if either is
    /// missing (`call` names the call, e.g. "publish"), `Serialization` if
    /// the message did not serialize, `MessageTooLarge` if it went past the cap.
    pub(super) fn into_parts(self, call: &str) -> Result<(String, String), RequestError> {
        let channel = self
            .channel
            .ok_or_else(|| RequestError::invalid_argument(format!("{call} needs a channel")))?;
        let message = self
            .message
            .ok_or_else(|| RequestError::invalid_argument(format!("{call} needs a message")))??;
        Ok((channel, message))
    }
}
