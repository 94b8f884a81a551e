//! Pieces shared by the presence and channel-group calls: name lists, the
//! `channel-group` parameter, and "send, check, parse JSON".

use serde_json::Value;

use crate::client::Inner;
use crate::protocol::{channel, url};
use crate::transport::{check_status, Request};
use crate::{RequestError, RequestErrorKind};

/// The presence suffix; presence calls leave such names out.
const PNPRES: &str = "-pnpres";

/// Checks one channel or group name that travels inside a `,`-joined query
/// value: the usual channel checks, plus no `,` (it would split the name).
pub(crate) fn validate_listed(name: &str) -> Result<(), RequestError> {
    channel::validate(name)?;
    if name.contains(',') {
        return Err(RequestErrorKind::InvalidChannel {
            reason: "it contains a comma",
        }
        .into());
    }
    Ok(())
}

/// Checks a channel group name (the channel rules, reported as an invalid argument).
pub(crate) fn validate_group(group: &str) -> Result<(), RequestError> {
    validate_listed(group).map_err(|err| match err.into_kind() {
        RequestErrorKind::InvalidChannel { reason } => {
            RequestError::invalid_argument(format!("invalid channel group name: {reason}"))
        }
        other => other.into(),
    })
}

/// `names` sorted, de-duplicated and joined with `,` (a raw query value).
pub(crate) fn joined(names: &[String]) -> String {
    let mut names: Vec<&str> = names.iter().map(String::as_str).collect();
    names.sort_unstable();
    names.dedup();
    names.join(",")
}

/// The channels and groups a presence call is about, without `-pnpres` names,
/// each checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Targets {
    pub(crate) channels: Vec<String>,
    pub(crate) groups: Vec<String>,
}

impl Targets {
    /// Drops `-pnpres` names, validates the rest, sorts and de-duplicates.
    pub(crate) fn new(channels: &[String], groups: &[String]) -> Result<Self, RequestError> {
        let clean = |names: &[String]| {
            let mut kept: Vec<String> = names
                .iter()
                .filter(|n| !n.ends_with(PNPRES))
                .cloned()
                .collect();
            kept.sort_unstable();
            kept.dedup();
            kept
        };
        let targets = Targets {
            channels: clean(channels),
            groups: clean(groups),
        };
        for c in &targets.channels {
            channel::validate(c)?;
        }
        for g in &targets.groups {
            validate_group(g)?;
        }
        Ok(targets)
    }

    /// Neither channels nor groups.
    pub(crate) fn is_empty(&self) -> bool {
        self.channels.is_empty() && self.groups.is_empty()
    }

    /// The channel path segment (`,` when there are only groups).
    pub(crate) fn channel_segment(&self) -> String {
        url::channel_list(&self.channels)
    }

    /// The channel when exactly one is named and no group: the server then
    /// answers here_now and get_state with its one-channel body shape.
    pub(crate) fn single_channel(&self) -> Option<String> {
        match (self.channels.as_slice(), self.groups.is_empty()) {
            ([only], true) => Some(only.clone()),
            _ => None,
        }
    }

    /// Adds `channel-group=` when there are groups.
    pub(crate) fn with_groups(&self, req: Request) -> Request {
        if self.groups.is_empty() {
            req
        } else {
            req.param("channel-group", joined(&self.groups))
        }
    }
}

/// Sends `req`, maps error statuses and returns the body as JSON.
pub(crate) async fn send_json(inner: &Inner, req: Request) -> Result<Value, RequestError> {
    let resp = inner.transport.send(req).await?;
    check_status(&resp)?;
    serde_json::from_slice(&resp.body).map_err(|e| {
        RequestError::with_source(
            RequestErrorKind::InvalidResponse {
                reason: "the body is not JSON".to_owned(),
            },
            e,
        )
    })
}

/// `body.payload.<key>` as a list of strings.
pub(crate) fn payload_strings(body: &Value, key: &str) -> Result<Vec<String>, RequestError> {
    let list = body
        .get("payload")
        .and_then(|p| p.get(key))
        .and_then(Value::as_array)
        .ok_or_else(|| RequestError::invalid_response(format!("expected payload.{key}")))?;
    list.iter()
        .map(|v| {
            v.as_str().map(str::to_owned).ok_or_else(|| {
                RequestError::invalid_response(format!("payload.{key} holds a non-string"))
            })
        })
        .collect()
}

