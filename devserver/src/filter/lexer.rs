//! Tokenizer for filter expressions.

use super::error::{FilterError, FilterErrorKind};

/// One token and the byte offset where it starts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub(crate) kind: Tok,
    pub(crate) pos: usize,
}

/// Token kinds. Words (identifiers and the keywords `LIKE` / `CONTAINS`) are
/// all [`Tok::Word`]; the parser decides from context what a word means, so
/// `meta.like` stays a field name.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    Word(String),
    Str(String),
    Num(f64),
    LParen,
    RParen,
    LBracket,
    RBracket,
    Dot,
    EqEq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    AndAnd,
    OrOr,
    Bang,
}

impl Tok {
    /// How the token is shown in error messages.
    pub(crate) fn describe(&self) -> String {
        let s = match self {
            Tok::Word(w) => return format!("`{w}`"),
            Tok::Str(_) => "a string",
            Tok::Num(_) => "a number",
            Tok::LParen => "`(`",
            Tok::RParen => "`)`",
            Tok::LBracket => "`[`",
            Tok::RBracket => "`]`",
            Tok::Dot => "`.`",
            Tok::EqEq => "`==`",
            Tok::Ne => "`!=`",
            Tok::Lt => "`<`",
            Tok::Le => "`<=`",
            Tok::Gt => "`>`",
            Tok::Ge => "`>=`",
            Tok::Plus => "`+`",
            Tok::Minus => "`-`",
            Tok::Star => "`*`",
            Tok::Slash => "`/`",
            Tok::Percent => "`%`",
            Tok::AndAnd => "`&&`",
            Tok::OrOr => "`||`",
            Tok::Bang => "`!`",
        };
        s.to_owned()
    }
}

/// Splits `src` into tokens.
pub(crate) fn tokenize(src: &str) -> Result<Vec<Token>, FilterError> {
    let mut lexer = Lexer { src, pos: 0 };
    let mut out = Vec::new();
    while let Some(token) = lexer.next_token()? {
        out.push(token);
    }
    Ok(out)
}

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.src
            .get(self.pos..)
            .and_then(|rest| rest.chars().next())
    }

    fn peek_second(&self) -> Option<char> {
        let mut chars = self.src.get(self.pos..)?.chars();
        chars.next();
        chars.next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn next_token(&mut self) -> Result<Option<Token>, FilterError> {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
        let start = self.pos;
        let Some(c) = self.bump() else {
            return Ok(None);
        };
        let two = |lexer: &mut Self, next: char, yes: Tok, no: Option<Tok>| {
            if lexer.peek() == Some(next) {
                lexer.bump();
                Ok(yes)
            } else {
                no.ok_or(FilterError::new(start, FilterErrorKind::UnexpectedChar(c)))
            }
        };
        let kind = match c {
            '(' => Tok::LParen,
            ')' => Tok::RParen,
            '[' => Tok::LBracket,
            ']' => Tok::RBracket,
            '.' => Tok::Dot,
            '+' => Tok::Plus,
            '-' => Tok::Minus,
            '*' => Tok::Star,
            '/' => Tok::Slash,
            '%' => Tok::Percent,
            '=' => two(self, '=', Tok::EqEq, None)?,
            '!' => two(self, '=', Tok::Ne, Some(Tok::Bang))?,
            '<' => two(self, '=', Tok::Le, Some(Tok::Lt))?,
            '>' => two(self, '=', Tok::Ge, Some(Tok::Gt))?,
            '&' => two(self, '&', Tok::AndAnd, None)?,
            '|' => two(self, '|', Tok::OrOr, None)?,
            '\'' | '"' => Tok::Str(self.string(start, c)?),
            c if c.is_ascii_digit() => Tok::Num(self.number(start)?),
            c if c.is_alphabetic() || c == '_' || c == '$' => {
                while self
                    .peek()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$')
                {
                    self.bump();
                }
                Tok::Word(self.src.get(start..self.pos).unwrap_or_default().to_owned())
            }
            other => {
                return Err(FilterError::new(
                    start,
                    FilterErrorKind::UnexpectedChar(other),
                ))
            }
        };
        Ok(Some(Token { kind, pos: start }))
    }

    /// A quoted string. Escapes: `\\`, `\'`, `\"`, `\n`, `\t`, `\r`, `\/`.
    /// `\*` is kept as the two characters `\*` so that `LIKE` can tell a
    /// literal star from a wildcard; any other escape is kept verbatim.
    fn string(&mut self, start: usize, quote: char) -> Result<String, FilterError> {
        let mut out = String::new();
        loop {
            let Some(c) = self.bump() else {
                return Err(FilterError::new(start, FilterErrorKind::UnterminatedString));
            };
            match c {
                c if c == quote => return Ok(out),
                '\\' => {
                    let Some(e) = self.bump() else {
                        return Err(FilterError::new(start, FilterErrorKind::UnterminatedString));
                    };
                    match e {
                        'n' => out.push('\n'),
                        't' => out.push('\t'),
                        'r' => out.push('\r'),
                        '\\' | '\'' | '"' | '/' => out.push(e),
                        other => {
                            out.push('\\');
                            out.push(other);
                        }
                    }
                }
                c => out.push(c),
            }
        }
    }

    /// Digits, an optional fraction and an optional exponent. The sign is a
    /// separate `-` token (unary minus).
    fn number(&mut self, start: usize) -> Result<f64, FilterError> {
        let digits = |lexer: &mut Self| {
            let from = lexer.pos;
            while lexer.peek().is_some_and(|c| c.is_ascii_digit()) {
                lexer.bump();
            }
            lexer.pos > from
        };
        digits(self);
        if self.peek() == Some('.') && self.peek_second().is_some_and(|c| c.is_ascii_digit()) {
            self.bump();
            digits(self);
        }
        if matches!(self.peek(), Some('e' | 'E')) {
            let save = self.pos;
            self.bump();
            if matches!(self.peek(), Some('+' | '-')) {
                self.bump();
            }
            if !digits(self) {
                self.pos = save;
            }
        }
        let text = self.src.get(start..self.pos).unwrap_or_default();
        match text.parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(n),
            _ => Err(FilterError::new(
                start,
                FilterErrorKind::InvalidNumber(text.to_owned()),
            )),
        }
    }
}
