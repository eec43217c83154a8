//! [`Costs`]: what engaging each customer costs, and the constraint a selection
//! obeys (at most `k` customers, or a money budget).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};

use crate::customer::CustomerId;
use crate::error::{Error, Result};
use crate::propagation::CompiledNetwork;

/// What inviting (engaging, recovering) each customer costs, as exact money.
///
/// Every customer costs the `default` unless an override names them. Costs must
/// not be negative; a customer who costs more than the whole budget is simply
/// never chosen.
///
/// ```
/// use rust_decimal::Decimal;
/// use social_loop::targeting::Costs;
/// let costs = Costs::uniform(Decimal::new(50, 0)).with("ann", Decimal::new(1250, 1));
/// assert_eq!(costs.cost_of("ann"), Decimal::new(125, 0));
/// assert_eq!(costs.cost_of("bob"), Decimal::new(50, 0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Costs {
    /// The cost of a customer without an override.
    default: Decimal,
    /// Per-customer costs.
    #[serde(default)]
    overrides: BTreeMap<CustomerId, Decimal>,
}

impl Costs {
    /// Every customer costs `cost`.
    pub fn uniform(cost: Decimal) -> Self {
        Costs {
            default: cost,
            overrides: BTreeMap::new(),
        }
    }

    /// Sets the cost of one customer.
    #[must_use]
    pub fn with(mut self, id: impl Into<CustomerId>, cost: Decimal) -> Self {
        self.overrides.insert(id.into(), cost);
        self
    }

    /// A cost that grows with reach: `base + per_tie × out-degree` for every
    /// customer of `network` (an influencer with many listeners asks for more).
    ///
    /// # Errors
    /// [`Error::Overflow`] when a cost does not fit a `Decimal`.
    ///
    /// # Complexity
    /// O(n log n).
    pub fn by_out_degree(
        network: &CompiledNetwork,
        base: Decimal,
        per_tie: Decimal,
    ) -> Result<Self> {
        let mut costs = Costs::uniform(base);
        for (node, id) in network.customers().iter().enumerate() {
            let degree = Decimal::from(network.out_degree(node as u32));
            let cost = per_tie
                .checked_mul(degree)
                .and_then(|c| c.checked_add(base))
                .ok_or_else(|| Error::overflow(format!("the cost of customer `{id}`")))?;
            costs.overrides.insert(id.clone(), cost);
        }
        Ok(costs)
    }

    /// The cost of a customer without an override.
    pub fn default_cost(&self) -> Decimal {
        self.default
    }

    /// The customers whose cost is not the default, with their cost, in id order.
    pub fn overrides(&self) -> impl Iterator<Item = (&CustomerId, Decimal)> {
        self.overrides.iter().map(|(id, &cost)| (id, cost))
    }

    /// The cost of customer `id`.
    pub fn cost_of(&self, id: &str) -> Decimal {
        self.overrides.get(id).copied().unwrap_or(self.default)
    }

    /// The cost of every node of `network`, in node order.
    ///
    /// # Errors
    /// [`Error::UnknownCustomer`] for an override naming a customer who is not in
    /// the network; [`Error::InvalidParameter`] (field `costs`) for a negative cost.
    pub(crate) fn resolve(&self, network: &CompiledNetwork) -> Result<Vec<Decimal>> {
        if self.default.is_sign_negative() && !self.default.is_zero() {
            return Err(Error::invalid(
                "costs",
                format!("the default cost {} is negative", self.default),
            ));
        }
        let mut costs = vec![self.default; network.node_count()];
        for (id, &cost) in &self.overrides {
            if cost.is_sign_negative() && !cost.is_zero() {
                return Err(Error::invalid(
                    "costs",
                    format!("the cost of customer `{id}` is negative ({cost})"),
                ));
            }
            let node = network.node_of(id.as_str())?;
            if let Some(slot) = costs.get_mut(node as usize) {
                *slot = cost;
            }
        }
        Ok(costs)
    }
}

/// A money budget over per-node costs.
#[derive(Debug, Clone, PartialEq)]
struct Budget {
    costs: Vec<Decimal>,
    cost_f64: Vec<f64>,
    amount: Decimal,
}

/// The limits of a selection (at most `k` customers, a budget, or both), with the
/// greedy's scoring rule: the marginal gain without a budget, the gain per unit of
/// cost (cost-effectiveness) with one.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Constraint {
    count: Option<usize>,
    budget: Option<Budget>,
}

/// What a selection has used of its constraint so far.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct Spend {
    pub picks: usize,
    pub spent: Decimal,
}

