//! [`JsonLines`]: a reader of events, one JSON object per line, that never
//! panics and never holds more than one bounded line in memory.

use std::io::{BufRead, ErrorKind};

use super::Event;
use crate::error::{Error, Result};

/// The longest line read, in bytes (1 MiB); a longer line is rejected (and
/// skipped to its end without being kept).
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// Reads events from JSON Lines.
///
/// Yields `Ok((line, Ok(event)))` for each line that parses, `Ok((line,
/// Err(Error::Parse { .. })))` for a line that does not (bad UTF-8, bad JSON,
/// a missing field, an invalid value, a line over [`MAX_LINE_BYTES`]), and
/// `Err(Error::Io)` once if reading fails, then stops. Lines are numbered from
/// 1; blank lines (only spaces, or a lone `\r`) are skipped, and so is a UTF-8
/// byte-order mark at the start of the input. Parsing does not
/// call [`Event::validate`]: the [`CustomerBook`](super::CustomerBook) does.
///
/// ```
/// use social_loop::crm::JsonLines;
/// let input = "{\"id\":\"e1\",\"at\":0,\"customer\":\"ann\",\"kind\":{\"type\":\"purchase\"}}\n\nnot json\n";
/// let lines: Vec<_> = JsonLines::new(input.as_bytes()).collect::<Result<_, _>>()?;
/// assert_eq!(lines.len(), 2);
/// assert_eq!(lines[0].0, 1);
/// assert!(lines[0].1.is_ok());
/// assert_eq!(lines[1].0, 3);
/// assert!(lines[1].1.is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct JsonLines<R> {
    reader: R,
    line: usize,
    buf: Vec<u8>,
    done: bool,
}

impl<R: BufRead> JsonLines<R> {
    /// A reader over `reader`.
    pub fn new(reader: R) -> Self {
        JsonLines {
            reader,
            line: 0,
            buf: Vec::new(),
            done: false,
        }
    }

    /// Reads the next line into `buf` (at most [`MAX_LINE_BYTES`] kept);
    /// returns whether a line was read and whether it was too long.
    fn read_line(&mut self) -> std::io::Result<Option<bool>> {
        self.buf.clear();
        let mut too_long = false;
        let mut any = false;
        loop {
            let available = match self.reader.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if available.is_empty() {
                return Ok(any.then_some(too_long));
            }
            any = true;
            let (chunk, used, end) = match available.iter().position(|&b| b == b'\n') {
                Some(i) => (available.get(..i).unwrap_or_default(), i + 1, true),
                None => (available, available.len(), false),
            };
            let room = MAX_LINE_BYTES.saturating_sub(self.buf.len());
            if chunk.len() > room {
                too_long = true;
            } else {
                self.buf.extend_from_slice(chunk);
            }
            self.reader.consume(used);
            if end {
                return Ok(Some(too_long));
            }
        }
    }
}

impl<R: BufRead> Iterator for JsonLines<R> {
    type Item = Result<(usize, Result<Event>)>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            let read = self.read_line();
            self.line += 1;
            let too_long = match read {
                Ok(Some(too_long)) => too_long,
                Ok(None) => {
                    self.done = true;
                    return None;
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(Error::io(
                        format!("JSON Lines input at line {}", self.line),
                        e,
                    )));
                }
            };
            let line = self.line;
            if too_long {
                return Some(Ok((
                    line,
                    Err(Error::parse(
                        line,
                        format!("line longer than {MAX_LINE_BYTES} bytes"),
                    )),
                )));
            }
            let mut text = self.buf.strip_suffix(b"\r").unwrap_or(&self.buf);
            if line == 1 {
                text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
            }
            if text.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let parsed = serde_json::from_slice::<Event>(text).map_err(|e| {
                // serde_json ends its message with the position in the text it
                // was given (always line 1 here): keep the column only.
                let message = e.to_string();
                let message = message
                    .rfind(" at line ")
                    .and_then(|i| message.get(..i))
                    .unwrap_or(&message);
                Error::parse(line, message).at_column(e.column())
            });
            return Some(Ok((line, parsed)));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_order_mark_before_the_first_line_is_skipped() {
        let event = r#"{"id":"e1","at":0,"customer":"ann","kind":{"type":"purchase"}}"#;
        let input = format!("\u{feff}{event}\n{event}\n");
        let lines: Vec<_> = JsonLines::new(input.as_bytes())
            .collect::<Result<_>>()
            .unwrap();
        assert_eq!(lines.len(), 2);
        assert!(lines.iter().all(|(_, parsed)| parsed.is_ok()), "{lines:?}");
    }
}
