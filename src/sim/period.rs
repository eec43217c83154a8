//! Phase B of a period: every customer, from their own state at the start of the
//! step and the word of mouth they received in phase A, goes through the
//! period's causes in a fixed order (documented in [`crate::sim`], # Customers).

use rand_xoshiro::Xoshiro256PlusPlus;

use super::report::{StageCounts, TransitionCounts};
use super::rng::{BLOCK, Phase, chance, stream, uniform};
use super::scenario::Rates;
use super::word_of_mouth::Heard;
use crate::brand::{Department, EngagementKind};
use crate::customer::{
    Cause, Channel, CustomerState, Experience, ExperienceQuality, NpsTally, Stage, Touchpoint,
    Transition, TransitionProbabilities, Trigger, Valence,
};
use crate::funnel::FunnelSnapshot;
use crate::propagation::CompiledNetwork;

/// Most word-of-mouth messages of one valence a customer acts on in a period.
pub(crate) const MAX_MESSAGES: u32 = 16;

/// Flag: the customer's last experience was good only because of the changes in
/// effect (the same draw would have been bad without them).
pub(crate) const RESCUED: u8 = 1;

/// Flag: the customer's last experience was bad (disappointing or outrageous)
/// and has not been put right by service recovery.
pub(crate) const LAST_BAD: u8 = 2;

/// How a sale came about: the actor it is credited to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SaleKind {
    /// The customer bought on their own.
    Own = 0,
    /// Word of mouth won it (credited to the speaker).
    Referral = 1,
    /// A discount won it.
    Engagement = 2,
    /// A repeat purchase right after an experience a change rescued.
    Change = 3,
}

/// One engagement running this period that touches customers.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ActiveEngagement {
    pub(crate) kind: EngagementKind,
    pub(crate) channel: Channel,
    pub(crate) touchpoint: Touchpoint,
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

/// Everything phase B reads: the same for every customer of the period.
#[derive(Debug)]
pub(crate) struct PeriodContext<'a> {
    pub(crate) seed: u64,
    pub(crate) period: u32,
    pub(crate) rates: &'a Rates,
    pub(crate) purchase_frequency: f64,
    pub(crate) consistency: f64,
    pub(crate) feedback_reach: f64,
    /// Probability of a bad experience with the changes in effect, and without.
    pub(crate) bad: (f64, f64),
    pub(crate) engagements: &'a [ActiveEngagement],
    /// Landing probability by `[engagement][profile]`, row-major.
    pub(crate) relevance: &'a [f64],
    pub(crate) profile_count: usize,
    /// `(node, engagement, landing probability)` for engagements aimed at one
    /// customer, sorted by node.
    pub(crate) overrides: &'a [(u32, usize, f64)],
    pub(crate) heard: &'a Heard,
    pub(crate) net: &'a CompiledNetwork,
    /// Bitset of the customers whose full history is kept.
    pub(crate) tracked: &'a [u64],
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
        self.tracked
            .get(node as usize / 64)
            .is_some_and(|w| (w >> (node % 64)) & 1 == 1)
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
    pub(crate) sales: [[u64; 2]; 4],
    pub(crate) word_of_mouth: (u64, u64),
    pub(crate) engagements: (u64, u64),
    pub(crate) experiences: (u64, u64),
    /// Customer feedback given: (complaints, suggestions).
    pub(crate) feedback_given: (u64, u64),
    /// Of which reached the business: (complaints, suggestions).
    pub(crate) feedback_reached: (u64, u64),
    pub(crate) audit: Vec<(u32, Transition)>,
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
    }
}

