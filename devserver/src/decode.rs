//! Path and query decoding (protocol.md §2.2).

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// A malformed percent-escape or a non-UTF-8 result.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum DecodeError {
    #[error("malformed percent-encoding")]
    BadEscape,
    #[error("decoded text is not UTF-8")]
    NotUtf8,
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Strict percent-decoding: `%` must be followed by two hex digits.
/// With `plus_as_space`, `+` becomes a space (query semantics).
pub(crate) fn decode(s: &str, plus_as_space: bool) -> Result<String, DecodeError> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'%' => {
                let hi = bytes.get(i + 1).copied().and_then(hex);
                let lo = bytes.get(i + 2).copied().and_then(hex);
                match (hi, lo) {
                    (Some(h), Some(l)) => out.push(h * 16 + l),
                    _ => return Err(DecodeError::BadEscape),
                }
                i += 3;
            }
            b'+' if plus_as_space => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| DecodeError::NotUtf8)
}

/// Decode a comma-separated path list: split on literal `,` first, then
/// decode each piece; empty pieces are dropped (`,` alone means "none").
pub(crate) fn decode_path_list(raw: &str) -> Result<Vec<String>, DecodeError> {
    raw.split(',')
        .filter(|p| !p.is_empty())
        .map(|p| decode(p, false))
        .collect()
}

/// Split an already decoded query value on `,`, dropping empty names.
pub(crate) fn split_list(value: &str) -> Vec<String> {
    value
        .split(',')
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Decoded query pairs in request order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    /// Parse `a=1&b=x%20y`; `+` means space.
    pub(crate) fn parse(raw: &str) -> Result<Query, DecodeError> {
        let mut pairs = Vec::new();
        for part in raw.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            pairs.push((decode(k, true)?, decode(v, true)?));
        }
        Ok(Query { pairs })
    }

    /// The first value for `key`.
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// A boolean flag (`true`/`1`); absent → `default`.
    pub(crate) fn flag(&self, key: &str, default: bool) -> bool {
        match self.get(key) {
            Some(v) => matches!(v, "true" | "1" | "True" | "TRUE"),
            None => default,
        }
    }

    /// All pairs, decoded, in request order.
    pub(crate) fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// All pairs.
    pub(crate) fn into_pairs(self) -> Vec<(String, String)> {
        self.pairs
    }
}

/// Everything but `A-Za-z0-9-_.` is escaped (the JS `encodeString` set).
const JS_SET: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.');

/// `s` percent-encoded with the SDKs' set (request signatures are computed
/// over values encoded this way).
pub(crate) fn encode_value(s: &str) -> String {
    utf8_percent_encode(s, JS_SET).to_string()
}

/// Length of `s` once percent-encoded with the most conservative SDK set.
pub(crate) fn escaped_len(s: &str) -> usize {
    utf8_percent_encode(s, JS_SET).map(str::len).sum()
}

/// Lossy decode of a whole path, for the request log.
pub(crate) fn lossy_path(path: &str) -> String {
    percent_encoding::percent_decode_str(path)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_strictly() {
        assert_eq!(decode("a%20b%2c", false).as_deref(), Ok("a b,"));
        assert_eq!(decode("a+b", false).as_deref(), Ok("a+b"));
        assert_eq!(decode("a+b", true).as_deref(), Ok("a b"));
        assert_eq!(decode("%zz", false), Err(DecodeError::BadEscape));
        assert_eq!(decode("%2", false), Err(DecodeError::BadEscape));
        assert_eq!(decode("%ff", false), Err(DecodeError::NotUtf8));
    }

    #[test]
    fn lists_split_before_decoding() {
        assert_eq!(
            decode_path_list("a,b%2Cc").ok(),
            Some(vec!["a".into(), "b,c".into()])
        );
        assert_eq!(decode_path_list(",").ok(), Some(vec![]));
    }

    #[test]
    fn query_pairs() {
        let q = Query::parse("tt=0&meta=%7B%22a%22%3A+1%7D&ee").unwrap_or_default();
        assert_eq!(q.get("meta"), Some("{\"a\": 1}"));
        assert_eq!(q.get("ee"), Some(""));
        assert_eq!(escaped_len("a b"), 5);
    }
}
