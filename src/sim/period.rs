//! Phase B of a period: every customer, from their own state at the start of the
//! step and the word of mouth that reached them in phase A, goes through the
//! period's causes in a fixed order (documented in [`crate::sim`], # Customers).
//! Every draw is keyed by (seed, run, period, customer, purpose, slot): see
//! [`super::rng`].

use super::events::{CauseRecord, NO_DETAIL};
use super::report::TransitionCounts;
use super::rng::{BLOCK, Dice, experience as slot};
use super::scenario::Rates;
use super::talk::Talk;
use crate::brand::{Department, EngagementKind};
use crate::customer::StageCounts;
use crate::customer::{
    Cause, Channel, CustomerState, Experience, ExperienceQuality, NpsTally, Stage, Touchpoint,
    Transition, TransitionProbabilities, Trigger, Valence,
};
use crate::funnel::FunnelSnapshot;
use crate::propagation::CompiledNetwork;

/// Flag: the customer's last experience was bad (disappointing or outrageous)
/// and has not been put right since.
pub(crate) const LAST_BAD: u8 = 1;

/// Slots of an engagement's dice (the experience of a conversation, a service
/// recovery or an advocacy programme starts at [`ENGAGEMENT_EXPERIENCE`]).
const LAND: u32 = 0;
const NOTICE: u32 = 1;
const ENGAGEMENT_MOVE: u32 = 2;
const ENGAGEMENT_EXPERIENCE: u32 = 3;
/// Slots of the contact dice.
const CONTACT: u32 = 0;
const DEPARTMENT: u32 = 1;
const CONTACT_EXPERIENCE: u32 = 2;
/// Slots of the exposure dice.
const EXPOSED: u32 = 0;
const EXPOSURE_MOVE: u32 = 1;
/// Slots of the word-of-mouth dice.
const ORDER: u32 = 0;
const POSITIVE_MOVE: u32 = 1;
const NEGATIVE_MOVE: u32 = 2;
/// Slots of the purchase dice.
const OWN: u32 = 0;
const REFERRAL: u32 = 1;
const DISCOUNT: u32 = 2;
const PURCHASE_MOVE: u32 = 3;
const SALES_EXPERIENCE: u32 = 4;
/// Slot of the drift dice.
const DRIFT_MOVE: u32 = 0;

/// How a sale came about (for the report's counts; the cash book books a sale
/// as a sale).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SaleKind {
    /// A repeat purchase or a prospect's own conversion.
    Own = 0,
    /// A prospect who heard praise this period.
    Referral = 1,
    /// A discount that landed.
    Discount = 2,
}

/// One engagement running this period that touches customers.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ActiveEngagement {
    pub(crate) kind: EngagementKind,
    pub(crate) channel: Channel,
    pub(crate) touchpoint: Touchpoint,
    /// Its draws (keyed by its position in the plan).
    pub(crate) dice: Dice,
}

/// The touchpoint of a department.
pub(crate) fn touchpoint_of(department: Department) -> Touchpoint {
    match department {
        Department::Marketing => Touchpoint::Marketing,
        Department::PublicRelations => Touchpoint::PublicRelations,
        Department::Sales => Touchpoint::Sales,
        Department::CustomerService => Touchpoint::CustomerService,
        Department::Agency => Touchpoint::Agency,
    }
}

const DEPARTMENTS: [Touchpoint; 4] = [
    Touchpoint::Marketing,
    Touchpoint::PublicRelations,
    Touchpoint::Sales,
    Touchpoint::CustomerService,
];

/// The chances of the period, converted to its length.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PeriodRates {
    pub(crate) exposure: f64,
    pub(crate) contact: f64,
    pub(crate) conversion: f64,
    pub(crate) purchase_frequency: f64,
    /// Periods without contact after which drift acts.
    pub(crate) lapse_after: u32,
}

/// The dice of the period's per-customer purposes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PeriodDice {
    pub(crate) exposure: Dice,
    pub(crate) contact: Dice,
    pub(crate) heard: Dice,
    pub(crate) purchase: Dice,
    pub(crate) drift: Dice,
}

