//! [`Feasible`]: what the RR-set strategies (IMM, OPIM) need to know about the
//! seed sets a constraint allows, and the renumbering of a problem into the
//! sampler's node order.

use super::costs::Constraint;
use super::rr_sets::ReverseGraph;

/// The greedy's approximation ratio for maximum coverage under a count.
pub(crate) const GREEDY_RATIO: f64 = 1.0 - 1.0 / std::f64::consts::E;

/// `ln C(n, k)`.
pub(crate) fn ln_binomial(n: usize, k: usize) -> f64 {
    let k = k.min(n.saturating_sub(k));
    (0..k)
        .map(|i| ((n - i) as f64).ln() - ((i + 1) as f64).ln())
        .sum()
}

/// The feasible seed sets of a constraint among candidates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Feasible {
    /// The most customers a feasible seed set holds.
    pub most: usize,
    /// `ln |𝒮|`, a bound of the log of the number of feasible seed sets:
    /// `C(N, k)` for `k` of `N` candidates, `(K + 1)·C(N, K)` under a budget that
    /// buys at most `K` of them.
    pub log_sets: f64,
    /// The greedy's proven approximation ratio for maximum coverage: `1 − 1/e`
    /// under a count, `(1 − 1/e)/2` under a budget (the cost-effective greedy or
    /// the best single customer, Khuller, Moss & Naor 1999); `None` under both
    /// (no ratio is proven for a budget and a count together).
    pub ratio: Option<f64>,
}

impl Feasible {
    /// The feasible sets of `constraint` among `candidates` (by node).
    pub(crate) fn new(candidates: &[bool], constraint: &Constraint) -> Self {
        let nodes: Vec<u32> = (0..candidates.len() as u32)
            .filter(|&v| candidates.get(v as usize).copied().unwrap_or(false))
            .collect();
        let most = constraint.max_picks(&nodes);
        let mut log_sets = ln_binomial(nodes.len(), most);
        let ratio = if constraint.is_budget_and_count() {
            None
        } else if constraint.is_budget() {
            Some(GREEDY_RATIO / 2.0)
        } else {
            Some(GREEDY_RATIO)
        };
        if constraint.is_budget() {
            log_sets += ((most + 1) as f64).ln();
        }
        Feasible {
            most,
            log_sets,
            ratio,
        }
    }
}

/// `candidates` and `constraint` in the node numbering of `graph` (the sets
/// hold the sampler's numbers, so the greedy must too).
pub(crate) fn renumbered(
    graph: &ReverseGraph,
    candidates: &[bool],
    constraint: &Constraint,
) -> (Vec<bool>, Constraint) {
    let order = graph.original_order();
    let candidates = order
        .iter()
        .map(|&v| candidates.get(v as usize).copied().unwrap_or(false))
        .collect();
    (candidates, constraint.renumbered(order))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn ln_binomial_matches_small_values() {
        assert!((ln_binomial(5, 2) - 10f64.ln()).abs() < 1e-12);
        assert_eq!(ln_binomial(5, 0), 0.0);
        assert!((ln_binomial(6, 5) - 6f64.ln()).abs() < 1e-12);
    }

    #[test]
    fn feasible_sets_of_a_count_a_budget_and_both() {
        let all = [true, true, false, true];
        let count = Feasible::new(&all, &Constraint::count(2));
        assert_eq!((count.most, count.ratio), (2, Some(GREEDY_RATIO)));
        assert!((count.log_sets - 3f64.ln()).abs() < 1e-12);
        let costs = vec![Decimal::ONE, Decimal::TWO, Decimal::ONE, Decimal::TEN];
        let budget = Constraint::budget(costs.clone(), Decimal::new(3, 0), None).unwrap();
        let b = Feasible::new(&all, &budget);
        assert_eq!((b.most, b.ratio), (2, Some(GREEDY_RATIO / 2.0)));
        assert!((b.log_sets - (3f64.ln() + 3f64.ln())).abs() < 1e-12);
        let both = Constraint::budget(costs, Decimal::new(3, 0), Some(1)).unwrap();
        assert_eq!(Feasible::new(&all, &both).ratio, None);
    }
}
