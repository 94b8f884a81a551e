//! Evaluation of a parsed [`Expr`] against one message.
//!
//! Values are dynamically typed; anything that cannot be evaluated (a missing
//! field, a non-numeric operand of arithmetic, division by zero, a result that
//! is not a finite number) becomes [`Val::Missing`], and every comparison with
//! a missing operand is false (`!=` included).

use std::cmp::Ordering;

use serde_json::{Map, Value};

use super::ast::{ArithOp, CmpOp, Expr, Path, Root, Segment};
use super::MessageContext;

/// A value during evaluation.
#[derive(Debug, Clone, Copy)]
enum Val<'a> {
    Missing,
    Null,
    Bool(bool),
    Num(f64),
    Str(&'a str),
    Array(&'a [Value]),
    Object(&'a Map<String, Value>),
}

impl<'a> Val<'a> {
    fn from_json(v: &'a Value) -> Self {
        match v {
            Value::Null => Val::Null,
            Value::Bool(b) => Val::Bool(*b),
            Value::Number(n) => n.as_f64().map_or(Val::Missing, Val::Num),
            Value::String(s) => Val::Str(s),
            Value::Array(a) => Val::Array(a),
            Value::Object(o) => Val::Object(o),
        }
    }

    /// Numeric view: numbers, numeric strings (JSON number syntax), and
    /// booleans as 1 / 0.
    fn as_num(self) -> Option<f64> {
        match self {
            Val::Num(n) => Some(n),
            Val::Str(s) => numeric_str(s),
            Val::Bool(b) => Some(if b { 1.0 } else { 0.0 }),
            _ => None,
        }
    }

    /// Truthiness for `!`, `&&`, `||` and the top level.
    fn truthy(self) -> bool {
        match self {
            Val::Missing | Val::Null => false,
            Val::Bool(b) => b,
            Val::Num(n) => n != 0.0,
            Val::Str(s) => !(s.is_empty() || s == "0" || s.eq_ignore_ascii_case("false")),
            Val::Array(_) | Val::Object(_) => true,
        }
    }
}

/// A string that is a JSON-syntax number (no spaces, no `+`, no `inf`/`NaN`).
fn numeric_str(s: &str) -> Option<f64> {
    let body = s.strip_prefix('-').unwrap_or(s);
    let mut parts = body.splitn(2, ['e', 'E']);
    let mantissa = parts.next()?;
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let digits = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
    let exp_ok = parts
        .next()
        .is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)));
    if digits(int) && frac.is_none_or(digits) && exp_ok {
        s.parse::<f64>().ok().filter(|n| n.is_finite())
    } else {
        None
    }
}

/// Whether `expr` holds for the message in `ctx`.
pub(crate) fn matches(expr: &Expr, ctx: &MessageContext<'_>) -> bool {
    eval(expr, ctx).truthy()
}

fn eval<'a>(expr: &'a Expr, ctx: &MessageContext<'a>) -> Val<'a> {
    match expr {
        Expr::Or(items) => Val::Bool(items.iter().any(|e| eval(e, ctx).truthy())),
        Expr::And(items) => Val::Bool(items.iter().all(|e| eval(e, ctx).truthy())),
        Expr::Not(inner) => Val::Bool(!eval(inner, ctx).truthy()),
        Expr::Neg(inner) => finite(eval(inner, ctx).as_num().map(|n| -n)),
        Expr::Compare(op, lhs, rhs) => Val::Bool(compare(*op, eval(lhs, ctx), eval(rhs, ctx))),
        Expr::Arith(first, rest) => {
            let mut acc = eval(first, ctx).as_num();
            for (op, e) in rest {
                let rhs = eval(e, ctx).as_num();
                acc = match (acc, rhs) {
                    (Some(a), Some(b)) => arith(*op, a, b),
                    _ => None,
                };
            }
            finite(acc)
        }
        Expr::Path(path) => resolve(path, ctx),
        Expr::Str(s) => Val::Str(s),
        Expr::Num(n) => Val::Num(*n),
    }
}

fn finite(n: Option<f64>) -> Val<'static> {
    n.filter(|n| n.is_finite()).map_or(Val::Missing, Val::Num)
}

fn arith(op: ArithOp, a: f64, b: f64) -> Option<f64> {
    let out = match op {
        ArithOp::Add => a + b,
        ArithOp::Sub => a - b,
        ArithOp::Mul => a * b,
        ArithOp::Div if b == 0.0 => return None,
        ArithOp::Div => a / b,
        ArithOp::Rem if b == 0.0 => return None,
        ArithOp::Rem => a % b,
    };
    out.is_finite().then_some(out)
}

fn resolve<'a>(path: &'a Path, ctx: &MessageContext<'a>) -> Val<'a> {
    let mut current: &'a Value = match path.root {
        Root::Uuid => {
            return match (ctx.uuid, path.segments.is_empty()) {
                (Some(uuid), true) => Val::Str(uuid),
                _ => Val::Missing,
            }
        }
        Root::Meta => match ctx.meta {
            Some(meta) => meta,
            None => return Val::Missing,
        },
        Root::Data => ctx.data,
    };
    for segment in &path.segments {
        let next = match (segment, current) {
            (Segment::Key(k), Value::Object(o)) => o.get(k),
            (Segment::Index(i), Value::Array(a)) => a.get(*i),
            _ => None,
        };
        match next {
            Some(v) => current = v,
            None => return Val::Missing,
        }
    }
    Val::from_json(current)
}

