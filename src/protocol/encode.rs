//! The one percent-encoding set of the client.
//!
//! JS `encodeURIComponent` plus `!~*'()`: only `A-Za-z0-9-_.` stay literal,
//! everything else becomes `%XX` of its UTF-8 bytes, uppercase hex. Used for
//! path segments and query values alike; every value is encoded exactly once.

use std::fmt;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything but `A-Za-z0-9-_.`.
pub(crate) const PUBNUB_SET: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.');

/// `value` percent-encoded with [`PUBNUB_SET`].
pub(crate) fn encode(value: &str) -> String {
    utf8_percent_encode(value, PUBNUB_SET).to_string()
}

/// Writes `value` percent-encoded into `out` without an intermediate string.
pub(crate) fn encode_into(out: &mut String, value: &str) {
    use fmt::Write;
    // Writing to a String cannot fail.
    let _ = write!(out, "{}", utf8_percent_encode(value, PUBNUB_SET));
}

/// The length of `encode(value)`, computed without allocating.
pub(crate) fn encoded_len(value: &str) -> usize {
    value
        .bytes()
        .map(|b| if is_literal(b) { 1 } else { 3 })
        .sum()
}

fn is_literal(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn escapes_everything_but_unreserved() {
        assert_eq!(encode("a b"), "a%20b");
        assert_eq!(encode("x+y"), "x%2By");
        assert_eq!(encode("!~*'()"), "%21%7E%2A%27%28%29");
        assert_eq!(encode("A-z_0.9"), "A-z_0.9");
        assert_eq!(encode(",:/?#&="), "%2C%3A%2F%3F%23%26%3D");
        assert_eq!(encode("%"), "%25");
    }

    #[test]
    fn unicode_is_utf8_uppercase_hex() {
        assert_eq!(encode("ü"), "%C3%BC");
        assert_eq!(encode("€"), "%E2%82%AC");
        assert_eq!(encode("😀"), "%F0%9F%98%80");
    }

    #[test]
    fn filter_expression_from_protocol_13() {
        assert_eq!(encode("uuid != 'cvc1'"), "uuid%20%21%3D%20%27cvc1%27");
    }

    #[test]
    fn json_message() {
        assert_eq!(
            encode(r#"{"text":"hi there"}"#),
            "%7B%22text%22%3A%22hi%20there%22%7D"
        );
    }

    proptest! {
        #[test]
        fn encoded_len_matches_encode(s in any::<String>()) {
            prop_assert_eq!(encoded_len(&s), encode(&s).len());
        }

        #[test]
        fn encode_is_reversible_and_safe(s in any::<String>()) {
            let e = encode(&s);
            prop_assert!(e.bytes().all(|b| is_literal(b) || b == b'%'));
            let back = percent_encoding::percent_decode_str(&e).decode_utf8().unwrap();
            prop_assert_eq!(back, s);
        }
    }
}
