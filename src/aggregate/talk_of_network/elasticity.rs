//! GLM's analysis: regress the log of the time to a penetration level on the
//! logs of the design parameters; the coefficients are elasticities.

use serde::{Deserialize, Serialize};

use super::model::{TalkOfNetworkConfig, TieCount};
use crate::aggregate::bass::linalg;
use crate::error::{Error, Result};

/// A parameter of the "talk of the network" design.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DesignParameter {
    /// `a`: advertising.
    Advertising,
    /// `bw`: the strength of one weak tie.
    WeakStrength,
    /// `bs`: the strength of one strong tie.
    StrongStrength,
    /// The number of weak-tie meetings per period.
    WeakTies,
    /// The number of strong ties (personal network size).
    StrongTies,
}

impl DesignParameter {
    /// All five, in the order of the regression's columns.
    pub const ALL: [DesignParameter; 5] = [
        DesignParameter::Advertising,
        DesignParameter::WeakStrength,
        DesignParameter::StrongStrength,
        DesignParameter::WeakTies,
        DesignParameter::StrongTies,
    ];

    /// A short name for tables.
    pub fn name(self) -> &'static str {
        match self {
            DesignParameter::Advertising => "advertising a",
            DesignParameter::WeakStrength => "weak-tie strength bw",
            DesignParameter::StrongStrength => "strong-tie strength bs",
            DesignParameter::WeakTies => "weak ties (meetings)",
            DesignParameter::StrongTies => "strong ties (network size)",
        }
    }
}

/// One run's design point and its outcome (periods to a penetration level).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DesignOutcome {
    /// `a`.
    pub advertising: f64,
    /// `bw`.
    pub weak_strength: f64,
    /// `bs`.
    pub strong_strength: f64,
    /// Weak-tie meetings per person per period (the mean of a range).
    pub weak_ties: f64,
    /// Strong ties per person (the mean of a range).
    pub strong_ties: f64,
    /// Periods to reach the penetration level studied.
    pub periods: f64,
}

impl DesignOutcome {
    /// The design point of `config` with the outcome `periods`.
    pub fn new(config: &TalkOfNetworkConfig, periods: u32) -> Self {
        let mean = |ties: TieCount| (f64::from(ties.min) + f64::from(ties.max)) / 2.0;
        let rates = config.get_rates();
        DesignOutcome {
            advertising: rates.advertising.get(),
            weak_strength: rates.weak.get(),
            strong_strength: rates.strong.get(),
            weak_ties: mean(config.get_weak_ties()),
            strong_ties: mean(config.get_strong_ties()),
            periods: f64::from(periods),
        }
    }

    /// The value of one design parameter.
    pub fn value(&self, parameter: DesignParameter) -> f64 {
        match parameter {
            DesignParameter::Advertising => self.advertising,
            DesignParameter::WeakStrength => self.weak_strength,
            DesignParameter::StrongStrength => self.strong_strength,
            DesignParameter::WeakTies => self.weak_ties,
            DesignParameter::StrongTies => self.strong_ties,
        }
    }
}

/// An estimate with its standard error.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Estimate {
    /// The point estimate.
    pub value: f64,
    /// Its standard error.
    pub standard_error: f64,
}

impl Estimate {
    /// The 95 % confidence interval `value -/+ 1.96 s.e.` (normal approximation:
    /// right when the regression has more than about a hundred residual degrees
    /// of freedom, as the designs of this module do).
    pub fn ci95(&self) -> (f64, f64) {
        let half = 1.959_963_984_540_054 * self.standard_error;
        (self.value - half, self.value + half)
    }
}

/// The elasticities of the time to penetration with respect to the design
/// parameters: OLS of `ln(periods)` on an intercept and the logs of the
/// parameters that vary in the design, with the classical covariance
/// `s^2 (X^T X)^{-1}`.
///
/// A coefficient of `-0.3` means that 1 % more of the parameter shortens the
/// time to penetration by about 0.3 %. Goldenberg, Libai and Muller compare
/// weak and strong ties this way.
///
/// ```
/// use social_loop::aggregate::{DesignOutcome, DesignParameter, Elasticities};
/// // A noise-free design where periods = 2 / (bw^0.5 W^0.5 S^0.2).
/// let mut outcomes = Vec::new();
/// for bw in [0.005_f64, 0.01, 0.015] {
///     for weak_ties in [5.0_f64, 29.0] {
///         for strong_ties in [5.0_f64, 17.0, 29.0] {
///             let periods = 2.0 / (bw.powf(0.5) * weak_ties.powf(0.5) * strong_ties.powf(0.2));
///             outcomes.push(DesignOutcome {
///                 advertising: 0.001,
///                 weak_strength: bw,
///                 strong_strength: 0.05,
///                 weak_ties,
///                 strong_ties,
///                 periods,
///             });
///         }
///     }
/// }
/// let fit = Elasticities::estimate(&outcomes)?;
/// let weak = fit.of(DesignParameter::WeakStrength).ok_or("not estimated")?;
/// assert!((weak.value + 0.5).abs() < 1e-9);
/// // a and bs did not vary: no elasticity for them.
/// assert!(fit.of(DesignParameter::Advertising).is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Elasticities {
    /// The parameters that varied, in column order after the intercept.
    pub parameters: Vec<DesignParameter>,
    /// The intercept, then one coefficient per entry of `parameters`.
    pub coefficients: Vec<Estimate>,
    /// Covariance of `coefficients` (same order).
    pub covariance: Vec<Vec<f64>>,
    /// Number of outcomes.
    pub observations: usize,
    /// Share of the variance of `ln(periods)` explained.
    pub r_squared: f64,
}

