//! Channel and group names listed in one `,`-joined query value.

use crate::error::{RequestError, RequestErrorKind};
use crate::protocol::channel;
use crate::transport::Request;

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

/// Adds `channel-group=g1,g2` (sorted, de-duplicated) when `groups` is not empty.
pub(crate) fn with_channel_groups(req: Request, groups: &[String]) -> Request {
    if groups.is_empty() {
        req
    } else {
        req.param("channel-group", joined(groups))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_names_are_typed_errors() {
        assert!(matches!(
            validate_group("a,b").unwrap_err().kind(),
            RequestErrorKind::InvalidArgument { .. }
        ));
        assert!(matches!(
            validate_group(&"x".repeat(93)).unwrap_err().kind(),
            RequestErrorKind::InvalidArgument { .. }
        ));
        assert!(matches!(
            validate_listed("a,b").unwrap_err().kind(),
            RequestErrorKind::InvalidChannel { .. }
        ));
        assert!(validate_listed("a").is_ok());
    }

    #[test]
    fn groups_parameter_is_sorted_and_joined() {
        let groups = ["z".to_owned(), "a".to_owned(), "z".to_owned()];
        let get = || Request::get("/".into(), std::time::Duration::from_secs(1));
        let req = with_channel_groups(get(), &groups);
        assert_eq!(req.query, vec![("channel-group".into(), "a,z".to_owned())]);
        assert!(with_channel_groups(get(), &[]).query.is_empty());
        assert_eq!(joined(&[]), "");
    }
}
