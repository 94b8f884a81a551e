//! Behaviour tests for filter expressions: §13 examples, precedence, coercions, errors.

use serde_json::{json, Value};

use super::{FilterErrorKind, FilterExpr, MessageContext, MAX_DEPTH, MAX_LEN};

mod proptests;

/// Evaluates `src` against a message with the given uuid, meta and data.
fn eval(src: &str, uuid: Option<&str>, meta: Option<Value>, data: Value) -> bool {
    let expr = match FilterExpr::parse(src) {
        Ok(e) => e,
        Err(e) => panic!("{src:?} should parse: {e}"),
    };
    expr.matches(&MessageContext {
        uuid,
        meta: meta.as_ref(),
        data: &data,
    })
}

fn meta(src: &str, meta: Value) -> bool {
    eval(src, Some("u"), Some(meta), json!({}))
}

fn err_kind(src: &str) -> (usize, FilterErrorKind) {
    match FilterExpr::parse(src) {
        Ok(e) => panic!("{src:?} should not parse, got {e:?}"),
        Err(e) => (e.position(), e.kind().clone()),
    }
}

#[test]
fn skip_own_messages() {
    assert!(!eval("uuid != 'cvc1'", Some("cvc1"), None, json!("x")));
    assert!(eval("uuid != 'cvc1'", Some("other"), None, json!("x")));
    assert!(
        !eval("uuid != 'cvc1'", None, None, json!("x")),
        "missing uuid: comparison false"
    );
}

#[test]
fn priority_and_level() {
    let src = r#"meta.priority == "high" && meta.level > 5"#;
    assert!(meta(src, json!({"priority": "high", "level": 6})));
    assert!(!meta(src, json!({"priority": "high", "level": 5})));
    assert!(!meta(src, json!({"priority": "low", "level": 9})));
    assert!(!meta(src, json!({"priority": "high"})));
    assert!(
        meta(src, json!({"priority": "high", "level": "5.5"})),
        "numeric string vs number"
    );
    assert!(
        !eval(
            src,
            Some("u"),
            None,
            json!({"priority": "high", "level": 9})
        ),
        "no meta"
    );
}

#[test]
fn region_and_not_like() {
    let src = r#"(meta.region == "us" || meta.region == "eu") && !(meta.tag LIKE "*test*")"#;
    assert!(meta(src, json!({"region": "us", "tag": "prod"})));
    assert!(meta(src, json!({"region": "eu", "tag": "live"})));
    assert!(!meta(src, json!({"region": "eu", "tag": "A TeSt run"})));
    assert!(!meta(src, json!({"region": "asia", "tag": "prod"})));
    // A missing tag makes LIKE false, so its negation is true.
    assert!(meta(src, json!({"region": "us"})));
}

#[test]
fn modulo_sampling() {
    let src = "meta.userId % 10 == 0";
    assert!(meta(src, json!({"userId": 120})));
    assert!(!meta(src, json!({"userId": 121})));
    assert!(meta(src, json!({"userId": "30"})));
    assert!(
        !meta("meta.userId % 0 == 0", json!({"userId": 0})),
        "modulo by zero"
    );
    assert!(
        !meta("meta.userId / 0 == 0", json!({"userId": 0})),
        "division by zero"
    );
    assert!(
        !meta("meta.userId / 0 != 0", json!({"userId": 1})),
        "division by zero, !="
    );
}

#[test]
fn structure_access() {
    let m =
        json!({"user": {"role": "admin", "tags": ["a", "b"]}, "tags": ["x", "y"], "odd-key": 3});
    assert!(meta(r#"meta.user["role"] == "admin""#, m.clone()));
    assert!(meta("meta.user.role == 'admin'", m.clone()));
    assert!(meta("meta.tags[1] == 'y'", m.clone()));
    assert!(meta("meta.user.tags[0] == 'a'", m.clone()));
    assert!(
        !meta("meta.tags[2] == 'y'", m.clone()),
        "index out of range is missing"
    );
    assert!(!meta("meta.tags.x == 'y'", m.clone()));
    assert!(meta(r#"meta["odd-key"] == 3"#, m.clone()));
    assert!(
        meta("user.role == 'admin'", m.clone()),
        "bare field means meta"
    );
    assert!(eval(
        "data.items[0].n >= 2",
        None,
        None,
        json!({"items": [{"n": 2}]})
    ));
    assert!(eval("data == 'plain'", None, None, json!("plain")));
    assert!(
        !eval("data.text == 'x'", None, None, json!("ENCRYPTED==")),
        "field of a string"
    );
}

#[test]
fn contains_on_arrays_and_strings() {
    let m = json!({"tags": ["news", "sport", 5], "title": "Breaking News today"});
    assert!(meta("meta.tags CONTAINS 'sport'", m.clone()));
    assert!(
        !meta("meta.tags CONTAINS 'spo'", m.clone()),
        "array: whole elements only"
    );
    assert!(meta("meta.tags contains 5", m.clone()));
    assert!(
        meta("meta.tags CONTAINS '5'", m.clone()),
        "numeric coercion inside arrays"
    );
    assert!(meta("meta.title CONTAINS 'News'", m.clone()));
    assert!(
        !meta("meta.title CONTAINS 'news'", m.clone()),
        "substring is case-sensitive"
    );
    assert!(!meta("meta.missing CONTAINS 'x'", m.clone()));
    assert!(!meta("meta CONTAINS 'tags'", m), "objects contain nothing");
}

#[test]
fn like_forms() {
    let m = json!({"name": "Alice*Smith", "n": 42});
    assert!(meta("meta.name LIKE 'alice*'", m.clone()));
    assert!(meta("meta.name like '*SMITH'", m.clone()));
    assert!(meta(r"meta.name LIKE 'alice\*smith'", m.clone()));
    assert!(
        !meta(r"meta.name LIKE 'alice\*'", m.clone()),
        "escaped star is literal"
    );
    assert!(meta("meta.n LIKE '4*'", m.clone()), "numbers match as text");
    assert!(!meta("meta.missing LIKE '*'", m));
}

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
    let ok = format!("{}a{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
    assert!(FilterExpr::parse(&ok).is_ok());
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
