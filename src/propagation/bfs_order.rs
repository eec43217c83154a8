//! [`BfsCsr`]: the compiled network renumbered in breadth-first order from the
//! seeds, the layout the word-parallel engine runs on.
//!
//! Why: the word-parallel engine sweeps the nodes with pending runs in increasing
//! number, and a node reached from a lower number acts in the same sweep with the
//! runs of all its nearer in-neighbours merged. In breadth-first numbering most
//! live paths go from lower to higher numbers, whatever numbering the input had:
//! the engine's work (and its results, given the same arcs in the same order) do
//! not depend on the order in which customers were added. (On Barabasi-Albert and
//! Epinions the input order happens to be as good: we measured no difference in
//! speed, even with the Barabasi-Albert numbering reversed.) The copy also
//! stores each arc's target and fixed-point threshold side by side, one
//! sequential read per node.
//!
//! The renumbering depends only on the graph's structure and the seeds, never on
//! the probabilities, so the common-random-numbers coupling (coins keyed by arc)
//! still holds between two networks that differ only in probabilities.

use super::CompiledNetwork;
use super::streams::{ONE_FIXED, threshold};

/// One arc of the renumbered copy: its target and its fixed-point threshold,
/// side by side so that a node's arcs are one sequential read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Arc {
    pub target: u32,
    /// `floor(p · 2³²)`, or `u32::MAX` for `p = 1` (no `f32` below 1 maps there).
    pub threshold: u32,
}

impl Arc {
    /// The threshold in `0..=2³²` (see [`threshold`]).
    #[inline]
    pub(crate) fn threshold(self) -> u64 {
        if self.threshold == u32::MAX {
            ONE_FIXED
        } else {
            u64::from(self.threshold)
        }
    }
}

/// A CSR copy in breadth-first order. Arc `a` here is the `a`-th arc in the new
/// order; coins are keyed by this index.
///
/// Memory: 8 bytes per arc (target, threshold) and 12 bytes per node (offset
/// and the two direction maps); 4 more bytes per arc when the original arc
/// numbers are kept for who-influenced-whom.
#[derive(Debug)]
pub(crate) struct BfsCsr {
    pub offsets: Vec<u32>,
    pub arcs: Vec<Arc>,
    /// New node number -> original node number.
    pub original_node: Vec<u32>,
    /// New arc number -> original arc number (only when asked for).
    pub original_arc: Vec<u32>,
    /// The seeds in new numbers (`0..k`).
    pub seeds: Vec<u32>,
}

impl BfsCsr {
    /// Renumbers `network` by a breadth-first search from `seeds` (distinct,
    /// in range) over all arcs; nodes it does not reach follow in their original
    /// order.
    ///
    /// # Complexity
    /// O(n + m).
    pub(crate) fn new(network: &CompiledNetwork, seeds: &[u32], keep_arc_numbers: bool) -> Self {
        let n = network.node_count();
        let unnumbered = u32::MAX;
        let mut new_of = vec![unnumbered; n];
        let mut original_node: Vec<u32> = Vec::with_capacity(n);
        let number = |v: u32, new_of: &mut Vec<u32>, order: &mut Vec<u32>| {
            if let Some(slot) = new_of.get_mut(v as usize) {
                if *slot == unnumbered {
                    *slot = order.len() as u32;
                    order.push(v);
                }
            }
        };
        for &s in seeds {
            number(s, &mut new_of, &mut original_node);
        }
        let mut head = 0;
        while let Some(&u) = original_node.get(head) {
            head += 1;
            for &v in network.out_arcs(u).targets {
                number(v, &mut new_of, &mut original_node);
            }
        }
        for v in 0..n as u32 {
            number(v, &mut new_of, &mut original_node);
        }
        let m = network.arc_count();
        let mut offsets = Vec::with_capacity(n + 1);
        let mut new_arcs = Vec::with_capacity(m);
        let mut original_arc = Vec::with_capacity(if keep_arc_numbers { m } else { 0 });
        offsets.push(0u32);
        for &old in &original_node {
            let arcs = network.out_arcs(old);
            for (i, (&t, &p)) in arcs.targets.iter().zip(arcs.probabilities).enumerate() {
                let t_fixed = threshold(p);
                new_arcs.push(Arc {
                    target: new_of.get(t as usize).copied().unwrap_or(0),
                    threshold: u32::try_from(t_fixed).unwrap_or(u32::MAX),
                });
                if keep_arc_numbers {
                    original_arc.push(arcs.first_arc + i as u32);
                }
            }
            offsets.push(new_arcs.len() as u32);
        }
        let seeds = seeds
            .iter()
            .filter_map(|&s| new_of.get(s as usize).copied())
            .collect();
        BfsCsr {
            offsets,
            arcs: new_arcs,
            original_node,
            original_arc,
            seeds,
        }
    }

    pub(crate) fn node_count(&self) -> usize {
        self.original_node.len()
    }

    /// The arc range of `node` (empty when out of range).
    #[inline]
    pub(crate) fn arc_range(&self, node: u32) -> std::ops::Range<usize> {
        let u = node as usize;
        match (self.offsets.get(u), self.offsets.get(u + 1)) {
            (Some(&lo), Some(&hi)) => lo as usize..hi as usize,
            _ => 0..0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::InfluenceNetwork;

    #[test]
    fn renumbers_breadth_first_and_keeps_arcs() {
        let net = InfluenceNetwork::from_triples([
            ("x", "y", 0.1),
            ("c", "a", 0.2),
            ("a", "b", 0.3),
            ("b", "c", 0.4),
            ("a", "x", 0.5),
        ])
        .unwrap();
        let compiled = CompiledNetwork::from_network(&net);
        let seeds = [compiled.node_of("a").unwrap()];
        let bfs = BfsCsr::new(&compiled, &seeds, true);
        let names: Vec<&str> = bfs
            .original_node
            .iter()
            .map(|&v| compiled.customer(v).unwrap().as_str())
            .collect();
        assert_eq!(names, ["a", "b", "x", "c", "y"]);
        assert_eq!(bfs.seeds, [0]);
        // a's arcs in original order: a->b, a->x.
        let a_arcs = &bfs.arcs[bfs.arc_range(0)];
        assert_eq!(a_arcs.iter().map(|a| a.target).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(a_arcs[1].threshold(), threshold(0.5));
        for (new_arc, &old_arc) in bfs.original_arc.iter().enumerate() {
            let p = compiled.probabilities()[old_arc as usize];
            assert_eq!(bfs.arcs[new_arc].threshold(), threshold(p));
        }
        let certain = Arc {
            target: 0,
            threshold: u32::MAX,
        };
        assert_eq!(certain.threshold(), ONE_FIXED);
        assert_eq!(bfs.node_count(), 5);
        assert_eq!(bfs.arc_range(9), 0..0);
    }
}
