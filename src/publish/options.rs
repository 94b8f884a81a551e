//! [`PublishOptions`]: what a publish carries besides channel and message.
//!
//! The one owner of those options for both [`PublishBuilder`](super::PublishBuilder)
//! and the sink's [`Publisher`](super::sink::Publisher): their defaults, their
//! checks and their query parameters.

use serde::Serialize;

use super::json::{to_json, JsonError};

use crate::error::RequestError;
use crate::protocol::channel;
use crate::transport::Request;

/// Publish options besides channel and message. Set them with the `set_*`
/// methods; [`check`](Self::check) says whether they can be sent.
#[derive(Debug, Clone)]
pub(crate) struct PublishOptions {
    /// `meta` as JSON text, or why it did not serialize (reported by `check`).
    meta: Option<Result<String, JsonError>>,
    /// `store=1/0`; `None` = keyset default.
    store: Option<bool>,
    /// `ttl` in hours; `None` = keyset default.
    ttl: Option<u32>,
    /// `false` sends `norep=true`.
    replicate: bool,
    /// `custom_message_type`, checked by `check`.
    custom_message_type: Option<String>,
    /// POST the message as the body instead of putting it in the path.
    use_post: bool,
}

impl Default for PublishOptions {
    fn default() -> Self {
        PublishOptions {
            meta: None,
            store: None,
            ttl: None,
            replicate: true,
            custom_message_type: None,
            use_post: false,
        }
    }
}

impl PublishOptions {
    /// Serializes `meta` now, stopping past `cap` bytes (see [`to_json`]); a
    /// failure is kept and reported by [`check`](Self::check).
    pub(crate) fn set_meta<M: Serialize + ?Sized>(&mut self, meta: &M, cap: usize) {
        self.meta = Some(to_json(meta, cap));
    }

    /// `store=1` (`true`) or `store=0` (`false`).
    pub(crate) fn set_store(&mut self, store: bool) {
        self.store = Some(store);
    }

    /// Retention in hours (`ttl`).
    pub(crate) fn set_ttl(&mut self, hours: u32) {
        self.ttl = Some(hours);
    }

    /// `false` keeps the message in the receiving region (`norep=true`).
    pub(crate) fn set_replicate(&mut self, replicate: bool) {
        self.replicate = replicate;
    }

    /// The application-defined type (`custom_message_type`).
    pub(crate) fn set_custom_message_type(&mut self, message_type: String) {
        self.custom_message_type = Some(message_type);
    }

    /// POST the message as the body (`true`) or put it in the path.
    pub(crate) fn set_use_post(&mut self, post: bool) {
        self.use_post = post;
    }

    /// Whether the message goes as a POST body.
    pub(crate) fn uses_post(&self) -> bool {
        self.use_post
    }

    /// Everything that can be wrong with the options themselves: a `meta`
    /// that did not serialize (`Serialization`, with the serde error as
    /// source) or was over the size cap (`MessageTooLarge`), or a malformed
    /// custom message type (`InvalidArgument`).
    pub(crate) fn check(&self) -> Result<(), RequestError> {
        if let Some(Err(error)) = &self.meta {
            return Err(error.clone().into());
        }
        if let Some(cmt) = &self.custom_message_type {
            channel::validate_custom_message_type(cmt)?;
        }
        Ok(())
    }

    /// Adds the options' query parameters to `req` (only those not left at
    /// the default), in a fixed order: store, ttl, meta, norep, custom_message_type.
    pub(crate) fn add_params(&self, mut req: Request) -> Request {
        if let Some(store) = self.store {
            req = req.param("store", if store { "1" } else { "0" });
        }
        if let Some(ttl) = self.ttl {
            req = req.param("ttl", ttl.to_string());
        }
        if let Some(Ok(meta)) = &self.meta {
            req = req.param("meta", meta.clone());
        }
        if !self.replicate {
            req = req.param("norep", "true");
        }
        if let Some(cmt) = &self.custom_message_type {
            req = req.param("custom_message_type", cmt.clone());
        }
        req
    }
}