impl Elasticities {
    /// Fits the log-log regression to `outcomes`. Parameters that take a single
    /// value in the design are left out (no elasticity can be estimated).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] with field `outcomes[i].<name>` when a value is
    /// not finite and > 0 (logs are taken), or `outcomes` when there are not
    /// more outcomes than coefficients or the design is collinear.
    ///
    /// # Complexity
    /// `O(n k^2 + k^3)` for `n` outcomes and `k <= 6` coefficients.
    pub fn estimate(outcomes: &[DesignOutcome]) -> Result<Self> {
        for (i, outcome) in outcomes.iter().enumerate() {
            let fields = DesignParameter::ALL
                .iter()
                .map(|&p| (field_name(p), outcome.value(p)))
                .chain(std::iter::once(("periods", outcome.periods)));
            for (name, value) in fields {
                if !(value.is_finite() && value > 0.0) {
                    return Err(Error::invalid(
                        format!("outcomes[{i}].{name}"),
                        format!("must be finite and > 0 to take its log, got {value}"),
                    ));
                }
            }
        }
        let parameters: Vec<DesignParameter> = DesignParameter::ALL
            .into_iter()
            .filter(|&p| {
                let mut values = outcomes.iter().map(|o| o.value(p));
                let first = values.next();
                values.any(|v| Some(v) != first)
            })
            .collect();
        let k = parameters.len() + 1;
        let n = outcomes.len();
        if n <= k {
            return Err(Error::invalid(
                "outcomes",
                format!("{n} outcomes cannot estimate {k} coefficients with an error term"),
            ));
        }
        let rows: Vec<Vec<f64>> = outcomes
            .iter()
            .map(|o| {
                std::iter::once(1.0)
                    .chain(parameters.iter().map(|&p| o.value(p).ln()))
                    .collect()
            })
            .collect();
        let response: Vec<f64> = outcomes.iter().map(|o| o.periods.ln()).collect();
        let normal: Vec<Vec<f64>> = (0..k)
            .map(|a| {
                (0..k)
                    .map(|b| rows.iter().map(|r| r[a] * r[b]).sum())
                    .collect()
            })
            .collect();
        let inverse = linalg::invert(&normal)
            .ok_or_else(|| Error::invalid("outcomes", "the design is collinear"))?;
        let cross: Vec<f64> = (0..k)
            .map(|a| rows.iter().zip(&response).map(|(r, y)| r[a] * y).sum())
            .collect();
        let beta: Vec<f64> = inverse
            .iter()
            .map(|row| row.iter().zip(&cross).map(|(x, y)| x * y).sum())
            .collect();
        let residual_ss: f64 = rows
            .iter()
            .zip(&response)
            .map(|(r, y)| {
                let fitted: f64 = r.iter().zip(&beta).map(|(x, b)| x * b).sum();
                (y - fitted).powi(2)
            })
            .sum();
        let mean = response.iter().sum::<f64>() / n as f64;
        let total_ss: f64 = response.iter().map(|y| (y - mean).powi(2)).sum();
        let variance = residual_ss / (n - k) as f64;
        let covariance: Vec<Vec<f64>> = inverse
            .iter()
            .map(|row| row.iter().map(|v| variance * v).collect())
            .collect();
        let coefficients = beta
            .iter()
            .enumerate()
            .map(|(i, &value)| Estimate {
                value,
                standard_error: covariance[i][i].max(0.0).sqrt(),
            })
            .collect();
        Ok(Elasticities {
            parameters,
            coefficients,
            covariance,
            observations: n,
            r_squared: if total_ss > 0.0 {
                1.0 - residual_ss / total_ss
            } else {
                1.0
            },
        })
    }

    /// The elasticity with respect to `parameter`, `None` if it did not vary.
    pub fn of(&self, parameter: DesignParameter) -> Option<Estimate> {
        let column = self.column(parameter)?;
        self.coefficients.get(column).copied()
    }

    /// `sum(plus) - sum(minus)` of elasticities, with its standard error from the
    /// full covariance; `None` if a parameter did not vary.
    ///
    /// For example `contrast(&[WeakStrength], &[StrongStrength])` below zero
    /// means that weak-tie strength shortens the time to penetration more than
    /// strong-tie strength, percent for percent.
    pub fn contrast(
        &self,
        plus: &[DesignParameter],
        minus: &[DesignParameter],
    ) -> Option<Estimate> {
        let mut weights = vec![0.0; self.coefficients.len()];
        for (list, sign) in [(plus, 1.0), (minus, -1.0)] {
            for &parameter in list {
                *weights.get_mut(self.column(parameter)?)? += sign;
            }
        }
        let value = weights
            .iter()
            .zip(&self.coefficients)
            .map(|(w, c)| w * c.value)
            .sum();
        let variance: f64 = weights
            .iter()
            .zip(&self.covariance)
            .map(|(wa, row)| wa * row.iter().zip(&weights).map(|(c, wb)| c * wb).sum::<f64>())
            .sum();
        Some(Estimate {
            value,
            standard_error: variance.max(0.0).sqrt(),
        })
    }

    fn column(&self, parameter: DesignParameter) -> Option<usize> {
        self.parameters
            .iter()
            .position(|&p| p == parameter)
            .map(|i| i + 1)
    }
}

fn field_name(parameter: DesignParameter) -> &'static str {
    match parameter {
        DesignParameter::Advertising => "advertising",
        DesignParameter::WeakStrength => "weak_strength",
        DesignParameter::StrongStrength => "strong_strength",
        DesignParameter::WeakTies => "weak_ties",
        DesignParameter::StrongTies => "strong_ties",
    }
}
