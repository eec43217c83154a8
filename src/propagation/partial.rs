//! [`SpreadTally`]: the exact integer sums of a range of Monte Carlo runs,
//! which merge with the tallies of other ranges into exactly the estimate of
//! all of them, so one estimate can be fanned out over the tasks of a batch
//! scheduler.

use serde::{Deserialize, Serialize};

use super::estimate::{SignedReach, SpreadEstimate, Summary};
use super::tally::Tally;
use super::{Engine, Model};
use crate::error::{Error, Result};

/// The runs, counts and sums of a range of runs of one Monte Carlo estimate:
/// what [`MonteCarlo::tally`](super::MonteCarlo::tally) returns.
///
/// Run `r` of an estimate is a pure function of the master seed, the engine
/// and `r` (see the [module docs](super)), and a tally holds integer sums of
/// the runs' spreads and of their squares. So tallies of disjoint ranges of
/// the same estimate [`merge`](Self::merge) into exactly the tally of their
/// union, in any order and grouping, and [`finish`](Self::finish) gives the
/// estimate of that union bit for bit: runs `0..500` and `500..1000`, each
/// computed by a job of its own, make the estimate of runs `0..1000`.
///
/// In JSON the 128-bit sums are decimal strings.
///
/// ```
/// use social_loop::network::InfluenceNetwork;
/// use social_loop::propagation::{CompiledNetwork, Engine, Model, MonteCarlo, MonteCarloSettings};
/// let net = InfluenceNetwork::from_triples([("a", "b", 0.5), ("b", "c", 0.5)])?;
/// let compiled = CompiledNetwork::from_network(&net);
/// let mc = MonteCarlo::new(Model::IndependentCascade)
///     .settings(MonteCarloSettings::new(1_000, 7)?.engine(Engine::PerRun));
/// let mut first = mc.tally(&compiled, ["a"], [""; 0], 0..400)?;
/// let second = mc.tally(&compiled, ["a"], [""; 0], 400..1_000)?;
/// first.merge(&second)?;
/// assert_eq!(first.finish(), mc.estimate(&compiled, ["a"])?);
/// assert!(first.merge(&second).is_err()); // runs 400..1000 are in already
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "TallyRecord", into = "TallyRecord")]
pub struct SpreadTally {
    model: Model,
    engine: Engine,
    seed: u64,
    runs: Vec<[u64; 2]>,
    spread: Sums,
    positive: Sums,
    negative: Sums,
}

/// Sum and sum of squares of a per-run count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Sums {
    sum: u128,
    sum_sq: u128,
}

