#!/usr/bin/env python3
"""Writes tests/data/crypto_vectors.json: known-key, known-plaintext,
known-ciphertext vectors for the client's message encryption, computed with
Python's `cryptography` package (OpenSSL), independently of the Rust code.

    pip install cryptography
    python3 scripts/crypto_vectors.py > tests/data/crypto_vectors.json

The schemes (docs/protocol.md, "Message encryption"):

- legacy cryptor: AES-256-CBC, PKCS#7; the AES key is the 32 ASCII bytes of
  the first 32 lowercase hex digits of SHA-256(cipher key); the IV is the
  ASCII "0123456789012345" (fixed-IV mode) or 16 random bytes written before
  the ciphertext (random-IV mode); base64 of the result, no header.
- "PNED" header + AES-CBC cryptor ("ACRH"): AES-256-CBC, PKCS#7, the AES key
  is the raw 32-byte SHA-256(cipher key); base64 of
  "PNED" | version 1 | "ACRH" | metadata length (1 byte, 16) | IV | ciphertext.

The IVs of the random-IV vectors are fixed here so that the output is
reproducible; a decoder reads them from the payload like any other.
"""

import base64
import hashlib
import json
import sys

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

FIXED_IV = b"0123456789012345"


def aes_cbc(key: bytes, iv: bytes, plaintext: bytes) -> bytes:
    padder = padding.PKCS7(128).padder()
    padded = padder.update(plaintext) + padder.finalize()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return encryptor.update(padded) + encryptor.finalize()


def legacy_key(cipher_key: str) -> bytes:
    return hashlib.sha256(cipher_key.encode("utf-8")).hexdigest()[:32].encode("ascii")


def pned_key(cipher_key: str) -> bytes:
    return hashlib.sha256(cipher_key.encode("utf-8")).digest()


def legacy(name, cipher_key, plaintext, iv=None):
    key = legacy_key(cipher_key)
    data = plaintext.encode("utf-8")
    if iv is None:
        payload = aes_cbc(key, FIXED_IV, data)
        used_iv = FIXED_IV
    else:
        payload = iv + aes_cbc(key, iv, data)
        used_iv = iv
    return {
        "name": name,
        "cryptor": "legacy",
        "random_iv": iv is not None,
        "cipher_key": cipher_key,
        "plaintext": plaintext,
        "iv_hex": used_iv.hex(),
        "ciphertext": base64.b64encode(payload).decode("ascii"),
    }


def pned(name, cipher_key, plaintext, iv):
    key = pned_key(cipher_key)
    header = b"PNED" + bytes([1]) + b"ACRH" + bytes([len(iv)]) + iv
    payload = header + aes_cbc(key, iv, plaintext.encode("utf-8"))
    return {
        "name": name,
        "cryptor": "aes-cbc",
        "random_iv": True,
        "cipher_key": cipher_key,
        "plaintext": plaintext,
        "iv_hex": iv.hex(),
        "ciphertext": base64.b64encode(payload).decode("ascii"),
    }


def main():
    iv_a = bytes(range(16))
    iv_b = bytes.fromhex("f0e1d2c3b4a5968778695a4b3c2d1e0f")
    vectors = [
        # "yay!" with key "enigma" in fixed-IV mode is the example other
        # PubNub SDKs' test suites use; it must come out as q/xJqqN6qbiZMXYmiQC1Fw==.
        legacy("legacy fixed IV: enigma / yay!", "enigma", "yay!"),
        legacy("legacy fixed IV: JSON object", "enigma", '{"text":"hello","n":1}'),
        legacy("legacy fixed IV: a whole block of padding", "my-cipher-key", '"0123456789abcd"'),
        legacy("legacy fixed IV: UTF-8 key and text", "clé secrète", '{"text":"héllo wörld ✓"}'),
        legacy("legacy random IV: JSON object", "enigma", '{"text":"hello","n":1}', iv_a),
        legacy("legacy random IV: JSON string", "my-cipher-key", '"hi"', iv_b),
        pned("PNED ACRH: JSON object", "enigma", '{"text":"hello","n":1}', iv_a),
        pned("PNED ACRH: JSON string", "my-cipher-key", '"hi"', iv_b),
        pned("PNED ACRH: UTF-8 key and text, several blocks", "clé secrète",
             '{"text":"héllo wörld ✓","list":[1,2,3,4,5,6,7,8,9,10]}', iv_a),
    ]
    assert vectors[0]["ciphertext"] == "q/xJqqN6qbiZMXYmiQC1Fw==", vectors[0]
    json.dump({"generator": "scripts/crypto_vectors.py", "vectors": vectors},
              sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
