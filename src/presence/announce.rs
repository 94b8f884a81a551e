//! Announcing this client's presence: the heartbeat and leave requests.
//! The explicit calls ([`HeartbeatBuilder`](crate::HeartbeatBuilder),
//! [`LeaveBuilder`](crate::LeaveBuilder)) and the subscribe engine (its
//! heartbeat loop, its leaves on unsubscribe) both send them, so they take
//! the client's [`Shared`] state, not the `PubNub` handle.

use super::targets::Targets;
use crate::error::RequestError;
use crate::protocol::encode::encode;
use crate::rest::send_json;
use crate::shared::Shared;
use crate::transport::Request;

/// What an announcement says: "still here" or "gone".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Announcement {
    /// `…/heartbeat?heartbeat=…[&state=…]`: present, with the presence
    /// timeout and the stored state.
    Heartbeat,
    /// `…/leave`: no longer present; the stored state is forgotten.
    Leave,
}

impl Announcement {
    /// The last path segment.
    fn verb(self) -> &'static str {
        match self {
            Announcement::Heartbeat => "heartbeat",
            Announcement::Leave => "leave",
        }
    }
}

/// Leaves `channels` and `groups` (`-pnpres` names are left out) and forgets
/// their stored state. Nothing is sent when nothing is left.
pub(crate) async fn leave(
    inner: &Shared,
    channels: &[String],
    groups: &[String],
) -> Result<(), RequestError> {
    announce_names(inner, Announcement::Leave, channels, groups).await
}

/// Sends `what` for `channels` and `groups` (`-pnpres` names are left out):
/// a heartbeat with the configured presence timeout and the stored state, or
/// a leave. Nothing is sent when nothing is left.
pub(super) async fn announce_names(
    inner: &Shared,
    what: Announcement,
    channels: &[String],
    groups: &[String],
) -> Result<(), RequestError> {
    let targets = Targets::new(channels, groups)?;
    if targets.is_empty() {
        return Ok(());
    }
    announce(inner, what, &targets).await
}

/// Sends `what` for `targets` (an error when there are none); a leave
/// forgets their stored state.
pub(super) async fn announce(
    inner: &Shared,
    what: Announcement,
    targets: &Targets,
) -> Result<(), RequestError> {
    let req = request(inner, what, targets)?;
    if what == Announcement::Leave {
        inner.presence_state.forget(&targets.channels);
        inner.presence_state.forget(&targets.groups);
    }
    send_json(inner, req).await?;
    Ok(())
}

/// `GET /v2/presence/sub-key/{sub}/channel/{chs|,}/{heartbeat|leave}`, with
/// `heartbeat=…` and `state=…` for a heartbeat, and `channel-group=…` when
/// there are groups.
fn request(inner: &Shared, what: Announcement, targets: &Targets) -> Result<Request, RequestError> {
    if targets.is_empty() {
        return Err(RequestError::invalid_argument(format!(
            "a {} needs at least one channel or channel group",
            what.verb()
        )));
    }
    let config = &inner.config;
    let path = format!(
        "/v2/presence/sub-key/{}/channel/{}/{}",
        encode(config.subscribe_key()),
        targets.channel_segment(),
        what.verb()
    );
    let req = Request::get(path, config.request_timeout());
    match what {
        Announcement::Leave => Ok(targets.with_groups(req)),
        Announcement::Heartbeat => {
            let req = req.param("heartbeat", config.presence_timeout().as_secs().to_string());
            let req = targets.with_groups(req);
            let names = targets.channels.iter().chain(targets.groups.iter());
            Ok(match inner.presence_state.json_for(names) {
                Some(state) => req.param("state", state),
                None => req,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::PubNub;
    use crate::test_support::offline_client;
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
        let req = request(inner, Announcement::Heartbeat, &targets).unwrap();
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
        let pubnub = offline_client("s", "me");
        let inner = pubnub.inner();
        let req = request(
            inner,
            Announcement::Heartbeat,
            &Targets::new(&[], &s(&["g"])).unwrap(),
        )
        .unwrap();
        assert_eq!(req.path, "/v2/presence/sub-key/s/channel/,/heartbeat");
        assert_eq!(req.query[0].1, "300");
        assert_eq!(req.query.len(), 2);
        assert!(request(inner, Announcement::Heartbeat, &Targets::default()).is_err());
    }

    #[test]
    fn leave_urls() {
        let pubnub = offline_client("s", "me");
        let inner = pubnub.inner();
        let t = Targets::new(&["b".into(), "a".into()], &["g".into()]).unwrap();
        let req = request(inner, Announcement::Leave, &t).unwrap();
        assert_eq!(req.path, "/v2/presence/sub-key/s/channel/a,b/leave");
        assert_eq!(req.query, vec![("channel-group".into(), "g".to_owned())]);
        let t = Targets::new(&[], &["g".into()]).unwrap();
        assert_eq!(
            request(inner, Announcement::Leave, &t).unwrap().path,
            "/v2/presence/sub-key/s/channel/,/leave"
        );
        assert!(request(inner, Announcement::Leave, &Targets::default()).is_err());
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