/// Everything phase B reads: the same for every customer of the period.
#[derive(Debug)]
pub(crate) struct PeriodContext<'a> {
    pub(crate) period: u32,
    pub(crate) rates: &'a Rates,
    pub(crate) per_period: PeriodRates,
    pub(crate) dice: PeriodDice,
    /// Whether customers' feedback counts (their contributions switched on).
    pub(crate) customers_give_feedback: bool,
    pub(crate) consistency: f64,
    pub(crate) feedback_reach: f64,
    /// Probability of a bad experience with the changes in effect.
    pub(crate) bad: f64,
    pub(crate) engagements: &'a [ActiveEngagement],
    /// Landing probability by `[engagement][profile]`, row-major.
    pub(crate) relevance: &'a [f64],
    pub(crate) profile_count: usize,
    /// `(node, engagement, landing probability)` for engagements aimed at one
    /// customer, sorted by node.
    pub(crate) overrides: &'a [(u32, usize, f64)],
    pub(crate) talk: &'a Talk,
    pub(crate) net: &'a CompiledNetwork,
    /// Bitset of the customers whose full history is kept.
    pub(crate) tracked: &'a [u64],
    /// Bitset of the customers whose contributions are switched off (their
    /// feedback does not count; see [`super::engagement`]); empty: nobody's.
    pub(crate) silenced: &'a [u64],
    /// Whether to record who bought, who gave feedback and who is credited
    /// with referral sales ([`BlockTally::credits`]).
    pub(crate) record: bool,
    /// Whether every cause is kept as a [`CauseRecord`] (for CRM events).
    pub(crate) record_causes: bool,
}

impl PeriodContext<'_> {
    fn landing(&self, engagement: usize, profile: usize, node: u32) -> f64 {
        if !self.overrides.is_empty() {
            let start = self.overrides.partition_point(|o| o.0 < node);
            for o in self.overrides.get(start..).unwrap_or(&[]) {
                if o.0 != node {
                    break;
                }
                if o.1 == engagement {
                    return o.2;
                }
            }
        }
        self.relevance
            .get(engagement * self.profile_count + profile)
            .copied()
            .unwrap_or(0.0)
    }

    fn is_tracked(&self, node: u32) -> bool {
        is_set(self.tracked, node)
    }

    fn customer(&self, node: Option<u32>) -> crate::customer::CustomerId {
        node.and_then(|n| self.net.customer(n))
            .cloned()
            .unwrap_or_else(|| "unknown".into())
    }
}

/// Whether bit `node` of the bitset `bits` is set.
pub(crate) fn is_set(bits: &[u64], node: u32) -> bool {
    bits.get(node as usize / 64)
        .is_some_and(|w| (w >> (node % 64)) & 1 == 1)
}

/// Who did what in a period, for the engagement value of each customer
/// (recorded only when asked for).
#[derive(Debug, Clone, Default)]
pub(crate) struct Credits {
    /// The customers credited with a referral sale (whoever told the buyer).
    pub(crate) referral_from: Vec<u32>,
    /// The customers who gave feedback, once per item.
    pub(crate) feedback_by: Vec<u32>,
    /// The customers who bought, with whether at the discounted price.
    pub(crate) bought: Vec<(u32, bool)>,
}

impl Credits {
    pub(crate) fn merge(&mut self, o: Credits) {
        self.referral_from.extend(o.referral_from);
        self.feedback_by.extend(o.feedback_by);
        self.bought.extend(o.bought);
    }
}

/// What one block of customers did in a period.
#[derive(Debug, Clone, Default)]
pub(crate) struct BlockTally {
    pub(crate) stages: StageCounts,
    pub(crate) funnel: FunnelSnapshot,
    pub(crate) nps: NpsTally,
    pub(crate) transitions: TransitionCounts,
    /// Sales by `[SaleKind][discounted]`.
    pub(crate) sales: [[u64; 2]; 3],
    pub(crate) word_of_mouth: (u64, u64),
    pub(crate) engagements: (u64, u64),
    pub(crate) experiences: (u64, u64),
    /// Customer feedback given: (complaints, suggestions).
    pub(crate) feedback_given: (u64, u64),
    /// Of which reached the business: (complaints, suggestions).
    pub(crate) feedback_reached: (u64, u64),
    pub(crate) audit: Vec<(u32, Transition)>,
    pub(crate) credits: Credits,
    /// Every cause, in order, when the context records them.
    pub(crate) causes: Vec<CauseRecord>,
}

