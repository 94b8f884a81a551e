//! Golden state bodies (protocol.md §8.2), URL building, checks before I/O.

use super::*;
use crate::error::RequestErrorKind;
use crate::test_support::offline_client;
use proptest::prelude::*;
use serde_json::json;

fn query(req: &Request) -> Vec<(&str, &str)> {
    req.query.iter().map(|(k, v)| (&**k, v.as_str())).collect()
}

#[test]
fn set_state_url_carries_the_json_and_groups() {
    let (_, req, targets, state) = offline_client("s", "me")
        .set_state()
        .channels(["b", "a", "a-pnpres"])
        .channel_groups(["g"])
        .state(&json!({"mood": "ok"}))
        .request()
        .unwrap();
    assert_eq!(req.path, "/v2/presence/sub-key/s/channel/a,b/uuid/me/data");
    assert_eq!(
        query(&req),
        [("state", r#"{"mood":"ok"}"#), ("channel-group", "g")]
    );
    assert_eq!(targets.channels, ["a", "b"]);
    assert_eq!(state, json!({"mood": "ok"}));
}

#[test]
fn set_state_rejects_non_objects_and_missing_values_before_io() {
    for state in [json!(1), json!("x"), json!([1]), json!(null)] {
        let err = offline_client("s", "me")
            .set_state()
            .channels(["c"])
            .state(&state)
            .request()
            .unwrap_err();
        assert!(
            matches!(err.kind(), RequestErrorKind::InvalidArgument { .. }),
            "{state}"
        );
    }
    assert!(offline_client("s", "me")
        .set_state()
        .channels(["c"])
        .request()
        .is_err());
    assert!(offline_client("s", "me")
        .set_state()
        .state(&json!({"a": 1}))
        .request()
        .is_err());
    let mut bad = std::collections::HashMap::new();
    bad.insert(vec![1u8], 1);
    let err = offline_client("s", "me")
        .set_state()
        .channels(["c"])
        .state(&bad)
        .request()
        .unwrap_err();
    assert!(matches!(err.kind(), RequestErrorKind::Serialization));
}

#[test]
fn get_state_urls() {
    let (_, req, single) = offline_client("s", "me")
        .get_state()
        .channels(["c"])
        .request()
        .unwrap();
    assert_eq!(req.path, "/v2/presence/sub-key/s/channel/c/uuid/me");
    assert_eq!(single.as_deref(), Some("c"));
    let (_, req, single) = offline_client("s", "me")
        .get_state()
        .channel_groups(["g"])
        .user_id("bob")
        .request()
        .unwrap();
    assert_eq!(req.path, "/v2/presence/sub-key/s/channel/,/uuid/bob");
    assert_eq!(query(&req), [("channel-group", "g")]);
    assert_eq!(single, None);
    assert!(offline_client("s", "me").get_state().request().is_err());
}

#[test]
fn get_state_single_shape() {
    let body = json!({"status":200,"message":"OK","payload":{"mood":"ok"},"uuid":"u","channel":"ch","service":"Presence"});
    let states = parse_get_state(&body, Some("ch")).unwrap();
    assert_eq!(
        states,
        BTreeMap::from([("ch".into(), json!({"mood": "ok"}))])
    );
    let empty = json!({"status":200,"message":"OK","payload":{},"uuid":"u","channel":"ch","service":"Presence"});
    assert_eq!(
        parse_get_state(&empty, Some("ch")).unwrap()["ch"],
        json!({})
    );
}

#[test]
fn get_state_multi_shape() {
    let body = json!({"status":200,"message":"OK","payload":{"channels":{"ch1":{"a":1},"ch2":{"b":2}}},"uuid":"u","service":"Presence"});
    let states = parse_get_state(&body, None).unwrap();
    assert_eq!(states.len(), 2);
    assert_eq!(states["ch2"], json!({"b": 2}));
    // a one-channel state that happens to have a "channels" key stays intact
    let tricky = json!({"payload":{"channels":{"x":1}},"channel":"c"});
    assert_eq!(
        parse_get_state(&tricky, Some("c")).unwrap()["c"],
        json!({"channels":{"x":1}})
    );
}

#[test]
fn get_state_malformed() {
    assert!(parse_get_state(&json!({"status": 200}), Some("c")).is_err());
    assert!(parse_get_state(&json!({"payload": {}}), None).is_err());
    assert!(parse_get_state(&json!({"payload": {"channels": []}}), None).is_err());
}

proptest! {
    #[test]
    fn arbitrary_json_never_panics(v in crate::presence::test_json::arb_json()) {
        let _ = parse_get_state(&v, Some("c"));
        let _ = parse_get_state(&v, None);
        let _ = parse_get_state(&json!({"payload": v}), None);
    }
}
