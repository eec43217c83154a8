//! [`Change`]: something the business changes in itself, with its cost, lag and
//! effect on experience quality.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::probability::Probability;

/// What the business changes: "the social business creates value by implementing
/// change internally" — in process, behaviour, policy and product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ChangeKind {
    /// How work is done (e.g. one queue for all customer contacts).
    Process,
    /// How people behave: training and education ("many employees just don't know
    /// how to behave online ... there are no policies, training and education").
    Behaviour,
    /// Rules (e.g. a social media policy, a returns policy).
    Policy,
    /// The product itself, changed on customers' feedback.
    ProductInnovation,
}

impl ChangeKind {
    /// Every kind.
    pub const ALL: [ChangeKind; 4] = [
        ChangeKind::Process,
        ChangeKind::Behaviour,
        ChangeKind::Policy,
        ChangeKind::ProductInnovation,
    ];
}

/// One change of the business.
///
/// It is commissioned (and paid: `cost`) in period `start` and takes effect `lag`
/// periods later, from period `start + lag` on, for good.
///
/// **Effect on experience quality.** A change in effect multiplies the probability
/// of a *bad* experience by `1 - bad_experience_reduction`. Several changes in effect
/// multiply: `P(bad) = base_bad x Π (1 - r_i)`. So quality improves with diminishing
/// returns, and the probability of a good experience `1 - P(bad)` never leaves
/// `[0, 1]`, whatever the number of changes (see [`ChangeLog`](super::ChangeLog)).
///
/// ```
/// use social_loop::business::{Change, ChangeKind};
/// use social_loop::Decimal;
/// let training = Change::builder(ChangeKind::Behaviour)
///     .start(4)
///     .lag(2)
///     .cost(Decimal::new(5_000, 0))
///     .bad_experience_reduction(0.25)
///     .build()?;
/// assert!(!training.in_effect(5));
/// assert!(training.in_effect(6));
/// assert_eq!(training.bad_experience_reduction().get(), 0.25);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "ChangeFields")]
pub struct Change {
    kind: ChangeKind,
    start: u32,
    cost: Decimal,
    lag: u32,
    bad_experience_reduction: Probability,
}

#[derive(Deserialize)]
struct ChangeFields {
    kind: ChangeKind,
    #[serde(default)]
    start: u32,
    cost: Decimal,
    #[serde(default)]
    lag: u32,
    bad_experience_reduction: f64,
}

impl TryFrom<ChangeFields> for Change {
    type Error = Error;
    fn try_from(f: ChangeFields) -> Result<Self> {
        Change::builder(f.kind)
            .start(f.start)
            .cost(f.cost)
            .lag(f.lag)
            .bad_experience_reduction(f.bad_experience_reduction)
            .build()
    }
}

impl Change {
    /// Starts a change of `kind`; by default it starts in period 0, costs nothing,
    /// has no lag and no effect.
    pub fn builder(kind: ChangeKind) -> ChangeBuilder {
        ChangeBuilder {
            kind,
            start: 0,
            cost: Decimal::ZERO,
            lag: 0,
            bad_experience_reduction: 0.0,
        }
    }

    /// A change from trusted constants (crate defaults only): `reduction` is clamped
    /// into `[0, 1]` and a negative `cost` becomes 0.
    pub(crate) fn unchecked(kind: ChangeKind, cost: Decimal, lag: u32, reduction: f64) -> Change {
        Change {
            kind,
            start: 0,
            cost: cost.max(Decimal::ZERO),
            lag,
            bad_experience_reduction: Probability::saturating(reduction),
        }
    }

    /// What is changed.
    pub fn kind(&self) -> ChangeKind {
        self.kind
    }

    /// The period the change is commissioned and paid in.
    pub fn start(&self) -> u32 {
        self.start
    }

    /// What it costs (booked in the start period), never negative.
    pub fn cost(&self) -> Decimal {
        self.cost
    }

    /// Periods between commissioning and effect.
    pub fn lag(&self) -> u32 {
        self.lag
    }

    /// Fraction by which it cuts the probability of a bad experience.
    pub fn bad_experience_reduction(&self) -> Probability {
        self.bad_experience_reduction
    }

    /// First period in which it is in effect (`start + lag`), or `None` when that
    /// lies beyond `u32::MAX` (never).
    pub fn effective_from(&self) -> Option<u32> {
        self.start.checked_add(self.lag)
    }

    /// Whether it is in effect in `period`.
    pub fn in_effect(&self, period: u32) -> bool {
        self.effective_from().is_some_and(|from| period >= from)
    }

    /// The same change, commissioned in `period` instead.
    #[must_use]
    pub fn starting_at(&self, period: u32) -> Change {
        Change {
            start: period,
            ..self.clone()
        }
    }
}

/// Builder of a [`Change`]: by-value setters, validated by [`build`](Self::build).
#[derive(Debug, Clone)]
pub struct ChangeBuilder {
    kind: ChangeKind,
    start: u32,
    cost: Decimal,
    lag: u32,
    bad_experience_reduction: f64,
}

impl ChangeBuilder {
    /// Sets the period it is commissioned in.
    #[must_use]
    pub fn start(mut self, period: u32) -> Self {
        self.start = period;
        self
    }

    /// Sets its cost.
    #[must_use]
    pub fn cost(mut self, cost: Decimal) -> Self {
        self.cost = cost;
        self
    }

    /// Sets the periods between commissioning and effect.
    #[must_use]
    pub fn lag(mut self, periods: u32) -> Self {
        self.lag = periods;
        self
    }

    /// Sets the fraction (in `[0, 1]`) by which it cuts the probability of a bad
    /// experience.
    #[must_use]
    pub fn bad_experience_reduction(mut self, fraction: f64) -> Self {
        self.bad_experience_reduction = fraction;
        self
    }

    /// Checks and builds the change.
    ///
    /// # Errors
    /// - [`Error::InvalidParameter`] with field `change.cost` when the cost is
    ///   negative;
    /// - [`Error::InvalidProbability`] with field `change.bad_experience_reduction`
    ///   when the reduction is NaN or outside `[0, 1]`.
    pub fn build(self) -> Result<Change> {
        if self.cost.is_sign_negative() && !self.cost.is_zero() {
            return Err(Error::invalid(
                "change.cost",
                format!("{} is negative; a cost must be >= 0", self.cost),
            ));
        }
        let reduction = Probability::for_field(
            self.bad_experience_reduction,
            "change.bad_experience_reduction",
        )?;
        Ok(Change {
            kind: self.kind,
            start: self.start,
            cost: self.cost,
            lag: self.lag,
            bad_experience_reduction: reduction,
        })
    }
}
