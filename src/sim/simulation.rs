//! [`Simulation`]: the value loop, one period at a time.

use std::collections::BTreeMap;

use rayon::prelude::*;
use rust_decimal::Decimal;

use super::period::{
    ActiveEngagement, BlockTally, PeriodContext, SaleKind, touchpoint_of, update_block,
};
use super::population::{Profiles, build_network, initial_states};
use super::report::{CustomerAudit, PeriodReport, Report, RunTotals};
use super::rng::BLOCK;
use super::scenario::{BusinessSpec, Prices, Rates, Scenario};
use super::word_of_mouth::{Heard, TalkParams};
use crate::brand::{
    EngagementKind, EngagementPlan, Ownership, OwnershipEffects, RelevanceModel, Target,
};
use crate::business::{ChangeLog, FeedbackBacklog, FeedbackItem, FeedbackKind, FeedbackSource};
use crate::customer::{AuditTrail, Cause, CustomerId, CustomerState, Profile, Transition};
use crate::error::{Error, Result};
use crate::funnel::FunnelSnapshot;
use crate::progress::Progress;
use crate::propagation::CompiledNetwork;
use crate::value::{Entry, Ledger, ValueKind};

/// The value loop of a [`Scenario`], driven one period at a time.
///
/// [`run`](super::run) is `Simulation::new`, [`step`](Self::step) up to the
/// horizon, then [`into_report`](Self::into_report). A caller can instead step
/// by hand, look at any customer between periods ([`customer`](Self::customer)),
/// and feed real events ([`apply`](Self::apply)).
///
/// ```
/// use social_loop::sim::{GeneratedNetwork, NetworkSpec, Scenario, Simulation};
/// let scenario = Scenario::default()
///     .network(NetworkSpec::Generated(GeneratedNetwork::micro_communities(500, 25, 6.0)?))
///     .horizon(4);
/// let mut sim = Simulation::new(&scenario)?;
/// let week0 = sim.step()?;
/// assert_eq!(week0.stages.total(), 500); // nobody is lost
/// let state = sim.customer("c42")?;
/// println!("c42 is {} ({:?})", state.stage(), state.why());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Simulation {
    config: Config,
    net: CompiledNetwork,
    profiles: Vec<Profile>,
    profile_of: Vec<u16>,
    states: Vec<CustomerState>,
    last_contact: Vec<u32>,
    flags: Vec<u8>,
    heard: Heard,
    backlog: FeedbackBacklog,
    changes: ChangeLog,
    ledger: Ledger,
    period: u32,
    initial: FunnelSnapshot,
    reports: Vec<PeriodReport>,
    tracked: Vec<u64>,
    trails: BTreeMap<u32, AuditTrail>,
    progress: Progress,
}

/// The scenario without its population (which lives in the simulation's arrays).
#[derive(Debug, Clone)]
struct Config {
    engagements: EngagementPlan,
    relevance: RelevanceModel,
    ownership: Ownership,
    effects: OwnershipEffects,
    business: BusinessSpec,
    prices: Prices,
    purchase_frequency: f64,
    rates: Rates,
    horizon: u32,
    seed: u64,
}

