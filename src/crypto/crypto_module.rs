//! [`CryptoModule`]: the cipher key and the cryptor a client encrypts with.

use std::fmt;
use std::sync::Arc;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use serde_json::Value;

use super::aes_cbc::{self, Iv, Key};
use super::header::{self, AES_CBC_ID};
use super::CryptoError;

/// The IV of the legacy cryptor in fixed-IV mode.
const LEGACY_FIXED_IV: &Iv = b"0123456789012345";

/// Encrypts and decrypts message payloads with a cipher key; give it to
/// [`PubNubBuilder::crypto`](crate::PubNubBuilder::crypto).
///
/// - [`aes_cbc`](Self::aes_cbc) (recommended): AES-256-CBC with a random IV,
///   behind a `PNED` header that names the cryptor (id `ACRH`); the key is
///   the SHA-256 of the cipher key. What current PubNub SDKs send with a
///   crypto module.
/// - [`legacy`](Self::legacy): the scheme of older SDKs, no header; the key
///   is the first 32 hex digits of SHA-256(cipher key) taken as text, the IV
///   fixed (`0123456789012345`) or random and sent before the ciphertext.
///
/// Both decrypt both schemes: a payload with the `PNED` header is decrypted
/// by the cryptor it names, one without it by the legacy scheme (with
/// [`aes_cbc`](Self::aes_cbc), in random-IV mode, the other SDKs' default;
/// to read fixed-IV legacy publishers, use `legacy(key, false)`, which also
/// reads `PNED` payloads). A legacy payload does not say which IV mode wrote
/// it, so a reader must use the publisher's.
///
/// The cipher key is never printed: `Debug` shows only the cryptor, and no
/// error or log line holds the key or the keys derived from it. An empty
/// cipher key makes [`build`](crate::PubNubBuilder::build) fail with
/// [`ConfigError::InvalidOption`](crate::ConfigError::InvalidOption)
/// (option `"crypto"`); any other string is a valid key, spaces included.
///
/// ```
/// use pubnub_stream::CryptoModule;
///
/// let crypto = CryptoModule::aes_cbc("my-cipher-key");
/// let sealed = crypto.encrypt(br#"{"text":"hi"}"#)?;   // base64, as published
/// assert_eq!(crypto.decrypt(&sealed)?, br#"{"text":"hi"}"#);
/// assert!(!format!("{crypto:?}").contains("my-cipher-key"));
///
/// // A legacy reader (random IVs) reads it too, and the other way round.
/// let legacy = CryptoModule::legacy("my-cipher-key", true);
/// assert_eq!(legacy.decrypt(&sealed)?, br#"{"text":"hi"}"#);
/// assert_eq!(crypto.decrypt(&legacy.encrypt(b"42")?)?, b"42");
/// # Ok::<(), pubnub_stream::CryptoError>(())
/// ```
#[derive(Clone)]
pub struct CryptoModule {
    /// How this module encrypts (and reads legacy payloads).
    cryptor: Cryptor,
    /// Both derived keys (every module decrypts both schemes); `None` for an
    /// empty cipher key, which nothing may use.
    keys: Option<Arc<Keys>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Cryptor {
    /// `PNED` + `ACRH`; legacy payloads are read in random-IV mode.
    AesCbc,
    /// No header; legacy payloads in this IV mode.
    Legacy { random_iv: bool },
}

/// The AES keys derived from one cipher key.
struct Keys {
    header_cryptor: Key,
    legacy: Key,
}

impl CryptoModule {
    /// The AES-CBC cryptor behind a `PNED` header, with a random IV per
    /// message; reads legacy payloads (random-IV mode) too.
    ///
    /// ```
    /// let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").user_id("u")
    ///     .crypto(pubnub_stream::CryptoModule::aes_cbc("my-cipher-key"))
    ///     .build()?;
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn aes_cbc(cipher_key: impl AsRef<str>) -> Self {
        Self::new(Cryptor::AesCbc, cipher_key.as_ref())
    }

    /// The legacy cryptor (no header): a random IV before each ciphertext
    /// (`random_iv = true`, the other SDKs' default) or the fixed IV
    /// `0123456789012345`. Reads `PNED` payloads too.
    ///
    /// ```
    /// use pubnub_stream::CryptoModule;
    ///
    /// // Fixed IV: the same message always encrypts to the same text.
    /// let fixed = CryptoModule::legacy("enigma", false);
    /// assert_eq!(fixed.encrypt(b"yay!")?, "q/xJqqN6qbiZMXYmiQC1Fw==");
    /// # Ok::<(), pubnub_stream::CryptoError>(())
    /// ```
    pub fn legacy(cipher_key: impl AsRef<str>, random_iv: bool) -> Self {
        Self::new(Cryptor::Legacy { random_iv }, cipher_key.as_ref())
    }

