//! [`Business`]: the backlog, the policy and the change log working together.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::probability::Probability;

use super::backlog::{FeedbackBacklog, FeedbackItem};
use super::change::Change;
use super::log::ChangeLog;
use super::policy::ChangePolicy;

/// The business side of the loop: feedback comes in, the policy turns it into
/// changes, and the changes set experience quality.
///
/// Each period the caller (the simulation or a CRM) [`receive`](Self::receive)s the
/// feedback that reached the business, calls [`review`](Self::review) once, and
/// reads [`experience_quality`](Self::experience_quality) for the next period's
/// experiences. Changes scheduled up front go straight into the
/// [`changes`](Self::changes) log with [`schedule`](Self::schedule). Without a
/// policy the business never acts on feedback (it still piles up).
///
/// ```
/// use social_loop::business::{Business, Change, ChangeKind, ChangePolicy, FeedbackItem, FeedbackKind, FeedbackSource};
/// use social_loop::Probability;
/// let fix = Change::builder(ChangeKind::ProductInnovation).lag(2).bad_experience_reduction(0.5).build()?;
/// let mut business = Business::new(Some(ChangePolicy::new(3, fix)?));
/// let complaint = FeedbackItem::new(FeedbackKind::Complaint, FeedbackSource::Customer);
/// business.receive(&complaint, 3);
/// assert_eq!(business.review(10).len(), 1);
/// let base = Probability::new(0.6)?;
/// assert_eq!(business.experience_quality(base, 11).get(), 0.6); // lag: not yet
/// assert_eq!(business.experience_quality(base, 12).get(), 0.8); // bad 0.4 -> 0.2
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Business {
    /// The rule that turns feedback into change (`None`: never).
    pub policy: Option<ChangePolicy>,
    /// Feedback waiting to be acted on.
    pub backlog: FeedbackBacklog,
    /// Every change, scheduled or commissioned.
    pub changes: ChangeLog,
}

impl Business {
    /// A business with this policy, an empty backlog and no changes.
    pub fn new(policy: Option<ChangePolicy>) -> Self {
        Business {
            policy,
            ..Business::default()
        }
    }

    /// Adds a change scheduled up front.
    pub fn schedule(&mut self, change: Change) {
        self.changes.push(change);
    }

    /// Records `count` copies of feedback `item` that reached the business.
    pub fn receive(&mut self, item: &FeedbackItem, count: u64) {
        self.backlog.add_many(item, count);
    }

    /// Applies the policy in `period`: records and returns the changes it
    /// commissions (none without a policy).
    ///
    /// # Complexity
    /// As [`ChangePolicy::review`].
    pub fn review(&mut self, period: u32) -> &[Change] {
        let before = self.changes.len();
        if let Some(policy) = &self.policy {
            let new = policy.review(&mut self.backlog, period);
            self.changes.extend(new);
        }
        self.changes.changes().get(before..).unwrap_or(&[])
    }

    /// The probability of a good experience in `period` when it is `base_good`
    /// before any change (see [`ChangeLog::experience_quality`]).
    pub fn experience_quality(&self, base_good: Probability, period: u32) -> Probability {
        self.changes.experience_quality(base_good, period)
    }

    /// Cost of the changes commissioned in `period`.
    ///
    /// # Errors
    /// [`Error::Overflow`](crate::Error::Overflow) when the sum does not fit a `Decimal`.
    pub fn cost_in(&self, period: u32) -> Result<Decimal> {
        self.changes.cost_in(period)
    }
}
