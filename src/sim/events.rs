//! What a run did, as the events a CRM would record ([`EventOptions`],
//! [`Simulation::record_events`](super::Simulation::record_events)).
//!
//! Every cause a customer's step draws (see [`crate::sim`], # Customers)
//! becomes one [`Event`] in the crate's JSON Lines schema, so that a
//! [`CustomerBook`](crate::crm::CustomerBook) that imports them replays the
//! same moves with the book's rules (every matching row fires):
//!
//! | cause | event |
//! |---|---|
//! | exposure | `social_post` without sentiment |
//! | engagement (relevant or not) | `engagement_received` with `relevant` (and `engagement_kind: discount` for a discount) |
//! | experience | `review` with a sentiment reading: delighted positive 0.9, satisfied positive 0.25, disappointed negative 0.25, outraged negative 0.9 |
//! | service recovery | `ticket_resolved` |
//! | praise | `referral` whose counterpart is who told them |
//! | criticism | `criticism` whose counterpart is who told them |
//! | purchase | `purchase` with the price paid (full or discounted) |
//! | no contact | `inactivity` with the period's days |
//!
//! A cause the simulation drew **without** its move, where the table has a row
//! the book would fire, is written as the other kind `unmoved` with the cause's
//! name (`{"type": "unmoved", "cause": "experience_delighted"}`): the book keeps
//! it without effect, and a [`Calibration`](crate::calibrate::Calibration)
//! counts it as a try of that row. Before period 0 come the network's ties
//! (`tie` events, actor `network`) and each customer's starting state (the
//! other kind `initial_state`, then the events that lead from unaware to that
//! stage, actor `initial_state`). The source system is `social_loop`.
//!
//! **NPS answers.** The report's NPS counts every customer who ever bought by
//! the likelihood to recommend their sentiment implies. A CRM surveys its
//! buyers: each customer who has bought answers `nps_response` with that
//! score, `experience: false` (the answer measures what the recorded events
//! did; it is not a new experience, so the book does not move them on it),
//! when they are first a buyer (with the starting state, or at the end of
//! the period they first buy) and again at the end of every period whose
//! causes changed their answer.
//!
//! Timestamps: period `t`'s events of a customer are at `start + t x period +
//! 1 s`, one millisecond apart in the order they happened, its NPS answers a
//! minute later (inside the period, so that the book's last event is in the
//! last period); the starting states an hour before `start`, the ties two
//! hours before.
//!
//! **What the round trip keeps.** Stage counts, the funnel and revenue of the
//! book equal the report's when every purchase row has probability 1 (the
//! defaults); the book's measured NPS (each buyer's latest answer) equals
//! the report's NPS in every period. The book's modelled NPS (from its own
//! replay of sentiment) does not: the book starts everyone neutral and an
//! `unmoved` cause has no sentiment effect there.

use rust_decimal::Decimal;
use serde_json::{Map, Value};

use super::scenario::{Period, Prices};
use crate::brand::EngagementKind;
use crate::crm::{
    Currency, Event, EventId, EventKind, Money, Polarity, SentimentReading, Source, Timestamp,
};
use crate::customer::{
    CustomerId, CustomerState, ExperienceQuality, RuleId, Stage, Trigger, Valence,
};
use crate::error::{Error, Result};
use crate::network::Tie;
use crate::probability::Probability;
use crate::propagation::CompiledNetwork;

/// "No detail" for a [`CauseRecord`].
pub(crate) const NO_DETAIL: u32 = u32::MAX;

/// The source system of simulated events.
pub const SOURCE_SYSTEM: &str = "social_loop";
/// The source actor of the events that set a customer's starting state.
pub const INITIAL_STATE: &str = "initial_state";
/// The other kind of a cause drawn without its move.
pub const UNMOVED: &str = "unmoved";
/// "Not answered yet" in [`EventWriter::answered`].
const NO_ANSWER: u8 = u8::MAX;

