//! One-line cause chains for `Display` and `Debug`.

use std::error::Error as StdError;
use std::fmt;

/// Shows an error and every `source()` under it on one line, joined by
/// `": "` (for example `client error (Connect): tcp connect error:
/// Connection refused (os error 111)`).
///
/// A cause whose text the line already holds (a wrapper that repeats its
/// source's message) is left out, so nothing is printed twice. Only
/// `Display` of each error is used, never its `Debug` (a TLS library's
/// `Debug` dumps raw structs).
pub(crate) struct Chain<'a>(pub(crate) &'a (dyn StdError + 'static));

impl fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown = self.0.to_string();
        let mut next = self.0.source();
        while let Some(cause) = next {
            let text = cause.to_string();
            if !text.is_empty() && !shown.contains(&text) {
                shown.push_str(": ");
                shown.push_str(&text);
            }
            next = cause.source();
        }
        f.write_str(&shown)
    }
}

/// `Debug` through [`Chain`]: the message chain as a quoted string.
impl fmt::Debug for Chain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.to_string(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Wrap(&'static str, Option<std::io::Error>);

    impl fmt::Display for Wrap {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.0)
        }
    }

    impl StdError for Wrap {
        fn source(&self) -> Option<&(dyn StdError + 'static)> {
            self.1.as_ref().map(|e| e as &(dyn StdError + 'static))
        }
    }

    #[test]
    fn joins_every_cause_once() {
        let io = std::io::Error::other("refused");
        let err = Wrap("connect failed", Some(io));
        assert_eq!(Chain(&err).to_string(), "connect failed: refused");
        let repeats = Wrap(
            "connect failed: refused",
            Some(std::io::Error::other("refused")),
        );
        assert_eq!(Chain(&repeats).to_string(), "connect failed: refused");
        assert_eq!(
            format!("{:?}", Chain(&Wrap("a \"b\"", None))),
            r#""a \"b\"""#
        );
    }
}