impl Simulation {
    /// Validates `scenario`, builds its network and population (period 0 not yet
    /// run).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming the scenario's field when it is out of
    /// its domain (see [`Scenario::validate`]); [`Error::UnknownCustomer`] when an
    /// engagement targets, or the audit follows, a customer not in the network;
    /// the network generators' errors.
    ///
    /// # Complexity
    /// O(n + m) time and memory for n customers and m ties.
    pub fn new(scenario: &Scenario) -> Result<Self> {
        scenario.validate()?;
        let (net, community) = build_network(&scenario.network, scenario.seed)?;
        let n = net.node_count();
        let expanded = Profiles::new(&scenario.population);
        let (states, profile_of) =
            initial_states(&scenario.population, &expanded, n, community, scenario.seed);
        for e in scenario.engagements.engagements() {
            if let Target::Customer(id) = e.target() {
                net.node_of(id.as_str())?;
            }
        }
        let mut tracked = Vec::new();
        let mut trails = BTreeMap::new();
        if !scenario.audit.customers.is_empty() {
            tracked = vec![0u64; n.div_ceil(64)];
            for id in &scenario.audit.customers {
                let node = net.node_of(id.as_str())?;
                if let Some(w) = tracked.get_mut(node as usize / 64) {
                    *w |= 1 << (node % 64);
                }
                trails.insert(node, AuditTrail::new());
            }
        }
        let initial =
            FunnelSnapshot::from_stages(states.iter().map(|s| (s.stage(), s.ever_bought())));
        let changes: ChangeLog = scenario.business.scheduled.iter().cloned().collect();
        Ok(Simulation {
            config: Config {
                engagements: scenario.engagements.clone(),
                relevance: scenario.relevance,
                ownership: scenario.ownership,
                effects: scenario.ownership_effects,
                business: scenario.business.clone(),
                prices: scenario.prices,
                purchase_frequency: scenario.purchase_frequency.get(),
                rates: scenario.rates.clone(),
                horizon: scenario.horizon,
                seed: scenario.seed,
            },
            heard: Heard::new(n),
            net,
            profiles: expanded.table,
            profile_of,
            last_contact: vec![0; n],
            flags: vec![0; n],
            states,
            backlog: FeedbackBacklog::new(),
            changes,
            ledger: Ledger::new(),
            period: 0,
            initial,
            reports: Vec::new(),
            tracked,
            trails,
            progress: Progress::default(),
        })
    }

    /// Tells `progress` after each period that [`run_to_horizon`](Self::run_to_horizon)
    /// or [`run`](Self::run) simulates (`done` periods of the horizon) and
    /// checks its cancel flag before each one.
    #[must_use]
    pub fn progress(mut self, progress: &Progress) -> Self {
        self.progress = progress.clone();
        self
    }

    /// Runs to the horizon and returns the report: [`run_to_horizon`](Self::run_to_horizon)
    /// then [`into_report`](Self::into_report).
    ///
    /// # Errors
    /// As those two; [`Error::Cancelled`](crate::Error::Cancelled) when the
    /// [`progress`](Self::progress) observer is cancelled first.
    pub fn run(mut self) -> Result<Report> {
        self.run_to_horizon()?;
        self.into_report()
    }

    /// The next period to run (0 before the first step).
    pub fn period(&self) -> u32 {
        self.period
    }

    /// Number of customers.
    pub fn population(&self) -> usize {
        self.states.len()
    }

    /// The compiled influence network the run uses.
    pub fn network(&self) -> &CompiledNetwork {
        &self.net
    }

    /// The state of customer `id` now: stage, purchase history, sentiment and
    /// their last move (why they are where they are).
    ///
    /// # Errors
    /// [`Error::UnknownCustomer`].
    pub fn customer(&self, id: &str) -> Result<CustomerState> {
        let node = self.net.node_of(id)?;
        self.states
            .get(node as usize)
            .copied()
            .ok_or_else(|| Error::UnknownCustomer(CustomerId::new(id)))
    }

    /// The full history of a customer the scenario's [audit](super::AuditOptions)
    /// follows (`None` for other customers).
    pub fn history(&self, id: &str) -> Option<&[Transition]> {
        let node = self.net.node_of(id).ok()?;
        self.trails.get(&node).map(AuditTrail::transitions)
    }

    /// Applies a real event to customer `id` between periods, as a CRM does: the
    /// sentiment effect and the transition table's move (every matching rule
    /// fires). The move is recorded in the customer's audit trail when they are
    /// followed, and counts as contact with the brand.
    ///
    /// # Errors
    /// [`Error::UnknownCustomer`].
    pub fn apply(&mut self, id: &str, cause: Cause) -> Result<Option<Transition>> {
        let node = self.net.node_of(id)?;
        let period = self.period;
        let state = self
            .states
            .get_mut(node as usize)
            .ok_or_else(|| Error::UnknownCustomer(CustomerId::new(id)))?;
        let moved = state.apply(cause, period);
        if let Some(last) = self.last_contact.get_mut(node as usize) {
            *last = period;
        }
        if let (Some(t), Some(trail)) = (&moved, self.trails.get_mut(&node)) {
            trail.record(t.clone())?;
        }
        Ok(moved)
    }

