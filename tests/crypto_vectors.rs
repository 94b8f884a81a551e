//! The cryptors against vectors computed independently of this crate
//! (tests/data/crypto_vectors.json, written by scripts/crypto_vectors.py with
//! Python's `cryptography`).

use pubnub_stream::{CryptoError, CryptoModule};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Vector {
    name: String,
    cryptor: String,
    random_iv: bool,
    cipher_key: String,
    plaintext: String,
    ciphertext: String,
}

fn vectors() -> Vec<Vector> {
    #[derive(Deserialize)]
    struct File {
        vectors: Vec<Vector>,
    }
    let file: File = serde_json::from_str(include_str!("data/crypto_vectors.json"))
        .expect("the vectors file parses");
    file.vectors
}

/// The module a vector was written with.
fn module_of(v: &Vector) -> CryptoModule {
    match v.cryptor.as_str() {
        "aes-cbc" => CryptoModule::aes_cbc(&v.cipher_key),
        "legacy" => CryptoModule::legacy(&v.cipher_key, v.random_iv),
        other => panic!("unknown cryptor {other} in {}", v.name),
    }
}

#[test]
fn every_vector_decrypts_to_its_plaintext() {
    let vectors = vectors();
    assert_eq!(vectors.len(), 9);
    for v in &vectors {
        let plain = module_of(v).decrypt(&v.ciphertext);
        assert_eq!(plain.as_deref(), Ok(v.plaintext.as_bytes()), "{}", v.name);
    }
}

#[test]
fn fixed_iv_vectors_encrypt_to_the_same_text() {
    let mut checked = 0;
    for v in vectors()
        .iter()
        .filter(|v| v.cryptor == "legacy" && !v.random_iv)
    {
        let sealed = module_of(v).encrypt(v.plaintext.as_bytes());
        assert_eq!(sealed.as_deref(), Ok(v.ciphertext.as_str()), "{}", v.name);
        checked += 1;
    }
    assert_eq!(checked, 4);
}

#[test]
fn random_iv_encryptions_decrypt_to_the_vectors_plaintext_and_differ_each_time() {
    for v in vectors().iter().filter(|v| v.random_iv) {
        let module = module_of(v);
        let a = module.encrypt(v.plaintext.as_bytes()).expect("encrypts");
        let b = module.encrypt(v.plaintext.as_bytes()).expect("encrypts");
        assert_ne!(a, b, "{}: a fresh IV each time", v.name);
        assert_eq!(module.decrypt(&a).as_deref(), Ok(v.plaintext.as_bytes()));
        // Same length as the vector: same header and IV layout.
        assert_eq!(a.len(), v.ciphertext.len(), "{}", v.name);
    }
}

#[test]
fn each_module_reads_the_other_scheme_as_far_as_it_allows() {
    for v in vectors() {
        let plain = Ok(v.plaintext.as_bytes().to_vec());
        match (v.cryptor.as_str(), v.random_iv) {
            // PNED payloads name their cryptor: every legacy module reads them.
            ("aes-cbc", _) => {
                for random_iv in [true, false] {
                    let legacy = CryptoModule::legacy(&v.cipher_key, random_iv);
                    assert_eq!(legacy.decrypt(&v.ciphertext), plain, "{}", v.name);
                }
            }
            // A legacy payload does not say its IV mode: the PNED module
            // reads random-IV ones (the other SDKs' default) ...
            ("legacy", true) => {
                let module = CryptoModule::aes_cbc(&v.cipher_key);
                assert_eq!(module.decrypt(&v.ciphertext), plain, "{}", v.name);
            }
            // ... and not fixed-IV ones, which it reads as IV + body: never
            // the plaintext.
            _ => {
                let module = CryptoModule::aes_cbc(&v.cipher_key);
                assert_ne!(module.decrypt(&v.ciphertext), plain, "{}", v.name);
            }
        }
    }
}

#[test]
fn a_different_key_never_yields_the_plaintext() {
    for v in vectors() {
        let wrong = match v.cryptor.as_str() {
            "aes-cbc" => CryptoModule::aes_cbc("not-the-key"),
            _ => CryptoModule::legacy("not-the-key", v.random_iv),
        };
        let result = wrong.decrypt(&v.ciphertext);
        assert_ne!(result.as_deref(), Ok(v.plaintext.as_bytes()), "{}", v.name);
        if let Err(error) = result {
            assert!(
                matches!(
                    error,
                    CryptoError::BadPadding | CryptoError::InvalidLength(_)
                ),
                "{}: {error:?}",
                v.name
            );
        }
    }
}
