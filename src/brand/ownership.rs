//! Who owns social media inside the company, and what that does to the customer.

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};

use crate::error::{Error, Result};
use crate::probability::Probability;

/// Who owns the brand's social media and so its relationship with customers.
///
/// The ownership model never decides an outcome by itself: it sets four levers
/// ([`PeriodEffects`]) that the simulation applies each period, and the outcome
/// comes from what they do to customers and to the business:
///
/// - **consistency**: the chance that a customer touched by the brand gets one
///   consistent experience across departments. An inconsistent experience is a
///   disappointing one ("the customer does not see silos, they see the company as
///   one").
/// - **feedback reach**: the share of customers' feedback and of what listening
///   hears that reaches the business's [feedback backlog](crate::business::FeedbackBacklog).
///   Feedback that never arrives never becomes a product change, so experience
///   quality does not improve.
/// - **relevance factor**: a multiplier on every engagement's
///   [relevance](super::RelevanceModel): how well the owner knows the customer.
/// - **coordination overhead**: the extra cost, as a fraction of each engagement's
///   cost, of running social media this way.
///
/// The values of each model are parameters in [`OwnershipEffects`], each default
/// with the essay idea behind it.
///
/// ```
/// use social_loop::brand::{Ownership, OwnershipEffects};
/// let effects = OwnershipEffects::default();
/// let agency = Ownership::Agency { hand_over_period: None };
/// // The agency knows the business less and less the longer it owns the relationship.
/// assert!(agency.relevance_factor(&effects, 30) < agency.relevance_factor(&effects, 0));
/// // Listening in silos rarely reaches the people who could change the product.
/// assert!(Ownership::Siloed.feedback_reach(&effects, 0) < Ownership::CoOp.feedback_reach(&effects, 0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "model", rename_all = "snake_case")]
pub enum Ownership {
    /// Each department (marketing, PR, sales, customer service) runs its own social
    /// media, with its own goals and no internal communication.
    Siloed,
    /// Social media run "like a co-op": a cross-functional team with shared
    /// knowledge, shared budget and collective accountability.
    CoOp,
    /// An outside agency runs the relationship; `hand_over_period` is the period from
    /// which the brand takes it over in-house (`None`: the agency keeps it forever).
    Agency {
        /// First period the brand's own team runs the relationship.
        hand_over_period: Option<u32>,
    },
}

/// The in-house model an agency hands the relationship over to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InHouse {
    /// The departments inherit it as separate silos.
    Siloed,
    /// A cross-functional co-op inherits it.
    CoOp,
}

/// The effects of one in-house model (siloed or co-op); constant over time.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct InHouseEffects {
    /// Chance a touched customer gets a consistent experience across departments.
    pub consistency: Probability,
    /// Share of feedback and listening that reaches the business backlog.
    pub feedback_reach: Probability,
    /// Multiplier on engagement relevance.
    pub relevance_factor: Probability,
    /// Extra cost as a fraction of each engagement's cost (>= 0).
    #[serde(deserialize_with = "non_negative_overhead")]
    pub coordination_overhead: Decimal,
}

impl InHouseEffects {
    /// Defaults of the siloed model:
    /// - consistency 0.6: "zero internal communication resulting in multiple social
    ///   channels with no clear goals or alignment"; contacts "managed separately with
    ///   different goals ... lead to totally different customer experiences".
    /// - feedback reach 0.3: listening sits in one department; "it's one thing to
    ///   listen, it's something entirely different to do something about it".
    /// - relevance factor 0.85: each silo has "a single or narrow view of the customer".
    /// - coordination overhead 0: "hierarchies are cleaner ... less messy, mostly
    ///   because it requires less discussion".
    pub fn siloed() -> Self {
        InHouseEffects {
            consistency: Probability::saturating(0.6),
            feedback_reach: Probability::saturating(0.3),
            relevance_factor: Probability::saturating(0.85),
            coordination_overhead: Decimal::ZERO,
        }
    }

    /// Defaults of the co-op model:
    /// - consistency 0.9: one team with common goals presents "a united front ... the
    ///   whole, not the parts" (not 1: people still differ).
    /// - feedback reach 0.8: the co-op brings customers "inside the walls" and makes
    ///   them "a vital part of our business"; product people sit in the team.
    /// - relevance factor 0.9: the business "is built more efficiently through shared
    ///   knowledge"; several angles of expertise know the customer better than one.
    /// - coordination overhead 0.15: collaboration is "the hard work of weaving it
    ///   throughout our enterprise": meetings, a cross-functional budget, shared
    ///   planning cost 15% on top of each engagement.
    pub fn co_op() -> Self {
        InHouseEffects {
            consistency: Probability::saturating(0.9),
            feedback_reach: Probability::saturating(0.8),
            relevance_factor: Probability::saturating(0.9),
            coordination_overhead: Decimal::new(15, 2),
        }
    }
}

