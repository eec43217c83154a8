//! [`ChangeLog`]: every change of the business and their combined effect.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::probability::Probability;

use super::change::Change;

/// Every change of the business (scheduled up front or commissioned by a
/// [`ChangePolicy`](super::ChangePolicy)), and what they do to experience quality
/// in a period.
///
/// **Quality model.** With changes `i` in effect in period `t`,
/// `P(bad experience) = base_bad x Π (1 - r_i)` where `r_i` is each change's
/// [`bad_experience_reduction`](Change::bad_experience_reduction). The factor
/// `Π (1 - r_i)` is in `[0, 1]`, so quality only improves, with diminishing
/// returns, and never leaves `[0, 1]`.
///
/// ```
/// use social_loop::business::{Change, ChangeKind, ChangeLog};
/// use social_loop::Probability;
/// let mut log = ChangeLog::new();
/// log.push(Change::builder(ChangeKind::Process).start(0).lag(2).bad_experience_reduction(0.5).build()?);
/// log.push(Change::builder(ChangeKind::Policy).start(1).lag(2).bad_experience_reduction(0.5).build()?);
/// let base = Probability::new(0.6)?; // 60% good, 40% bad before any change
/// assert_eq!(log.experience_quality(base, 1).get(), 0.6);
/// assert_eq!(log.experience_quality(base, 2).get(), 0.8); // bad 0.4 x 0.5
/// assert_eq!(log.experience_quality(base, 3).get(), 0.9); // bad 0.4 x 0.25
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ChangeLog {
    changes: Vec<Change>,
}

impl ChangeLog {
    /// An empty log.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a change.
    pub fn push(&mut self, change: Change) {
        self.changes.push(change);
    }

    /// Every change, in the order recorded.
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    /// Number of changes.
    pub fn len(&self) -> usize {
        self.changes.len()
    }

    /// Whether no change was recorded.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Changes in effect in `period`.
    ///
    /// # Complexity
    /// O(n) for n changes.
    pub fn in_effect(&self, period: u32) -> impl Iterator<Item = &Change> + '_ {
        self.changes.iter().filter(move |c| c.in_effect(period))
    }

    /// Changes commissioned (and paid) in `period`.
    pub fn commissioned_in(&self, period: u32) -> impl Iterator<Item = &Change> + '_ {
        self.changes.iter().filter(move |c| c.start() == period)
    }

    /// Cost of the changes commissioned in `period`.
    ///
    /// # Errors
    /// [`Error::Overflow`] when the sum does not fit a `Decimal`.
    pub fn cost_in(&self, period: u32) -> Result<Decimal> {
        self.commissioned_in(period)
            .try_fold(Decimal::ZERO, |sum, c| {
                sum.checked_add(c.cost())
                    .ok_or_else(|| Error::overflow(format!("change cost in period {period}")))
            })
    }

    /// The factor `Π (1 - r_i)` on the probability of a bad experience in `period`
    /// (1 when no change is in effect).
    ///
    /// # Complexity
    /// O(n) for n changes.
    pub fn bad_experience_factor(&self, period: u32) -> Probability {
        let factor = self
            .in_effect(period)
            .map(|c| c.bad_experience_reduction().complement().get())
            .product::<f64>();
        Probability::saturating(factor)
    }

    /// The probability of a bad experience in `period` when it is `base_bad` before
    /// any change.
    pub fn bad_experience_probability(&self, base_bad: Probability, period: u32) -> Probability {
        Probability::saturating(base_bad.get() * self.bad_experience_factor(period).get())
    }

    /// The probability of a good experience in `period` when it is `base_good`
    /// before any change: `1 - (1 - base_good) x factor`.
    pub fn experience_quality(&self, base_good: Probability, period: u32) -> Probability {
        self.bad_experience_probability(base_good.complement(), period)
            .complement()
    }
}

impl Extend<Change> for ChangeLog {
    fn extend<I: IntoIterator<Item = Change>>(&mut self, iter: I) {
        self.changes.extend(iter);
    }
}

impl FromIterator<Change> for ChangeLog {
    fn from_iter<I: IntoIterator<Item = Change>>(iter: I) -> Self {
        ChangeLog {
            changes: iter.into_iter().collect(),
        }
    }
}
