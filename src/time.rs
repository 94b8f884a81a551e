//! `pubnub.time()`: the server's current timetoken.

use crate::transport::{check_status, Request};
use crate::{PubNub, RequestError, Timetoken};

impl PubNub {
    /// The server's current timetoken (`GET /time/0` → `[<timetoken>]`).
    ///
    /// ```no_run
    /// # async fn run(pubnub: pubnub_stream::PubNub) -> Result<(), pubnub_stream::RequestError> {
    /// let now = pubnub.time().await?;
    /// println!("server time: {} s", now.unix_seconds());
    /// # Ok(()) }
    /// ```
    pub async fn time(&self) -> Result<Timetoken, RequestError> {
        let req = Request::get("/time/0".to_owned(), self.config().request_timeout());
        let resp = self.transport().send(req).await?;
        check_status(&resp)?;
        parse_time(&resp.body)
    }
}

fn parse_time(body: &[u8]) -> Result<Timetoken, RequestError> {
    serde_json::from_slice::<Vec<Timetoken>>(body)
        .ok()
        .and_then(|v| v.into_iter().next())
        .ok_or_else(|| RequestError::invalid_response("expected [<timetoken>]"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_time_array() {
        let tt = parse_time(b"[14818963707386265]").unwrap();
        assert_eq!(tt.as_u64(), 14818963707386265);
        assert!(parse_time(b"[]").is_err());
        assert!(parse_time(b"{}").is_err());
        assert!(parse_time(b"[\"x\"]").is_err());
    }
}
