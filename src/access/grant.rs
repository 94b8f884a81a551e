//! `pubnub.grant_token(ttl)`: ask Access Manager for a token (server side, signed).

use std::collections::BTreeMap;
use std::future::IntoFuture;

use futures::future::BoxFuture;
use serde::Serialize;
use serde_json::{json, Map, Value};

use super::{AccessToken, Permissions};
use crate::client::PubNub;
use crate::error::{RequestError, RequestErrorKind};
use crate::protocol::encode::encode;
use crate::rest::send_json;
use crate::transport::Request;

/// The longest time to live PubNub grants: 30 days, in minutes.
pub const MAX_TOKEN_TTL_MINUTES: u32 = 43_200;

/// Names (or regular expressions) with their permissions, one map per kind.
#[derive(Debug, Clone, Default)]
struct Grants {
    channels: BTreeMap<String, Permissions>,
    groups: BTreeMap<String, Permissions>,
    user_ids: BTreeMap<String, Permissions>,
}

impl Grants {
    fn is_empty(&self) -> bool {
        self.channels.is_empty() && self.groups.is_empty() && self.user_ids.is_empty()
    }

    fn to_json(&self) -> Value {
        let bits = |map: &BTreeMap<String, Permissions>| -> Map<String, Value> {
            map.iter()
                .map(|(name, p)| (name.clone(), Value::from(p.bits())))
                .collect()
        };
        json!({
            "channels": bits(&self.channels),
            "groups": bits(&self.groups),
            "uuids": bits(&self.user_ids),
        })
    }
}

/// Grants an Access Manager v3 token; `.await` it for the [`AccessToken`].
/// Start with [`PubNub::grant_token`].
///
/// Only a client built with the
/// [`secret_key`](crate::PubNubBuilder::secret_key) can grant (the request is
/// signed); the token then goes to the client that will use it, which sends
/// it with [`PubNub::set_token`]. Checked before any I/O: the secret key, the
/// time to live (1 to [`MAX_TOKEN_TTL_MINUTES`]), at least one resource or
/// pattern, and `meta` being a JSON object.
///
/// Defaults: no resources, no patterns, no authorized user id, no meta.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = pubnub_devserver::DevServer::builder().keyset("demo", "demo")
/// #     .secret_key("my-secret").access_manager(true).start().await?;
/// use pubnub_stream::{Permissions, PubNub};
///
/// let admin = PubNub::builder()
///     .subscribe_key("demo").publish_key("demo").secret_key("my-secret")
///     .user_id("admin")
/// #   .origin(server.origin()).secure(false)
///     .build()?;
/// let token = admin
///     .grant_token(15)                                       // minutes
///     .channel("chat", Permissions::READ | Permissions::WRITE)
///     .channel_pattern("^news-.*$", Permissions::READ)
///     .authorized_user_id("alice")
///     .meta(&serde_json::json!({"role": "member"}))
///     .await?;
/// // hand `token.as_str()` to alice's client, which calls `set_token`
/// # assert!(!token.as_str().is_empty());
/// # Ok(()) }
/// ```
#[derive(Debug)]
#[must_use = "the call does nothing until awaited"]
pub struct GrantTokenBuilder {
    pubnub: PubNub,
    ttl_minutes: u32,
    resources: Grants,
    patterns: Grants,
    authorized_user_id: Option<String>,
    meta: Result<Option<Value>, RequestError>,
}

impl PubNub {
    /// Starts a grant of a token valid for `ttl_minutes` (1 to 43200):
    /// `POST /v3/pam/{sub}/grant`, signed with the secret key.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").secret_key("s")
    /// #     .user_id("admin").build()?;
    /// let call = pubnub.grant_token(60).channel("chat", pubnub_stream::Permissions::READ);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn grant_token(&self, ttl_minutes: u32) -> GrantTokenBuilder {
        GrantTokenBuilder {
            pubnub: self.clone(),
            ttl_minutes,
            resources: Grants::default(),
            patterns: Grants::default(),
            authorized_user_id: None,
            meta: Ok(None),
        }
    }
}