    fn new(cryptor: Cryptor, cipher_key: &str) -> Self {
        let keys = (!cipher_key.is_empty()).then(|| {
            Arc::new(Keys {
                header_cryptor: aes_cbc::header_cryptor_key(cipher_key),
                legacy: aes_cbc::legacy_key(cipher_key),
            })
        });
        CryptoModule { cryptor, keys }
    }

    /// Why this module cannot be used, for [`build`](crate::PubNubBuilder::build).
    pub(crate) fn problem(&self) -> Option<&'static str> {
        self.keys.is_none().then_some("the cipher key is empty")
    }

    fn keys(&self) -> Result<&Keys, CryptoError> {
        self.keys.as_deref().ok_or(CryptoError::EmptyCipherKey)
    }

    /// `plaintext` encrypted by this module's cryptor, as the base64 text
    /// that is published (inside a JSON string).
    ///
    /// Fails only for an empty cipher key or when the system's random number
    /// generator fails (no IV).
    ///
    /// ```
    /// let crypto = pubnub_stream::CryptoModule::aes_cbc("k");
    /// let a = crypto.encrypt(b"\"hi\"")?;
    /// assert_ne!(a, crypto.encrypt(b"\"hi\"")?); // a new random IV each time
    /// # Ok::<(), pubnub_stream::CryptoError>(())
    /// ```
    pub fn encrypt(&self, plaintext: &[u8]) -> Result<String, CryptoError> {
        let keys = self.keys()?;
        let sealed = match self.cryptor {
            Cryptor::AesCbc => {
                let iv = aes_cbc::random_iv()?;
                let mut out = Vec::with_capacity(12 + 16 + plaintext.len() + 16);
                header::write(&mut out, AES_CBC_ID, &iv);
                out.extend(aes_cbc::encrypt(&keys.header_cryptor, &iv, plaintext));
                out
            }
            Cryptor::Legacy { random_iv: true } => {
                let iv = aes_cbc::random_iv()?;
                let mut out = iv.to_vec();
                out.extend(aes_cbc::encrypt(&keys.legacy, &iv, plaintext));
                out
            }
            Cryptor::Legacy { random_iv: false } => {
                aes_cbc::encrypt(&keys.legacy, LEGACY_FIXED_IV, plaintext)
            }
        };
        Ok(BASE64.encode(sealed))
    }

    /// The plaintext of a base64 payload: by the cryptor its `PNED` header
    /// names, or by the legacy scheme when it has none.
    ///
    /// ```
    /// use pubnub_stream::{CryptoError, CryptoModule};
    ///
    /// let crypto = CryptoModule::legacy("enigma", false);
    /// assert_eq!(crypto.decrypt("q/xJqqN6qbiZMXYmiQC1Fw==")?, b"yay!");
    /// assert_eq!(crypto.decrypt("plain text"), Err(CryptoError::NotBase64));
    /// # Ok::<(), CryptoError>(())
    /// ```
    pub fn decrypt(&self, payload: &str) -> Result<Vec<u8>, CryptoError> {
        let keys = self.keys()?;
        let bytes = BASE64.decode(payload).map_err(|_| CryptoError::NotBase64)?;
        match header::parse(&bytes)? {
            Some(found) if found.cryptor == AES_CBC_ID => {
                let iv: &Iv = found
                    .metadata
                    .try_into()
                    .map_err(|_| CryptoError::MalformedHeader)?;
                aes_cbc::decrypt(&keys.header_cryptor, iv, found.body)
            }
            Some(found) => Err(CryptoError::UnknownCryptor(header::id_text(found.cryptor))),
            None => {
                let random_iv = match self.cryptor {
                    Cryptor::AesCbc => true,
                    Cryptor::Legacy { random_iv } => random_iv,
                };
                if random_iv {
                    let (iv, body) =
                        aes_cbc::split_iv(&bytes).ok_or(CryptoError::InvalidLength(bytes.len()))?;
                    aes_cbc::decrypt(&keys.legacy, &iv, body)
                } else {
                    aes_cbc::decrypt(&keys.legacy, LEGACY_FIXED_IV, &bytes)
                }
            }
        }
    }

