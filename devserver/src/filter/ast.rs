//! The syntax tree of a filter expression.

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
    Or(Vec<Expr>),
    And(Vec<Expr>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Compare(CmpOp, Box<Expr>, Box<Expr>),
    Arith(Box<Expr>, Vec<(ArithOp, Expr)>),
    Path(Path),
    Str(String),
    Num(f64),
}

/// Comparison-level operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Like,
    Contains,
}

/// Arithmetic operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
}

/// A field reference such as `meta.user["role"]` or `data.tags[0]`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Path {
    pub(crate) root: Root,
    pub(crate) segments: Vec<Segment>,
}

/// Where a path starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Root {
    /// The publisher's uuid (`i` in the envelope).
    Uuid,
    /// The publish `meta` object (also the root of a bare field name).
    Meta,
    /// The message payload.
    Data,
}

/// One step into a JSON value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Segment {
    Key(String),
    Index(usize),
}
