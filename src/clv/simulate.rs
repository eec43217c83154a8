//! Synthetic customer bases drawn from a BG/NBD with known parameters: for
//! parameter-recovery tests and for benchmarks at any scale.

use rand::Rng;
use rand_distr::{Beta, Distribution, Exp, Gamma};
use serde::{Deserialize, Serialize};

use super::{BgNbd, CustomerSummary, Period, Summaries};
use crate::error::{Error, Result};
use crate::propagation::streams::unit_stream;

/// Customers drawn from a BG/NBD: each joins at a uniform time in the first
/// `cohort_periods` (their first purchase), buys at rate `λ ~ Gamma(r, α)`
/// and drops out after each purchase with probability `p ~ Beta(a, b)`,
/// observed until `calibration_periods`.
///
/// With [`whole_periods`](Self::whole_periods) the summary is what a log
/// kept per period gives (lifetimes' `freq="W"`): join, purchase and end
/// times are floored to whole periods and purchases in one period count
/// once; otherwise times are exact (the model's own data).
///
/// Customer `i` draws from its own stream (the crate's keyed streams: seed
/// and `i` mixed by SplitMix64), so any prefix of a larger base is the same.
///
/// ```
/// use social_loop::clv::{BgNbd, BgNbdSimulation};
/// let truth = BgNbd::new(0.25, 4.0, 0.8, 2.5)?;
/// let base = BgNbdSimulation::new(truth, 1_000).seed(7).summaries()?;
/// assert_eq!(base.len(), 1_000);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BgNbdSimulation {
    model: BgNbd,
    customers: usize,
    cohort_periods: f64,
    calibration_periods: f64,
    whole_periods: bool,
    seed: u64,
}

impl BgNbdSimulation {
    /// `customers` drawn from `model`, joining over 12 periods, observed until
    /// period 52, exact times, seed 0.
    pub fn new(model: BgNbd, customers: usize) -> Self {
        BgNbdSimulation {
            model,
            customers,
            cohort_periods: 12.0,
            calibration_periods: 52.0,
            whole_periods: false,
            seed: 0,
        }
    }

    /// The window customers join in, from period 0.
    #[must_use]
    pub fn cohort_periods(mut self, periods: f64) -> Self {
        self.cohort_periods = periods;
        self
    }

    /// The calibration end, in periods from period 0.
    #[must_use]
    pub fn calibration_periods(mut self, periods: f64) -> Self {
        self.calibration_periods = periods;
        self
    }

    /// Record times in whole periods (see the type's documentation).
    #[must_use]
    pub fn whole_periods(mut self, whole: bool) -> Self {
        self.whole_periods = whole;
        self
    }

    /// The master seed.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Draws the customers' summaries (ids `0`, `1`, ...; period: weeks when
    /// recorded in whole periods).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `simulation`) when the cohort window
    /// is not positive or ends after the calibration end.
    ///
    /// # Complexity
    /// O(customers + purchases).
    pub fn summaries(&self) -> Result<Summaries> {
        if !(self.cohort_periods > 0.0 && self.cohort_periods <= self.calibration_periods) {
            return Err(Error::invalid(
                "simulation",
                format!(
                    "the cohort window {} must be positive and end by the calibration end {}",
                    self.cohort_periods, self.calibration_periods
                ),
            ));
        }
        let [r, alpha, a, b] = self.model.values();
        let bad = |e: String| Error::invalid("simulation", e);
        let rate = Gamma::new(r, 1.0 / alpha).map_err(|e| bad(e.to_string()))?;
        let dropout = Beta::new(a, b).map_err(|e| bad(e.to_string()))?;
        let end = self.calibration_periods;
        let mut customers = Vec::with_capacity(self.customers);
        for i in 0..self.customers {
            let mut rng = unit_stream(self.seed, i as u64);
            let joined = rng.random::<f64>() * self.cohort_periods;
            let lambda: f64 = rate.sample(&mut rng);
            let p: f64 = dropout.sample(&mut rng);
            let mut times = Vec::new();
            if lambda > 0.0 {
                if let Ok(gap) = Exp::new(lambda) {
                    let mut t = joined;
                    loop {
                        t += gap.sample(&mut rng);
                        if t > end {
                            break;
                        }
                        times.push(t);
                        if rng.random::<f64>() < p {
                            break;
                        }
                    }
                }
            }
            let summary = if self.whole_periods {
                let first = joined.floor();
                let mut periods: Vec<f64> = times
                    .iter()
                    .map(|t| t.floor())
                    .filter(|&t| t > first)
                    .collect();
                periods.dedup();
                let t_x = periods.last().map_or(0.0, |l| l - first);
                CustomerSummary::new(
                    i.to_string(),
                    periods.len() as u32,
                    t_x,
                    end.floor() - first,
                )?
            } else {
                let t_x = times.last().map_or(0.0, |l| l - joined);
                CustomerSummary::new(i.to_string(), times.len() as u32, t_x, end - joined)?
            };
            customers.push(summary);
        }
        let mut summaries = Summaries::new(customers);
        summaries.period = self.whole_periods.then_some(Period::Week);
        Ok(summaries)
    }
}
