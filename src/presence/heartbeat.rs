//! The heartbeat REST call: "I am still here" for channels and groups.

use std::future::IntoFuture;

use futures::future::BoxFuture;

use super::builder::PresenceBuilder;
use super::targets::Targets;
use crate::client::Inner;
use crate::protocol::encode::encode;
use crate::rest::send_json;
use crate::transport::Request;
use crate::{PubNub, RequestError};

/// One explicit heartbeat; `.await` it. Start with [`PubNub::heartbeat`].
///
/// Sends the configured presence timeout (`heartbeat=`) and the state this
/// client set on those channels/groups (`state=`). Usually the client sends
/// heartbeats itself when `heartbeat_interval` is configured.
///
/// Names are added with [`channels`](PresenceBuilder::channels) and
/// [`channel_groups`](PresenceBuilder::channel_groups) (one name or many).
///
/// Defaults: no channels and no groups; at least one is needed.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = pubnub_devserver::DevServer::builder().start().await?;
/// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("demo").user_id("alice")
/// #     .origin(server.origin()).secure(false).build()?;
/// pubnub.heartbeat().channels(["chat"]).channel_groups(["friends"]).await?;
/// # Ok(()) }
/// ```
pub type HeartbeatBuilder = PresenceBuilder<Heartbeat>;

/// The settings of a [`HeartbeatBuilder`] beside its channels and groups (none).
#[derive(Debug)]
pub struct Heartbeat;

impl PubNub {
    /// Starts an explicit heartbeat.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let call = pubnub.heartbeat().channels(["chat"]);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn heartbeat(&self) -> HeartbeatBuilder {
        PresenceBuilder::new(self, Heartbeat)
    }
}

impl IntoFuture for HeartbeatBuilder {
    type Output = Result<(), RequestError>;
    type IntoFuture = BoxFuture<'static, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        let targets = Targets::new(&self.channels, &self.groups);
        let pubnub = self.pubnub;
        Box::pin(async move { send_heartbeat(pubnub.inner(), &targets?).await })
    }
}

/// Sends one heartbeat for `channels` and `groups` (`-pnpres` names are left
/// out) with the configured presence timeout and the stored state. Nothing is
/// sent when nothing is left.
pub(crate) async fn heartbeat(
    inner: &Inner,
    channels: &[String],
    groups: &[String],
) -> Result<(), RequestError> {
    let targets = Targets::new(channels, groups)?;
    if targets.is_empty() {
        return Ok(());
    }
    send_heartbeat(inner, &targets).await
}

async fn send_heartbeat(inner: &Inner, targets: &Targets) -> Result<(), RequestError> {
    send_json(inner, heartbeat_request(inner, targets)?).await?;
    Ok(())
}

/// `GET /v2/presence/sub-key/{sub}/channel/{chs|,}/heartbeat?heartbeat=…[&channel-group=…][&state=…]`.
fn heartbeat_request(inner: &Inner, targets: &Targets) -> Result<Request, RequestError> {
    if targets.is_empty() {
        return Err(RequestError::invalid_argument(
            "a heartbeat needs at least one channel or channel group",
        ));
    }
    let config = &inner.config;
    let path = format!(
        "/v2/presence/sub-key/{}/channel/{}/heartbeat",
        encode(config.subscribe_key()),
        targets.channel_segment()
    );
    let req = Request::get(path, config.request_timeout())
        .param("heartbeat", config.presence_timeout().as_secs().to_string());
    let mut req = targets.with_groups(req);
    let names = targets.channels.iter().chain(targets.groups.iter());
    if let Some(state) = inner.presence_state.json_for(names) {
        req = req.param("state", state);
    }
    Ok(req)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::time::Duration;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn request_has_timeout_groups_and_stored_state() {
        let pubnub = PubNub::builder()
            .subscribe_key("s")
            .user_id("me")
            .presence_timeout(Duration::from_secs(60))
            .build()
            .unwrap();
        let inner = pubnub.inner();
        inner.presence_state.set(&s(&["a", "g"]), &json!({"k": 1}));
        inner.presence_state.set(&s(&["other"]), &json!({"k": 2}));
        let targets = Targets::new(&s(&["b", "a", "a-pnpres"]), &s(&["g"])).unwrap();
        let req = heartbeat_request(inner, &targets).unwrap();
        assert_eq!(req.path, "/v2/presence/sub-key/s/channel/a,b/heartbeat");
        let q: Vec<(&str, &str)> = req.query.iter().map(|(k, v)| (&**k, v.as_str())).collect();
        assert_eq!(
            q,
            [
                ("heartbeat", "60"),
                ("channel-group", "g"),
                ("state", r#"{"a":{"k":1},"g":{"k":1}}"#)
            ]
        );
    }

    #[test]
    fn groups_only_and_empty() {
        let pubnub = PubNub::builder()
            .subscribe_key("s")
            .user_id("me")
            .build()
            .unwrap();
        let inner = pubnub.inner();
        let req = heartbeat_request(inner, &Targets::new(&[], &s(&["g"])).unwrap()).unwrap();
        assert_eq!(req.path, "/v2/presence/sub-key/s/channel/,/heartbeat");
        assert_eq!(req.query[0].1, "300");
        assert_eq!(req.query.len(), 2);
        assert!(heartbeat_request(inner, &Targets::default()).is_err());
    }
}