impl BlockTally {
    pub(crate) fn merge(&mut self, o: BlockTally) {
        self.stages.merge(&o.stages);
        self.funnel.merge(&o.funnel);
        self.nps.merge(&o.nps);
        self.transitions.merge(&o.transitions);
        for (row, orow) in self.sales.iter_mut().zip(o.sales) {
            for (c, oc) in row.iter_mut().zip(orow) {
                *c += oc;
            }
        }
        let add = |a: &mut (u64, u64), b: (u64, u64)| {
            a.0 += b.0;
            a.1 += b.1;
        };
        add(&mut self.word_of_mouth, o.word_of_mouth);
        add(&mut self.engagements, o.engagements);
        add(&mut self.experiences, o.experiences);
        add(&mut self.feedback_given, o.feedback_given);
        add(&mut self.feedback_reached, o.feedback_reached);
        self.audit.extend(o.audit);
        self.credits.merge(o.credits);
        self.causes.extend(o.causes);
    }

    /// Sales of `kind`: (full price, discounted).
    pub(crate) fn sales_of(&self, kind: SaleKind) -> [u64; 2] {
        self.sales.get(kind as usize).copied().unwrap_or([0, 0])
    }
}

/// What a good experience does (a bad one is always a bad experience).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Good {
    /// A good experience: delightful with the delight share, else satisfying.
    Quality,
    /// Service recovery for a customer who needed it.
    Recovery,
    /// A relevant engagement (a conversation with someone who needed nothing
    /// fixed).
    Engaged,
    /// Delight: an advocacy programme recognising a satisfied customer.
    Delight,
}

/// One customer's step: their state and where their moves are counted.
struct Step<'s> {
    state: &'s mut CustomerState,
    flags: &'s mut u8,
    node: u32,
    tracked: bool,
    period: u32,
    probs: &'s TransitionProbabilities,
    tally: &'s mut BlockTally,
    /// Whether causes are recorded, and the detail of the next one (who
    /// told them, for word of mouth; whether discounted, for a purchase).
    record: bool,
    detail: u32,
}

impl Step<'_> {
    fn set_flag(&mut self, flag: u8, on: bool) {
        if on {
            *self.flags |= flag;
        } else {
            *self.flags &= !flag;
        }
    }

    /// Applies one cause: the sentiment effect, and the table's move with its
    /// probability (drawn from `dice` in `slot`). `make` builds the full
    /// cause, only for tracked customers.
    fn cause(&mut self, dice: Dice, slot: u32, trigger: Trigger, make: impl FnOnce() -> Cause) {
        let probs = self.probs;
        let node = self.node;
        let moved = self.state.apply_trigger(trigger, self.period, |rule| {
            dice.chance(node, slot, probs.get(rule).get())
        });
        if let Some(m) = moved {
            self.tally.transitions.record(m.from, m.to, m.trigger);
            if self.tracked {
                self.tally.audit.push((self.node, m.with_cause(make())));
            }
        }
        if self.record {
            let record = CauseRecord::of(node, trigger, moved.is_some(), self.state, self.detail);
            self.tally.causes.push(record);
        }
        self.detail = NO_DETAIL;
    }

    /// One experience at `at`, drawn from `dice` from slot `base` on: bad with
    /// the business's probability of a bad experience (after the changes in
    /// effect), and then outrageous with the outrage share, else
    /// disappointing. One that would have been good is disappointing all the
    /// same when it is inconsistent across departments (with one minus the
    /// ownership's consistency); otherwise it does what `good` says. Then the
    /// customer may give feedback (a complaint after a bad experience), which
    /// reaches the business with the ownership's feedback reach.
    fn experience(
        &mut self,
        dice: Dice,
        base: u32,
        ctx: &PeriodContext<'_>,
        at: Touchpoint,
        good: Good,
    ) {
        let rates = ctx.rates;
        let node = self.node;
        self.tally.experiences.0 += 1;
        let consistent = dice.chance(node, base + slot::CONSISTENT, ctx.consistency);
        if !consistent {
            self.tally.experiences.1 += 1;
        }
        let poor = dice.chance(node, base + slot::QUALITY, ctx.bad);
        let bad = poor || !consistent;
        let moved = base + slot::MOVE;
        if bad {
            let outraged = poor && dice.chance(node, base + slot::SHARE, rates.outrage_share.get());
            let quality = if outraged {
                ExperienceQuality::Outraged
            } else {
                ExperienceQuality::Disappointed
            };
            self.set_flag(LAST_BAD, true);
            self.cause(dice, moved, Trigger::Experience(quality), || {
                Cause::Experience(Experience::new(quality).at(at))
            });
        } else {
            self.set_flag(LAST_BAD, false);
            match good {
                Good::Quality | Good::Delight => {
                    let quality = if good == Good::Delight
                        || dice.chance(node, base + slot::SHARE, rates.delight_share.get())
                    {
                        ExperienceQuality::Delighted
                    } else {
                        ExperienceQuality::Satisfied
                    };
                    self.cause(dice, moved, Trigger::Experience(quality), || {
                        Cause::Experience(Experience::new(quality).at(at))
                    });
                }
                Good::Recovery => {
                    self.cause(dice, moved, Trigger::ServiceRecovery, || {
                        Cause::ServiceRecovery
                    });
                }
                Good::Engaged => {
                    self.cause(dice, moved, Trigger::Engagement { relevant: true }, || {
                        Cause::Engagement {
                            relevant: true,
                            channel: None,
                        }
                    });
                }
            }
        }
        if ctx.customers_give_feedback
            && !is_set(ctx.silenced, node)
            && dice.chance(node, base + slot::FEEDBACK, rates.feedback.get())
        {
            if ctx.record {
                self.tally.credits.feedback_by.push(node);
            }
            let reached = u64::from(dice.chance(node, base + slot::REACH, ctx.feedback_reach));
            if bad {
                self.tally.feedback_given.0 += 1;
                self.tally.feedback_reached.0 += reached;
            } else {
                self.tally.feedback_given.1 += 1;
                self.tally.feedback_reached.1 += reached;
            }
        }
    }
}

