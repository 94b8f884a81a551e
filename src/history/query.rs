//! The v3 fetch request and its page (docs/protocol.md §11): what
//! `fetch_messages()`, the history stream and the subscribe engine's gap
//! fill send. It takes only the client's shared state, so the engine, which
//! runs below the client, reads history through it.

use super::message::HistoryMessage;
use super::message::MessageType;
use super::wire::{parse_v3, V3Page};
use crate::error::RequestError;
use crate::protocol::channel;
use crate::protocol::timetoken::Timetoken;
use crate::protocol::url::channel_list;
use crate::shared::Shared;
use crate::transport::{check_status, Request};

/// The most messages one fetch returns for a single channel.
pub const MAX_PER_CHANNEL: u32 = 100;
/// The most messages one fetch returns per channel when it names several.
pub const MAX_PER_CHANNEL_MULTI: u32 = 25;
/// The most channels one fetch may name.
pub const MAX_CHANNELS: usize = 500;

/// What one v3 fetch asks for; shared by `FetchMessagesBuilder`, the
/// history stream and the engine's gap fill.
#[derive(Debug, Clone)]
pub(crate) struct FetchQuery {
    pub(crate) channels: Vec<String>,
    /// Exclusive upper bound (`tt < start`).
    pub(crate) start: Option<Timetoken>,
    /// Inclusive lower bound (`tt >= end`).
    pub(crate) end: Option<Timetoken>,
    pub(crate) max: Option<u32>,
    pub(crate) include_meta: bool,
    pub(crate) include_publisher: bool,
    pub(crate) include_message_type: bool,
    pub(crate) include_custom_message_type: bool,
}

impl FetchQuery {
    pub(crate) fn new(channels: Vec<String>) -> Self {
        FetchQuery {
            channels,
            start: None,
            end: None,
            max: None,
            include_meta: false,
            include_publisher: true,
            include_message_type: true,
            include_custom_message_type: false,
        }
    }

    /// The page size this query gets: `max`, or the server's default.
    pub(crate) fn page_size(&self) -> u32 {
        let limit = self.limit();
        self.max.map_or(limit, |m| m.min(limit))
    }

    fn limit(&self) -> u32 {
        if self.channels.len() > 1 {
            MAX_PER_CHANNEL_MULTI
        } else {
            MAX_PER_CHANNEL
        }
    }

    /// Checks the names and numbers before any I/O.
    pub(crate) fn validate(&self) -> Result<(), RequestError> {
        if self.channels.is_empty() {
            return Err(RequestError::invalid_argument(
                "fetch_messages needs at least one channel",
            ));
        }
        if self.channels.len() > MAX_CHANNELS {
            return Err(RequestError::invalid_argument(format!(
                "fetch_messages takes at most {MAX_CHANNELS} channels, got {}",
                self.channels.len()
            )));
        }
        for name in &self.channels {
            channel::validate(name)?;
        }
        match self.max {
            Some(0) => Err(RequestError::invalid_argument("count must be at least 1")),
            Some(max) if max > self.limit() => Err(RequestError::invalid_argument(format!(
                "count {max} is over the server's limit of {} per channel for {} channel(s)",
                self.limit(),
                self.channels.len()
            ))),
            _ => Ok(()),
        }
    }

    /// The request (validated by the caller).
    pub(crate) fn request(&self, inner: &Shared) -> Request {
        let path = format!(
            "/v3/history/sub-key/{}/channel/{}",
            crate::protocol::encode::encode(inner.config.subscribe_key()),
            channel_list(&self.channels)
        );
        let mut req = Request::get(path, inner.config.request_timeout())
            .param("max", self.page_size().to_string());
        if let Some(start) = self.start {
            req = req.param("start", start.to_string());
        }
        if let Some(end) = self.end {
            req = req.param("end", end.to_string());
        }
        let flags = [
            ("include_meta", self.include_meta),
            ("include_uuid", self.include_publisher),
            ("include_message_type", self.include_message_type),
            (
                "include_custom_message_type",
                self.include_custom_message_type,
            ),
        ];
        for (key, on) in flags {
            req = req.param(key, if on { "true" } else { "false" });
        }
        req
    }

    /// Sends the request and parses the page.
    pub(crate) async fn send(&self, inner: &Shared) -> Result<V3Page, RequestError> {
        self.validate()?;
        let resp = inner.transport.send(self.request(inner)).await?;
        if !resp.status.is_success() {
            check_status(&resp)?;
        }
        // A success body is parsed once; the error mapping runs only when
        // it says it failed, or does not parse.
        let mut page = match parse_v3(&resp.body) {
            Ok(page) if !page.failed => page,
            Ok(page) => check_status(&resp).map(|()| page)?,
            Err(error) => {
                check_status(&resp)?;
                return Err(error);
            }
        };
        for messages in page.channels.values_mut() {
            decrypt(messages, inner);
        }
        Ok(page)
    }
}

/// Decrypts stored messages with the client's crypto module, as live
/// messages are: a payload that does not decrypt is kept raw, with
/// `decrypt_error` set. Files are left as they are.
pub(crate) fn decrypt(messages: &mut [HistoryMessage], inner: &Shared) {
    let Some(crypto) = &inner.config.crypto else {
        return;
    };
    for stored in messages {
        if stored.message_type == MessageType::Message {
            stored.message.decrypt_with(crypto);
        }
    }
}