impl Constraint {
    /// At most `k` customers.
    pub(crate) fn count(k: usize) -> Self {
        Constraint {
            count: Some(k),
            budget: None,
        }
    }

    /// Customers within `budget`, costing `costs` (by node), and at most
    /// `max_count` of them if given.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `budget`) for a negative budget.
    pub(crate) fn budget(
        costs: Vec<Decimal>,
        budget: Decimal,
        max_count: Option<usize>,
    ) -> Result<Self> {
        if budget.is_sign_negative() && !budget.is_zero() {
            return Err(Error::invalid(
                "budget",
                format!("the budget {budget} is negative"),
            ));
        }
        let cost_f64 = costs
            .iter()
            .map(|c| c.to_f64().unwrap_or(f64::MAX))
            .collect();
        Ok(Constraint {
            count: max_count,
            budget: Some(Budget {
                costs,
                cost_f64,
                amount: budget,
            }),
        })
    }

    /// The same constraint over renumbered nodes: node `i` of the result is node
    /// `original[i]` of this one.
    pub(crate) fn renumbered(&self, original: &[u32]) -> Constraint {
        let permute = |values: &Vec<Decimal>| -> Vec<Decimal> {
            original
                .iter()
                .map(|&v| values.get(v as usize).copied().unwrap_or_default())
                .collect()
        };
        Constraint {
            count: self.count,
            budget: self.budget.as_ref().map(|b| Budget {
                costs: permute(&b.costs),
                cost_f64: original
                    .iter()
                    .map(|&v| b.cost_f64.get(v as usize).copied().unwrap_or(f64::MAX))
                    .collect(),
                amount: b.amount,
            }),
        }
    }

    /// Whether there is a budget.
    pub(crate) fn is_budget(&self) -> bool {
        self.budget.is_some()
    }

    /// Whether there are both a budget and a count limit.
    pub(crate) fn is_budget_and_count(&self) -> bool {
        self.budget.is_some() && self.count.is_some()
    }

    /// The budget, if any.
    pub(crate) fn budget_amount(&self) -> Option<Decimal> {
        self.budget.as_ref().map(|b| b.amount)
    }

    /// The cost of `node` (zero without a budget).
    pub(crate) fn cost(&self, node: u32) -> Decimal {
        self.budget
            .as_ref()
            .and_then(|b| b.costs.get(node as usize).copied())
            .unwrap_or_default()
    }

    /// The greedy's score of adding `node` with marginal gain `gain`: the gain
    /// itself without a budget, the gain per unit of cost with one (a free
    /// customer with a positive gain scores `+inf`).
    #[inline]
    pub(crate) fn score(&self, node: u32, gain: f64) -> f64 {
        let Some(budget) = &self.budget else {
            return gain;
        };
        let cost = budget
            .cost_f64
            .get(node as usize)
            .copied()
            .unwrap_or(f64::MAX);
        if cost > 0.0 {
            gain / cost
        } else if gain > 0.0 {
            f64::INFINITY
        } else if gain < 0.0 {
            f64::NEG_INFINITY
        } else {
            0.0
        }
    }

    /// Whether another pick is possible at all (the count limit not yet reached).
    pub(crate) fn open(&self, spend: Spend) -> bool {
        self.count.is_none_or(|k| spend.picks < k)
    }

    /// Whether `node` still fits after `spend`.
    pub(crate) fn fits(&self, node: u32, spend: Spend) -> bool {
        self.open(spend)
            && self.budget.as_ref().is_none_or(|b| {
                b.costs
                    .get(node as usize)
                    .and_then(|c| spend.spent.checked_add(*c))
                    .is_some_and(|total| total <= b.amount)
            })
    }

    /// `spend` after adding `node`.
    ///
    /// # Errors
    /// [`Error::Overflow`] if the total cost overflows.
    pub(crate) fn charge(&self, node: u32, spend: Spend) -> Result<Spend> {
        Ok(Spend {
            picks: spend.picks + 1,
            spent: spend
                .spent
                .checked_add(self.cost(node))
                .ok_or_else(|| Error::overflow("the total cost of the selection"))?,
        })
    }

    /// The safeguard of the budgeted greedy: the candidate (`candidates[v]`) with
    /// the highest gain on its own (`gains[v]`) that fits the budget alone; ties go
    /// to the lowest node.
    pub(crate) fn best_single(&self, gains: &[f64], candidates: &[bool]) -> Option<u32> {
        let mut best: Option<(f64, u32)> = None;
        for (v, (&gain, &allowed)) in gains.iter().zip(candidates).enumerate() {
            let v = v as u32;
            if !allowed || gain.is_nan() || best.is_some_and(|(b, _)| gain <= b) {
                continue;
            }
            if self.fits(v, Spend::default()) {
                best = Some((gain, v));
            }
        }
        best.map(|(_, v)| v)
    }