fn compare(op: CmpOp, a: Val<'_>, b: Val<'_>) -> bool {
    if matches!(a, Val::Missing) || matches!(b, Val::Missing) {
        return false;
    }
    match op {
        CmpOp::Eq => equals(a, b),
        CmpOp::Ne => !equals(a, b),
        CmpOp::Lt => order(a, b) == Some(Ordering::Less),
        CmpOp::Le => matches!(order(a, b), Some(Ordering::Less | Ordering::Equal)),
        CmpOp::Gt => order(a, b) == Some(Ordering::Greater),
        CmpOp::Ge => matches!(order(a, b), Some(Ordering::Greater | Ordering::Equal)),
        CmpOp::Like => match (as_text(a), as_text(b)) {
            (Some(text), Some(pattern)) => like(&text, &pattern),
            _ => false,
        },
        CmpOp::Contains => contains(a, b),
    }
}

/// Equality with the documented coercions (see the module docs of `filter`).
fn equals(a: Val<'_>, b: Val<'_>) -> bool {
    match (a, b) {
        (Val::Str(x), Val::Str(y)) => x == y,
        (Val::Null, Val::Null) => true,
        (Val::Bool(x), Val::Bool(y)) => x == y,
        (Val::Bool(x), Val::Str(s)) | (Val::Str(s), Val::Bool(x)) => {
            s.eq_ignore_ascii_case(if x { "true" } else { "false" })
                || numeric_str(s) == Some(if x { 1.0 } else { 0.0 })
        }
        (Val::Array(x), Val::Array(y)) => x == y,
        (Val::Object(x), Val::Object(y)) => x == y,
        (Val::Num(_) | Val::Str(_) | Val::Bool(_), Val::Num(_) | Val::Str(_) | Val::Bool(_)) => {
            matches!((a.as_num(), b.as_num()), (Some(x), Some(y)) if x == y)
        }
        _ => false,
    }
}

/// Ordering is numeric only; `None` when either side has no numeric view.
fn order(a: Val<'_>, b: Val<'_>) -> Option<Ordering> {
    a.as_num()?.partial_cmp(&b.as_num()?)
}

/// Text view for `LIKE` and string `CONTAINS`: strings, numbers and booleans.
fn as_text(v: Val<'_>) -> Option<String> {
    match v {
        Val::Str(s) => Some(s.to_owned()),
        Val::Num(n) => Some(number_text(n)),
        Val::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A number as text: integral values without a fraction (`42`, not `42.0`),
/// others in Rust's shortest round-trip form (`0.1`).
fn number_text(n: f64) -> String {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    if n.fract() == 0.0 && n.abs() < EXACT {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

fn contains(haystack: Val<'_>, needle: Val<'_>) -> bool {
    match haystack {
        Val::Array(items) => items
            .iter()
            .any(|item| equals(Val::from_json(item), needle)),
        Val::Str(s) => as_text(needle).is_some_and(|n| s.contains(n.as_str())),
        _ => false,
    }
}

/// `LIKE`: case-insensitive; an unescaped `*` at the start and/or end is a
/// wildcard, `\*` is a literal star, and a `*` anywhere else is literal.
fn like(text: &str, pattern: &str) -> bool {
    let mut chars: Vec<char> = Vec::new();
    let mut escaped: Vec<bool> = Vec::new();
    let mut iter = pattern.chars().peekable();
    while let Some(c) = iter.next() {
        if c == '\\' && iter.peek() == Some(&'*') {
            iter.next();
            chars.push('*');
            escaped.push(true);
        } else {
            chars.push(c);
            escaped.push(false);
        }
    }
    let wild = |i: Option<usize>| {
        i.is_some_and(|i| chars.get(i) == Some(&'*') && escaped.get(i) == Some(&false))
    };
    let lead = wild(Some(0));
    let trail = chars.len() > usize::from(lead) && wild(chars.len().checked_sub(1));
    let start = usize::from(lead);
    let end = chars.len() - usize::from(trail);
    let core: String = chars.get(start..end).unwrap_or_default().iter().collect();
    let text = text.to_lowercase();
    let core = core.to_lowercase();
    match (lead, trail) {
        (true, true) => text.contains(&core),
        (true, false) => text.ends_with(&core),
        (false, true) => text.starts_with(&core),
        (false, false) => text == core,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_strings_follow_json_syntax() {
        for (s, n) in [
            ("5", Some(5.0)),
            ("-2.5", Some(-2.5)),
            ("1e3", Some(1000.0)),
            ("0.5E-1", Some(0.05)),
        ] {
            assert_eq!(numeric_str(s), n, "{s}");
        }
        for s in [
            "", "-", "+5", " 5", "5 ", "inf", "NaN", "1.", ".5", "0x10", "1e", "abc",
        ] {
            assert_eq!(numeric_str(s), None, "{s:?}");
        }
    }

    #[test]
    fn numbers_as_text() {
        assert_eq!(number_text(42.0), "42");
        assert_eq!(number_text(-7.0), "-7");
        assert_eq!(number_text(0.1), "0.1");
        assert_eq!(number_text(2.5e20), "250000000000000000000");
    }

    #[test]
    fn like_patterns() {
        assert!(like("This is a TEST run", "*test*"));
        assert!(like("testing", "TEST*"));
        assert!(!like("a test", "test*"));
        assert!(like("a test", "*test"));
        assert!(like("exact", "EXACT"));
        assert!(!like("exactly", "exact"));
        assert!(like("5*", "5\\*"));
        assert!(!like("55", "5\\*"));
        assert!(like("a*b", "a*b"), "a star in the middle is literal");
        assert!(!like("axxb", "a*b"));
        assert!(like("anything", "*"));
        assert!(like("", "*"));
        assert!(like("", "**"));
        assert!(like("star*", "*\\*"));
    }
}
