//! [`Moments`]: exact, mergeable running sums of one metric over runs, and the
//! [`MetricSummary`] (mean, standard deviation, 95% confidence interval) read from
//! them. See [`Moments`] for what makes merging exact.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Fixed-point resolution of observations: one millionth.
pub const SCALE: i128 = 1_000_000;

const SCALE_DIGITS: u32 = 6;

/// One observation in fixed point (millionths of the metric's unit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Fixed(pub(crate) i128);

impl Fixed {
    /// A count, exactly.
    pub(crate) fn from_count(count: u64) -> Fixed {
        Fixed(i128::from(count) * SCALE)
    }

    /// A decimal, exactly when it has at most six decimals (else rounded half
    /// to even at the sixth).
    pub(crate) fn from_decimal(value: Decimal, what: &str) -> Result<Fixed> {
        let rounded = value.round_dp(SCALE_DIGITS);
        let up = 10i128.checked_pow(SCALE_DIGITS.saturating_sub(rounded.scale()));
        up.and_then(|p| rounded.mantissa().checked_mul(p))
            .map(Fixed)
            .ok_or_else(|| Error::overflow(format!("{what} in millionths")))
    }

    /// A finite float, rounded to the nearest millionth.
    pub(crate) fn from_f64(value: f64, what: impl Into<crate::error::FieldPath>) -> Result<Fixed> {
        let scaled = (value * SCALE as f64).round();
        if !scaled.is_finite() || scaled.abs() >= 1.0e36 {
            return Err(Error::invalid(
                what,
                format!("{value} cannot be summarised (not a finite number of millionths)"),
            ));
        }
        Ok(Fixed(scaled as i128))
    }

    fn to_f64(self) -> f64 {
        self.0 as f64 / SCALE as f64
    }
}

/// Exact running sums of one metric: how many runs gave a value, how many did
/// not (an NPS with nobody to ask), and the count, sum, sum of squares,
/// minimum and maximum of the values in millionths.
///
/// # What "exactly" means
///
/// Each observation is first rounded once to a fixed-point integer of
/// millionths ([`SCALE`]): counts and money with at most six decimals are
/// kept exactly, other numbers (an NPS, a ratio) lose what lies beyond the
/// sixth decimal. From then on everything is integer arithmetic: the count,
/// the sum (`i128`), the sum of squares (`u128`), the minimum and the maximum.
/// Integer addition is associative and commutative, so merging partial sums
/// in any grouping and any order (two halves of the runs, a thousand batch
/// jobs, rayon's work stealing) gives bit for bit the same `Moments` as
/// accumulating every run in one go; and since the [`MetricSummary`] is a function
/// of the `Moments` alone, the same table.
///
/// Welford's update and Chan's pairwise merge, the usual streaming moments,
/// are *not* used: in floating point they are not associative, so a split run
/// would differ from a whole one in the last bits. Exact power sums do not
/// suffer the cancellation that makes naive floating-point sums of squares
/// unstable either, because the variance's numerator `n·S2 − S1²` is computed
/// in exact integers (falling back to floating point only if it does not fit
/// in 128 bits).
///
/// Sums that do not fit are refused ([`Error::Overflow`]), never wrapped: with
/// values up to 10^9 (in the metric's units), about 10^8 runs fit in a cell.
///
/// In JSON the 128-bit sums are decimal strings (JavaScript numbers would
/// round them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(into = "MomentsRecord", try_from = "MomentsRecord")]
pub struct Moments {
    count: u64,
    missing: u64,
    sum: i128,
    sum_sq: u128,
    min: i128,
    max: i128,
}

#[derive(Serialize, Deserialize)]
struct MomentsRecord {
    count: u64,
    missing: u64,
    sum: String,
    sum_sq: String,
    min: String,
    max: String,
}

impl From<Moments> for MomentsRecord {
    fn from(m: Moments) -> Self {
        MomentsRecord {
            count: m.count,
            missing: m.missing,
            sum: m.sum.to_string(),
            sum_sq: m.sum_sq.to_string(),
            min: m.min.to_string(),
            max: m.max.to_string(),
        }
    }
}