/// Generates `channels(..)` and `channel_groups(..)` on a builder that has
/// `channels: Vec<String>` and `groups: Vec<String>` fields.
macro_rules! target_methods {
    ($builder:ident, $start:literal) => {
        impl $builder {
            #[doc = "Channels to include (added to any given before). `-pnpres` names are ignored."]
            #[doc = ""]
            #[doc = "```"]
            #[doc = "# let pubnub = pubnub_stream::PubNub::builder().subscribe_key(\"d\").user_id(\"u\").build()?;"]
            #[doc = concat!("let call = pubnub.", $start, ".channels([\"chat\", \"news\"]);")]
            #[doc = "# Ok::<(), pubnub_stream::ConfigError>(())"]
            #[doc = "```"]
            pub fn channels<I, S>(mut self, channels: I) -> Self
            where
                I: IntoIterator<Item = S>,
                S: Into<String>,
            {
                self.channels.extend(channels.into_iter().map(Into::into));
                self
            }

            #[doc = "Channel groups to include (added to any given before). `-pnpres` names are ignored."]
            #[doc = ""]
            #[doc = "```"]
            #[doc = "# let pubnub = pubnub_stream::PubNub::builder().subscribe_key(\"d\").user_id(\"u\").build()?;"]
            #[doc = concat!("let call = pubnub.", $start, ".channel_groups([\"friends\"]);")]
            #[doc = "# Ok::<(), pubnub_stream::ConfigError>(())"]
            #[doc = "```"]
            pub fn channel_groups<I, S>(mut self, groups: I) -> Self
            where
                I: IntoIterator<Item = S>,
                S: Into<String>,
            {
                self.groups.extend(groups.into_iter().map(Into::into));
                self
            }
        }
    };
}
pub(crate) use target_methods;

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn targets_drop_pnpres_sort_and_dedupe() {
        let t = Targets::new(&s(&["b", "a-pnpres", "a", "b"]), &s(&["g-pnpres", "g"])).unwrap();
        assert_eq!(t.channels, s(&["a", "b"]));
        assert_eq!(t.groups, s(&["g"]));
        assert_eq!(t.channel_segment(), "a,b");
        let only_groups = Targets::new(&[], &s(&["g"])).unwrap();
        assert_eq!(only_groups.channel_segment(), ",");
        assert!(Targets::new(&s(&["x-pnpres"]), &[]).unwrap().is_empty());
    }

    #[test]
    fn bad_names_are_typed_errors() {
        let long = "x".repeat(93);
        assert!(matches!(
            Targets::new(&[String::new()], &[]).unwrap_err().kind(),
            RequestErrorKind::InvalidChannel { .. }
        ));
        assert!(matches!(
            Targets::new(&[], &[long]).unwrap_err().kind(),
            RequestErrorKind::InvalidArgument { .. }
        ));
        assert!(matches!(
            validate_group("a,b").unwrap_err().kind(),
            RequestErrorKind::InvalidArgument { .. }
        ));
        assert!(validate_listed("a,b").is_err());
    }

    #[test]
    fn groups_parameter_is_sorted_and_joined() {
        let t = Targets::new(&[], &s(&["z", "a", "z"])).unwrap();
        let req = t.with_groups(Request::get("/".into(), std::time::Duration::from_secs(1)));
        assert_eq!(req.query, vec![("channel-group".into(), "a,z".to_owned())]);
        assert_eq!(joined(&[]), "");
    }

    #[test]
    fn payload_strings_are_checked() {
        let body: Value = serde_json::json!({"payload": {"channels": ["a", "b"]}});
        assert_eq!(payload_strings(&body, "channels").unwrap(), s(&["a", "b"]));
        assert!(payload_strings(&body, "groups").is_err());
        let bad: Value = serde_json::json!({"payload": {"channels": [1]}});
        assert!(payload_strings(&bad, "channels").is_err());
    }

    proptest::proptest! {
        #[test]
        fn payload_strings_never_panics(v in crate::presence::test_json::arb_json()) {
            let _ = payload_strings(&v, "channels");
            let _ = payload_strings(&serde_json::json!({"payload": v}), "groups");
        }
    }
}
