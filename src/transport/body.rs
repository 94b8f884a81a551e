//! Reading a response body under the client's size limit.
//!
//! The transport buffers each body whole (every PubNub response is one JSON
//! document), so without a limit a hostile or broken server could make the
//! client allocate without bound: an endless chunked body reached several
//! GB within a 5 s timeout. The limit is
//! [`PubNubBuilder::max_response_bytes`](crate::PubNubBuilder::max_response_bytes)
//! (default [`DEFAULT_MAX_RESPONSE_BYTES`](crate::config::DEFAULT_MAX_RESPONSE_BYTES)).
//!
//! A `Content-Length` over the limit fails before any byte of the body is
//! read; a body without one (chunked) fails as soon as it passes the limit.
//! Either way the body is dropped unread, so its connection is closed and
//! never goes back to the pool.

use bytes::Bytes;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper::body::Incoming;

use crate::error::{RequestError, RequestErrorKind};

/// Reads the whole body of a response whose head is `parts`, at most `limit` bytes.
pub(super) async fn read_body(
    parts: &http::response::Parts,
    body: Incoming,
    limit: usize,
) -> Result<Bytes, RequestError> {
    let too_large = || RequestError::from_kind(RequestErrorKind::ResponseTooLarge { limit });
    let declared = parts
        .headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|len| len > u64::try_from(limit).unwrap_or(u64::MAX)) {
        return Err(too_large());
    }
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(err) if err.is::<LengthLimitError>() => Err(too_large()),
        Err(err) => Err(RequestError::network(err)),
    }
}
