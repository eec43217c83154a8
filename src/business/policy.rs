//! [`ChangePolicy`]: when the business turns its feedback backlog into a change.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

use super::backlog::FeedbackBacklog;
use super::change::{Change, ChangeKind};

/// The rule that turns feedback into change.
///
/// At each [`review`](Self::review) (the simulation reviews once per period, after
/// the period's feedback has arrived): while at least `threshold` items are
/// waiting, and at most `max_per_review` times, the business commissions a copy of
/// the `commission` change starting in the review period, and drains the
/// `threshold` oldest items from the backlog (they are what the change answers).
/// Items below the threshold stay for later reviews.
///
/// Defaults (each a parameter), sized for the quickstart's business (10,000
/// customers, about a million a year in sales, a few thousand pieces of
/// feedback a year reaching the business under co-op ownership):
/// - `threshold = 1,000`: a product team acts on a pattern, not on one voice;
///   a thousand pieces of feedback is a pattern in a business of this size.
/// - `max_per_review = 1`: the business has the capacity for one new change at a
///   time.
/// - `commission`: a product innovation costing 5,000, with a lag of 8 periods (a
///   product change takes about two months of weekly periods to ship), that cuts
///   the probability of a bad experience by 10%: "the social business creates
///   value by implementing change ... as well as product innovation".
///
/// ```
/// use social_loop::business::{
///     Change, ChangeKind, ChangePolicy, FeedbackBacklog, FeedbackItem, FeedbackKind, FeedbackSource,
/// };
/// use social_loop::Decimal;
/// let fix = Change::builder(ChangeKind::ProductInnovation)
///     .cost(Decimal::new(1_000, 0))
///     .lag(3)
///     .bad_experience_reduction(0.2)
///     .build()?;
/// let policy = ChangePolicy::new(10, fix)?;
/// let mut backlog = FeedbackBacklog::new();
/// let complaint = FeedbackItem::new(FeedbackKind::Complaint, FeedbackSource::Customer);
/// backlog.add_many(&complaint, 9);
/// assert!(policy.review(&mut backlog, 5).is_empty()); // 9 < 10
/// backlog.add(&complaint);
/// let changes = policy.review(&mut backlog, 6);
/// assert_eq!(changes.len(), 1);
/// assert_eq!(changes[0].start(), 6);
/// assert_eq!(changes[0].effective_from(), Some(9));
/// assert!(backlog.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "PolicyFields")]
pub struct ChangePolicy {
    threshold: u64,
    max_per_review: u32,
    commission: Change,
}

#[derive(Deserialize)]
struct PolicyFields {
    threshold: u64,
    #[serde(default = "one")]
    max_per_review: u32,
    commission: Change,
}

fn one() -> u32 {
    1
}

impl TryFrom<PolicyFields> for ChangePolicy {
    type Error = Error;
    fn try_from(f: PolicyFields) -> Result<Self> {
        ChangePolicy::new(f.threshold, f.commission)?.max_per_review(f.max_per_review)
    }
}

impl Default for ChangePolicy {
    fn default() -> Self {
        ChangePolicy {
            threshold: 1_000,
            max_per_review: 1,
            commission: Change::unchecked(
                ChangeKind::ProductInnovation,
                Decimal::new(5_000, 0),
                8,
                0.1,
            ),
        }
    }
}

impl ChangePolicy {
    /// Commission `commission` (its start period is replaced by the review period)
    /// each time `threshold` items are waiting.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `change_policy.threshold`) when
    /// `threshold` is 0.
    pub fn new(threshold: u64, commission: Change) -> Result<Self> {
        if threshold == 0 {
            return Err(Error::invalid(
                "change_policy.threshold",
                "must be at least 1 feedback item",
            ));
        }
        Ok(ChangePolicy {
            threshold,
            max_per_review: 1,
            commission,
        })
    }

    /// Sets how many changes one review may commission.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `change_policy.max_per_review`) when it is 0.
    pub fn max_per_review(mut self, max: u32) -> Result<Self> {
        if max == 0 {
            return Err(Error::invalid(
                "change_policy.max_per_review",
                "must be at least 1 (use no policy to never change)",
            ));
        }
        self.max_per_review = max;
        Ok(self)
    }

    /// Items that trigger one change.
    pub fn threshold(&self) -> u64 {
        self.threshold
    }

    /// Most changes one review commissions.
    pub fn max_changes_per_review(&self) -> u32 {
        self.max_per_review
    }

    /// The change commissioned each time.
    pub fn commission(&self) -> &Change {
        &self.commission
    }

    /// Reviews `backlog` in `period`: commissions the changes due and drains the
    /// feedback they answer. Returns the new changes (possibly none).
    ///
    /// # Complexity
    /// O(c) changes plus the cost of [`FeedbackBacklog::drain`].
    pub fn review(&self, backlog: &mut FeedbackBacklog, period: u32) -> Vec<Change> {
        let mut changes = Vec::new();
        while changes.len() < self.max_per_review as usize && backlog.len() >= self.threshold {
            backlog.drain(self.threshold);
            changes.push(self.commission.starting_at(period));
        }
        changes
    }
}
