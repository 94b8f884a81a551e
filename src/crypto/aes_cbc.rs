//! AES-256-CBC with PKCS#7 padding, the cipher under both cryptors, and the
//! two ways they derive an AES key from the cipher key.

use aes::Aes256;
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use sha2::{Digest, Sha256};

use super::CryptoError;

/// The AES block (and IV) size in bytes.
pub(super) const BLOCK: usize = 16;

/// An AES-256 key (32 bytes).
pub(super) type Key = [u8; 32];

/// An IV (16 bytes).
pub(super) type Iv = [u8; BLOCK];

/// The key of the `PNED` AES-CBC cryptor: the raw SHA-256 of the cipher key.
pub(super) fn header_cryptor_key(cipher_key: &str) -> Key {
    Sha256::digest(cipher_key.as_bytes()).into()
}

/// The key of the legacy cryptor: the first 32 lowercase hex digits of
/// SHA-256(cipher key), as 32 ASCII bytes.
pub(super) fn legacy_key(cipher_key: &str) -> Key {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(cipher_key.as_bytes());
    let mut key = [0u8; 32];
    // 16 digest bytes give 32 hex digits.
    for (pair, byte) in key.chunks_exact_mut(2).zip(digest.iter()) {
        pair[0] = HEX[usize::from(byte >> 4)];
        pair[1] = HEX[usize::from(byte & 0x0f)];
    }
    key
}

/// 16 bytes from the operating system's random number generator.
pub(super) fn random_iv() -> Result<Iv, CryptoError> {
    let mut iv = [0u8; BLOCK];
    getrandom::fill(&mut iv).map_err(|e| CryptoError::RandomUnavailable(e.to_string()))?;
    Ok(iv)
}

/// `plaintext` encrypted and padded (a whole number of blocks, at least one).
pub(super) fn encrypt(key: &Key, iv: &Iv, plaintext: &[u8]) -> Vec<u8> {
    cbc::Encryptor::<Aes256>::new(key.into(), iv.into()).encrypt_padded_vec_mut::<Pkcs7>(plaintext)
}

/// `ciphertext` decrypted and unpadded.
pub(super) fn decrypt(key: &Key, iv: &Iv, ciphertext: &[u8]) -> Result<Vec<u8>, CryptoError> {
    if ciphertext.is_empty() || !ciphertext.len().is_multiple_of(BLOCK) {
        return Err(CryptoError::InvalidLength(ciphertext.len()));
    }
    cbc::Decryptor::<Aes256>::new(key.into(), iv.into())
        .decrypt_padded_vec_mut::<Pkcs7>(ciphertext)
        .map_err(|_| CryptoError::BadPadding)
}

/// The first 16 bytes of `bytes` as an IV and the rest, or `None` when
/// there are fewer than 16.
pub(super) fn split_iv(bytes: &[u8]) -> Option<(Iv, &[u8])> {
    let (iv, rest) = bytes.split_first_chunk::<BLOCK>()?;
    Some((*iv, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_key_is_the_hex_prefix_of_the_digest() {
        // printf enigma | sha256sum → 67a4f45f0d1d9bc606486fc42dc49416...
        assert_eq!(&legacy_key("enigma"), b"67a4f45f0d1d9bc606486fc42dc49416");
        let raw = header_cryptor_key("enigma");
        assert_eq!(raw[..4], [0x67, 0xa4, 0xf4, 0x5f]);
    }

    #[test]
    fn round_trips_and_refuses_partial_blocks() {
        let (key, iv) = ([7u8; 32], [9u8; 16]);
        for len in [0, 1, 15, 16, 17, 100] {
            let plain = vec![b'x'; len];
            let sealed = encrypt(&key, &iv, &plain);
            assert_eq!(sealed.len(), (len / 16 + 1) * 16);
            assert_eq!(decrypt(&key, &iv, &sealed).unwrap(), plain);
        }
        assert_eq!(decrypt(&key, &iv, &[]), Err(CryptoError::InvalidLength(0)));
        assert_eq!(
            decrypt(&key, &iv, &[0; 17]),
            Err(CryptoError::InvalidLength(17))
        );
    }

    #[test]
    fn random_ivs_differ() {
        assert_ne!(random_iv().unwrap(), random_iv().unwrap());
    }
}
