//! Shifted-beta-geometric retention for contractual settings: Fader & Hardie
//! (2007), "How to project customer retention", *Journal of Interactive
//! Marketing* 21(1).
//!
//! Each customer renews every period with probability `1 − θ` until they
//! churn; `θ ~ Beta(a, b)` across customers. From a cohort's survivors
//! `n₀ ≥ n₁ ≥ … ≥ n_m`:
//!
//! ```text
//! P(T = 1) = a/(a+b),   P(T = t) = P(T = t−1) · (b+t−2)/(a+b+t−1)
//! S(t) = S(t−1) − P(T = t),  S(0) = 1
//! ℓ = Σ_{t=1..m} (n_{t−1} − n_t) ln P(T = t) + n_m ln S(m)
//! r(t) = S(t)/S(t−1) = (b+t−1)/(a+b+t−1)
//! ```

use serde::{Deserialize, Serialize};

use super::fit::{Estimates, Likelihood, maximise};
use crate::error::{Error, Result};

/// A fitted shifted-beta-geometric model.
///
/// ```
/// use social_loop::clv::Retention;
/// // Fader & Hardie (2007), the "regular" cohort: a = 0.704, b = 1.182.
/// let fit = Retention::fit(&[1000, 631, 468, 382, 326, 289, 262, 241])?;
/// assert!((fit.a() - 0.704).abs() < 5e-4 && (fit.b() - 1.182).abs() < 5e-4);
/// assert!((fit.estimates.log_likelihood + 1680.27).abs() < 0.01);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Retention {
    /// Estimates of `a` and `b` with standard errors and intervals.
    pub estimates: Estimates,
}

impl Retention {
    /// Fits `a, b` to a cohort's survivors at the start of each period
    /// (`survivors[0]` is the cohort's size).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `cohort` or `cohort[i]`) for fewer
    /// than two counts, an empty cohort or a count larger than the one before
    /// it; [`Error::Fit`] when the fit fails (for instance when nobody churns).
    pub fn fit(survivors: &[u64]) -> Result<Self> {
        if survivors.len() < 2 {
            return Err(Error::invalid(
                "cohort",
                "needs the cohort's size and at least one later count",
            ));
        }
        if survivors.first() == Some(&0) {
            return Err(Error::invalid("cohort[0]", "the cohort is empty"));
        }
        for (i, pair) in survivors.windows(2).enumerate() {
            if let [before, after] = pair {
                if after > before {
                    return Err(Error::invalid(
                        format!("cohort[{}]", i + 1),
                        format!(
                            "{after} survivors after {before}: survivor counts must not increase"
                        ),
                    ));
                }
            }
        }
        let estimates = maximise(&Cohort(survivors))?;
        Ok(Retention { estimates })
    }

    /// `a`.
    pub fn a(&self) -> f64 {
        self.estimates
            .parameters
            .first()
            .map_or(f64::NAN, |p| p.estimate)
    }

    /// `b`.
    pub fn b(&self) -> f64 {
        self.estimates
            .parameters
            .get(1)
            .map_or(f64::NAN, |p| p.estimate)
    }

    /// The share of the cohort still a customer after `t` periods, `S(t)`.
    pub fn survival(&self, t: u32) -> f64 {
        let (a, b) = (self.a(), self.b());
        let mut s = 1.0;
        let mut p = a / (a + b);
        for k in 1..=t {
            s -= p;
            let k = f64::from(k);
            p *= (b + k - 1.0) / (a + b + k);
        }
        s
    }

    /// The retention rate of period `t ≥ 1`, `S(t)/S(t−1)`.
    pub fn retention_rate(&self, t: u32) -> f64 {
        let (a, b) = (self.a(), self.b());
        let t = f64::from(t.max(1));
        (b + t - 1.0) / (a + b + t - 1.0)
    }
}

struct Cohort<'a>(&'a [u64]);

impl Likelihood for Cohort<'_> {
    const MODEL: &'static str = "sbg";
    const NAMES: &'static [&'static str] = &["a", "b"];
    fn observations(&self) -> f64 {
        self.0.first().copied().unwrap_or(0) as f64
    }
    fn start(&self) -> Vec<f64> {
        vec![1.0, 1.0]
    }
    fn log_likelihood(&self, theta: &[f64]) -> f64 {
        let (a, b) = (
            theta.first().copied().unwrap_or(f64::NAN),
            theta.get(1).copied().unwrap_or(f64::NAN),
        );
        let mut ll = 0.0;
        let mut p = a / (a + b);
        let mut s = 1.0;
        for (t, pair) in self.0.windows(2).enumerate() {
            if let [before, after] = pair {
                let churned = (before - after) as f64;
                if churned > 0.0 {
                    ll += churned * p.ln();
                }
                s -= p;
                let k = (t + 1) as f64;
                p *= (b + k - 1.0) / (a + b + k);
            }
        }
        let last = self.0.last().copied().unwrap_or(0) as f64;
        if last > 0.0 {
            ll += last * s.max(0.0).ln();
        }
        ll
    }
}
