//! [`WeightScheme`]: the standard ways to set tie probabilities when the data has
//! none (or when a study wants a textbook setting).

use std::fmt;
use std::str::FromStr;

use petgraph::visit::EdgeRef;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::{Deserialize, Serialize};

use super::InfluenceNetwork;
use crate::error::{Error, Result};
use crate::probability::Probability;

/// The three trivalency probabilities (Chen, Wang & Wang, KDD 2010).
pub const TRIVALENCY_VALUES: [f64; 3] = [0.1, 0.01, 0.001];

/// How to set the probability of every tie of a network.
///
/// Only the probability changes: each tie keeps its sign. A scheme that draws
/// carries its own `u64` seed, so the same scheme gives the same weights every
/// time and no random number generator crosses the API.
///
/// | scheme | name ([`FromStr`], serde) | probability of `u -> v` |
/// |---|---|---|
/// | `FromFile` | `from_file` | unchanged: the weights the network already has (the file's column) |
/// | `Uniform(p)` | `uniform:0.1` | `p` |
/// | `WeightedCascade` | `weighted_cascade` | `1 / in-degree(v)` (so the weights into every node sum to 1: valid Linear Threshold weights) |
/// | `Trivalency { seed }` | `trivalency` (seed 0) or `trivalency:7` | drawn uniformly from {0.1, 0.01, 0.001}, independently per tie in tie order, from a `Xoshiro256PlusPlus` seeded with `seed` |
///
/// ```
/// use social_loop::network::{InfluenceNetwork, WeightScheme};
/// let mut net = InfluenceNetwork::from_triples([("a", "c", 0.9), ("b", "c", 0.9), ("c", "a", 0.9)])?;
/// WeightScheme::WeightedCascade.apply(&mut net);
/// assert_eq!(net.tie("a", "c").map(|t| t.probability.get()), Some(0.5));
/// assert_eq!(net.tie("c", "a").map(|t| t.probability.get()), Some(1.0));
///
/// // Schemes are named in scenario files and on command lines.
/// let scheme: WeightScheme = "uniform:0.05".parse()?;
/// assert_eq!(scheme.to_string(), "uniform:0.05");
/// assert_eq!("trivalency:7".parse::<WeightScheme>()?, WeightScheme::Trivalency { seed: 7 });
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum WeightScheme {
    /// Keep the probabilities the ties already have (for a file: its weight or
    /// rating column).
    FromFile,
    /// The same probability on every tie.
    Uniform(Probability),
    /// `1 / in-degree` of the tie's target.
    WeightedCascade,
    /// Uniform choice among [`TRIVALENCY_VALUES`], drawn from `seed`.
    Trivalency {
        /// Seeds the draws (`Xoshiro256PlusPlus::seed_from_u64`).
        seed: u64,
    },
}

/// The names a weight scheme is written with, for error messages.
pub(crate) const SCHEME_CHOICES: &str = "`uniform:P` (every tie P, e.g. uniform:0.1), \
     `weighted_cascade` (1 / in-degree of the listener), \
     `trivalency[:SEED]` (0.1, 0.01 or 0.001 at random)";

impl WeightScheme {
    /// Sets the probability of every tie of `network` by this scheme.
    ///
    /// # Complexity
    /// O(n + m).
    pub fn apply(&self, network: &mut InfluenceNetwork) {
        match *self {
            WeightScheme::FromFile => {}
            WeightScheme::Uniform(p) => {
                for tie in network.ties_mut() {
                    tie.probability = p;
                }
            }
            WeightScheme::Trivalency { seed } => {
                let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
                for tie in network.ties_mut() {
                    let pick = rng.random_range(0..TRIVALENCY_VALUES.len());
                    let value = TRIVALENCY_VALUES.get(pick).copied().unwrap_or(0.01);
                    tie.probability = Probability::saturating(value);
                }
            }
            WeightScheme::WeightedCascade => {
                let graph = network.graph();
                let mut in_degree = vec![0u32; graph.node_count()];
                for e in graph.edge_references() {
                    if let Some(d) = in_degree.get_mut(e.target().index()) {
                        *d += 1;
                    }
                }
                // Edge references and edge weights both run in edge-index order.
                let probabilities: Vec<Probability> = graph
                    .edge_references()
                    .map(|e| {
                        let d = in_degree.get(e.target().index()).copied().unwrap_or(1);
                        Probability::saturating(1.0 / f64::from(d.max(1)))
                    })
                    .collect();
                for (tie, p) in network.ties_mut().zip(probabilities) {
                    tie.probability = p;
                }
            }
        }
    }
}

