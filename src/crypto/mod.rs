//! Message encryption: [`CryptoModule`] (configured with
//! [`PubNubBuilder::crypto`](crate::PubNubBuilder::crypto)) and [`CryptoError`].
//!
//! With a crypto module, `publish()` and the publish sinks send each message
//! encrypted (a base64 JSON string), and subscriptions decrypt messages
//! before anyone sees them. Signals, `meta` and presence are never
//! encrypted. The schemes are those of the other PubNub SDKs: the AES-CBC
//! cryptor behind a `PNED` header, and the legacy cryptor (no header, fixed
//! or random IV). Whatever a module encrypts with, it decrypts both: a
//! payload with the header by the cryptor it names, one without it by the
//! legacy scheme.

mod aes_cbc;
mod crypto_module;
mod error;
mod header;

pub use crypto_module::CryptoModule;
pub use error::CryptoError;
