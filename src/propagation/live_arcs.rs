//! Drawing the live out-arcs of a node in one run without a coin per arc:
//! geometric skipping with thinning (the [`Engine::Skipping`](super::Engine)
//! engine).
//!
//! In a run of Independent Cascade every arc is live independently with its own
//! probability. When a node with `d` out-arcs of probability at most `p_max` acts,
//! the positions of the *candidate* arcs (live with probability `p_max` each) are
//! drawn directly: the gap to the next candidate is geometric,
//! `floor(ln U / ln(1 - p_max))` with `U` uniform on `(0, 1]`, so a node costs
//! about `1 + d · p_max` draws instead of `d`, and a dead arc costs nothing (not
//! even a look at its target). A candidate arc with probability `p < p_max` is then
//! kept with probability `p / p_max` (thinning), so each arc is live with exactly
//! its own probability, independently of the others. Where `p_max` is large
//! (`>= DENSE_FROM`) skipping saves little and the node draws one coin per arc
//! instead.
//!
//! The draws of node `u` in a run are the counter-based generator
//! [`coin`](super::streams::coin) at the run's arc key and the counters
//! `2 (first_arc(u) + u) ..= 2 (first_arc(u) + u) + 2 · d`, which no other node uses:
//! the live out-arcs of a node are a pure function of the run's key and the node,
//! whatever the order in which the cascade reaches it. A run's live-edge world is
//! therefore fixed by its key, so two seed sets estimated on the same seed are
//! compared on the same worlds (common random numbers across seed sets). Unlike
//! the per-arc coins of the other engines it is not coupled across changes of
//! probability (changing `p_max` moves every gap).

use super::CompiledNetwork;
use super::streams::{coin, threshold};

/// From this largest out-arc probability on, a node draws one coin per arc
/// instead of skipping: a skip costs a logarithm and, for unequal probabilities, a
/// thinning draw, about 4 to 5 plain coins (measured on Barabasi-Albert graphs).
pub(crate) const DENSE_FROM: f64 = 0.2;

/// How one node draws its live out-arcs.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Plan {
    /// `1 / ln(1 - p_max)` (negative) when the node skips; `0.0` when it draws a
    /// coin per arc.
    inv_log_miss: f64,
    /// `floor(p_max · 2³²)`: the candidate rate in fixed point (thinning compares
    /// each arc's threshold with it).
    t_max: u64,
}

/// The per-node sampling plans of a compiled network: 16 bytes per node, built in
/// one pass over the arcs, shared read-only by every worker thread.
#[derive(Debug)]
pub(crate) struct LiveArcSampler {
    plans: Vec<Plan>,
}

impl LiveArcSampler {
    /// Plans every node of `network` from its out-arc probabilities.
    ///
    /// # Complexity
    /// O(n + m).
    pub(crate) fn new(network: &CompiledNetwork) -> Self {
        let probabilities = network.probabilities();
        let plans = (0..network.node_count() as u32)
            .map(|u| {
                let p_max = network
                    .arc_range(u)
                    .filter_map(|arc| probabilities.get(arc))
                    .fold(0f32, |max, &p| max.max(p));
                let p_max = f64::from(p_max);
                Plan {
                    inv_log_miss: if p_max >= DENSE_FROM {
                        0.0
                    } else {
                        1.0 / (-p_max).ln_1p()
                    },
                    t_max: threshold(p_max as f32),
                }
            })
            .collect();
        LiveArcSampler { plans }
    }

    /// Bytes held by the plans.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.plans.len() * std::mem::size_of::<Plan>()
    }

    /// The live out-arcs of `node` in the run whose arc key is `key`, in increasing
    /// arc order (empty for a node out of range).
    #[inline]
    pub(crate) fn live_arcs<'a>(
        &self,
        network: &'a CompiledNetwork,
        node: u32,
        key: u64,
    ) -> LiveArcs<'a> {
        let range = network.arc_range(node);
        let plan = self.plans.get(node as usize).copied().unwrap_or_default();
        LiveArcs {
            probabilities: network.probabilities(),
            next: range.start,
            end: if plan.t_max == 0 {
                range.start
            } else {
                range.end
            },
            base: 2 * (range.start as u64 + u64::from(node)),
            draws: 0,
            key,
            plan,
        }
    }
}

/// An iterator over the live out-arcs of one node in one run (see the module
/// docs); yields arc indices.
#[derive(Debug)]
pub(crate) struct LiveArcs<'a> {
    probabilities: &'a [f32],
    next: usize,
    end: usize,
    /// The node's first counter.
    base: u64,
    draws: u64,
    key: u64,
    plan: Plan,
}

