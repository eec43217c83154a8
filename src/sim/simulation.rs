//! [`Simulation`]: the value loop, one period at a time.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use rust_decimal::Decimal;

use super::attribution::{ActorValues, Actors, Attribution, counterfactuals};
use super::book::{self, Discounting};
use super::engagement::Recorded;
use super::events::{EventOptions, EventWriter};
use super::period::{
    ActiveEngagement, BlockTally, LAST_BAD, PeriodContext, PeriodDice, PeriodRates, SaleKind,
    touchpoint_of, update_block,
};
use super::population::World;
use super::report::{CustomerAudit, PeriodReport, Report, RunTotals};
use super::rng::{BLOCK, Dice, Purpose};
use super::scenario::{BusinessSpec, Period, Prices, Rates, Scenario};
use super::talk::{Talk, TalkParams};
use crate::brand::{
    EngagementKind, EngagementPlan, Ownership, OwnershipEffects, RelevanceModel, Target,
};
use crate::business::{ChangeLog, FeedbackBacklog, FeedbackItem, FeedbackKind, FeedbackSource};
use crate::crm::Currency;
use crate::customer::StageCounts;
use crate::customer::{AuditTrail, Cause, CustomerId, CustomerState, Transition, Trigger};
use crate::error::{Error, Result};
use crate::funnel::FunnelSnapshot;
use crate::progress::Progress;
use crate::propagation::{CompiledNetwork, Model, MonteCarloSettings};
use crate::value::{Actor, ESTIMATE_PLACES, Ledger, Retention, ValueKind};

/// The value loop of a [`Scenario`], driven one period at a time.
///
/// [`run`](super::run) is `Simulation::new`, [`step`](Self::step) up to the
/// horizon, then [`into_report`](Self::into_report). A caller can instead step
/// by hand, look at any customer between periods ([`customer`](Self::customer)),
/// and feed real events ([`apply`](Self::apply)); or ask for the
/// [attribution](Self::attribution) of value by actor.
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
    config: Arc<Config>,
    world: Arc<World>,
    states: Vec<CustomerState>,
    last_contact: Vec<u32>,
    flags: Vec<u8>,
    talk: Talk,
    backlog: FeedbackBacklog,
    changes: ChangeLog,
    ledger: Ledger,
    discounting: Discounting,
    period: u32,
    initial: FunnelSnapshot,
    initial_stages: StageCounts,
    reports: Vec<PeriodReport>,
    applied_purchases: u64,
    tracked: Vec<u64>,
    trails: BTreeMap<u32, AuditTrail>,
    progress: Progress,
    attribution: Option<MonteCarloSettings>,
    /// Who did what, per customer, when the run records it.
    recorded: Option<Recorded>,
    events: Option<EventWriter>,
    pending: Vec<crate::crm::Event>,
}

/// The scenario without its population (which lives in the [`World`]), and
/// which run of it this is.
#[derive(Debug, Clone)]
struct Config {
    engagements: EngagementPlan,
    relevance: RelevanceModel,
    ownership: Ownership,
    effects: OwnershipEffects,
    business: BusinessSpec,
    currency: Currency,
    period: Period,
    prices: Prices,
    rates: Rates,
    per_period: PeriodRates,
    model: Model,
    horizon: u32,
    seed: u64,
    run: u32,
    actors: Actors,
    /// Bitset of the customers whose contributions are switched off.
    silenced: Arc<[u64]>,
    /// Whether the run records who did what ([`Recorded`]).
    record: bool,
}

