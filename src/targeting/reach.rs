//! [`ReachOfEach`]: every customer's expected Independent Cascade reach, seeded
//! alone, from one collection of reverse-reachable sets.

use serde::{Deserialize, Serialize};

use super::rr_sets::{RrSets, Sampler, Walk};
use crate::error::{Error, Result};
use crate::propagation::{CompiledNetwork, Influencer, MonteCarloSettings, Summary, Z_95};

/// Estimates the expected Independent Cascade reach `σ(v)` of **every**
/// customer `v` seeded alone (themselves included) at once, from one
/// collection of `θ` reverse-reachable (RR) sets, instead of one Monte Carlo
/// estimate per customer.
///
/// A random RR set contains `v` with probability `σ(v) / n` (Borgs, Brautbar,
/// Chayes & Lucier 2014; Tang, Shi & Xiao 2015), so `n · #{sets ∋ v} / θ` is
/// unbiased. The set rooted at `v` always contains `v`; that part is replaced
/// by its expectation (Rao-Blackwell), which leaves the estimator unbiased
/// and lowers its variance:
///
/// ```text
/// σ̂(v) = 1 + n · k_v / θ,   k_v = #{sets ∋ v rooted elsewhere} ~ Binomial(θ, q_v),
/// q_v = (σ(v) − 1) / n,     se(σ̂(v)) = n · √(q̂_v (1 − q̂_v) / θ) ≈ √((σ(v) − 1) / s)
/// ```
///
/// with `s = θ / n` the [`sets_per_customer`](Self::sets_per_customer): the
/// standard error of a reach of `1 + r` is about `√(r / s)` customers (with
/// the default 64, 0.125 for a reach of 2, 0.375 for a reach of 10). A customer
/// no one else's set contains (no outgoing tie, or none that carried) gets
/// reach 1 with standard error 0: exact for a customer without an outgoing
/// tie, otherwise a binomial zero count (raise `s` to see smaller reaches).
/// The interval is the normal one, `σ̂ ± 1.96 se`, clipped below at 1.
///
/// Compared with [`InfluencerRanking`](crate::propagation::InfluencerRanking)
/// (one cascade estimate per customer), the cost is `θ` reverse searches of
/// the average RR set's size, once, whatever the number of customers; the
/// error of a customer's reach is larger for the small reaches and the
/// same order for the large ones. The sets are drawn by the targeting
/// sampler in units of 256 from streams of the seed: the estimates are the
/// same for any number of threads.
///
/// Defaults: 64 sets per customer, seed 0, the current thread pool.
///
/// ```
/// use social_loop::network::InfluenceNetwork;
/// use social_loop::propagation::CompiledNetwork;
/// use social_loop::targeting::ReachOfEach;
///
/// let net = InfluenceNetwork::from_triples([("a", "b", 1.0), ("b", "c", 0.5), ("d", "a", 0.5)])?;
/// let network = CompiledNetwork::from_network(&net);
/// let reach = ReachOfEach::default().sets_per_customer(2_000)?.seed(3).estimate(&network)?;
/// let a = reach.iter().find(|r| r.customer.as_str() == "a").ok_or("a")?;
/// assert!((a.reach.mean - 2.5).abs() < 5.0 * a.reach.std_err); // 1 + 1 + 0.5 exactly
/// let c = reach.iter().find(|r| r.customer.as_str() == "c").ok_or("c")?;
/// assert_eq!((c.reach.mean, c.reach.std_err), (1.0, 0.0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReachOfEach {
    sets_per_customer: u32,
    seed: u64,
    threads: Option<usize>,
}

impl Default for ReachOfEach {
    fn default() -> Self {
        ReachOfEach {
            sets_per_customer: 64,
            seed: 0,
            threads: None,
        }
    }
}

impl ReachOfEach {
    /// RR sets per customer of the network, `s = θ / n`: the accuracy (see
    /// the type's formula: the standard error of a reach `1 + r` is about
    /// `√(r / s)`), and the work, grow with it.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `sets_per_customer`) for 0.
    pub fn sets_per_customer(mut self, sets: u32) -> Result<Self> {
        if sets == 0 {
            return Err(Error::invalid("sets_per_customer", "must be at least 1"));
        }
        self.sets_per_customer = sets;
        Ok(self)
    }

    /// The seed of the RR sets.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Runs on a pool of its own of `threads` threads (default: the current
    /// pool). The estimates do not depend on it.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `threads`) for 0.
    pub fn threads(mut self, threads: usize) -> Result<Self> {
        MonteCarloSettings::new(2, 0)?.threads(threads)?;
        self.threads = Some(threads);
        Ok(self)
    }

    /// See [`ReachOfEach::sets_per_customer`].
    pub fn get_sets_per_customer(&self) -> u32 {
        self.sets_per_customer
    }

