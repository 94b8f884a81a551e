//! `Debug` helpers that never print key material.

use std::fmt;

/// Shows only a well-known key prefix (`sub-c-…`, `pub-c-…`), else `<redacted>`.
pub(crate) struct Redacted<'a>(pub(crate) &'a str);

/// Always `<redacted>`.
pub(crate) struct Secret;

const KNOWN_PREFIXES: [&str; 4] = ["sub-c-", "pub-c-", "sec-c-", "demo"];

impl fmt::Debug for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match KNOWN_PREFIXES.iter().find(|p| self.0.starts_with(*p)) {
            Some(prefix) if self.0.len() > prefix.len() => write!(f, "\"{prefix}…\""),
            Some(prefix) => write!(f, "\"{prefix}\""),
            None => f.write_str("<redacted>"),
        }
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_only_known_prefixes() {
        assert_eq!(format!("{:?}", Redacted("sub-c-abc123")), "\"sub-c-…\"");
        assert_eq!(format!("{:?}", Redacted("demo")), "\"demo\"");
        assert_eq!(format!("{:?}", Redacted("my-private-key")), "<redacted>");
        assert_eq!(format!("{:?}", Secret), "<redacted>");
    }
}
