//! [`WeightScheme`]: the standard ways to set tie probabilities when the data has
//! none (or when a study wants a textbook setting).

use petgraph::visit::EdgeRef;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::{Deserialize, Serialize};

use super::InfluenceNetwork;
use crate::probability::Probability;

/// The three trivalency probabilities (Chen, Wang & Wang, KDD 2010).
pub const TRIVALENCY_VALUES: [f64; 3] = [0.1, 0.01, 0.001];

/// How to set the probability of every tie of a network.
///
/// Only the probability changes: each tie keeps its sign.
///
/// | scheme | probability of `u -> v` |
/// |---|---|
/// | `Uniform(p)` | `p` |
/// | `WeightedCascade` | `1 / in-degree(v)` (so the weights into every node sum to 1: valid Linear Threshold weights) |
/// | `Trivalency` | drawn uniformly from {0.1, 0.01, 0.001}, independently per tie, from a `Xoshiro256PlusPlus` seeded with the caller's seed |
/// | `FromData` | unchanged: the weights read from the file |
///
/// ```
/// use social_loop::network::{InfluenceNetwork, WeightScheme};
/// let mut net = InfluenceNetwork::from_triples([("a", "c", 0.9), ("b", "c", 0.9), ("c", "a", 0.9)])?;
/// WeightScheme::WeightedCascade.apply(&mut net, 0); // the seed is read by Trivalency only
/// assert_eq!(net.tie("a", "c").map(|t| t.probability.get()), Some(0.5));
/// assert_eq!(net.tie("c", "a").map(|t| t.probability.get()), Some(1.0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WeightScheme {
    /// The same probability on every tie.
    Uniform(Probability),
    /// `1 / in-degree` of the tie's target.
    WeightedCascade,
    /// Uniform choice among [`TRIVALENCY_VALUES`].
    Trivalency,
    /// Keep the probabilities the network already has.
    #[default]
    FromData,
}

impl WeightScheme {
    /// Sets the probability of every tie of `network` by this scheme. `seed` is
    /// only read by [`WeightScheme::Trivalency`]: it seeds a
    /// `Xoshiro256PlusPlus` (`seed_from_u64`) that draws one value per tie, in
    /// tie insertion order, so a seed gives the same weights every time.
    ///
    /// # Complexity
    /// O(n + m).
    pub fn apply(&self, network: &mut InfluenceNetwork, seed: u64) {
        match *self {
            WeightScheme::FromData => {}
            WeightScheme::Uniform(p) => {
                for tie in network.ties_mut() {
                    tie.probability = p;
                }
            }
            WeightScheme::Trivalency => {
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
        WeightScheme::WeightedCascade.apply(&mut net, 11);
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
        WeightScheme::Uniform(q).apply(&mut net, 11);
        assert!(net.ties().all(|t| t.tie.probability == q));
        assert_eq!(net.tie("b", "d").unwrap().sign, TieSign::Negative);
    }

    #[test]
    fn from_data_changes_nothing() {
        let mut net = star_into_d();
        let before: Vec<_> = net.ties().map(|t| t.tie).collect();
        WeightScheme::FromData.apply(&mut net, 11);
        assert_eq!(net.ties().map(|t| t.tie).collect::<Vec<_>>(), before);
    }

    #[test]
    fn trivalency_draws_the_three_values_evenly_and_reproducibly() {
        let triples: Vec<(String, String, f64)> = (0..3000)
            .map(|i| (format!("u{i}"), format!("v{i}"), 0.5))
            .collect();
        let mut net = InfluenceNetwork::from_triples(triples).unwrap();
        let mut again = net.clone();
        WeightScheme::Trivalency.apply(&mut net, 11);
        WeightScheme::Trivalency.apply(&mut again, 11);
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
    fn serde_names_the_scheme() {
        let json = serde_json::to_string(&WeightScheme::WeightedCascade).unwrap();
        assert_eq!(json, "\"weighted_cascade\"");
        let back: WeightScheme = serde_json::from_str("{\"uniform\":0.1}").unwrap();
        assert_eq!(back, WeightScheme::Uniform(Probability::new(0.1).unwrap()));
        assert!(serde_json::from_str::<WeightScheme>("{\"uniform\":1.1}").is_err());
    }
}