    /// Every customer of `network` with their estimated reach (see the type),
    /// in the network's customer order; `screening` is `None`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `threads`) when the operating
    /// system refuses the threads.
    ///
    /// # Complexity
    /// O(n + m) to reverse the network, plus `θ = s · n` RR sets of the
    /// average RR set's size (the mean reach), on the pool's threads.
    pub fn estimate(&self, network: &CompiledNetwork) -> Result<Vec<Influencer>> {
        let mut pool = MonteCarloSettings::new(2, self.seed)?;
        if let Some(threads) = self.threads {
            pool = pool.threads(threads)?;
        }
        let n = network.node_count();
        let graph = network.rr_graph(false);
        let target = u64::from(self.sets_per_customer).saturating_mul(n as u64);
        let sets = pool.install(|| {
            let mut sets = RrSets::new();
            Sampler::new(graph, Walk::Cascade, &[]).extend(&mut sets, self.seed, target);
            Ok(sets)
        })?;
        // k_v: the sets that contain v and are rooted elsewhere (the root is
        // every set's first member).
        let mut elsewhere = vec![0u64; n];
        for i in 0..sets.len() {
            let members = sets.nodes.get(sets.range(i)).unwrap_or_default();
            for &v in members.iter().skip(1) {
                let original = graph.original(v).unwrap_or(u32::MAX);
                if let Some(k) = elsewhere.get_mut(original as usize) {
                    *k += 1;
                }
            }
        }
        let theta = sets.len().max(1) as f64;
        let nf = n as f64;
        Ok(network
            .customers()
            .iter()
            .zip(&elsewhere)
            .enumerate()
            .map(|(v, (customer, &k))| {
                let q = k as f64 / theta;
                let mean = 1.0 + nf * q;
                let std_err = nf * (q * (1.0 - q) / theta).sqrt();
                Influencer {
                    customer: customer.clone(),
                    reach: Summary {
                        mean,
                        std_err,
                        ci95: [(mean - Z_95 * std_err).max(1.0), mean + Z_95 * std_err],
                    },
                    screening: None,
                    ties: network.out_degree(v as u32),
                }
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::InfluenceNetwork;
    use crate::propagation::Model;
    use crate::propagation::exact::expected_spread;

    fn small() -> CompiledNetwork {
        // A chain, a fork joining again, a cycle, a customer without ties out.
        let net = InfluenceNetwork::from_triples([
            ("a", "b", 0.6),
            ("a", "c", 0.3),
            ("b", "d", 0.5),
            ("c", "d", 0.7),
            ("d", "e", 0.4),
            ("e", "b", 0.2),
            ("f", "a", 0.5),
            ("f", "g", 0.9),
        ])
        .unwrap();
        CompiledNetwork::from_network(&net)
    }

    #[test]
    fn every_reach_agrees_with_the_exact_spread() {
        let network = small();
        let reach = ReachOfEach::default()
            .sets_per_customer(40_000)
            .unwrap()
            .seed(11)
            .estimate(&network)
            .unwrap();
        assert_eq!(reach.len(), network.node_count());
        let n = network.node_count() as f64;
        let theta = (40_000.0 * n / 256.0).ceil() * 256.0;
        for r in &reach {
            let exact = expected_spread(&network, Model::IndependentCascade, [r.customer.as_str()])
                .unwrap();
            // The reported error is the binomial one at the estimate; at the
            // exact spread it is within 10% of it.
            let q = ((exact - 1.0) / n).max(0.0);
            let binomial = n * (q * (1.0 - q) / theta).sqrt();
            assert!(
                (r.reach.std_err - binomial).abs() <= 0.1 * binomial + 1e-12,
                "{}: se {} against {binomial}",
                r.customer,
                r.reach.std_err
            );
            // Tolerance: 4 standard errors (about 1 in 16,000 per customer by
            // chance), and the errors are about 0.005 here.
            assert!(
                (r.reach.mean - exact).abs() <= 4.0 * binomial + 1e-12,
                "{}: {} against exact {exact} (se {binomial})",
                r.customer,
                r.reach.mean
            );
            assert!(r.reach.ci95[0] <= r.reach.mean && r.reach.mean <= r.reach.ci95[1]);
        }
        // No outgoing tie: exactly 1.
        let g = reach.iter().find(|r| r.customer.as_str() == "g").unwrap();
        assert_eq!((g.reach.mean, g.reach.std_err, g.ties), (1.0, 0.0, 0));
    }

    #[test]
    fn the_estimates_do_not_depend_on_the_thread_count() {
        let network = small();
        let run = |threads| {
            ReachOfEach::default()
                .sets_per_customer(500)
                .unwrap()
                .seed(5)
                .threads(threads)
                .unwrap()
                .estimate(&network)
                .unwrap()
        };
        assert_eq!(run(1), run(3));
        let other_seed = ReachOfEach::default()
            .sets_per_customer(500)
            .unwrap()
            .seed(6)
            .estimate(&network)
            .unwrap();
        assert_ne!(run(1), other_seed);
    }

    #[test]
    fn zero_sets_per_customer_is_refused() {
        let e = ReachOfEach::default().sets_per_customer(0).unwrap_err();
        assert_eq!(e.field(), Some("sets_per_customer"));
    }
}
