//! [`SyntheticCrm`]: a seeded stream of realistic CRM events, for examples,
//! benchmarks and for trying an integration before real data flows.

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{
    Currency, Event, EventChannel, EventId, EventKind, Money, Polarity, SentimentReading, Source,
    Timestamp,
};
use crate::brand::EngagementKind;
use crate::customer::{Channel, LikelihoodToRecommend, Topic};
use crate::error::{Error, Result};
use crate::probability::Probability;

const DAY: i64 = 86_400_000;

/// Settings of a synthetic CRM: how many customers, over how many days, from
/// which seed.
///
/// Each customer has a hidden mood in `[-1, 1]` (four in five broadly happy,
/// around 0.6, one in five unhappy, around -0.3); customers
/// join over the period, a third of them referred by an earlier customer in a
/// good mood (preferring those who already referred, so referral trees are
/// skewed as in real programmes). Then: a welcome engagement, purchases with
/// heterogeneous rates and drop-out as the BG/NBD tells it (Fader, Hardie and
/// Lee 2005: nine in ten happy customers and three in four unhappy ones buy,
/// first within two weeks of joining, then at exponential gaps of a rate
/// drawn from a Gamma distribution of shape 0.8 and mean one purchase in 40
/// days, up to twice that for the happiest, dropping out after each purchase
/// with a probability drawn from Beta(1, 3); so a BTYD model can be fitted to
/// the book, see [`CustomerBook::customer_values`](super::CustomerBook::customer_values);
/// amounts 5 to 300 around each customer's own usual spend, as the
/// Gamma-Gamma spend model tells it, one customer in ten pays in USD, the others
/// in EUR), NPS answers and reviews whose tone follows the mood, support
/// tickets (more for unhappy customers; four in five resolved a few days
/// later, some followed by a refund), replies to other customers' posts,
/// product feedback, an inactivity notice for quiet customers, and now and
/// then a kind the library does not know (`webinar_attended`), at random times. Events are
/// valid and returned in `(at, id)` order with unique ids.
///
/// ```
/// use social_loop::crm::{CustomerBook, SyntheticCrm};
/// let events = SyntheticCrm::new(200).days(90).seed(3).events()?;
/// let mut book = CustomerBook::new();
/// let report = book.import(&events);
/// assert_eq!(report.counts.applied as usize, events.len());
/// assert_eq!(book.customer_count(), 200);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyntheticCrm {
    customers: usize,
    days: u32,
    seed: u64,
    start: Timestamp,
}

impl SyntheticCrm {
    /// `customers` customers over a year from 2024-01-01, seed 0.
    pub fn new(customers: usize) -> Self {
        SyntheticCrm {
            customers,
            days: 365,
            seed: 0,
            // 2024-01-01T00:00:00Z
            start: Timestamp::EPOCH.plus_days(19_723),
        }
    }

    /// The length of the period in days (at least 1).
    #[must_use]
    pub fn days(mut self, days: u32) -> Self {
        self.days = days;
        self
    }

    /// The seed.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// The first day.
    #[must_use]
    pub fn start(mut self, start: Timestamp) -> Self {
        self.start = start;
        self
    }

    /// Generates the events (about ten per customer over a year).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `days`) for a period of 0 days, or
    /// one that ends after year 9999.
    ///
    /// # Complexity
    /// O(events · log events) (the final sort).
    pub fn events(&self) -> Result<Vec<Event>> {
        let span = i64::from(self.days) * DAY;
        if self.days == 0 || self.start.unix_millis() + span > Timestamp::MAX.unix_millis() {
            return Err(Error::invalid(
                "days",
                format!(
                    "{} days from {} is not a valid period",
                    self.days, self.start
                ),
            ));
        }
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(self.seed);
        let eur = Currency::new("EUR")?;
        let usd = Currency::new("USD")?;
        let mut life = Generator {
            rng: &mut rng,
            events: Vec::with_capacity(self.customers * 11),
            start: self.start.unix_millis(),
            end: self.start.unix_millis() + span,
        };
        // (id, mood, referrals made)
        let mut people: Vec<(String, f64, u32)> = Vec::with_capacity(self.customers);
        for c in 0..self.customers {
            let id = format!("cust-{c:06}");
            // Four in five customers are broadly happy, one in five is not.
            let (centre, spread) = if life.rng.random_bool(0.8) {
                (0.6, 0.4)
            } else {
                (-0.3, 0.5)
            };
            let mood = (centre + (life.rng.random::<f64>() * 2.0 - 1.0) * spread).clamp(-1.0, 1.0);
            let joined = life.start + (life.rng.random::<f64>() * span as f64 * 0.8) as i64;
            let currency = if life.rng.random_bool(0.1) { usd } else { eur };
            if c > 0 && life.rng.random_bool(0.33) {
                let referrer = life.pick_referrer(&people);
                if let Some((rid, _, made)) = people.get_mut(referrer) {
                    *made += 1;
                    let r = rid.clone();
                    life.push(joined, &id, EventKind::Referral, |e| {
                        e.counterpart(r).source(Source::new("referral_programme"))
                    });
                }
            }
            life.customer(&id, mood, joined, currency, &people);
            people.push((id, mood, 0));
        }
        let mut events = life.events;
        events.sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
        Ok(events)
    }
}

