//! [`Timestamp`]: when an event occurred, to the millisecond, in UTC.
//!
//! # Why not a date-time crate
//!
//! The book needs one thing from time: a total order of events, and the
//! difference between two instants in days for explanations ("ticket open for
//! 21 days"). An `i64` count of milliseconds since the Unix epoch gives both,
//! in eight bytes, with no dependency. What a CRM sends is RFC 3339 text
//! (`2024-03-01T12:00:00Z`, `2024-03-01T13:00:00.250+01:00`), so this module
//! parses and prints that form with a proleptic Gregorian calendar (about a
//! hundred lines, tested against known instants), and also accepts the integer
//! milliseconds that some systems send instead.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};

const MILLIS_PER_SECOND: i64 = 1_000;
const MILLIS_PER_DAY: i64 = 86_400_000;

/// An instant in UTC with millisecond precision: milliseconds since
/// 1970-01-01T00:00:00Z, between year 0000 and year 9999.
///
/// * In JSON it is written as RFC 3339 text in UTC (`"2024-03-01T12:00:00Z"`,
///   with `.mmm` only when the milliseconds are not zero) and read from RFC 3339
///   text with any offset (`Z` or `±HH:MM`; `T`, `t` or a space between date
///   and time) or from an integer number of milliseconds since the epoch.
/// * Digits finer than a millisecond are accepted and truncated: two events
///   in the same millisecond are ordered by their event id.
/// * Leap seconds (`:60`) are rejected.
///
/// ```
/// use social_loop::crm::Timestamp;
/// let t: Timestamp = "2024-03-01T13:00:00.250+01:00".parse()?;
/// assert_eq!(t.to_string(), "2024-03-01T12:00:00.250Z");
/// assert_eq!(t.unix_millis(), 1_709_294_400_250);
/// assert_eq!(Timestamp::from_unix_millis(0)?.to_string(), "1970-01-01T00:00:00Z");
/// assert!("2023-02-29T00:00:00Z".parse::<Timestamp>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Timestamp(i64);

/// 0000-01-01T00:00:00Z.
const MIN_MILLIS: i64 = -62_167_219_200_000;
/// 9999-12-31T23:59:59.999Z.
const MAX_MILLIS: i64 = 253_402_300_799_999;

impl Timestamp {
    /// The earliest representable instant, 0000-01-01T00:00:00Z.
    pub const MIN: Timestamp = Timestamp(MIN_MILLIS);
    /// The latest representable instant, 9999-12-31T23:59:59.999Z.
    pub const MAX: Timestamp = Timestamp(MAX_MILLIS);
    /// The Unix epoch, 1970-01-01T00:00:00Z.
    pub const EPOCH: Timestamp = Timestamp(0);

    /// The instant `millis` milliseconds after the Unix epoch.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `at`) outside years 0000 to 9999.
    pub fn from_unix_millis(millis: i64) -> Result<Self> {
        if (MIN_MILLIS..=MAX_MILLIS).contains(&millis) {
            Ok(Timestamp(millis))
        } else {
            Err(Error::invalid(
                "at",
                format!("{millis} ms since the epoch is outside years 0000 to 9999"),
            ))
        }
    }

    /// The instant `millis` milliseconds after the epoch, clamped to
    /// [`Timestamp::MIN`]..=[`Timestamp::MAX`] (for constants).
    pub(crate) const fn from_unix_millis_const(millis: i64) -> Self {
        if millis < MIN_MILLIS {
            Timestamp(MIN_MILLIS)
        } else if millis > MAX_MILLIS {
            Timestamp(MAX_MILLIS)
        } else {
            Timestamp(millis)
        }
    }

    /// The wall clock now (saturating at [`Timestamp::MIN`] and
    /// [`Timestamp::MAX`] on a clock set absurdly).
    pub fn now() -> Self {
        Timestamp::try_from(SystemTime::now()).unwrap_or_else(|_| {
            match SystemTime::now().duration_since(UNIX_EPOCH) {
                Ok(_) => Timestamp::MAX,
                Err(_) => Timestamp::MIN,
            }
        })
    }

