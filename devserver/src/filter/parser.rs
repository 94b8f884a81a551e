//! Recursive-descent parser: tokens → [`Expr`].
//!
//! Grammar (lowest precedence first, as in C):
//! ```text
//! or      := and ( "||" and )*
//! and     := cmp ( "&&" cmp )*
//! cmp     := add ( ("==" | "!=" | "<" | "<=" | ">" | ">=" | LIKE | CONTAINS) add )?
//! add     := mul ( ("+" | "-") mul )*
//! mul     := unary ( ("*" | "/" | "%") unary )*
//! unary   := "!" unary | "-" unary | primary
//! primary := "(" or ")" | STRING | NUMBER | path
//! path    := WORD ( "." WORD | "[" (STRING | INDEX) "]" )*
//! ```
//! `&&`, `||` and arithmetic chains are stored flat, so the tree only grows
//! deep through parentheses and unary operators, which [`MAX_DEPTH`] bounds.

use super::ast::{ArithOp, CmpOp, Expr, Path, Root, Segment};
use super::error::{FilterError, FilterErrorKind};
use super::lexer::{Tok, Token};
use super::MAX_DEPTH;

/// Parses a token list (from a source of `src_len` bytes) into an [`Expr`].
pub(crate) fn parse(tokens: &[Token], src_len: usize) -> Result<Expr, FilterError> {
    let mut parser = Parser {
        tokens,
        next: 0,
        depth: 0,
        src_len,
    };
    let expr = parser.or()?;
    match parser.peek() {
        None => Ok(expr),
        Some(t) => Err(parser.unexpected(t, "an operator or the end of the expression")),
    }
}

struct Parser<'t> {
    tokens: &'t [Token],
    next: usize,
    depth: usize,
    src_len: usize,
}