    /// The JSON text of a published message for the JSON text `json` of
    /// the message: a JSON string holding the base64 ciphertext.
    pub(crate) fn encrypt_json(&self, json: &str) -> Result<String, CryptoError> {
        let sealed = self.encrypt(json.as_bytes())?;
        // Base64 needs no JSON escaping.
        Ok(format!("\"{sealed}\""))
    }

    /// The message a received payload holds: `payload` must be a string
    /// that decrypts to UTF-8 JSON.
    pub(crate) fn decrypt_value(&self, payload: &Value) -> Result<Value, CryptoError> {
        let Value::String(sealed) = payload else {
            return Err(CryptoError::NotAString);
        };
        let plain = self.decrypt(sealed)?;
        serde_json::from_slice(&plain).map_err(|_| CryptoError::NotJson)
    }
}

impl fmt::Debug for CryptoModule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cryptor = match self.cryptor {
            Cryptor::AesCbc => "aes-cbc (PNED header)",
            Cryptor::Legacy { random_iv: true } => "legacy (random IV)",
            Cryptor::Legacy { random_iv: false } => "legacy (fixed IV)",
        };
        f.debug_struct("CryptoModule")
            .field("cryptor", &cryptor)
            .field("cipher_key", &"<redacted>")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `PNED` vectors of tests/data/crypto_vectors.json encrypt to the
    /// same bytes when given their IV (the public API draws a random one).
    #[test]
    fn header_cryptor_matches_the_vectors_byte_for_byte() {
        let data: Value =
            serde_json::from_str(include_str!("../../tests/data/crypto_vectors.json")).unwrap();
        let mut checked = 0;
        for v in data["vectors"].as_array().unwrap() {
            if v["cryptor"] != "aes-cbc" {
                continue;
            }
            let key = aes_cbc::header_cryptor_key(v["cipher_key"].as_str().unwrap());
            let iv_hex = v["iv_hex"].as_str().unwrap();
            let iv: Vec<u8> = (0..16)
                .map(|i| u8::from_str_radix(&iv_hex[2 * i..2 * i + 2], 16).unwrap())
                .collect();
            let mut out = Vec::new();
            header::write(&mut out, AES_CBC_ID, &iv);
            let iv: Iv = iv.try_into().unwrap();
            out.extend(aes_cbc::encrypt(
                &key,
                &iv,
                v["plaintext"].as_str().unwrap().as_bytes(),
            ));
            assert_eq!(BASE64.encode(out), v["ciphertext"], "{}", v["name"]);
            checked += 1;
        }
        assert_eq!(checked, 3);
    }

    #[test]
    fn every_failure_is_typed() {
        let crypto = CryptoModule::aes_cbc("k");
        let pned = |body: &[u8]| {
            let mut out = Vec::new();
            header::write(&mut out, *b"XXXX", &[0; 16]);
            out.extend_from_slice(body);
            BASE64.encode(out)
        };
        assert_eq!(
            crypto.decrypt(&pned(&[0; 16])),
            Err(CryptoError::UnknownCryptor("XXXX".into()))
        );
        let mut short_iv = Vec::new();
        header::write(&mut short_iv, AES_CBC_ID, &[0; 8]);
        short_iv.extend_from_slice(&[0; 16]);
        assert_eq!(
            crypto.decrypt(&BASE64.encode(short_iv)),
            Err(CryptoError::MalformedHeader)
        );
        assert_eq!(
            crypto.decrypt(&BASE64.encode([1u8; 8])),
            Err(CryptoError::InvalidLength(8))
        );
        assert_eq!(
            crypto.decrypt_value(&Value::from(5)),
            Err(CryptoError::NotAString)
        );
        let not_json = Value::String(crypto.encrypt(b"not json").unwrap());
        assert_eq!(crypto.decrypt_value(&not_json), Err(CryptoError::NotJson));
        let empty = CryptoModule::legacy("", false);
        assert_eq!(empty.encrypt(b"1"), Err(CryptoError::EmptyCipherKey));
        assert_eq!(empty.problem(), Some("the cipher key is empty"));
        assert_eq!(crypto.problem(), None);
    }

    #[test]
    fn json_round_trip_through_each_cryptor() {
        for crypto in [
            CryptoModule::aes_cbc("k"),
            CryptoModule::legacy("k", true),
            CryptoModule::legacy("k", false),
        ] {
            let json = crypto.encrypt_json(r#"{"a":[1,"ü"]}"#).unwrap();
            let value: Value = serde_json::from_str(&json).unwrap();
            assert_eq!(
                crypto.decrypt_value(&value).unwrap(),
                serde_json::json!({"a": [1, "ü"]})
            );
        }
    }
}
