//! Request signature verification (protocol.md §14.1): v2 for every
//! request, plus the v1 variant some SDKs send for POST publish, and the
//! timestamp window.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use http::Method;
use sha2::Sha256;

use crate::decode::{encode_value, Query};

/// How far a request's `timestamp` may be from the server clock.
pub(crate) const WINDOW_SECS: u64 = 60;

/// HMAC-SHA256 of `message` with `secret`.
pub(crate) fn hmac(secret: &[u8], message: &[u8]) -> Vec<u8> {
    // HMAC takes keys of any length: this never fails.
    match Hmac::<Sha256>::new_from_slice(secret) {
        Ok(mut mac) => {
            mac.update(message);
            mac.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

/// Equal without an early exit (the time taken does not say where they differ).
pub(crate) fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Every parameter but `signature`, values re-encoded with the one SDK
/// set, sorted by key, joined with `&`.
fn canonical_query(query: &Query) -> String {
    let mut pairs: Vec<(&str, String)> = query
        .pairs()
        .iter()
        .filter(|(k, _)| k != "signature")
        .map(|(k, v)| (k.as_str(), encode_value(v)))
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// What a signed request is checked against.
#[derive(Debug)]
pub(crate) struct Signed<'a> {
    pub(crate) method: &'a Method,
    /// The raw (still encoded) path, as sent.
    pub(crate) path: &'a str,
    pub(crate) query: &'a Query,
    pub(crate) body: &'a [u8],
    pub(crate) sub_key: &'a str,
    /// Publish keys the signer may have used (the path's, or the keyset's).
    pub(crate) pub_keys: Vec<String>,
}

/// Why a signature was refused (the detail of the 403).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    NoTimestamp,
    OutOfWindow,
    Mismatch,
}

impl Refusal {
    pub(crate) fn detail(self) -> &'static str {
        match self {
            Refusal::NoTimestamp => "A signed request needs a timestamp parameter.",
            Refusal::OutOfWindow => {
                "The request timestamp is more than 60 seconds from the server clock."
            }
            Refusal::Mismatch => {
                "Signature mismatch: check the secret key and how the request was signed."
            }
        }
    }
}

/// Checks `signature` of `req` at server time `now` (Unix seconds).
pub(crate) fn verify(
    secret: &str,
    signature: &str,
    req: &Signed<'_>,
    now: u64,
) -> Result<(), Refusal> {
    let timestamp = req
        .query
        .get("timestamp")
        .and_then(|t| t.parse::<u64>().ok())
        .ok_or(Refusal::NoTimestamp)?;
    if timestamp.abs_diff(now) > WINDOW_SECS {
        return Err(Refusal::OutOfWindow);
    }
    let query = canonical_query(req.query);
    let publish_post =
        *req.method == Method::POST && req.path.trim_start_matches('/').starts_with("publish/");
    let ok = req.pub_keys.iter().any(|pub_key| {
        let v2 = |method: &Method, body: &[u8]| {
            let mut input = format!("{method}\n{pub_key}\n{}\n{query}\n", req.path).into_bytes();
            if matches!(*method, Method::POST | Method::PATCH) {
                input.extend_from_slice(body);
            }
            format!(
                "v2.{}",
                URL_SAFE_NO_PAD.encode(hmac(secret.as_bytes(), &input))
            )
        };
        if same(signature.as_bytes(), v2(req.method, req.body).as_bytes()) {
            return true;
        }
        if !publish_post {
            return false;
        }
        // POST publish: JS signs it as a GET without body; Python, Go and
        // the official Rust SDK use v1 (Python keeps the `=` padding).
        let v1_input = format!("{}\n{pub_key}\n{}\n{query}", req.sub_key, req.path);
        let v1 = URL_SAFE_NO_PAD.encode(hmac(secret.as_bytes(), v1_input.as_bytes()));
        same(signature.as_bytes(), v2(&Method::GET, &[]).as_bytes())
            || same(signature.trim_end_matches('=').as_bytes(), v1.as_bytes())
    });
    if ok {
        Ok(())
    } else {
        Err(Refusal::Mismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(raw: &str) -> Query {
        Query::parse(raw).unwrap_or_default()
    }

    fn sign_v2(secret: &str, input: &str) -> String {
        format!(
            "v2.{}",
            URL_SAFE_NO_PAD.encode(hmac(secret.as_bytes(), input.as_bytes()))
        )
    }

    #[test]
    fn hmac_matches_a_published_vector() {
        // RFC 4231 test case 2.
        let mac = hmac(b"Jefe", b"what do ya want for nothing?");
        let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn v2_get_with_sorted_reencoded_query() {
        let q = query("uuid=a+b&timestamp=100&signature=x&auth=t%7E");
        let expected = sign_v2(
            "sec",
            "GET\npub\n/time/0\nauth=t%7E&timestamp=100&uuid=a%20b\n",
        );
        let req = Signed {
            method: &Method::GET,
            path: "/time/0",
            query: &q,
            body: b"",
            sub_key: "sub",
            pub_keys: vec!["other".into(), "pub".into()],
        };
        assert_eq!(verify("sec", &expected, &req, 100), Ok(()));
        assert_eq!(
            verify("sec", &expected, &req, 161),
            Err(Refusal::OutOfWindow)
        );
        assert_eq!(verify("bad", &expected, &req, 100), Err(Refusal::Mismatch));
        let q = query("uuid=u");
        let req = Signed { query: &q, ..req };
        assert_eq!(
            verify("sec", &expected, &req, 100),
            Err(Refusal::NoTimestamp)
        );
    }

    #[test]
    fn post_publish_accepts_v1_padded_or_not_and_v2_as_get() {
        let q = query("timestamp=50&uuid=u");
        let path = "/publish/pub/sub/0/ch/0";
        let req = Signed {
            method: &Method::POST,
            path,
            query: &q,
            body: b"\"hi\"",
            sub_key: "sub",
            pub_keys: vec!["pub".into()],
        };
        let v1_input = format!("sub\npub\n{path}\ntimestamp=50&uuid=u");
        let v1 = base64::engine::general_purpose::URL_SAFE.encode(hmac(b"s", v1_input.as_bytes()));
        assert!(v1.ends_with('='));
        assert_eq!(verify("s", &v1, &req, 50), Ok(()));
        assert_eq!(verify("s", v1.trim_end_matches('='), &req, 50), Ok(()));
        let as_get = sign_v2("s", &format!("GET\npub\n{path}\ntimestamp=50&uuid=u\n"));
        assert_eq!(verify("s", &as_get, &req, 50), Ok(()));
        let with_body = sign_v2(
            "s",
            &format!("POST\npub\n{path}\ntimestamp=50&uuid=u\n\"hi\""),
        );
        assert_eq!(verify("s", &with_body, &req, 50), Ok(()));
        // v1 is only for POST publish.
        let get = Signed {
            method: &Method::GET,
            ..req
        };
        assert_eq!(verify("s", &v1, &get, 50), Err(Refusal::Mismatch));
    }
}
