//! The typed error returned by [`FilterExpr::parse`](super::FilterExpr::parse).

use std::fmt;

/// Why a filter expression was rejected, and where.
///
/// `position` is a byte offset into the source string.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("invalid filter expression at byte {position}: {kind}")]
pub struct FilterError {
    position: usize,
    kind: FilterErrorKind,
}

impl FilterError {
    pub(crate) fn new(position: usize, kind: FilterErrorKind) -> Self {
        FilterError { position, kind }
    }

    /// Byte offset into the source where the problem was found.
    #[cfg(any(test, feature = "bench-internals"))]
    pub fn position(&self) -> usize {
        self.position
    }

    /// What went wrong.
    #[cfg(any(test, feature = "bench-internals"))]
    pub fn kind(&self) -> &FilterErrorKind {
        &self.kind
    }
}

/// The kinds of [`FilterError`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum FilterErrorKind {
    /// The expression is empty or only whitespace.
    Empty,
    /// The expression is longer than [`MAX_LEN`](super::MAX_LEN) bytes.
    TooLong {
        /// Length of the source in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// Parentheses, `!` or unary `-` nest deeper than [`MAX_DEPTH`](super::MAX_DEPTH).
    TooDeep {
        /// The limit.
        max: usize,
    },
    /// A character that starts no token (e.g. `#`, a lone `=` or `&`).
    UnexpectedChar(char),
    /// A quoted string without its closing quote.
    UnterminatedString,
    /// A number that does not fit a finite `f64`.
    InvalidNumber(String),
    /// A token where something else was expected.
    UnexpectedToken {
        /// The token found, as text.
        found: String,
        /// What the parser expected there.
        expected: &'static str,
    },
    /// The expression ended where something else was expected.
    UnexpectedEnd {
        /// What the parser expected there.
        expected: &'static str,
    },
    /// `a == b == c` and the like: comparisons do not chain, use parentheses.
    ChainedComparison,
}

impl fmt::Display for FilterErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FilterErrorKind::Empty => f.write_str("empty expression"),
            FilterErrorKind::TooLong { len, max } => {
                write!(f, "expression is {len} bytes long, the limit is {max}")
            }
            FilterErrorKind::TooDeep { max } => write!(f, "nesting deeper than {max} levels"),
            FilterErrorKind::UnexpectedChar(c) => write!(f, "unexpected character {c:?}"),
            FilterErrorKind::UnterminatedString => f.write_str("unterminated string literal"),
            FilterErrorKind::InvalidNumber(n) => write!(f, "invalid number `{n}`"),
            FilterErrorKind::UnexpectedToken { found, expected } => {
                write!(f, "unexpected {found}, expected {expected}")
            }
            FilterErrorKind::UnexpectedEnd { expected } => {
                write!(f, "unexpected end of expression, expected {expected}")
            }
            FilterErrorKind::ChainedComparison => {
                f.write_str("comparisons cannot be chained; add parentheses")
            }
        }
    }
}
