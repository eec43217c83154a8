//! The agent-level word-of-mouth process whose mean-field limit is the Bass
//! curve: individual adoption on a complete graph.

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::{Deserialize, Serialize};

use super::model::BassModel;
use crate::error::{Error, Result};

/// Options of [`BassModel::simulate_complete_graph`]: `Default` plus by-value
/// setters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AgentSimulationOptions {
    population: u64,
    time_step: f64,
    horizon: f64,
}

impl Default for AgentSimulationOptions {
    /// 100,000 agents, time step 0.01, horizon 20 time units.
    fn default() -> Self {
        AgentSimulationOptions {
            population: 100_000,
            time_step: 0.01,
            horizon: 20.0,
        }
    }
}

impl AgentSimulationOptions {
    /// Number of agents `N` (at least 1).
    #[must_use]
    pub fn population(mut self, population: u64) -> Self {
        self.population = population;
        self
    }

    /// The time step `dt` (> 0, with `(p + q) dt <= 1`).
    #[must_use]
    pub fn time_step(mut self, time_step: f64) -> Self {
        self.time_step = time_step;
        self
    }

    /// How long to simulate (> 0, finite; at most 10^7 steps).
    #[must_use]
    pub fn horizon(mut self, horizon: f64) -> Self {
        self.horizon = horizon;
        self
    }
}

/// The cumulative number of adopters after each time step of an agent run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdoptionPath {
    /// The time step `dt`.
    pub time_step: f64,
    /// The population `N`.
    pub population: u64,
    /// `adopters[k]` is the number of adopters at time `k dt` (`adopters[0] = 0`).
    pub adopters: Vec<u64>,
}

impl AdoptionPath {
    /// The fraction of the population that had adopted at the last step at or
    /// before `t` (`None` for a negative, NaN or out-of-horizon `t`).
    pub fn fraction_at(&self, t: f64) -> Option<f64> {
        if t.is_nan() || t < 0.0 {
            return None;
        }
        // A tiny allowance so that t = k dt computed in floating point lands on k.
        let step = (t / self.time_step + 1e-9).floor();
        let index = usize::try_from(step as u64).ok()?;
        self.adopters
            .get(index)
            .map(|&a| a as f64 / self.population as f64)
    }
}

impl BassModel {
    /// Simulates, from `seed`, the individual-level word-of-mouth process on a complete graph
    /// of `N` agents: in each step of length `dt`, every non-adopter adopts,
    /// independently, with probability `(p + q A / N) dt`, where `A` is the
    /// number of adopters at the start of the step (every adopter talks to
    /// everybody with strength `q / N`). Only `p` and `q` are used; the market
    /// is the simulated population.
    ///
    /// **The limit.** As `N -> infinity` the fraction `A / N` follows the Euler
    /// scheme `x_{k+1} = x_k + (1 - x_k)(p + q x_k) dt` of the Bass equation
    /// (Kurtz's law of large numbers for density-dependent Markov chains), and as
    /// `dt -> 0` that scheme converges to `F(t)`. The gap is `O(1/sqrt(N))`
    /// (random) plus `O(dt)` (about `0.0007` for `p = 0.03`, `q = 0.38`,
    /// `dt = 0.01`).
    ///
    /// The agents of a complete graph are exchangeable, so the run keeps only the
    /// count `A`; the adopters of a step are drawn by geometric skipping over the
    /// `N - A` non-adopters, which has exactly the distribution of one Bernoulli
    /// draw per agent at `O(adopters + 1)` cost per step.
    ///
    /// ```
    /// use social_loop::aggregate::{AgentSimulationOptions, BassModel};
    /// let bass = BassModel::new(0.03, 0.38, 1.0)?;
    /// let path = bass.simulate_complete_graph(&AgentSimulationOptions::default(), 7)?;
    /// let simulated = path.fraction_at(5.0).ok_or("beyond horizon")?;
    /// assert!((simulated - bass.cumulative(5.0)).abs() < 0.01);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for `population` 0, `time_step` not positive
    /// or with `(p + q) dt > 1`, `horizon` not positive or needing more than
    /// 10^7 steps.
    ///
    /// # Complexity
    /// `O(horizon / dt + N)` time, `O(horizon / dt)` memory.
    pub fn simulate_complete_graph(
        &self,
        options: &AgentSimulationOptions,
        seed: u64,
    ) -> Result<AdoptionPath> {
        let rng = &mut Xoshiro256PlusPlus::seed_from_u64(seed);
        let steps = validate(self, options)?;
        let population = options.population;
        let dt = options.time_step;
        let mut adopters = Vec::with_capacity(steps + 1);
        let mut adopted: u64 = 0;
        adopters.push(adopted);
        for _ in 0..steps {
            let hazard = (self.p() + self.q() * adopted as f64 / population as f64) * dt;
            adopted += bernoulli_successes(population - adopted, hazard, rng);
            adopters.push(adopted);
        }
        Ok(AdoptionPath {
            time_step: dt,
            population,
            adopters,
        })
    }
}

