//! The query string of every request: common parameters, endpoint parameters,
//! and the signature when a secret key is configured.

use std::borrow::Cow;
use std::time::{SystemTime, UNIX_EPOCH};

use http::Method;

use super::Request;
use crate::config::Config;
use crate::protocol::encode::encode;
use crate::protocol::signature::{sign_v2, SignatureInput};
use crate::protocol::url::query_string;

/// Parameters every request carries, fixed per client.
pub(super) struct CommonQuery {
    uuid: String,
    pnsdk: String,
    auth: Option<String>,
    secret: Option<String>,
    publish_key: String,
    /// Encoded keys, replaced by placeholders in logs.
    redactions: Vec<(String, &'static str)>,
}

impl CommonQuery {
    pub(super) fn new(config: &Config) -> Self {
        let mut redactions = vec![(encode(&config.subscribe_key), "<sub-key>")];
        if let Some(key) = &config.publish_key {
            redactions.push((encode(key), "<pub-key>"));
        }
        CommonQuery {
            uuid: config.user_id.clone(),
            pnsdk: config.pnsdk(),
            auth: config.auth_key.clone(),
            secret: config.secret_key.clone(),
            publish_key: config.publish_key.clone().unwrap_or_default(),
            redactions,
        }
    }

    /// `uuid`, `pnsdk`, `requestid`, `auth`, the endpoint's parameters, then
    /// `timestamp` and `signature` when signing; every value encoded once.
    pub(super) fn build(&self, req: &Request) -> String {
        // A request id only has to be unique, not unpredictable: random bits
        // from fastrand save a getrandom system call per request.
        let mut id_buffer = uuid::Uuid::encode_buffer();
        let request_id: &str = uuid::Builder::from_random_bytes(fastrand::u128(..).to_le_bytes())
            .into_uuid()
            .hyphenated()
            .encode_lower(&mut id_buffer);
        let mut params: Vec<(&str, &str)> = Vec::with_capacity(req.query.len() + 6);
        params.push(("uuid", &self.uuid));
        params.push(("pnsdk", &self.pnsdk));
        params.push(("requestid", request_id));
        if let Some(auth) = &self.auth {
            params.push(("auth", auth));
        }
        params.extend(req.query.iter().map(|(k, v)| (k.as_ref(), v.as_str())));
        let Some(secret) = &self.secret else {
            return query_string(params);
        };
        let timestamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0)
            .to_string();
        params.push(("timestamp", &timestamp));
        let signature = self.sign(secret, req, params.clone());
        params.push(("signature", &signature));
        query_string(params)
    }

    /// The v2 signature of `req` with these `params`. POST /publish is signed as
    /// a GET without body, as the JS SDK does and as servers accept (protocol
    /// §14.1); everything else is signed as sent.
    fn sign(&self, secret: &str, req: &Request, params: Vec<(&str, &str)>) -> String {
        let publish_post = req.method == Method::POST && req.path.starts_with("/publish/");
        let (method, body) = if publish_post {
            (&Method::GET, None)
        } else {
            (&req.method, req.body.as_deref())
        };
        sign_v2(
            secret,
            SignatureInput {
                method,
                publish_key: &self.publish_key,
                path: &req.path,
                params,
                body,
            },
        )
    }

    /// `path` with the keys replaced by placeholders.
    pub(super) fn redact_path<'a>(&self, path: &'a str) -> Cow<'a, str> {
        let mut out = Cow::Borrowed(path);
        for (key, placeholder) in &self.redactions {
            if !key.is_empty() && out.contains(key.as_str()) {
                out = Cow::Owned(out.replace(key.as_str(), placeholder));
            }
        }
        out
    }

    /// `query` with `auth` and `signature` values hidden.
    pub(super) fn redact_query(&self, query: &str) -> String {
        query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key @ ("auth" | "signature"), _)) => format!("{key}=<redacted>"),
                _ => pair.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("&")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn config(secret: bool) -> Config {
        let mut b = crate::client::PubNub::builder()
            .subscribe_key("sub-c-1")
            .publish_key("pub-c-2")
            .user_id("alice b")
            .auth_key("tok+en");
        if secret {
            b = b.secret_key("sec-c-3");
        }
        b.build().unwrap().config().clone()
    }

    fn request() -> Request {
        Request::get("/time/0".into(), Duration::from_secs(1)).param("meta", "{\"a\":1}")
    }

    #[test]
    fn common_parameters_come_first_and_are_encoded_once() {
        let q = CommonQuery::new(&config(false)).build(&request());
        let pairs: Vec<&str> = q.split('&').collect();
        assert_eq!(pairs[0], "uuid=alice%20b");
        assert!(pairs[1].starts_with("pnsdk=PubNub-Rust-Stream%2F"));
        assert!(pairs[2].starts_with("requestid="));
        assert_eq!(pairs[2].len(), "requestid=".len() + 36);
        assert_eq!(pairs[3], "auth=tok%2Ben");
        assert_eq!(pairs[4], "meta=%7B%22a%22%3A1%7D");
        assert_eq!(pairs.len(), 5);
    }

    #[test]
    fn a_secret_key_adds_timestamp_and_v2_signature() {
        let q = CommonQuery::new(&config(true)).build(&request());
        assert!(q.contains("&timestamp="));
        let sig = q.rsplit('&').next().unwrap();
        assert!(sig.starts_with("signature=v2."), "{sig}");
    }

    #[test]
    fn publish_post_is_signed_like_a_get_without_body() {
        let common = CommonQuery::new(&config(true));
        let params = vec![("uuid", "u"), ("timestamp", "1")];
        let request = |method: Method, path: &str| {
            let mut r = Request::get(path.to_owned(), Duration::from_secs(1));
            r.method = method;
            r.body = (r.method == Method::POST).then(|| bytes::Bytes::from_static(b"1"));
            r
        };
        let sign = |r: &Request| common.sign("sec", r, params.clone());
        let publish = "/publish/p/s/0/c/0";
        assert_eq!(
            sign(&request(Method::POST, publish)),
            sign(&request(Method::GET, publish))
        );
        let other = "/v3/pam/s/grant";
        assert_ne!(
            sign(&request(Method::POST, other)),
            sign(&request(Method::GET, other))
        );
    }

    #[test]
    fn logs_hide_keys_and_tokens() {
        let common = CommonQuery::new(&config(true));
        let q = common.build(&request());
        let shown = common.redact_query(&q);
        assert!(!shown.contains("tok%2Ben") && shown.contains("auth=<redacted>"));
        assert!(shown.contains("signature=<redacted>"));
        let path = common.redact_path("/publish/pub-c-2/sub-c-1/0/ch/0/1");
        assert_eq!(path, "/publish/<pub-key>/<sub-key>/0/ch/0/1");
    }
}