impl Sums {
    fn merge(self, other: Sums) -> Option<Sums> {
        Some(Sums {
            sum: self.sum.checked_add(other.sum)?,
            sum_sq: self.sum_sq.checked_add(other.sum_sq)?,
        })
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TallyRecord {
    model: Model,
    engine: Engine,
    seed: u64,
    runs: Vec<[u64; 2]>,
    spread: SumsRecord,
    positive: SumsRecord,
    negative: SumsRecord,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SumsRecord {
    sum: String,
    sum_sq: String,
}

impl From<Sums> for SumsRecord {
    fn from(s: Sums) -> Self {
        SumsRecord {
            sum: s.sum.to_string(),
            sum_sq: s.sum_sq.to_string(),
        }
    }
}

impl TryFrom<SumsRecord> for Sums {
    type Error = Error;
    fn try_from(r: SumsRecord) -> Result<Self> {
        let int = |text: &str| {
            text.parse::<u128>()
                .map_err(|e| Error::invalid("tally", format!("`{text}`: {e}")))
        };
        Ok(Sums {
            sum: int(&r.sum)?,
            sum_sq: int(&r.sum_sq)?,
        })
    }
}

impl TryFrom<TallyRecord> for SpreadTally {
    type Error = Error;
    fn try_from(r: TallyRecord) -> Result<Self> {
        if r.engine == Engine::Auto {
            return Err(Error::invalid(
                "tally.engine",
                "a tally names the engine that ran it, not `auto`",
            ));
        }
        if union_of_runs(r.runs.clone()).as_ref() != Some(&r.runs) {
            return Err(Error::invalid(
                "tally.runs",
                "runs must be sorted, disjoint, non-empty ranges",
            ));
        }
        Ok(SpreadTally {
            model: r.model,
            engine: r.engine,
            seed: r.seed,
            runs: r.runs,
            spread: r.spread.try_into()?,
            positive: r.positive.try_into()?,
            negative: r.negative.try_into()?,
        })
    }
}

impl From<SpreadTally> for TallyRecord {
    fn from(t: SpreadTally) -> Self {
        TallyRecord {
            model: t.model,
            engine: t.engine,
            seed: t.seed,
            runs: t.runs,
            spread: t.spread.into(),
            positive: t.positive.into(),
            negative: t.negative.into(),
        }
    }
}

impl SpreadTally {
    /// The tally of `runs`, simulated with `engine` (not `Auto`) under `seed`.
    pub(crate) fn new(
        model: Model,
        engine: Engine,
        seed: u64,
        runs: std::ops::Range<u64>,
        tally: &Tally,
    ) -> Self {
        let sums = |[sum, sum_sq]: [u128; 2]| Sums { sum, sum_sq };
        SpreadTally {
            model,
            engine,
            seed,
            runs: vec![[runs.start, runs.end]],
            spread: sums(tally.total.sums()),
            positive: sums(tally.positive.sums()),
            negative: sums(tally.negative.sums()),
        }
    }

    /// The runs tallied, as sorted, disjoint half-open ranges `[start, end)`.
    pub fn runs(&self) -> &[[u64; 2]] {
        &self.runs
    }

    /// Adds the runs of `other`, a tally of the same estimate (model, engine
    /// and master seed) over other runs. Exact, associative and commutative.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `merge`) when the model, the engine
    /// or the seed differ, or when the tallies share a run;
    /// [`Error::Overflow`] when a sum does not fit. `self` is unchanged on
    /// error.
    pub fn merge(&mut self, other: &SpreadTally) -> Result<()> {
        let differ = |what: &str, a: String, b: String| {
            Err(Error::invalid(
                "merge",
                format!(
                    "the tallies are of different estimates (their {what} differ: {a} and {b})"
                ),
            ))
        };
        if self.model != other.model {
            return differ(
                "models",
                self.model.name().into(),
                other.model.name().into(),
            );
        }
        if self.engine != other.engine {
            return differ("engines", self.engine.to_string(), other.engine.to_string());
        }
        if self.seed != other.seed {
            return differ("seeds", self.seed.to_string(), other.seed.to_string());
        }
        let mut runs = self.runs.clone();
        runs.extend_from_slice(&other.runs);
        let runs = union_of_runs(runs).ok_or_else(|| {
            Error::invalid(
                "merge",
                format!(
                    "runs {} and {} overlap: a run would be counted twice",
                    show(&self.runs),
                    show(&other.runs)
                ),
            )
        })?;
        let overflow = || Error::overflow("the sums of a spread tally");
        let spread = self.spread.merge(other.spread).ok_or_else(overflow)?;
        let positive = self.positive.merge(other.positive).ok_or_else(overflow)?;
        let negative = self.negative.merge(other.negative).ok_or_else(overflow)?;
        *self = SpreadTally {
            runs,
            spread,
            positive,
            negative,
            ..self.clone()
        };
        Ok(())
    }

    /// The estimate of the runs tallied: exactly what one
    /// [`MonteCarlo::tally`](super::MonteCarlo::tally) over all of them
    /// finishes to (for runs `0..n` with `n >= 64`, or an engine other than
    /// `Auto`, also exactly [`MonteCarlo::estimate`](super::MonteCarlo::estimate)
    /// with `n` runs). The per-customer, per-step and per-tie outputs are
    /// `None`: a tally carries the spread only.
    pub fn finish(&self) -> SpreadEstimate {
        let runs: u64 = self.runs.iter().map(|[s, e]| e - s).sum();
        let summary = |s: Sums| Summary::from_sums(runs, s.sum, s.sum_sq);
        let spread = summary(self.spread);
        SpreadEstimate {
            model: self.model,
            engine: self.engine,
            runs,
            seed: self.seed,
            mean: spread.mean,
            std_err: spread.std_err,
            ci95: spread.ci95,
            signed: matches!(self.model, Model::Signed { .. }).then(|| SignedReach {
                positive: summary(self.positive),
                negative: summary(self.negative),
            }),
            node_probabilities: None,
            trajectory: None,
            influence: None,
        }
    }
}

fn show(runs: &[[u64; 2]]) -> String {
    runs.iter()
        .map(|[s, e]| format!("{s}..{e}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Sorts and coalesces half-open ranges of runs `[start, end)`; `None` if
/// two overlap or one is empty. The one check of "no run counted twice" for
/// the crate's mergeable results (spread tallies, sweep tables).
pub(crate) fn union_of_runs<T: Ord + Copy>(mut runs: Vec<[T; 2]>) -> Option<Vec<[T; 2]>> {
    runs.sort_unstable();
    let mut out: Vec<[T; 2]> = Vec::with_capacity(runs.len());
    for [start, end] in runs {
        if start >= end {
            return None;
        }
        match out.last_mut() {
            Some(last) if start < last[1] => return None,
            Some(last) if start == last[1] => last[1] = end,
            _ => out.push([start, end]),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_are_coalesced_and_overlaps_refused() {
        assert_eq!(
            union_of_runs(vec![[5u32, 9], [0, 5], [12, 13]]),
            Some(vec![[0, 9], [12, 13]])
        );
        assert_eq!(union_of_runs(vec![[0u64, 5], [4, 6]]), None);
        assert_eq!(union_of_runs(vec![[3u32, 3]]), None);
        assert_eq!(union_of_runs::<u32>(vec![]), Some(vec![]));
    }

    #[test]
    fn json_keeps_sums_as_strings_and_refuses_auto_or_bad_runs() {
        let mut tally = Tally::default();
        tally.add_run(3, 0);
        tally.add_run(5, 0);
        let t = SpreadTally::new(Model::IndependentCascade, Engine::PerRun, 9, 4..6, &tally);
        let json = serde_json::to_string(&t).unwrap();
        assert!(
            json.contains(r#""spread":{"sum":"8","sum_sq":"34"}"#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<SpreadTally>(&json).unwrap(), t);
        let auto = json.replace(r#""per_run""#, r#""auto""#);
        assert!(serde_json::from_str::<SpreadTally>(&auto).is_err());
        let empty = json.replace("[[4,6]]", "[[6,6]]");
        assert!(serde_json::from_str::<SpreadTally>(&empty).is_err());
        let e = t.finish();
        assert_eq!((e.runs, e.mean, e.signed), (2, 4.0, None));
    }
}
