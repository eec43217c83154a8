//! Gamma-Gamma spend: Colombo & Jiang (1999), "A stochastic RFM model",
//! *Journal of Interactive Marketing* 13(3), in the form of Fader, Hardie &
//! Lee (2005), "RFM and CLV: using iso-value curves for customer base
//! analysis", *Journal of Marketing Research* 42(4), and Fader & Hardie's note
//! "The Gamma-Gamma model of monetary value" (2013).
//!
//! Each transaction's value is `Gamma(p, ν)`; across customers
//! `ν ~ Gamma(q, γ)`. For a repeat buyer with `x` repeat transactions of mean
//! value `z̄`:
//!
//! ```text
//! ln L = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln z̄ + px ln x − (px+q) ln(γ + x z̄)
//! E[Z | x, z̄] = (q−1)/(px+q−1) · γp/(q−1) + px/(px+q−1) · z̄
//! ```
//!
//! The model assumes that spend is independent of purchase frequency;
//! [`SpendCheck`] reports the correlation of `x` and `z̄` across repeat
//! buyers (Fader, Hardie & Lee found 0.11 on CDNOW), so a caller sees when
//! the assumption is doubtful.

use serde::{Deserialize, Serialize};

use super::Summaries;
use super::fit::{Estimates, Likelihood, maximise};
use super::special::ln_gamma;
use crate::error::{Error, Result};

/// Gamma-Gamma parameters `p, q, γ`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GammaGamma {
    p: f64,
    q: f64,
    gamma: f64,
}

impl GammaGamma {
    /// Parameter names, in order.
    pub const NAMES: [&'static str; 3] = ["p", "q", "gamma"];

    /// Checks and builds the parameters.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `gamma_gamma.NAME`) for a parameter
    /// that is not finite and positive.
    pub fn new(p: f64, q: f64, gamma: f64) -> Result<Self> {
        for (name, v) in Self::NAMES.iter().zip([p, q, gamma]) {
            if !(v.is_finite() && v > 0.0) {
                return Err(Error::invalid(
                    format!("gamma_gamma.{name}"),
                    format!("{v} is not a positive number"),
                ));
            }
        }
        Ok(GammaGamma { p, q, gamma })
    }

    /// `[p, q, gamma]`.
    pub fn values(&self) -> [f64; 3] {
        [self.p, self.q, self.gamma]
    }

    pub(crate) fn from_theta(theta: &[f64]) -> Self {
        let at = |i: usize| theta.get(i).copied().unwrap_or(f64::NAN);
        GammaGamma {
            p: at(0),
            q: at(1),
            gamma: at(2),
        }
    }

    /// The log-likelihood of one repeat buyer (`x > 0`, `z̄ > 0`).
    pub fn log_likelihood(&self, x: f64, mean_spend: f64) -> f64 {
        let GammaGamma { p, q, gamma } = *self;
        let px = p * x;
        ln_gamma(px + q) - ln_gamma(px) - ln_gamma(q)
            + q * gamma.ln()
            + (px - 1.0) * mean_spend.ln()
            + px * x.ln()
            - (px + q) * (gamma + x * mean_spend).ln()
    }

    /// The population's mean transaction value `γp/(q−1)` (`None` when `q ≤ 1`:
    /// the mean is infinite).
    pub fn population_mean(&self) -> Option<f64> {
        (self.q > 1.0).then(|| self.gamma * self.p / (self.q - 1.0))
    }

    /// The expected value of a transaction of a customer with `x` repeat
    /// transactions of mean value `mean_spend` (the population mean when `x = 0`).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `gamma_gamma.q`) when `q ≤ 1`, where
    /// the expectation is infinite.
    pub fn expected_spend(&self, x: f64, mean_spend: f64) -> Result<f64> {
        let GammaGamma { p, q, gamma } = *self;
        if q <= 1.0 {
            return Err(Error::invalid(
                "gamma_gamma.q",
                format!("q = {q} ≤ 1: the expected spend is infinite"),
            ));
        }
        if x <= 0.0 {
            return Ok(gamma * p / (q - 1.0));
        }
        Ok((gamma + x * mean_spend) * p / (p * x + q - 1.0))
    }
}

/// The check of Gamma-Gamma's assumption that spend does not depend on
/// purchase frequency.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SpendCheck {
    /// Pearson correlation of `x` and `z̄` across the repeat buyers.
    pub correlation: f64,
    /// Repeat buyers it was computed on.
    pub repeat_buyers: usize,
    /// Whether `|correlation| < 0.3` (weak at most, by Cohen's convention):
    /// the independence assumption is plausible.
    pub independent: bool,
}

/// A fitted Gamma-Gamma spend model and its independence check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SpendFit {
    /// The parameters.
    pub model: GammaGamma,
    /// Estimates with standard errors and intervals.
    pub estimates: Estimates,
    /// The spend / frequency independence check.
    pub check: SpendCheck,
    /// Repeat buyers left out because their mean spend is zero (the model's
    /// support is positive values).
    pub zero_spend: usize,
}

