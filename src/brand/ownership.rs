//! Who owns social media inside the company, and what that does to the customer.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

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
#[non_exhaustive]
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
#[non_exhaustive]
pub enum InHouse {
    /// The departments inherit it as separate silos.
    Siloed,
    /// A cross-functional co-op inherits it.
    CoOp,
}

/// The effects of one in-house model (siloed or co-op); constant over time.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct InHouseEffects {
    pub(crate) consistency: Probability,
    pub(crate) feedback_reach: Probability,
    pub(crate) relevance_factor: Probability,
    pub(crate) coordination_overhead: Decimal,
}

accessors!(InHouseEffects {
    consistency get_consistency: Probability [copy] => "the chance that a touched customer gets a consistent experience across departments";
    feedback_reach get_feedback_reach: Probability [copy] => "the share of feedback and listening that reaches the business backlog";
    relevance_factor get_relevance_factor: Probability [copy] => "the multiplier on engagement relevance";
    coordination_overhead get_coordination_overhead: Decimal [copy] => "the extra cost as a fraction of each engagement's cost (>= 0)";
});

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

    /// The documented range of each lever of the siloed model, `[low, high]`:
    ///
    /// | lever | siloed | co-op |
    /// |---|---|---|
    /// | consistency | 0.4 .. 0.8 | 0.75 .. 0.95 |
    /// | feedback reach | 0.1 .. 0.5 | 0.5 .. 0.9 |
    /// | relevance factor | 0.7 .. 0.95 | 0.8 .. 1 |
    /// | coordination overhead | 0 .. 0.1 | 0.05 .. 0.4 |
    ///
    /// The essays give directions, not numbers: each default is inside a range
    /// wide enough to hold the plausible readings of the quote behind it, and
    /// the ranges of the two models overlap where the essays do not say which is
    /// better by how much (relevance) or say it costs (overhead: meetings,
    /// shared budgets and planning can cost little or a lot). A sensitivity
    /// analysis draws the levers from these ranges instead of fixing them (the
    /// example `who_owns_social`).
    pub fn siloed_range() -> [InHouseEffects; 2] {
        let p = Probability::saturating;
        [
            InHouseEffects {
                consistency: p(0.4),
                feedback_reach: p(0.1),
                relevance_factor: p(0.7),
                coordination_overhead: Decimal::ZERO,
            },
            InHouseEffects {
                consistency: p(0.8),
                feedback_reach: p(0.5),
                relevance_factor: p(0.95),
                coordination_overhead: Decimal::new(1, 1),
            },
        ]
    }

    /// The documented range of each lever of the co-op model, `[low, high]`
    /// (see [`InHouseEffects::siloed_range`]).
    pub fn co_op_range() -> [InHouseEffects; 2] {
        let p = Probability::saturating;
        [
            InHouseEffects {
                consistency: p(0.75),
                feedback_reach: p(0.5),
                relevance_factor: p(0.8),
                coordination_overhead: Decimal::new(5, 2),
            },
            InHouseEffects {
                consistency: p(0.95),
                feedback_reach: p(0.9),
                relevance_factor: p(1.0),
                coordination_overhead: Decimal::new(4, 1),
            },
        ]
    }

    /// The levers at fractions `at` (each in `[0, 1]`, clamped) of the way
    /// from `range[0]` to `range[1]`, in the order consistency, feedback reach,
    /// relevance factor, coordination overhead (the overhead rounded to
    /// thousandths).
    pub fn within(range: [InHouseEffects; 2], at: [f64; 4]) -> InHouseEffects {
        let [low, high] = range;
        let [a, b, c, d] = at.map(|x| if x.is_nan() { 0.0 } else { x.clamp(0.0, 1.0) });
        let mix = |l: Probability, h: Probability, w: f64| {
            Probability::saturating(l.get() + (h.get() - l.get()) * w)
        };
        let span = high.coordination_overhead - low.coordination_overhead;
        let step = Decimal::from((d * 1000.0).round() as i64);
        let overhead = span
            .checked_mul(step)
            .and_then(|x| x.checked_div(Decimal::from(1000)))
            .and_then(|x| low.coordination_overhead.checked_add(x))
            .map_or(low.coordination_overhead, |x| x.round_dp(3));
        InHouseEffects {
            consistency: mix(low.consistency, high.consistency, a),
            feedback_reach: mix(low.feedback_reach, high.feedback_reach, b),
            relevance_factor: mix(low.relevance_factor, high.relevance_factor, c),
            coordination_overhead: overhead,
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
#[serde(default)]
pub struct AgencyEffects {
    pub(crate) consistency: Probability,
    pub(crate) feedback_reach: Probability,
    pub(crate) initial_relevance: Probability,
    pub(crate) relevance_floor: Probability,
    pub(crate) relevance_decay: Probability,
    pub(crate) coordination_overhead: Decimal,
    pub(crate) fee_per_week: Decimal,
    pub(crate) hand_over_ramp: u32,
    pub(crate) hand_over_to: InHouse,
}

accessors!(AgencyEffects {
    consistency get_consistency: Probability [copy] => "the chance that a touched customer gets a consistent experience";
    feedback_reach get_feedback_reach: Probability [copy] => "the share of feedback and listening that reaches the business backlog";
    initial_relevance get_initial_relevance: Probability [copy] => "the relevance factor in period 0";
    relevance_floor get_relevance_floor: Probability [copy] => "the relevance factor the agency decays toward";
    relevance_decay get_relevance_decay: Probability [copy] => "the per-period geometric decay rate of the relevance above the floor";
    coordination_overhead get_coordination_overhead: Decimal [copy] => "the extra cost as a fraction of each engagement's cost (>= 0)";
    fee_per_week get_fee_per_week: Decimal [copy] => "the agency's fee per week (>= 0, in the scenario's currency), paid every period until the hand-over";
    hand_over_ramp get_hand_over_ramp: u32 [copy] => "the periods the in-house team needs to reach its own level after the hand-over";
    hand_over_to get_hand_over_to: InHouse [copy] => "the in-house model that takes over";
});

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
    /// - coordination overhead 0: the agency coordinates itself; what it costs is
    ///   its fee.
    /// - fee 700 a week (about 3,000 a month), paid each period until the
    ///   hand-over: agencies quote monthly retainers for managing a brand's
    ///   social media from about 1,000 to over 10,000 a month for small and
    ///   medium businesses (US price guides, hence the scenario's default
    ///   currency); 3,000 a month is toward the lower middle, for a business of
    ///   about a million a year in sales. The fee is on top of the engagements'
    ///   own costs (content, discounts), which the brand pays whoever runs them.
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
            fee_per_week: Decimal::new(700, 0),
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
/// let co_op = OwnershipEffects::default().get_co_op().consistency(Probability::new(0.8)?);
/// let effects = OwnershipEffects::default().co_op(co_op);
/// let json = serde_json::to_string(&effects)?;
/// assert_eq!(serde_json::from_str::<OwnershipEffects>(&json)?, effects);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OwnershipEffects {
    pub(crate) siloed: InHouseEffects,
    pub(crate) co_op: InHouseEffects,
    pub(crate) agency: AgencyEffects,
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

accessors!(OwnershipEffects {
    siloed get_siloed: InHouseEffects [copy] => "the effects of `Ownership::Siloed` (and of an agency handing over to silos)";
    co_op get_co_op: InHouseEffects [copy] => "the effects of `Ownership::CoOp` (and of an agency handing over to a co-op)";
    agency get_agency: AgencyEffects [copy] => "the effects of `Ownership::Agency`";
});

impl OwnershipEffects {
    /// Checks the levers types cannot: overheads and the agency fee `>= 0`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming the field's JSON path in a scenario
    /// (`ownership_effects.co_op.coordination_overhead`,
    /// `ownership_effects.agency.fee_per_week`...).
    pub fn validate(&self) -> Result<()> {
        let checks = [
            (
                "ownership_effects.siloed.coordination_overhead",
                self.siloed.coordination_overhead,
            ),
            (
                "ownership_effects.co_op.coordination_overhead",
                self.co_op.coordination_overhead,
            ),
            (
                "ownership_effects.agency.coordination_overhead",
                self.agency.coordination_overhead,
            ),
            (
                "ownership_effects.agency.fee_per_week",
                self.agency.fee_per_week,
            ),
        ];
        for (field, value) in checks {
            if value.is_sign_negative() && !value.is_zero() {
                return Err(Error::invalid(
                    field,
                    format!("{value} is negative; it must be >= 0"),
                ));
            }
        }
        Ok(())
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
#[non_exhaustive]
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

    /// The agency's fee per week in `period`: the [`AgencyEffects`] fee while an
    /// agency runs the relationship (before the hand-over, or always without
    /// one), nothing otherwise. The simulation converts it to its period (see
    /// [`Period`](crate::sim::Period)) and books it as the brand's
    /// [`ValueKind::AgencyFee`](crate::value::ValueKind::AgencyFee).
    pub fn agency_fee_per_week(&self, effects: &OwnershipEffects, period: u32) -> Decimal {
        match *self {
            Ownership::Agency { hand_over_period }
                if hand_over_period.is_none_or(|h| period < h) =>
            {
                effects.agency.fee_per_week
            }
            _ => Decimal::ZERO,
        }
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
