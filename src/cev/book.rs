//! [`CustomerBook::engagement_values`]: the engagement value of a CRM book's
//! customers from their real events.

use std::collections::{BTreeMap, HashMap};

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use super::{CustomerEngagementValue, EngagementValues, SkipCause, SkippedCurrency, ValuePart};
use crate::crm::{BookValueOptions, Currency, CustomerBook, Money, Timestamp};
use crate::customer::{CustomerId, Stage, Topic};
use crate::error::{Error, Result};
use crate::probability::Probability;
use crate::propagation::CompiledNetwork;
use crate::targeting::ReachOfEach;
use crate::value::ESTIMATE_PLACES;

/// The gain a business change brought, to be shared among the customers whose
/// product feedback on its topic came first: the knowledge value (CKV) of a
/// book.
///
/// ```
/// use social_loop::cev::KnowledgeGain;
/// use social_loop::crm::{Money, Timestamp};
/// let battery = KnowledgeGain::new("battery".into(), Money::new("5000".parse()?, "EUR".parse()?))
///     .before(Timestamp::parse_rfc3339("2024-09-01T00:00:00Z")?);
/// assert_eq!(battery.topic().as_str(), "battery");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnowledgeGain {
    topic: Topic,
    gain: Money,
    before: Option<Timestamp>,
}

impl KnowledgeGain {
    /// The change on `topic` gained `gain` (its present value, as the
    /// business measured it); every feedback event on the topic counts.
    pub fn new(topic: Topic, gain: Money) -> Self {
        KnowledgeGain {
            topic,
            gain,
            before: None,
        }
    }

    /// Only feedback before `at` (when the change was decided) counts.
    #[must_use]
    pub fn before(mut self, at: Timestamp) -> Self {
        self.before = Some(at);
        self
    }

    /// The topic.
    pub fn topic(&self) -> &Topic {
        &self.topic
    }
}

/// How [`CustomerBook::engagement_values`] values a book's customers, and
/// where it departs from Kumar et al. (2010) (see [`crate::cev`]).
///
/// * **CLV** is [`CustomerBook::customer_values`] with [`value`](Self::value)'s
///   options: the BTYD model's discounted expected residual margin, one fit
///   per currency, its interval from the fit's parameter uncertainty. The
///   paper's retention cost `MC` is not subtracted (the book does not record
///   it).
/// * **CRV** of `i` = `(1 − s) · Σ_j CLV_j` over the customers `j` whose first
///   referral names `i` (the forest of [`CustomerBook::referral_attribution`];
///   `j`'s own referrals count in `j`'s CRV, not in `i`'s), in each currency
///   `j` has a CLV in; `s` is [`referred_anyway`](Self::referred_anyway), the
///   share of referred customers who would have come anyway (the paper's
///   `n2 − n1`). Departures: referral rewards `a`, marketing costs `M` and the
///   acquisition savings `ED` are not in the book's events and are left out;
///   the value counted is the referred customers' residual CLV (what they are
///   still expected to buy), not their past purchases. Its interval scales
///   the referred customers' CLV intervals (their bounds added).
/// * **CIV** of `i` = `± c · v̄ · (E[reach_i] − 1)`: the customers `i`'s word
///   of mouth is expected to reach on the book's influence network (the
///   Independent Cascade from `i` alone, every customer's at once from one
///   collection of reverse-reachable sets by [`ReachOfEach`], with
///   [`reach`](Self::reach)'s sample size and seed; ties from
///   referrals, replies and explicit ties, see [`CustomerBook`]), times the
///   conversion `c` ([`influence_conversion`](Self::influence_conversion):
///   the share of a reached customer's value that the talk adds), times the
///   value of a reached customer `v̄`, the mean CLV of the currency; negative
///   for a customer who is an adversary now. The paper measures the change
///   in each influenced customer's purchases; a book has no such measurement,
///   so the crate models it. A referred customer reached by the referrer's
///   talk is counted here too: CIV is the extra they buy, CRV their own CLV.
///   The interval is from the reach's 95% interval (binomial, not `v̄`'s).
///   A customer whose reach beyond themselves is estimated at 0 (no one
///   else's RR set held them) gets CIV = 0.
/// * **CKV**: each [`KnowledgeGain`] is shared equally among the product
///   feedback events on its topic (before its date), and each customer gets
///   the shares of their events, in the gain's currency (exact: the shares
///   add up to the gain). The paper also values the ideas' adoption by the
///   business; here the business says what each change gained. Without
///   gains, CKV is 0.
///
/// Every customer with a CLV, or a non-zero CRV, CIV or CKV, gets one entry
/// per currency they have a part in; a customer without a purchase,
/// referral, tie or feedback has none. A customer who bought but made no
/// referral, has no tie and gave no feedback has CRV = CIV = CKV = 0 exactly.
///
/// Defaults: the default [`BookValueOptions`]; `s = 0` (every referred
/// customer was brought by the referral: the upper bound, as
/// [`referral_attribution`](CustomerBook::referral_attribution) counts them;
/// the paper asked referred customers whether they would have joined anyway,
/// set `s` from such a survey or a holdout of your referral programme);
/// `c = 0.1` (the value loop's default referral conversion,
/// [`Rates::referral_conversion`](crate::sim::Rates::referral_conversion): a
/// judgement, not a measurement); the reach from 64 RR sets per customer,
/// seed 0 (standard error about `√((reach − 1) / 64)`); no gains.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EngagementOptions {
    value: BookValueOptions,
    referred_anyway: Probability,
    influence_conversion: Probability,
    reach: ReachOfEach,
    gains: Vec<KnowledgeGain>,
}

