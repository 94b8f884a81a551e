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

/// The longest filter expression PubNub evaluates, in bytes.
pub(crate) const MAX_FILTER_BYTES: usize = 4096;

/// A small syntax check of a subscribe filter expression (protocol §13), so
/// that an expression the server can only refuse fails `build()` instead of
/// every subscribe: not empty, not over [`MAX_FILTER_BYTES`], no control
/// characters, every quoted string closed, parentheses and brackets
/// balanced. The server still judges the rest (operators, field names).
pub(crate) fn filter_expression(value: &str) -> Result<(), ConfigError> {
    let invalid = |reason| ConfigError::InvalidOption {
        option: "filter_expression",
        reason,
    };
    if value.trim().is_empty() {
        return Err(invalid("it is empty"));
    }
    if value.len() > MAX_FILTER_BYTES {
        return Err(invalid("it is longer than 4096 bytes"));
    }
    // The brackets still open (innermost last) and the quote of the string we are in.
    let mut open: Vec<char> = Vec::new();
    let mut quote: Option<char> = None;
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c.is_control() && !c.is_whitespace() {
            return Err(invalid("it contains control characters"));
        }
        match (quote, c) {
            (Some(_), '\\') => {
                chars.next();
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | '[') => open.push(c),
            (None, ')' | ']') => {
                let expected = if c == ')' { '(' } else { '[' };
                if open.pop() != Some(expected) {
                    return Err(invalid("its parentheses or brackets do not balance"));
                }
            }
            (None, _) => {}
        }
    }
    if quote.is_some() {
        return Err(invalid("a quoted string is not closed"));
    }
    if !open.is_empty() {
        return Err(invalid("its parentheses or brackets do not balance"));
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
    fn filter_expression_rules() {
        for good in [
            "uuid != 'u'",
            "(meta.lang == \"en\" || meta.n > 3) && !(uuid LIKE 'bot*')",
            "meta.tags CONTAINS ')'",
            r#"meta.s == 'it\'s (' "#,
            "meta.a[0] == 1",
        ] {
            assert!(filter_expression(good).is_ok(), "{good:?}");
        }
        for bad in [
            "",
            "   ",
            "((((",
            "(a == 1))",
            "a == 'x",
            "a == \"x\\\"",
            "a[0) == 1",
            ")(",
            "a == 1\u{0}",
        ] {
            let err = filter_expression(bad).unwrap_err();
            assert!(
                err.to_string().contains("filter_expression"),
                "{bad:?}: {err}"
            );
        }
        assert!(filter_expression(&"a".repeat(4097)).is_err());
    }

    proptest::proptest! {
        #[test]
        fn filter_check_never_panics(s in ".{0,64}") {
            let _ = filter_expression(&s);
        }
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
