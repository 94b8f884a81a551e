//! Golden fixtures (shapes from protocol.md §7.3, §7.4, §8.1) and property
//! tests for the subscribe response parser.

use proptest::prelude::*;
use serde_json::{json, Value};

use super::{parse_envelope, parse_subscribe_response};
use crate::protocol::timetoken::Timetoken;
use crate::subscribe::{Event, PresenceAction, PresenceEvent};

fn one(envelope: Value) -> Event {
    let body = json!({"t": {"t": "17379929965457610", "r": 42}, "m": [envelope]}).to_string();
    let mut response = parse_subscribe_response(body.as_bytes()).unwrap();
    assert_eq!(response.events.len(), 1);
    response.events.remove(0)
}

#[test]
fn handshake_has_a_cursor_and_no_events() {
    let r = parse_subscribe_response(br#"{"t":{"t":"14818869603870494","r":12},"m":[]}"#).unwrap();
    assert_eq!(r.cursor.timetoken, Timetoken::new(14818869603870494));
    assert_eq!(r.cursor.region, 12);
    assert!(r.events.is_empty());
}

#[test]
fn protocol_example_envelope() {
    let event = one(
        json!({"a":"3","f":0,"i":"uuid-mock","s":1,"p":{"t":"17379929965457610","r":42},
        "k":"sub-c-1","c":"test-subscribe-unsubscribe-channel","d":"hey",
        "b":"test-subscribe-unsubscribe-group"}),
    );
    let Event::Message(m) = event else {
        panic!("not a message: {event:?}")
    };
    assert_eq!(m.channel, "test-subscribe-unsubscribe-channel");
    assert_eq!(m.subscription, "test-subscribe-unsubscribe-group");
    assert_eq!(m.timetoken.as_u64(), 17379929965457610);
    assert_eq!(m.region, 42);
    assert_eq!(m.publisher.as_deref(), Some("uuid-mock"));
    assert_eq!(m.sequence, Some(1));
    assert_eq!(m.payload, "hey");
    assert_eq!(m.user_metadata, None);
}

#[test]
fn optional_fields_meta_custom_type_and_absent_b() {
    let event = one(
        json!({"a":"1","f":0,"i":"u","p":{"t":"17","r":1},"k":"k","c":"chat",
        "d":{"text":"hi"},"u":{"prio":"high"},"cmt":"chat-msg"}),
    );
    let Event::Message(m) = event else { panic!() };
    assert_eq!(m.subscription, "chat");
    assert_eq!(m.user_metadata, Some(json!({"prio":"high"})));
    assert_eq!(m.custom_message_type.as_deref(), Some("chat-msg"));
    assert_eq!(m.sequence, None);
}

#[test]
fn e_selects_the_event_kind_as_int_or_string() {
    let base = |e: Value| json!({"a":"1","f":0,"p":{"t":"17","r":1},"k":"k","c":"c","d":{},"e":e});
    assert!(matches!(one(base(json!(0))), Event::Message(_)));
    assert!(matches!(one(base(json!(1))), Event::Signal(_)));
    assert!(matches!(one(base(json!("1"))), Event::Signal(_)));
    assert!(matches!(one(base(json!(2))), Event::Object(_)));
    assert!(matches!(one(base(json!(3))), Event::MessageAction(_)));
    assert!(matches!(one(base(json!("4"))), Event::File(_)));
    assert!(matches!(one(base(json!(7))), Event::Unknown(_)));
    assert!(matches!(one(base(json!({"x":1}))), Event::Unknown(_)));
    assert!(matches!(one(base(Value::Null)), Event::Message(_)));
}

#[test]
fn typed_payloads_of_objects_actions_and_files_stay_raw() {
    let action = json!({"source":"actions","version":"1.0","event":"added",
        "data":{"messageTimetoken":"1","actionTimetoken":"2","type":"reaction","value":"smiley"}});
    let Event::MessageAction(m) =
        one(json!({"p":{"t":"17","r":1},"c":"c","d":action.clone(),"e":3,"i":"actor"}))
    else {
        panic!()
    };
    assert_eq!(m.payload, action);
    assert_eq!(m.publisher.as_deref(), Some("actor"));
    let file = json!({"message":"look","file":{"id":"f1","name":"cat.png"}});
    let Event::File(m) = one(json!({"p":{"t":"17","r":1},"c":"c","d":file.clone(),"e":4})) else {
        panic!()
    };
    assert_eq!(m.payload["file"]["name"], "cat.png");
}

fn presence(d: Value, c: &str, b: Option<&str>) -> PresenceEvent {
    let mut env = json!({"a":"1","f":0,"p":{"t":"17","r":1},"k":"k","c":c,"d":d});
    if let Some(b) = b {
        env["b"] = json!(b);
    }
    match one(env) {
        Event::Presence(p) => p,
        other => panic!("not presence: {other:?}"),
    }
}

#[test]
fn presence_shapes_from_the_protocol() {
    let join = presence(
        json!({"action":"join","timestamp":1481896367,"uuid":"u1","occupancy":1}),
        "ch-pnpres",
        Some("ch-pnpres"),
    );
    assert_eq!(
        (join.channel.as_str(), join.subscription.as_str()),
        ("ch", "ch")
    );
    assert_eq!((join.timestamp, join.occupancy), (1481896367, 1));
    assert_eq!(join.uuid(), Some("u1"));
    assert!(matches!(
        join.action,
        PresenceAction::Join { state: None, .. }
    ));

    let join_state = presence(
        json!({"action":"join","timestamp":1,"uuid":"u1","occupancy":1,"data":{"mood":"ok"}}),
        "ch-pnpres",
        None,
    );
    assert!(matches!(join_state.action, PresenceAction::Join { .. }));
    assert_eq!(join_state.state(), Some(&json!({"mood":"ok"})));

    let leave = presence(
        json!({"action":"leave","timestamp":1481896368,"uuid":"u1","occupancy":0}),
        "ch-pnpres",
        None,
    );
    assert!(matches!(leave.action, PresenceAction::Leave { ref uuid } if uuid == "u1"));
    let timeout = presence(
        json!({"action":"timeout","timestamp":1472034136,"uuid":"u1","occupancy":1}),
        "ch-pnpres",
        None,
    );
    assert!(matches!(timeout.action, PresenceAction::Timeout { .. }));
    let state = presence(
        json!({"action":"state-change","timestamp":1463753674,"uuid":"u1","occupancy":3,"data":{"state":"cool"}}),
        "ch-pnpres",
        None,
    );
    assert_eq!(state.state(), Some(&json!({"state":"cool"})));
    assert_eq!(state.occupancy, 3);

    let interval = presence(
        json!({"action":"interval","timestamp":1720033913,"occupancy":42,"join":["u2"],"leave":["u3"],"timeout":["u4"]}),
        "ch-pnpres",
        None,
    );
    let PresenceAction::Interval {
        joined,
        left,
        timed_out,
        here_now_refresh,
    } = interval.action
    else {
        panic!()
    };
    assert_eq!(
        (joined, left, timed_out),
        (
            vec!["u2".to_owned()],
            vec!["u3".to_owned()],
            vec!["u4".to_owned()]
        )
    );
    assert!(!here_now_refresh);

    let refresh = presence(
        json!({"action":"interval","timestamp":"1720033913","occupancy":900,"here_now_refresh":true}),
        "ch-pnpres",
        None,
    );
    assert_eq!(
        refresh.timestamp, 1720033913,
        "string timestamps are accepted"
    );
    assert!(matches!(
        refresh.action,
        PresenceAction::Interval {
            here_now_refresh: true,
            ..
        }
    ));
}

#[test]
fn presence_via_group_strips_the_suffix_from_both_names() {
    let p = presence(
        json!({"action":"join","timestamp":1,"uuid":"u","occupancy":1}),
        "ch-pnpres",
        Some("cg-pnpres"),
    );
    assert_eq!((p.channel.as_str(), p.subscription.as_str()), ("ch", "cg"));
}

#[test]
fn unknown_presence_actions_and_bad_presence_payloads_are_kept() {
    let other = presence(
        json!({"action":"dance","timestamp":1,"occupancy":2}),
        "c-pnpres",
        None,
    );
    assert!(matches!(other.action, PresenceAction::Other { ref action, .. } if action == "dance"));
    assert!(matches!(
        one(json!({"p":{"t":"17","r":1},"c":"c-pnpres","d":"not an object"})),
        Event::Unknown(_)
    ));
    // a join without a uuid cannot be a join
    assert!(matches!(
        one(json!({"p":{"t":"17","r":1},"c":"c-pnpres","d":{"action":"join","occupancy":1}})),
        Event::Unknown(_)
    ));
}

#[test]
fn envelopes_missing_required_fields_are_unknown_not_dropped() {
    let Event::Unknown(u) = one(json!({"p":{"t":"17","r":1},"d":"no channel"})) else {
        panic!()
    };
    assert_eq!(u.timetoken, Some(Timetoken::new(17)));
    assert_eq!(u.raw["d"], "no channel");
    let Event::Unknown(u) = one(json!({"c":"chat","d":"no timetoken"})) else {
        panic!()
    };
    assert_eq!(u.channel.as_deref(), Some("chat"));
    assert!(matches!(parse_envelope(json!([1, 2])), Event::Unknown(_)));
}

#[test]
fn bodies_that_are_not_subscribe_responses_are_errors() {
    for body in [
        &b""[..],
        b"not json",
        b"[0,\"Forbidden\"]",
        br#"{"status":403,"error":true,"message":"Forbidden"}"#,
        br#"{"t":{"r":1},"m":[]}"#,
        br#"{"t":{"t":"-5","r":1},"m":[]}"#,
    ] {
        assert!(
            parse_subscribe_response(body).is_err(),
            "{:?}",
            String::from_utf8_lossy(body)
        );
    }
    let error = parse_subscribe_response(b"[0,\"nope\"]").unwrap_err();
    assert!(error
        .to_string()
        .starts_with("invalid subscribe response: "));
    // a missing `m` or region is tolerated
    let r = parse_subscribe_response(br#"{"t":{"t":17}}"#).unwrap();
    assert_eq!(
        (r.cursor.timetoken.as_u64(), r.cursor.region, r.events.len()),
        (17, 0, 0)
    );
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
        prop_oneof![
            Just("c"),
            Just("b"),
            Just("p"),
            Just("d"),
            Just("e"),
            Just("t"),
            Just("-pnpres")
        ]
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            prop::collection::btree_map(
                prop_oneof![
                    Just("a".to_owned()),
                    Just("b".to_owned()),
                    Just("c".to_owned()),
                    Just("d".to_owned()),
                    Just("e".to_owned()),
                    Just("p".to_owned()),
                    Just("t".to_owned()),
                    Just("r".to_owned()),
                    Just("action".to_owned()),
                    Just("uuid".to_owned()),
                    Just("join".to_owned()),
                    Just("data".to_owned()),
                    ".{0,6}"
                ],
                inner,
                0..8
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Envelopes that look almost right: every field present or not, of a plausible or wrong type.
fn arb_envelope() -> impl Strategy<Value = Value> {
    let channel = prop_oneof![Just(json!("ch")), Just(json!("ch-pnpres")), arb_json()];
    let p = prop_oneof![
        Just(json!({"t":"17","r":1})),
        Just(json!({"t":17})),
        arb_json()
    ];
    let e = prop_oneof![Just(json!(0)), Just(json!("1")), Just(json!(4)), arb_json()];
    let d = prop_oneof![
        Just(json!({"action":"join","timestamp":1,"uuid":"u","occupancy":1})),
        Just(json!({"action":"interval","join":["a", 1],"here_now_refresh":"true"})),
        arb_json()
    ];
    (
        prop::option::of(channel),
        prop::option::of(arb_json()),
        prop::option::of(p),
        prop::option::of(e),
        prop::option::of(d),
    )
        .prop_map(|(c, b, p, e, d)| {
            let mut map = serde_json::Map::new();
            for (k, v) in [("c", c), ("b", b), ("p", p), ("e", e), ("d", d)] {
                if let Some(v) = v {
                    map.insert(k.to_owned(), v);
                }
            }
            Value::Object(map)
        })
}

proptest! {
    #[test]
    fn never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let _ = parse_subscribe_response(&bytes);
    }

    #[test]
    fn never_panics_on_arbitrary_json(value in arb_json()) {
        let _ = parse_subscribe_response(value.to_string().as_bytes());
        let _ = parse_envelope(value);
    }

    #[test]
    fn every_envelope_becomes_exactly_one_event(m in prop::collection::vec(
        prop_oneof![arb_envelope(), arb_json()], 0..8)
    ) {
        let body = json!({"t": {"t": "17", "r": 1}, "m": m.clone()}).to_string();
        let response = parse_subscribe_response(body.as_bytes()).unwrap();
        prop_assert_eq!(response.events.len(), m.len());
    }
}