impl TryFrom<MomentsRecord> for Moments {
    type Error = Error;
    fn try_from(r: MomentsRecord) -> Result<Self> {
        let int = |field: &str, text: &str| {
            text.parse::<i128>()
                .map_err(|e| Error::invalid(format!("moments.{field}"), e.to_string()))
        };
        let sum_sq = r
            .sum_sq
            .parse::<u128>()
            .map_err(|e| Error::invalid("moments.sum_sq", e.to_string()))?;
        let m = Moments {
            count: r.count,
            missing: r.missing,
            sum: int("sum", &r.sum)?,
            sum_sq,
            min: int("min", &r.min)?,
            max: int("max", &r.max)?,
        };
        if m.count == 0 && (m.sum != 0 || m.sum_sq != 0) {
            return Err(Error::invalid("moments", "sums without a count"));
        }
        if m.count > 0 && m.min > m.max {
            return Err(Error::invalid("moments", "min is above max"));
        }
        Ok(m)
    }
}

impl Moments {
    /// Adds one run's observation (`None`: the metric was undefined in that run).
    pub(crate) fn add(&mut self, value: Option<Fixed>, what: &str) -> Result<()> {
        let Some(Fixed(x)) = value else {
            self.missing = self.missing.saturating_add(1);
            return Ok(());
        };
        let square = x.unsigned_abs().checked_mul(x.unsigned_abs());
        let one = Moments {
            count: 1,
            missing: 0,
            sum: x,
            sum_sq: square.ok_or_else(|| Error::overflow(format!("square of {what}")))?,
            min: x,
            max: x,
        };
        self.merge(&one, what)
    }

    /// Adds the runs of `other`: exact, associative and commutative.
    ///
    /// # Errors
    /// [`Error::Overflow`] (naming `what`) when a sum does not fit; `self` is
    /// then unchanged.
    pub fn merge(&mut self, other: &Moments, what: &str) -> Result<()> {
        let overflow = || Error::overflow(format!("sums of {what}"));
        let merged = Moments {
            count: self.count.checked_add(other.count).ok_or_else(overflow)?,
            missing: self
                .missing
                .checked_add(other.missing)
                .ok_or_else(overflow)?,
            sum: self.sum.checked_add(other.sum).ok_or_else(overflow)?,
            sum_sq: self.sum_sq.checked_add(other.sum_sq).ok_or_else(overflow)?,
            min: match (self.count, other.count) {
                (0, _) => other.min,
                (_, 0) => self.min,
                _ => self.min.min(other.min),
            },
            max: match (self.count, other.count) {
                (0, _) => other.max,
                (_, 0) => self.max,
                _ => self.max.max(other.max),
            },
        };
        *self = merged;
        Ok(())
    }

    /// Runs that gave a value.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Runs in which the metric was undefined.
    pub fn missing(&self) -> u64 {
        self.missing
    }

    /// The mean, standard deviation and 95% confidence interval.
    pub fn summary(&self) -> MetricSummary {
        let n = self.count;
        if n == 0 {
            return MetricSummary {
                n,
                missing: self.missing,
                mean: None,
                std_dev: None,
                std_err: None,
                ci95: None,
                min: None,
                max: None,
            };
        }
        let nf = n as f64;
        let mean = self.sum as f64 / nf / SCALE as f64;
        let spread = (n >= 2).then(|| {
            let variance = self.variance_scaled() / (SCALE as f64 * SCALE as f64);
            let std_dev = variance.sqrt();
            let std_err = std_dev / nf.sqrt();
            let half = t_975(n - 1) * std_err;
            (std_dev, std_err, [mean - half, mean + half])
        });
        MetricSummary {
            n,
            missing: self.missing,
            mean: Some(mean),
            std_dev: spread.map(|s| s.0),
            std_err: spread.map(|s| s.1),
            ci95: spread.map(|s| s.2),
            min: Some(Fixed(self.min).to_f64()),
            max: Some(Fixed(self.max).to_f64()),
        }
    }

