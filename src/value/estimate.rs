//! [`MoneyEstimate`]: the mean of an amount over runs, with its uncertainty.

use rust_decimal::{Decimal, MathematicalOps, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Decimal places kept by estimates of money (millionths of the currency unit).
pub const ESTIMATE_PLACES: u32 = 6;

/// The mean of an amount of money over independent runs, its standard error
/// and its 95% confidence interval, in the currency of the amounts.
///
/// `ci95` is `mean ± t · std_err` with Student's t quantile at 97.5% for
/// `runs - 1` degrees of freedom (Hill's 1970 approximation, good to about
/// 10⁻⁵): the interval for the mean of normal outcomes, and a fair one for
/// means of a few runs otherwise. Every figure is rounded half-even to
/// millionths ([`ESTIMATE_PLACES`]).
///
/// ```
/// use social_loop::Decimal;
/// use social_loop::value::MoneyEstimate;
/// let runs: Vec<Decimal> = ["10", "12", "11", "13"].iter().map(|s| s.parse().unwrap()).collect();
/// let e = MoneyEstimate::of(&runs)?;
/// assert_eq!(e.mean, Decimal::new(115, 1));
/// assert!(e.ci95[0] < e.mean && e.mean < e.ci95[1]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MoneyEstimate {
    /// Number of runs.
    pub runs: u64,
    /// The mean over the runs.
    #[serde(with = "rust_decimal::serde::str")]
    pub mean: Decimal,
    /// The standard error of the mean (sample standard deviation over
    /// `sqrt(runs)`).
    #[serde(with = "rust_decimal::serde::str")]
    pub std_err: Decimal,
    /// The 95% confidence interval of the mean, `[low, high]`.
    pub ci95: [Decimal; 2],
}

impl MoneyEstimate {
    /// The estimate from one amount per run.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `runs`) for fewer than 2 amounts;
    /// [`Error::Overflow`] when a sum does not fit a `Decimal`.
    pub fn of(values: &[Decimal]) -> Result<MoneyEstimate> {
        let n = values.len();
        if n < 2 {
            return Err(Error::invalid(
                "runs",
                format!("{n} runs: at least 2 are needed for an interval"),
            ));
        }
        let overflow = || Error::overflow("a mean over runs");
        let count = Decimal::from(n as u64);
        let sum = values
            .iter()
            .try_fold(Decimal::ZERO, |s, &v| s.checked_add(v))
            .ok_or_else(overflow)?;
        let mean = round(sum.checked_div(count).ok_or_else(overflow)?);
        let squares = values
            .iter()
            .try_fold(Decimal::ZERO, |s, &v| {
                let d = v.checked_sub(mean)?;
                s.checked_add(d.checked_mul(d)?)
            })
            .ok_or_else(overflow)?;
        let variance = squares
            .checked_div(Decimal::from(n as u64 - 1))
            .ok_or_else(overflow)?;
        let std_err = round(
            variance
                .checked_div(count)
                .and_then(|v| v.sqrt())
                .ok_or_else(overflow)?,
        );
        let t = Decimal::from_f64_retain(t_975(n as u64 - 1)).ok_or_else(overflow)?;
        let half = round(t.checked_mul(std_err).ok_or_else(overflow)?);
        let low = mean.checked_sub(half).ok_or_else(overflow)?;
        let high = mean.checked_add(half).ok_or_else(overflow)?;
        Ok(MoneyEstimate {
            runs: n as u64,
            mean,
            std_err,
            ci95: [low, high],
        })
    }
}

fn round(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(ESTIMATE_PLACES, RoundingStrategy::MidpointNearestEven)
}

/// Student's t quantile at 0.975 for `df >= 1` degrees of freedom: the exact
/// closed forms for 1 and 2, Hill's (1970) algorithm 396 beyond (relative
/// error below 10⁻⁵).
pub(crate) fn t_975(df: u64) -> f64 {
    // The two-sided tail probability and its normal deviate.
    let p = 0.05_f64;
    let z = crate::propagation::Z_95;
    match df {
        0 | 1 => 1.0 / (p * std::f64::consts::FRAC_PI_2).tan(),
        2 => (2.0 / (p * (2.0 - p)) - 2.0).sqrt(),
        _ => {
            let n = df as f64;
            let a = 1.0 / (n - 0.5);
            let b = 48.0 / (a * a);
            let mut c = ((20_700.0 * a / b - 98.0) * a - 16.0) * a + 96.36;
            let d =
                ((94.5 / (b + c) - 3.0) / b + 1.0) * (a * std::f64::consts::FRAC_PI_2).sqrt() * n;
            let x = d * p;
            let mut y = x.powf(2.0 / n);
            if y > 0.05 + a {
                let x = -z;
                y = x * x;
                if df < 5 {
                    c += 0.3 * (n - 4.5) * (x + 0.6);
                }
                c += (((0.05 * d * x - 5.0) * x - 7.0) * x - 2.0) * x + b;
                y = (((((0.4 * y + 6.3) * y + 36.0) * y + 94.5) / c - y - 3.0) / b + 1.0) * x;
                y = (a * y * y).exp_m1();
            } else {
                y = ((1.0 / (((n + 6.0) / (n * y) - 0.089 * d - 0.822) * (n + 2.0) * 3.0)
                    + 0.5 / (n + 4.0))
                    * y
                    - 1.0)
                    * (n + 1.0)
                    / (n + 2.0)
                    + 1.0 / y;
            }
            (n * y).sqrt()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantiles_match_the_published_table() {
        // Two-sided 95% critical values (any statistics table).
        let table = [
            (1, 12.7062),
            (2, 4.3027),
            (3, 3.1824),
            (4, 2.7764),
            (5, 2.5706),
            (9, 2.2622),
            (10, 2.2281),
            (19, 2.0930),
            (29, 2.0452),
            (30, 2.0423),
            (60, 2.0003),
            (120, 1.9799),
        ];
        for (df, t) in table {
            assert!(
                (t_975(df) - t).abs() < 2e-4,
                "df {df}: {} vs {t}",
                t_975(df)
            );
        }
        assert!((t_975(1_000_000) - crate::propagation::Z_95).abs() < 1e-4);
    }

    #[test]
    fn estimates_round_half_even_and_need_two_runs() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let e = MoneyEstimate::of(&[d("1"), d("2")]).unwrap();
        assert_eq!(e.mean, d("1.5"));
        // sd = 0.7071067..., se = 0.5; t(1) = 12.7062...
        assert_eq!(e.std_err, d("0.5"));
        assert_eq!(e.ci95[1] - e.mean, e.mean - e.ci95[0]);
        let same = MoneyEstimate::of(&[d("3.25"); 5]).unwrap();
        assert_eq!(
            (same.std_err, same.ci95),
            (Decimal::ZERO, [d("3.25"), d("3.25")])
        );
        assert_eq!(
            MoneyEstimate::of(&[d("1")]).unwrap_err().field(),
            Some("runs")
        );
    }
}