/// The period's random streams of one block.
struct Streams {
    engagement: Xoshiro256PlusPlus,
    experience: Xoshiro256PlusPlus,
    heard: Xoshiro256PlusPlus,
    purchase: Xoshiro256PlusPlus,
    drift: Xoshiro256PlusPlus,
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
    /// probability (drawn from `rng`). `make` builds the full cause, only for
    /// tracked customers.
    fn cause(
        &mut self,
        rng: &mut Xoshiro256PlusPlus,
        trigger: Trigger,
        make: impl FnOnce() -> Cause,
    ) {
        let probs = self.probs;
        let moved = self.state.apply_trigger(trigger, self.period, |rule| {
            chance(rng, probs.get(rule).get())
        });
        if let Some(m) = moved {
            self.tally.transitions.record(m.from, m.to, m.trigger);
            if self.tracked {
                self.tally.audit.push((self.node, m.with_cause(make())));
            }
        }
    }

    /// One experience at `touchpoint` (see the module docs), then feedback.
    fn experience(
        &mut self,
        rng: &mut Xoshiro256PlusPlus,
        ctx: &PeriodContext<'_>,
        at: Touchpoint,
    ) {
        let rates = ctx.rates;
        self.tally.experiences.0 += 1;
        let (quality, rescued) = if !chance(rng, ctx.consistency) {
            self.tally.experiences.1 += 1;
            (ExperienceQuality::Disappointed, false)
        } else {
            let u = uniform(rng);
            if u < ctx.bad.0 {
                let outraged = chance(rng, rates.outrage_share.get());
                let q = if outraged {
                    ExperienceQuality::Outraged
                } else {
                    ExperienceQuality::Disappointed
                };
                (q, false)
            } else {
                let delighted = chance(rng, rates.delight_share.get());
                let q = if delighted {
                    ExperienceQuality::Delighted
                } else {
                    ExperienceQuality::Satisfied
                };
                (q, u < ctx.bad.1)
            }
        };
        self.set_flag(RESCUED, rescued);
        self.set_flag(
            LAST_BAD,
            matches!(
                quality,
                ExperienceQuality::Disappointed | ExperienceQuality::Outraged
            ),
        );
        self.cause(rng, Trigger::Experience(quality), || {
            Cause::Experience(Experience::new(quality).at(at))
        });
        if chance(rng, rates.feedback.get()) {
            let complaint = matches!(
                quality,
                ExperienceQuality::Disappointed | ExperienceQuality::Outraged
            );
            let reached = chance(rng, ctx.feedback_reach);
            if complaint {
                self.tally.feedback_given.0 += 1;
                self.tally.feedback_reached.0 += u64::from(reached);
            } else {
                self.tally.feedback_given.1 += 1;
                self.tally.feedback_reached.1 += u64::from(reached);
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
    let mut r = Streams {
        engagement: stream(ctx.seed, t, block, Phase::Engagement),
        experience: stream(ctx.seed, t, block, Phase::Experience),
        heard: stream(ctx.seed, t, block, Phase::Heard),
        purchase: stream(ctx.seed, t, block, Phase::Purchase),
        drift: stream(ctx.seed, t, block, Phase::Drift),
    };
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
        };
        let mut contact = false;
        let mut discount = false;

        // 1. Exposure.
        if step.state.stage() == Stage::Unaware && chance(&mut r.engagement, rates.exposure.get()) {
            step.cause(&mut r.engagement, Trigger::Exposure, || Cause::Exposure {
                channel: None,
            });
        }

        // 2. Engagements.
        for (e, engagement) in ctx.engagements.iter().enumerate() {
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
            let channel = Some(engagement.channel);
            if !chance(&mut r.engagement, landing) {
                if chance(&mut r.engagement, rates.notice_irrelevant.get()) {
                    step.tally.engagements.1 += 1;
                    step.cause(
                        &mut r.engagement,
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
            let relevant = || Cause::Engagement {
                relevant: true,
                channel,
            };
            if engagement.kind.wins_back() {
                // A conversation or a service recovery is a contact with a
                // department: consistent or not.
                step.tally.experiences.0 += 1;
                if !chance(&mut r.engagement, ctx.consistency) {
                    step.tally.experiences.1 += 1;
                    step.set_flag(RESCUED, false);
                    step.set_flag(LAST_BAD, true);
                    let at = engagement.touchpoint;
                    step.cause(
                        &mut r.engagement,
                        Trigger::Experience(ExperienceQuality::Disappointed),
                        || {
                            Cause::Experience(
                                Experience::new(ExperienceQuality::Disappointed).at(at),
                            )
                        },
                    );
                } else if needs_recovery {
                    step.set_flag(LAST_BAD, false);
                    step.cause(&mut r.engagement, Trigger::ServiceRecovery, || {
                        Cause::ServiceRecovery
                    });
                } else {
                    step.cause(
                        &mut r.engagement,
                        Trigger::Engagement { relevant: true },
                        relevant,
                    );
                }
            } else {
                discount |= engagement.kind.lowers_price();
                step.cause(
                    &mut r.engagement,
                    Trigger::Engagement { relevant: true },
                    relevant,
                );
            }
        }

        // 3. Contact with a department.
        if step.state.stage() != Stage::Unaware && chance(&mut r.experience, rates.contact.get()) {
            let pick = (uniform(&mut r.experience) * DEPARTMENTS.len() as f64) as usize;
            let at = DEPARTMENTS
                .get(pick)
                .copied()
                .unwrap_or(Touchpoint::CustomerService);
            step.experience(&mut r.experience, ctx, at);
            contact = true;
        }

        // 4. Word of mouth received.
        let (positive, negative) = ctx.heard.count(node as usize);
        step.tally.word_of_mouth.0 += u64::from(positive);
        step.tally.word_of_mouth.1 += u64::from(negative);
        let (mut p, mut n) = (positive.min(MAX_MESSAGES), negative.min(MAX_MESSAGES));
        while p + n > 0 {
            let is_positive = uniform(&mut r.heard) * f64::from(p + n) < f64::from(p);
            let valence = if is_positive {
                p -= 1;
                Valence::Positive
            } else {
                n -= 1;
                Valence::Negative
            };
            step.cause(&mut r.heard, Trigger::WordOfMouth(valence), || {
                let from = ctx
                    .heard
                    .speaker(node as usize, is_positive)
                    .and_then(|s| ctx.net.customer(s))
                    .cloned()
                    .unwrap_or_else(|| "unknown".into());
                Cause::WordOfMouth { valence, from }
            });
        }

        // 5. Purchase.
        let stage = step.state.stage();
        let own = match stage {
            Stage::Customer | Stage::Advocate => ctx.purchase_frequency,
            Stage::Prospect => rates.conversion.get(),
            _ => 0.0,
        };
        let referral = if stage == Stage::Prospect && positive > 0 {
            1.0 - rates
                .referral_conversion
                .complement()
                .get()
                .powi(positive.min(MAX_MESSAGES) as i32)
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
        let sale = if chance(&mut r.purchase, own) {
            if *step.flags & RESCUED != 0 {
                *step.flags &= !RESCUED;
                Some(SaleKind::Change)
            } else {
                Some(SaleKind::Own)
            }
        } else if chance(&mut r.purchase, referral) {
            Some(SaleKind::Referral)
        } else if chance(&mut r.purchase, by_discount) {
            Some(SaleKind::Engagement)
        } else {
            None
        };
        if let Some(kind) = sale {
            if let Some(c) = step
                .tally
                .sales
                .get_mut(kind as usize)
                .and_then(|row| row.get_mut(usize::from(discount)))
            {
                *c += 1;
            }
            step.cause(&mut r.purchase, Trigger::Purchase, || Cause::Purchase);
            step.experience(&mut r.experience, ctx, Touchpoint::Sales);
            contact = true;
        }

        // 6. Drift.
        if contact {
            *last = t;
        } else {
            let silent = t.saturating_sub(*last);
            if silent >= rates.lapse_after {
                step.cause(&mut r.drift, Trigger::NoContact, || Cause::NoContact {
                    periods: silent,
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