    /// The sample variance (divisor `n - 1`) in millionths squared, from
    /// `(n·S2 − S1²) / (n(n−1))` computed exactly when it fits.
    fn variance_scaled(&self) -> f64 {
        let n = self.count;
        let nf = n as f64;
        let exact = u128::from(n)
            .checked_mul(self.sum_sq)
            .zip(self.sum.unsigned_abs().checked_mul(self.sum.unsigned_abs()))
            .map(|(a, b)| a.saturating_sub(b) as f64 / (nf * (nf - 1.0)));
        exact.unwrap_or_else(|| {
            let mean = self.sum as f64 / nf;
            ((self.sum_sq as f64 - self.sum as f64 * mean) / (nf - 1.0)).max(0.0)
        })
    }
}

/// A metric's statistics in one cell of a sweep: runs, mean, spread, a 95%
/// interval from Student's t, and the extremes.
///
/// Not to be confused with [`propagation::Summary`](crate::propagation::Summary),
/// the mean of a Monte Carlo estimate over thousands of runs with its
/// normal-approximation interval: a sweep's cells often hold a handful of
/// runs, so their interval uses Student's t, and a metric may be undefined in
/// some runs (`missing`) or in all of them (`None` statistics).
///
/// `ci95` is `mean ± t · std_err` with Student's t quantile at 97.5% for
/// `n - 1` degrees of freedom (exact to 1e-9 up to 30 degrees of freedom, a
/// Cornish-Fisher expansion good to 1e-7 beyond): the interval for the mean of
/// normal outcomes, and a fair one for means of a few runs otherwise.
/// Statistics that need more runs than there are are `None` (the mean needs
/// one run, the spread two).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MetricSummary {
    /// Runs that gave a value.
    pub n: u64,
    /// Runs in which the metric was undefined.
    pub missing: u64,
    /// The mean.
    pub mean: Option<f64>,
    /// The sample standard deviation (divisor `n - 1`).
    pub std_dev: Option<f64>,
    /// The standard error of the mean.
    pub std_err: Option<f64>,
    /// The 95% confidence interval of the mean, `[low, high]`.
    pub ci95: Option<[f64; 2]>,
    /// The smallest value.
    pub min: Option<f64>,
    /// The largest value.
    pub max: Option<f64>,
}