impl Default for EngagementOptions {
    fn default() -> Self {
        EngagementOptions {
            value: BookValueOptions::default(),
            referred_anyway: Probability::ZERO,
            influence_conversion: Probability::saturating(0.1),
            reach: ReachOfEach::default(),
            gains: Vec::new(),
        }
    }
}

impl EngagementOptions {
    /// How CLV is fitted and computed.
    #[must_use]
    pub fn value(mut self, value: BookValueOptions) -> Self {
        self.value = value;
        self
    }
    /// The share `s` of referred customers who would have come anyway.
    #[must_use]
    pub fn referred_anyway(mut self, share: Probability) -> Self {
        self.referred_anyway = share;
        self
    }
    /// The conversion `c` of the customers word of mouth reaches.
    #[must_use]
    pub fn influence_conversion(mut self, c: Probability) -> Self {
        self.influence_conversion = c;
        self
    }
    /// How every customer's reach is estimated (RR sets per customer, seed,
    /// threads; see [`ReachOfEach`] for the accuracy).
    #[must_use]
    pub fn reach(mut self, settings: ReachOfEach) -> Self {
        self.reach = settings;
        self
    }
    /// Adds the gain of a business change, for CKV.
    #[must_use]
    pub fn gain(mut self, gain: KnowledgeGain) -> Self {
        self.gains.push(gain);
        self
    }
    /// See [`EngagementOptions::referred_anyway`].
    pub fn get_referred_anyway(&self) -> Probability {
        self.referred_anyway
    }
    /// See [`EngagementOptions::influence_conversion`].
    pub fn get_influence_conversion(&self) -> Probability {
        self.influence_conversion
    }
}

/// A probability as the `Decimal` its shortest decimal form writes (0.1, not
/// the binary fraction nearest to it).
fn decimal_of(p: Probability) -> Result<Decimal> {
    p.get()
        .to_string()
        .parse()
        .map_err(|_| Error::invalid("probability", format!("{} is not a decimal", p.get())))
}

fn round(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(ESTIMATE_PLACES, RoundingStrategy::MidpointNearestEven)
}

/// The four parts of one (customer, currency) entry while they are gathered.
type Parts = [ValuePart; 4];

const CRV: usize = 1;
const CIV: usize = 2;
const CKV: usize = 3;

