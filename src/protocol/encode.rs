//! The one percent-encoding set of the client.
//!
//! JS `encodeURIComponent` plus `!~*'()`: only `A-Za-z0-9-_.` stay literal,
//! everything else becomes `%XX` of its UTF-8 bytes, uppercase hex. Used for
//! path segments and query values alike; every value is encoded exactly once.

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// `value` percent-encoded: `A-Za-z0-9-_.` kept, every other byte `%XX`.
pub(crate) fn encode(value: &str) -> String {
    let mut out = String::with_capacity(encoded_len(value));
    encode_into(&mut out, value);
    out
}

/// Writes `value` percent-encoded into `out` without an intermediate string.
///
/// Table-driven, through a small stack buffer: every URL the client sends
/// goes through here (the whole message of a GET publish included), and
/// formatting through `fmt::Write` costs several times more.
pub(crate) fn encode_into(out: &mut String, value: &str) {
    const CHUNK: usize = 128;
    let len = encoded_len(value);
    if len == value.len() {
        // Nothing to escape (ids, keys, numbers): copy as is.
        out.push_str(value);
        return;
    }
    out.reserve(len);
    let mut buf = [0u8; 3 * CHUNK];
    for chunk in value.as_bytes().chunks(CHUNK) {
        let mut n = 0;
        // At most 3 bytes per input byte: n stays below buf.len().
        for &b in chunk {
            if is_literal(b) {
                buf[n] = b;
                n += 1;
            } else {
                buf[n] = b'%';
                buf[n + 1] = HEX[usize::from(b >> 4)];
                buf[n + 2] = HEX[usize::from(b & 0xF)];
                n += 3;
            }
        }
        // Only ASCII was written, so this is always valid UTF-8.
        out.push_str(std::str::from_utf8(&buf[..n]).unwrap_or_default());
    }
}

/// The length of `encode(value)`, computed without allocating.
pub(crate) fn encoded_len(value: &str) -> usize {
    value
        .bytes()
        .map(|b| if is_literal(b) { 1 } else { 3 })
        .sum()
}

/// `A-Za-z0-9-_.`, by byte value.
const LITERAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b'-' || c == b'_' || c == b'.';
        b += 1;
    }
    table
};

fn is_literal(b: u8) -> bool {
    LITERAL[usize::from(b)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};

    /// The same set for the `percent_encoding` crate: everything but `A-Za-z0-9-_.`.
    const PUBNUB_SET: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.');
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
        fn encode_matches_the_percent_encoding_crate(s in any::<String>()) {
            let expected = percent_encoding::utf8_percent_encode(&s, PUBNUB_SET).to_string();
            prop_assert_eq!(encode(&s), expected.clone());
            let mut out = String::from("k=");
            encode_into(&mut out, &s);
            prop_assert_eq!(out, format!("k={expected}"));
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
