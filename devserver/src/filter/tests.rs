//! Behaviour tests for filter expressions: §13 examples, precedence, coercions, errors.

use serde_json::{json, Value};

use super::{FilterErrorKind, FilterExpr, MessageContext};

mod examples;
mod lexer;
mod proptests;
mod semantics;

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
        meta("meta.code CONTAINS 42", json!({"code": "x42y"})),
        "number needle as text"
    );
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
    assert!(
        meta("meta.n LIKE '42'", m.clone()),
        "an integer is text without `.0`"
    );
    assert!(!meta("meta.missing LIKE '*'", m));
}