fn validate(model: &BassModel, options: &AgentSimulationOptions) -> Result<usize> {
    const MAX_STEPS: f64 = 1e7;
    if options.population == 0 {
        return Err(Error::invalid("population", "must be at least 1"));
    }
    let dt = options.time_step;
    if !(dt.is_finite() && dt > 0.0) {
        return Err(Error::invalid(
            "time_step",
            format!("must be finite and > 0, got {dt}"),
        ));
    }
    if (model.p() + model.q()) * dt > 1.0 {
        return Err(Error::invalid(
            "time_step",
            format!(
                "(p + q) dt = {} exceeds 1: the adoption probability per step would exceed 1",
                (model.p() + model.q()) * dt
            ),
        ));
    }
    let horizon = options.horizon;
    if !(horizon.is_finite() && horizon > 0.0) {
        return Err(Error::invalid(
            "horizon",
            format!("must be finite and > 0, got {horizon}"),
        ));
    }
    let steps = (horizon / dt).round();
    if steps > MAX_STEPS {
        return Err(Error::invalid(
            "horizon",
            format!("horizon / time_step = {steps} steps, more than 10^7"),
        ));
    }
    Ok((steps as usize).max(1))
}

/// The number of successes among `trials` independent Bernoulli(`probability`)
/// draws, by skipping geometric runs of failures.
fn bernoulli_successes<R: Rng + ?Sized>(trials: u64, probability: f64, rng: &mut R) -> u64 {
    if trials == 0 || probability <= 0.0 {
        return 0;
    }
    if probability >= 1.0 {
        return trials;
    }
    let log_failure = (-probability).ln_1p();
    let mut successes = 0;
    // Index of the next trial to examine.
    let mut position: f64 = 0.0;
    let limit = trials as f64;
    loop {
        // 1 - U is in (0, 1], so the logarithm is finite.
        let uniform: f64 = 1.0 - rng.random::<f64>();
        position += (uniform.ln() / log_failure).floor();
        if position >= limit {
            return successes;
        }
        successes += 1;
        position += 1.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geometric_skipping_has_the_binomial_mean_and_variance() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
        let (trials, p, draws) = (200_u64, 0.07, 20_000);
        let samples: Vec<f64> = (0..draws)
            .map(|_| bernoulli_successes(trials, p, &mut rng) as f64)
            .collect();
        let mean = samples.iter().sum::<f64>() / draws as f64;
        let variance = samples.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (draws - 1) as f64;
        // Binomial(200, 0.07): mean 14, variance 13.02. The standard error of the
        // mean is 0.026; of the variance about 0.13. Five of each.
        assert!((mean - 14.0).abs() < 0.13, "mean {mean}");
        assert!((variance - 13.02).abs() < 0.65, "variance {variance}");
        assert_eq!(bernoulli_successes(10, 0.0, &mut rng), 0);
        assert_eq!(bernoulli_successes(10, 1.0, &mut rng), 10);
        assert_eq!(bernoulli_successes(0, 0.5, &mut rng), 0);
    }
}
