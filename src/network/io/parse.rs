//! Parsing one data line of an edge list. Errors are the reason text; the caller
//! adds the line number.

use super::EdgeFormat;
use crate::network::Tie;
use crate::probability::Probability;

/// One parsed line: ids borrowed from the line buffer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct ParsedArc<'a> {
    pub(super) from: &'a str,
    pub(super) to: &'a str,
    pub(super) tie: Tie,
}

/// The largest rating magnitude of the signed CSV format.
const MAX_RATING: f64 = 10.0;

/// Decides the format of a file from its first data line (trimmed, not a comment).
pub(super) fn detect(text: &str) -> Result<EdgeFormat, String> {
    if text.contains(',') {
        return Ok(EdgeFormat::SignedCsv);
    }
    match text.split_ascii_whitespace().count() {
        2 => Ok(EdgeFormat::Snap),
        3 => Ok(EdgeFormat::Weighted),
        n => Err(format!(
            "cannot detect the edge-list format: {n} column(s) without commas \
             (expected `u v` or `u v p`, or `src,dst,rating,time`)"
        )),
    }
}

/// Column names that, two together on the first data line, make it a header
/// (compared in lower case without punctuation).
const COLUMN_NAMES: [&str; 38] = [
    "source",
    "target",
    "src",
    "dst",
    "dest",
    "destination",
    "from",
    "to",
    "fromnode",
    "tonode",
    "fromnodeid",
    "tonodeid",
    "fromid",
    "toid",
    "node",
    "node1",
    "node2",
    "nodea",
    "nodeb",
    "nodeid",
    "id1",
    "id2",
    "head",
    "tail",
    "follower",
    "followee",
    "followed",
    "truster",
    "trustee",
    "trusted",
    "voter",
    "candidate",
    "rater",
    "ratee",
    "user",
    "user1",
    "user2",
    "userid",
];

/// Whether the first data line (trimmed, not a comment) looks like a header:
/// no field is a number, and either there are three or more fields (a weight,
/// rating or time column is never a word) or both of two fields are usual
/// column names.
pub(super) fn looks_like_header(text: &str) -> bool {
    let fields: Vec<&str> = if text.contains(',') {
        text.split(',').map(str::trim).collect()
    } else {
        text.split_ascii_whitespace().collect()
    };
    if fields.iter().any(|f| f.parse::<f64>().is_ok()) {
        return false;
    }
    let column_name = |field: &str| {
        let name: String = field
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        COLUMN_NAMES.contains(&name.as_str())
    };
    match fields.len() {
        0 | 1 => false,
        2 => fields.iter().all(|f| column_name(f)),
        _ => true,
    }
}

/// Parses one trimmed, non-comment line in a known format (`Auto` is resolved
/// first). A snap tie gets probability 1 as a placeholder: the reader refuses
/// a snap file without a weight scheme, which replaces it.
pub(super) fn parse_line(format: EdgeFormat, text: &str) -> Result<ParsedArc<'_>, String> {
    match format {
        EdgeFormat::Auto => parse_line(detect(text)?, text),
        EdgeFormat::Snap => {
            let [from, to] = columns::<2>(text.split_ascii_whitespace(), "`u v` (snap)")?;
            Ok(ParsedArc {
                from,
                to,
                tie: Tie::positive(Probability::ONE),
            })
        }
        EdgeFormat::Weighted => {
            let [from, to, p] = columns::<3>(text.split_ascii_whitespace(), "`u v p` (weighted)")?;
            let value = number(p, "probability")?;
            let probability = Probability::new(value)
                .map_err(|_| format!("probability `{p}` is not a number in [0, 1]"))?;
            Ok(ParsedArc {
                from,
                to,
                tie: Tie::positive(probability),
            })
        }
        EdgeFormat::SignedCsv => signed_csv(text),
    }
}

