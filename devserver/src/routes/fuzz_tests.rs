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
        segs in proptest::collection::vec(segment(), 0..8),
        q in query(),
        post in any::<bool>(),
        body in ".{0,20}",
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_time().build();
        let rt = rt.map_err(|e| TestCaseError::fail(e.to_string()))?;
        let state = AppState::new(config());
        let req = RouteRequest {
            method: if post { Method::POST } else { Method::GET },
            path: format!("/{}", segs.join("/")),
            query: q,
            body: Bytes::from(body),
        };
        let reply = rt.block_on(route(&state, req));
        let code = reply.status.as_u16();
        prop_assert!((200..300).contains(&code) || (400..500).contains(&code) || code == 501, "{code}");
        if reply.status.is_success() {
            prop_assert!(serde_json::from_str::<serde_json::Value>(&reply.body).is_ok());
        }
    }
}
