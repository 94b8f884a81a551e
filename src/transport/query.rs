//! The query string of every request: common parameters, endpoint parameters,
//! and the signature when a secret key is configured.

use std::borrow::Cow;
use std::sync::{Arc, RwLock};
use std::time::{SystemTime, UNIX_EPOCH};

use http::Method;

use super::Request;
use crate::config::Config;
use crate::protocol::encode::{encode, encoded_len};
use crate::protocol::signature::{sign_v2, SignatureInput};
use crate::protocol::url::query_string;

/// A `requestid` value: a hyphenated UUID, 36 characters none of which is encoded.
const REQUEST_ID_LEN: usize = 36;

/// A `signature` value: `v2.` and the URL-safe base64 (no padding) of an
/// HMAC-SHA256, 43 characters none of which is encoded.
const SIGNATURE_LEN: usize = 3 + 43;

/// The `timestamp` value: Unix seconds now.
fn timestamp() -> String {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
        .to_string()
}

/// Parameters every request carries: fixed per client, except the token.
pub(super) struct CommonQuery {
    uuid: String,
    pnsdk: String,
    /// The `auth` token; replaced at run time by `set_token` and read once
    /// per request (a read lock and an `Arc` clone: no allocation).
    auth: RwLock<Option<Arc<str>>>,
    secret: Option<String>,
    /// The length of `uuid=…&pnsdk=…&requestid=…` (encoded), which is the
    /// same for every request: [`len`](Self::len) runs per publish.
    fixed_len: usize,
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
        let pnsdk = config.pnsdk();
        let fixed_len = "uuid=".len()
            + encoded_len(&config.user_id)
            + "&pnsdk=".len()
            + encoded_len(&pnsdk)
            + "&requestid=".len()
            + REQUEST_ID_LEN;
        CommonQuery {
            uuid: config.user_id.clone(),
            pnsdk,
            fixed_len,
            auth: RwLock::new(config.auth_key.as_deref().map(Arc::from)),
            secret: config.secret_key.clone(),
            publish_key: config.publish_key.clone().unwrap_or_default(),
            redactions,
        }
    }

    /// Replaces the `auth` token of every later request (`None`: send none).
    pub(super) fn set_auth(&self, token: Option<Arc<str>>) {
        *self.auth.write().unwrap_or_else(|e| e.into_inner()) = token;
    }

    /// The `auth` token requests are sent with now.
    fn auth(&self) -> Option<Arc<str>> {
        self.auth.read().unwrap_or_else(|e| e.into_inner()).clone()
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
        let auth = self.auth();
        let mut params: Vec<(&str, &str)> = Vec::with_capacity(req.query.len() + 6);
        params.push(("uuid", &self.uuid));
        params.push(("pnsdk", &self.pnsdk));
        params.push(("requestid", request_id));
        if let Some(auth) = &auth {
            params.push(("auth", auth));
        }
        params.extend(req.query.iter().map(|(k, v)| (k.as_ref(), v.as_str())));
        let Some(secret) = &self.secret else {
            return query_string(params);
        };
        let timestamp = timestamp();
        params.push(("timestamp", &timestamp));
        let signature = self.sign(secret, req, params.clone());
        params.push(("signature", &signature));
        query_string(params)
    }

    /// The length of [`build`](Self::build)`(req)`, computed without building
    /// it: no request id drawn, no signature computed (both have a fixed
    /// length). The publish path checks its URI length with it before I/O.
    pub(super) fn len(&self, req: &Request) -> usize {
        let auth = self.auth();
        let pairs = auth
            .as_deref()
            .map(|auth| ("auth", auth))
            .into_iter()
            .chain(req.query.iter().map(|(k, v)| (k.as_ref(), v.as_str())));
        let mut len = self.fixed_len;
        for (key, value) in pairs {
            len += "&".len() + key.len() + "=".len() + encoded_len(value);
        }
        if self.secret.is_some() {
            len += "&timestamp=".len() + timestamp().len() + "&signature=".len() + SIGNATURE_LEN;
        }
        len
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

    /// `path` with the keys replaced by placeholders, and the token of a
    /// revoke call (`/v3/pam/{sub}/grant/{token}`) hidden.
    pub(super) fn redact_path<'a>(&self, path: &'a str) -> Cow<'a, str> {
        let mut out = Cow::Borrowed(path);
        if path.starts_with("/v3/pam/") {
            if let Some((head, _token)) = path.split_once("/grant/") {
                out = Cow::Owned(format!("{head}/grant/<token>"));
            }
        }
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
    fn len_is_the_length_of_the_built_query() {
        let mut post = request().param("seqn", "65535").param("store", "0");
        post.method = Method::POST;
        post.body = Some(bytes::Bytes::from_static(b"{\"x\": \"\xc3\xbc\"}"));
        for secret in [false, true] {
            let common = CommonQuery::new(&config(secret));
            for req in [request(), post.clone()] {
                assert_eq!(
                    common.len(&req),
                    common.build(&req).len(),
                    "secret {secret}"
                );
            }
        }
        let bare = crate::client::PubNub::builder()
            .subscribe_key("s")
            .user_id("u")
            .build()
            .unwrap();
        let common = CommonQuery::new(bare.config());
        let req = Request::get("/time/0".into(), Duration::from_secs(1));
        assert_eq!(common.len(&req), common.build(&req).len());
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
        let revoke = common.redact_path("/v3/pam/sub-c-1/grant/p0F2AkF0Gm");
        assert_eq!(revoke, "/v3/pam/<sub-key>/grant/<token>");
    }

    #[test]
    fn a_new_token_is_sent_from_the_next_request_on() {
        let common = CommonQuery::new(&config(false));
        common.set_auth(Some(Arc::from("new token")));
        assert!(common.build(&request()).contains("&auth=new%20token&"));
        common.set_auth(None);
        assert!(!common.build(&request()).contains("auth="));
    }
}