impl Config {
    fn of(scenario: &Scenario) -> Self {
        let period = scenario.period;
        let rates = &scenario.rates;
        Config {
            engagements: scenario.engagements.clone(),
            relevance: scenario.relevance,
            ownership: scenario.ownership,
            effects: scenario.ownership_effects,
            business: scenario.business.clone(),
            currency: scenario.currency,
            period,
            prices: scenario.prices,
            rates: rates.clone(),
            per_period: PeriodRates {
                exposure: period.rate(rates.exposure).get(),
                contact: period.rate(rates.contact).get(),
                conversion: period.rate(rates.conversion).get(),
                purchase_frequency: period.rate(scenario.purchase_frequency).get(),
                lapse_after: period.periods_in_weeks(rates.lapse_after).max(1),
            },
            model: scenario.word_of_mouth.propagation_model(),
            horizon: scenario.horizon,
            seed: scenario.seed,
            run: 0,
            actors: Actors::ALL,
            silenced: Arc::from(Vec::new()),
            record: false,
        }
    }
}

impl Simulation {
    /// Validates `scenario`, builds its network and population (period 0 not yet
    /// run).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming the scenario's field when it is out of
    /// its domain (see [`Scenario::validate`]); [`Error::UnknownCustomer`] when a
    /// seed, an engagement's target or a followed customer is not in the
    /// network; [`Error::ThresholdWeights`] for Linear Threshold word of mouth
    /// on ties whose weights into a customer add up above 1; the network
    /// generators' errors.
    ///
    /// # Complexity
    /// O(n + m) time and memory for n customers and m ties.
    pub fn new(scenario: &Scenario) -> Result<Self> {
        scenario.validate()?;
        let world = Arc::new(World::build(scenario)?);
        let mut sim =
            Simulation::in_world(Arc::new(Config::of(scenario)), world, Retention::Entries)?;
        let n = sim.states.len();
        if !scenario.audit.customers.is_empty() {
            sim.tracked = vec![0u64; n.div_ceil(64)];
            for id in &scenario.audit.customers {
                let node = sim.world.net.node_of(id.as_str())?;
                if let Some(w) = sim.tracked.get_mut(node as usize / 64) {
                    *w |= 1 << (node % 64);
                }
                sim.trails.insert(node, AuditTrail::new());
            }
        }
        Ok(sim)
    }

    /// A run of `config` in `world`, before its first period.
    fn in_world(config: Arc<Config>, world: Arc<World>, retention: Retention) -> Result<Self> {
        let n = world.states.len();
        let initial =
            FunnelSnapshot::from_stages(world.states.iter().map(|s| (s.stage(), s.ever_bought())));
        let mut initial_stages = StageCounts::default();
        for s in &world.states {
            initial_stages.add(s.stage());
        }
        let changes: ChangeLog = if config.actors.business {
            config.business.scheduled.iter().cloned().collect()
        } else {
            ChangeLog::new()
        };
        let discounting = Discounting::new(config.prices.annual_discount_rate, config.period)?;
        Ok(Simulation {
            talk: Talk::new(&world.net, config.model),
            states: world.states.clone(),
            last_contact: vec![0; n],
            flags: vec![0; n],
            backlog: FeedbackBacklog::new(),
            changes,
            ledger: Ledger::with_retention(retention),
            discounting,
            period: 0,
            initial,
            initial_stages,
            reports: Vec::new(),
            applied_purchases: 0,
            tracked: Vec::new(),
            trails: BTreeMap::new(),
            progress: Progress::default(),
            attribution: None,
            recorded: config.record.then(|| Recorded::new(n)),
            events: None,
            pending: Vec::new(),
            config,
            world,
        })
    }

    /// Records what the run does as the events a CRM would record (see
    /// [`EventOptions`] for the mapping): the network's ties and every
    /// customer's state now first, then each period's causes as it runs.
    /// [`take_events`](Self::take_events) hands them over.
    ///
    /// ```
    /// use social_loop::crm::CustomerBook;
    /// use social_loop::sim::{EventOptions, GeneratedNetwork, NetworkSpec, Scenario, Simulation};
    /// let scenario = Scenario::default()
    ///     .network(NetworkSpec::Generated(GeneratedNetwork::micro_communities(200, 20, 4.0)?))
    ///     .horizon(3);
    /// let mut sim = Simulation::new(&scenario)?.record_events(EventOptions::default())?;
    /// sim.run_to_horizon()?;
    /// let mut book = CustomerBook::new();
    /// for event in sim.take_events() {
    ///     book.apply(&event);
    /// }
    /// assert_eq!(book.customer_count(), 200);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Overflow`] when the discounted price does not fit a `Decimal`;
    /// [`Error::InvalidParameter`] when a timestamp falls outside the years
    /// 0 to 9999.
    pub fn record_events(mut self, options: EventOptions) -> Result<Self> {
        let cfg = &*self.config;
        let mut writer = EventWriter::new(options, cfg.period, &cfg.prices, cfg.currency)?;
        self.pending = writer.initial(&self.world.net, &self.states)?;
        self.events = Some(writer);
        Ok(self)
    }