/// The effects of agency ownership, which change with time.
///
/// Before the hand-over (or forever when there is none), in period `t`:
/// `relevance_factor(t) = floor + (initial - floor) x (1 - decay)^t`, a geometric
/// decay from `initial_relevance` toward `relevance_floor`; consistency, feedback
/// reach and overhead are constant.
///
/// From the hand-over period `h` on, the brand's own team (model `hand_over_to`)
/// ramps up linearly over `hand_over_ramp` periods: with
/// `w = min(1, (t - h) / ramp)` (`w = 1` when `ramp = 0`), each probability is
/// `(1 - w) x agency value at h + w x in-house value`; the coordination overhead is
/// the in-house one from `h` on.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AgencyEffects {
    /// Chance a touched customer gets a consistent experience.
    pub consistency: Probability,
    /// Share of feedback and listening that reaches the business backlog.
    pub feedback_reach: Probability,
    /// Relevance factor in period 0.
    pub initial_relevance: Probability,
    /// Relevance factor the agency decays toward.
    pub relevance_floor: Probability,
    /// Per-period geometric decay rate of the relevance above the floor.
    pub relevance_decay: Probability,
    /// Extra cost as a fraction of each engagement's cost (>= 0).
    #[serde(deserialize_with = "non_negative_overhead")]
    pub coordination_overhead: Decimal,
    /// Periods the in-house team needs to reach its own level after the hand-over.
    pub hand_over_ramp: u32,
    /// The in-house model that takes over.
    pub hand_over_to: InHouse,
}

impl Default for AgencyEffects {
    /// Defaults:
    /// - consistency 0.7: one outside team speaks with one voice, but what it
    ///   promises is not what sales and service deliver.
    /// - feedback reach 0.2: "having a third party between the brand and its
    ///   customers makes putting that into practice difficult, if not impossible".
    /// - initial relevance 0.9: "agencies can and do help ... especially at the
    ///   beginning of a social media program".
    /// - relevance floor 0.5 and decay 0.05 per period: "no matter how great the
    ///   agency is, it can never know the ins and outs of a business"; "over the
    ///   long-term it's an unsustainable model".
    /// - coordination overhead 0: the agency's fee is in the cost of the engagements
    ///   it owns ([`Department::Agency`](super::Department::Agency)).
    /// - hand-over ramp 8 periods: "understand who can take over internally, what will
    ///   be required of them ... the necessary training".
    /// - hand over to siloed: a hand-over brings the relationship in-house; it does
    ///   not by itself make the departments work as one.
    fn default() -> Self {
        AgencyEffects {
            consistency: Probability::saturating(0.7),
            feedback_reach: Probability::saturating(0.2),
            initial_relevance: Probability::saturating(0.9),
            relevance_floor: Probability::saturating(0.5),
            relevance_decay: Probability::saturating(0.05),
            coordination_overhead: Decimal::ZERO,
            hand_over_ramp: 8,
            hand_over_to: InHouse::Siloed,
        }
    }
}

/// Every ownership model's effect parameters.
///
/// ```
/// use social_loop::brand::OwnershipEffects;
/// use social_loop::Probability;
/// let mut effects = OwnershipEffects::default();
/// effects.co_op.consistency = Probability::new(0.8)?;
/// let json = serde_json::to_string(&effects)?;
/// assert_eq!(serde_json::from_str::<OwnershipEffects>(&json)?, effects);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OwnershipEffects {
    /// Effects of [`Ownership::Siloed`] (and of an agency handing over to silos).
    pub siloed: InHouseEffects,
    /// Effects of [`Ownership::CoOp`] (and of an agency handing over to a co-op).
    pub co_op: InHouseEffects,
    /// Effects of [`Ownership::Agency`].
    pub agency: AgencyEffects,
}

impl Default for OwnershipEffects {
    fn default() -> Self {
        OwnershipEffects {
            siloed: InHouseEffects::siloed(),
            co_op: InHouseEffects::co_op(),
            agency: AgencyEffects::default(),
        }
    }
}

impl OwnershipEffects {
    /// Sets the siloed effects.
    #[must_use]
    pub fn siloed(mut self, effects: InHouseEffects) -> Self {
        self.siloed = effects;
        self
    }

    /// Sets the co-op effects.
    #[must_use]
    pub fn co_op(mut self, effects: InHouseEffects) -> Self {
        self.co_op = effects;
        self
    }

    /// Sets the agency effects.
    #[must_use]
    pub fn agency(mut self, effects: AgencyEffects) -> Self {
        self.agency = effects;
        self
    }

    fn in_house(&self, model: InHouse) -> &InHouseEffects {
        match model {
            InHouse::Siloed => &self.siloed,
            InHouse::CoOp => &self.co_op,
        }
    }
}

