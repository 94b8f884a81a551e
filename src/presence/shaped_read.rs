//! Sending a presence read whose answer comes in two shapes: here_now and
//! get_state answer a request about exactly one channel (and no group) with
//! a one-channel body, any other with a `payload.channels` map.

use futures::future::BoxFuture;
use serde_json::Value;

use crate::client::PubNub;
use crate::error::RequestError;
use crate::rest::send_json;
use crate::transport::Request;

/// A checked read: the client, the request, and the channel it asks about
/// when the answer has the one-channel shape
/// ([`Targets::single_channel`](super::targets::Targets::single_channel)).
pub(super) type ShapedRead = (PubNub, Request, Option<String>);

/// Sends `read` (or returns its error) and parses the body with `parse`,
/// which is told the one channel when the answer has that shape.
pub(super) fn send_shaped<T: Send + 'static>(
    read: Result<ShapedRead, RequestError>,
    parse: fn(&Value, Option<&str>) -> Result<T, RequestError>,
) -> BoxFuture<'static, Result<T, RequestError>> {
    Box::pin(async move {
        let (pubnub, req, single) = read?;
        let body = send_json(pubnub.inner(), req).await?;
        parse(&body, single.as_deref())
    })
}
