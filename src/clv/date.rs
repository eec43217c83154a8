//! [`Date`]: a calendar day of a purchase log, and [`Period`]: the unit that
//! summaries count time in.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// 1970-01-01, day 0.
const EPOCH: jiff::civil::Date = jiff::civil::Date::constant(1970, 1, 1);

/// A calendar day (proleptic Gregorian), counted in days since 1970-01-01.
///
/// Read from `YYYY-MM-DD` (ISO 8601) or `YYYYMMDD` (CDNOW's form); written and
/// serialised as `YYYY-MM-DD`. The calendar arithmetic is jiff's.
///
/// ```
/// use social_loop::clv::Date;
/// let d: Date = "1997-09-30".parse()?;
/// assert_eq!(d, "19970930".parse()?);
/// assert_eq!(d.to_string(), "1997-09-30");
/// assert_eq!(d.days_since_epoch(), 10_134);
/// assert!("1997-02-29".parse::<Date>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date(i32);

impl Date {
    /// The day `days` after 1970-01-01 (negative before it).
    pub const fn from_days_since_epoch(days: i32) -> Self {
        Date(days)
    }

    /// Days since 1970-01-01.
    pub const fn days_since_epoch(self) -> i32 {
        self.0
    }

    /// The day of `year`, `month` (1-12) and `day` (1-31).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `date`) for a day that does not exist.
    pub fn new(year: i32, month: u32, day: u32) -> Result<Self> {
        let bad = || {
            Error::invalid(
                "date",
                format!("{year:04}-{month:02}-{day:02} is not a calendar day"),
            )
        };
        let y = i16::try_from(year).map_err(|_| bad())?;
        let m = i8::try_from(month).map_err(|_| bad())?;
        let d = i8::try_from(day).map_err(|_| bad())?;
        let date = jiff::civil::Date::new(y, m, d).map_err(|_| bad())?;
        Ok(Date((date - EPOCH).get_days()))
    }

    /// The period (day or Monday-to-Sunday week) this day falls in, as a
    /// number that grows by one per period.
    pub fn period_index(self, period: Period) -> i64 {
        match period {
            Period::Day => i64::from(self.0),
            // 1970-01-01 was a Thursday: the Monday of its week is day -3.
            Period::Week => (i64::from(self.0) + 3).div_euclid(7),
        }
    }

    fn civil(self) -> Option<jiff::civil::Date> {
        EPOCH.checked_add(jiff::Span::new().days(self.0)).ok()
    }
}

impl std::str::FromStr for Date {
    type Err = Error;

    /// `YYYY-MM-DD` or `YYYYMMDD`.
    fn from_str(text: &str) -> Result<Self> {
        let bad = || {
            let shown: String = text.chars().take(20).collect();
            Error::invalid(
                "date",
                format!("`{shown}` is not a date (YYYY-MM-DD or YYYYMMDD)"),
            )
        };
        let b = text.as_bytes();
        let number = |range: std::ops::Range<usize>| -> Option<u32> {
            let digits = b.get(range)?;
            digits.iter().try_fold(0u32, |n, &c| {
                c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
            })
        };
        let (y, m, d) = match b.len() {
            8 => (number(0..4), number(4..6), number(6..8)),
            10 if b.get(4) == Some(&b'-') && b.get(7) == Some(&b'-') => {
                (number(0..4), number(5..7), number(8..10))
            }
            _ => return Err(bad()),
        };
        match (y, m, d) {
            (Some(y), Some(m), Some(d)) => Date::new(y as i32, m, d).map_err(|_| bad()),
            _ => Err(bad()),
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.civil() {
            Some(d) => write!(f, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
            None => write!(f, "day {} since 1970-01-01", self.0),
        }
    }
}

impl TryFrom<String> for Date {
    type Error = Error;
    fn try_from(text: String) -> Result<Self> {
        text.parse()
    }
}

impl From<Date> for String {
    fn from(d: Date) -> String {
        d.to_string()
    }
}

/// The unit a summary counts time in.
///
/// Purchases within one period count as one transaction (their amounts are
/// added), and times are whole periods between the periods' starts, as
/// lifetimes' `summary_data_from_transaction_data(freq="D" | "W")` counts
/// them. A week runs Monday to Sunday (pandas' `W`, weeks ending on Sunday).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Period {
    /// Calendar days.
    Day,
    /// Monday-to-Sunday weeks (the default).
    #[default]
    Week,
}

impl Period {
    /// Both units.
    pub const ALL: [Period; 2] = [Period::Day, Period::Week];

    /// `day` or `week`.
    pub fn name(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
        }
    }

    /// Periods in a year (365.25 days, or 365.25 / 7 weeks): how an annual
    /// discount rate becomes a rate per period.
    pub fn per_year(self) -> f64 {
        match self {
            Period::Day => 365.25,
            Period::Week => 365.25 / 7.0,
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Period {
    type Err = Error;
    fn from_str(text: &str) -> Result<Self> {
        Period::ALL
            .into_iter()
            .find(|p| p.name() == text)
            .ok_or_else(|| Error::invalid("period", format!("`{text}` is not day or week")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_run_monday_to_sunday() {
        let day = |s: &str| s.parse::<Date>().unwrap();
        // 1997-01-05 was a Sunday, 1997-01-06 a Monday.
        let sunday = day("1997-01-05").period_index(Period::Week);
        assert_eq!(day("1996-12-30").period_index(Period::Week), sunday);
        assert_eq!(day("1997-01-06").period_index(Period::Week), sunday + 1);
        assert_eq!(day("1997-01-12").period_index(Period::Week), sunday + 1);
        assert_eq!(day("1969-12-29").period_index(Period::Week), 0);
        assert_eq!(day("1969-12-28").period_index(Period::Week), -1);
    }

    #[test]
    fn dates_round_trip_and_bad_ones_are_rejected() {
        for text in ["1970-01-01", "1997-01-01", "2000-02-29", "1969-07-20"] {
            let d: Date = text.parse().unwrap();
            assert_eq!(d.to_string(), text);
            assert_eq!(Date::from_days_since_epoch(d.days_since_epoch()), d);
        }
        for bad in [
            "",
            "1997-1-01",
            "19971301",
            "1997-02-30",
            "1997/01/01",
            "abcdefgh",
            "１９９７0101",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
        let json = serde_json::to_string(&Date::new(1998, 6, 30).unwrap()).unwrap();
        assert_eq!(json, "\"1998-06-30\"");
    }
}