/// The ownership levers in force in one period (see [`Ownership`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PeriodEffects {
    /// Chance a touched customer gets a consistent experience across departments.
    pub consistency: Probability,
    /// Share of feedback and listening that reaches the business backlog.
    pub feedback_reach: Probability,
    /// Multiplier on engagement relevance.
    pub relevance_factor: Probability,
    /// Extra cost as a fraction of each engagement's cost.
    pub coordination_overhead: Decimal,
}

impl From<InHouseEffects> for PeriodEffects {
    fn from(e: InHouseEffects) -> Self {
        PeriodEffects {
            consistency: e.consistency,
            feedback_reach: e.feedback_reach,
            relevance_factor: e.relevance_factor,
            coordination_overhead: e.coordination_overhead,
        }
    }
}

impl Ownership {
    /// The four levers in `period` under `effects`.
    ///
    /// # Complexity
    /// O(1).
    pub fn effects_in(&self, effects: &OwnershipEffects, period: u32) -> PeriodEffects {
        match *self {
            Ownership::Siloed => effects.siloed.into(),
            Ownership::CoOp => effects.co_op.into(),
            Ownership::Agency { hand_over_period } => {
                let agency = &effects.agency;
                match hand_over_period {
                    Some(h) if period >= h => {
                        let before = agency_period_effects(agency, h);
                        let after = effects.in_house(agency.hand_over_to);
                        let w = if agency.hand_over_ramp == 0 {
                            1.0
                        } else {
                            (f64::from(period - h) / f64::from(agency.hand_over_ramp)).min(1.0)
                        };
                        PeriodEffects {
                            consistency: blend(before.consistency, after.consistency, w),
                            feedback_reach: blend(before.feedback_reach, after.feedback_reach, w),
                            relevance_factor: blend(
                                before.relevance_factor,
                                after.relevance_factor,
                                w,
                            ),
                            coordination_overhead: after.coordination_overhead,
                        }
                    }
                    _ => agency_period_effects(agency, period),
                }
            }
        }
    }

    /// Chance that a customer touched by the brand in `period` gets a consistent
    /// experience across departments.
    pub fn consistency(&self, effects: &OwnershipEffects, period: u32) -> Probability {
        self.effects_in(effects, period).consistency
    }

    /// Share of customers' feedback (and of listening) in `period` that reaches the
    /// business's backlog.
    pub fn feedback_reach(&self, effects: &OwnershipEffects, period: u32) -> Probability {
        self.effects_in(effects, period).feedback_reach
    }

    /// Multiplier on engagement relevance in `period`.
    pub fn relevance_factor(&self, effects: &OwnershipEffects, period: u32) -> Probability {
        self.effects_in(effects, period).relevance_factor
    }

    /// Extra cost, as a fraction of each engagement's cost, in `period`.
    pub fn coordination_overhead(&self, effects: &OwnershipEffects, period: u32) -> Decimal {
        self.effects_in(effects, period).coordination_overhead
    }

    /// What an engagement whose own cost is `base` costs in `period` including the
    /// coordination overhead: `base x (1 + overhead)`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `coordination_overhead`) when the overhead
    /// was set negative in code; [`Error::Overflow`] when the product does not fit a
    /// `Decimal`.
    pub fn engagement_cost(
        &self,
        effects: &OwnershipEffects,
        base: Decimal,
        period: u32,
    ) -> Result<Decimal> {
        let overhead = self.coordination_overhead(effects, period);
        if overhead.is_sign_negative() && !overhead.is_zero() {
            return Err(Error::invalid(
                "coordination_overhead",
                format!("{overhead} is negative; it must be >= 0"),
            ));
        }
        Decimal::ONE
            .checked_add(overhead)
            .and_then(|factor| base.checked_mul(factor))
            .ok_or_else(|| Error::overflow("engagement cost with coordination overhead"))
    }
}

fn agency_period_effects(agency: &AgencyEffects, period: u32) -> PeriodEffects {
    let floor = agency.relevance_floor.get();
    let initial = agency.initial_relevance.get();
    let keep = agency.relevance_decay.complement().get();
    let exponent = i32::try_from(period).unwrap_or(i32::MAX);
    let relevance = floor + (initial - floor) * keep.powi(exponent);
    PeriodEffects {
        consistency: agency.consistency,
        feedback_reach: agency.feedback_reach,
        relevance_factor: Probability::saturating(relevance),
        coordination_overhead: agency.coordination_overhead,
    }
}

fn blend(from: Probability, to: Probability, w: f64) -> Probability {
    Probability::saturating((1.0 - w) * from.get() + w * to.get())
}

fn non_negative_overhead<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
    let value = <Decimal as Deserialize>::deserialize(deserializer)?;
    if value.is_sign_negative() && !value.is_zero() {
        return Err(serde::de::Error::custom(format!(
            "coordination_overhead: {value} is negative; it must be >= 0"
        )));
    }
    Ok(value)
}
