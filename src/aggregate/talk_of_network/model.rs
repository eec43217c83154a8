//! The agent-based "talk of the network": personal networks of strong ties,
//! random weak-tie meetings, period by period.

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::probability::{TalkRates, power};
use crate::error::{Error, Result};

/// Largest population accepted (the state is one byte per person).
const MAX_POPULATION: u32 = 100_000_000;

/// A number of ties per person: fixed, or drawn uniformly from `min..=max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TieCount {
    /// The smallest count.
    pub min: u32,
    /// The largest count (inclusive).
    pub max: u32,
}

impl TieCount {
    /// Everybody has exactly `count` ties.
    pub fn fixed(count: u32) -> Self {
        TieCount {
            min: count,
            max: count,
        }
    }

    /// Counts drawn uniformly from `min..=max` (checked when the model is built).
    pub fn between(min: u32, max: u32) -> Self {
        TieCount { min, max }
    }

    fn draw<R: Rng + ?Sized>(self, rng: &mut R) -> u32 {
        if self.min == self.max {
            self.min
        } else {
            rng.random_range(self.min..=self.max)
        }
    }
}

/// The design of a "talk of the network" simulation: `Default` plus by-value
/// setters; checked by [`TalkOfNetwork::new`].
///
/// ```
/// use social_loop::aggregate::{TalkOfNetworkConfig, TalkRates, TieCount};
/// let config = TalkOfNetworkConfig::default()
///     .population(3_000)
///     .strong_ties(TieCount::fixed(10))
///     .weak_ties(TieCount::between(5, 29))
///     .rates(TalkRates::new(0.0005, 0.01, 0.05)?);
/// assert_eq!(config.get_population(), 3_000);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TalkOfNetworkConfig {
    population: u32,
    strong_ties: TieCount,
    weak_ties: TieCount,
    rates: TalkRates,
    stop_at: f64,
    horizon: u32,
}

impl Default for TalkOfNetworkConfig {
    /// GLM's population of 3,000; 10 strong ties and 10 weak-tie meetings per
    /// person; [`TalkRates::default`]; stop at 95 % penetration or 1,000 periods.
    fn default() -> Self {
        TalkOfNetworkConfig {
            population: 3_000,
            strong_ties: TieCount::fixed(10),
            weak_ties: TieCount::fixed(10),
            rates: TalkRates::default(),
            stop_at: 0.95,
            horizon: 1_000,
        }
    }
}

impl TalkOfNetworkConfig {
    /// Number of people (2 to 10^8).
    #[must_use]
    pub fn population(mut self, population: u32) -> Self {
        self.population = population;
        self
    }

    /// Strong ties per person: the size of one's personal network, not counting
    /// oneself. Personal networks are disjoint cliques (GLM's groups); with a
    /// range, each group's size is drawn once per run.
    #[must_use]
    pub fn strong_ties(mut self, strong_ties: TieCount) -> Self {
        self.strong_ties = strong_ties;
        self
    }

    /// Weak-tie meetings per person per period, with people outside one's
    /// personal network; with a range, each person's count is drawn once per run.
    #[must_use]
    pub fn weak_ties(mut self, weak_ties: TieCount) -> Self {
        self.weak_ties = weak_ties;
        self
    }

    /// The transmission probabilities.
    #[must_use]
    pub fn rates(mut self, rates: TalkRates) -> Self {
        self.rates = rates;
        self
    }

    /// Stop a run once this fraction of the population is informed (in `(0, 1]`).
    #[must_use]
    pub fn stop_at(mut self, stop_at: f64) -> Self {
        self.stop_at = stop_at;
        self
    }

    /// Stop a run after this many periods at the latest (at least 1).
    #[must_use]
    pub fn horizon(mut self, horizon: u32) -> Self {
        self.horizon = horizon;
        self
    }

    /// The population.
    pub fn get_population(&self) -> u32 {
        self.population
    }

    /// The strong ties per person.
    pub fn get_strong_ties(&self) -> TieCount {
        self.strong_ties
    }

    /// The weak-tie meetings per person per period.
    pub fn get_weak_ties(&self) -> TieCount {
        self.weak_ties
    }

    /// The transmission probabilities.
    pub fn get_rates(&self) -> TalkRates {
        self.rates
    }
}

/// One simulated run: how many people were informed after each period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TalkRun {
    /// The population.
    pub population: u32,
    /// `informed[t]` is the number informed at the end of period `t`
    /// (`informed[0] = 0`, before the launch).
    pub informed: Vec<u32>,
}

impl TalkRun {
    /// The first period at whose end at least `penetration` of the population was
    /// informed; `None` if the run stopped before (horizon or `stop_at`).
    ///
    /// A `penetration` of 0 or less gives `Some(0)`.
    pub fn time_to(&self, penetration: f64) -> Option<u32> {
        let needed = penetration * f64::from(self.population);
        let period = self.informed.iter().position(|&i| f64::from(i) >= needed)?;
        u32::try_from(period).ok()
    }

