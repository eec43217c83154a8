//! [`JsonLines`]: a reader of events, one JSON object per line, that never
//! panics and never holds more than one bounded line in memory.

use std::io::BufRead;

use super::Event;
use super::event::Envelope;
use crate::error::{Error, Result};
use crate::lines::{BoundedLines, Line};

/// The longest line read, in bytes (1 MiB); a longer line is rejected (and
/// skipped to its end without being kept).
pub const MAX_LINE_BYTES: usize = crate::lines::MAX_LINE_BYTES;

/// Reads events from JSON Lines.
///
/// Yields `Ok((line, Ok(event)))` for each line that parses, `Ok((line,
/// Err(Error::Parse { .. })))` for a line that does not (bad UTF-8, bad JSON,
/// a missing field, an invalid value, a line over [`MAX_LINE_BYTES`]), and
/// `Err(Error::Io)` once if reading fails, then stops. A rejected line's error
/// names its line, its column where known and the JSON path of the bad value
/// ([`Error::field`]: `id`, `money.amount`, `kind.type`). Lines are numbered
/// from 1; blank lines (only spaces, or a lone `\r`) and a byte-order mark at
/// the start are skipped. Parsing does not call [`Event::validate`]: the
/// [`CustomerBook`](super::CustomerBook) does. Fields an event does not read
/// are left out of it and listed by [`unknown_fields`](Self::unknown_fields).
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
///
/// let typed = r#"{"id":42,"at":0,"customer":"ann","kind":{"type":"purchase"}}"#;
/// let (_, parsed) = JsonLines::new(typed.as_bytes()).next().ok_or("a line")??;
/// assert_eq!(parsed.unwrap_err().field(), Some("id"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct JsonLines<R> {
    lines: BoundedLines<R>,
    unknown: Vec<String>,
}

impl<R: BufRead> JsonLines<R> {
    /// A reader over `reader`.
    pub fn new(reader: R) -> Self {
        JsonLines {
            lines: BoundedLines::new(reader, MAX_LINE_BYTES),
            unknown: Vec::new(),
        }
    }

    /// The JSON paths of the fields of the last line read that its event does
    /// not read (`moneyy`, `kind.amount`), in the order met; empty after a
    /// line that did not parse.
    pub fn unknown_fields(&self) -> &[String] {
        &self.unknown
    }
}

/// Parses the `line`-th line's text into an event and its unknown fields.
fn parse(line: usize, text: &[u8]) -> Result<(Event, Vec<String>)> {
    let (envelope, mut unknown) = crate::json::record_from_slice::<Envelope>(text, line)?;
    let (event, kind_unknown) = envelope.into_event().map_err(|e| {
        let field = e.field().unwrap_or("kind").to_string();
        let reason = e.reason().unwrap_or("invalid kind").to_string();
        Error::parse(line, reason).at_field(field)
    })?;
    unknown.extend(kind_unknown);
    Ok((event, unknown))
}

impl<R: BufRead> Iterator for JsonLines<R> {
    type Item = Result<(usize, Result<Event>)>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let (line, read) = match self.lines.next()? {
                Ok(read) => read,
                Err(e) => return Some(Err(e.into_error("JSON Lines input"))),
            };
            self.unknown.clear();
            let text = match read {
                Line::TooLong => {
                    let reason = format!("line longer than {MAX_LINE_BYTES} bytes");
                    return Some(Ok((line, Err(Error::parse(line, reason)))));
                }
                Line::Text(text) => text,
            };
            if text.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let parsed = parse(line, text).map(|(event, unknown)| {
                self.unknown = unknown;
                event
            });
            return Some(Ok((line, parsed)));
        }
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
