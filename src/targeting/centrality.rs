//! Centralities for the baseline strategies: influence PageRank and sampled
//! betweenness.

use rand::Rng;
use rayon::prelude::*;

use crate::propagation::CompiledNetwork;
use crate::propagation::streams::unit_stream;

/// PageRank damping factor.
pub(crate) const DAMPING: f64 = 0.85;
/// PageRank stops when the L1 change of an iteration is below this...
const PAGERANK_TOLERANCE: f64 = 1e-10;
/// ...or after this many iterations.
const PAGERANK_MAX_ITERATIONS: usize = 200;
/// Pivots per chunk of the betweenness sum (fixed, so the floating-point sum does
/// not depend on the thread count).
const PIVOTS_PER_CHUNK: usize = 16;

/// Influence PageRank: PageRank on the *reversed* influence graph, where a random
/// surfer at `v` moves to one of `v`'s influencers `u` with probability
/// proportional to the tie's probability `p(u → v)`. A customer ranks high when
/// they influence customers who themselves rank high. Damping [`DAMPING`], uniform
/// teleport; a customer with no (positive-probability) influencer teleports.
/// Power iteration until the L1 change falls below 10⁻¹⁰ (at most 200 iterations).
///
/// # Complexity
/// O(iterations · (n + m)); each iteration is parallel over nodes and
/// deterministic (each node's sum runs in arc order).
pub(crate) fn influence_pagerank(network: &CompiledNetwork) -> Vec<f64> {
    let n = network.node_count();
    if n == 0 {
        return Vec::new();
    }
    let nf = n as f64;
    let mut in_weight = vec![0.0f64; n];
    for (&t, &p) in network.targets().iter().zip(network.probabilities()) {
        if let Some(w) = in_weight.get_mut(t as usize) {
            *w += f64::from(p);
        }
    }
    let mut rank = vec![1.0 / nf; n];
    for _ in 0..PAGERANK_MAX_ITERATIONS {
        let dangling: f64 = rank
            .iter()
            .zip(&in_weight)
            .filter(|(_, w)| **w <= 0.0)
            .map(|(r, _)| r)
            .sum();
        let floor = (1.0 - DAMPING) / nf + DAMPING * dangling / nf;
        let next: Vec<f64> = (0..n as u32)
            .into_par_iter()
            .map(|u| {
                let arcs = network.out_arcs(u);
                let flow: f64 = arcs
                    .targets
                    .iter()
                    .zip(arcs.probabilities)
                    .map(|(&v, &p)| {
                        let v = v as usize;
                        match (rank.get(v), in_weight.get(v)) {
                            (Some(&r), Some(&w)) if w > 0.0 => r * f64::from(p) / w,
                            _ => 0.0,
                        }
                    })
                    .sum();
                floor + DAMPING * flow
            })
            .collect();
        let change: f64 = next.iter().zip(&rank).map(|(a, b)| (a - b).abs()).sum();
        rank = next;
        if change < PAGERANK_TOLERANCE {
            break;
        }
    }
    rank
}

/// Approximate betweenness (Brandes & Pich 2007): Brandes' dependency
/// accumulation from `pivots` source nodes drawn without replacement from the
/// stream `(seed, 0)`, on directed shortest paths (ties unweighted), scaled by
/// `n / pivots`; exact when `pivots >= n`.
///
/// # Complexity
/// O(pivots · (n + m)), parallel over fixed chunks of pivots.
pub(crate) fn sampled_betweenness(network: &CompiledNetwork, pivots: usize, seed: u64) -> Vec<f64> {
    let n = network.node_count();
    if n == 0 || pivots == 0 {
        return vec![0.0; n];
    }
    let s = pivots.min(n);
    // Partial Fisher-Yates: the first `s` of a seeded permutation.
    let mut order: Vec<u32> = (0..n as u32).collect();
    let mut rng = unit_stream(seed, 0);
    for i in 0..s {
        let j = rng.random_range(i..n);
        order.swap(i, j);
    }
    order.truncate(s);
    let partials: Vec<Vec<f64>> = order
        .par_chunks(PIVOTS_PER_CHUNK)
        .map(|chunk| {
            let mut work = Brandes::new(n);
            let mut sum = vec![0.0; n];
            for &source in chunk {
                work.accumulate(network, source, &mut sum);
            }
            sum
        })
        .collect();
    let mut total = vec![0.0; n];
    for part in partials {
        for (t, p) in total.iter_mut().zip(part) {
            *t += p;
        }
    }
    let scale = n as f64 / s as f64;
    total.iter_mut().for_each(|t| *t *= scale);
    total
}

