//! The history endpoints on the wire (docs/protocol.md §11): v3 fetch and v2
//! history bodies parsed into [`HistoryMessage`]s, message-count bodies.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::message::{HistoryMessage, MessageType};
use crate::error::RequestError;
use crate::message::Message;
use crate::protocol::timetoken::Timetoken;

/// One item of a v3 fetch.
#[derive(Deserialize)]
struct V3Item {
    message: Value,
    timetoken: Timetoken,
    #[serde(default)]
    meta: Option<Value>,
    #[serde(default)]
    uuid: Option<String>,
    #[serde(default)]
    message_type: Option<Value>,
    #[serde(default)]
    custom_message_type: Option<String>,
}

/// A v3 fetch body; `more` only says that the range holds more (see §11).
/// `status` is read in the same pass, so that a success body is parsed once
/// (not probed for an error status first).
#[derive(Deserialize)]
struct V3Body {
    #[serde(default)]
    status: Option<Value>,
    #[serde(default)]
    channels: BTreeMap<String, Vec<V3Item>>,
    #[serde(default)]
    more: Option<Value>,
}

/// One v2 item with `include_token` (and `include_meta`).
#[derive(Deserialize)]
struct V2Item {
    message: Value,
    timetoken: Timetoken,
    #[serde(default)]
    meta: Option<Value>,
}

/// A parsed v3 fetch: messages per channel (oldest first), and whether the
/// server said the range holds more than it returned.
#[derive(Debug, Default)]
pub(crate) struct V3Page {
    pub(crate) channels: BTreeMap<String, Vec<HistoryMessage>>,
    pub(crate) more: bool,
    /// The body's own `status` says it failed (400 or more).
    pub(crate) failed: bool,
}

/// Meta the server sends for "none": absent, `null` or `""`.
fn meta_of(meta: Option<Value>) -> Option<Value> {
    meta.filter(|m| !m.is_null() && m.as_str() != Some(""))
}

fn message_type_of(value: Option<&Value>) -> MessageType {
    match value {
        None | Some(Value::Null) => MessageType::Message,
        Some(Value::String(s)) => MessageType::from_wire(Some(s)),
        Some(other) => MessageType::from_wire(Some(&other.to_string())),
    }
}

/// A stored payload as the [`Message`] a subscriber would have received
/// (still encrypted, when it was: `fetch::decrypt` follows).
fn stored(channel: &str, timetoken: Timetoken, payload: Value) -> Message {
    let mut message = Message::new(channel, payload);
    message.timetoken = timetoken;
    message
}

/// Parses a v3 fetch body.
pub(crate) fn parse_v3(body: &[u8]) -> Result<V3Page, RequestError> {
    let body: V3Body = serde_json::from_slice(body)
        .map_err(|e| RequestError::invalid_response(format!("not a history fetch body: {e}")))?;
    let channels = body
        .channels
        .into_iter()
        .map(|(channel, items)| {
            let messages = items
                .into_iter()
                .map(|item| {
                    let mut message = stored(&channel, item.timetoken, item.message);
                    message.user_metadata = meta_of(item.meta);
                    message.publisher = item.uuid;
                    message.custom_message_type = item.custom_message_type;
                    HistoryMessage {
                        message,
                        message_type: message_type_of(item.message_type.as_ref()),
                    }
                })
                .collect();
            (channel, messages)
        })
        .collect();
    let status = match &body.status {
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) => s.parse().ok(),
        _ => None,
    };
    Ok(V3Page {
        channels,
        more: body.more.is_some_and(|m| !m.is_null()),
        failed: status.is_some_and(|s| s >= 400),
    })
}

/// Parses a v2 history body sent with `include_token=true`:
/// `[[{"message":…,"timetoken":N,"meta":…},…],first,last]`.
pub(crate) fn parse_v2(channel: &str, body: &[u8]) -> Result<Vec<HistoryMessage>, RequestError> {
    let (items, _first, _last): (Vec<V2Item>, Value, Value) = serde_json::from_slice(body)
        .map_err(|e| RequestError::invalid_response(format!("not a v2 history body: {e}")))?;
    Ok(items
        .into_iter()
        .map(|item| {
            let mut message = stored(channel, item.timetoken, item.message);
            message.user_metadata = meta_of(item.meta);
            HistoryMessage::new(message)
        })
        .collect())
}

/// Parses a message-counts body: `{"channels":{"ch":N,…}}`.
pub(crate) fn parse_counts(body: &[u8]) -> Result<BTreeMap<String, u64>, RequestError> {
    #[derive(Deserialize)]
    struct Counts {
        channels: BTreeMap<String, u64>,
    }
    serde_json::from_slice::<Counts>(body)
        .map(|c| c.channels)
        .map_err(|e| RequestError::invalid_response(format!("not a message-counts body: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v3_items_become_messages_with_what_was_asked() {
        let body = br#"{"status":200,"error":false,"error_message":"","channels":{"c":[
            {"message":{"t":1},"timetoken":"15","meta":{"m":1},"uuid":"alice","message_type":null,"custom_message_type":"txt"},
            {"message":2,"timetoken":"16","meta":"","message_type":4},
            {"message":3,"timetoken":17,"message_type":"7"}]},
            "more":{"url":"/x","start":"15","max":3}}"#;
        let page = parse_v3(body).unwrap();
        assert!(page.more);
        let c = &page.channels["c"];
        assert_eq!(c[0].message.timetoken.as_u64(), 15);
        assert_eq!(c[0].message.publisher.as_deref(), Some("alice"));
        assert_eq!(c[0].message.user_metadata, Some(serde_json::json!({"m":1})));
        assert_eq!(c[0].message.custom_message_type.as_deref(), Some("txt"));
        assert_eq!(c[0].message.subscription, "c");
        assert_eq!(c[1].message.user_metadata, None, "empty meta is none");
        assert_eq!(c[1].message_type, MessageType::File);
        assert_eq!(c[2].message_type, MessageType::Other("7".into()));
        assert!(!parse_v3(br#"{"channels":{}}"#).unwrap().more);
        assert!(!page.failed);
        assert!(
            parse_v3(br#"{"status":403,"error":true,"channels":{}}"#)
                .unwrap()
                .failed
        );
        assert!(
            parse_v3(br#"{"status":"500","channels":{}}"#)
                .unwrap()
                .failed
        );
    }

    #[test]
    fn v2_and_counts_bodies() {
        let v2 = parse_v2("c", br#"[[{"message":"a","timetoken":5,"meta":null}],5,5]"#).unwrap();
        assert_eq!(v2[0].message.payload, "a");
        assert_eq!(v2[0].message.timetoken.as_u64(), 5);
        assert!(parse_v2("c", br#"[["bare"],1,1]"#).is_err());
        let counts = parse_counts(br#"{"status":200,"channels":{"a":2,"b":0}}"#).unwrap();
        assert_eq!(counts["a"], 2);
        assert!(parse_counts(br#"{"channels":{"a":-1}}"#).is_err());
    }

    proptest::proptest! {
        #[test]
        fn parsers_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..256)) {
            let _ = parse_v3(&bytes);
            let _ = parse_v2("c", &bytes);
            let _ = parse_counts(&bytes);
        }
    }
}
