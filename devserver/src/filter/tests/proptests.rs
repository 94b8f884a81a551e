//! Property tests: parsing and matching never panic.

use proptest::prelude::*;
use serde_json::Value;

use crate::filter::{FilterExpr, MessageContext};

fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "[a-c0-9*]{0,4}".prop_map(Value::from),
        prop_oneof![Just("5"), Just("-2.5"), Just("1e3"), Just("true")].prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map("[a-c]", inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Syntactically plausible expressions, so evaluation gets exercised.
fn expr_src() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("uuid".to_owned()),
        "(meta|data|a|b)(\\.[a-c]|\\[[0-3]\\]|\\[\"[a-c]\"\\]){0,3}",
        "-?[0-9]{1,3}(\\.[0-9])?",
        "'[a-c0-9*\\\\]{0,4}'",
        Just("1e308".to_owned()),
        Just("0".to_owned()),
    ];
    leaf.prop_recursive(6, 64, 2, |inner| {
        let op = prop_oneof![
            Just("=="),
            Just("!="),
            Just("<"),
            Just("<="),
            Just(">"),
            Just(">="),
            Just("LIKE"),
            Just("CONTAINS"),
            Just("&&"),
            Just("||"),
            Just("+"),
            Just("-"),
            Just("*"),
            Just("/"),
            Just("%"),
        ];
        prop_oneof![
            (inner.clone(), op, inner.clone()).prop_map(|(a, op, b)| format!("{a} {op} {b}")),
            inner.clone().prop_map(|a| format!("({a})")),
            inner.clone().prop_map(|a| format!("!{a}")),
            inner.prop_map(|a| format!("-{a}")),
        ]
    })
}

proptest! {
    #[test]
    fn parse_never_panics_on_arbitrary_strings(src in any::<String>()) {
        let _ = FilterExpr::parse(&src);
    }

    #[test]
    fn parse_never_panics_on_token_soup(src in "[ a-z0-9.()\\[\\]'\"\\\\!=<>&|+*/%-]{0,80}") {
        let _ = FilterExpr::parse(&src);
    }

    #[test]
    fn matches_never_panics(src in expr_src(), meta in json(), data in json(), uuid in proptest::option::of("[a-c]{0,3}")) {
        if let Ok(expr) = FilterExpr::parse(&src) {
            let ctx = MessageContext { uuid: uuid.as_deref(), meta: Some(&meta), data: &data };
            let first = expr.matches(&ctx);
            // Evaluation is pure: the same message gives the same answer.
            prop_assert_eq!(first, expr.matches(&ctx));
            let _ = expr.matches(&MessageContext { uuid: None, meta: None, data: &data });
        }
    }

    #[test]
    fn not_inverts_any_parsed_expression(src in expr_src(), meta in json(), data in json()) {
        if let (Ok(expr), Ok(neg)) = (FilterExpr::parse(&src), FilterExpr::parse(&format!("!({src})"))) {
            let ctx = MessageContext { uuid: Some("a"), meta: Some(&meta), data: &data };
            prop_assert_ne!(expr.matches(&ctx), neg.matches(&ctx));
        }
    }
}
