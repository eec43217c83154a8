//! [`CompiledNetwork`]: the frozen, compact (CSR) form of an [`InfluenceNetwork`]
//! that every hot loop of the propagation engine (and the simulation) runs on.

use std::sync::OnceLock;

use petgraph::visit::EdgeRef;

use super::live_arcs::LiveArcSampler;
use crate::customer::CustomerId;
use crate::error::{Error, Result};
use crate::network::{InfluenceNetwork, TieSign};
use crate::targeting::rr_sets::ReverseGraph;

/// An [`InfluenceNetwork`] frozen into compressed sparse row (CSR) arrays.
///
/// Built once with [`CompiledNetwork::from_network`]; it never changes afterwards,
/// so it can be shared by reference between threads.
///
/// Its node numbers and arc indices are the crate's own (callers speak
/// [`CustomerId`]s); the layout below is documented for what it costs.
///
/// # Layout
/// * **Nodes** are numbered `0..node_count()` in the network's insertion order
///   (petgraph `NodeIndex` order, the order of [`InfluenceNetwork::customers`]).
/// * **Out-arcs** of node `u` occupy the arc range
///   `offsets[u]..offsets[u + 1]`; within a node they keep the order in which the
///   ties were added. The *arc index* (position in that range) is the arc's stable
///   name: the targets, the probabilities and
///   the sign bitset are all indexed by it.
/// * **In-arcs** (a reverse CSR, for Linear Threshold enumeration and in-degrees)
///   are built lazily on first use and cached. The RR-set samplers of targeting
///   do not use them: they lay out their own reverse arrays from the out-arcs in
///   one pass, also on first use and cached
///   ([`prepare_rr_sets`](Self::prepare_rr_sets)).
///
/// # Precision
/// Probabilities (Independent Cascade probabilities, Linear Threshold weights) are
/// stored as `f32`: the nearest `f32` to the tie's `f64` value (relative error at most
/// 2⁻²⁴ ≈ 6·10⁻⁸, far below any Monte Carlo error). The cascades then sample an arc
/// with probability `p` as live with probability exactly `t / 2³²`, where
/// `t = floor(p · 2³²)` (see [`crate::propagation`]).
///
/// # Memory
/// * per arc: 4 bytes target (`u32`) + 4 bytes probability (`f32`) + 1 bit sign
///   = **8.125 bytes**; plus 8 bytes (4 source + 4 forward arc index) once the
///   reverse CSR is built, i.e. **16.125 bytes** with in-arcs;
/// * per node: 4 bytes offset + the [`CustomerId`] handle (16 bytes; the id's text is
///   shared with the network, not copied) = **20 bytes**, plus the id -> node hash
///   index (another id handle and a `u32` per entry: about 30–50 bytes per node
///   with the table's spare capacity), plus 4 bytes of reverse offsets once built
///   and 16 bytes of skipping plans once the skipping engine has run.
///
/// Working memory of a Monte Carlo worker is separate (see [`crate::propagation`]).
///
/// ```
/// use social_loop::network::InfluenceNetwork;
/// use social_loop::propagation::CompiledNetwork;
/// let net = InfluenceNetwork::from_triples([("a", "b", 0.5), ("a", "c", -0.25), ("b", "c", 1.0)])?;
/// let compiled = CompiledNetwork::from_network(&net);
/// assert_eq!((compiled.node_count(), compiled.arc_count()), (3, 3));
/// assert_eq!(compiled.out_degree_of("a")?, 2);
/// assert_eq!(compiled.in_degree_of("c")?, 2);
/// let top = compiled.highest_out_degree::<&str>(1, &[])?;
/// assert_eq!(top[0].as_str(), "a");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct CompiledNetwork {
    customers: Vec<CustomerId>,
    index: std::collections::HashMap<CustomerId, u32>,
    offsets: Vec<u32>,
    targets: Vec<u32>,
    probabilities: Vec<f32>,
    negative: Vec<u64>,
    reverse: OnceLock<ReverseCsr>,
    sampler: OnceLock<LiveArcSampler>,
    /// The RR-set samplers' reverse arrays (targeting), without and with the
    /// ties' signs, built on first use.
    rr_graphs: [OnceLock<ReverseGraph>; 2],
}

