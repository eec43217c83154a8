//! [`PerStage`]: one value for each lifecycle [`Stage`], with the stages as
//! named fields.

use serde::{Deserialize, Serialize};

use super::Stage;

/// Number of customers in each stage (a CRM book's
/// [`stage_counts`](crate::crm::CustomerBook::stage_counts), a simulation's
/// period report).
pub type StageCounts = PerStage<u64>;

/// One value for each lifecycle [`Stage`]: counts of customers
/// ([`StageCounts`]), shares of a population
/// ([`StageMix`](crate::sim::StageMix)), or anything else kept per stage.
///
/// The stages are named fields, so in JSON it is an object
/// `{"unaware": .., "aware": .., ..}`; a field left out of the input takes the
/// type's default (zero counts; the starting mix of
/// [`StageMix`](crate::sim::StageMix)).
///
/// ```
/// use social_loop::customer::{PerStage, Stage};
/// let mut seen = PerStage::from_fn(|_| 0u32);
/// seen[Stage::Advocate] += 2;
/// assert_eq!(seen.get(Stage::Advocate), 2);
/// assert_eq!(seen.iter().map(|(_, &n)| n).sum::<u32>(), 2);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(
    default,
    bound(deserialize = "T: Deserialize<'de>, PerStage<T>: Default")
)]
pub struct PerStage<T> {
    /// Never heard of the brand.
    pub unaware: T,
    /// Know the brand.
    pub aware: T,
    /// Considering a purchase.
    pub prospect: T,
    /// Customers.
    pub customer: T,
    /// Advocates.
    pub advocate: T,
    /// Adversaries.
    pub adversary: T,
    /// Lapsed customers.
    pub lapsed: T,
}

impl<T> PerStage<T> {
    /// The value `value(stage)` for every stage.
    pub fn from_fn(mut value: impl FnMut(Stage) -> T) -> Self {
        PerStage {
            unaware: value(Stage::Unaware),
            aware: value(Stage::Aware),
            prospect: value(Stage::Prospect),
            customer: value(Stage::Customer),
            advocate: value(Stage::Advocate),
            adversary: value(Stage::Adversary),
            lapsed: value(Stage::Lapsed),
        }
    }

    /// The value of `stage`.
    pub fn get(&self, stage: Stage) -> T
    where
        T: Copy,
    {
        self[stage]
    }

    /// Every stage with its value, in lifecycle order ([`Stage::ALL`]).
    pub fn iter(&self) -> impl Iterator<Item = (Stage, &T)> {
        Stage::ALL
            .into_iter()
            .map(move |stage| (stage, &self[stage]))
    }
}

impl<T> std::ops::Index<Stage> for PerStage<T> {
    type Output = T;

    fn index(&self, stage: Stage) -> &T {
        match stage {
            Stage::Unaware => &self.unaware,
            Stage::Aware => &self.aware,
            Stage::Prospect => &self.prospect,
            Stage::Customer => &self.customer,
            Stage::Advocate => &self.advocate,
            Stage::Adversary => &self.adversary,
            Stage::Lapsed => &self.lapsed,
        }
    }
}

impl<T> std::ops::IndexMut<Stage> for PerStage<T> {
    fn index_mut(&mut self, stage: Stage) -> &mut T {
        match stage {
            Stage::Unaware => &mut self.unaware,
            Stage::Aware => &mut self.aware,
            Stage::Prospect => &mut self.prospect,
            Stage::Customer => &mut self.customer,
            Stage::Advocate => &mut self.advocate,
            Stage::Adversary => &mut self.adversary,
            Stage::Lapsed => &mut self.lapsed,
        }
    }
}

impl Default for PerStage<u64> {
    /// Zero in every stage.
    fn default() -> Self {
        PerStage::from_fn(|_| 0)
    }
}

impl PerStage<u64> {
    /// Counts one more customer in `stage`.
    pub fn add(&mut self, stage: Stage) {
        let c = &mut self[stage];
        *c = c.saturating_add(1);
    }

    /// Adds another count.
    pub fn merge(&mut self, other: &StageCounts) {
        for stage in Stage::ALL {
            let c = &mut self[stage];
            *c = c.saturating_add(other[stage]);
        }
    }

    /// Everyone counted (the population, when every customer was counted once).
    pub fn total(&self) -> u64 {
        self.iter().fold(0u64, |sum, (_, &n)| sum.saturating_add(n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_stage_has_its_own_field() {
        let by_index = PerStage::from_fn(|s| s.index());
        for stage in Stage::ALL {
            assert_eq!(by_index.get(stage), stage.index());
        }
        let order: Vec<Stage> = by_index.iter().map(|(s, _)| s).collect();
        assert_eq!(order, Stage::ALL);
        assert_eq!(
            serde_json::to_string(&by_index).unwrap(),
            r#"{"unaware":0,"aware":1,"prospect":2,"customer":3,"advocate":4,"adversary":5,"lapsed":6}"#
        );
    }
}
