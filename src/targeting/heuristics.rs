//! The baseline strategies: rank the candidates by a score, then take them in
//! order while the constraint allows.

use std::cmp::Reverse;

use rand::Rng;

use super::Algorithm;
use super::centrality::{influence_pagerank, sampled_betweenness};
use super::costs::{Constraint, Spend};
use crate::error::Result;
use crate::propagation::CompiledNetwork;
use crate::propagation::streams::unit_stream;

/// Mixed into the seed for the random tie-breaking of the fringes strategy.
const FRINGE_STREAM: u64 = 0x6672_696e_6765_7321; // "fringes!"

/// The candidates in the order `algorithm` ranks them (heuristics only; IMM and
/// CELF give the empty ranking).
pub(crate) fn ranking(
    network: &CompiledNetwork,
    algorithm: Algorithm,
    candidates: &[bool],
    seed: u64,
    pivots: usize,
) -> Vec<u32> {
    let mut nodes: Vec<u32> = (0..network.node_count() as u32)
        .filter(|&v| candidates.get(v as usize).copied().unwrap_or(false))
        .collect();
    let total_degree = |v: u32| network.out_degree(v) + network.in_degree(v);
    match algorithm {
        Algorithm::Imm | Algorithm::Opim | Algorithm::Celf => nodes.clear(),
        Algorithm::Degree => nodes.sort_by_key(|&v| (Reverse(network.out_degree(v)), v)),
        Algorithm::Hubs => nodes.sort_by_key(|&v| (Reverse(total_degree(v)), v)),
        Algorithm::PageRank => by_score_descending(&mut nodes, &influence_pagerank(network)),
        Algorithm::Bridges => {
            by_score_descending(&mut nodes, &sampled_betweenness(network, pivots, seed))
        }
        Algorithm::Random => shuffle(&mut nodes, seed),
        Algorithm::Fringes => {
            nodes.retain(|&v| network.out_degree(v) > 0);
            shuffle(&mut nodes, seed ^ FRINGE_STREAM);
            // Stable: equal degrees keep the seeded random order.
            nodes.sort_by_key(|&v| total_degree(v));
        }
    }
    nodes
}

/// Sorts by `score` (by node) from high to low, ties by node order.
fn by_score_descending(nodes: &mut [u32], score: &[f64]) {
    let of = |v: u32| score.get(v as usize).copied().unwrap_or(f64::NEG_INFINITY);
    nodes.sort_by(|&a, &b| of(b).total_cmp(&of(a)).then(a.cmp(&b)));
}

/// A uniformly random permutation from the stream `(seed, 0)` (Fisher-Yates).
fn shuffle(nodes: &mut [u32], seed: u64) {
    let mut rng = unit_stream(seed, 0);
    for i in (1..nodes.len()).rev() {
        let j = rng.random_range(0..=i);
        nodes.swap(i, j);
    }
}

/// Takes `order` from the front while the constraint allows, skipping customers
/// who no longer fit the budget.
///
/// # Errors
/// [`crate::Error::Overflow`] if the total cost overflows.
pub(crate) fn take_in_order(order: &[u32], constraint: &Constraint) -> Result<Vec<u32>> {
    let mut spend = Spend::default();
    let mut taken = Vec::new();
    for &v in order {
        if !constraint.open(spend) {
            break;
        }
        if constraint.fits(v, spend) {
            spend = constraint.charge(v, spend)?;
            taken.push(v);
        }
    }
    Ok(taken)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::InfluenceNetwork;
    use rust_decimal::Decimal;

    fn star() -> CompiledNetwork {
        // hub -> a, b, c; a -> b; d -> hub.
        let net = InfluenceNetwork::from_triples([
            ("hub", "a", 0.5),
            ("hub", "b", 0.5),
            ("hub", "c", 0.5),
            ("a", "b", 0.5),
            ("d", "hub", 0.5),
        ])
        .unwrap();
        CompiledNetwork::from_network(&net)
    }

    #[test]
    fn degree_hubs_and_fringes_rank_as_documented() {
        let c = star();
        let all = vec![true; c.node_count()];
        let hub = c.node_of("hub").unwrap();
        let degree = ranking(&c, Algorithm::Degree, &all, 1, 8);
        assert_eq!(degree[0], hub);
        assert_eq!(ranking(&c, Algorithm::Hubs, &all, 1, 8)[0], hub);
        let fringes = ranking(&c, Algorithm::Fringes, &all, 1, 8);
        // Only a, hub and d have out-ties; d and a have total degree 1 and 3.
        assert_eq!(fringes.len(), 3);
        assert_eq!(fringes[0], c.node_of("d").unwrap());
        assert_eq!(*fringes.last().unwrap(), hub);
        // Bridges: the hub lies on every path from d.
        assert_eq!(ranking(&c, Algorithm::Bridges, &all, 1, 100)[0], hub);
    }

    #[test]
    fn random_is_a_seeded_permutation_of_the_candidates() {
        let c = star();
        let mut allowed = vec![true; c.node_count()];
        allowed[0] = false;
        let a = ranking(&c, Algorithm::Random, &allowed, 7, 8);
        assert_eq!(a, ranking(&c, Algorithm::Random, &allowed, 7, 8));
        let mut sorted = a.clone();
        sorted.sort();
        assert_eq!(sorted, (1..c.node_count() as u32).collect::<Vec<_>>());
    }

    #[test]
    fn take_in_order_skips_what_does_not_fit() {
        let costs = vec![Decimal::new(5, 0), Decimal::new(3, 0), Decimal::new(2, 0)];
        let constraint = Constraint::budget(costs, Decimal::new(7, 0), None).unwrap();
        assert_eq!(take_in_order(&[0, 1, 2], &constraint).unwrap(), vec![0, 2]);
        assert_eq!(
            take_in_order(&[0, 1, 2], &Constraint::count(2)).unwrap(),
            vec![0, 1]
        );
    }
}
