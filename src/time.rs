//! `pubnub.time()`: the server's current timetoken.

use serde_json::Value;

use crate::client::PubNub;
use crate::error::RequestError;
use crate::protocol::timetoken::Timetoken;
use crate::rest::send_json;
use crate::transport::Request;

impl PubNub {
    /// The server's current timetoken (`GET /time/0` → `[<timetoken>]`).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let server = pubnub_devserver::DevServer::builder().start().await?;
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").publish_key("demo")
    /// #     .user_id("alice").origin(server.origin()).secure(false).build()?;
    /// let now = pubnub.time().await?;
    /// println!("server time: {} s", now.unix_seconds());
    /// # Ok(()) }
    /// ```
    pub async fn time(&self) -> Result<Timetoken, RequestError> {
        let req = Request::get("/time/0".to_owned(), self.config().request_timeout());
        parse_time(send_json(self.inner(), req).await?)
    }
}

/// `[<timetoken>]` → the timetoken.
pub(crate) fn parse_time(body: Value) -> Result<Timetoken, RequestError> {
    serde_json::from_value::<Vec<Timetoken>>(body)
        .ok()
        .and_then(|v| v.into_iter().next())
        .ok_or_else(|| RequestError::invalid_response("expected [<timetoken>]"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_time_array() {
        let tt = parse_time(serde_json::json!([14818963707386265u64])).unwrap();
        assert_eq!(tt.as_u64(), 14818963707386265);
        assert!(parse_time(serde_json::json!([])).is_err());
        assert!(parse_time(serde_json::json!({})).is_err());
        assert!(parse_time(serde_json::json!(["x"])).is_err());
    }
}