/// Reusable buffers of one Brandes search.
struct Brandes {
    distance: Vec<u32>,
    paths: Vec<f64>,
    dependency: Vec<f64>,
    order: Vec<u32>,
}

impl Brandes {
    fn new(n: usize) -> Self {
        Brandes {
            distance: vec![u32::MAX; n],
            paths: vec![0.0; n],
            dependency: vec![0.0; n],
            order: Vec::with_capacity(n),
        }
    }

    /// Adds the dependencies of `source` to `sum` (the source itself excluded).
    fn accumulate(&mut self, network: &CompiledNetwork, source: u32, sum: &mut [f64]) {
        let s = source as usize;
        if s >= self.distance.len() {
            return;
        }
        self.distance[s] = 0;
        self.paths[s] = 1.0;
        self.order.push(source);
        let mut head = 0;
        while let Some(&v) = self.order.get(head) {
            head += 1;
            let (dv, pv) = (self.distance[v as usize], self.paths[v as usize]);
            for &w in network.out_arcs(v).targets {
                let w = w as usize;
                if self.distance[w] == u32::MAX {
                    self.distance[w] = dv + 1;
                    self.order.push(w as u32);
                }
                if self.distance[w] == dv + 1 {
                    self.paths[w] += pv;
                }
            }
        }
        for &v in self.order.iter().rev() {
            let v = v as usize;
            let dv = self.distance[v];
            let mut delta = 0.0;
            for &w in network.out_arcs(v as u32).targets {
                let w = w as usize;
                if self.distance[w] == dv + 1 && self.paths[w] > 0.0 {
                    delta += self.paths[v] / self.paths[w] * (1.0 + self.dependency[w]);
                }
            }
            self.dependency[v] = delta;
            if v != s {
                sum[v] += delta;
            }
        }
        for &v in &self.order {
            let v = v as usize;
            self.distance[v] = u32::MAX;
            self.paths[v] = 0.0;
            self.dependency[v] = 0.0;
        }
        self.order.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::InfluenceNetwork;

    fn compiled(triples: &[(&str, &str, f64)]) -> CompiledNetwork {
        CompiledNetwork::from_network(
            &InfluenceNetwork::from_triples(triples.iter().copied()).unwrap(),
        )
    }

    #[test]
    fn exact_betweenness_on_a_path_and_a_diamond() {
        // a -> b -> c: b lies on the one path a -> c.
        let path = compiled(&[("a", "b", 1.0), ("b", "c", 1.0)]);
        assert_eq!(sampled_betweenness(&path, 10, 1), vec![0.0, 1.0, 0.0]);
        // a -> b -> d, a -> c -> d: b and c each carry half of a -> d.
        let diamond = compiled(&[
            ("a", "b", 1.0),
            ("a", "c", 1.0),
            ("b", "d", 1.0),
            ("c", "d", 1.0),
        ]);
        assert_eq!(
            sampled_betweenness(&diamond, 4, 1),
            vec![0.0, 0.5, 0.5, 0.0]
        );
    }

    #[test]
    fn pagerank_sums_to_one_and_favours_the_influencer() {
        // hub -> x, y, z: the hub influences three customers.
        let star = compiled(&[("hub", "x", 0.5), ("hub", "y", 0.5), ("hub", "z", 0.5)]);
        let rank = influence_pagerank(&star);
        assert!((rank.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        assert!(rank[0] > 2.0 * rank[1]);
        assert!((rank[1] - rank[3]).abs() < 1e-12);
    }
}
