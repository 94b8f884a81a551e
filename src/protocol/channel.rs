//! Channel-name checks done before any I/O.

use crate::error::{RequestError, RequestErrorKind};

/// The suffix of presence channels and groups: `<name>-pnpres` carries the
/// presence events of `<name>`.
pub(crate) const PRESENCE_SUFFIX: &str = "-pnpres";

/// The longest channel name PubNub accepts, in characters.
pub(crate) const MAX_CHANNEL_CHARS: usize = 92;

/// A channel to publish or signal to: non-empty and at most 92 characters.
/// Other characters are percent-encoded, so the server decides on them.
pub(crate) fn validate(channel: &str) -> Result<(), RequestError> {
    let reason = if channel.is_empty() {
        "it is empty"
    } else if channel.chars().count() > MAX_CHANNEL_CHARS {
        "it is longer than 92 characters"
    } else {
        return Ok(());
    };
    Err(RequestErrorKind::InvalidChannel { reason }.into())
}

/// `custom_message_type`: 3–50 characters of `A-Za-z0-9_-`.
pub(crate) fn validate_custom_message_type(value: &str) -> Result<(), RequestError> {
    let ok = (3..=50).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(RequestError::invalid_argument(
            "custom_message_type must be 3 to 50 characters of A-Z, a-z, 0-9, '_' and '-'",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_rules() {
        assert!(validate("a b").is_ok());
        assert!(validate(&"ü".repeat(92)).is_ok());
        assert!(validate("").is_err());
        assert!(validate(&"x".repeat(93)).is_err());
    }

    #[test]
    fn custom_message_type_rules() {
        assert!(validate_custom_message_type("chat-v1_x").is_ok());
        assert!(validate_custom_message_type("ab").is_err());
        assert!(validate_custom_message_type(&"a".repeat(51)).is_err());
        assert!(validate_custom_message_type("has space").is_err());
        assert!(validate_custom_message_type("ünï").is_err());
    }
}