struct Generator<'a> {
    rng: &'a mut Xoshiro256PlusPlus,
    events: Vec<Event>,
    start: i64,
    end: i64,
}

impl Generator<'_> {
    /// Adds an event at `at` (kept inside the period) for `customer`.
    fn push(
        &mut self,
        at: i64,
        customer: &str,
        kind: EventKind,
        finish: impl FnOnce(Event) -> Event,
    ) {
        let at = at.clamp(self.start, self.end - 1);
        let id = format!("evt-{:08}", self.events.len());
        if let (Ok(id), Ok(at)) = (EventId::new(id), Timestamp::from_unix_millis(at)) {
            self.events.push(finish(Event::new(id, at, customer, kind)));
        }
    }

    /// A referrer: an earlier customer in a good mood, preferring those who
    /// already referred (three tries of preferential choice).
    fn pick_referrer(&mut self, people: &[(String, f64, u32)]) -> usize {
        let mut best = self.rng.random_range(0..people.len());
        for _ in 0..3 {
            let other = self.rng.random_range(0..people.len());
            let score = |i: usize| {
                people
                    .get(i)
                    .map_or(0.0, |(_, mood, made)| mood + f64::from(*made))
            };
            if score(other) > score(best) {
                best = other;
            }
        }
        best
    }

    fn tone(&mut self, mood: f64) -> SentimentReading {
        let felt = (mood + (self.rng.random::<f64>() - 0.5) * 0.8).clamp(-1.0, 1.0);
        let polarity = if felt > 0.15 {
            Polarity::Positive
        } else if felt < -0.15 {
            Polarity::Negative
        } else if self.rng.random_bool(0.5) {
            Polarity::Neutral
        } else {
            Polarity::Mixed
        };
        let confidence =
            (0.5 + felt.abs() / 2.0 + (self.rng.random::<f64>() - 0.5) * 0.2).clamp(0.0, 1.0);
        SentimentReading::new(polarity, Probability::saturating(confidence))
    }

    /// A customer's spending scale: the rate `ν` of the Gamma-Gamma model
    /// (Colombo and Jiang 1999), drawn from Gamma(shape 3, mean 0.1), so
    /// customers differ in what they usually spend.
    fn spend_rate(&mut self) -> f64 {
        rand_distr::Gamma::new(3.0, 0.1 / 3.0).map_or(0.1, |g| self.rng.sample(g))
    }

    /// One amount of a customer with spending rate `nu`: Gamma(shape 4,
    /// rate `ν`) (mean `4 / ν`, 40 on average), kept within 5 to 300.
    fn amount(&mut self, currency: Currency, nu: f64) -> Money {
        let z =
            rand_distr::Gamma::new(4.0, 1.0 / nu.max(1e-3)).map_or(40.0, |g| self.rng.sample(g));
        let cents = (z * 100.0).round().clamp(500.0, 30_000.0) as i64;
        Money::new(Decimal::new(cents, 2), currency)
    }

    /// When a customer buys, as the BG/NBD story draws it (Fader, Hardie and
    /// Lee 2005): whether they buy at all (nine in ten happy customers,
    /// three in four unhappy ones), a first purchase within two weeks of
    /// joining, then repeat purchases at exponential gaps of rate `λ`, after
    /// each of which they drop out with probability `p`. `λ` is Gamma
    /// distributed (shape 0.8, mean one purchase in 40 days, doubled for a
    /// happy customer's mood of 1) and `p` Beta(1, 3) (mean 0.25), so
    /// purchase rates are heterogeneous and a BTYD model can be fitted to the
    /// book ([`CustomerBook::customer_values`](super::CustomerBook::customer_values)).
    fn purchases(&mut self, mood: f64, joined: i64) -> Vec<i64> {
        let mut times = Vec::new();
        let buys = if mood > 0.0 { 0.9 } else { 0.75 };
        if !self.rng.random_bool(buys) {
            return times;
        }
        let rate_mean = (1.0 + mood.max(0.0)) / 40.0;
        let (Ok(rates), Ok(drops)) = (
            rand_distr::Gamma::new(0.8, rate_mean / 0.8),
            rand_distr::Beta::new(0.6, 1.8),
        ) else {
            return times;
        };
        let rate: f64 = self.rng.sample(rates);
        let drop: f64 = self.rng.sample(drops);
        let mut t = joined + (self.rng.random::<f64>() * 14.0 * DAY as f64) as i64;
        while t < self.end && times.len() < 200 {
            times.push(t);
            if self.rng.random_bool(drop.clamp(0.0, 1.0)) {
                break;
            }
            let gap = -(1.0 - self.rng.random::<f64>()).ln() / rate.max(1e-9);
            t = t.saturating_add((gap * DAY as f64).min(1e15) as i64);
        }
        times
    }

    /// The life of one customer from `joined`.
    fn customer(
        &mut self,
        id: &str,
        mood: f64,
        joined: i64,
        currency: Currency,
        people: &[(String, f64, u32)],
    ) {
        let left = (self.end - joined).max(DAY);
        let at = |g: &mut Self| joined + (g.rng.random::<f64>() * left as f64) as i64;
        let channel = Channel::ALL
            .get(self.rng.random_range(0..Channel::ALL.len()))
            .copied()
            .unwrap_or(Channel::Email);
        let welcome = EngagementKind::ALL
            .get(self.rng.random_range(1..EngagementKind::ALL.len()))
            .copied();
        let relevant = self.rng.random_bool(0.7);
        self.push(
            joined + DAY / 2,
            id,
            EventKind::EngagementReceived {
                engagement: Some("welcome-2024".into()),
                engagement_kind: welcome,
                relevant,
            },
            |e| {
                e.channel(channel)
                    .source(Source::new("marketing_automation"))
            },
        );
        let purchases = self.purchases(mood, joined);
        let nu = self.spend_rate();
        for &t in &purchases {
            let money = self.amount(currency, nu);
            self.push(t, id, EventKind::Purchase, |e| {
                e.money(money)
                    .source(Source::new("shop").actor("checkout"))
                    .channel(EventChannel::Other("web".into()))
            });
        }
        let purchases = purchases.len();
        if self.rng.random_bool(0.45) {
            let t = at(self);
            let score = ((mood + 1.0) * 5.0 + (self.rng.random::<f64>() - 0.5) * 3.0)
                .round()
                .clamp(0.0, 10.0) as u8;
            if let Ok(score) = LikelihoodToRecommend::new(score) {
                self.push(
                    t,
                    id,
                    EventKind::NpsResponse {
                        score,
                        experience: true,
                    },
                    |e| e.source(Source::new("survey")),
                );
            }
        }
        let reviews = self.rng.random_range(0..3);
        for _ in 0..reviews {
            let t = at(self);
            let tone = self.tone(mood);
            let reply_to = (self.rng.random_bool(0.3) && !people.is_empty())
                .then(|| self.rng.random_range(0..people.len()))
                .and_then(|i| people.get(i))
                .map(|(other, _, _)| other.clone());
            let kind = if self.rng.random_bool(0.5) {
                EventKind::Review { rating: None }
            } else {
                EventKind::SocialPost
            };
            self.push(t, id, kind, |e| {
                let e = e
                    .sentiment(tone)
                    .channel(Channel::Microblog)
                    .source(Source::new("social_listening"));
                match reply_to {
                    Some(other) => e.counterpart(other),
                    None => e,
                }
            });
        }
        let ticket_chance = (0.35 - mood * 0.3).clamp(0.05, 0.8);
        if self.rng.random_bool(ticket_chance) {
            let t = at(self);
            let ticket = format!("T-{}", self.events.len());
            let agent = format!("agent-{}", self.rng.random_range(1..40));
            let source = Source::new("helpdesk").actor(agent);
            self.push(
                t,
                id,
                EventKind::TicketOpened {
                    ticket: ticket.clone(),
                },
                |e| e.source(source.clone()).channel(Channel::Phone),
            );
            if self.rng.random_bool(0.8) {
                let later = t + self.rng.random_range(1..10) * DAY;
                if later < self.end {
                    self.push(later, id, EventKind::TicketResolved { ticket }, |e| {
                        e.source(source)
                    });
                }
                if mood < 0.0 && self.rng.random_bool(0.3) {
                    let money = self.amount(currency, nu);
                    self.push(later + DAY, id, EventKind::Refund, |e| {
                        e.money(money).source(Source::new("shop").actor("returns"))
                    });
                }
            }
        }
        if self.rng.random_bool(0.15) {
            let t = at(self);
            let tone = self.tone(mood);
            let topic = ["battery", "pricing", "app", "delivery"]
                .get(self.rng.random_range(0..4))
                .map(Topic::new);
            self.push(t, id, EventKind::ProductFeedback { topic }, |e| {
                e.sentiment(tone).source(Source::new("product_board"))
            });
        }
        if purchases == 0 && self.rng.random_bool(0.5) {
            let days = self.rng.random_range(60..200);
            self.push(
                joined + i64::from(days) * DAY,
                id,
                EventKind::Inactivity { days },
                |e| e.source(Source::new("crm").actor("dormancy_job")),
            );
        }
        if self.rng.random_bool(0.05) {
            let t = at(self);
            let minutes = self.rng.random_range(5..90);
            let fields = serde_json::json!({ "minutes": minutes, "webinar": "spring-launch" });
            if let serde_json::Value::Object(fields) = fields {
                self.push(
                    t,
                    id,
                    EventKind::Other {
                        kind: "webinar_attended".into(),
                        fields,
                    },
                    |e| e.source(Source::new("events_platform")),
                );
            }
        }
    }
}
