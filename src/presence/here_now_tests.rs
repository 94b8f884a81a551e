//! Golden here_now bodies (protocol.md §8.2), URL building, and no panics.

use super::*;
use crate::error::RequestErrorKind;
use crate::test_support::offline_client;
use proptest::prelude::*;
use serde_json::json;

fn parse(body: &str, single: Option<&str>) -> Result<HereNowResult, RequestError> {
    parse_here_now(&serde_json::from_str(body).unwrap(), single)
}

fn occupant(uuid: &str, state: Option<Value>) -> Occupant {
    Occupant {
        uuid: uuid.into(),
        state,
    }
}

#[test]
fn single_channel_shape() {
    let r = parse(
        r#"{"status":200,"message":"OK","service":"Presence","uuids":["u1","u2"],"occupancy":2}"#,
        Some("chat"),
    )
    .unwrap();
    assert_eq!(r.total_channels, 1);
    assert_eq!(r.total_occupancy, 2);
    let chat = &r.channels["chat"];
    assert_eq!(chat.occupancy, 2);
    assert_eq!(
        chat.occupants,
        vec![occupant("u1", None), occupant("u2", None)]
    );
}

#[test]
fn single_channel_with_state_and_without_uuids() {
    let r = parse(
        r#"{"status":200,"message":"OK","service":"Presence","uuids":[{"uuid":"u1","state":{"mood":"ok"}},{"uuid":"u2"}],"occupancy":2}"#,
        Some("chat"),
    )
    .unwrap();
    assert_eq!(
        r.channels["chat"].occupants,
        vec![
            occupant("u1", Some(json!({"mood": "ok"}))),
            occupant("u2", None)
        ]
    );
    let r = parse(
        r#"{"status":200,"message":"OK","service":"Presence","occupancy":3}"#,
        Some("chat"),
    )
    .unwrap();
    assert_eq!(r.channels["chat"].occupancy, 3);
    assert!(r.channels["chat"].occupants.is_empty());
}

#[test]
fn multi_channel_and_group_shape() {
    let body = r#"{"status":200,"message":"OK","payload":{"channels":{
        "ch1":{"uuids":["u1"],"occupancy":1},
        "ch2":{"uuids":[{"uuid":"u2","state":{"n":1}}],"occupancy":1}},
        "total_channels":2,"total_occupancy":2},"service":"Presence"}"#;
    let r = parse(body, None).unwrap();
    assert_eq!((r.total_channels, r.total_occupancy), (2, 2));
    assert_eq!(r.channels["ch1"].occupants, vec![occupant("u1", None)]);
    assert_eq!(
        r.channels["ch2"].occupants,
        vec![occupant("u2", Some(json!({"n": 1})))]
    );
    // the payload shape wins even when one channel was asked for
    assert_eq!(parse(body, Some("ch1")).unwrap(), r);
}

#[test]
fn global_shape_with_no_active_channels() {
    let r = parse(
        r#"{"status":200,"message":"OK","payload":{"channels":{},"total_channels":0,"total_occupancy":0},"service":"Presence"}"#,
        None,
    )
    .unwrap();
    assert_eq!(r, HereNowResult::default());
}

#[test]
fn missing_totals_are_computed() {
    let r = parse(
        r#"{"payload":{"channels":{"a":{"occupancy":2},"b":{"occupancy":3}}}}"#,
        None,
    )
    .unwrap();
    assert_eq!((r.total_channels, r.total_occupancy), (2, 5));
}

#[test]
fn malformed_bodies_are_invalid_responses() {
    for (body, single) in [
        (r#"{"status":200}"#, None),
        (r#"{"uuids":["u"]}"#, Some("c")),
        (r#"{"occupancy":"1"}"#, Some("c")),
        (r#"{"occupancy":1,"uuids":"u"}"#, Some("c")),
        (r#"{"occupancy":1,"uuids":[1]}"#, Some("c")),
        (r#"{"occupancy":1,"uuids":[{"state":{}}]}"#, Some("c")),
        (r#"{"payload":{"channels":[]}}"#, None),
        (r#"{"payload":{"channels":{"a":{}}}}"#, None),
    ] {
        let err = parse(body, single).unwrap_err();
        assert!(
            matches!(err.kind(), RequestErrorKind::InvalidResponse { .. }),
            "{body}: {err:?}"
        );
    }
}

#[test]
fn urls_for_each_form() {
    let (_, req, single) = offline_client("sub c", "u").here_now().request().unwrap();
    assert_eq!(req.path, "/v2/presence/sub-key/sub%20c");
    assert!(req.query.is_empty());
    assert_eq!(single, None);

    let (_, req, single) = offline_client("sub c", "u")
        .here_now()
        .channels(["b c", "a", "a-pnpres"])
        .include_uuids(false)
        .include_state(true)
        .request()
        .unwrap();
    assert_eq!(req.path, "/v2/presence/sub-key/sub%20c/channel/a,b%20c");
    let q: Vec<(&str, &str)> = req.query.iter().map(|(k, v)| (&**k, v.as_str())).collect();
    assert_eq!(q, vec![("disable_uuids", "1"), ("state", "1")]);
    assert_eq!(single, None);

    let (_, req, _) = offline_client("sub c", "u")
        .here_now()
        .channels(["a"])
        .limit(10)
        .offset(20)
        .request()
        .unwrap();
    let q: Vec<(&str, &str)> = req.query.iter().map(|(k, v)| (&**k, v.as_str())).collect();
    assert_eq!(q, vec![("limit", "10"), ("offset", "20")]);

    let (_, req, single) = offline_client("sub c", "u")
        .here_now()
        .channels(["solo"])
        .request()
        .unwrap();
    assert_eq!(req.path, "/v2/presence/sub-key/sub%20c/channel/solo");
    assert_eq!(single.as_deref(), Some("solo"));

    let (_, req, single) = offline_client("sub c", "u")
        .here_now()
        .channel_groups(["g2", "g1"])
        .request()
        .unwrap();
    assert_eq!(req.path, "/v2/presence/sub-key/sub%20c/channel/,");
    assert_eq!(req.query[0].1, "g1,g2");
    assert_eq!(single, None);
}

#[test]
fn bad_names_fail_before_io() {
    assert!(offline_client("sub c", "u")
        .here_now()
        .channels([""])
        .request()
        .is_err());
    assert!(offline_client("sub c", "u")
        .here_now()
        .channel_groups(["a,b"])
        .request()
        .is_err());
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        if let Ok(v) = serde_json::from_slice::<Value>(&bytes) {
            let _ = parse_here_now(&v, Some("c"));
        }
    }

    #[test]
    fn arbitrary_json_never_panics(v in crate::presence::test_json::arb_json()) {
        let _ = parse_here_now(&v, Some("c"));
        let _ = parse_here_now(&v, None);
        let wrapped = json!({"payload": {"channels": {"c": v.clone()}}});
        let _ = parse_here_now(&wrapped, None);
        let single = json!({"occupancy": 1, "uuids": [v]});
        let _ = parse_here_now(&single, Some("c"));
    }
}
