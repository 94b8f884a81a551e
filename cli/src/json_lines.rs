//! JSON lines read from stdin (or any reader), numbered from 1, so that a
//! line that is not JSON is reported by its number and nothing else is lost.

use serde_json::Value;
use tokio::io::{AsyncBufRead, AsyncBufReadExt};

/// One non-blank input line: its number and its JSON value, or why it is not JSON.
#[derive(Debug)]
pub(crate) struct Line {
    /// 1-based, counting blank lines too (as an editor shows them).
    pub(crate) number: u64,
    /// The value, or the parser's message.
    pub(crate) value: Result<Value, String>,
}

/// Reads JSON lines; blank lines are skipped (still counted).
#[derive(Debug)]
pub(crate) struct JsonLines<R> {
    reader: R,
    number: u64,
    buffer: Vec<u8>,
}

impl<R: AsyncBufRead + Unpin> JsonLines<R> {
    /// Lines of `reader`.
    pub(crate) fn new(reader: R) -> Self {
        JsonLines {
            reader,
            number: 0,
            buffer: Vec::new(),
        }
    }

    /// The next non-blank line, `Ok(None)` at the end of input. Invalid
    /// UTF-8 is a line that is not JSON, not an end.
    pub(crate) async fn next(&mut self) -> std::io::Result<Option<Line>> {
        loop {
            self.buffer.clear();
            if self.reader.read_until(b'\n', &mut self.buffer).await? == 0 {
                return Ok(None);
            }
            self.number += 1;
            if self.buffer.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let value = serde_json::from_slice::<Value>(&self.buffer).map_err(|e| e.to_string());
            return Ok(Some(Line {
                number: self.number,
                value,
            }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn numbers_count_blank_lines_and_bad_lines_say_why() {
        let input: &[u8] = b"{\"a\":1}\n\nnot json\r\n\xff\n2";
        let mut lines = JsonLines::new(input);
        let mut seen = Vec::new();
        while let Some(line) = lines.next().await.expect("reading a slice") {
            seen.push((line.number, line.value.is_ok()));
        }
        assert_eq!(seen, [(1, true), (3, false), (4, false), (5, true)]);
    }
}
