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

/// Parses one trimmed, non-comment line in a known format (`Auto` is resolved first).
pub(super) fn parse_line(
    format: EdgeFormat,
    text: &str,
    default_probability: Probability,
) -> Result<ParsedArc<'_>, String> {
    match format {
        EdgeFormat::Auto => parse_line(detect(text)?, text, default_probability),
        EdgeFormat::Snap => {
            let [from, to] = columns::<2>(text.split_ascii_whitespace(), "`u v` (snap)")?;
            Ok(ParsedArc {
                from,
                to,
                tie: Tie::positive(default_probability),
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

    const ONE: Probability = Probability::ONE;

    #[test]
    fn detection_follows_commas_then_column_count() {
        assert_eq!(detect("1,2,3,4"), Ok(EdgeFormat::SignedCsv));
        assert_eq!(detect("1\t2"), Ok(EdgeFormat::Snap));
        assert_eq!(detect("1 2  0.5"), Ok(EdgeFormat::Weighted));
        assert!(detect("1 2 3 4").unwrap_err().contains("4 column"));
    }

    #[test]
    fn signed_csv_maps_rating_to_sign_and_probability() {
        let arc = parse_line(EdgeFormat::SignedCsv, "7, 9, -3", ONE).unwrap();
        assert_eq!((arc.from, arc.to), ("7", "9"));
        assert_eq!(arc.tie.sign, TieSign::Negative);
        assert!((arc.tie.probability.get() - 0.3).abs() < 1e-12);
        let arc = parse_line(EdgeFormat::SignedCsv, "1,2,10,1296629343.62073", ONE).unwrap();
        assert_eq!(
            (arc.tie.sign, arc.tie.probability.get()),
            (TieSign::Positive, 1.0)
        );
        assert!(
            parse_line(EdgeFormat::SignedCsv, "1,2,5,soon", ONE)
                .unwrap_err()
                .contains("time")
        );
        assert!(
            parse_line(EdgeFormat::SignedCsv, ",2,5", ONE)
                .unwrap_err()
                .contains("src")
        );
    }

    #[test]
    fn probability_infinity_is_reported_as_a_probability() {
        let err = parse_line(EdgeFormat::Weighted, "1 2 inf", ONE).unwrap_err();
        assert!(err.contains("not a number in [0, 1]"), "{err}");
    }
}
