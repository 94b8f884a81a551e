//! Request bodies sent compressed (`Content-Encoding`, protocol.md §1.1).
//!
//! Python's SDK labels its body `gzip` but compresses with `zlib.compress`
//! (zlib framing), so the framing is read from the bytes, not the label:
//! gzip (`1f 8b`), zlib (a valid two-byte zlib header), or, for `deflate`
//! only, raw deflate as some HTTP clients send it. The decompressed size is
//! capped while decoding, so a small body that inflates hugely (a "zip bomb")
//! never allocates more than the cap.

use std::borrow::Cow;
use std::io::Read;

use flate2::read::{DeflateDecoder, MultiGzDecoder, ZlibDecoder};

/// Why a body could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyError {
    /// The decompressed body is over the cap.
    TooLarge,
    /// The bytes are not valid for their encoding.
    Corrupt,
    /// A `Content-Encoding` other than identity, gzip or deflate.
    Unsupported,
}

/// The body as the client meant it: `body` itself when not compressed, or
/// decompressed per `content_encoding`, failing with
/// [`TooLarge`](BodyError::TooLarge) past `cap` bytes. A compressed body is
/// never inflated beyond `cap + 1` bytes.
pub(crate) fn decoded<'a>(
    body: &'a [u8],
    content_encoding: Option<&str>,
    cap: usize,
) -> Result<Cow<'a, [u8]>, BodyError> {
    let encoding = content_encoding.map(|e| e.trim().to_ascii_lowercase());
    match encoding.as_deref() {
        None | Some("" | "identity") => Ok(Cow::Borrowed(body)),
        Some("gzip" | "x-gzip") => inflate(framed(body, false)?, cap).map(Cow::Owned),
        Some("deflate") => inflate(framed(body, true)?, cap).map(Cow::Owned),
        Some(_) => Err(BodyError::Unsupported),
    }
}

/// A decoder for the framing the bytes carry; raw deflate only if `allow_raw`.
fn framed(body: &[u8], allow_raw: bool) -> Result<Box<dyn Read + '_>, BodyError> {
    if body.starts_with(&[0x1f, 0x8b]) {
        Ok(Box::new(MultiGzDecoder::new(body)))
    } else if is_zlib_header(body) {
        Ok(Box::new(ZlibDecoder::new(body)))
    } else if allow_raw {
        Ok(Box::new(DeflateDecoder::new(body)))
    } else {
        Err(BodyError::Corrupt)
    }
}

/// RFC 1950: method 8 (deflate), window ≤ 32 KiB, header checksum a multiple of 31.
fn is_zlib_header(body: &[u8]) -> bool {
    match body {
        [cmf, flg, ..] => {
            cmf & 0x0f == 8 && cmf >> 4 <= 7 && (u16::from(*cmf) << 8 | u16::from(*flg)) % 31 == 0
        }
        _ => false,
    }
}

/// Reads at most `cap + 1` bytes: one more than allowed tells "too large".
fn inflate(decoder: impl Read, cap: usize) -> Result<Vec<u8>, BodyError> {
    let limit = u64::try_from(cap).unwrap_or(u64::MAX).saturating_add(1);
    let mut out = Vec::new();
    decoder
        .take(limit)
        .read_to_end(&mut out)
        .map_err(|_| BodyError::Corrupt)?;
    if out.len() > cap {
        return Err(BodyError::TooLarge);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use flate2::write::{DeflateEncoder, GzEncoder, ZlibEncoder};
    use flate2::Compression;

    use super::*;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut e = ZlibEncoder::new(Vec::new(), Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn raw_deflate(data: &[u8]) -> Vec<u8> {
        let mut e = DeflateEncoder::new(Vec::new(), Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    const JSON: &[u8] = br#"{"text":"hello"}"#;

    #[test]
    fn identity_is_passed_through_unchanged() {
        for encoding in [None, Some("identity"), Some("")] {
            assert_eq!(
                decoded(b"\x1f\x8b raw", encoding, 4).unwrap(),
                &b"\x1f\x8b raw"[..]
            );
        }
    }

    #[test]
    fn gzip_and_zlib_framing_are_both_accepted_under_either_label() {
        for label in ["gzip", "GZip", "x-gzip", "deflate", " deflate "] {
            assert_eq!(
                decoded(&gzip(JSON), Some(label), 100).unwrap(),
                JSON,
                "{label} gz"
            );
            assert_eq!(
                decoded(&zlib(JSON), Some(label), 100).unwrap(),
                JSON,
                "{label} zlib"
            );
        }
    }

    #[test]
    fn raw_deflate_is_accepted_only_as_deflate() {
        let body = raw_deflate(JSON);
        assert_eq!(decoded(&body, Some("deflate"), 100).unwrap(), JSON);
        assert_eq!(decoded(&body, Some("gzip"), 100), Err(BodyError::Corrupt));
    }

    #[test]
    fn the_cap_applies_to_the_decompressed_size() {
        let exactly = vec![b'a'; 64];
        assert_eq!(decoded(&gzip(&exactly), Some("gzip"), 64).unwrap(), exactly);
        let over = vec![b'a'; 65];
        assert_eq!(
            decoded(&gzip(&over), Some("gzip"), 64),
            Err(BodyError::TooLarge)
        );
        assert_eq!(
            decoded(&zlib(&over), Some("deflate"), 64),
            Err(BodyError::TooLarge)
        );
    }

    #[test]
    fn a_bomb_stops_at_the_cap() {
        // 16 MiB of zeros compresses to about 16 KiB; decoding must stop at the cap.
        let bomb = gzip(&vec![0u8; 16 << 20]);
        assert!(bomb.len() < 32 << 10);
        assert_eq!(
            decoded(&bomb, Some("gzip"), 32 << 10),
            Err(BodyError::TooLarge)
        );
    }

    /// An endless decoder output that counts what was taken from it.
    struct Endless {
        served: usize,
    }

    impl Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            buf.fill(b'x');
            self.served += buf.len();
            Ok(buf.len())
        }
    }

    #[test]
    fn inflating_reads_no_more_than_one_byte_past_the_cap() {
        let mut endless = Endless { served: 0 };
        assert_eq!(inflate(&mut endless, 1000), Err(BodyError::TooLarge));
        assert_eq!(endless.served, 1001);
    }

    #[test]
    fn garbage_and_truncation_are_corrupt_not_panics() {
        assert_eq!(
            decoded(b"not compressed", Some("gzip"), 100),
            Err(BodyError::Corrupt)
        );
        let gz = gzip(JSON);
        let truncated = &gz[..gz.len() - 4];
        assert_eq!(
            decoded(truncated, Some("gzip"), 100),
            Err(BodyError::Corrupt)
        );
        let mut flipped = zlib(JSON);
        let last = flipped.len() - 1;
        flipped[last] ^= 0xff; // breaks the Adler-32 checksum
        assert_eq!(
            decoded(&flipped, Some("deflate"), 100),
            Err(BodyError::Corrupt)
        );
        assert_eq!(decoded(b"", Some("gzip"), 100), Err(BodyError::Corrupt));
    }

    #[test]
    fn other_encodings_are_unsupported() {
        assert_eq!(decoded(JSON, Some("br"), 100), Err(BodyError::Unsupported));
        assert_eq!(
            decoded(JSON, Some("gzip, br"), 100),
            Err(BodyError::Unsupported)
        );
    }
}
