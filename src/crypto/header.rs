//! The `PNED` header that names the cryptor of a payload.
//!
//! `"PNED"`, version `1`, a 4-byte cryptor id, the metadata length (one byte
//! below 255, else `0xFF` and two bytes big-endian), the metadata (for the
//! AES-CBC cryptor, its 16-byte IV), then the ciphertext. A payload without
//! the `PNED` sentinel is a legacy one (no header at all).

use super::CryptoError;

/// The sentinel every header starts with.
const SENTINEL: &[u8; 4] = b"PNED";

/// The only header version there is.
const VERSION: u8 = 1;

/// The id of the AES-256-CBC cryptor with a random IV in the metadata.
pub(super) const AES_CBC_ID: [u8; 4] = *b"ACRH";

/// A parsed header and what follows it.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Header<'a> {
    /// The cryptor id.
    pub(super) cryptor: [u8; 4],
    /// The cryptor's metadata (the IV for AES-CBC).
    pub(super) metadata: &'a [u8],
    /// The ciphertext after the header.
    pub(super) body: &'a [u8],
}

/// Appends a header for `cryptor` with `metadata` to `out`.
pub(super) fn write(out: &mut Vec<u8>, cryptor: [u8; 4], metadata: &[u8]) {
    out.extend_from_slice(SENTINEL);
    out.push(VERSION);
    out.extend_from_slice(&cryptor);
    match u8::try_from(metadata.len()) {
        Ok(len) if len < 0xFF => out.push(len),
        // Longer metadata than a u16 counts is never written (the only
        // cryptor's is 16 bytes); saturate rather than panic.
        _ => {
            out.push(0xFF);
            let len = u16::try_from(metadata.len()).unwrap_or(u16::MAX);
            out.extend_from_slice(&len.to_be_bytes());
        }
    }
    out.extend_from_slice(metadata);
}

/// The header of `bytes`: `Ok(None)` without the `PNED` sentinel (a legacy
/// payload), an error for a header that is cut short or of an unknown version.
pub(super) fn parse(bytes: &[u8]) -> Result<Option<Header<'_>>, CryptoError> {
    let Some(rest) = bytes.strip_prefix(SENTINEL) else {
        return Ok(None);
    };
    let (&version, rest) = rest.split_first().ok_or(CryptoError::MalformedHeader)?;
    if version != VERSION {
        return Err(CryptoError::UnsupportedHeaderVersion(version));
    }
    let (cryptor, rest) = rest
        .split_first_chunk::<4>()
        .ok_or(CryptoError::MalformedHeader)?;
    let (&short_len, rest) = rest.split_first().ok_or(CryptoError::MalformedHeader)?;
    let (len, rest) = if short_len == 0xFF {
        let (long_len, rest) = rest
            .split_first_chunk::<2>()
            .ok_or(CryptoError::MalformedHeader)?;
        (usize::from(u16::from_be_bytes(*long_len)), rest)
    } else {
        (usize::from(short_len), rest)
    };
    if rest.len() < len {
        return Err(CryptoError::MalformedHeader);
    }
    let (metadata, body) = rest.split_at(len);
    Ok(Some(Header {
        cryptor: *cryptor,
        metadata,
        body,
    }))
}

/// A cryptor id as text for an error message (ids are ASCII by convention;
/// other bytes are escaped).
pub(super) fn id_text(id: [u8; 4]) -> String {
    id.escape_ascii().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_parses_short_and_long_metadata() {
        for metadata_len in [0, 16, 254, 255, 300] {
            let metadata = vec![3u8; metadata_len];
            let mut bytes = Vec::new();
            write(&mut bytes, AES_CBC_ID, &metadata);
            let header_len = if metadata_len < 255 { 10 } else { 12 };
            assert_eq!(bytes.len(), header_len + metadata_len);
            bytes.extend_from_slice(b"body");
            let parsed = parse(&bytes).unwrap().unwrap();
            assert_eq!(parsed.cryptor, AES_CBC_ID);
            assert_eq!(parsed.metadata, &metadata[..]);
            assert_eq!(parsed.body, b"body");
        }
    }

    #[test]
    fn legacy_payloads_have_none_and_cut_headers_are_errors() {
        assert_eq!(parse(b"0123456789abcdef"), Ok(None));
        assert_eq!(parse(b""), Ok(None));
        assert_eq!(parse(b"PNED"), Err(CryptoError::MalformedHeader));
        assert_eq!(
            parse(b"PNED\x02ACRH"),
            Err(CryptoError::UnsupportedHeaderVersion(2))
        );
        assert_eq!(parse(b"PNED\x01ACR"), Err(CryptoError::MalformedHeader));
        assert_eq!(
            parse(b"PNED\x01ACRH\x10short"),
            Err(CryptoError::MalformedHeader)
        );
        assert_eq!(
            parse(b"PNED\x01ACRH\xFF\x01"),
            Err(CryptoError::MalformedHeader)
        );
        assert_eq!(id_text(*b"AB\x00\xff"), "AB\\x00\\xff");
    }
}