    /// Milliseconds since the Unix epoch.
    pub fn unix_millis(self) -> i64 {
        self.0
    }

    /// This instant plus `days` whole days, saturating at [`Timestamp::MIN`]
    /// and [`Timestamp::MAX`].
    #[must_use]
    pub fn plus_days(self, days: i64) -> Self {
        Timestamp(
            self.0
                .saturating_add(days.saturating_mul(MILLIS_PER_DAY))
                .clamp(MIN_MILLIS, MAX_MILLIS),
        )
    }

    /// Whole days from `earlier` to `self` (rounded down; negative when
    /// `earlier` is later).
    pub fn days_since(self, earlier: Timestamp) -> i64 {
        (self.0 - earlier.0).div_euclid(MILLIS_PER_DAY)
    }

    /// Parses RFC 3339 text (see the type's documentation).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `at`) saying what is wrong: the
    /// layout, a field out of range (month 13, 30 February, hour 24, offset
    /// beyond 23:59) or an instant outside years 0000 to 9999.
    pub fn parse_rfc3339(text: &str) -> Result<Self> {
        let bad = |why: &str| Error::invalid("at", format!("`{}`: {why}", clip(text)));
        let b = text.as_bytes();
        if b.len() < 20 {
            return Err(bad("too short for RFC 3339 (YYYY-MM-DDTHH:MM:SSZ)"));
        }
        let year = digits(b, 0, 4).ok_or_else(|| bad("year must be four digits"))?;
        let month = field(b, 4, b'-', 5).ok_or_else(|| bad("expected -MM after the year"))?;
        let day = field(b, 7, b'-', 8).ok_or_else(|| bad("expected -DD after the month"))?;
        if !matches!(b.get(10), Some(b'T' | b't' | b' ')) {
            return Err(bad("expected `T` between date and time"));
        }
        let hour = digits(b, 11, 2).ok_or_else(|| bad("hour must be two digits"))?;
        let minute = field(b, 13, b':', 14).ok_or_else(|| bad("expected :MM after the hour"))?;
        let second = field(b, 16, b':', 17).ok_or_else(|| bad("expected :SS after the minutes"))?;
        let mut pos = 19;
        let mut millis = 0i64;
        if b.get(pos) == Some(&b'.') {
            pos += 1;
            let start = pos;
            while b.get(pos).is_some_and(u8::is_ascii_digit) {
                if pos - start < 3 {
                    millis = millis * 10 + i64::from(b.get(pos).copied().unwrap_or(b'0') - b'0');
                }
                pos += 1;
            }
            match pos - start {
                0 => return Err(bad("expected digits after the decimal point")),
                1 => millis *= 100,
                2 => millis *= 10,
                _ => {}
            }
        }
        let offset_minutes = match b.get(pos..) {
            Some(b"Z" | b"z") => 0,
            Some([sign @ (b'+' | b'-'), rest @ ..]) if rest.len() == 5 => {
                let oh =
                    digits(rest, 0, 2).ok_or_else(|| bad("offset hours must be two digits"))?;
                let om = field(rest, 2, b':', 3).ok_or_else(|| bad("offset must be ±HH:MM"))?;
                if oh > 23 || om > 59 {
                    return Err(bad("offset out of range"));
                }
                let minutes = oh * 60 + om;
                if *sign == b'-' { -minutes } else { minutes }
            }
            _ => return Err(bad("expected `Z` or an offset ±HH:MM at the end")),
        };
        if !(1..=12).contains(&month) {
            return Err(bad("month out of range"));
        }
        if day < 1 || day > days_in_month(year, month) {
            return Err(bad("day out of range for the month"));
        }
        if hour > 23 || minute > 59 {
            return Err(bad("time out of range"));
        }
        if second > 59 {
            return Err(bad("second out of range (leap seconds are not supported)"));
        }
        let days = days_from_civil(year, month, day);
        let local = days * MILLIS_PER_DAY
            + ((hour * 60 + minute) * 60 + second) * MILLIS_PER_SECOND
            + millis;
        let utc = local - offset_minutes * 60 * MILLIS_PER_SECOND;
        Timestamp::from_unix_millis(utc).map_err(|_| bad("outside years 0000 to 9999 in UTC"))
    }
}

