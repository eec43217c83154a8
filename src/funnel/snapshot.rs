//! [`FunnelSnapshot`]: how many customers have reached each funnel stage at one moment.

use serde::{Deserialize, Serialize};

use crate::customer::Stage;
use crate::funnel::FunnelStage;

/// How many customers are at or beyond each of the five [`FunnelStage`]s at
/// one moment (for example the end of a simulated period): where they are
/// now, so a count can fall from one moment to the next.
///
/// Funnel stages are cumulative (see [`FunnelStage::reached_by`]), so a customer
/// counts in every stage they have reached: `awareness >= consideration >=
/// purchase >= loyalty >= advocacy` always holds, and `population` is everyone,
/// including the unaware.
///
/// ```
/// use social_loop::Stage;
/// use social_loop::funnel::{FunnelSnapshot, FunnelStage};
/// let snap = FunnelSnapshot::from_stages([
///     (Stage::Unaware, false),
///     (Stage::Prospect, false),
///     (Stage::Advocate, true),
///     (Stage::Lapsed, true),
/// ]);
/// assert_eq!(snap.population, 4);
/// assert_eq!(snap.count(FunnelStage::Awareness), 3);
/// assert_eq!(snap.count(FunnelStage::Purchase), 2);
/// assert_eq!(snap.count(FunnelStage::Loyalty), 1);
/// assert_eq!(snap.count(FunnelStage::Advocacy), 1);
/// assert_eq!(snap.rate(FunnelStage::Awareness), 0.75);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FunnelSnapshot {
    /// Everyone counted, whatever their stage.
    pub population: u64,
    /// Know the brand.
    pub awareness: u64,
    /// Are weighing a purchase (prospects) or have bought.
    pub consideration: u64,
    /// Have bought at least once.
    pub purchase: u64,
    /// Have bought and still buy (customers and advocates).
    pub loyalty: u64,
    /// Recommend the brand (advocates).
    pub advocacy: u64,
}

impl FunnelSnapshot {
    /// Counts a population given as `(lifecycle stage, ever bought)` pairs.
    ///
    /// # Complexity
    /// O(n) in the number of pairs.
    pub fn from_stages(stages: impl IntoIterator<Item = (Stage, bool)>) -> Self {
        let mut snap = FunnelSnapshot::default();
        for (stage, ever_bought) in stages {
            snap.add(stage, ever_bought);
        }
        snap
    }

    /// Counts one more customer in lifecycle `stage` who has `ever_bought` or not.
    pub fn add(&mut self, stage: Stage, ever_bought: bool) {
        self.population += 1;
        for funnel_stage in FunnelStage::ALL {
            if funnel_stage.reached_by(stage, ever_bought) {
                *self.count_mut(funnel_stage) += 1;
            }
        }
    }

    /// Adds another snapshot's counts to this one (for example the counts of two
    /// disjoint groups of customers). Saturates instead of wrapping.
    pub fn merge(&mut self, other: &FunnelSnapshot) {
        self.population = self.population.saturating_add(other.population);
        for funnel_stage in FunnelStage::ALL {
            let c = self.count_mut(funnel_stage);
            *c = c.saturating_add(other.count(funnel_stage));
        }
    }

    /// How many customers have reached `stage`.
    pub fn count(&self, stage: FunnelStage) -> u64 {
        match stage {
            FunnelStage::Awareness => self.awareness,
            FunnelStage::Consideration => self.consideration,
            FunnelStage::Purchase => self.purchase,
            FunnelStage::Loyalty => self.loyalty,
            FunnelStage::Advocacy => self.advocacy,
        }
    }

    fn count_mut(&mut self, stage: FunnelStage) -> &mut u64 {
        match stage {
            FunnelStage::Awareness => &mut self.awareness,
            FunnelStage::Consideration => &mut self.consideration,
            FunnelStage::Purchase => &mut self.purchase,
            FunnelStage::Loyalty => &mut self.loyalty,
            FunnelStage::Advocacy => &mut self.advocacy,
        }
    }

    /// The share of the population that has reached `stage` (0 for an empty
    /// population).
    pub fn rate(&self, stage: FunnelStage) -> f64 {
        if self.population == 0 {
            0.0
        } else {
            self.count(stage) as f64 / self.population as f64
        }
    }

    /// The share of those who reached the previous stage that also reached
    /// `stage` (for awareness: the share of the population). 0 when the previous
    /// stage is empty.
    pub fn conversion(&self, stage: FunnelStage) -> f64 {
        let before = match stage.index().checked_sub(1) {
            Some(i) => FunnelStage::ALL
                .get(i)
                .map_or(self.population, |&s| self.count(s)),
            None => self.population,
        };
        if before == 0 {
            0.0
        } else {
            self.count(stage) as f64 / before as f64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lifecycle_stage_counts_as_the_table_says() {
        let snap = FunnelSnapshot::from_stages(Stage::ALL.iter().map(|&s| (s, false)));
        assert_eq!(snap.population, 7);
        // aware, prospect, customer, advocate, adversary, lapsed
        assert_eq!(snap.awareness, 6);
        // prospect, customer, advocate, lapsed: an adversary who never bought
        // is not weighing a purchase
        assert_eq!(snap.consideration, 4);
        // customer, advocate, lapsed
        assert_eq!(snap.purchase, 3);
        assert_eq!(snap.loyalty, 2);
        assert_eq!(snap.advocacy, 1);
        // an adversary who once bought counts as a purchase
        let with_history = FunnelSnapshot::from_stages([(Stage::Adversary, true)]);
        assert_eq!(with_history.purchase, 1);
        assert_eq!(with_history.consideration, 1);
        assert_eq!(with_history.loyalty, 0);
    }

    #[test]
    fn merge_adds_and_conversion_divides_by_the_previous_stage() {
        let mut a = FunnelSnapshot::from_stages([(Stage::Aware, false), (Stage::Customer, true)]);
        let b = FunnelSnapshot::from_stages([(Stage::Unaware, false), (Stage::Prospect, false)]);
        a.merge(&b);
        assert_eq!(a.population, 4);
        assert_eq!(a.awareness, 3);
        assert_eq!(a.consideration, 2);
        assert_eq!(a.purchase, 1);
        assert_eq!(a.conversion(FunnelStage::Awareness), 0.75);
        assert_eq!(a.conversion(FunnelStage::Purchase), 0.5);
        assert_eq!(FunnelSnapshot::default().rate(FunnelStage::Loyalty), 0.0);
        assert_eq!(
            FunnelSnapshot::default().conversion(FunnelStage::Loyalty),
            0.0
        );
    }
}