impl fmt::Display for WeightScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WeightScheme::FromFile => f.write_str("from_file"),
            WeightScheme::Uniform(p) => write!(f, "uniform:{}", p.get()),
            WeightScheme::WeightedCascade => f.write_str("weighted_cascade"),
            WeightScheme::Trivalency { seed } => write!(f, "trivalency:{seed}"),
        }
    }
}

impl FromStr for WeightScheme {
    type Err = Error;

    /// Parses `from_file`, `weighted_cascade`, `uniform:P` or `trivalency[:SEED]`
    /// (`trivalency` alone has seed 0).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `weights`) for any other text or a
    /// `P` that is not a probability.
    fn from_str(text: &str) -> Result<Self> {
        let text = text.trim();
        let (name, argument) = match text.split_once(':') {
            Some((name, argument)) => (name.trim(), Some(argument.trim())),
            None => (text, None),
        };
        let unknown = || {
            Error::invalid(
                "weights",
                format!("unknown weight scheme `{text}`: expected `from_file`, {SCHEME_CHOICES}"),
            )
        };
        match (name, argument) {
            ("from_file", None) => Ok(WeightScheme::FromFile),
            ("weighted_cascade", None) => Ok(WeightScheme::WeightedCascade),
            ("trivalency", None) => Ok(WeightScheme::Trivalency { seed: 0 }),
            ("trivalency", Some(seed)) => seed
                .parse::<u64>()
                .map(|seed| WeightScheme::Trivalency { seed })
                .map_err(|_| {
                    Error::invalid(
                        "weights",
                        format!("`{seed}` in `{text}` is not a seed (a whole number >= 0)"),
                    )
                }),
            ("uniform", Some(p)) => {
                let value = p.parse::<f64>().map_err(|_| {
                    Error::invalid("weights", format!("`{p}` in `{text}` is not a number"))
                })?;
                Probability::for_field(value, "weights").map(WeightScheme::Uniform)
            }
            _ => Err(unknown()),
        }
    }
}

impl TryFrom<String> for WeightScheme {
    type Error = Error;
    fn try_from(text: String) -> Result<Self> {
        text.parse()
    }
}