    /// Runs one period: word of mouth (phase A), then every customer's causes
    /// (phase B), then the ledger, the feedback backlog and the business's
    /// changes. Returns the period's report (also kept for
    /// [`into_report`](Self::into_report)).
    ///
    /// # Errors
    /// [`Error::Overflow`] when money does not fit a `Decimal`.
    ///
    /// # Complexity
    /// O(n + m') per period for n customers and m' out-ties of the speakers who
    /// talk, spread over the rayon pool.
    pub fn step(&mut self) -> Result<PeriodReport> {
        let t = self.period;
        let cfg = &self.config;
        let rates = &cfg.rates;
        let levers = cfg.ownership.effects_in(&cfg.effects, t);
        let factor = levers.relevance_factor.get();

        // The engagements of the period and their landing probabilities.
        let mut active = Vec::new();
        let mut relevance = Vec::new();
        let mut overrides = Vec::new();
        let mut programme_boost = vec![0.0f64; self.profiles.len()];
        let mut listening = false;
        for e in cfg.engagements.active_in(t) {
            if e.kind() == EngagementKind::Listen {
                listening = true;
                continue;
            }
            let index = active.len();
            let generic = match e.target() {
                Target::Customer(x) => CustomerId::new(format!("{x}\u{1}other")),
                _ => CustomerId::new(""),
            };
            for profile in &self.profiles {
                let landing = cfg.relevance.relevance(e, &generic, profile, t).get() * factor;
                relevance.push(landing);
            }
            if let Target::Customer(x) = e.target() {
                let node = self.net.node_of(x.as_str())?;
                let profile = self
                    .profile_of
                    .get(node as usize)
                    .and_then(|&p| self.profiles.get(usize::from(p)))
                    .cloned()
                    .unwrap_or_default();
                let landing = cfg.relevance.relevance(e, x, &profile, t).get() * factor;
                overrides.push((node, index, landing));
            }
            if e.kind() == EngagementKind::AdvocacyProgramme {
                let row = relevance.get(index * self.profiles.len()..).unwrap_or(&[]);
                for (boost, &landing) in programme_boost.iter_mut().zip(row) {
                    let p = rates.programme_talk.get() * landing;
                    *boost = 1.0 - (1.0 - *boost) * (1.0 - p);
                }
            }
            active.push(ActiveEngagement {
                kind: e.kind(),
                channel: e.channel(),
                touchpoint: touchpoint_of(e.owner()),
            });
        }
        overrides.sort_by_key(|o| (o.0, o.1));
        if !active
            .iter()
            .any(|a| a.kind == EngagementKind::AdvocacyProgramme)
        {
            programme_boost.clear();
        }

        // Phase A: word of mouth.
        let talk = self.heard.spread(
            &self.net,
            &self.states,
            &self.profile_of,
            &TalkParams {
                seed: cfg.seed,
                period: t,
                advocate_talk: rates.advocate_talk.get(),
                adversary_talk: rates.adversary_talk.get(),
                programme_boost: &programme_boost,
                listen_capture: if listening {
                    rates.listen_capture.get()
                } else {
                    0.0
                },
                feedback_reach: levers.feedback_reach.get(),
            },
        );

        // Phase B: every customer.
        let base_bad = cfg.business.bad_experience;
        let bad = self.changes.bad_experience_probability(base_bad, t).get();
        let ctx = PeriodContext {
            seed: cfg.seed,
            period: t,
            rates,
            purchase_frequency: cfg.purchase_frequency,
            consistency: levers.consistency.get(),
            feedback_reach: levers.feedback_reach.get(),
            bad: (bad, base_bad.get()),
            engagements: &active,
            relevance: &relevance,
            profile_count: self.profiles.len(),
            overrides: &overrides,
            heard: &self.heard,
            net: &self.net,
            tracked: &self.tracked,
        };
        let blocks: Vec<BlockTally> = self
            .states
            .par_chunks_mut(BLOCK)
            .zip(self.last_contact.par_chunks_mut(BLOCK))
            .zip(self.flags.par_chunks_mut(BLOCK))
            .zip(self.profile_of.par_chunks(BLOCK))
            .enumerate()
            .map(|(block, (((states, last), flags), profiles))| {
                update_block(&ctx, block, states, last, flags, profiles)
            })
            .collect();
        let mut tally = BlockTally::default();
        for b in blocks {
            tally.merge(b);
        }
        for (node, transition) in std::mem::take(&mut tally.audit) {
            if let Some(trail) = self.trails.get_mut(&node) {
                trail.record(transition)?;
            }
        }

        // Value, feedback and change.
        self.book(t, &tally)?;
        let reached_complaints = tally.feedback_reached.0;
        let reached_suggestions = tally.feedback_reached.1;
        let items = [
            (
                FeedbackKind::Complaint,
                FeedbackSource::Customer,
                reached_complaints,
            ),
            (
                FeedbackKind::Suggestion,
                FeedbackSource::Customer,
                reached_suggestions,
            ),
            (
                FeedbackKind::Complaint,
                FeedbackSource::Listening,
                talk.reached.1,
            ),
            (
                FeedbackKind::Suggestion,
                FeedbackSource::Listening,
                talk.reached.0,
            ),
        ];
        for (kind, source, count) in items {
            self.backlog
                .add_many(&FeedbackItem::new(kind, source), count);
        }
        // Scheduled changes are paid in their start period, commissioned ones
        // when they are made.
        for change in self
            .config
            .business
            .scheduled
            .iter()
            .filter(|c| c.start() == t)
        {
            self.ledger
                .record(Entry::cost(t, ValueKind::ChangeCost, change.cost())?)?;
        }
        let commissioned = self.config.business.policy.review(&mut self.backlog, t);
        for change in commissioned {
            self.ledger
                .record(Entry::cost(t, ValueKind::ChangeCost, change.cost())?)?;
            self.changes.push(change);
        }

        let report = PeriodReport {
            period: t,
            funnel: tally.funnel,
            stages: tally.stages,
            nps: tally.nps,
            transitions: tally.transitions,
            purchases: tally.sales.iter().flatten().sum(),
            referral_sales: tally
                .sales
                .get(SaleKind::Referral as usize)
                .map_or(0, |r| r.iter().sum()),
            word_of_mouth: tally.word_of_mouth,
            engagements: tally.engagements,
            experiences: tally.experiences,
            feedback: (
                tally.feedback_given.0 + tally.feedback_given.1 + talk.heard.0 + talk.heard.1,
                reached_complaints + reached_suggestions + talk.reached.0 + talk.reached.1,
            ),
            changes_live: self.changes.in_effect(t).count() as u32,
            bad_experience: bad,
            value: self.ledger.period(t),
        };
        self.reports.push(report.clone());
        self.period = t.saturating_add(1);
        Ok(report)
    }

