//! Publish and signal on the wire: the `[1,"Sent","<tt>"]` response and the size rules.

use serde_json::Value;

use super::encode::encoded_len;
use crate::error::{RequestError, RequestErrorKind};
use crate::protocol::timetoken::Timetoken;

/// Fixed envelope overhead counted by the publish size rule (protocol §5.3).
pub(crate) const PUBLISH_OVERHEAD: usize = 100;

/// The size a publish is measured at: `len(pctenc(channel)) + len(message) + 100`,
/// where the message is percent-encoded for GET and counted raw for POST.
pub(crate) fn publish_size(channel: &str, message_json: &str, post: bool) -> usize {
    let message = if post {
        message_json.len()
    } else {
        encoded_len(message_json)
    };
    encoded_len(channel)
        .saturating_add(message)
        .saturating_add(PUBLISH_OVERHEAD)
}

/// `MessageTooLarge` when a publish is over `limit` (checked before any I/O).
pub(crate) fn check_publish_size(
    channel: &str,
    message_json: &str,
    post: bool,
    limit: usize,
) -> Result<(), RequestError> {
    let size = publish_size(channel, message_json, post);
    if size > limit {
        return Err(RequestErrorKind::MessageTooLarge { size, limit }.into());
    }
    Ok(())
}

/// `MessageTooLarge` when a signal payload is over `limit` bytes.
pub(crate) fn check_signal_size(message_json: &str, limit: usize) -> Result<(), RequestError> {
    let size = message_json.len();
    if size > limit {
        return Err(RequestErrorKind::MessageTooLarge { size, limit }.into());
    }
    Ok(())
}

/// Parses `[1,"Sent","<tt>"]` (the timetoken may be a string or a number).
/// `[0,"<message>",…]` on HTTP 200 becomes a `BadRequest` with that message.
pub(crate) fn parse_response(body: &[u8]) -> Result<Timetoken, RequestError> {
    let invalid = || {
        RequestError::invalid_response("expected [1,\"Sent\",\"<timetoken>\"]")
            .with_body(Some(String::from_utf8_lossy(body).into_owned()))
    };
    let Ok(Value::Array(items)) = serde_json::from_slice::<Value>(body) else {
        return Err(invalid());
    };
    match items.first().and_then(Value::as_i64) {
        Some(1) => {}
        Some(0) => {
            let message = items
                .get(1)
                .and_then(Value::as_str)
                .unwrap_or("publish failed")
                .to_owned();
            return Err(
                RequestError::from_kind(RequestErrorKind::BadRequest { message })
                    .with_body(Some(String::from_utf8_lossy(body).into_owned())),
            );
        }
        _ => return Err(invalid()),
    }
    items
        .get(2)
        .and_then(|tt| serde_json::from_value::<Timetoken>(tt.clone()).ok())
        .ok_or_else(invalid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_sent() {
        let tt = parse_response(br#"[1,"Sent","17334108327846111"]"#).unwrap();
        assert_eq!(tt.as_u64(), 17334108327846111);
        let tt = parse_response(br#"[1,"Sent",17334108327846111]"#).unwrap();
        assert_eq!(tt.as_u64(), 17334108327846111);
    }

    #[test]
    fn zero_status_is_a_bad_request_with_the_server_message() {
        let err = parse_response(br#"[0,"Invalid JSON","14820999375199241"]"#).unwrap_err();
        assert_eq!(err.server_message(), Some("Invalid JSON"));
    }

    #[test]
    fn other_shapes_are_invalid_responses() {
        for body in [
            &b"{}"[..],
            b"[1,\"Sent\"]",
            b"[1,\"Sent\",\"abc\"]",
            b"",
            b"[2]",
        ] {
            let err = parse_response(body).unwrap_err();
            assert!(matches!(
                err.kind(),
                RequestErrorKind::InvalidResponse { .. }
            ));
        }
    }

    #[test]
    fn size_rule_counts_escaped_channel_and_message_plus_100() {
        // "a b" → "a%20b" (5), "\"hi\"" → "%22hi%22" (8)
        assert_eq!(publish_size("a b", "\"hi\"", false), 5 + 8 + 100);
        assert_eq!(publish_size("a b", "\"hi\"", true), 5 + 4 + 100);
        assert!(check_publish_size("c", "1", false, 102).is_ok());
        let err = check_publish_size("c", "12", false, 102).unwrap_err();
        assert_eq!(
            err.kind(),
            &RequestErrorKind::MessageTooLarge {
                size: 103,
                limit: 102
            }
        );
    }

    #[test]
    fn signal_rule_counts_payload_bytes() {
        assert!(check_signal_size(&"x".repeat(64), 64).is_ok());
        assert!(check_signal_size(&"x".repeat(65), 64).is_err());
    }

    proptest! {
        #[test]
        fn never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
            let _ = parse_response(&bytes);
        }

        #[test]
        fn never_panics_on_array_like_text(s in r#"\[[0-9",a-zA-Z\-\[\]{}]{0,60}\]"#) {
            let _ = parse_response(s.as_bytes());
        }
    }
}