    /// The events recorded since the last call (none unless
    /// [`record_events`](Self::record_events) was asked for).
    pub fn take_events(&mut self) -> Vec<crate::crm::Event> {
        std::mem::take(&mut self.pending)
    }

    /// Tells `progress` after each period that [`run_to_horizon`](Self::run_to_horizon)
    /// or [`run`](Self::run) simulates (`done` periods of the horizon, or of
    /// every run of the attribution) and checks its cancel flag before each one.
    #[must_use]
    pub fn progress(mut self, progress: &Progress) -> Self {
        self.progress = progress.clone();
        self
    }

    /// Makes this simulation run `run` of its scenario's seed (default 0): the
    /// same network and starting population, its own random draws in every
    /// period. Runs `0..n` are independent replications, and two scenarios
    /// run with the same seed and run number are paired draw by draw (common
    /// random numbers). Call it before the first [`step`](Self::step).
    #[must_use]
    pub fn replication(mut self, run: u32) -> Self {
        Arc::make_mut(&mut self.config).run = run;
        self
    }

    /// Asks [`run`](Self::run) to measure the [`Attribution`] of value by actor
    /// over `settings.runs()` runs (runs `0..runs` of the scenario's seed, which
    /// replaces the settings' own; the report's own run is run 0 of them when
    /// this simulation is not a [`replication`](Self::replication)), on the
    /// settings' threads. The report carries it, and its run totals give the returns on
    /// engagement and on change. Costs eight runs of the scenario per run.
    #[must_use]
    pub fn attribution(mut self, settings: MonteCarloSettings) -> Self {
        self.attribution = Some(settings);
        self
    }

    /// Runs to the horizon and returns the report: [`run_to_horizon`](Self::run_to_horizon)
    /// then [`into_report`](Self::into_report) (with the attribution, if asked for).
    ///
    /// # Errors
    /// As those two; [`Error::Cancelled`](crate::Error::Cancelled) when the
    /// [`progress`](Self::progress) observer is cancelled first.
    pub fn run(mut self) -> Result<Report> {
        self.run_to_horizon()?;
        let attribution = match self.attribution {
            Some(settings) => Some(self.attribute(settings)?),
            None => None,
        };
        let this_run = attribution
            .as_ref()
            .and_then(|a| a.per_run.first().copied());
        let mut report = self.report_with_returns(this_run.as_ref())?;
        report.attribution = attribution;
        Ok(report)
    }

    /// Runs to the horizon, then this run's value by actor: its eight
    /// counterfactual runs (this run's random numbers, each subset of the
    /// actors switched on), one after the other on this thread. The report's
    /// returns on engagement and on change come from it. For sweeps, which
    /// summarise over their own runs (each its own seed) in parallel.
    pub(crate) fn run_with_actor_values(mut self) -> Result<(Report, ActorValues)> {
        self.run_to_horizon()?;
        let run = self.config.run;
        let mut values = [Decimal::ZERO; 8];
        for (mask, value) in values.iter_mut().enumerate() {
            *value = self
                .counterfactual(run, Actors::of_mask(mask), None, false, None)?
                .0;
        }
        let actors = ActorValues::shapley(u64::from(run), &values)?;
        let report = self.report_with_returns(Some(&actors))?;
        Ok((report, actors))
    }

