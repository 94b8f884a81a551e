//! A proptest strategy for arbitrary JSON values, for the parser tests.

use proptest::prelude::*;
use serde_json::{Map, Value};

/// Any JSON value, a few levels deep, with keys the parsers look for mixed in.
pub(crate) fn arb_json() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("uuid".to_owned()),
        Just("uuids".to_owned()),
        Just("state".to_owned()),
        Just("occupancy".to_owned()),
        Just("payload".to_owned()),
        Just("channels".to_owned()),
        Just("channel".to_owned()),
        Just("groups".to_owned()),
        "[a-z]{0,4}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::vec((key.clone(), inner), 0..6)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<_, _>>())),
        ]
    })
}
