//! [`BoundedLines`]: the one line reader of the crate's text inputs (JSON
//! Lines events, edge lists). It never holds more than `max` bytes of a line:
//! a longer line is reported as [`Line::TooLong`] and skipped to its end
//! without being kept, so a 512 MiB line costs no more memory than a short one.

use std::io::{BufRead, ErrorKind};

use crate::error::Error;

/// The longest line the crate's readers keep, in bytes (1 MiB).
pub(crate) const MAX_LINE_BYTES: usize = 1 << 20;

/// One line read.
#[derive(Debug)]
pub(crate) enum Line<'a> {
    /// The line without its `\n` or `\r\n`.
    Text(&'a [u8]),
    /// The line was longer than the limit (its bytes were skipped).
    TooLong,
}

/// A read that failed at a line.
#[derive(Debug)]
pub(crate) struct LineError {
    line: usize,
    source: std::io::Error,
}

impl LineError {
    /// The crate's error, naming `what` was read and the line.
    pub(crate) fn into_error(self, what: &str) -> Error {
        Error::io(format!("{what} at line {}", self.line), self.source)
    }

    /// The operating system's error alone.
    pub(crate) fn into_source(self) -> std::io::Error {
        self.source
    }
}

/// Reads lines of at most `max` bytes, numbered from 1; a UTF-8 byte-order
/// mark at the start of the input is skipped.
#[derive(Debug)]
pub(crate) struct BoundedLines<R> {
    reader: R,
    buf: Vec<u8>,
    line: usize,
    max: usize,
    done: bool,
}

impl<R: BufRead> BoundedLines<R> {
    /// Lines of `reader`, each kept only up to `max` bytes.
    pub(crate) fn new(reader: R, max: usize) -> Self {
        BoundedLines {
            reader,
            buf: Vec::new(),
            line: 0,
            max,
            done: false,
        }
    }

    /// The next line and its number; `None` at the end of the input or after
    /// a read error (reported once).
    ///
    /// # Complexity
    /// O(line length) time, O(min(line length, max)) memory.
    #[allow(clippy::should_implement_trait)] // a lending iterator: the line borrows the buffer
    pub(crate) fn next(&mut self) -> Option<Result<(usize, Line<'_>), LineError>> {
        if self.done {
            return None;
        }
        self.buf.clear();
        self.line += 1;
        let mut too_long = false;
        let mut any = false;
        loop {
            let available = match self.reader.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(source) => {
                    self.done = true;
                    return Some(Err(LineError {
                        line: self.line,
                        source,
                    }));
                }
            };
            if available.is_empty() {
                if !any {
                    self.done = true;
                    return None;
                }
                break;
            }
            any = true;
            let (chunk, used, end) = match available.iter().position(|&b| b == b'\n') {
                Some(i) => (available.get(..i).unwrap_or_default(), i + 1, true),
                None => (available, available.len(), false),
            };
            if chunk.len() > self.max.saturating_sub(self.buf.len()) {
                too_long = true;
            } else if !too_long {
                self.buf.extend_from_slice(chunk);
            }
            self.reader.consume(used);
            if end {
                break;
            }
        }
        if too_long {
            return Some(Ok((self.line, Line::TooLong)));
        }
        let mut text = self.buf.strip_suffix(b"\r").unwrap_or(&self.buf);
        if self.line == 1 {
            text = text.strip_prefix("\u{feff}".as_bytes()).unwrap_or(text);
        }
        Some(Ok((self.line, Line::Text(text))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(input: &[u8], max: usize) -> Vec<(usize, Option<Vec<u8>>)> {
        let mut lines = BoundedLines::new(input, max);
        let mut out = Vec::new();
        while let Some(item) = lines.next() {
            let (n, line) = item.unwrap();
            out.push((
                n,
                match line {
                    Line::Text(t) => Some(t.to_vec()),
                    Line::TooLong => None,
                },
            ));
        }
        out
    }

    #[test]
    fn lines_are_numbered_trimmed_of_line_ends_and_bounded() {
        // The mark and the \r count toward the limit: line 1 is 6 bytes.
        let got = all(b"\xef\xbb\xbfab\r\n\nabcdefg\nxyz", 6);
        assert_eq!(
            got,
            [
                (1, Some(b"ab".to_vec())),
                (2, Some(Vec::new())),
                (3, None),
                (4, Some(b"xyz".to_vec())),
            ]
        );
        assert!(all(b"", 4).is_empty());
        // A byte-order mark later than line 1 is text.
        assert_eq!(
            all(b"a\n\xef\xbb\xbf", 8)[1].1.as_deref(),
            Some(&b"\xef\xbb\xbf"[..])
        );
    }

    #[test]
    fn a_long_line_is_skipped_across_reads() {
        let text = format!("{}\nok\n", "x".repeat(100_000));
        let reader = std::io::BufReader::with_capacity(7, text.as_bytes());
        let mut lines = BoundedLines::new(reader, 1_000);
        assert!(matches!(lines.next(), Some(Ok((1, Line::TooLong)))));
        assert!(matches!(lines.next(), Some(Ok((2, Line::Text(b"ok"))))));
        assert!(lines.buf.capacity() <= 2_000, "{}", lines.buf.capacity());
        assert!(lines.next().is_none());
    }
}
