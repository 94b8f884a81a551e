//! Subscribe filter expressions (`filter-expr`, protocol.md §13).
//!
//! [`FilterExpr::parse`] turns the client's expression into an AST once;
//! [`FilterExpr::matches`] decides per message whether to deliver it.
//!
//! # Language
//!
//! - **Identifiers**: `uuid` (the publisher), `meta` / `meta.<field>`,
//!   `data` / `data.<field>`; a bare field name `f` means `meta.f` (legacy).
//!   Access goes deeper with `.name`, `["key"]` and `[0]`. Words are
//!   letters, digits, `_` and `$`; use `["key-with-dash"]` for anything else.
//! - **Literals**: strings in `'…'` or `"…"` with the escapes `\\ \' \" \n \t
//!   \r \/` (`\*` stays `\*` so `LIKE` sees a literal star); numbers with
//!   optional fraction and exponent, negated with unary `-`. There are no
//!   boolean or null literals: `true` is a bare field name (`meta.true`); write
//!   `"true"` or `1` instead, which compare equal to a JSON `true`.
//! - **Operators**, loosest first: `||`; `&&`; `== != < <= > >= LIKE CONTAINS`
//!   (not chainable: `a == b == c` is a parse error); `+ -`; `* / %`;
//!   prefix `!` and `-`. `LIKE` and `CONTAINS` are case-insensitive keywords.
//!   `AND` / `OR` / `NOT` words are **not** accepted: no PubNub document uses them.
//!
//! # Semantics (choices where protocol.md says UNVERIFIED)
//!
//! - A missing field (or `meta` absent) makes every comparison with it false,
//!   `!=` included, so `uuid != 'x'` drops messages without a publisher.
//! - `==` / `!=`: two strings compare as strings (`"5" != "5.0"`). A number
//!   against a string, or against a boolean, compares numerically when the
//!   string is a JSON-syntax number (`meta.level == 5` matches `"5"`), else it
//!   is unequal. Booleans equal `"true"`/`"false"` (any case) and `1`/`0`.
//!   Arrays and objects are equal only to equal arrays/objects; `null` only to `null`.
//! - `< <= > >=` are numeric only: both sides need a numeric view (numbers,
//!   numeric strings, booleans as 1/0); otherwise false. Strings never order.
//! - Arithmetic is numeric with the same coercions; a non-numeric operand,
//!   division or modulo by zero, or a non-finite result yields "missing".
//!   Numbers are `f64` (integers above 2^53 lose precision).
//! - `LIKE`: text (string, number or boolean) against a pattern; `*` at the
//!   start and/or end is a wildcard, `\*` a literal star, a `*` in the middle
//!   is literal; matching ignores case (Unicode lowercase).
//! - `CONTAINS`: on a string, case-sensitive substring; on an array, an
//!   element `==` the right side (coercions included); otherwise false.
//! - `!`, `&&`, `||` and the whole expression use truthiness: missing, `null`,
//!   `false`, `0`, `""`, `"0"` and `"false"` are false; everything else true.
//!
//! Limits: at most [`MAX_LEN`] bytes and [`MAX_DEPTH`] levels of parentheses
//! and prefix operators; both are typed errors, never a stack overflow.

mod ast;
mod error;
mod eval;
mod lexer;
mod parser;

#[cfg(test)]
mod tests;

pub use error::{FilterError, FilterErrorKind};

/// Longest accepted expression, in bytes.
pub const MAX_LEN: usize = 4096;

/// Deepest accepted nesting of parentheses, `!` and unary `-`.
pub const MAX_DEPTH: usize = 64;

/// A parsed filter expression.
#[derive(Debug, Clone, PartialEq)]
pub struct FilterExpr {
    root: ast::Expr,
}

/// The parts of a message a filter can read.
#[derive(Debug, Clone, Copy)]
pub struct MessageContext<'a> {
    /// The publisher's uuid (`i` in the envelope), if known.
    pub uuid: Option<&'a str>,
    /// The publish `meta`, if any was sent.
    pub meta: Option<&'a serde_json::Value>,
    /// The message payload (an opaque string when encrypted).
    pub data: &'a serde_json::Value,
}

impl FilterExpr {
    /// Parses an expression (already percent-decoded).
    pub fn parse(src: &str) -> Result<FilterExpr, FilterError> {
        if src.len() > MAX_LEN {
            return Err(FilterError::new(
                MAX_LEN,
                FilterErrorKind::TooLong {
                    len: src.len(),
                    max: MAX_LEN,
                },
            ));
        }
        let tokens = lexer::tokenize(src)?;
        if tokens.is_empty() {
            return Err(FilterError::new(0, FilterErrorKind::Empty));
        }
        let root = parser::parse(&tokens, src.len())?;
        Ok(FilterExpr { root })
    }

    /// Whether the message described by `ctx` passes the filter.
    pub fn matches(&self, ctx: &MessageContext<'_>) -> bool {
        eval::matches(&self.root, ctx)
    }
}