impl SpendFit {
    /// Fits the Gamma-Gamma model on the repeat buyers of `summaries` (those
    /// with `x > 0` and a positive mean spend).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `spend`) with fewer than 3 repeat
    /// buyers with a spend; [`Error::Fit`] when the fit fails.
    ///
    /// # Complexity
    /// O(repeat buyers) per likelihood evaluation.
    pub fn fit(summaries: &Summaries) -> Result<Self> {
        let mut data = Vec::new();
        let mut zero_spend = 0;
        for c in &summaries.customers {
            if c.x() == 0 {
                continue;
            }
            let spend = c
                .mean_spend()
                .and_then(|d| f64::try_from(d).ok())
                .unwrap_or(0.0);
            if spend > 0.0 {
                data.push((f64::from(c.x()), spend));
            } else {
                zero_spend += 1;
            }
        }
        if data.len() < 3 {
            return Err(Error::invalid(
                "spend",
                format!(
                    "{} repeat buyers with a spend: the Gamma-Gamma model needs at least 3",
                    data.len()
                ),
            ));
        }
        let estimates = maximise(&SpendData::new(&data))?;
        Ok(SpendFit {
            model: GammaGamma::from_theta(&estimates.values()),
            estimates,
            check: correlation(&data),
            zero_spend,
        })
    }
}

fn correlation(data: &[(f64, f64)]) -> SpendCheck {
    let n = data.len() as f64;
    let (mx, my) = data
        .iter()
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x / n, b + y / n));
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in data {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    let correlation = if sxx > 0.0 && syy > 0.0 {
        sxy / (sxx * syy).sqrt()
    } else {
        0.0
    };
    SpendCheck {
        correlation,
        repeat_buyers: data.len(),
        independent: correlation.abs() < 0.3,
    }
}

/// The repeat buyers' `(x, mean spend)`, with `ln(mean spend)` taken once.
struct SpendData {
    points: Vec<(f64, f64, f64)>,
    /// The largest whole `x`: the terms that depend on `x` only are computed
    /// once per `x` up to it, per likelihood evaluation.
    max_x: usize,
}

impl SpendData {
    fn new(data: &[(f64, f64)]) -> Self {
        SpendData {
            points: data.iter().map(|&(x, z)| (x, z, z.ln())).collect(),
            max_x: data.iter().map(|&(x, _)| x as usize).max().unwrap_or(0),
        }
    }
}

impl Likelihood for SpendData {
    const MODEL: &'static str = "gamma_gamma";
    const NAMES: &'static [&'static str] = &GammaGamma::NAMES;
    fn observations(&self) -> f64 {
        self.points.len() as f64
    }
    fn start(&self) -> Vec<f64> {
        let mean =
            self.points.iter().map(|(_, z, _)| z).sum::<f64>() / self.points.len().max(1) as f64;
        vec![1.0, 2.0, mean.max(1e-6)]
    }
    /// [`GammaGamma::log_likelihood`] summed, bit for bit: the same terms in
    /// the same order, with `ln Γ(px + q) − ln Γ(px) − ln Γ(q) + q ln γ` and
    /// `px ln x` (three `ln Γ` and two `ln` of the seven) once per whole `x`.
    fn log_likelihood(&self, theta: &[f64]) -> f64 {
        let m = GammaGamma::from_theta(theta);
        let GammaGamma { p, q, gamma } = m;
        let per_x: Vec<(f64, f64)> = (0..=self.max_x)
            .map(|x| {
                let px = p * x as f64;
                (
                    ln_gamma(px + q) - ln_gamma(px) - ln_gamma(q) + q * gamma.ln(),
                    px * (x as f64).ln(),
                )
            })
            .collect();
        self.points
            .iter()
            .map(|&(x, z, ln_z)| match per_x.get(x as usize) {
                Some(&(head, px_ln_x)) if x.fract() == 0.0 => {
                    let px = p * x;
                    head + (px - 1.0) * ln_z + px_ln_x - (px + q) * (gamma + x * z).ln()
                }
                _ => m.log_likelihood(x, z),
            })
            .sum()
    }
}

#[cfg(test)]
mod spend_data_tests {
    use super::*;

    /// The per-x shortcut of the fit's likelihood is the plain sum of
    /// [`GammaGamma::log_likelihood`] bit for bit (whole and fractional x).
    #[test]
    fn the_likelihood_with_per_x_terms_is_the_plain_sum_bit_for_bit() {
        let data: Vec<(f64, f64)> = (1..400)
            .map(|i| (f64::from(i % 37 + 1), 3.0 + f64::from(i * 7 % 101) * 0.83))
            .chain([(2.5, 10.0)])
            .collect();
        for theta in [[6.25, 3.74, 15.44], [0.7, 11.0, 2.0]] {
            let m = GammaGamma::from_theta(&theta);
            let plain: f64 = data.iter().map(|&(x, z)| m.log_likelihood(x, z)).sum();
            assert_eq!(SpendData::new(&data).log_likelihood(&theta), plain);
        }
    }
}
