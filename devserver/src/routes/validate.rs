//! Channel and group name rules (protocol.md §12).

use crate::presence::PRESENCE_SUFFIX;

/// Longest channel or group name, in characters.
pub(crate) const MAX_NAME_CHARS: usize = 92;

fn forbidden(c: char) -> bool {
    matches!(c, ',' | ':' | '*' | '/' | '\\' | ' ') || c.is_control()
}

/// A publishable channel name (no wildcard, presence suffix allowed as a plain name).
pub(crate) fn channel_ok(name: &str) -> bool {
    !name.is_empty() && name.chars().count() <= MAX_NAME_CHARS && !name.chars().any(forbidden)
}

/// More than two dots: too deep for wildcard keysets.
pub(crate) fn too_deep(name: &str) -> bool {
    name.matches('.').count() > 2
}

/// A subscribable name: a channel, `<ch>-pnpres`, or a pattern `a.*` / `a.b.*`
/// (optionally with `-pnpres`).
pub(crate) fn subscribe_channel_ok(name: &str) -> bool {
    let base = name.strip_suffix(PRESENCE_SUFFIX).unwrap_or(name);
    if channel_ok(base) {
        return true;
    }
    match base.strip_suffix(".*") {
        Some(prefix) => channel_ok(prefix) && base.matches('.').count() <= 2,
        None => false,
    }
}

/// A channel-group name (optionally `<cg>-pnpres` on subscribe).
pub(crate) fn group_ok(name: &str) -> bool {
    channel_ok(name.strip_suffix(PRESENCE_SUFFIX).unwrap_or(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(channel_ok("chat.room-1_ü"));
        for bad in ["", "a,b", "a:b", "a*", "a/b", "a\\b", "a b", "a\u{1}"] {
            assert!(!channel_ok(bad), "{bad:?}");
        }
        assert!(channel_ok(&"x".repeat(92)));
        assert!(!channel_ok(&"x".repeat(93)));
        assert!(subscribe_channel_ok("a.*"));
        assert!(subscribe_channel_ok("a.b.*"));
        assert!(subscribe_channel_ok("a.b.*-pnpres"));
        assert!(!subscribe_channel_ok("a.b.c.*"));
        assert!(!subscribe_channel_ok("a.*.c"));
        assert!(!subscribe_channel_ok("*"));
        assert!(!subscribe_channel_ok(".*"));
        assert!(too_deep("a.b.c.d"));
        assert!(!too_deep("a.b.c"));
    }
}