    /// The fraction informed when the run stopped.
    pub fn final_penetration(&self) -> f64 {
        let last = self.informed.last().copied().unwrap_or(0);
        f64::from(last) / f64::from(self.population)
    }

    /// The number of periods simulated.
    pub fn periods(&self) -> usize {
        self.informed.len().saturating_sub(1)
    }
}

/// A validated "talk of the network" model (Goldenberg, Libai and Muller, 2001).
///
/// The population is split into disjoint personal networks (cliques of strong
/// ties). At the start of the launch nobody is informed. In each period every
/// uninformed person, independently:
///
/// * hears the advertising with probability `a`;
/// * is told by each informed member of their personal network with
///   probability `bs`;
/// * meets `W` people drawn uniformly (with replacement) from outside their
///   personal network, and is told by each informed one with probability `bw`;
///
/// so with `m` informed strong ties and `j` informed contacts the person becomes
/// informed with [`informing_probability`](super::informing_probability)
/// `1 - (1-a)(1-bw)^j(1-bs)^m`. Updates are synchronous (everybody reacts to the
/// state at the start of the period) and informed people stay informed and keep
/// talking.
///
/// **An exact shortcut.** The meetings are not drawn one by one: given the
/// fraction `x` of informed people outside one's network, the number `j` of
/// informed contacts among `W` is Binomial(`W`, `x`) and
/// `E[(1-bw)^j] = (1 - bw x)^W`. So one uniform draw per uninformed person per
/// period, compared with `(1-a)(1-bs)^m(1 - bw x)^W`, gives each person exactly
/// the law of the explicit model (meetings are fresh every period and
/// independent between people), at a cost independent of `W`.
///
/// ```
/// use social_loop::aggregate::{TalkOfNetwork, TalkOfNetworkConfig};
/// let model = TalkOfNetwork::new(TalkOfNetworkConfig::default())?;
/// let runs = model.run_many(42, 0..4);
/// assert_eq!(runs.len(), 4);
/// assert!(runs.iter().all(|run| run.time_to(0.5).is_some()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TalkOfNetwork {
    config: TalkOfNetworkConfig,
}

impl TalkOfNetwork {
    /// Validates `config`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming the field: `population` below 2 or
    /// above 10^8; `strong_ties` or `weak_ties` with `min > max`; `strong_ties`
    /// whose `max` is not below the population; `stop_at` outside `(0, 1]`;
    /// `horizon` 0.
    pub fn new(config: TalkOfNetworkConfig) -> Result<Self> {
        let population = config.population;
        if !(2..=MAX_POPULATION).contains(&population) {
            return Err(Error::invalid(
                "population",
                format!("must be between 2 and {MAX_POPULATION}, got {population}"),
            ));
        }
        for (field, ties) in [
            ("strong_ties", config.strong_ties),
            ("weak_ties", config.weak_ties),
        ] {
            if ties.min > ties.max {
                return Err(Error::invalid(
                    field,
                    format!("min {} is above max {}", ties.min, ties.max),
                ));
            }
        }
        if config.strong_ties.max >= population {
            return Err(Error::invalid(
                "strong_ties",
                format!(
                    "a personal network of {} ties does not fit in a population of {population}",
                    config.strong_ties.max
                ),
            ));
        }
        if !(config.stop_at > 0.0 && config.stop_at <= 1.0) {
            return Err(Error::invalid(
                "stop_at",
                format!("must be in (0, 1], got {}", config.stop_at),
            ));
        }
        if config.horizon == 0 {
            return Err(Error::invalid("horizon", "must be at least 1 period"));
        }
        Ok(TalkOfNetwork { config })
    }

    /// The validated design.
    pub fn config(&self) -> &TalkOfNetworkConfig {
        &self.config
    }

    /// Simulates one run on `rng`: first the personal networks and weak-tie
    /// counts (when drawn from ranges), then one uniform per uninformed person
    /// per period, in person order.
    ///
    /// # Complexity
    /// `O(N)` memory and `O(N)` time per period, for at most `horizon` periods.
    fn run<R: Rng + ?Sized>(&self, rng: &mut R) -> TalkRun {
        let config = &self.config;
        let population = config.population as usize;
        let groups = personal_networks(population, config.strong_ties, rng);
        let weak_meetings: Vec<u32> = (0..population)
            .map(|_| config.weak_ties.draw(rng))
            .collect();
        let rates = config.rates;
        let stays_unadvertised = rates.advertising.complement().get();
        let weak = rates.weak.get();
        let strong_keeps = rates.strong.complement().get();
        let target = config.stop_at * population as f64;

        let mut informed_flags = vec![false; population];
        let mut group_informed = vec![0_u32; groups.len()];
        let mut newly_informed: Vec<(usize, usize)> = Vec::new();
        let mut total: u32 = 0;
        let mut path = vec![0_u32];
        for _ in 0..config.horizon {
            newly_informed.clear();
            for (g, range) in groups.iter().enumerate() {
                let in_group = group_informed.get(g).copied().unwrap_or(0);
                let outside = population - range.len();
                let informed_outside_share = if outside == 0 {
                    0.0
                } else {
                    f64::from(total - in_group) / outside as f64
                };
                let weak_keeps = 1.0 - weak * informed_outside_share;
                let base = stays_unadvertised * power(strong_keeps, in_group);
                for person in range.clone() {
                    let (Some(false), Some(&meetings)) = (
                        informed_flags.get(person).copied(),
                        weak_meetings.get(person),
                    ) else {
                        continue;
                    };
                    let stays = base * power(weak_keeps, meetings);
                    if rng.random::<f64>() >= stays {
                        newly_informed.push((person, g));
                    }
                }
            }
            for &(person, g) in &newly_informed {
                if let Some(flag) = informed_flags.get_mut(person) {
                    *flag = true;
                }
                if let Some(count) = group_informed.get_mut(g) {
                    *count += 1;
                }
            }
            total += newly_informed.len() as u32;
            path.push(total);
            if f64::from(total) >= target || total as usize == population {
                break;
            }
        }
        TalkRun {
            population: config.population,
            informed: path,
        }
    }