/// Student's t quantile at 0.975 for `df` degrees of freedom (`df >= 1`).
pub(crate) fn t_975(df: u64) -> f64 {
    // Checked against a numerical inversion of the t distribution to 1e-9.
    const TABLE: [f64; 30] = [
        12.706_204_736,
        4.302_652_730,
        3.182_446_305,
        2.776_445_105,
        2.570_581_836,
        2.446_911_851,
        2.364_624_252,
        2.306_004_135,
        2.262_157_163,
        2.228_138_852,
        2.200_985_160,
        2.178_812_830,
        2.160_368_656,
        2.144_786_688,
        2.131_449_546,
        2.119_905_299,
        2.109_815_578,
        2.100_922_040,
        2.093_024_054,
        2.085_963_447,
        2.079_613_845,
        2.073_873_068,
        2.068_657_610,
        2.063_898_562,
        2.059_538_553,
        2.055_529_439,
        2.051_830_516,
        2.048_407_142,
        2.045_229_642,
        2.042_272_456,
    ];
    if let Some(&t) = usize::try_from(df)
        .ok()
        .and_then(|d| d.checked_sub(1))
        .and_then(|i| TABLE.get(i))
    {
        return t;
    }
    // Cornish-Fisher expansion of t around the normal quantile.
    let z = crate::propagation::Z_95;
    let n = df as f64;
    let (z3, z5, z7, z9) = (z.powi(3), z.powi(5), z.powi(7), z.powi(9));
    let g1 = (z3 + z) / 4.0;
    let g2 = (5.0 * z5 + 16.0 * z3 + 3.0 * z) / 96.0;
    let g3 = (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / 384.0;
    let g4 = (79.0 * z9 + 776.0 * z7 + 1482.0 * z5 - 1920.0 * z3 - 945.0 * z) / 92_160.0;
    z + g1 / n + g2 / (n * n) + g3 / (n * n * n) + g4 / (n * n * n * n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moments(values: &[f64]) -> Moments {
        let mut m = Moments::default();
        for &v in values {
            m.add(Some(Fixed::from_f64(v, "x").unwrap()), "x").unwrap();
        }
        m
    }

    #[test]
    fn summary_matches_textbook_values() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sample variance 32/7.
        let s = moments(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]).summary();
        assert_eq!(s.n, 8);
        assert_eq!(s.mean, Some(5.0));
        let sd = (32.0f64 / 7.0).sqrt();
        assert!((s.std_dev.unwrap() - sd).abs() < 1e-12);
        let half = 2.364_624_252 * sd / 8f64.sqrt();
        let [lo, hi] = s.ci95.unwrap();
        assert!((lo - (5.0 - half)).abs() < 1e-12 && (hi - (5.0 + half)).abs() < 1e-12);
        assert_eq!((s.min, s.max), (Some(2.0), Some(9.0)));
    }

    #[test]
    fn merge_is_exact_in_any_grouping_and_order() {
        let xs: Vec<f64> = (0..101)
            .map(|i| (i as f64 * 0.37).sin() * 1e5 + 0.123456)
            .collect();
        let whole = moments(&xs);
        let mut a = moments(&xs[..40]);
        let b = moments(&xs[40..77]);
        let c = moments(&xs[77..]);
        let mut cb = c;
        cb.merge(&b, "x").unwrap();
        a.merge(&cb, "x").unwrap();
        assert_eq!(a, whole);
        assert_eq!(a.summary(), whole.summary());
    }

    #[test]
    fn missing_values_are_counted_apart_and_empty_cells_have_no_mean() {
        let mut m = Moments::default();
        m.add(None, "nps").unwrap();
        assert_eq!((m.count(), m.missing()), (0, 1));
        let s = m.summary();
        assert_eq!((s.mean, s.ci95), (None, None));
        m.add(Some(Fixed::from_count(3)), "nps").unwrap();
        let s = m.summary();
        assert_eq!((s.mean, s.std_dev), (Some(3.0), None));
    }

    #[test]
    fn decimals_are_exact_to_six_places_and_overflow_is_refused() {
        let d = Decimal::new(-123_456_789, 4); // -12345.6789
        assert_eq!(Fixed::from_decimal(d, "v").unwrap(), Fixed(-12_345_678_900));
        assert_eq!(
            Fixed::from_decimal(Decimal::new(1_234_567, 7), "v").unwrap(),
            Fixed(123_457)
        );
        let mut m = Moments::default();
        let big = Fixed(i128::MAX / 2);
        assert!(matches!(m.add(Some(big), "v"), Err(Error::Overflow { .. })));
        assert_eq!(m, Moments::default());
        assert!(Fixed::from_f64(f64::NAN, "nps").is_err());
    }

    #[test]
    fn t_quantiles_follow_the_table_and_approach_the_normal() {
        assert_eq!(t_975(1), 12.706_204_736);
        assert_eq!(t_975(30), 2.042_272_456);
        assert!((t_975(31) - 2.039_513_446).abs() < 1e-7);
        assert!((t_975(60) - 2.000_297_822).abs() < 1e-7);
        assert!((t_975(100_000_000) - crate::propagation::Z_95).abs() < 1e-7);
    }

    #[test]
    fn json_round_trip_keeps_128_bit_sums() {
        let m = moments(&[1e9, -3.5, 2.25]);
        let json = serde_json::to_string(&m).unwrap();
        assert!(json.contains("\"sum_sq\":\""));
        assert_eq!(serde_json::from_str::<Moments>(&json).unwrap(), m);
        let bad = json.replace("\"count\":3", "\"count\":0");
        assert!(serde_json::from_str::<Moments>(&bad).is_err());
    }
}