/// How a cause ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// It moved the customer.
    Moved,
    /// The table has no row for it: it moved nobody, in the book too.
    NoRow,
    /// The table has a row, which the draw did not fire.
    Unfired,
}

/// One cause a customer's step drew.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CauseRecord {
    pub(crate) node: u32,
    pub(crate) trigger: Trigger,
    pub(crate) outcome: Outcome,
    /// Who told them (word of mouth); 1 for a discounted purchase or a
    /// discount engagement.
    pub(crate) detail: u32,
}

impl CauseRecord {
    /// The record of `trigger` applied to a customer now in `after`.
    pub(crate) fn of(
        node: u32,
        trigger: Trigger,
        moved: bool,
        after: &CustomerState,
        detail: u32,
    ) -> Self {
        let outcome = if moved {
            Outcome::Moved
        } else if RuleId::find(after.stage(), trigger, after.ever_bought()).is_some() {
            Outcome::Unfired
        } else {
            Outcome::NoRow
        };
        CauseRecord {
            node,
            trigger,
            outcome,
            detail,
        }
    }
}

/// Where simulated events start in time.
///
/// ```
/// use social_loop::sim::EventOptions;
/// let options = EventOptions::default().start("2025-01-06T00:00:00Z".parse()?);
/// assert_eq!(options.get_start().to_string(), "2025-01-06T00:00:00Z");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventOptions {
    start: Timestamp,
}

impl Default for EventOptions {
    /// Period 0 starts on 2024-01-01T00:00:00Z.
    fn default() -> Self {
        EventOptions {
            start: Timestamp::from_unix_millis(1_704_067_200_000)
                .unwrap_or_else(|_| Timestamp::now()),
        }
    }
}

impl EventOptions {
    /// Period 0 starts at `start`.
    #[must_use]
    pub fn start(mut self, start: Timestamp) -> Self {
        self.start = start;
        self
    }

    /// When period 0 starts.
    pub fn get_start(&self) -> Timestamp {
        self.start
    }
}

/// Milliseconds in one period.
pub(crate) fn period_millis(period: Period) -> i64 {
    364 * 86_400_000 / i64::from(period.per_year())
}

/// Turns cause records into events.
#[derive(Debug, Clone)]
pub(crate) struct EventWriter {
    pub(crate) start: i64,
    pub(crate) period: Period,
    pub(crate) currency: Currency,
    pub(crate) full_price: Decimal,
    pub(crate) discounted_price: Decimal,
    /// Per customer: their latest NPS answer, or [`NO_ANSWER`].
    answered: Vec<u8>,
}

impl EventWriter {
    pub(crate) fn new(
        options: EventOptions,
        period: Period,
        prices: &Prices,
        currency: Currency,
    ) -> Result<Self> {
        let discounted_price = prices
            .discounted_price()
            .ok_or_else(|| Error::overflow("the discounted price"))?;
        Ok(EventWriter {
            start: options.start.unix_millis(),
            period,
            currency,
            full_price: prices.unit_price,
            discounted_price,
            answered: Vec::new(),
        })
    }

    fn at(&self, millis: i64) -> Result<Timestamp> {
        Timestamp::from_unix_millis(millis)
    }