    /// Run `run_index` under `master_seed`: its own `Xoshiro256PlusPlus`
    /// stream, so a run's result depends only on `(master_seed, run_index)`.
    ///
    /// # Complexity
    /// `O(N)` memory and `O(N)` time per period, for at most `horizon` periods.
    pub fn run_seeded(&self, master_seed: u64, run_index: u64) -> TalkRun {
        self.run(&mut run_stream(master_seed, run_index))
    }

    /// Runs `runs` (e.g. `0..100`) in parallel on rayon, each on its own stream,
    /// and returns them in index order: the result does not depend on the number
    /// of threads, and `0..50` plus `50..100` is `0..100`.
    ///
    /// # Complexity
    /// The cost of [`run_seeded`](Self::run_seeded) times the number of runs, spread over the
    /// rayon pool.
    pub fn run_many(&self, master_seed: u64, runs: std::ops::Range<u64>) -> Vec<TalkRun> {
        runs.into_par_iter()
            .map(|run| self.run_seeded(master_seed, run))
            .collect()
    }
}

/// The independent stream of `run` under `master_seed`: SplitMix64 images of the
/// two, combined so that distinct runs of one master seed get distinct seeds.
pub(crate) fn run_stream(master_seed: u64, run: u64) -> Xoshiro256PlusPlus {
    Xoshiro256PlusPlus::seed_from_u64(mix64(master_seed ^ 0x243F_6A88_85A3_08D3) ^ mix64(run))
}

/// The SplitMix64 output function (a bijection of `u64`).
fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Splits `0..population` into consecutive disjoint personal networks of
/// `ties + 1` people each (the last one may be smaller).
fn personal_networks<R: Rng + ?Sized>(
    population: usize,
    ties: TieCount,
    rng: &mut R,
) -> Vec<std::ops::Range<usize>> {
    let mut groups = Vec::new();
    let mut start = 0;
    while start < population {
        let size = ties.draw(rng) as usize + 1;
        let end = (start + size).min(population);
        groups.push(start..end);
        start = end;
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shortcut: E[(1-bw)^j] over j ~ Binomial(W, x) is (1 - bw x)^W.
    #[test]
    fn marginalising_the_meetings_is_exact() {
        let (bw, x, meetings) = (0.013_f64, 0.37_f64, 12_u32);
        let mut expectation = 0.0;
        let mut choose = 1.0_f64;
        for j in 0..=meetings {
            if j > 0 {
                choose *= f64::from(meetings - j + 1) / f64::from(j);
            }
            let pmf = choose * x.powi(j as i32) * (1.0 - x).powi((meetings - j) as i32);
            expectation += pmf * (1.0 - bw).powi(j as i32);
        }
        assert!((expectation - (1.0 - bw * x).powi(meetings as i32)).abs() < 1e-15);
    }

    #[test]
    fn personal_networks_partition_the_population() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let groups = personal_networks(103, TieCount::between(4, 9), &mut rng);
        let mut next = 0;
        for g in &groups {
            assert_eq!(g.start, next);
            assert!(g.len() <= 10 && !g.is_empty());
            next = g.end;
        }
        assert_eq!(next, 103);
        assert!(groups[..groups.len() - 1].iter().all(|g| g.len() >= 5));
        let fixed = personal_networks(12, TieCount::fixed(4), &mut rng);
        assert_eq!(fixed, vec![0..5, 5..10, 10..12]);
    }

    #[test]
    fn distinct_runs_get_distinct_streams() {
        let first: u64 = run_stream(1, 0).random();
        let second: u64 = run_stream(1, 1).random();
        let other_seed: u64 = run_stream(2, 0).random();
        assert_ne!(first, second);
        assert_ne!(first, other_seed);
        assert_eq!(first, run_stream(1, 0).random::<u64>());
    }
}
