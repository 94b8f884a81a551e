//! Validation of builder values.

use crate::error::ConfigError;

/// The longest user id PubNub accepts, in characters.
pub(crate) const MAX_USER_ID_CHARS: usize = 92;

pub(crate) fn user_id(value: &str) -> Result<(), ConfigError> {
    if value.is_empty() {
        return Err(ConfigError::InvalidUserId {
            reason: "it is empty",
        });
    }
    if value.chars().count() > MAX_USER_ID_CHARS {
        return Err(ConfigError::InvalidUserId {
            reason: "it is longer than 92 characters",
        });
    }
    if value.chars().any(char::is_control) {
        return Err(ConfigError::InvalidUserId {
            reason: "it contains control characters",
        });
    }
    Ok(())
}

pub(crate) fn key(option: &'static str, value: &str) -> Result<(), ConfigError> {
    if value.is_empty() {
        return Err(ConfigError::InvalidOption {
            option,
            reason: "it is empty",
        });
    }
    if value.chars().any(char::is_control) {
        return Err(ConfigError::InvalidOption {
            option,
            reason: "it contains control characters",
        });
    }
    // Whitespace at either end is a copy-paste slip (an untrimmed environment
    // variable) that would fail every request; a key of only whitespace is empty.
    if value.trim() != value {
        return Err(ConfigError::InvalidOption {
            option,
            reason: "it starts or ends with whitespace",
        });
    }
    Ok(())
}

/// `host` or `host:port`, nothing else (no scheme, path or user info).
pub(crate) fn origin(value: &str) -> Result<(), ConfigError> {
    let invalid = |reason| ConfigError::InvalidOrigin {
        origin: value.to_owned(),
        reason,
    };
    if value.is_empty() {
        return Err(invalid("it is empty"));
    }
    if value.contains("://") {
        return Err(invalid(
            "give host or host:port without a scheme; use secure(bool) for TLS",
        ));
    }
    if value.contains(['/', '@', '?', '#']) {
        return Err(invalid("give host or host:port only"));
    }
    let authority: http::uri::Authority = value
        .parse()
        .map_err(|_| invalid("not a valid host or host:port"))?;
    if authority.host().is_empty() {
        return Err(invalid("the host is empty"));
    }
    let port = match value.strip_prefix('[') {
        Some(v6) => v6.split_once(']').map(|(_, rest)| rest).unwrap_or(""),
        None => value.find(':').map(|i| &value[i..]).unwrap_or(""),
    };
    if let Some(port) = port.strip_prefix(':') {
        if port.parse::<u16>().is_err() {
            return Err(invalid("the port is not a number"));
        }
    } else if !port.is_empty() {
        return Err(invalid("not a valid host or host:port"));
    }
    Ok(())
}

/// A timeout of zero would fail every request before it starts.
pub(crate) fn timeout(option: &'static str, value: std::time::Duration) -> Result<(), ConfigError> {
    if value.is_zero() {
        return Err(ConfigError::InvalidOption {
            option,
            reason: "it is zero: every request would time out at once",
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_id_rules() {
        assert!(user_id("alice").is_ok());
        assert!(user_id(&"ü".repeat(92)).is_ok());
        assert!(user_id(&"a".repeat(93)).is_err());
        assert!(user_id("").is_err());
        assert!(user_id("a\nb").is_err());
    }

    #[test]
    fn key_and_timeout_rules() {
        assert!(key("publish_key", "pub-c-1").is_ok());
        for bad in ["", " ", "\t", "pub-c-1 ", " pub-c-1", "pub-c-1\n"] {
            assert!(key("publish_key", bad).is_err(), "{bad:?}");
        }
        // Inside a key, a space is sent percent-encoded like any other byte.
        assert!(key("publish_key", "pub c").is_ok());
        assert!(timeout("request_timeout", std::time::Duration::from_millis(1)).is_ok());
        let err = timeout("request_timeout", std::time::Duration::ZERO).unwrap_err();
        assert!(err.to_string().contains("request_timeout"), "{err}");
    }

    #[test]
    fn origin_rules() {
        assert!(origin("ps.pndsn.com").is_ok());
        assert!(origin("127.0.0.1:8090").is_ok());
        assert!(origin("[::1]:8090").is_ok());
        assert!(origin("http://x").is_err());
        assert!(origin("x/y").is_err());
        assert!(origin("").is_err());
        assert!(origin("host:").is_err());
        assert!(origin("host:port").is_err());
        assert!(origin("a b").is_err());
    }
}
