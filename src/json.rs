//! Reading the crate's JSON inputs with errors that name the field.
//!
//! serde's own messages say what was wrong but not where in a nested document;
//! these helpers track the JSON path (serde_path_to_error) and, where asked,
//! the fields serde would skip (serde_ignored), so a typo is not silently
//! replaced by a default.

use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

/// How unknown fields are treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unknown {
    /// An unknown field is an error naming its path.
    Reject,
    /// Unknown fields are returned beside the value.
    #[allow(dead_code)] // tested; the CRM collects through `record_from_slice`
    Collect,
}

/// Strips a UTF-8 byte-order mark, which editors on some systems write at the
/// start of a file.
pub(crate) fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Deserialises `text`, naming the JSON path of a type error and (under
/// [`Unknown::Reject`]) of the first unknown field. Returns the value and the
/// paths of the unknown fields (empty under `Reject`).
///
/// # Errors
/// [`Error::Parse`] for malformed JSON (with line and column);
/// [`Error::InvalidParameter`] whose field is the JSON path for a value of the
/// wrong type or an unknown field.
pub(crate) fn from_str<T: DeserializeOwned>(
    text: &str,
    unknown: Unknown,
) -> Result<(T, Vec<String>)> {
    let text = strip_bom(text);
    let (value, ignored) = tracked(serde_json::Deserializer::from_str(text))
        .map_err(|(path, e)| path_error(path, e))?;
    if unknown == Unknown::Reject {
        if let Some(field) = ignored.first() {
            return Err(Error::invalid(field.clone(), "unknown field"));
        }
    }
    Ok((value, ignored))
}

/// Deserialises one JSON record, the `line`-th of its input, returning the
/// value and the paths of its unknown fields.
///
/// # Errors
/// [`Error::Parse`] at `line` with the column and, for a value of the wrong
/// type, its JSON path ([`Error::field`]).
pub(crate) fn record_from_slice<T: DeserializeOwned>(
    bytes: &[u8],
    line: usize,
) -> Result<(T, Vec<String>)> {
    tracked(serde_json::Deserializer::from_slice(bytes)).map_err(|(path, e)| {
        let err = Error::parse(line, strip_position(&e.to_string())).at_column(e.column());
        match path.as_str() {
            "." | "?" => err,
            _ if e.is_syntax() || e.is_eof() => err,
            _ => err.at_field(path),
        }
    })
}

/// Deserialises the whole input of `json`, tracking the path of an error and
/// the paths of the fields serde skips.
fn tracked<'de, R: serde_json::de::Read<'de>, T: DeserializeOwned>(
    mut json: serde_json::Deserializer<R>,
) -> std::result::Result<(T, Vec<String>), (String, serde_json::Error)> {
    let mut ignored = Vec::new();
    let value: T = {
        let mut record = |path: serde_ignored::Path<'_>| ignored.push(path.to_string());
        let tracked = serde_ignored::Deserializer::new(&mut json, &mut record);
        serde_path_to_error::deserialize(tracked).map_err(|e| {
            let path = e.path().to_string();
            (path, e.into_inner())
        })?
    };
    json.end().map_err(|e| (".".to_string(), e))?;
    Ok((value, ignored))
}

/// Deserialises a JSON value, naming the JSON path of a type error.
///
/// # Errors
/// [`Error::InvalidParameter`] whose field is the JSON path of the bad value.
pub(crate) fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        path_error(path, e.into_inner())
    })
}

fn path_error(path: String, inner: serde_json::Error) -> Error {
    if inner.is_syntax() || inner.is_eof() {
        return syntax_error(&inner);
    }
    let field = if path == "." || path == "?" {
        "(document)".to_string()
    } else {
        path
    };
    // A type error in text keeps serde_json's " at line L column C".
    Error::invalid(field, inner.to_string())
}

fn syntax_error(e: &serde_json::Error) -> Error {
    Error::parse(e.line(), strip_position(&e.to_string())).at_column(e.column())
}

/// serde_json ends its messages with " at line L column C": the crate's errors
/// carry the position in their own fields.
fn strip_position(message: &str) -> String {
    message
        .rfind(" at line ")
        .and_then(|i| message.get(..i))
        .unwrap_or(message)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Outer {
        inner: Inner,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        count: u32,
    }

    #[test]
    fn type_errors_name_the_path() {
        let err = from_str::<Outer>(r#"{"inner": {"count": "x"}}"#, Unknown::Reject).unwrap_err();
        assert_eq!(err.field(), Some("inner.count"), "{err}");
    }

    #[test]
    fn unknown_fields_are_rejected_or_collected() {
        let text = "\u{feff}{\"inner\": {\"count\": 1, \"cuont\": 2}}";
        let err = from_str::<Outer>(text, Unknown::Reject).unwrap_err();
        assert_eq!(err.field(), Some("inner.cuont"));
        let (_, unknown) = from_str::<Outer>(text, Unknown::Collect).unwrap();
        assert_eq!(unknown, ["inner.cuont"]);
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        let err =
            from_str::<Outer>("{\n  \"inner\": {\"count\": 1,}\n}", Unknown::Reject).unwrap_err();
        assert_eq!(err.line(), Some(2), "{err}");
        assert!(err.column().is_some());
    }
}