impl<'t> Parser<'t> {
    fn peek(&self) -> Option<&'t Token> {
        self.tokens.get(self.next)
    }

    fn advance(&mut self) -> Option<&'t Token> {
        let t = self.tokens.get(self.next)?;
        self.next += 1;
        Some(t)
    }

    fn eat(&mut self, kind: &Tok) -> bool {
        if self.peek().is_some_and(|t| &t.kind == kind) {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn unexpected(&self, t: &Token, expected: &'static str) -> FilterError {
        let found = t.kind.describe();
        FilterError::new(t.pos, FilterErrorKind::UnexpectedToken { found, expected })
    }

    fn end(&self, expected: &'static str) -> FilterError {
        FilterError::new(self.src_len, FilterErrorKind::UnexpectedEnd { expected })
    }

    fn expect(&mut self, kind: &Tok, expected: &'static str) -> Result<(), FilterError> {
        match self.advance() {
            Some(t) if &t.kind == kind => Ok(()),
            Some(t) => Err(self.unexpected(t, expected)),
            None => Err(self.end(expected)),
        }
    }

    /// Runs `f` one nesting level deeper, refusing to exceed [`MAX_DEPTH`].
    fn nested<T>(
        &mut self,
        pos: usize,
        f: impl FnOnce(&mut Self) -> Result<T, FilterError>,
    ) -> Result<T, FilterError> {
        if self.depth >= MAX_DEPTH {
            return Err(FilterError::new(
                pos,
                FilterErrorKind::TooDeep { max: MAX_DEPTH },
            ));
        }
        self.depth += 1;
        let out = f(self);
        self.depth -= 1;
        out
    }

    fn or(&mut self) -> Result<Expr, FilterError> {
        let mut items = vec![self.and()?];
        while self.eat(&Tok::OrOr) {
            items.push(self.and()?);
        }
        Ok(flatten(items, Expr::Or))
    }

    fn and(&mut self) -> Result<Expr, FilterError> {
        let mut items = vec![self.cmp()?];
        while self.eat(&Tok::AndAnd) {
            items.push(self.cmp()?);
        }
        Ok(flatten(items, Expr::And))
    }

    fn cmp_op(&self) -> Option<CmpOp> {
        Some(match &self.peek()?.kind {
            Tok::EqEq => CmpOp::Eq,
            Tok::Ne => CmpOp::Ne,
            Tok::Lt => CmpOp::Lt,
            Tok::Le => CmpOp::Le,
            Tok::Gt => CmpOp::Gt,
            Tok::Ge => CmpOp::Ge,
            Tok::Word(w) if w.eq_ignore_ascii_case("like") => CmpOp::Like,
            Tok::Word(w) if w.eq_ignore_ascii_case("contains") => CmpOp::Contains,
            _ => return None,
        })
    }

    fn cmp(&mut self) -> Result<Expr, FilterError> {
        let lhs = self.add()?;
        let Some(op) = self.cmp_op() else {
            return Ok(lhs);
        };
        self.next += 1;
        let rhs = self.add()?;
        if let (Some(_), Some(t)) = (self.cmp_op(), self.peek()) {
            return Err(FilterError::new(t.pos, FilterErrorKind::ChainedComparison));
        }
        Ok(Expr::Compare(op, Box::new(lhs), Box::new(rhs)))
    }

    fn add(&mut self) -> Result<Expr, FilterError> {
        self.arith(Self::mul, |t| match t {
            Tok::Plus => Some(ArithOp::Add),
            Tok::Minus => Some(ArithOp::Sub),
            _ => None,
        })
    }

    fn mul(&mut self) -> Result<Expr, FilterError> {
        self.arith(Self::unary, |t| match t {
            Tok::Star => Some(ArithOp::Mul),
            Tok::Slash => Some(ArithOp::Div),
            Tok::Percent => Some(ArithOp::Rem),
            _ => None,
        })
    }

    fn arith(
        &mut self,
        operand: fn(&mut Self) -> Result<Expr, FilterError>,
        op_of: fn(&Tok) -> Option<ArithOp>,
    ) -> Result<Expr, FilterError> {
        let first = operand(self)?;
        let mut rest = Vec::new();
        while let Some(op) = self.peek().and_then(|t| op_of(&t.kind)) {
            self.next += 1;
            rest.push((op, operand(self)?));
        }
        if rest.is_empty() {
            Ok(first)
        } else {
            Ok(Expr::Arith(Box::new(first), rest))
        }
    }

    fn unary(&mut self) -> Result<Expr, FilterError> {
        let Some(t) = self.peek() else {
            return Err(self.end("a value"));
        };
        match t.kind {
            Tok::Bang => {
                self.next += 1;
                self.nested(t.pos, |p| Ok(Expr::Not(Box::new(p.unary()?))))
            }
            Tok::Minus => {
                self.next += 1;
                self.nested(t.pos, |p| {
                    Ok(match p.unary()? {
                        Expr::Num(n) => Expr::Num(-n),
                        other => Expr::Neg(Box::new(other)),
                    })
                })
            }
            _ => self.primary(),
        }
    }

    fn primary(&mut self) -> Result<Expr, FilterError> {
        let Some(t) = self.advance() else {
            return Err(self.end("a value"));
        };
        match &t.kind {
            Tok::LParen => self.nested(t.pos, |p| {
                let inner = p.or()?;
                p.expect(&Tok::RParen, "`)`")?;
                Ok(inner)
            }),
            Tok::Str(s) => Ok(Expr::Str(s.clone())),
            Tok::Num(n) => Ok(Expr::Num(*n)),
            Tok::Word(w) if is_keyword(w) => Err(self.unexpected(t, "a value")),
            Tok::Word(w) => self.path(w),
            _ => Err(self.unexpected(t, "a value")),
        }
    }

    fn path(&mut self, first: &str) -> Result<Expr, FilterError> {
        let (root, mut segments) = match first {
            "uuid" => (Root::Uuid, Vec::new()),
            "meta" => (Root::Meta, Vec::new()),
            "data" => (Root::Data, Vec::new()),
            field => (Root::Meta, vec![Segment::Key(field.to_owned())]),
        };
        loop {
            if self.eat(&Tok::Dot) {
                match self.advance() {
                    Some(Token {
                        kind: Tok::Word(w), ..
                    }) => segments.push(Segment::Key(w.clone())),
                    Some(t) => return Err(self.unexpected(t, "a field name")),
                    None => return Err(self.end("a field name")),
                }
            } else if self.eat(&Tok::LBracket) {
                const EXPECTED: &str = "a quoted key or an array index";
                match self.advance() {
                    Some(Token {
                        kind: Tok::Str(s), ..
                    }) => segments.push(Segment::Key(s.clone())),
                    Some(
                        t @ Token {
                            kind: Tok::Num(n), ..
                        },
                    ) => match as_index(*n) {
                        Some(i) => segments.push(Segment::Index(i)),
                        None => return Err(self.unexpected(t, EXPECTED)),
                    },
                    Some(t) => return Err(self.unexpected(t, EXPECTED)),
                    None => return Err(self.end(EXPECTED)),
                }
                self.expect(&Tok::RBracket, "`]`")?;
            } else {
                return Ok(Expr::Path(Path { root, segments }));
            }
        }
    }
}

fn flatten(mut items: Vec<Expr>, make: fn(Vec<Expr>) -> Expr) -> Expr {
    if items.len() == 1 {
        if let Some(only) = items.pop() {
            return only;
        }
    }
    make(items)
}

fn is_keyword(word: &str) -> bool {
    word.eq_ignore_ascii_case("like") || word.eq_ignore_ascii_case("contains")
}

/// A non-negative integral number usable as an array index.
fn as_index(n: f64) -> Option<usize> {
    if n >= 0.0 && n.fract() == 0.0 && n <= u32::MAX as f64 {
        Some(n as usize)
    } else {
        None
    }
}