    /// The report, with the returns on engagement and on change from `run`'s
    /// value by actor (brand and business value per unit they spent, both
    /// discounted) when there is one.
    fn report_with_returns(mut self, run: Option<&ActorValues>) -> Result<Report> {
        let spent = [
            self.spent_by(Actor::Brand)?,
            self.spent_by(Actor::Business)?,
        ];
        let mut report = self.into_report()?;
        if let Some(run) = run {
            let ratio = |created: Decimal, paid: Decimal| {
                (!paid.is_zero())
                    .then(|| created.checked_div(paid))
                    .flatten()
                    .map(|r| r.round_dp(ESTIMATE_PLACES))
            };
            report.totals.return_on_engagement = ratio(run.brand, spent[0]);
            report.totals.return_on_change = ratio(run.business, spent[1]);
        }
        Ok(report)
    }

    /// The attribution over `settings.runs()` runs of this simulation's
    /// scenario and population.
    fn attribute(&self, settings: MonteCarloSettings) -> Result<Attribution> {
        let runs = settings.install(|| self.attribution_runs(settings.runs(), 0))?;
        Attribution::from_runs(self.config.seed, self.config.currency, &runs)
    }

    /// The eight counterfactual values of each run of `0..runs`, on the
    /// current pool; `extra` more runs per run are announced to the progress
    /// observer (a caller's own counterfactuals).
    pub(super) fn attribution_runs(&self, runs: u64, extra: u64) -> Result<Vec<[Decimal; 8]>> {
        let total = runs
            .saturating_mul(8 + extra)
            .saturating_mul(u64::from(self.config.horizon));
        let counter = self.progress.counter(total);
        counterfactuals(runs, |run, actors| {
            let (value, _) = self.counterfactual(run, actors, None, false, Some(&counter))?;
            Ok(value)
        })
    }

    /// Run `run` of this simulation's scenario and population with `actors`'
    /// contributions on and the customers of `silenced` (a bitset) switched
    /// off, to the horizon: its net present value and, when `record`, who did
    /// what. Ticks `counter` after each period; stops when cancelled.
    pub(super) fn counterfactual(
        &self,
        run: u32,
        actors: Actors,
        silenced: Option<Arc<[u64]>>,
        record: bool,
        counter: Option<&crate::progress::Counter<'_>>,
    ) -> Result<(Decimal, Option<Recorded>)> {
        let mut cf = Config::clone(&self.config);
        cf.run = run;
        cf.actors = actors;
        cf.record = record;
        if let Some(silenced) = silenced {
            cf.silenced = silenced;
        }
        let mut sim =
            Simulation::in_world(Arc::new(cf), Arc::clone(&self.world), Retention::TotalsOnly)?;
        while !sim.is_done() {
            self.progress.check()?;
            sim.step()?;
            if let Some(c) = counter {
                c.tick();
            }
        }
        Ok((sim.present_value()?, sim.recorded.take()))
    }

    /// The scenario's master seed and currency.
    pub(super) fn seed_and_currency(&self) -> (u64, Currency) {
        (self.config.seed, self.config.currency)
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
        &self.world.net
    }

    /// The state of customer `id` now: stage, purchase history, sentiment and
    /// their last move (why they are where they are).
    ///
    /// # Errors
    /// [`Error::UnknownCustomer`].
    pub fn customer(&self, id: &str) -> Result<CustomerState> {
        let node = self.world.net.node_of(id)?;
        self.states
            .get(node as usize)
            .copied()
            .ok_or_else(|| Error::UnknownCustomer(CustomerId::new(id)))
    }

    /// The full history of a customer the scenario's [audit](super::AuditOptions)
    /// follows (`None` for other customers).
    pub fn history(&self, id: &str) -> Option<&[Transition]> {
        let node = self.world.net.node_of(id).ok()?;
        self.trails.get(&node).map(AuditTrail::transitions)
    }

