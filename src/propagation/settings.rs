//! [`MonteCarloSettings`]: how every Monte Carlo estimate of the crate is
//! replicated, validated once.

use serde::{Deserialize, Serialize};

use super::Engine;
use crate::error::{Error, Result};

/// The most worker threads a setting accepts: more than any machine this crate
/// targets, few enough that a typo (`--threads 100000`) is refused rather than
/// spawning a pool the operating system cannot give.
pub const MAX_THREADS: usize = 1_024;

/// Runs, master seed, threads and engine of a Monte Carlo estimate, shared by
/// every estimator of the crate ([`MonteCarlo`](super::MonteCarlo),
/// [`FunnelLift`](crate::funnel::FunnelLift),
/// [`InfluencerRanking`](super::InfluencerRanking), the CRM's
/// [`RankOptions`](crate::crm::RankOptions) and the evaluations of
/// [`Targeting`](crate::targeting::Targeting)).
///
/// Checked once, when built: at least 2 runs (a standard error needs two),
/// threads in `1..=`[`MAX_THREADS`]. An estimate is a function of the runs, the
/// seed and the engine only; `threads` changes how fast it is computed, never
/// its value.
///
/// ```
/// use social_loop::propagation::{Engine, MonteCarloSettings};
///
/// let settings = MonteCarloSettings::new(20_000, 42)?.engine(Engine::Skipping).threads(2)?;
/// assert_eq!((settings.runs(), settings.seed(), settings.thread_count()), (20_000, 42, Some(2)));
/// assert!(MonteCarloSettings::new(1, 42).unwrap_err().field() == Some("runs"));
/// # Ok::<(), social_loop::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "Unchecked", into = "Unchecked")]
pub struct MonteCarloSettings {
    runs: u64,
    seed: u64,
    threads: Option<usize>,
    engine: Engine,
}

impl Default for MonteCarloSettings {
    /// 10,000 runs, seed 0, the current rayon pool, [`Engine::Auto`].
    fn default() -> Self {
        MonteCarloSettings {
            runs: 10_000,
            seed: 0,
            threads: None,
            engine: Engine::Auto,
        }
    }
}

impl MonteCarloSettings {
    /// `runs` runs from master seed `seed`, on the current rayon pool, with
    /// [`Engine::Auto`].
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `runs`) for fewer than 2 runs.
    pub fn new(runs: u64, seed: u64) -> Result<Self> {
        check_runs(runs)?;
        Ok(MonteCarloSettings {
            runs,
            seed,
            ..MonteCarloSettings::default()
        })
    }

    /// `runs` runs from `seed` for the crate's own defaults, checked at
    /// compile time (`runs` below 2 does not compile).
    pub(crate) const fn const_new(runs: u64, seed: u64) -> Self {
        assert!(runs >= 2, "a default needs at least 2 runs");
        MonteCarloSettings {
            runs,
            seed,
            threads: None,
            engine: Engine::Auto,
        }
    }

    /// The same settings on the current pool, for the estimates inside an
    /// operation that already runs under [`install`](Self::install).
    pub(crate) fn on_current_pool(mut self) -> Self {
        self.threads = None;
        self
    }

    /// The same settings with another master seed (for an estimator that
    /// derives a stream of its own from a caller's seed).
    #[must_use]
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// The same settings with `runs` runs.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `runs`) for fewer than 2 runs.
    pub fn with_runs(mut self, runs: u64) -> Result<Self> {
        check_runs(runs)?;
        self.runs = runs;
        Ok(self)
    }

    /// Chooses the engine (default [`Engine::Auto`]); estimators that run one
    /// engine only ignore it.
    #[must_use]
    pub fn engine(mut self, engine: Engine) -> Self {
        self.engine = engine;
        self
    }

    /// Runs the estimate on a pool of its own of `threads` threads (default: the
    /// current rayon pool).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `threads`) outside `1..=`[`MAX_THREADS`].
    pub fn threads(mut self, threads: usize) -> Result<Self> {
        check_threads(Some(threads))?;
        self.threads = Some(threads);
        Ok(self)
    }

    /// Number of runs (at least 2).
    pub fn runs(&self) -> u64 {
        self.runs
    }

    /// Master seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The engine asked for.
    pub fn engine_choice(&self) -> Engine {
        self.engine
    }

    /// The size of the pool of its own, if one was asked for.
    pub fn thread_count(&self) -> Option<usize> {
        self.threads
    }

    /// Runs `work` on the pool these settings ask for: a pool of its own of
    /// [`thread_count`](Self::thread_count) threads, or the current one.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `threads`) when the operating system
    /// refuses the threads; otherwise `work`'s own result.
    pub fn install<T: Send>(&self, work: impl FnOnce() -> Result<T> + Send) -> Result<T> {
        match self.threads {
            None => work(),
            Some(threads) => rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .map_err(|e| Error::invalid("threads", format!("cannot start {threads}: {e}")))?
                .install(work),
        }
    }
}

fn check_runs(runs: u64) -> Result<()> {
    if runs < 2 {
        return Err(Error::invalid(
            "runs",
            format!("{runs} runs: at least 2 are needed for a standard error"),
        ));
    }
    Ok(())
}

fn check_threads(threads: Option<usize>) -> Result<()> {
    match threads {
        Some(t) if t == 0 || t > MAX_THREADS => Err(Error::invalid(
            "threads",
            format!("{t} threads: give 1 to {MAX_THREADS}"),
        )),
        _ => Ok(()),
    }
}

/// The serde form: the same fields, checked on the way in.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Unchecked {
    runs: u64,
    seed: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    threads: Option<usize>,
    #[serde(default)]
    engine: Engine,
}

impl TryFrom<Unchecked> for MonteCarloSettings {
    type Error = Error;

    fn try_from(raw: Unchecked) -> Result<Self> {
        check_runs(raw.runs)?;
        check_threads(raw.threads)?;
        Ok(MonteCarloSettings {
            runs: raw.runs,
            seed: raw.seed,
            threads: raw.threads,
            engine: raw.engine,
        })
    }
}

impl From<MonteCarloSettings> for Unchecked {
    fn from(s: MonteCarloSettings) -> Self {
        Unchecked {
            runs: s.runs,
            seed: s.seed,
            threads: s.threads,
            engine: s.engine,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_settings_are_refused_at_construction_and_in_json() {
        assert_eq!(
            MonteCarloSettings::new(1, 0).unwrap_err().field(),
            Some("runs")
        );
        let ok = MonteCarloSettings::new(2, 0).unwrap();
        assert_eq!(ok.threads(0).unwrap_err().field(), Some("threads"));
        assert_eq!(
            ok.threads(MAX_THREADS + 1).unwrap_err().field(),
            Some("threads")
        );
        assert!(ok.threads(MAX_THREADS).is_ok());
        assert!(serde_json::from_str::<MonteCarloSettings>(r#"{"runs": 1, "seed": 0}"#).is_err());
        let back: MonteCarloSettings =
            serde_json::from_str(&serde_json::to_string(&ok).unwrap()).unwrap();
        assert_eq!(back, ok);
    }

    #[test]
    fn install_uses_a_pool_of_the_asked_size() {
        let s = MonteCarloSettings::new(2, 0).unwrap().threads(3).unwrap();
        assert_eq!(s.install(|| Ok(rayon::current_num_threads())).unwrap(), 3);
    }
}