impl LiveArcs<'_> {
    #[inline(always)]
    fn draw(&mut self) -> u64 {
        let bits = coin(self.key, self.base + self.draws);
        self.draws += 1;
        bits
    }

    /// The random words drawn so far.
    pub(crate) fn draws(&self) -> u64 {
        self.draws
    }
}

impl Iterator for LiveArcs<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        while self.next < self.end {
            if self.plan.inv_log_miss == 0.0 {
                // Dense: one coin per arc, live with probability t / 2³².
                let arc = self.next;
                self.next += 1;
                let t = threshold(self.probabilities.get(arc).copied().unwrap_or(0.0));
                if (self.draw() >> 32) < t {
                    return Some(arc);
                }
                continue;
            }
            // Skip a geometric number of arcs: U in (0, 1], ln U <= 0.
            let uniform = ((self.draw() >> 11) + 1) as f64 * (1.0 / (1u64 << 53) as f64);
            let gap = (uniform.ln() * self.plan.inv_log_miss) as usize;
            let arc = self.next.saturating_add(gap);
            if arc >= self.end {
                self.next = self.end;
                return None;
            }
            self.next = arc + 1;
            let t = threshold(self.probabilities.get(arc).copied().unwrap_or(0.0));
            // Thinning: keep the candidate with probability t / t_max (t < t_max
            // <= 2³², so neither side overflows).
            if t >= self.plan.t_max || (self.draw() >> 32) * self.plan.t_max < t << 32 {
                return Some(arc);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::InfluenceNetwork;

    fn star(probabilities: &[f64]) -> CompiledNetwork {
        let leaves: Vec<String> = (0..probabilities.len()).map(|i| format!("l{i}")).collect();
        let net = InfluenceNetwork::from_triples(
            leaves
                .iter()
                .zip(probabilities)
                .map(|(leaf, &p)| ("hub", leaf.as_str(), p)),
        )
        .unwrap();
        CompiledNetwork::from_network(&net)
    }

    /// Live frequency of each arc of the hub over `runs` keys.
    fn frequencies(net: &CompiledNetwork, runs: u64) -> Vec<f64> {
        let sampler = LiveArcSampler::new(net);
        let hub = net.node_of("hub").unwrap();
        let mut hits = vec![0u64; net.out_degree(hub)];
        for key in 0..runs {
            let mut last = None;
            for arc in sampler.live_arcs(net, hub, crate::propagation::streams::mix64(key)) {
                assert!(last.is_none_or(|l| arc > l), "arcs in increasing order");
                last = Some(arc);
                hits[arc] += 1;
            }
        }
        hits.iter().map(|&h| h as f64 / runs as f64).collect()
    }

    fn assert_rates(net: &CompiledNetwork, expected: &[f64], runs: u64) {
        for (arc, (&got, &p)) in frequencies(net, runs).iter().zip(expected).enumerate() {
            let sd = (p * (1.0 - p) / runs as f64).sqrt();
            assert!(
                (got - p).abs() <= 5.0 * sd + 1e-9,
                "arc {arc}: live {got}, expected {p} (5 sd = {})",
                5.0 * sd
            );
        }
    }

    #[test]
    fn uniform_skipping_gives_each_arc_its_probability() {
        let p = vec![0.03; 40];
        assert_rates(&star(&p), &p, 40_000);
    }

    #[test]
    fn thinning_gives_unequal_arcs_their_own_probability() {
        let p: Vec<f64> = (0..30).map(|i| 0.001 + 0.005 * f64::from(i % 7)).collect();
        assert_rates(&star(&p), &p, 60_000);
    }

    #[test]
    fn dense_nodes_and_the_extremes_are_exact() {
        let p = [0.0, 1.0, 0.5, 0.9, 0.25, 0.0];
        let freq = frequencies(&star(&p), 20_000);
        assert_eq!(freq[0], 0.0);
        assert_eq!(freq[1], 1.0);
        assert_eq!(freq[5], 0.0);
        assert_rates(&star(&p), &p, 20_000);
        // A node whose arcs are all 0 draws nothing at all.
        assert_eq!(frequencies(&star(&[0.0, 0.0]), 100), vec![0.0, 0.0]);
    }

    #[test]
    fn arcs_are_independent_pairs() {
        // Joint frequency of two arcs equals the product of their probabilities.
        let net = star(&[0.1, 0.1, 0.1]);
        let sampler = LiveArcSampler::new(&net);
        let hub = net.node_of("hub").unwrap();
        let runs = 100_000u64;
        let both = (0..runs)
            .filter(|&k| {
                let live: Vec<usize> = sampler.live_arcs(&net, hub, k * 7919).collect();
                live.contains(&0) && live.contains(&2)
            })
            .count() as f64
            / runs as f64;
        let sd = (0.01f64 * 0.99 / runs as f64).sqrt();
        assert!((both - 0.01).abs() < 5.0 * sd, "joint {both}");
    }
}