    /// Applies a real event to customer `id` between periods, as a CRM does,
    /// in the period about to run ([`period`](Self::period)): the sentiment
    /// effect and the transition table's move (every matching rule fires),
    /// recorded in the customer's audit trail when they are followed.
    ///
    /// What the loop would do with the same event happens too: a purchase is
    /// booked in the cash book at the full price (a sale and the cost of what
    /// was sold) and counted in the run's purchases; an experience marks the
    /// customer as having had a bad experience or not (what service recovery
    /// looks for), and service recovery clears the mark; a contact with the
    /// brand (an experience, an engagement, a purchase, a complaint, service
    /// recovery) resets the clock of time without contact, word of mouth,
    /// exposure and time itself do not.
    ///
    /// # Errors
    /// [`Error::UnknownCustomer`]; [`Error::Overflow`] when the sale does not
    /// fit the cash book.
    pub fn apply(&mut self, id: &str, cause: Cause) -> Result<Option<Transition>> {
        let node = self.world.net.node_of(id)?;
        let period = self.period;
        let trigger = cause.trigger();
        let state = self
            .states
            .get_mut(node as usize)
            .ok_or_else(|| Error::UnknownCustomer(CustomerId::new(id)))?;
        let moved = state.apply(cause, period);
        if let Some(flag) = self.flags.get_mut(node as usize) {
            match trigger {
                Trigger::Experience(q) if q.is_bad() => *flag |= LAST_BAD,
                Trigger::Experience(_) | Trigger::ServiceRecovery => *flag &= !LAST_BAD,
                _ => {}
            }
        }
        let contact = matches!(
            trigger,
            Trigger::Experience(_)
                | Trigger::Engagement { .. }
                | Trigger::Purchase
                | Trigger::Complaint
                | Trigger::ServiceRecovery
        );
        if contact && let Some(last) = self.last_contact.get_mut(node as usize) {
            *last = period;
        }
        if trigger == Trigger::Purchase {
            book::book_sales(&mut self.ledger, &self.config.prices, period, (1, 0))?;
            self.applied_purchases += 1;
        }
        if let (Some(t), Some(trail)) = (&moved, self.trails.get_mut(&node)) {
            trail.record(t.clone())?;
        }
        Ok(moved)
    }

    /// The talk boost of each customer an advocacy programme of this period
    /// targets by name (`programmes`: the programmes' indices in
    /// `engagements.active`): `1 − Π (1 − programme_talk × landing)` over the
    /// programmes, with the customer's own landing where they are targeted.
    ///
    /// # Complexity
    /// O(t · p) for t customers targeted by name and p programmes.
    fn programme_targets(
        &self,
        engagements: &Engagements,
        programmes: &[usize],
    ) -> Vec<(u32, f64)> {
        let profiles = self.world.profiles.len();
        let talk = self.config.rates.programme_talk.get();
        let mut out: Vec<(u32, f64)> = Vec::new();
        // The overrides are sorted by (node, engagement): one run per node.
        for own in engagements.overrides.chunk_by(|a, b| a.0 == b.0) {
            let Some(&(node, _, _)) = own.first() else {
                continue;
            };
            if !own.iter().any(|o| programmes.contains(&o.1)) {
                continue;
            }
            let profile = self
                .world
                .profile_of
                .get(node as usize)
                .map_or(0, |&p| usize::from(p));
            let missed = programmes.iter().fold(1.0, |missed, &e| {
                let landing = own
                    .iter()
                    .find(|o| o.1 == e)
                    .map(|o| o.2)
                    .or_else(|| engagements.relevance.get(e * profiles + profile).copied())
                    .unwrap_or(0.0);
                missed * (1.0 - talk * landing)
            });
            out.push((node, 1.0 - missed));
        }
        out
    }