/// The in-arcs of every node (reverse CSR).
#[derive(Debug)]
struct ReverseCsr {
    offsets: Vec<u32>,
    sources: Vec<u32>,
    arcs: Vec<u32>,
}

/// The out-arcs of one node: parallel slices plus the index of the first arc.
///
/// Arc `first_arc + i` goes to `targets[i]` with probability `probabilities[i]`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct OutArcs<'a> {
    /// Index of the first arc (for [`CompiledNetwork::is_negative`] and per-arc tallies).
    pub first_arc: u32,
    /// Target nodes.
    pub targets: &'a [u32],
    /// Arc probabilities (IC) or weights (LT), `f32` in `[0, 1]`.
    pub probabilities: &'a [f32],
}

/// The in-arcs of one node: parallel slices of source nodes and arc indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct InArcs<'a> {
    /// Source nodes.
    pub sources: &'a [u32],
    /// The arc index of each in-arc (into the out-arc arrays).
    pub arcs: &'a [u32],
}

impl CompiledNetwork {
    /// Compiles `network` into CSR arrays.
    ///
    /// # Complexity
    /// O(n + m) time and the memory documented on the type.
    pub fn from_network(network: &InfluenceNetwork) -> Self {
        let graph = network.graph();
        let n = graph.node_count();
        let m = graph.edge_count();
        let customers: Vec<CustomerId> = graph.node_weights().cloned().collect();
        let index = customers
            .iter()
            .enumerate()
            .map(|(i, c)| (c.clone(), i as u32))
            .collect();
        // Counting sort of the edges (in insertion order) by source. petgraph's
        // u32 indices guarantee n and m fit in u32.
        let mut offsets = vec![0u32; n + 1];
        for e in graph.edge_references() {
            if let Some(slot) = offsets.get_mut(e.source().index() + 1) {
                *slot += 1;
            }
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let mut cursor: Vec<u32> = offsets[..n].to_vec();
        let mut targets = vec![0u32; m];
        let mut probabilities = vec![0f32; m];
        let mut negative = vec![0u64; m.div_ceil(64)];
        for e in graph.edge_references() {
            let slot = &mut cursor[e.source().index()];
            let arc = *slot as usize;
            *slot += 1;
            targets[arc] = e.target().index() as u32;
            probabilities[arc] = e.weight().probability.get() as f32;
            if e.weight().sign == TieSign::Negative {
                negative[arc / 64] |= 1 << (arc % 64);
            }
        }
        CompiledNetwork {
            customers,
            index,
            offsets,
            targets,
            probabilities,
            negative,
            reverse: OnceLock::new(),
            sampler: OnceLock::new(),
            rr_graphs: [OnceLock::new(), OnceLock::new()],
        }
    }

    /// Number of nodes (customers).
    pub fn node_count(&self) -> usize {
        self.customers.len()
    }

    /// Number of arcs (directed ties).
    pub fn arc_count(&self) -> usize {
        self.targets.len()
    }

    /// The node number of a customer id.
    ///
    /// # Errors
    /// [`Error::UnknownCustomer`] when `id` is not in the network.
    pub(crate) fn node_of(&self, id: &str) -> Result<u32> {
        self.index
            .get(id)
            .copied()
            .ok_or_else(|| Error::UnknownCustomer(CustomerId::new(id)))
    }

    /// Resolves a list of ids to node numbers, in order, keeping duplicates.
    ///
    /// # Errors
    /// [`Error::UnknownCustomer`] naming the first id not in the network.
    pub(crate) fn nodes_of<I>(&self, ids: I) -> Result<Vec<u32>>
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        ids.into_iter()
            .map(|id| self.node_of(id.as_ref()))
            .collect()
    }