    /// The most customers among `candidates` that can be chosen together: the
    /// number of cheapest candidates that fit the budget, capped by the count.
    pub(crate) fn max_picks(&self, candidates: &[u32]) -> usize {
        let by_count = self.count.unwrap_or(usize::MAX).min(candidates.len());
        let Some(budget) = &self.budget else {
            return by_count;
        };
        let mut sorted: Vec<Decimal> = candidates
            .iter()
            .filter_map(|&v| budget.costs.get(v as usize).copied())
            .collect();
        sorted.sort();
        let mut total = Decimal::ZERO;
        let mut count = 0;
        for c in sorted {
            match total.checked_add(c) {
                Some(t) if t <= budget.amount && count < by_count => {
                    total = t;
                    count += 1;
                }
                _ => break,
            }
        }
        count
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::InfluenceNetwork;

    fn network() -> CompiledNetwork {
        let net =
            InfluenceNetwork::from_triples([("a", "b", 0.5), ("a", "c", 0.5), ("b", "c", 0.5)])
                .unwrap();
        CompiledNetwork::from_network(&net)
    }

    #[test]
    fn resolve_applies_overrides_and_rejects_negative_and_unknown() {
        let c = network();
        let costs = Costs::uniform(Decimal::ONE).with("b", Decimal::new(25, 1));
        assert_eq!(
            costs.resolve(&c).unwrap(),
            vec![Decimal::ONE, Decimal::new(25, 1), Decimal::ONE]
        );
        let negative = Costs::uniform(Decimal::ONE).with("b", Decimal::new(-1, 0));
        assert!(
            matches!(negative.resolve(&c), Err(Error::InvalidParameter { ref field, .. }) if field == "costs")
        );
        let unknown = Costs::uniform(Decimal::ONE).with("zed", Decimal::ONE);
        assert!(matches!(
            unknown.resolve(&c),
            Err(Error::UnknownCustomer(_))
        ));
    }

    #[test]
    fn by_out_degree_grows_with_degree_and_reports_overflow() {
        let c = network();
        let costs = Costs::by_out_degree(&c, Decimal::new(10, 0), Decimal::new(5, 0)).unwrap();
        assert_eq!(costs.cost_of("a"), Decimal::new(20, 0));
        assert_eq!(costs.cost_of("c"), Decimal::new(10, 0));
        let err = Costs::by_out_degree(&c, Decimal::MAX, Decimal::ONE).unwrap_err();
        assert!(matches!(err, Error::Overflow { .. }));
    }

    #[test]
    fn budget_scores_fit_and_max_picks() {
        let costs = vec![Decimal::new(3, 0), Decimal::ZERO, Decimal::new(5, 0)];
        let c = Constraint::budget(costs, Decimal::new(7, 0), None).unwrap();
        assert_eq!(c.score(0, 6.0), 2.0);
        assert_eq!(c.score(1, 1.0), f64::INFINITY);
        assert_eq!(c.score(1, 0.0), 0.0);
        let spend = c.charge(0, Spend::default()).unwrap();
        assert!(c.fits(1, spend));
        assert!(!c.fits(2, spend));
        assert_eq!(c.max_picks(&[0, 1, 2]), 2);
        assert!(Constraint::budget(vec![], Decimal::new(-1, 0), None).is_err());
        let both = Constraint::budget(vec![Decimal::ONE; 3], Decimal::new(7, 0), Some(2)).unwrap();
        assert_eq!(both.max_picks(&[0, 1, 2]), 2);
        assert!(!both.fits(
            0,
            Spend {
                picks: 2,
                spent: Decimal::ONE
            }
        ));
        assert!(both.is_budget_and_count());
        let costs = vec![Decimal::ONE, Decimal::TWO, Decimal::TEN];
        let c = Constraint::budget(costs, Decimal::TEN, None).unwrap();
        let r = c.renumbered(&[2, 0, 1]);
        assert_eq!(
            [r.cost(0), r.cost(1), r.cost(2)],
            [Decimal::TEN, Decimal::ONE, Decimal::TWO]
        );
        assert_eq!(r.score(0, 5.0), 0.5);
        let k = Constraint::count(2);
        assert_eq!(k.max_picks(&[0]), 1);
        assert!(k.fits(
            0,
            Spend {
                picks: 1,
                spent: Decimal::ZERO
            }
        ));
        assert!(!k.open(Spend {
            picks: 2,
            spent: Decimal::ZERO
        }));
    }
}