/// At most 40 characters of `text`, for error messages.
fn clip(text: &str) -> String {
    let mut end = text.len().min(40);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = text.get(..end).unwrap_or("");
    if end < text.len() {
        format!("{head}...")
    } else {
        head.to_string()
    }
}

/// `len` ASCII digits of `b` starting at `at`, as a number.
fn digits(b: &[u8], at: usize, len: usize) -> Option<i64> {
    let s = b.get(at..at + len)?;
    s.iter().try_fold(0i64, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0'))
    })
}

/// The separator `sep` at `at` followed by two digits at `num`.
fn field(b: &[u8], at: usize, sep: u8, num: usize) -> Option<i64> {
    (b.get(at) == Some(&sep)).then_some(())?;
    digits(b, num, 2)
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to the given civil date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date `(year, month, day)` of a day number since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.0.div_euclid(MILLIS_PER_DAY);
        let in_day = self.0.rem_euclid(MILLIS_PER_DAY);
        let (year, month, day) = civil_from_days(days);
        let (secs, millis) = (in_day / MILLIS_PER_SECOND, in_day % MILLIS_PER_SECOND);
        let (h, m, s) = (secs / 3_600, secs / 60 % 60, secs % 60);
        write!(f, "{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}")?;
        if millis != 0 {
            write!(f, ".{millis:03}")?;
        }
        f.write_str("Z")
    }
}

/// A [`SystemTime`] to the millisecond (finer digits truncated toward the
/// past, as in RFC 3339 text).
///
/// ```
/// use std::time::{Duration, SystemTime, UNIX_EPOCH};
/// use social_loop::crm::Timestamp;
/// let t = Timestamp::try_from(UNIX_EPOCH + Duration::from_millis(1_709_294_400_250))?;
/// assert_eq!(t.to_string(), "2024-03-01T12:00:00.250Z");
/// assert_eq!(SystemTime::from(t), UNIX_EPOCH + Duration::from_millis(1_709_294_400_250));
/// assert!(Timestamp::try_from(UNIX_EPOCH + Duration::from_secs(400_000_000_000)).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl TryFrom<SystemTime> for Timestamp {
    type Error = Error;

    /// # Errors
    /// [`Error::InvalidParameter`] (field `at`) outside years 0000 to 9999.
    fn try_from(time: SystemTime) -> Result<Self> {
        let out_of_range = || Error::invalid("at", "the system time is outside years 0000 to 9999");
        let millis = match time.duration_since(UNIX_EPOCH) {
            Ok(after) => i64::try_from(after.as_millis()).map_err(|_| out_of_range())?,
            Err(before) => {
                let d = before.duration();
                // Toward the past: 1.5 ms before the epoch is -2 ms.
                let whole = i64::try_from(d.as_millis()).map_err(|_| out_of_range())?;
                let partial = i64::from(d.subsec_nanos() % 1_000_000 != 0);
                -whole - partial
            }
        };
        Timestamp::from_unix_millis(millis).map_err(|_| out_of_range())
    }
}

/// Every timestamp is a system time.
impl From<Timestamp> for SystemTime {
    fn from(t: Timestamp) -> SystemTime {
        let magnitude = Duration::from_millis(t.0.unsigned_abs());
        if t.0 >= 0 {
            UNIX_EPOCH + magnitude
        } else {
            UNIX_EPOCH - magnitude
        }
    }
}