    /// The customer id of `node`, or `None` when `node >= node_count()`.
    pub(crate) fn customer(&self, node: u32) -> Option<&CustomerId> {
        self.customers.get(node as usize)
    }

    /// Every customer id, in the network's insertion order.
    pub fn customers(&self) -> &[CustomerId] {
        &self.customers
    }

    /// Whether `id` is a customer of the network.
    pub fn contains(&self, id: &str) -> bool {
        self.index.contains_key(id)
    }

    /// How many ties leave customer `id`.
    ///
    /// # Errors
    /// [`Error::UnknownCustomer`] when `id` is not in the network.
    pub fn out_degree_of(&self, id: &str) -> Result<usize> {
        Ok(self.out_degree(self.node_of(id)?))
    }

    /// How many ties enter customer `id` (builds the reverse CSR on first use).
    ///
    /// # Errors
    /// [`Error::UnknownCustomer`] when `id` is not in the network.
    pub fn in_degree_of(&self, id: &str) -> Result<usize> {
        Ok(self.in_degree(self.node_of(id)?))
    }

    /// The `k` customers with the most outgoing ties, most first; equal degrees
    /// in the network's insertion order (for a file, the order in which ids first
    /// appear). Customers in `excluded` are skipped.
    ///
    /// # Errors
    /// [`Error::UnknownCustomer`] for an excluded id not in the network;
    /// [`Error::InvalidParameter`] (field `k`) when fewer than `k` customers are
    /// left to choose from.
    ///
    /// # Complexity
    /// O(n log n).
    pub fn highest_out_degree<S: AsRef<str>>(
        &self,
        k: usize,
        excluded: &[S],
    ) -> Result<Vec<CustomerId>> {
        let mut skip = vec![false; self.node_count()];
        for v in self.nodes_of(excluded)? {
            if let Some(flag) = skip.get_mut(v as usize) {
                *flag = true;
            }
        }
        let mut nodes: Vec<u32> = (0..self.node_count() as u32)
            .filter(|&v| !skip.get(v as usize).copied().unwrap_or(true))
            .collect();
        if k > nodes.len() {
            return Err(Error::invalid(
                "k",
                format!(
                    "{k} asked for, but only {} customers can be chosen",
                    nodes.len()
                ),
            ));
        }
        nodes.sort_by_key(|&v| (std::cmp::Reverse(self.out_degree(v)), v));
        Ok(nodes
            .into_iter()
            .take(k)
            .filter_map(|v| self.customer(v).cloned())
            .collect())
    }