fn signed_csv(text: &str) -> Result<ParsedArc<'_>, String> {
    let mut fields = text.split(',').map(str::trim);
    let expected = "`src,dst,rating[,time]` (signed-csv)";
    let (Some(from), Some(to), Some(rating)) = (fields.next(), fields.next(), fields.next()) else {
        return Err(format!(
            "expected 3 or 4 comma-separated columns {expected}, found {}",
            text.split(',').count()
        ));
    };
    if let Some(time) = fields.next() {
        number(time, "time")?;
    }
    if fields.next().is_some() {
        return Err(format!(
            "expected 3 or 4 comma-separated columns {expected}, found {}",
            text.split(',').count()
        ));
    }
    for (id, name) in [(from, "src"), (to, "dst")] {
        if id.is_empty() {
            return Err(format!("empty {name} id"));
        }
    }
    let value = number(rating, "rating")?;
    if value == 0.0 || value.abs() > MAX_RATING {
        return Err(format!(
            "rating `{rating}` must be non-zero and within [-10, 10]"
        ));
    }
    let tie = Tie::from_signed_weight(value / MAX_RATING, "rating")
        .map_err(|_| format!("rating `{rating}` must be non-zero and within [-10, 10]"))?;
    Ok(ParsedArc { from, to, tie })
}

/// Exactly `N` columns from `fields`, or a reason naming the expected layout.
fn columns<'a, const N: usize>(
    mut fields: impl Iterator<Item = &'a str>,
    layout: &str,
) -> Result<[&'a str; N], String> {
    let mut out = [""; N];
    let mut found = 0;
    for slot in out.iter_mut() {
        match fields.next() {
            Some(field) => {
                *slot = field;
                found += 1;
            }
            None => break,
        }
    }
    let extra = fields.count();
    if found < N || extra > 0 {
        return Err(format!(
            "expected {N} columns {layout}, found {}",
            found + extra
        ));
    }
    Ok(out)
}

/// A finite number, or a reason naming the column.
fn number(field: &str, column: &str) -> Result<f64, String> {
    match field.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) if column == "probability" => {
            Err(format!("probability `{field}` is not a number in [0, 1]"))
        }
        _ => Err(format!("{column} `{field}` is not a finite number")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::TieSign;

    #[test]
    fn detection_follows_commas_then_column_count() {
        assert_eq!(detect("1,2,3,4"), Ok(EdgeFormat::SignedCsv));
        assert_eq!(detect("1\t2"), Ok(EdgeFormat::Snap));
        assert_eq!(detect("1 2  0.5"), Ok(EdgeFormat::Weighted));
        assert!(detect("1 2 3 4").unwrap_err().contains("4 column"));
    }

    #[test]
    fn signed_csv_maps_rating_to_sign_and_probability() {
        let arc = parse_line(EdgeFormat::SignedCsv, "7, 9, -3").unwrap();
        assert_eq!((arc.from, arc.to), ("7", "9"));
        assert_eq!(arc.tie.sign, TieSign::Negative);
        assert!((arc.tie.probability.get() - 0.3).abs() < 1e-12);
        let arc = parse_line(EdgeFormat::SignedCsv, "1,2,10,1296629343.62073").unwrap();
        assert_eq!(
            (arc.tie.sign, arc.tie.probability.get()),
            (TieSign::Positive, 1.0)
        );
        assert!(
            parse_line(EdgeFormat::SignedCsv, "1,2,5,soon")
                .unwrap_err()
                .contains("time")
        );
        assert!(
            parse_line(EdgeFormat::SignedCsv, ",2,5")
                .unwrap_err()
                .contains("src")
        );
    }

    #[test]
    fn headers_are_words_where_numbers_or_column_names_belong() {
        for header in [
            "source\ttarget",
            "FromNodeId ToNodeId",
            "from_id,to_id",
            "Source,Target,Rating,Time",
            "src dst weight",
            "a b weight",
            "\"source\",\"target\"",
        ] {
            assert!(looks_like_header(header), "{header}");
        }
        for data in [
            "1 2",
            "ann bob",
            "a b 0.5",
            "source 7",
            "u v",
            "1,2,-3,1296629343",
            "x",
        ] {
            assert!(!looks_like_header(data), "{data}");
        }
    }

    #[test]
    fn probability_infinity_is_reported_as_a_probability() {
        let err = parse_line(EdgeFormat::Weighted, "1 2 inf").unwrap_err();
        assert!(err.contains("not a number in [0, 1]"), "{err}");
    }
}
