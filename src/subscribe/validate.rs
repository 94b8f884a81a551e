//! The names a subscription may ask for, checked when it is created so that
//! one bad subscription fails alone instead of breaking the shared long-poll
//! of every other subscription of the client (a 400 or 414 for all).
//!
//! The rules (PubNub's channel-name rules, as the dev server applies them):
//! - a channel or group name is 1 to 92 characters, without `,` `:` `*` `/`
//!   `\`, space or control characters;
//! - a channel may end with `-pnpres` (an explicit presence channel);
//! - a channel may be a wildcard pattern `a.*` or `a.b.*` (a valid name
//!   before the trailing `.*`, at most two dots in all); groups may not;
//! - the encoded names of one subscribe request (the union of every
//!   subscription of the client) fit in [`MAX_NAMES_URI_BYTES`], so the
//!   request stays under the server's 32 KiB URI limit.

use crate::error::RequestError;
use crate::protocol::channel::MAX_CHANNEL_CHARS;
use crate::protocol::channel::PRESENCE_SUFFIX;
use crate::protocol::encode::encode;

/// The most bytes the encoded channel and group lists of one subscribe
/// request may take: 32 KiB (the server's URI limit) less 2 KiB for the
/// path, cursor, `state`, `filter-expr` and the other parameters.
pub(crate) const MAX_NAMES_URI_BYTES: usize = 30 * 1024;

fn forbidden(c: char) -> bool {
    matches!(c, ',' | ':' | '*' | '/' | '\\' | ' ') || c.is_control()
}

/// Why `name` is not a plain channel or group name, if it is not one.
fn plain_name_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        Some("it is empty")
    } else if name.chars().count() > MAX_CHANNEL_CHARS {
        Some("it is longer than 92 characters")
    } else if name.chars().any(forbidden) {
        Some("it contains one of , : * / \\, a space or a control character")
    } else {
        None
    }
}

/// Why `name` cannot be subscribed to as a channel, if it cannot.
fn channel_problem(name: &str) -> Option<&'static str> {
    let base = name.strip_suffix(PRESENCE_SUFFIX).unwrap_or(name);
    let Some(prefix) = base.strip_suffix(".*") else {
        return plain_name_problem(base);
    };
    if base.matches('.').count() > 2 {
        return Some("a wildcard pattern has at most two dots (a.*, a.b.*)");
    }
    plain_name_problem(prefix).map(|_| "a wildcard pattern is a valid name followed by .*")
}

/// Checks the names of one new subscription (see the module docs for the rules).
pub(crate) fn check_names(channels: &[String], groups: &[String]) -> Result<(), RequestError> {
    for channel in channels {
        if let Some(reason) = channel_problem(channel) {
            return Err(invalid("channel", channel, reason));
        }
    }
    for group in groups {
        let base = group.strip_suffix(PRESENCE_SUFFIX).unwrap_or(group);
        if let Some(reason) = plain_name_problem(base) {
            return Err(invalid("channel group", group, reason));
        }
    }
    let bytes = names_uri_bytes(channels, groups);
    if bytes > MAX_NAMES_URI_BYTES {
        return Err(too_long(bytes));
    }
    Ok(())
}

/// The bytes the names take in a subscribe request: each encoded, one
/// separator each (an upper bound of the path segment plus `channel-group=`).
pub(crate) fn names_uri_bytes<'a>(
    channels: impl IntoIterator<Item = &'a String>,
    groups: impl IntoIterator<Item = &'a String>,
) -> usize {
    channels
        .into_iter()
        .chain(groups)
        .map(|name| encode(name).len().saturating_add(1))
        .fold(0usize, usize::saturating_add)
}

/// The error for a union of names too long for one request.
pub(crate) fn too_long(bytes: usize) -> RequestError {
    RequestError::invalid_argument(format!(
        "the subscribed channels and groups take {bytes} bytes of the request URI, \
         more than the {MAX_NAMES_URI_BYTES} that fit under the server's 32 KiB limit"
    ))
}

fn invalid(what: &str, name: &str, reason: &str) -> RequestError {
    let shown: String = name.chars().take(100).collect();
    RequestError::invalid_argument(format!("invalid {what} name {shown:?}: {reason}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(channels: &[&str], groups: &[&str]) -> bool {
        let c: Vec<String> = channels.iter().map(|s| s.to_string()).collect();
        let g: Vec<String> = groups.iter().map(|s| s.to_string()).collect();
        check_names(&c, &g).is_ok()
    }

    #[test]
    fn channel_rules() {
        for good in [
            "a",
            "a-pnpres",
            "a.*",
            "a.b.*",
            "a.*-pnpres",
            "ü-é",
            "a.b.c",
        ] {
            assert!(ok(&[good], &[]), "{good}");
        }
        assert!(ok(&[&"x".repeat(92)], &[]));
        for bad in [
            "", "a b", "a,b", "a:b", "*", ".*", "a.*.c", "a.b.c.*", "a/b", "a\\b", "a\tb",
        ] {
            assert!(!ok(&[bad], &[]), "{bad:?}");
        }
        assert!(!ok(&[&"x".repeat(93)], &[]));
    }

    #[test]
    fn group_rules() {
        assert!(ok(&[], &["g", "g-pnpres"]));
        assert!(!ok(&[], &["g.*"]));
        assert!(!ok(&[], &["g h"]));
    }

    #[test]
    fn the_union_must_fit_in_the_uri() {
        let many: Vec<String> = (0..5000).map(|n| format!("channel-{n}")).collect();
        let error = check_names(&many, &[]).unwrap_err();
        assert!(error.to_string().contains("32 KiB"), "{error}");
        assert!(check_names(&many[..100], &[]).is_ok());
    }
}