    /// Records the period's money in the ledger: sales by who caused them,
    /// customer feedback that reached the business, engagement costs (with the
    /// ownership's coordination overhead) and referral rewards.
    fn book(&mut self, t: u32, tally: &BlockTally) -> Result<()> {
        let prices = &self.config.prices;
        let discounted = Decimal::ONE
            .checked_sub(prices.discount)
            .and_then(|f| prices.unit_price.checked_mul(f))
            .ok_or_else(|| Error::overflow("discounted price"))?;
        let money = |count: u64, price: Decimal, what: &str| {
            Decimal::from(count)
                .checked_mul(price)
                .ok_or_else(|| Error::overflow(format!("{what} in period {t}")))
        };
        let kinds = [
            (SaleKind::Own, ValueKind::Purchase),
            (SaleKind::Referral, ValueKind::ReferralSale),
            (SaleKind::Engagement, ValueKind::EngagementReturn),
            (SaleKind::Change, ValueKind::ChangeReturn),
        ];
        for (sale, kind) in kinds {
            let [full, reduced] = tally.sales.get(sale as usize).copied().unwrap_or([0, 0]);
            let amount = money(full, prices.unit_price, kind.name())?
                .checked_add(money(reduced, discounted, kind.name())?)
                .ok_or_else(|| Error::overflow(format!("{kind} in period {t}")))?;
            if full + reduced > 0 {
                self.ledger.record(Entry::new(t, kind, amount))?;
            }
        }
        let reached = tally.feedback_reached.0 + tally.feedback_reached.1;
        if reached > 0 {
            let value = money(reached, prices.feedback_value, "product feedback")?;
            self.ledger
                .record(Entry::new(t, ValueKind::ProductFeedback, value))?;
        }
        for e in self.config.engagements.active_in(t) {
            let cost = self
                .config
                .ownership
                .engagement_cost(&self.config.effects, e.cost(), t)?;
            self.ledger
                .record(Entry::cost(t, ValueKind::EngagementCost, cost)?)?;
        }
        let referrals: u64 = tally
            .sales
            .get(SaleKind::Referral as usize)
            .map_or(0, |r| r.iter().sum());
        if referrals > 0 && !prices.referral_reward.is_zero() {
            let rewards = money(referrals, prices.referral_reward, "referral rewards")?;
            self.ledger
                .record(Entry::cost(t, ValueKind::EngagementCost, rewards)?)?;
        }
        Ok(())
    }

