//! [`EngagementPlan`]: the brand's engagements over the horizon.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

use super::engagement::Engagement;

/// The brand's engagements, in the order the caller gave them.
///
/// ```
/// use social_loop::brand::{Engagement, EngagementKind, EngagementPlan, Schedule};
/// use social_loop::customer::Channel;
/// use social_loop::Decimal;
/// let plan = EngagementPlan::new(vec![
///     Engagement::builder(EngagementKind::Listen, Channel::Microblog)
///         .schedule(Schedule::every(0, 1)?)
///         .cost(Decimal::new(10, 0))
///         .build()?,
///     Engagement::builder(EngagementKind::Discount, Channel::Email)
///         .period(3)
///         .cost(Decimal::new(100, 0))
///         .build()?,
/// ]);
/// assert_eq!(plan.active_in(3).count(), 2);
/// assert_eq!(plan.cost_in(3)?, Decimal::new(110, 0));
/// assert_eq!(plan.cost_in(4)?, Decimal::new(10, 0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EngagementPlan {
    engagements: Vec<Engagement>,
}

impl EngagementPlan {
    /// A plan of these engagements.
    pub fn new(engagements: Vec<Engagement>) -> Self {
        EngagementPlan { engagements }
    }

    /// Adds an engagement at the end.
    pub fn push(&mut self, engagement: Engagement) {
        self.engagements.push(engagement);
    }

    /// Adds an engagement at the end (by-value form).
    #[must_use]
    pub fn with(mut self, engagement: Engagement) -> Self {
        self.engagements.push(engagement);
        self
    }

    /// Every engagement, in plan order.
    pub fn engagements(&self) -> &[Engagement] {
        &self.engagements
    }

    /// Number of engagements.
    pub fn len(&self) -> usize {
        self.engagements.len()
    }

    /// Whether the plan has no engagement.
    pub fn is_empty(&self) -> bool {
        self.engagements.is_empty()
    }

    /// The engagements that run in `period`, in plan order.
    ///
    /// # Complexity
    /// O(n) for n engagements.
    pub fn active_in(&self, period: u32) -> impl Iterator<Item = &Engagement> + '_ {
        self.engagements.iter().filter(move |e| e.is_active(period))
    }

    /// Total own cost of the engagements that run in `period` (without any
    /// ownership overhead).
    ///
    /// # Errors
    /// [`Error::Overflow`] when the sum does not fit a `Decimal`.
    pub fn cost_in(&self, period: u32) -> Result<Decimal> {
        self.active_in(period).try_fold(Decimal::ZERO, |sum, e| {
            sum.checked_add(e.cost())
                .ok_or_else(|| Error::overflow(format!("engagement cost in period {period}")))
        })
    }
}

impl FromIterator<Engagement> for EngagementPlan {
    fn from_iter<I: IntoIterator<Item = Engagement>>(iter: I) -> Self {
        EngagementPlan::new(iter.into_iter().collect())
    }
}
