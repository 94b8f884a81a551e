//! The leave REST call: stop being present on channels and groups.

use std::future::IntoFuture;

use futures::future::BoxFuture;

use super::builder::PresenceBuilder;
use super::targets::Targets;
use crate::client::Inner;
use crate::protocol::encode::encode;
use crate::rest::send_json;
use crate::transport::Request;
use crate::{PubNub, RequestError};

/// An explicit leave; `.await` it. Start with [`PubNub::leave`].
///
/// Unsubscribing already leaves (unless `suppress_leave_events` is set); this
/// call is for clients that announce presence with heartbeats only. The state
/// this client set on those channels/groups is forgotten.
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
/// pubnub.leave().channels(["chat"]).await?;
/// # Ok(()) }
/// ```
pub type LeaveBuilder = PresenceBuilder<Leave>;

/// The settings of a [`LeaveBuilder`] beside its channels and groups (none).
#[derive(Debug)]
pub struct Leave;

impl PubNub {
    /// Starts an explicit leave.
    ///
    /// ```
    /// # let pubnub = pubnub_stream::PubNub::builder().subscribe_key("d").user_id("u").build()?;
    /// let call = pubnub.leave().channels(["chat"]);
    /// # Ok::<(), pubnub_stream::ConfigError>(())
    /// ```
    pub fn leave(&self) -> LeaveBuilder {
        PresenceBuilder::new(self, Leave)
    }
}

impl IntoFuture for LeaveBuilder {
    type Output = Result<(), RequestError>;
    type IntoFuture = BoxFuture<'static, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        let targets = Targets::new(&self.channels, &self.groups);
        let pubnub = self.pubnub;
        Box::pin(async move { send_leave(pubnub.inner(), &targets?).await })
    }
}

/// Leaves `channels` and `groups` (`-pnpres` names are left out) and forgets
/// their stored state. Nothing is sent when nothing is left.
pub(crate) async fn leave(
    inner: &Inner,
    channels: &[String],
    groups: &[String],
) -> Result<(), RequestError> {
    let targets = Targets::new(channels, groups)?;
    if targets.is_empty() {
        return Ok(());
    }
    send_leave(inner, &targets).await
}

async fn send_leave(inner: &Inner, targets: &Targets) -> Result<(), RequestError> {
    let req = leave_request(inner, targets)?;
    inner.presence_state.forget(&targets.channels);
    inner.presence_state.forget(&targets.groups);
    send_json(inner, req).await?;
    Ok(())
}

/// `GET /v2/presence/sub-key/{sub}/channel/{chs|,}/leave[?channel-group=…]`.
fn leave_request(inner: &Inner, targets: &Targets) -> Result<Request, RequestError> {
    if targets.is_empty() {
        return Err(RequestError::invalid_argument(
            "a leave needs at least one channel or channel group",
        ));
    }
    let config = &inner.config;
    let path = format!(
        "/v2/presence/sub-key/{}/channel/{}/leave",
        encode(config.subscribe_key()),
        targets.channel_segment()
    );
    Ok(targets.with_groups(Request::get(path, config.request_timeout())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leave_urls() {
        let pubnub = PubNub::builder()
            .subscribe_key("s")
            .user_id("me")
            .build()
            .unwrap();
        let inner = pubnub.inner();
        let t = Targets::new(&["b".into(), "a".into()], &["g".into()]).unwrap();
        let req = leave_request(inner, &t).unwrap();
        assert_eq!(req.path, "/v2/presence/sub-key/s/channel/a,b/leave");
        assert_eq!(req.query, vec![("channel-group".into(), "g".to_owned())]);
        let t = Targets::new(&[], &["g".into()]).unwrap();
        assert_eq!(
            leave_request(inner, &t).unwrap().path,
            "/v2/presence/sub-key/s/channel/,/leave"
        );
        assert!(leave_request(inner, &Targets::default()).is_err());
    }

    #[tokio::test]
    async fn leaving_nothing_sends_nothing() {
        let pubnub = PubNub::builder()
            .subscribe_key("s")
            .user_id("me")
            .origin("127.0.0.1:1")
            .secure(false)
            .build()
            .unwrap();
        leave(pubnub.inner(), &["c-pnpres".into()], &[])
            .await
            .unwrap();
    }
}
