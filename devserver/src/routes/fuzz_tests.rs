//! Property test: random paths and queries never panic the router.

use std::time::Duration;

use bytes::Bytes;
use http::Method;
use proptest::prelude::*;

use super::{route, RouteRequest};
use crate::config::Config;
use crate::state::AppState;

fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("publish".to_owned()),
        Just("signal".to_owned()),
        Just("v2".to_owned()),
        Just("v3".to_owned()),
        Just("v1".to_owned()),
        Just("subscribe".to_owned()),
        Just("presence".to_owned()),
        Just("history".to_owned()),
        Just("channel-registration".to_owned()),
        Just("sub-key".to_owned()),
        Just("channel-group".to_owned()),
        Just("channel".to_owned()),
        Just("time".to_owned()),
        Just("demo".to_owned()),
        Just("0".to_owned()),
        Just(",".to_owned()),
        Just("a.*".to_owned()),
        Just("%7B%22a%22%3A1%7D".to_owned()),
        "[ -~]{0,12}",
        ".{0,6}",
    ]
}

fn query() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("tt"),
        Just("tr"),
        Just("channel-group"),
        Just("meta"),
        Just("store"),
        Just("ttl"),
        Just("seqn"),
        Just("ptto"),
        Just("add"),
        Just("remove"),
        Just("max"),
        Just("start"),
        Just("end"),
        Just("state"),
        Just("heartbeat"),
        Just("count"),
        Just("custom_message_type"),
        Just("include_meta"),
        Just("reverse"),
    ];
    let value = prop_oneof![
        Just("0".to_owned()),
        Just("1".to_owned()),
        Just("16000000000000000".to_owned()),
        Just("-1".to_owned()),
        Just("a,b".to_owned()),
        "[ -~]{0,10}",
    ];
    proptest::collection::vec((key, value), 0..5).prop_map(|pairs| {
        pairs
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    })
}

/// Well-formed route templates with random holes, so deep code paths are reached.
fn templated() -> impl Strategy<Value = String> {
    let hole = || prop_oneof!["[a-z.*,%0-9A-F-]{0,8}", ".{0,5}", Just("%7B%7D".to_owned())];
    (0..8usize, hole(), hole(), hole()).prop_map(|(t, a, b, c)| match t {
        0 => format!("publish/demo/demo/0/{a}/0/{b}"),
        1 => format!("signal/demo/{c}/0/{a}/0/{b}"),
        2 => format!("v2/subscribe/demo/{a},{b}/0"),
        3 => format!("v1/channel-registration/sub-key/demo/channel-group/{a}"),
        4 => format!("v1/channel-registration/sub-key/demo/channel-group/{a}/{b}"),
        5 => format!("v3/history/sub-key/demo/channel/{a},{b}"),
        6 => format!("v3/history/sub-key/demo/message-counts/{a}"),
        _ => format!("v2/history/sub-key/{c}/channel/{a}"),
    })
}

fn config() -> Config {
    Config {
        long_poll_hold: Duration::from_millis(1),
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn router_never_panics(
        path in prop_oneof![
            proptest::collection::vec(segment(), 0..8).prop_map(|s| s.join("/")),
            templated(),
        ],
        q in query(),
        method in prop_oneof![Just(Method::GET), Just(Method::POST), Just(Method::DELETE), Just(Method::OPTIONS)],
        body in ".{0,20}",
        content_encoding in proptest::option::of(prop_oneof![Just("gzip"), Just("deflate"), Just("br")]),
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_time().build();
        let rt = rt.map_err(|e| TestCaseError::fail(e.to_string()))?;
        let state = AppState::new(config());
        let req = RouteRequest {
            method,
            path: format!("/{path}"),
            query: q,
            body: Bytes::from(body),
            content_encoding: content_encoding.map(str::to_owned),
        };
        let reply = rt.block_on(route(&state, req));
        let code = reply.status.as_u16();
        prop_assert!((200..300).contains(&code) || (400..500).contains(&code) || code == 501, "{code}");
        if reply.status.is_success() && !reply.body.is_empty() {
            prop_assert!(serde_json::from_str::<serde_json::Value>(&reply.body).is_ok());
        }
    }
}