/// Runs phase B for one block of customers, in place.
pub(crate) fn update_block(
    ctx: &PeriodContext<'_>,
    block: usize,
    states: &mut [CustomerState],
    last_contact: &mut [u32],
    flags: &mut [u8],
    profile_of: &[u16],
) -> BlockTally {
    let t = ctx.period;
    let rates = ctx.rates;
    let dice = ctx.dice;
    let mut tally = BlockTally::default();
    let customers = states
        .iter_mut()
        .zip(last_contact.iter_mut())
        .zip(flags.iter_mut())
        .zip(profile_of.iter());
    for (k, (((state, last), flag), &profile)) in customers.enumerate() {
        let node = (block * BLOCK + k) as u32;
        let mut step = Step {
            state,
            flags: flag,
            node,
            tracked: ctx.is_tracked(node),
            period: t,
            probs: &rates.transitions,
            tally: &mut tally,
            record: ctx.record_causes,
            detail: NO_DETAIL,
        };
        let mut contact = false;
        let mut discount = false;
        let (praise, criticism) = ctx.talk.heard(node as usize);
        let talked_to = praise.is_some() || criticism.is_some();

        // 1. Exposure.
        if step.state.stage() == Stage::Unaware
            && dice.exposure.chance(node, EXPOSED, ctx.per_period.exposure)
        {
            step.cause(dice.exposure, EXPOSURE_MOVE, Trigger::Exposure, || {
                Cause::Exposure { channel: None }
            });
        }

        // 2. Engagements: they reach those who know the brand, or whom word of
        // mouth reached this period (the content was shared with them).
        for (e, engagement) in ctx.engagements.iter().enumerate() {
            if step.state.stage() == Stage::Unaware && !talked_to {
                break;
            }
            let needs_recovery = matches!(step.state.stage(), Stage::Adversary | Stage::Lapsed)
                || *step.flags & LAST_BAD != 0;
            if engagement.kind == EngagementKind::ServiceRecovery && !needs_recovery {
                // Service recovery fixes a bad experience: nothing to fix here.
                continue;
            }
            let landing = ctx.landing(e, usize::from(profile), node);
            if landing <= 0.0 {
                continue;
            }
            let d = engagement.dice;
            let channel = Some(engagement.channel);
            if !d.chance(node, LAND, landing) {
                if d.chance(node, NOTICE, rates.notice_irrelevant.get()) {
                    step.tally.engagements.1 += 1;
                    step.detail = u32::from(engagement.kind.lowers_price());
                    step.cause(
                        d,
                        ENGAGEMENT_MOVE,
                        Trigger::Engagement { relevant: false },
                        || Cause::Engagement {
                            relevant: false,
                            channel,
                        },
                    );
                }
                continue;
            }
            step.tally.engagements.0 += 1;
            contact = true;
            let at = engagement.touchpoint;
            match engagement.kind {
                EngagementKind::Conversation | EngagementKind::ServiceRecovery => {
                    // A contact with a department: an experience.
                    let good = if needs_recovery {
                        Good::Recovery
                    } else {
                        Good::Engaged
                    };
                    step.experience(d, ENGAGEMENT_EXPERIENCE, ctx, at, good);
                }
                EngagementKind::AdvocacyProgramme
                    if step.state.stage() == Stage::Customer && *step.flags & LAST_BAD == 0 =>
                {
                    // Recognition of a satisfied customer: a delightful
                    // experience when it goes well (customer+experience_delighted
                    // makes an advocate).
                    step.experience(d, ENGAGEMENT_EXPERIENCE, ctx, at, Good::Delight);
                }
                kind => {
                    discount |= kind.lowers_price();
                    step.detail = u32::from(kind.lowers_price());
                    step.cause(
                        d,
                        ENGAGEMENT_MOVE,
                        Trigger::Engagement { relevant: true },
                        || Cause::Engagement {
                            relevant: true,
                            channel,
                        },
                    );
                }
            }
        }

        // 3. Contact with a department.
        if step.state.stage() != Stage::Unaware
            && dice.contact.chance(node, CONTACT, ctx.per_period.contact)
        {
            let pick = (dice.contact.roll(node, DEPARTMENT) * DEPARTMENTS.len() as f64) as usize;
            let at = DEPARTMENTS
                .get(pick)
                .copied()
                .unwrap_or(Touchpoint::CustomerService);
            step.experience(dice.contact, CONTACT_EXPERIENCE, ctx, at, Good::Quality);
            contact = true;
        }

        // 4. Word of mouth received: praise and criticism, in a random order
        // when both arrived.
        let praise_first = dice.heard.roll(node, ORDER) < 0.5;
        let heard = if praise_first {
            [(praise, Valence::Positive), (criticism, Valence::Negative)]
        } else {
            [(criticism, Valence::Negative), (praise, Valence::Positive)]
        };
        for (from, valence) in heard {
            if from.is_none() {
                continue;
            }
            let slot = if valence == Valence::Positive {
                step.tally.word_of_mouth.0 += 1;
                POSITIVE_MOVE
            } else {
                step.tally.word_of_mouth.1 += 1;
                NEGATIVE_MOVE
            };
            step.detail = from.unwrap_or(NO_DETAIL);
            step.cause(dice.heard, slot, Trigger::WordOfMouth(valence), || {
                Cause::WordOfMouth {
                    valence,
                    from: ctx.customer(from),
                }
            });
        }

        // 5. Purchase.
        let stage = step.state.stage();
        let own = match stage {
            Stage::Customer | Stage::Advocate => ctx.per_period.purchase_frequency,
            Stage::Prospect => ctx.per_period.conversion,
            _ => 0.0,
        };
        let referral = if stage == Stage::Prospect && praise.is_some() {
            rates.referral_conversion.get()
        } else {
            0.0
        };
        let by_discount = if discount
            && matches!(
                stage,
                Stage::Prospect | Stage::Customer | Stage::Advocate | Stage::Lapsed
            ) {
            rates.discount_conversion.get()
        } else {
            0.0
        };
        let sale = if dice.purchase.chance(node, OWN, own) {
            Some(SaleKind::Own)
        } else if dice.purchase.chance(node, REFERRAL, referral) {
            Some(SaleKind::Referral)
        } else if dice.purchase.chance(node, DISCOUNT, by_discount) {
            Some(SaleKind::Discount)
        } else {
            None
        };
        if let Some(kind) = sale {
            if ctx.record {
                step.tally.credits.bought.push((node, discount));
                if let (SaleKind::Referral, Some(from)) = (kind, praise) {
                    step.tally.credits.referral_from.push(from);
                }
            }
            if let Some(c) = step
                .tally
                .sales
                .get_mut(kind as usize)
                .and_then(|row| row.get_mut(usize::from(discount)))
            {
                *c += 1;
            }
            step.detail = u32::from(discount);
            step.cause(dice.purchase, PURCHASE_MOVE, Trigger::Purchase, || {
                Cause::Purchase
            });
            step.experience(
                dice.purchase,
                SALES_EXPERIENCE,
                ctx,
                Touchpoint::Sales,
                Good::Quality,
            );
            contact = true;
        }

        // 6. Drift.
        if contact {
            *last = t;
        } else {
            let silent = t.saturating_sub(*last);
            if silent >= ctx.per_period.lapse_after {
                step.cause(dice.drift, DRIFT_MOVE, Trigger::NoContact, || {
                    Cause::NoContact { periods: silent }
                });
            }
        }

        // Counting.
        let state = *step.state;
        tally.stages.add(state.stage());
        tally.funnel.add(state.stage(), state.ever_bought());
        if state.ever_bought() {
            tally.nps.add_class(state.nps_class());
        }
    }
    tally
}
