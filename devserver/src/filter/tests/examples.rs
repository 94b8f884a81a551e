//! The examples that documented this module's items while it was public,
//! kept as tests now that it is private to the crate.

/// From `error.rs`.
#[test]
fn error_filter_error() {
    use crate::filter::{FilterErrorKind, FilterExpr};

    let err = FilterExpr::parse("meta.level >").unwrap_err();
    assert_eq!(err.position(), 12);
    assert!(matches!(err.kind(), FilterErrorKind::UnexpectedEnd { .. }));
    assert_eq!(
        err.to_string(),
        "invalid filter expression at byte 12: unexpected end of expression, expected a value"
    );
}

/// From `error.rs`.
#[test]
fn error_position() {
    let err = crate::filter::FilterExpr::parse("uuid == 'x' &&").unwrap_err();
    assert_eq!(err.position(), 14);
}

/// From `error.rs`.
#[test]
fn error_kind() {
    use crate::filter::{FilterErrorKind, FilterExpr};
    let err = FilterExpr::parse("").unwrap_err();
    assert_eq!(err.kind(), &FilterErrorKind::Empty);
}

/// From `error.rs`.
#[test]
fn error_filter_error_kind() {
    use crate::filter::{FilterErrorKind, FilterExpr, MAX_DEPTH};
    let deep = format!("{}uuid == 'a'{}", "(".repeat(100), ")".repeat(100));
    let err = FilterExpr::parse(&deep).unwrap_err();
    assert_eq!(err.kind(), &FilterErrorKind::TooDeep { max: MAX_DEPTH });
}

/// From `mod.rs`.
#[test]
fn filter() -> Result<(), Box<dyn std::error::Error>> {
    use crate::filter::{FilterExpr, MessageContext};
    use serde_json::json;

    let expr = FilterExpr::parse(r#"meta.priority == "high" && meta.level > 5"#)?;
    let meta = json!({"priority": "high", "level": "7"});
    let ctx = MessageContext {
        uuid: Some("alice"),
        meta: Some(&meta),
        data: &json!("hi"),
    };
    assert!(expr.matches(&ctx));
    Ok(())
}

/// From `mod.rs`.
#[test]
fn filter_expr() -> Result<(), Box<dyn std::error::Error>> {
    use crate::filter::{FilterExpr, MessageContext};
    use serde_json::json;

    let own = FilterExpr::parse("uuid != 'cvc1'")?;
    let data = json!({"text": "hello"});
    assert!(!own.matches(&MessageContext {
        uuid: Some("cvc1"),
        meta: None,
        data: &data
    }));
    assert!(own.matches(&MessageContext {
        uuid: Some("bob"),
        meta: None,
        data: &data
    }));
    Ok(())
}

/// From `mod.rs`.
#[test]
fn message_context() {
    use crate::filter::MessageContext;
    use serde_json::json;

    let meta = json!({"region": "eu"});
    let data = json!({"score": 81});
    let ctx = MessageContext {
        uuid: Some("alice"),
        meta: Some(&meta),
        data: &data,
    };
    assert_eq!(ctx.uuid, Some("alice"));
}

/// From `mod.rs`.
#[test]
fn parse() {
    use crate::filter::{FilterErrorKind, FilterExpr};

    assert!(FilterExpr::parse(
        "(meta.region == 'us' || meta.region == 'eu') && !(meta.tag LIKE '*test*')"
    )
    .is_ok());
    let err = FilterExpr::parse("meta.a == (1").unwrap_err();
    assert_eq!(err.position(), 12);
    assert!(matches!(err.kind(), FilterErrorKind::UnexpectedEnd { .. }));
}

/// From `mod.rs`.
#[test]
fn matches() -> Result<(), Box<dyn std::error::Error>> {
    use crate::filter::{FilterExpr, MessageContext};
    use serde_json::json;

    let sample = FilterExpr::parse("meta.userId % 10 == 0")?;
    let data = json!(null);
    let meta = json!({"userId": 120});
    assert!(sample.matches(&MessageContext {
        uuid: None,
        meta: Some(&meta),
        data: &data
    }));
    Ok(())
}