/// The option setters of [`PublishBuilder`](super::PublishBuilder) and the
/// sink's [`Publisher`](super::sink::Publisher), written once: `$builder` is
/// a type with `pubnub: PubNub` and `options: PublishOptions` fields (with
/// its type parameter, if any, last), and `$start` the call that makes one
/// from `pubnub` in the doc examples.
///
/// A macro rather than a shared type: both builders take and return `self`
/// by value so that a call chain ends in `.await` or `.sink()`, which a
/// `Deref` to a common options type cannot give, and a trait would have to
/// be imported by every user to call the setters.
macro_rules! publish_option_setters {
    ($builder:ty, $start:literal $(, $generic:ident)?) => {
        impl $(<$generic>)? $builder {
            #[doc = "Metadata sent with each message (`u` in subscribe), used by filters;"]
            #[doc = "should serialize to a JSON object. Serialized now; if it does not"]
            #[doc = "serialize, each publish (each item of a sink) fails with the reason."]
            #[doc = "Default: none."]
            #[doc = ""]
            #[doc = concat!("```\n# let pubnub = pubnub_stream::PubNub::builder().subscribe_key(\"d\").publish_key(\"d\").user_id(\"u\").build()?;\nlet x = pubnub.", $start, ".meta(&serde_json::json!({ \"lang\": \"en\" }));\n# Ok::<(), pubnub_stream::ConfigError>(())\n```")]
            pub fn meta<M: serde::Serialize + ?Sized>(mut self, meta: &M) -> Self {
                let cap = self.pubnub.config().max_publish_bytes();
                self.options.set_meta(meta, cap);
                self
            }

            #[doc = "Store messages in history (`store=1`) or not (`store=0`)."]
            #[doc = "Default: the keyset's setting."]
            #[doc = ""]
            #[doc = concat!("```\n# let pubnub = pubnub_stream::PubNub::builder().subscribe_key(\"d\").publish_key(\"d\").user_id(\"u\").build()?;\nlet x = pubnub.", $start, ".should_store(false);\n# Ok::<(), pubnub_stream::ConfigError>(())\n```")]
            pub fn should_store(mut self, store: bool) -> Self {
                self.options.set_store(store);
                self
            }

            #[doc = "How long stored messages are kept, in hours. Default: the keyset's retention."]
            #[doc = ""]
            #[doc = concat!("```\n# let pubnub = pubnub_stream::PubNub::builder().subscribe_key(\"d\").publish_key(\"d\").user_id(\"u\").build()?;\nlet x = pubnub.", $start, ".should_store(true).ttl(24);\n# Ok::<(), pubnub_stream::ConfigError>(())\n```")]
            pub fn ttl(mut self, hours: u32) -> Self {
                self.options.set_ttl(hours);
                self
            }

            #[doc = "`false` keeps messages in the receiving region (`norep=true`). Default: `true`."]
            #[doc = ""]
            #[doc = concat!("```\n# let pubnub = pubnub_stream::PubNub::builder().subscribe_key(\"d\").publish_key(\"d\").user_id(\"u\").build()?;\nlet x = pubnub.", $start, ".replicate(false);\n# Ok::<(), pubnub_stream::ConfigError>(())\n```")]
            pub fn replicate(mut self, replicate: bool) -> Self {
                self.options.set_replicate(replicate);
                self
            }

            #[doc = "An application-defined type (3–50 characters of `A-Za-z0-9_-`), sent"]
            #[doc = "as `custom_message_type` and delivered as `cmt`. Default: none."]
            #[doc = ""]
            #[doc = concat!("```\n# let pubnub = pubnub_stream::PubNub::builder().subscribe_key(\"d\").publish_key(\"d\").user_id(\"u\").build()?;\nlet x = pubnub.", $start, ".custom_message_type(\"chat-v1\");\n# Ok::<(), pubnub_stream::ConfigError>(())\n```")]
            pub fn custom_message_type(mut self, message_type: impl Into<String>) -> Self {
                self.options.set_custom_message_type(message_type.into());
                self
            }

            #[doc = "Send messages as POST bodies instead of in the URL path. Default: `false`."]
            #[doc = ""]
            #[doc = concat!("```\n# let pubnub = pubnub_stream::PubNub::builder().subscribe_key(\"d\").publish_key(\"d\").user_id(\"u\").build()?;\nlet x = pubnub.", $start, ".use_post(true);\n# Ok::<(), pubnub_stream::ConfigError>(())\n```")]
            pub fn use_post(mut self, post: bool) -> Self {
                self.options.set_use_post(post);
                self
            }
        }
    };
}

pub(crate) use publish_option_setters;