/// One builder method per map: `$name(name, permissions)` inserts into `$field.$map`.
macro_rules! grant_method {
    ($(#[$doc:meta])* $name:ident, $field:ident, $map:ident) => {
        $(#[$doc])*
        pub fn $name(mut self, name: impl Into<String>, permissions: Permissions) -> Self {
            *self.$field.$map.entry(name.into()).or_default() |= permissions;
            self
        }
    };
}

impl GrantTokenBuilder {
    grant_method!(
        /// Grants `permissions` on the channel `name` (repeatable; repeats
        /// of one name add up).
        ///
        /// ```
        /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
        /// use pubnub_stream::Permissions;
        /// let call = pubnub.grant_token(5).channel("a", Permissions::READ).channel("b", Permissions::WRITE);
        /// # Ok::<(), pubnub_stream::ConfigError>(())
        /// ```
        channel, resources, channels
    );
    grant_method!(
        /// Grants `permissions` on every channel whose name matches the
        /// regular expression `pattern`.
        ///
        /// ```
        /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
        /// let call = pubnub.grant_token(5).channel_pattern("^room-.*$", pubnub_stream::Permissions::READ);
        /// # Ok::<(), pubnub_stream::ConfigError>(())
        /// ```
        channel_pattern, patterns, channels
    );
    grant_method!(
        /// Grants `permissions` on the channel group `name` (read to
        /// subscribe to it, manage to edit it).
        ///
        /// ```
        /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
        /// let call = pubnub.grant_token(5).channel_group("friends", pubnub_stream::Permissions::READ);
        /// # Ok::<(), pubnub_stream::ConfigError>(())
        /// ```
        channel_group, resources, groups
    );
    grant_method!(
        /// Grants `permissions` on every channel group matching `pattern`.
        ///
        /// ```
        /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
        /// let call = pubnub.grant_token(5).channel_group_pattern("^team-.*$", pubnub_stream::Permissions::MANAGE);
        /// # Ok::<(), pubnub_stream::ConfigError>(())
        /// ```
        channel_group_pattern, patterns, groups
    );
    grant_method!(
        /// Grants `permissions` (get, update, delete) on the user id `name`.
        ///
        /// ```
        /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
        /// let call = pubnub.grant_token(5).user_id("bob", pubnub_stream::Permissions::GET);
        /// # Ok::<(), pubnub_stream::ConfigError>(())
        /// ```
        user_id, resources, user_ids
    );
    grant_method!(
        /// Grants `permissions` on every user id matching `pattern`.
        ///
        /// ```
        /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
        /// let call = pubnub.grant_token(5).user_id_pattern("^bot-.*$", pubnub_stream::Permissions::GET);
        /// # Ok::<(), pubnub_stream::ConfigError>(())
        /// ```
        user_id_pattern, patterns, user_ids
    );

    /// Only this user id may use the token. Default: any user id.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let call = pubnub.grant_token(5).authorized_user_id("alice");
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn authorized_user_id(mut self, user_id: impl Into<String>) -> Self {
        self.authorized_user_id = Some(user_id.into());
        self
    }

    /// Metadata stored in the token; must serialize to a JSON object (else
    /// awaiting fails with `InvalidArgument`, or `Serialization`, before any
    /// I/O). Default: none.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let call = pubnub.grant_token(5).meta(&serde_json::json!({"plan": "gold"}));
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn meta<T: Serialize + ?Sized>(mut self, meta: &T) -> Self {
        self.meta = serde_json::to_value(meta)
            .map(Some)
            .map_err(|e| RequestError::with_source(RequestErrorKind::Serialization, e));
        self
    }

    /// The request, or the error found before any I/O.
    fn request(self) -> Result<(PubNub, Request), RequestError> {
        let config = self.pubnub.config();
        if !config.has_secret_key() {
            return Err(RequestError::from_kind(RequestErrorKind::MissingSecretKey));
        }
        if !(1..=MAX_TOKEN_TTL_MINUTES).contains(&self.ttl_minutes) {
            return Err(RequestError::invalid_argument(format!(
                "the token's ttl must be 1 to {MAX_TOKEN_TTL_MINUTES} minutes, not {}",
                self.ttl_minutes
            )));
        }
        if self.resources.is_empty() && self.patterns.is_empty() {
            return Err(RequestError::invalid_argument(
                "a grant needs at least one channel, channel group or user id (or pattern)",
            ));
        }
        let mut permissions = json!({
            "resources": self.resources.to_json(),
            "patterns": self.patterns.to_json(),
            "meta": {},
        });
        match self.meta? {
            None => {}
            Some(meta @ Value::Object(_)) => permissions["meta"] = meta,
            Some(_) => {
                return Err(RequestError::invalid_argument(
                    "a token's meta must be a JSON object",
                ))
            }
        }
        if let Some(user_id) = self.authorized_user_id {
            permissions["uuid"] = Value::String(user_id);
        }
        let body = json!({"ttl": self.ttl_minutes, "permissions": permissions});
        let body = serde_json::to_vec(&body)
            .map_err(|e| RequestError::with_source(RequestErrorKind::Serialization, e))?;
        let path = format!("/v3/pam/{}/grant", encode(config.subscribe_key()));
        let mut request = Request::get(path, config.request_timeout());
        request.method = http::Method::POST;
        request.body = Some(body.into());
        Ok((self.pubnub, request))
    }
}

/// `{"data":{"message":"Success","token":"…"},…}` → the token.
fn read_token(body: &Value) -> Result<AccessToken, RequestError> {
    body.get("data")
        .and_then(|d| d.get("token"))
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .map(AccessToken::from)
        .ok_or_else(|| RequestError::invalid_response("expected data.token"))
}

impl IntoFuture for GrantTokenBuilder {
    type Output = Result<AccessToken, RequestError>;
    type IntoFuture = BoxFuture<'static, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        let request = self.request();
        Box::pin(async move {
            let (pubnub, request) = request?;
            read_token(&send_json(pubnub.inner(), request).await?)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn admin() -> PubNub {
        PubNub::builder()
            .subscribe_key("s")
            .secret_key("k")
            .user_id("u")
            .build()
            .unwrap()
    }

    #[test]
    fn body_lists_resources_patterns_meta_and_user() {
        let (_, req) = admin()
            .grant_token(60)
            .channel("a", Permissions::READ)
            .channel("a", Permissions::WRITE)
            .channel_pattern("^b.*$", Permissions::READ)
            .channel_group("g", Permissions::MANAGE)
            .user_id("bob", Permissions::GET | Permissions::UPDATE)
            .authorized_user_id("alice")
            .meta(&json!({"k": 1}))
            .request()
            .unwrap();
        assert_eq!(req.method, http::Method::POST);
        assert_eq!(req.path, "/v3/pam/s/grant");
        let body: Value = serde_json::from_slice(req.body.as_deref().unwrap()).unwrap();
        assert_eq!(
            body,
            json!({"ttl": 60, "permissions": {
                "resources": {"channels": {"a": 3}, "groups": {"g": 4}, "uuids": {"bob": 96}},
                "patterns": {"channels": {"^b.*$": 1}, "groups": {}, "uuids": {}},
                "meta": {"k": 1},
                "uuid": "alice",
            }})
        );
    }

    #[test]
    fn bad_grants_fail_before_io() {
        let reason = |b: GrantTokenBuilder| b.request().unwrap_err().kind().clone();
        let no_secret = PubNub::builder()
            .subscribe_key("s")
            .user_id("u")
            .build()
            .unwrap();
        assert_eq!(
            reason(no_secret.grant_token(5).channel("a", Permissions::READ)),
            RequestErrorKind::MissingSecretKey
        );
        for ttl in [0, MAX_TOKEN_TTL_MINUTES + 1] {
            let kind = reason(admin().grant_token(ttl).channel("a", Permissions::READ));
            assert!(
                matches!(kind, RequestErrorKind::InvalidArgument { .. }),
                "{ttl}"
            );
        }
        assert!(matches!(
            reason(admin().grant_token(5)),
            RequestErrorKind::InvalidArgument { .. }
        ));
        let list_meta = admin()
            .grant_token(5)
            .channel("a", Permissions::READ)
            .meta(&[1]);
        assert!(matches!(
            reason(list_meta),
            RequestErrorKind::InvalidArgument { .. }
        ));
    }

    #[test]
    fn reads_the_token() {
        let ok = json!({"data": {"message": "Success", "token": "abc"}, "status": 200});
        assert_eq!(read_token(&ok).unwrap().as_str(), "abc");
        assert!(read_token(&json!({"data": {}})).is_err());
        assert!(read_token(&json!({"data": {"token": ""}})).is_err());
    }
}