    /// The network's ties and every customer's starting state (with the NPS
    /// answer of those who have bought).
    pub(crate) fn initial(
        &mut self,
        net: &CompiledNetwork,
        states: &[CustomerState],
    ) -> Result<Vec<Event>> {
        let mut out = Vec::new();
        let source = |actor: &str| Source::new(SOURCE_SYSTEM).actor(actor);
        let ties_at = self.at(self.start - 2 * 3_600_000)?;
        let targets = net.targets();
        let probabilities = net.probabilities();
        for from in 0..net.node_count() as u32 {
            let Some(from_id) = net.customer(from) else {
                continue;
            };
            for arc in net.arc_range(from) {
                let (Some(&to), Some(&p)) = (targets.get(arc), probabilities.get(arc)) else {
                    continue;
                };
                let Some(to_id) = net.customer(to) else {
                    continue;
                };
                if to == from {
                    continue;
                }
                let p = Probability::saturating(f64::from(p));
                let tie = if net.is_negative(arc as u32) {
                    Tie::negative(p)
                } else {
                    Tie::positive(p)
                };
                let id = EventId::new(format!("tie-{from}-{arc}"))?;
                out.push(
                    Event::new(id, ties_at, to_id.clone(), EventKind::Tie { tie })
                        .counterpart(from_id.clone())
                        .source(source("network")),
                );
            }
        }
        let base = self.start - 3_600_000;
        for (node, state) in states.iter().enumerate() {
            let Some(customer) = net.customer(node as u32) else {
                continue;
            };
            let mut fields = Map::new();
            fields.insert("stage".into(), Value::from(state.stage().name()));
            fields.insert("ever_bought".into(), Value::from(state.ever_bought()));
            let mut kinds = vec![EventKind::Other {
                kind: "initial_state".into(),
                fields,
            }];
            let bought = state.ever_bought();
            if bought {
                kinds.push(EventKind::Purchase);
            }
            match (state.stage(), bought) {
                (Stage::Aware, _) => kinds.push(EventKind::SocialPost),
                (Stage::Prospect, _) | (Stage::Advocate, true) => {
                    kinds.push(review(ExperienceQuality::Delighted).0)
                }
                (Stage::Adversary, _) => kinds.push(review(ExperienceQuality::Outraged).0),
                (Stage::Lapsed, true) => kinds.push(EventKind::Inactivity { days: 56 }),
                _ => {}
            }
            if let Some(answer) = self.answer(node, state) {
                kinds.push(answer);
            }
            for (seq, kind) in kinds.into_iter().enumerate() {
                let sentiment = match &kind {
                    EventKind::Review { .. } if state.stage() == Stage::Adversary => {
                        Some(review(ExperienceQuality::Outraged).1)
                    }
                    EventKind::Review { .. } => Some(review(ExperienceQuality::Delighted).1),
                    _ => None,
                };
                let id = EventId::new(format!("init-{node}-{seq}"))?;
                let mut e = Event::new(id, self.at(base + seq as i64)?, customer.clone(), kind)
                    .source(source(INITIAL_STATE));
                if let Some(s) = sentiment {
                    e = e.sentiment(s);
                }
                out.push(e);
            }
        }
        Ok(out)
    }

    /// The NPS answer of customer `node` in `state` when it is due: they
    /// have bought, and the answer differs from their latest (remembered).
    fn answer(&mut self, node: usize, state: &CustomerState) -> Option<EventKind> {
        if !state.ever_bought() {
            return None;
        }
        if self.answered.len() <= node {
            self.answered.resize(node + 1, NO_ANSWER);
        }
        let score = state.likelihood_to_recommend();
        let last = self.answered.get_mut(node)?;
        if *last == score.get() {
            return None;
        }
        *last = score.get();
        Some(EventKind::NpsResponse {
            score,
            experience: false,
        })
    }

