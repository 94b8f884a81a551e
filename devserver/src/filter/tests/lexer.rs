//! Tokenizer unit tests.

use crate::filter::lexer::{tokenize, Tok};
use crate::filter::FilterErrorKind;

fn kinds(src: &str) -> Vec<Tok> {
    tokenize(src)
        .map(|v| v.into_iter().map(|t| t.kind).collect())
        .unwrap_or_default()
}

#[test]
fn operators_and_words() {
    assert_eq!(
        kinds("a.b>=1.5&&!(c!=\"x\")"),
        vec![
            Tok::Word("a".into()),
            Tok::Dot,
            Tok::Word("b".into()),
            Tok::Ge,
            Tok::Num(1.5),
            Tok::AndAnd,
            Tok::Bang,
            Tok::LParen,
            Tok::Word("c".into()),
            Tok::Ne,
            Tok::Str("x".into()),
            Tok::RParen,
        ]
    );
}

#[test]
fn string_escapes() {
    assert_eq!(
        kinds(r#"'it\'s' "a\"b" "x\*y" "\\""#),
        vec![
            Tok::Str("it's".into()),
            Tok::Str("a\"b".into()),
            Tok::Str("x\\*y".into()),
            Tok::Str("\\".into()),
        ]
    );
}

#[test]
fn numbers_and_positions() {
    let toks = tokenize("  12 3.25e2 7.x").unwrap_or_default();
    let got: Vec<(Tok, usize)> = toks.into_iter().map(|t| (t.kind, t.pos)).collect();
    assert_eq!(
        got,
        vec![
            (Tok::Num(12.0), 2),
            (Tok::Num(325.0), 5),
            (Tok::Num(7.0), 12),
            (Tok::Dot, 13),
            (Tok::Word("x".into()), 14),
        ]
    );
}

#[test]
fn errors_carry_positions() {
    let err = tokenize("a == 'open").err();
    assert_eq!(
        err.map(|e| (e.position(), e.kind().clone())),
        Some((5, FilterErrorKind::UnterminatedString))
    );
    let err = tokenize("a = 1").err();
    assert_eq!(err.map(|e| e.position()), Some(2));
    let err = tokenize("a # 1").err();
    assert_eq!(
        err.map(|e| e.kind().clone()),
        Some(FilterErrorKind::UnexpectedChar('#'))
    );
    let err = tokenize("1e999").err();
    assert!(matches!(
        err.map(|e| e.kind().clone()),
        Some(FilterErrorKind::InvalidNumber(_))
    ));
}