    /// The engagements of period `t` that touch customers, with their landing
    /// probabilities, and the plan positions of the listening ones.
    fn engagements_in(&self, t: u32, factor: f64) -> Result<Engagements> {
        let cfg = &self.config;
        let mut out = Engagements::default();
        if !cfg.actors.brand {
            return Ok(out);
        }
        let profiles = &self.world.profiles;
        let mut programme = false;
        let mut programmes = Vec::new();
        out.programme_boost = vec![0.0f64; profiles.len()];
        for (position, e) in cfg.engagements.engagements().iter().enumerate() {
            if !e.is_active(t) {
                continue;
            }
            let position = position as u32;
            if e.kind() == EngagementKind::Listen {
                out.listening.push(position);
                continue;
            }
            let index = out.active.len();
            let generic = match e.target() {
                Target::Customer(x) => CustomerId::new(format!("{x}\u{1}other")),
                _ => CustomerId::new(""),
            };
            for profile in profiles {
                let landing = cfg.relevance.relevance(e, &generic, profile, t).get() * factor;
                out.relevance.push(landing);
            }
            if let Target::Customer(x) = e.target() {
                let node = self.world.net.node_of(x.as_str())?;
                let profile = self
                    .world
                    .profile_of
                    .get(node as usize)
                    .and_then(|&p| profiles.get(usize::from(p)))
                    .cloned()
                    .unwrap_or_default();
                let landing = cfg.relevance.relevance(e, x, &profile, t).get() * factor;
                out.overrides.push((node, index, landing));
            }
            if e.kind() == EngagementKind::AdvocacyProgramme {
                programme = true;
                programmes.push(index);
                let row = out.relevance.get(index * profiles.len()..).unwrap_or(&[]);
                for (boost, &landing) in out.programme_boost.iter_mut().zip(row) {
                    let p = cfg.rates.programme_talk.get() * landing;
                    *boost = 1.0 - (1.0 - *boost) * (1.0 - p);
                }
            }
            out.active.push(ActiveEngagement {
                kind: e.kind(),
                channel: e.channel(),
                touchpoint: touchpoint_of(e.owner()),
                dice: Dice::new(cfg.seed, cfg.run, t, Purpose::Engagement(position)),
            });
        }
        out.overrides.sort_by_key(|o| (o.0, o.1));
        if !programme {
            out.programme_boost.clear();
        }
        out.programme_targets = self.programme_targets(&out, &programmes);
        Ok(out)
    }