    /// The reports of the periods run so far.
    pub fn reports(&self) -> &[PeriodReport] {
        &self.reports
    }

    /// The ledger so far.
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// Whether the scenario's horizon has been reached.
    pub fn is_done(&self) -> bool {
        self.period >= self.config.horizon
    }

    /// Runs the remaining periods up to the scenario's horizon, telling the
    /// [`progress`](Self::progress) observer after each.
    ///
    /// # Errors
    /// As [`step`](Self::step); [`Error::Cancelled`](crate::Error::Cancelled)
    /// when the observer is cancelled before a period.
    pub fn run_to_horizon(&mut self) -> Result<()> {
        let progress = self.progress.clone();
        let counter = progress.counter(u64::from(self.config.horizon));
        for _ in 0..self.period.min(self.config.horizon) {
            counter.skip();
        }
        while !self.is_done() {
            progress.check()?;
            self.step()?;
            counter.tick();
        }
        Ok(())
    }

    /// The report of the periods run so far.
    ///
    /// # Errors
    /// [`Error::Overflow`] when a return ratio does not fit a `Decimal`.
    pub fn into_report(self) -> Result<Report> {
        let totals = RunTotals {
            value: *self.ledger.totals(),
            return_on_engagement: self.ledger.return_on_engagement()?,
            return_on_change: self.ledger.return_on_change()?,
            purchases: self.reports.iter().map(|r| r.purchases).sum(),
            referral_sales: self.reports.iter().map(|r| r.referral_sales).sum(),
            changes: self
                .changes
                .changes()
                .iter()
                .filter(|c| c.start() < self.period)
                .count() as u32,
        };
        let audit = self
            .trails
            .into_iter()
            .filter_map(|(node, trail)| {
                let customer = self.net.customer(node)?.clone();
                let state = *self.states.get(node as usize)?;
                Some(CustomerAudit {
                    customer,
                    state,
                    history: trail.transitions().to_vec(),
                })
            })
            .collect();
        Ok(Report {
            seed: self.config.seed,
            population: self.states.len() as u64,
            ties: self.net.arc_count() as u64,
            initial: self.initial,
            periods: self.reports,
            totals,
            ledger: self.ledger,
            audit,
        })
    }
}
