//! [`CryptoError`]: why a payload could not be encrypted or decrypted.

/// Why a [`CryptoModule`](crate::CryptoModule) could not encrypt or decrypt a payload.
///
/// It never holds key material: only which step failed (and, for an unknown
/// cryptor, the cryptor id the payload names). A subscribed message whose
/// payload did not decrypt carries one in
/// [`Message::decrypt_error`](crate::Message::decrypt_error); a publish whose
/// message could not be encrypted fails with
/// [`RequestErrorKind::Encryption`](crate::RequestErrorKind::Encryption) and
/// this error as its source.
///
/// ```
/// use pubnub_stream::{CryptoError, CryptoModule};
///
/// let crypto = CryptoModule::aes_cbc("my-cipher-key");
/// assert_eq!(crypto.decrypt("not base64!"), Err(CryptoError::NotBase64));
/// let other_key = CryptoModule::aes_cbc("another-key");
/// let sealed = crypto.encrypt(b"{\"text\":\"hi\"}")?;
/// assert!(matches!(other_key.decrypt(&sealed), Err(CryptoError::BadPadding | CryptoError::NotJson)));
/// # Ok::<(), CryptoError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CryptoError {
    /// The module was made with an empty cipher key (a client refuses it at
    /// [`build`](crate::PubNubBuilder::build)).
    #[error("the cipher key is empty")]
    EmptyCipherKey,
    /// The operating system's random number generator failed, so no IV
    /// could be drawn; nothing was encrypted.
    #[error("no random IV: the system's random number generator failed: {0}")]
    RandomUnavailable(String),
    /// The payload is not a JSON string; an encrypted payload is always a
    /// base64 string, so this message was published without encryption.
    #[error("the payload is not a string, so it was not encrypted (or not by a PubNub cryptor)")]
    NotAString,
    /// The payload is not standard base64.
    #[error("the payload is not base64")]
    NotBase64,
    /// The payload has a `PNED` header of a version this library does not know.
    #[error("the payload's PNED header has an unsupported version {0}")]
    UnsupportedHeaderVersion(u8),
    /// The payload's `PNED` header names a cryptor this library does not have.
    #[error("the payload's PNED header names an unknown cryptor {0:?}")]
    UnknownCryptor(String),
    /// The `PNED` header is cut short, or its metadata is not a 16-byte IV.
    #[error("the payload's PNED header is malformed")]
    MalformedHeader,
    /// The ciphertext is empty or not a whole number of 16-byte AES blocks.
    #[error("the ciphertext is not a whole number of AES blocks ({0} bytes)")]
    InvalidLength(usize),
    /// The decrypted bytes do not end in valid PKCS#7 padding: almost always
    /// a different cipher key (or IV mode) than the publisher's.
    #[error("bad padding after decryption (a different cipher key or IV mode?)")]
    BadPadding,
    /// The decrypted bytes are not UTF-8 JSON: a different cipher key or IV
    /// mode than the publisher's, or a publisher that encrypts something else.
    #[error("the decrypted payload is not UTF-8 JSON (a different cipher key or IV mode?)")]
    NotJson,
}