    /// Runs one period: word of mouth (phase A), then every customer's causes
    /// (phase B), then the cash book, the feedback backlog and the business's
    /// changes. Returns the period's report (also kept for
    /// [`into_report`](Self::into_report)).
    ///
    /// # Errors
    /// [`Error::Overflow`] when money does not fit a `Decimal`.
    ///
    /// # Complexity
    /// O(n) per period for n customers, plus the word-of-mouth cascade (the
    /// out-ties of the customers it reaches), spread over the rayon pool.
    pub fn step(&mut self) -> Result<PeriodReport> {
        let t = self.period;
        let config = Arc::clone(&self.config);
        let cfg = &*config;
        let actors = cfg.actors;
        let levers = cfg.ownership.effects_in(&cfg.effects, t);
        let engagements = self.engagements_in(t, levers.relevance_factor.get())?;

        // Phase A: word of mouth.
        let talk = self.talk.spread(
            &self.world.net,
            &self.states,
            &self.world.profile_of,
            &TalkParams {
                seed: cfg.seed,
                run: cfg.run,
                period: t,
                customers_talk: actors.customer,
                advocate_talk: cfg.period.rate(cfg.rates.advocate_talk).get(),
                adversary_talk: cfg.period.rate(cfg.rates.adversary_talk).get(),
                programme_boost: &engagements.programme_boost,
                programme_targets: &engagements.programme_targets,
                listening: &engagements.listening,
                listen_capture: cfg.rates.listen_capture.get(),
                feedback_reach: levers.feedback_reach.get(),
                silenced: &cfg.silenced,
                record: cfg.record,
            },
        );
        if let Some(recorded) = self.recorded.as_mut() {
            recorded.messages(&self.talk.credited);
        }

        // Phase B: every customer.
        let base_bad = cfg.business.bad_experience;
        let bad = self.changes.bad_experience_probability(base_bad, t).get();
        let dice = |purpose| Dice::new(cfg.seed, cfg.run, t, purpose);
        let ctx = PeriodContext {
            period: t,
            rates: &cfg.rates,
            per_period: cfg.per_period,
            dice: PeriodDice {
                exposure: dice(Purpose::Exposure),
                contact: dice(Purpose::Contact),
                heard: dice(Purpose::Heard),
                purchase: dice(Purpose::Purchase),
                drift: dice(Purpose::Drift),
            },
            customers_give_feedback: actors.customer,
            consistency: levers.consistency.get(),
            feedback_reach: levers.feedback_reach.get(),
            bad,
            engagements: &engagements.active,
            relevance: &engagements.relevance,
            profile_count: self.world.profiles.len(),
            overrides: &engagements.overrides,
            talk: &self.talk,
            net: &self.world.net,
            tracked: &self.tracked,
            silenced: &cfg.silenced,
            record: cfg.record,
            record_causes: self.events.is_some(),
        };
        let blocks: Vec<BlockTally> = self
            .states
            .par_chunks_mut(BLOCK)
            .zip(self.last_contact.par_chunks_mut(BLOCK))
            .zip(self.flags.par_chunks_mut(BLOCK))
            .zip(self.world.profile_of.par_chunks(BLOCK))
            .enumerate()
            .map(|(block, (((states, last), flags), profiles))| {
                update_block(&ctx, block, states, last, flags, profiles)
            })
            .collect();
        let mut tally = BlockTally::default();
        for b in blocks {
            tally.merge(b);
        }
        if let Some(recorded) = self.recorded.as_mut() {
            recorded.period(&tally.credits, &cfg.prices, t, &mut self.discounting)?;
        }
        for (node, transition) in std::mem::take(&mut tally.audit) {
            if let Some(trail) = self.trails.get_mut(&node) {
                trail.record(transition)?;
            }
        }
        if let Some(writer) = &mut self.events {
            let events = writer.period(t, &self.world.net, &tally.causes, &self.states)?;
            self.pending.extend(events);
        }

        // Money.
        let referrals = tally.sales_of(SaleKind::Referral).iter().sum::<u64>();
        book::book_sales(&mut self.ledger, &cfg.prices, t, book::sales(&tally))?;
        if actors.brand {
            for e in cfg.engagements.active_in(t) {
                let cost = cfg.ownership.engagement_cost(&cfg.effects, e.cost(), t)?;
                book::book_cost(&mut self.ledger, t, ValueKind::EngagementCost, cost)?;
            }
            book::book_rewards(&mut self.ledger, &cfg.prices, t, referrals)?;
            let fee = cfg
                .period
                .per_period(cfg.ownership.agency_fee_per_week(&cfg.effects, t))
                .ok_or_else(|| Error::overflow("the agency fee"))?;
            book::book_cost(&mut self.ledger, t, ValueKind::AgencyFee, fee)?;
        }

        // Feedback and change.
        let items = [
            (
                FeedbackKind::Complaint,
                FeedbackSource::Customer,
                tally.feedback_reached.0,
            ),
            (
                FeedbackKind::Suggestion,
                FeedbackSource::Customer,
                tally.feedback_reached.1,
            ),
            (
                FeedbackKind::Complaint,
                FeedbackSource::Listening,
                talk.heard_reached.1,
            ),
            (
                FeedbackKind::Suggestion,
                FeedbackSource::Listening,
                talk.heard_reached.0,
            ),
        ];
        for (kind, source, count) in items {
            self.backlog
                .add_many(&FeedbackItem::new(kind, source), count);
        }
        if actors.business {
            // Scheduled changes are paid in their start period, commissioned
            // ones when they are made.
            for change in cfg.business.scheduled.iter().filter(|c| c.start() == t) {
                book::book_cost(&mut self.ledger, t, ValueKind::ChangeCost, change.cost())?;
            }
            for change in cfg.business.policy.review(&mut self.backlog, t) {
                book::book_cost(&mut self.ledger, t, ValueKind::ChangeCost, change.cost())?;
                self.changes.push(change);
            }
        }

        let value = self.ledger.period(t);
        let report = PeriodReport {
            period: t,
            funnel: tally.funnel,
            stages: tally.stages,
            nps: tally.nps,
            transitions: tally.transitions,
            purchases: tally.sales.iter().flatten().sum(),
            referral_sales: referrals,
            speakers: talk.speakers,
            word_of_mouth: tally.word_of_mouth,
            engagements: tally.engagements,
            experiences: tally.experiences,
            feedback: (
                tally.feedback_given.0 + tally.feedback_given.1 + talk.heard.0 + talk.heard.1,
                tally.feedback_reached.0
                    + tally.feedback_reached.1
                    + talk.heard_reached.0
                    + talk.heard_reached.1,
            ),
            changes_live: self.changes.in_effect(t).count() as u32,
            bad_experience: bad,
            present_value: self.discounting.present_value(value.net(), t)?,
            value,
        };
        self.reports.push(report.clone());
        self.period = t.saturating_add(1);
        Ok(report)
    }