impl std::str::FromStr for Timestamp {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Timestamp::parse_rfc3339(s)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct TimestampVisitor;
        impl Visitor<'_> for TimestampVisitor {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 timestamp or integer milliseconds since the Unix epoch")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Timestamp, E> {
                Timestamp::parse_rfc3339(v).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Timestamp, E> {
                Timestamp::from_unix_millis(v).map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Timestamp, E> {
                let v = i64::try_from(v).unwrap_or(i64::MAX);
                Timestamp::from_unix_millis(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(TimestampVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn known_instants() {
        assert_eq!(ts("1970-01-01T00:00:00Z").unix_millis(), 0);
        assert_eq!(ts("2000-03-01T00:00:00Z").unix_millis(), 951_868_800_000);
        assert_eq!(
            ts("2024-02-29T23:59:59.999Z").unix_millis(),
            1_709_251_199_999
        );
        assert_eq!(ts("1969-12-31T23:59:59Z").unix_millis(), -1_000);
        assert_eq!(ts("0000-01-01T00:00:00Z"), Timestamp::MIN);
        assert_eq!(ts("9999-12-31T23:59:59.999Z"), Timestamp::MAX);
        assert_eq!(ts("2024-03-01 07:30:00-04:30"), ts("2024-03-01T12:00:00Z"));
        assert_eq!(ts("2024-03-01t12:00:00.1234567z").unix_millis() % 1000, 123);
        assert_eq!(ts("2024-03-01T12:00:00.5Z").unix_millis() % 1000, 500);
    }

    #[test]
    fn display_round_trips_every_day_of_four_centuries_sampled() {
        let mut day = -719_528; // 0000-01-01
        while day < 2_932_896 {
            let t = Timestamp(day * MILLIS_PER_DAY + 45_296_789);
            assert_eq!(ts(&t.to_string()), t, "day {day}");
            day += 97;
        }
        assert_eq!(Timestamp::MAX.to_string(), "9999-12-31T23:59:59.999Z");
        assert_eq!(Timestamp::MIN.to_string(), "0000-01-01T00:00:00Z");
    }

    #[test]
    fn bad_text_is_rejected_with_the_field() {
        for bad in [
            "",
            "2024-03-01",
            "2024-13-01T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2024-04-31T00:00:00Z",
            "2024-03-01T24:00:00Z",
            "2024-03-01T23:60:00Z",
            "2024-03-01T23:59:60Z",
            "2024-03-01T00:00:00",
            "2024-03-01T00:00:00+2400",
            "2024-03-01T00:00:00+24:00",
            "2024-03-01T00:00:00.Z",
            "2024-03-01T00:00:00Zjunk",
            "0000-01-01T00:00:00+00:01",
            "+024-03-01T00:00:00Z",
            "２０２４-03-01T00:00:00Z",
        ] {
            let err = Timestamp::parse_rfc3339(bad).unwrap_err();
            assert!(
                matches!(err, Error::InvalidParameter { ref field, .. } if field == "at"),
                "{bad}: {err}"
            );
        }
        assert!(Timestamp::from_unix_millis(MAX_MILLIS + 1).is_err());
    }

    #[test]
    fn serde_reads_text_and_integers() {
        let t: Timestamp = serde_json::from_str("\"2024-03-01T12:00:00Z\"").unwrap();
        let n: Timestamp = serde_json::from_str("1709294400000").unwrap();
        assert_eq!(t, n);
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            "\"2024-03-01T12:00:00Z\""
        );
        assert!(serde_json::from_str::<Timestamp>("1e3").is_err());
        assert!(serde_json::from_str::<Timestamp>("18446744073709551615").is_err());
    }

    #[test]
    fn system_times_convert_both_ways() {
        for millis in [0, 1, -1, 1_709_294_400_250, MIN_MILLIS, MAX_MILLIS] {
            let t = Timestamp(millis);
            assert_eq!(Timestamp::try_from(SystemTime::from(t)).unwrap(), t);
        }
        let just_before = UNIX_EPOCH - Duration::from_micros(1_500);
        assert_eq!(Timestamp::try_from(just_before).unwrap().unix_millis(), -2);
        let far = UNIX_EPOCH + Duration::from_millis(MAX_MILLIS as u64 + 1);
        assert_eq!(Timestamp::try_from(far).unwrap_err().field(), Some("at"));
        assert!(Timestamp::now() > Timestamp::from_unix_millis(1_700_000_000_000).unwrap());
    }

    #[test]
    fn day_arithmetic() {
        let a = ts("2024-03-01T12:00:00Z");
        assert_eq!(a.plus_days(21).days_since(a), 21);
        assert_eq!(a.days_since(a.plus_days(1)), -1);
        assert_eq!(Timestamp::MAX.plus_days(5), Timestamp::MAX);
    }
}
