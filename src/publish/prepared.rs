//! A publish that is serialized, validated and ready to send (and re-send).

use std::borrow::Cow;

use bytes::Bytes;
use serde::Serialize;

use super::PublishResult;
use crate::client::Inner;
use crate::config::Config;
use crate::protocol::encode::{encode_into, encoded_len};
use crate::protocol::{channel, publish as wire};
use crate::transport::{check_status, Request};
use crate::{RequestError, RequestErrorKind};

/// Publish options besides channel and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PublishOptions {
    /// `meta` as JSON text.
    pub meta_json: Option<String>,
    /// `store=1/0`; `None` = keyset default.
    pub store: Option<bool>,
    /// `ttl` in hours; `None` = keyset default.
    pub ttl: Option<u32>,
    /// `false` sends `norep=true`.
    pub replicate: bool,
    /// `custom_message_type` (validated by [`PreparedPublish::from_json`]).
    pub custom_message_type: Option<String>,
    /// POST the message as the body instead of putting it in the path.
    pub use_post: bool,
}

impl Default for PublishOptions {
    fn default() -> Self {
        PublishOptions {
            meta_json: None,
            store: None,
            ttl: None,
            replicate: true,
            custom_message_type: None,
            use_post: false,
        }
    }
}

impl PublishOptions {
    /// Serializes `meta` into the options.
    #[allow(dead_code)] // for the publish sink
    pub(crate) fn set_meta<M: Serialize + ?Sized>(&mut self, meta: &M) -> Result<(), RequestError> {
        self.meta_json = Some(serde_json::to_string(meta).map_err(RequestError::serialization)?);
        Ok(())
    }
}

/// A publish checked and serialized once; send it (again) with [`send_prepared`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PreparedPublish {
    /// The channel name (raw).
    pub channel: String,
    /// The message as JSON text.
    pub body_json: String,
    /// Everything else.
    pub options: PublishOptions,
}

impl PreparedPublish {
    /// Serializes `message` and checks everything that can be checked before I/O.
    #[allow(dead_code)] // for the publish sink
    pub(crate) fn new<T: Serialize + ?Sized>(
        config: &Config,
        channel: impl Into<String>,
        message: &T,
        options: PublishOptions,
    ) -> Result<Self, RequestError> {
        let body_json = serde_json::to_string(message).map_err(RequestError::serialization)?;
        Self::from_json(config, channel.into(), body_json, options)
    }

    /// Checks an already serialized message: publish key, channel, custom
    /// message type, and the size rule (`MessageTooLarge`).
    pub(crate) fn from_json(
        config: &Config,
        channel: String,
        body_json: String,
        options: PublishOptions,
    ) -> Result<Self, RequestError> {
        if config.publish_key.is_none() {
            return Err(RequestErrorKind::MissingPublishKey.into());
        }
        channel::validate(&channel)?;
        if let Some(cmt) = &options.custom_message_type {
            channel::validate_custom_message_type(cmt)?;
        }
        wire::check_publish_size(
            &channel,
            &body_json,
            options.use_post,
            config.max_publish_bytes,
        )?;
        Ok(PreparedPublish {
            channel,
            body_json,
            options,
        })
    }

    pub(crate) fn request(&self, config: &Config, seqn: u16) -> Request {
        let publish_key = config.publish_key.as_deref().unwrap_or_default();
        let mut path = String::with_capacity(
            32 + encoded_len(publish_key)
                + encoded_len(&config.subscribe_key)
                + encoded_len(&self.channel)
                + if self.options.use_post {
                    0
                } else {
                    encoded_len(&self.body_json)
                },
        );
        path.push_str("/publish/");
        encode_into(&mut path, publish_key);
        path.push('/');
        encode_into(&mut path, &config.subscribe_key);
        path.push_str("/0/");
        encode_into(&mut path, &self.channel);
        path.push_str("/0");
        let mut req = Request::get(String::new(), config.request_timeout);
        if self.options.use_post {
            req.method = http::Method::POST;
            req.body = Some(Bytes::from(self.body_json.clone()));
        } else {
            path.push('/');
            encode_into(&mut path, &self.body_json);
        }
        req.path = path;
        let o = &self.options;
        if let Some(store) = o.store {
            req = req.param("store", if store { "1" } else { "0" });
        }
        if let Some(ttl) = o.ttl {
            req = req.param("ttl", ttl.to_string());
        }
        if let Some(meta) = &o.meta_json {
            req = req.param("meta", meta.clone());
        }
        if !o.replicate {
            req = req.param("norep", "true");
        }
        if let Some(cmt) = &o.custom_message_type {
            req.query
                .push((Cow::Borrowed("custom_message_type"), cmt.clone()));
        }
        req.param("seqn", seqn.to_string())
    }
}

/// Sends a prepared publish once (no retries) and parses `[1,"Sent","<tt>"]`.
pub(crate) async fn send_prepared(
    inner: &Inner,
    prepared: &PreparedPublish,
) -> Result<PublishResult, RequestError> {
    let req = prepared.request(&inner.config, inner.next_publish_seqn());
    send_message_request(inner, req).await
}

/// Sends a publish or signal request and parses its response.
pub(super) async fn send_message_request(
    inner: &Inner,
    req: Request,
) -> Result<PublishResult, RequestError> {
    let resp = inner.transport.send(req).await?;
    check_status(&resp)?;
    wire::parse_response(&resp.body).map(PublishResult::new)
}
