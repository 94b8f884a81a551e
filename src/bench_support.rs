//! Crate internals exposed for the benchmarks in `benches/` only.
//!
//! Not part of the public API: no stability promise, hidden from the docs,
//! and compiled only with the non-default `bench-internals` feature (which
//! this package's own benches and tests turn on through their dev-dependency
//! on the package itself).

use std::collections::BTreeSet;

use crate::client::PubNub;
use crate::error::RequestError;
use crate::protocol::timetoken::Timetoken;
use crate::publish::prepared::PreparedPublish;
use crate::publish::PublishOptions;
use crate::subscribe::engine::{interest::WireSet, request};
use crate::subscribe::envelope::{parse_subscribe_response, Cursor};
use crate::subscribe::Event;

/// The events of a subscribe response `body`, parsed as the subscribe engine
/// parses every long-poll response (one event per envelope, in order); an
/// error when the body is not a subscribe response.
///
/// ```
/// let body = br#"{"t":{"t":"17","r":1},"m":[{"p":{"t":"15","r":1},"c":"chat","d":"hi"}]}"#;
/// let events = pubnub_stream::__bench::parse_subscribe_events(body)?;
/// assert!(matches!(&events[0], pubnub_stream::Event::Message(m) if m.payload == "hi"));
/// assert!(pubnub_stream::__bench::parse_subscribe_events(b"[0]").is_err());
/// # Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
/// ```
pub fn parse_subscribe_events(
    body: &[u8],
) -> Result<Vec<Event>, Box<dyn std::error::Error + Send + Sync>> {
    Ok(parse_subscribe_response(body)?.events)
}

/// The full URI a GET publish of `message_json` on `channel` is sent to:
/// validation, size check, path encoding and the query with its common
/// parameters (a fresh `requestid` each time), as the publish call does.
///
/// ```
/// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("s").publish_key("p").user_id("u").build()?;
/// let uri = pubnub_stream::__bench::publish_uri(&pubnub, "chat", r#"{"a":1}"#)?;
/// assert!(uri.contains("/publish/p/s/0/chat/0/%7B%22a%22%3A1%7D?uuid=u&"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn publish_uri(
    pubnub: &PubNub,
    channel: &str,
    message_json: &str,
) -> Result<String, RequestError> {
    let inner = pubnub.inner();
    let prepared = PreparedPublish::from_json(
        inner,
        channel.to_owned(),
        message_json.to_owned(),
        PublishOptions::default(),
    )?;
    let req = prepared.request(&inner.config);
    let query = inner.transport.query(&req);
    Ok(inner.transport.uri(&req, &query))
}

/// The full URI of a subscribe long-poll for `channels` and `groups` from
/// the cursor (`timetoken`, `region`), as the subscribe engine sends it.
///
/// ```
/// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("s").user_id("u").build()?;
/// let uri = pubnub_stream::__bench::subscribe_uri(&pubnub, &["b", "a"], &[], 17, 1);
/// assert!(uri.contains("/v2/subscribe/s/a,b/0?uuid=u&"));
/// assert!(uri.contains("&tt=17&tr=1"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn subscribe_uri(
    pubnub: &PubNub,
    channels: &[&str],
    groups: &[&str],
    timetoken: u64,
    region: u32,
) -> String {
    let inner = pubnub.inner();
    let to_set =
        |names: &[&str]| -> BTreeSet<String> { names.iter().map(|n| (*n).to_owned()).collect() };
    let wire = WireSet {
        channels: to_set(channels),
        groups: to_set(groups),
    };
    let cursor = Cursor {
        timetoken: Timetoken::new(timetoken),
        region,
    };
    let req = request::subscribe(&inner.config, &wire, Some(cursor), None);
    let query = inner.transport.query(&req);
    inner.transport.uri(&req, &query)
}

/// Runs every parser a request/response call applies to an answer with HTTP
/// `status`, an optional `Retry-After` header and `body` (the status and
/// error-body check, then the publish, time, here_now, get_state,
/// where_now and channel-group readers on the same bytes); for the fuzz
/// targets in `fuzz/`. Returns how many of the readers accepted the body.
///
/// ```
/// let ok = pubnub_stream::__bench::parse_rest_response(200, None, br#"[1,"Sent","17"]"#);
/// assert_eq!(ok, 1); // the publish reader only
/// assert_eq!(pubnub_stream::__bench::parse_rest_response(500, Some("1"), b"<html>"), 0);
/// ```
pub fn parse_rest_response(status: u16, retry_after: Option<&str>, body: &[u8]) -> usize {
    use crate::presence::{parse_get_state, parse_here_now};
    use crate::rest::payload_strings;
    use crate::transport::{check_status, Response};

    let mut headers = http::HeaderMap::new();
    if let Some(value) = retry_after.and_then(|v| http::HeaderValue::from_str(v).ok()) {
        headers.insert(http::header::RETRY_AFTER, value);
    }
    let resp = Response {
        status: http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::OK),
        headers,
        body: bytes::Bytes::copy_from_slice(body),
    };
    if let Err(error) = check_status(&resp) {
        // Display walks the source chain: it must not panic either.
        let _ = error.to_string();
        return 0;
    }
    let mut accepted = usize::from(crate::protocol::publish::parse_response(body).is_ok());
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(body) else {
        return accepted;
    };
    let readers = [
        crate::time::parse_time(json.clone()).is_ok(),
        parse_here_now(&json, None).is_ok(),
        parse_here_now(&json, Some("chat")).is_ok(),
        parse_get_state(&json, None).is_ok(),
        parse_get_state(&json, Some("chat")).is_ok(),
        payload_strings(&json, "channels").is_ok(),
        payload_strings(&json, "groups").is_ok(),
    ];
    accepted += readers.iter().filter(|ok| **ok).count();
    accepted
}