    /// The events of period `t`'s causes (in the order they happened), then
    /// the NPS answers due at its end (`states` after the period).
    pub(crate) fn period(
        &mut self,
        t: u32,
        net: &CompiledNetwork,
        causes: &[CauseRecord],
        states: &[CustomerState],
    ) -> Result<Vec<Event>> {
        let base = self.start + i64::from(t) * period_millis(self.period) + 1_000;
        let days = (period_millis(self.period) / 86_400_000).max(1) as u32;
        let mut out = Vec::with_capacity(causes.len());
        let mut seq = 0i64;
        let mut last = NO_DETAIL;
        let source = Source::new(SOURCE_SYSTEM).actor("simulation");
        for c in causes {
            seq = if c.node == last { seq + 1 } else { 0 };
            last = c.node;
            let customer = net
                .customer(c.node)
                .cloned()
                .ok_or_else(|| Error::UnknownCustomer(CustomerId::new(c.node.to_string())))?;
            let from = (c.detail != NO_DETAIL)
                .then(|| net.customer(c.detail).cloned())
                .flatten();
            let id = EventId::new(format!("p{t}-{}-{seq}", c.node))?;
            let at = self.at(base + seq)?;
            let mut sentiment = None;
            let mut money = None;
            let mut counterpart = None;
            let kind = match (c.outcome, c.trigger) {
                (Outcome::Unfired, trigger) => {
                    if matches!(trigger, Trigger::WordOfMouth(_)) {
                        counterpart = from;
                    }
                    let mut kind = other(UNMOVED, "cause", trigger.name());
                    if let (EventKind::Other { fields, .. }, Trigger::Engagement { .. }, 1) =
                        (&mut kind, trigger, c.detail)
                    {
                        fields.insert("engagement_kind".into(), Value::from("discount"));
                    }
                    kind
                }
                (_, Trigger::Exposure) => EventKind::SocialPost,
                (_, Trigger::Engagement { relevant }) => EventKind::EngagementReceived {
                    engagement: None,
                    engagement_kind: (c.detail == 1).then_some(EngagementKind::Discount),
                    relevant,
                },
                (_, Trigger::Experience(q)) => {
                    let (kind, reading) = review(q);
                    sentiment = Some(reading);
                    kind
                }
                (_, Trigger::ServiceRecovery) => EventKind::TicketResolved {
                    ticket: format!("ticket-p{t}-{}-{seq}", c.node),
                },
                (_, Trigger::Complaint) => EventKind::TicketOpened {
                    ticket: format!("ticket-p{t}-{}-{seq}", c.node),
                },
                (_, Trigger::WordOfMouth(Valence::Positive)) if from.is_some() => {
                    counterpart = from;
                    EventKind::Referral
                }
                (_, Trigger::WordOfMouth(Valence::Negative)) if from.is_some() => {
                    counterpart = from;
                    EventKind::Criticism
                }
                (_, Trigger::WordOfMouth(valence)) => {
                    other("word_of_mouth", "valence", valence.name())
                }
                (_, Trigger::Purchase) => {
                    let price = if c.detail == 1 {
                        self.discounted_price
                    } else {
                        self.full_price
                    };
                    money = Some(Money::new(price, self.currency));
                    EventKind::Purchase
                }
                (_, Trigger::NoContact) => EventKind::Inactivity { days },
            };
            let mut e = Event::new(id, at, customer.clone(), kind).source(source.clone());
            if let Some(c) = counterpart.filter(|c| *c != customer) {
                e = e.counterpart(c);
            }
            if let Some(s) = sentiment {
                e = e.sentiment(s);
            }
            if let Some(m) = money {
                e = e.money(m);
            }
            out.push(e);
        }
        let end = base + 60_000;
        for (node, state) in states.iter().enumerate() {
            let Some(kind) = self.answer(node, state) else {
                continue;
            };
            let customer = net
                .customer(node as u32)
                .cloned()
                .ok_or_else(|| Error::UnknownCustomer(CustomerId::new(node.to_string())))?;
            let id = EventId::new(format!("nps-p{t}-{node}"))?;
            out.push(Event::new(id, self.at(end)?, customer, kind).source(source.clone()));
        }
        Ok(out)
    }
}

fn other(kind: &str, key: &str, value: &str) -> EventKind {
    let mut fields = Map::new();
    fields.insert(key.into(), Value::from(value));
    EventKind::Other {
        kind: kind.into(),
        fields,
    }
}

/// A review whose sentiment reading the book reads as `quality`.
fn review(quality: ExperienceQuality) -> (EventKind, SentimentReading) {
    let (polarity, confidence) = match quality {
        ExperienceQuality::Delighted => (Polarity::Positive, 0.9),
        ExperienceQuality::Satisfied => (Polarity::Positive, 0.25),
        ExperienceQuality::Disappointed => (Polarity::Negative, 0.25),
        ExperienceQuality::Outraged => (Polarity::Negative, 0.9),
    };
    (
        EventKind::Review { rating: None },
        SentimentReading::new(polarity, Probability::saturating(confidence)),
    )
}
