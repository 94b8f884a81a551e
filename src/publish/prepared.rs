//! A publish that is serialized, validated and ready to send (and re-send).

use bytes::Bytes;
use serde::Serialize;

use super::json::to_json;
use super::options::PublishOptions;
use super::PublishResult;
use crate::config::Config;
use crate::error::{RequestError, RequestErrorKind};
use crate::protocol::encode::{encode_into, encoded_len};
use crate::protocol::{channel, publish as wire};
use crate::shared::Shared;
use crate::transport::{check_status, Request};

/// The widest `seqn` a request can carry: the URI check counts with it, so
/// that a message refused or accepted once is so on every attempt.
const WIDEST_SEQN: u16 = 65_535;

/// A publish checked and serialized once; send it (again) with [`send_prepared`].
///
/// It carries its `seqn`, given once when it is prepared: every attempt
/// (each retry of the publish sink) sends the same one, so that a subscriber
/// can tell a message published twice (a retry after a timeout whose first
/// attempt did get through) from two messages.
#[derive(Debug, Clone)]
pub(crate) struct PreparedPublish {
    /// Everything else.
    pub options: PublishOptions,
    /// The publish sequence number of every attempt.
    seqn: u16,
    /// The request path, message included for GET, encoded once here: the
    /// sink prepares in the caller's task, so a retry or the worker's send
    /// does not encode again.
    path: String,
    /// The POST body.
    body: Option<Bytes>,
}

impl PreparedPublish {
    /// Serializes `message` (see [`to_json`]) and checks everything that can
    /// be checked before I/O.
    pub(crate) fn new<T: Serialize + ?Sized>(
        inner: &Shared,
        channel: impl Into<String>,
        message: &T,
        options: PublishOptions,
    ) -> Result<Self, RequestError> {
        let body_json = to_json(message, inner.config.max_publish_bytes)?;
        Self::from_json(inner, channel.into(), body_json, options)
    }

    /// Checks an already serialized message: publish key, channel, the
    /// options ([`PublishOptions::check`]), the size rule and the length of
    /// the request URI (both `MessageTooLarge`), and gives it its `seqn`.
    /// With a crypto module the message is encrypted here, once (every
    /// attempt sends the same ciphertext), and the size rules count the
    /// encrypted form; a failure is `Encryption`, before any I/O.
    ///
    /// The server refuses a request whose URI (path and query) is over its
    /// limit with 414, after the I/O; for a GET publish, whose message is in
    /// the path, that limit is reached before the size rule's. Both limits are
    /// [`max_publish_bytes`](crate::PubNubBuilder::max_publish_bytes) (32 KiB,
    /// as on the PubNub network and the dev server), and both are checked here,
    /// the URI with its query as it will be sent (the widest `seqn` counted).
    pub(crate) fn from_json(
        inner: &Shared,
        channel: String,
        body_json: String,
        options: PublishOptions,
    ) -> Result<Self, RequestError> {
        let config = &inner.config;
        if config.publish_key.is_none() {
            return Err(RequestErrorKind::MissingPublishKey.into());
        }
        channel::validate(&channel)?;
        options.check()?;
        let body_json = match &config.crypto {
            Some(crypto) => crypto
                .encrypt_json(&body_json)
                .map_err(|e| RequestError::with_source(RequestErrorKind::Encryption, e))?,
            None => body_json,
        };
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
        let mut prepared = PreparedPublish {
            options,
            seqn: WIDEST_SEQN,
            path,
            body,
        };
        // The query's length, not the query: no copy of the path, no request
        // id, no signature.
        let params = prepared.with_params(Request::get(String::new(), config.request_timeout));
        let uri_len = prepared.path.len() + 1 + inner.transport.query_len(&params);
        if uri_len > config.max_publish_bytes {
            return Err(RequestErrorKind::MessageTooLarge {
                size: uri_len,
                limit: config.max_publish_bytes,
            }
            .into());
        }
        prepared.seqn = inner.next_publish_seqn();
        Ok(prepared)
    }

    /// The request of every attempt (the same `seqn` each time).
    pub(crate) fn request(&self, config: &Config) -> Request {
        let mut req = Request::get(self.path.clone(), config.request_timeout);
        if let Some(body) = &self.body {
            req.method = http::Method::POST;
            req.body = Some(body.clone());
        }
        self.with_params(req)
    }

    /// `req` with the options' parameters and the `seqn`.
    fn with_params(&self, req: Request) -> Request {
        self.options
            .add_params(req)
            .param("seqn", self.seqn.to_string())
    }

    /// The `seqn` every attempt carries.
    #[cfg(test)]
    pub(crate) fn seqn(&self) -> u16 {
        self.seqn
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

/// Sends a prepared publish once (no retries; call again to retry: the
/// `seqn` stays the same) and parses `[1,"Sent","<tt>"]`.
pub(crate) async fn send_prepared(
    inner: &Shared,
    prepared: &PreparedPublish,
) -> Result<PublishResult, RequestError> {
    send_message_request(inner, prepared.request(&inner.config)).await
}

/// Sends a publish or signal request and parses its response.
pub(super) async fn send_message_request(
    inner: &Shared,
    req: Request,
) -> Result<PublishResult, RequestError> {
    let resp = inner.transport.send(req).await?;
    check_status(&resp)?;
    wire::parse_response(&resp.body).map(PublishResult::new)
}
