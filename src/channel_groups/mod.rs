//! Channel groups (protocol.md §9): named sets of channels kept by the server,
//! subscribed to as one name. Add, remove, list and delete.

mod add;
mod delete;
mod edit;
mod list;
mod list_groups;
mod remove;

pub use delete::DeleteChannelGroupBuilder;
pub use edit::EditChannelGroupBuilder;
pub use list::ListChannelsBuilder;
pub use list_groups::ListChannelGroupsBuilder;

use futures::future::BoxFuture;
use serde_json::Value;

use crate::client::PubNub;
use crate::config::Config;
use crate::error::RequestError;
use crate::protocol::encode::encode;
use crate::rest::{joined, payload_strings, send_json, validate_group, validate_listed};
use crate::transport::Request;

/// The plumbing every channel-group call shares: send `request` (or fail
/// with the error that building it gave), check the answer, and read the
/// result from its JSON body with `read`.
fn call<T: Send + 'static>(
    pubnub: PubNub,
    request: Result<Request, RequestError>,
    read: fn(&Value) -> Result<T, RequestError>,
) -> BoxFuture<'static, Result<T, RequestError>> {
    Box::pin(async move {
        let body = send_json(pubnub.inner(), request?).await?;
        read(&body)
    })
}

/// `read` for calls that answer with an acknowledgment only.
fn acknowledged(_body: &Value) -> Result<(), RequestError> {
    Ok(())
}

/// `read` for `payload.channels`.
fn channels(body: &Value) -> Result<Vec<String>, RequestError> {
    payload_strings(body, "channels")
}

/// `read` for `payload.groups`.
fn groups(body: &Value) -> Result<Vec<String>, RequestError> {
    payload_strings(body, "groups")
}

/// `/v1/channel-registration/sub-key/{sub}/channel-group`.
fn registry_path(config: &Config) -> String {
    format!(
        "/v1/channel-registration/sub-key/{}/channel-group",
        encode(config.subscribe_key())
    )
}

/// `…/channel-group/{cg}` for a required, valid group name.
fn group_path(config: &Config, group: Option<&str>) -> Result<String, RequestError> {
    let group =
        group.ok_or_else(|| RequestError::invalid_argument("a channel group name is needed"))?;
    validate_group(group)?;
    Ok(format!("{}/{}", registry_path(config), encode(group)))
}

/// `GET …/channel-group/{cg}{suffix}` for a required, valid group name.
fn group_request(
    config: &Config,
    group: Option<&str>,
    suffix: &str,
) -> Result<Request, RequestError> {
    let path = group_path(config, group)? + suffix;
    Ok(Request::get(path, config.request_timeout()))
}

/// `…/channel-group/{cg}?{op}=ch1,ch2` (add or remove).
fn edit_request(
    config: &Config,
    group: Option<&str>,
    channels: &[String],
    op: &'static str,
) -> Result<Request, RequestError> {
    let path = group_path(config, group)?;
    if channels.is_empty() {
        return Err(RequestError::invalid_argument(format!(
            "{op} needs at least one channel"
        )));
    }
    for channel in channels {
        validate_listed(channel)?;
    }
    Ok(Request::get(path, config.request_timeout()).param(op, joined(channels)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::RequestErrorKind;
    use crate::test_support::offline_client;

    fn config() -> Config {
        offline_client("s k", "u").config().clone()
    }

    #[test]
    fn edit_urls() {
        let chans = vec!["b".to_owned(), "a".to_owned(), "b".to_owned()];
        let req = edit_request(&config(), Some("my g"), &chans, "add").unwrap();
        assert_eq!(
            req.path,
            "/v1/channel-registration/sub-key/s%20k/channel-group/my%20g"
        );
        assert_eq!(req.query, vec![("add".into(), "a,b".to_owned())]);
    }

    #[test]
    fn edit_checks_before_io() {
        let c = config();
        let one = vec!["a".to_owned()];
        let kind = |r: Result<Request, RequestError>| r.unwrap_err().into_kind();
        assert!(matches!(
            kind(edit_request(&c, None, &one, "add")),
            RequestErrorKind::InvalidArgument { .. }
        ));
        assert!(matches!(
            kind(edit_request(&c, Some(""), &one, "add")),
            RequestErrorKind::InvalidArgument { .. }
        ));
        assert!(matches!(
            kind(edit_request(&c, Some("g"), &[], "remove")),
            RequestErrorKind::InvalidArgument { .. }
        ));
        assert!(matches!(
            kind(edit_request(&c, Some("g"), &["a,b".to_owned()], "add")),
            RequestErrorKind::InvalidChannel { .. }
        ));
        assert!(matches!(
            kind(edit_request(&c, Some("g"), &["x".repeat(93)], "add")),
            RequestErrorKind::InvalidChannel { .. }
        ));
    }
}
