//! [`SpreadEstimate`]: what a Monte Carlo estimate of a cascade returns.

use serde::{Deserialize, Serialize};

use super::{Engine, Model};
use crate::customer::CustomerId;

/// The normal quantile for a two-sided 95% interval.
pub const Z_95: f64 = 1.959_963_984_540_054;

/// A mean with its uncertainty.
///
/// `std_err` is the sample standard deviation of the per-run values (divisor
/// `runs - 1`) divided by `sqrt(runs)`; `ci95` is the normal-approximation interval
/// `mean ± 1.96 · std_err`, good when `runs` is large (hundreds or more); it is not
/// clipped to the possible range.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Summary {
    /// The sample mean.
    pub mean: f64,
    /// The standard error of the mean.
    pub std_err: f64,
    /// The 95% confidence interval `[low, high]`.
    pub ci95: [f64; 2],
}

impl Summary {
    /// Summarises `runs` values from their exact integer sum and sum of squares.
    pub(crate) fn from_sums(runs: u64, sum: u128, sum_sq: u128) -> Summary {
        let n = runs as f64;
        let mean = sum as f64 / n;
        let variance = if runs < 2 {
            0.0
        } else {
            // runs * sum_sq - sum^2, exactly when it fits, else in floating point.
            let exact = u128::from(runs)
                .checked_mul(sum_sq)
                .zip(sum.checked_mul(sum))
                .map(|(a, b)| a.saturating_sub(b) as f64 / (n * (n - 1.0)));
            exact.unwrap_or_else(|| ((sum_sq as f64 - (sum as f64) * mean) / (n - 1.0)).max(0.0))
        };
        let std_err = (variance / n).sqrt();
        Summary {
            mean,
            std_err,
            ci95: [mean - Z_95 * std_err, mean + Z_95 * std_err],
        }
    }
}

/// Positive and negative reach of a signed cascade.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SignedReach {
    /// Customers holding a positive opinion at the end (advocate seeds included).
    pub positive: Summary,
    /// Customers holding a negative opinion at the end (adversary seeds included).
    pub negative: Summary,
}

/// How likely one customer is to be reached.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NodeActivation {
    /// The customer.
    pub customer: CustomerId,
    /// Fraction of runs in which the customer was active (on either side).
    pub probability: f64,
    /// Signed cascade only: fraction of runs in which the customer ended negative.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub negative: Option<f64>,
}

/// Mean activity at one step of the cascade (step 0 = the seeds).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StepActivity {
    /// The step.
    pub step: u32,
    /// Mean number of customers that became active at this step.
    pub newly_active: f64,
    /// Mean number of customers active at the end of this step.
    pub cumulative_active: f64,
}

/// How often one tie carried the activation: `from` activated `to`.
///
/// When several active neighbours reach a customer in the same step, the credit
/// goes to the first live arc the cascade processed (frontier order, then arc
/// order); in the signed cascade, to the first arc carrying the winning opinion.
/// Seeds are activated by no one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InfluenceCount {
    /// The influencer.
    pub from: CustomerId,
    /// The influenced.
    pub to: CustomerId,
    /// In how many runs this tie activated `to`.
    pub runs: u64,
}

/// A Monte Carlo estimate of the spread of a cascade.
///
/// `mean`, `std_err` and `ci95` describe the spread (active customers at the end,
/// seeds included; in the signed cascade, customers reached on either side). The
/// optional parts are filled when the [`MonteCarlo`](super::MonteCarlo) options ask
/// for them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SpreadEstimate {
    /// The model simulated.
    pub model: Model,
    /// The engine that simulated it ([`Engine::Auto`] resolved to the engine it
    /// chose; `auto` only in estimates serialized before this field existed).
    #[serde(default)]
    pub engine: Engine,
    /// Number of runs.
    pub runs: u64,
    /// The master seed.
    pub seed: u64,
    /// Mean spread.
    pub mean: f64,
    /// Standard error of the mean spread.
    pub std_err: f64,
    /// Normal-approximation 95% confidence interval of the mean spread.
    pub ci95: [f64; 2],
    /// Signed cascade only: positive and negative reach.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed: Option<SignedReach>,
    /// Per-customer activation probability, in node order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_probabilities: Option<Vec<NodeActivation>>,
    /// Mean newly and cumulatively active customers per step, up to the last step
    /// at which any run was still spreading.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trajectory: Option<Vec<StepActivity>>,
    /// Who influenced whom: every tie that carried an activation in at least one
    /// run, in arc order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub influence: Option<Vec<InfluenceCount>>,
}

impl SpreadEstimate {
    /// The spread's mean, standard error and interval as one [`Summary`].
    pub fn summary(&self) -> Summary {
        Summary {
            mean: self.mean,
            std_err: self.std_err,
            ci95: self.ci95,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_of_known_values() {
        // Values 1, 2, 3, 4: mean 2.5, sample variance 5/3.
        let s = Summary::from_sums(4, 10, 30);
        assert_eq!(s.mean, 2.5);
        let se = (5.0f64 / 3.0 / 4.0).sqrt();
        assert!((s.std_err - se).abs() < 1e-15);
        assert!((s.ci95[1] - (2.5 + Z_95 * se)).abs() < 1e-12);
        let constant = Summary::from_sums(3, 21, 147);
        assert_eq!(constant.std_err, 0.0);
    }
}