    /// The out-arcs of `node` (empty when `node >= node_count()`).
    #[inline]
    pub(crate) fn out_arcs(&self, node: u32) -> OutArcs<'_> {
        let range = self.arc_range(node);
        match (
            self.targets.get(range.clone()),
            self.probabilities.get(range.clone()),
        ) {
            (Some(targets), Some(probabilities)) => OutArcs {
                first_arc: range.start as u32,
                targets,
                probabilities,
            },
            _ => OutArcs::default(),
        }
    }

    /// The arc-index range of `node`'s out-arcs (empty when out of range).
    #[inline]
    pub(crate) fn arc_range(&self, node: u32) -> std::ops::Range<usize> {
        let u = node as usize;
        match (self.offsets.get(u), self.offsets.get(u + 1)) {
            (Some(&lo), Some(&hi)) => lo as usize..hi as usize,
            _ => 0..0,
        }
    }

    /// How many arcs leave `node` (0 when out of range).
    #[inline]
    pub(crate) fn out_degree(&self, node: u32) -> usize {
        self.arc_range(node).len()
    }

    /// How many arcs enter `node` (0 when out of range). Builds the reverse CSR on
    /// first use.
    pub(crate) fn in_degree(&self, node: u32) -> usize {
        self.in_arcs(node).sources.len()
    }

    /// The in-arcs of `node` (empty when out of range). Builds the reverse CSR on
    /// first use.
    ///
    /// # Complexity
    /// O(n + m) once, then O(1).
    pub(crate) fn in_arcs(&self, node: u32) -> InArcs<'_> {
        let rev = self.reverse.get_or_init(|| self.build_reverse());
        let u = node as usize;
        let range = match (rev.offsets.get(u), rev.offsets.get(u + 1)) {
            (Some(&lo), Some(&hi)) => lo as usize..hi as usize,
            _ => 0..0,
        };
        match (rev.sources.get(range.clone()), rev.arcs.get(range)) {
            (Some(sources), Some(arcs)) => InArcs { sources, arcs },
            _ => InArcs::default(),
        }
    }

    /// The target node of every arc, by arc index.
    pub(crate) fn targets(&self) -> &[u32] {
        &self.targets
    }

    /// The probability (or LT weight) of every arc, by arc index.
    pub(crate) fn probabilities(&self) -> &[f32] {
        &self.probabilities
    }

    /// Whether `arc` is a negative (distrust) tie; `false` when out of range.
    #[inline]
    pub(crate) fn is_negative(&self, arc: u32) -> bool {
        let a = arc as usize;
        self.negative
            .get(a / 64)
            .is_some_and(|w| (w >> (a % 64)) & 1 == 1)
    }

    /// Bytes held by the compiled arrays (not counting the id text shared with the
    /// network, nor the index map), including the reverse CSR and the skipping
    /// engine's plans if they were built.
    pub fn heap_bytes(&self) -> usize {
        let forward = self.offsets.len() * 4
            + self.targets.len() * 4
            + self.probabilities.len() * 4
            + self.negative.len() * 8
            + self.customers.len() * std::mem::size_of::<CustomerId>();
        let reverse = self.reverse.get().map_or(0, |r| {
            (r.offsets.len() + r.sources.len() + r.arcs.len()) * 4
        });
        let sampler = self.sampler.get().map_or(0, LiveArcSampler::heap_bytes);
        let rr_graphs: usize = self
            .rr_graphs
            .iter()
            .filter_map(OnceLock::get)
            .map(ReverseGraph::heap_bytes)
            .sum();
        forward + reverse + sampler + rr_graphs
    }

    /// Builds the reverse arrays that targeting's RR-set selections (IMM, OPIM,
    /// [`ReachOfEach`](crate::targeting::ReachOfEach)) draw from, unless they are
    /// built already: about 16 bytes per arc and 20 per node, kept for the
    /// network's lifetime. A selection builds them on first use anyway; calling
    /// this first keeps that out of the selection's time, as the published
    /// influence-maximization codes keep building their graph out of theirs, and
    /// lets many selections on one network (a sweep over `k`, `ε` or budgets)
    /// share them. `signed`: with the ties' signs, for the signed model.
    /// Returns whether it built them (`false`: they were built already).
    ///
    /// ```
    /// use social_loop::network::InfluenceNetwork;
    /// use social_loop::propagation::CompiledNetwork;
    ///
    /// let net = InfluenceNetwork::from_triples([("a", "b", 0.5), ("b", "c", 0.5)])?;
    /// let compiled = CompiledNetwork::from_network(&net);
    /// let before = compiled.heap_bytes();
    /// assert!(compiled.prepare_rr_sets(false));
    /// assert!(compiled.heap_bytes() > before);
    /// assert!(!compiled.prepare_rr_sets(false)); // kept: built once
    /// # Ok::<(), social_loop::Error>(())
    /// ```
    ///
    /// # Complexity
    /// O(n + m), once.
    pub fn prepare_rr_sets(&self, signed: bool) -> bool {
        let mut built = false;
        self.rr_graph_slot(signed).get_or_init(|| {
            built = true;
            ReverseGraph::new(self, signed)
        });
        built
    }

    /// The RR-set samplers' reverse arrays, built on first use and cached.
    pub(crate) fn rr_graph(&self, signed: bool) -> &ReverseGraph {
        self.rr_graph_slot(signed)
            .get_or_init(|| ReverseGraph::new(self, signed))
    }

    fn rr_graph_slot(&self, signed: bool) -> &OnceLock<ReverseGraph> {
        let [plain, with_signs] = &self.rr_graphs;
        if signed { with_signs } else { plain }
    }

    /// The per-node plans of the skipping engine, built on first use and cached
    /// (16 bytes per node), so that many estimates on one network (rankings,
    /// greedy selection) build them once.
    pub(crate) fn live_arc_sampler(&self) -> &LiveArcSampler {
        self.sampler.get_or_init(|| LiveArcSampler::new(self))
    }

    fn build_reverse(&self) -> ReverseCsr {
        let n = self.node_count();
        let m = self.arc_count();
        let mut offsets = vec![0u32; n + 1];
        for &t in &self.targets {
            if let Some(slot) = offsets.get_mut(t as usize + 1) {
                *slot += 1;
            }
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let mut cursor: Vec<u32> = offsets[..n].to_vec();
        let mut sources = vec![0u32; m];
        let mut arcs = vec![0u32; m];
        for u in 0..n as u32 {
            for arc in self.arc_range(u) {
                let t = self.targets[arc] as usize;
                let slot = &mut cursor[t];
                sources[*slot as usize] = u;
                arcs[*slot as usize] = arc as u32;
                *slot += 1;
            }
        }
        ReverseCsr {
            offsets,
            sources,
            arcs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> InfluenceNetwork {
        InfluenceNetwork::from_triples([
            ("a", "b", 0.5),
            ("c", "a", 0.1),
            ("a", "c", -0.25),
            ("b", "c", 1.0),
        ])
        .unwrap()
    }

    #[test]
    fn csr_keeps_node_and_insertion_order() {
        let net = sample();
        let c = CompiledNetwork::from_network(&net);
        assert_eq!(c.node_count(), 3);
        assert_eq!(c.arc_count(), 4);
        assert_eq!(
            [c.arc_range(0), c.arc_range(1), c.arc_range(2)],
            [0..2, 2..3, 3..4]
        );
        assert_eq!(c.targets(), &[1, 2, 2, 0]);
        assert_eq!(c.probabilities(), &[0.5, 0.25, 1.0, 0.1]);
        assert_eq!(
            (0..4).map(|a| c.is_negative(a)).collect::<Vec<_>>(),
            [false, true, false, false]
        );
        assert!(c.is_negative(1));
        assert_eq!(c.out_degree(0), 2);
        assert_eq!(c.out_degree(99), 0);
        assert_eq!(c.out_arcs(99), OutArcs::default());
        assert_eq!(c.customer(2).map(|x| x.as_str()), Some("c"));
        assert_eq!(c.customer(3), None);
    }

    #[test]
    fn reverse_csr_lists_in_arcs() {
        let net = sample();
        let c = CompiledNetwork::from_network(&net);
        let into_c = c.in_arcs(2);
        assert_eq!(into_c.sources, &[0, 1]);
        assert_eq!(into_c.arcs, &[1, 2]);
        assert_eq!(c.in_degree(0), 1);
        assert_eq!(c.in_arcs(7), InArcs::default());
        assert!(c.heap_bytes() > 0);
    }

    #[test]
    fn unknown_ids_are_errors() {
        let c = CompiledNetwork::from_network(&sample());
        assert_eq!(c.node_of("b").unwrap(), 1);
        assert!(matches!(c.node_of("zz"), Err(Error::UnknownCustomer(id)) if id.as_str() == "zz"));
        assert!(
            matches!(c.nodes_of(["a", "q"]), Err(Error::UnknownCustomer(id)) if id.as_str() == "q")
        );
    }

    #[test]
    fn isolated_nodes_have_no_arcs() {
        let mut net = sample();
        net.add_customer("lonely");
        let c = CompiledNetwork::from_network(&net);
        let n = c.node_of("lonely").unwrap();
        assert_eq!(c.out_degree(n), 0);
        assert_eq!(c.in_degree(n), 0);
    }
}