    /// The net present value of the cash book so far: each period's net cash
    /// discounted to period 0 (millionths, half-even).
    ///
    /// # Errors
    /// [`Error::Overflow`] when a sum does not fit a `Decimal`.
    pub fn present_value(&mut self) -> Result<Decimal> {
        let periods: Vec<(u32, Decimal)> =
            self.ledger.periods().map(|(p, t)| (p, t.net())).collect();
        let mut total = Decimal::ZERO;
        for (p, net) in periods {
            let pv = self.discounting.present_value(net, p)?;
            total = crate::value::exact_add(total, pv, || "the net present value".into())?;
        }
        Ok(total)
    }

    /// The reports of the periods run so far.
    pub fn reports(&self) -> &[PeriodReport] {
        &self.reports
    }

    /// The cash book so far.
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
    /// [`Error::Overflow`] when the net present value does not fit a `Decimal`.
    pub fn into_report(mut self) -> Result<Report> {
        let net_present_value = self.present_value()?;
        let totals = RunTotals {
            value: *self.ledger.totals(),
            net_present_value,
            return_on_engagement: None,
            return_on_change: None,
            purchases: self.reports.iter().map(|r| r.purchases).sum::<u64>()
                + self.applied_purchases,
            referral_sales: self.reports.iter().map(|r| r.referral_sales).sum(),
            changes: self
                .changes
                .changes()
                .iter()
                .filter(|c| c.start() < self.period)
                .count() as u32,
        };
        let audit = std::mem::take(&mut self.trails)
            .into_iter()
            .filter_map(|(node, trail)| {
                let customer = self.world.net.customer(node)?.clone();
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
            run: self.config.run,
            currency: self.config.currency,
            period_length: self.config.period,
            population: self.states.len() as u64,
            ties: self.world.net.arc_count() as u64,
            initial: self.initial,
            initial_stages: self.initial_stages,
            periods: self.reports,
            totals,
            ledger: self.ledger,
            audit,
            attribution: None,
        })
    }

    /// The present value of what `actor`'s account paid (a positive amount).
    fn spent_by(&mut self, actor: Actor) -> Result<Decimal> {
        let periods: Vec<(u32, Decimal)> = self
            .ledger
            .periods()
            .map(|(p, t)| (p, t.for_actor(actor)))
            .collect();
        let mut total = Decimal::ZERO;
        for (p, paid) in periods {
            let pv = self.discounting.present_value(-paid, p)?;
            total = crate::value::exact_add(total, pv, || format!("what the {actor} spent"))?;
        }
        Ok(total)
    }
}

/// The engagements of one period (see [`Simulation::engagements_in`]).
#[derive(Debug, Default)]
struct Engagements {
    active: Vec<ActiveEngagement>,
    /// Landing probability by `[engagement][profile]`.
    relevance: Vec<f64>,
    overrides: Vec<(u32, usize, f64)>,
    programme_boost: Vec<f64>,
    /// `(node, boost)` of the customers an advocacy programme targets by
    /// name, by node: their own landing replaces their profile's.
    programme_targets: Vec<(u32, f64)>,
    listening: Vec<u32>,
}
