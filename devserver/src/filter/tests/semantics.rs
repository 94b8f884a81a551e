//! Precedence, coercions, parse errors and limits.

use serde_json::json;

use super::{err_kind, meta};
use crate::filter::{FilterErrorKind, FilterExpr, MAX_DEPTH, MAX_LEN};

#[test]
fn precedence_is_c_like() {
    let m = json!({"a": 1, "b": 2, "c": 3});
    // * binds tighter than +
    assert!(meta("meta.a + meta.b * meta.c == 7", m.clone()));
    assert!(meta("(meta.a + meta.b) * meta.c == 9", m.clone()));
    // - and / are left-associative
    assert!(meta("10 - 3 - 2 == 5", m.clone()));
    assert!(meta("12 / 3 / 2 == 2", m.clone()));
    assert!(meta("7 % 4 * 2 == 6", m.clone()));
    // && binds tighter than ||
    assert!(meta("meta.a == 1 || meta.a == 2 && meta.b == 0", m.clone()));
    assert!(!meta(
        "(meta.a == 1 || meta.a == 2) && meta.b == 0",
        m.clone()
    ));
    // arithmetic binds tighter than comparison
    assert!(meta("meta.a + 1 == meta.b", m.clone()));
    // ! binds tighter than comparison: (!meta.a) == "false"
    assert!(meta("!meta.a == 'false'", m.clone()));
    assert!(meta("!(meta.a == 2)", m.clone()));
    assert!(meta("!!meta.a", m.clone()));
    // unary minus
    assert!(meta("-meta.b == -2", m.clone()));
    assert!(meta("meta.c > -5 && 2 - -1 == 3", m));
}

#[test]
fn coercions() {
    let m = json!({"level": "5", "flag": true, "off": false, "nil": null, "word": "abc"});
    assert!(meta("meta.level > 3", m.clone()));
    assert!(meta("meta.level == 5", m.clone()));
    assert!(meta("meta.level == '5'", m.clone()));
    assert!(
        !meta("meta.level == '5.0'", m.clone()),
        "two strings compare as strings"
    );
    assert!(meta("meta.flag == 'true'", m.clone()));
    assert!(meta("meta.flag == 1", m.clone()));
    assert!(meta("meta.off == 'FALSE'", m.clone()));
    assert!(meta("meta.flag", m.clone()));
    assert!(!meta("meta.off", m.clone()));
    assert!(
        !meta("meta.word > 1", m.clone()),
        "non-numeric strings do not order"
    );
    assert!(!meta("meta.word < 'b'", m.clone()), "strings never order");
    assert!(!meta("meta.nil == 'null'", m.clone()));
    assert!(meta("meta.nil != 0", m.clone()));
    assert!(
        !meta("meta.word + 1 == 1", m.clone()),
        "non-numeric arithmetic is missing"
    );
    assert!(!meta("1e308 * 10 > 0", m), "overflow is missing");
}

#[test]
fn parse_errors() {
    assert_eq!(err_kind(""), (0, FilterErrorKind::Empty));
    assert_eq!(err_kind("   "), (0, FilterErrorKind::Empty));
    assert_eq!(
        err_kind("a == 'x"),
        (5, FilterErrorKind::UnterminatedString)
    );
    assert_eq!(
        err_kind("a = 'x'"),
        (2, FilterErrorKind::UnexpectedChar('='))
    );
    assert_eq!(
        err_kind("a == 1 == 1"),
        (7, FilterErrorKind::ChainedComparison)
    );
    assert!(matches!(
        err_kind("a ==").1,
        FilterErrorKind::UnexpectedEnd { .. }
    ));
    assert!(matches!(
        err_kind("(a == 1").1,
        FilterErrorKind::UnexpectedEnd { expected: "`)`" }
    ));
    assert!(matches!(
        err_kind("a == 1)"),
        (6, FilterErrorKind::UnexpectedToken { .. })
    ));
    assert!(matches!(
        err_kind("meta.tags[-1]"),
        (10, FilterErrorKind::UnexpectedToken { .. })
    ));
    assert!(matches!(
        err_kind("meta.tags[1.5]"),
        (10, FilterErrorKind::UnexpectedToken { .. })
    ));
    assert!(matches!(
        err_kind("meta. == 1"),
        (6, FilterErrorKind::UnexpectedToken { .. })
    ));
    assert!(matches!(
        err_kind("LIKE == 1"),
        (0, FilterErrorKind::UnexpectedToken { .. })
    ));
    assert!(matches!(
        err_kind("a AND b"),
        (2, FilterErrorKind::UnexpectedToken { .. })
    ));
    assert!(matches!(
        err_kind("a == 1 & b"),
        (7, FilterErrorKind::UnexpectedChar('&'))
    ));
}

#[test]
fn limits_are_typed_errors() {
    let ok = format!("{}meta.a{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
    assert!(
        meta(&ok, json!({"a": 1})),
        "the deepest accepted expression evaluates"
    );
    let nots = format!("{}meta.a", "!".repeat(MAX_DEPTH));
    assert!(meta(&nots, json!({"a": 1})), "an even number of `!`");
    let deep = format!(
        "{}a{}",
        "(".repeat(MAX_DEPTH + 1),
        ")".repeat(MAX_DEPTH + 1)
    );
    assert_eq!(
        err_kind(&deep),
        (MAX_DEPTH, FilterErrorKind::TooDeep { max: MAX_DEPTH })
    );
    assert_eq!(
        err_kind(&"!".repeat(2000)).1,
        FilterErrorKind::TooDeep { max: MAX_DEPTH }
    );
    let long = "a".repeat(MAX_LEN + 1);
    assert_eq!(
        err_kind(&long).1,
        FilterErrorKind::TooLong {
            len: MAX_LEN + 1,
            max: MAX_LEN
        }
    );
    // A long flat chain is fine: it is stored flat, not as a deep tree.
    let chain = vec!["meta.a == 1"; 250].join(" || ");
    assert!(chain.len() <= MAX_LEN);
    assert!(meta(&chain, json!({"a": 1})));
    let sum = format!("{} == 400", vec!["1"; 400].join("+"));
    assert!(meta(&sum, json!({})));
}

#[test]
fn keywords_stay_field_names_after_a_dot() {
    assert!(meta(
        "meta.like == 1 && meta.contains == 2",
        json!({"like": 1, "contains": 2})
    ));
}

#[test]
fn public_types_are_send_sync_unpin() {
    fn assert_auto<T: Send + Sync + Unpin>() {}
    assert_auto::<FilterExpr>();
    assert_auto::<crate::filter::FilterError>();
    assert_auto::<crate::filter::MessageContext<'static>>();
}