impl CustomerBook {
    /// Every customer's engagement value, CLV + CRV + CIV + CKV, each with its
    /// 95% interval, ranked by CEV within each currency (see
    /// [`EngagementOptions`] for the definitions).
    ///
    /// ```
    /// use social_loop::cev::EngagementOptions;
    /// use social_loop::clv::ValueOptions;
    /// use social_loop::crm::{BookValueOptions, CustomerBook, SyntheticCrm};
    /// let mut book = CustomerBook::new();
    /// book.import(&SyntheticCrm::new(400).seed(1).events()?);
    /// let options = EngagementOptions::default()
    ///     .value(BookValueOptions::default().value(ValueOptions::default().draws(20)));
    /// let values = book.engagement_values(&options)?;
    /// let best = values.of("EUR".parse()?).next().ok_or("no EUR customer")?;
    /// assert_eq!(best.cev.value, best.clv.value + best.crv.value + best.civ.value + best.ckv.value);
    /// println!("{best}"); // which part of the CEV comes from where
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// A currency whose purchases cannot be valued (its BTYD or spend fit
    /// fails, as it can on a few customers) does not fail the book: it is
    /// listed in [`EngagementValues::skipped`] with the reason, and no
    /// customer gets an entry in it (no CLV, CRV, CIV or CKV in that
    /// currency: never a silent zero). A customer who bought only in skipped
    /// currencies has their CIV valued as one without CLV (in the book's
    /// main currency).
    ///
    /// # Errors
    /// [`ReachOfEach::estimate`]'s errors; [`Error::Overflow`].
    ///
    /// # Complexity
    /// O(events) plus the CLV fits, plus `s · n` reverse-reachable sets of
    /// the network's `n` customers (`s` = [`ReachOfEach::sets_per_customer`]),
    /// in parallel on the reach's threads.
    pub fn engagement_values(&self, options: &EngagementOptions) -> Result<EngagementValues> {
        let overflow = || Error::overflow("an engagement value");
        let mut fitted = Vec::new();
        let mut skipped = Vec::new();
        for each in self.customer_values_each(options.value)? {
            match each.values {
                Ok(values) => fitted.push(values),
                Err(error) => skipped.push(SkippedCurrency {
                    currency: each.currency,
                    customers: each.customers,
                    cause: SkipCause::of(&error),
                }),
            }
        }
        let is_skipped = |c: &Currency| skipped.iter().any(|s| s.currency == *c);
        let mut parts: BTreeMap<(CustomerId, Currency), Parts> = BTreeMap::new();
        let mut clv: HashMap<&CustomerId, Vec<(Currency, ValuePart)>> = HashMap::new();
        let mut mean_clv: BTreeMap<Currency, Decimal> = BTreeMap::new();
        let mut main: Option<(usize, Currency)> = None;
        for currency in &fitted {
            let mut sum = Decimal::ZERO;
            for c in &currency.values.customers {
                let part = ValuePart::new(c.clv, c.clv_ci95);
                parts
                    .entry((c.customer.clone(), currency.currency))
                    .or_default()[0] = part;
                clv.entry(&c.customer)
                    .or_default()
                    .push((currency.currency, part));
                sum = sum.checked_add(c.clv).ok_or_else(overflow)?;
            }
            let n = currency.values.customers.len();
            if n > 0 {
                mean_clv.insert(
                    currency.currency,
                    round(sum.checked_div(Decimal::from(n)).ok_or_else(overflow)?),
                );
            }
            if main.is_none_or(|(m, _)| n > m) {
                main = Some((n, currency.currency));
            }
        }

        // CRV: the referred customers' CLV, net of those who came anyway.
        let keep = Decimal::ONE - decimal_of(options.referred_anyway)?;
        for credit in self.referral_attribution()?.credits {
            for referred in &credit.referred {
                for (currency, part) in clv.get(referred).into_iter().flatten() {
                    let slot = &mut parts
                        .entry((credit.referrer.clone(), *currency))
                        .or_default()[CRV];
                    let add = part.scaled(keep, ESTIMATE_PLACES).ok_or_else(overflow)?;
                    *slot = slot.checked_add(&add).ok_or_else(overflow)?;
                }
            }
        }

        // CIV: expected reach beyond themselves, converted and valued.
        let conversion = decimal_of(options.influence_conversion)?;
        let network = self.network();
        if !conversion.is_zero() && network.tie_count() > 0 {
            let compiled = CompiledNetwork::from_network(network);
            let ranked = options.reach.estimate(&compiled)?;
            for influencer in ranked {
                let beyond = |x: f64| Decimal::try_from(x - 1.0).map(round);
                let (Ok(mean), Ok(low), Ok(high)) = (
                    beyond(influencer.reach.mean),
                    beyond(influencer.reach.ci95[0]),
                    beyond(influencer.reach.ci95[1]),
                ) else {
                    continue;
                };
                if mean <= Decimal::ZERO {
                    continue;
                }
                // Their own currency of highest CLV, else the book's main one.
                let own = clv.get(&influencer.customer).and_then(|list| {
                    list.iter()
                        .max_by(|a, b| a.1.value.cmp(&b.1.value))
                        .map(|(c, _)| *c)
                });
                let Some(currency) = own.or(main.map(|(_, c)| c)) else {
                    continue;
                };
                let value = mean_clv.get(&currency).copied().unwrap_or_default();
                let sign = if self.stage(influencer.customer.as_str())? == Stage::Adversary {
                    -Decimal::ONE
                } else {
                    Decimal::ONE
                };
                let factor = conversion
                    .checked_mul(value)
                    .and_then(|f| f.checked_mul(sign))
                    .ok_or_else(overflow)?;
                let reach = ValuePart::new(mean, [low.max(Decimal::ZERO), high]);
                parts
                    .entry((influencer.customer.clone(), currency))
                    .or_default()[CIV] =
                    reach.scaled(factor, ESTIMATE_PLACES).ok_or_else(overflow)?;
            }
        }

        // CKV: each gain shared by the feedback events on its topic.
        for gain in &options.gains {
            let feedback = self.feedback_on(gain.topic.as_str(), gain.before);
            let events: u64 = feedback.iter().map(|(_, n)| n).sum();
            if events == 0 {
                continue;
            }
            if is_skipped(&gain.gain.currency) {
                continue;
            }
            let mut left = gain.gain.amount;
            let last = feedback.len() - 1;
            for (i, (customer, n)) in feedback.into_iter().enumerate() {
                let share = if i == last {
                    left
                } else {
                    round(
                        gain.gain
                            .amount
                            .checked_mul(Decimal::from(n))
                            .and_then(|a| a.checked_div(Decimal::from(events)))
                            .ok_or_else(overflow)?,
                    )
                };
                left = left.checked_sub(share).ok_or_else(overflow)?;
                let slot = &mut parts.entry((customer, gain.gain.currency)).or_default()[CKV];
                *slot = slot
                    .checked_add(&ValuePart::exact(share))
                    .ok_or_else(overflow)?;
            }
        }

        let values = parts
            .into_iter()
            .map(|((customer, currency), [clv, crv, civ, ckv])| {
                CustomerEngagementValue::new(customer, currency, clv, crv, civ, ckv)
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(EngagementValues::new(values).with_skipped(skipped))
    }
}
