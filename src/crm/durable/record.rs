//! The framing of every line of a durable book's files: one JSON object per
//! line, `{"crc":"1a2b3c4d","event":{...}}`, where the checksum is the
//! CRC32C (Castagnoli) of the bytes of the payload (`{...}`) exactly as
//! written. A line is read back only if its checksum matches, so a flipped
//! byte or a torn write is detected instead of loading a different book.

use std::io::BufRead;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

/// The opening of every record, before the checksum's 8 hex digits.
const OPEN: &[u8] = b"{\"crc\":\"";

/// Appends one record line (`{"crc":"...","tag":payload}\n`) to `out`.
///
/// # Errors
/// [`Error::InvalidParameter`] (field `record`) if `payload` cannot be
/// serialised (a map with non-string keys; never for the crate's types).
pub(crate) fn frame<T: Serialize>(out: &mut Vec<u8>, tag: &str, payload: &T) -> Result<()> {
    let body = serde_json::to_vec(payload)
        .map_err(|e| Error::invalid("record", format!("cannot serialise: {e}")))?;
    out.extend_from_slice(OPEN);
    out.extend_from_slice(format!("{:08x}", crc32c::crc32c(&body)).as_bytes());
    out.extend_from_slice(b"\",\"");
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(b"\":");
    out.extend_from_slice(&body);
    out.extend_from_slice(b"}\n");
    Ok(())
}

/// Why a line is not a good record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Bad {
    /// Not in the record layout at all.
    Layout,
    /// The payload's checksum does not match.
    Checksum,
    /// Another tag than the one expected.
    Tag(String),
    /// The checksum matches but the payload does not parse (a bug or a
    /// record of another version).
    Payload(String),
}

impl std::fmt::Display for Bad {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Bad::Layout => f.write_str("not a checksummed record"),
            Bad::Checksum => f.write_str("checksum mismatch (the line was damaged)"),
            Bad::Tag(t) => write!(f, "unexpected record `{t}`"),
            Bad::Payload(e) => write!(f, "checksum matches but the record does not parse: {e}"),
        }
    }
}

/// Reads one record line (without its `\n`) whose tag must be `tag`.
pub(crate) fn unframe<T: DeserializeOwned>(line: &[u8], tag: &str) -> Result<T, Bad> {
    let rest = line.strip_prefix(OPEN).ok_or(Bad::Layout)?;
    let (hex, rest) = (
        rest.get(..8).ok_or(Bad::Layout)?,
        rest.get(8..).ok_or(Bad::Layout)?,
    );
    // Lowercase only, as written: `A` for `a` is a damaged byte too.
    if !hex.iter().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return Err(Bad::Layout);
    }
    let expected = std::str::from_utf8(hex)
        .ok()
        .and_then(|h| u32::from_str_radix(h, 16).ok())
        .ok_or(Bad::Layout)?;
    let rest = rest.strip_prefix(b"\",\"").ok_or(Bad::Layout)?;
    let quote = rest.iter().position(|&b| b == b'"').ok_or(Bad::Layout)?;
    let (found, rest) = rest.split_at(quote);
    let body = rest
        .strip_prefix(b"\":")
        .and_then(|b| b.strip_suffix(b"}"))
        .ok_or(Bad::Layout)?;
    if crc32c::crc32c(body) != expected {
        return Err(Bad::Checksum);
    }
    if found != tag.as_bytes() {
        return Err(Bad::Tag(String::from_utf8_lossy(found).into_owned()));
    }
    serde_json::from_slice(body).map_err(|e| Bad::Payload(e.to_string()))
}

/// One line of a file being read back, with where it starts.
pub(crate) struct RawLine {
    /// Its 1-based number.
    pub number: usize,
    /// The byte offset of its first byte.
    pub offset: u64,
    /// Its bytes, without the `\n`.
    pub bytes: Vec<u8>,
    /// Whether it ended with `\n` (a torn last write does not).
    pub complete: bool,
}

/// Reads the lines of `reader` one at a time, with their offsets.
pub(crate) struct RawLines<R> {
    reader: R,
    number: usize,
    offset: u64,
}

impl<R: BufRead> RawLines<R> {
    pub(crate) fn new(reader: R) -> Self {
        RawLines {
            reader,
            number: 0,
            offset: 0,
        }
    }

    /// The next line, or `None` at the end.
    ///
    /// # Errors
    /// [`Error::Io`] naming `path`.
    pub(crate) fn next_line(&mut self, path: &str) -> Result<Option<RawLine>> {
        let mut bytes = Vec::new();
        let read = self
            .reader
            .read_until(b'\n', &mut bytes)
            .map_err(|e| Error::io(path, e))?;
        if read == 0 {
            return Ok(None);
        }
        self.number += 1;
        let offset = self.offset;
        self.offset += read as u64;
        let complete = bytes.last() == Some(&b'\n');
        if complete {
            bytes.pop();
        }
        Ok(Some(RawLine {
            number: self.number,
            offset,
            bytes,
            complete,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_and_every_damage_is_caught() {
        let mut line = Vec::new();
        frame(
            &mut line,
            "event",
            &serde_json::json!({"id": "e1", "n": 42}),
        )
        .unwrap();
        assert_eq!(line.last(), Some(&b'\n'));
        let text = line.strip_suffix(b"\n").unwrap();
        let back: serde_json::Value = unframe(text, "event").unwrap();
        assert_eq!(back["n"], 42);
        assert_eq!(
            unframe::<serde_json::Value>(text, "snapshot"),
            Err(Bad::Tag("event".into()))
        );
        // Every single-byte change of the line is detected.
        for i in 0..text.len() {
            for flip in [1u8, 0x20, 0x80] {
                let mut damaged = text.to_vec();
                damaged[i] ^= flip;
                let read = unframe::<serde_json::Value>(&damaged, "event");
                assert!(read.is_err(), "byte {i} ^ {flip:#x} went unnoticed");
            }
        }
        // So is every truncation.
        for end in 0..text.len() {
            assert!(unframe::<serde_json::Value>(&text[..end], "event").is_err());
        }
    }
}