impl From<WeightScheme> for String {
    fn from(scheme: WeightScheme) -> String {
        scheme.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::TieSign;

    fn star_into_d() -> InfluenceNetwork {
        InfluenceNetwork::from_triples([
            ("a", "d", 0.9),
            ("b", "d", -0.9),
            ("c", "d", 0.9),
            ("d", "a", 0.2),
            ("a", "b", 0.3),
        ])
        .unwrap()
    }

    #[test]
    fn weighted_cascade_is_one_over_in_degree_and_keeps_signs() {
        let mut net = star_into_d();
        WeightScheme::WeightedCascade.apply(&mut net);
        let p = |a: &str, b: &str| net.tie(a, b).unwrap().probability.get();
        assert_eq!(p("a", "d"), 1.0 / 3.0);
        assert_eq!(p("c", "d"), 1.0 / 3.0);
        assert_eq!(p("d", "a"), 1.0);
        assert_eq!(p("a", "b"), 1.0);
        assert_eq!(net.tie("b", "d").unwrap().sign, TieSign::Negative);
        for id in ["a", "b", "d"] {
            let sum: f64 = net
                .influencers(id)
                .unwrap()
                .map(|(_, t)| t.probability.get())
                .sum();
            assert!((sum - 1.0).abs() < 1e-12, "{id}: {sum}");
        }
    }

    #[test]
    fn uniform_sets_every_tie() {
        let mut net = star_into_d();
        let q = Probability::new(0.07).unwrap();
        WeightScheme::Uniform(q).apply(&mut net);
        assert!(net.ties().all(|t| t.tie.probability == q));
        assert_eq!(net.tie("b", "d").unwrap().sign, TieSign::Negative);
    }

    #[test]
    fn from_file_changes_nothing() {
        let mut net = star_into_d();
        let before: Vec<_> = net.ties().map(|t| t.tie).collect();
        WeightScheme::FromFile.apply(&mut net);
        assert_eq!(net.ties().map(|t| t.tie).collect::<Vec<_>>(), before);
    }

    #[test]
    fn trivalency_draws_the_three_values_evenly_and_reproducibly() {
        let triples: Vec<(String, String, f64)> = (0..3000)
            .map(|i| (format!("u{i}"), format!("v{i}"), 0.5))
            .collect();
        let mut net = InfluenceNetwork::from_triples(triples).unwrap();
        let mut again = net.clone();
        WeightScheme::Trivalency { seed: 11 }.apply(&mut net);
        WeightScheme::Trivalency { seed: 11 }.apply(&mut again);
        let values: Vec<f64> = net.ties().map(|t| t.tie.probability.get()).collect();
        let values_again: Vec<f64> = again.ties().map(|t| t.tie.probability.get()).collect();
        assert_eq!(values, values_again);
        for v in TRIVALENCY_VALUES {
            let count = values.iter().filter(|&&x| x == v).count();
            // Binomial(3000, 1/3): sd ~ 25.8; allow 5 sd.
            assert!((count as f64 - 1000.0).abs() < 130.0, "{v}: {count}");
        }
        assert_eq!(values.len(), 3000);
        assert!(values.iter().all(|x| TRIVALENCY_VALUES.contains(x)));
    }

    #[test]
    fn trivalency_seeds_give_different_draws() {
        let triples: Vec<(String, String, f64)> = (0..64)
            .map(|i| (format!("u{i}"), format!("v{i}"), 0.5))
            .collect();
        let net = InfluenceNetwork::from_triples(triples).unwrap();
        let draw = |seed| {
            let mut net = net.clone();
            WeightScheme::Trivalency { seed }.apply(&mut net);
            net.ties()
                .map(|t| t.tie.probability.get())
                .collect::<Vec<_>>()
        };
        // 64 ties agreeing by chance: 3^-64.
        assert_ne!(draw(1), draw(2));
    }

    #[test]
    fn names_round_trip_through_text_and_serde() {
        for scheme in [
            WeightScheme::FromFile,
            WeightScheme::WeightedCascade,
            WeightScheme::Uniform(Probability::new(0.1).unwrap()),
            WeightScheme::Trivalency { seed: 42 },
        ] {
            assert_eq!(scheme.to_string().parse::<WeightScheme>().unwrap(), scheme);
            let json = serde_json::to_string(&scheme).unwrap();
            assert_eq!(serde_json::from_str::<WeightScheme>(&json).unwrap(), scheme);
        }
        assert_eq!(
            serde_json::to_string(&WeightScheme::WeightedCascade).unwrap(),
            "\"weighted_cascade\""
        );
        assert_eq!(
            serde_json::from_str::<WeightScheme>("\"trivalency\"").unwrap(),
            WeightScheme::Trivalency { seed: 0 }
        );
        assert_eq!(
            " uniform: 0.25 ".parse::<WeightScheme>().unwrap(),
            WeightScheme::Uniform(Probability::new(0.25).unwrap())
        );
    }

    #[test]
    fn bad_names_list_the_choices() {
        for bad in [
            "uniform",
            "uniform:1.5",
            "uniform:x",
            "trivalency:-1",
            "wc",
            "from_file:1",
        ] {
            let err = bad.parse::<WeightScheme>().unwrap_err();
            assert_eq!(err.field(), Some("weights"), "{bad}: {err}");
        }
        let err = "wc".parse::<WeightScheme>().unwrap_err().to_string();
        assert!(
            err.contains("weighted_cascade") && err.contains("uniform:P"),
            "{err}"
        );
        assert!(serde_json::from_str::<WeightScheme>("\"uniform:1.1\"").is_err());
    }
}
