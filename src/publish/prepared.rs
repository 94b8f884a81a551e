//! A publish that is serialized, validated and ready to send (and re-send).

use bytes::Bytes;
use serde::Serialize;

use super::options::PublishOptions;
use super::PublishResult;
use crate::client::Inner;
use crate::config::Config;
use crate::protocol::encode::{encode_into, encoded_len};
use crate::protocol::{channel, publish as wire};
use crate::transport::{check_status, Request};
use crate::{RequestError, RequestErrorKind};

/// A publish checked and serialized once; send it (again) with [`send_prepared`].
#[derive(Debug, Clone)]
pub(crate) struct PreparedPublish {
    /// Everything else.
    pub options: PublishOptions,
    /// The request path, message included for GET, encoded once here: the
    /// sink prepares in the caller's task, so a retry or the worker's send
    /// does not encode again.
    path: String,
    /// The POST body.
    body: Option<Bytes>,
}

impl PreparedPublish {
    /// Serializes `message` and checks everything that can be checked before I/O.
    pub(crate) fn new<T: Serialize + ?Sized>(
        config: &Config,
        channel: impl Into<String>,
        message: &T,
        options: PublishOptions,
    ) -> Result<Self, RequestError> {
        let body_json = serde_json::to_string(message).map_err(RequestError::serialization)?;
        Self::from_json(config, channel.into(), body_json, options)
    }

    /// Checks an already serialized message: publish key, channel, the
    /// options ([`PublishOptions::check`]), and the size rule (`MessageTooLarge`).
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
        options.check()?;
        wire::check_publish_size(
            &channel,
            &body_json,
            options.uses_post(),
            config.max_publish_bytes,
        )?;
        let publish_key = config.publish_key.as_deref().unwrap_or_default();
        let mut path = message_path("publish", config, publish_key, &channel);
        let body = if options.uses_post() {
            Some(Bytes::from(body_json))
        } else {
            path.push('/');
            encode_into(&mut path, &body_json);
            None
        };
        Ok(PreparedPublish {
            options,
            path,
            body,
        })
    }

    pub(crate) fn request(&self, config: &Config, seqn: u16) -> Request {
        let mut req = Request::get(self.path.clone(), config.request_timeout);
        if let Some(body) = &self.body {
            req.method = http::Method::POST;
            req.body = Some(body.clone());
        }
        self.options.add_params(req).param("seqn", seqn.to_string())
    }
}

/// `/{route}/{pub}/{sub}/0/{channel}/0`: the path of a publish or signal,
/// before the message segment.
pub(super) fn message_path(
    route: &str,
    config: &Config,
    publish_key: &str,
    channel: &str,
) -> String {
    // Written in place: this runs for every publish and signal sent.
    let mut path = String::with_capacity(
        16 + route.len()
            + encoded_len(publish_key)
            + encoded_len(&config.subscribe_key)
            + encoded_len(channel),
    );
    path.push('/');
    path.push_str(route);
    path.push('/');
    encode_into(&mut path, publish_key);
    path.push('/');
    encode_into(&mut path, &config.subscribe_key);
    path.push_str("/0/");
    encode_into(&mut path, channel);
    path.push_str("/0");
    path
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
