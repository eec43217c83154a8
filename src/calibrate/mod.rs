//! Your own customers in the loop: a [`Calibration`] fits the value loop's
//! rates from a [`CustomerBook`], with the uncertainty of every estimate, and
//! [`Scenario::from_book`] turns the book and the fit into a scenario on which
//! ownership, engagement plans and seeding run as what-ifs.
//!
//! ```
//! use social_loop::calibrate::{Calibration, CalibrationOptions, EstimateSource};
//! use social_loop::crm::CustomerBook;
//! use social_loop::sim::{EventOptions, GeneratedNetwork, NetworkSpec, Scenario, Simulation};
//! // A simulated company, recorded as CRM events...
//! let scenario = Scenario::default()
//!     .network(NetworkSpec::Generated(GeneratedNetwork::micro_communities(300, 25, 4.0)?))
//!     .horizon(10);
//! let mut sim = Simulation::new(&scenario)?.record_events(EventOptions::default())?;
//! sim.run_to_horizon()?;
//! let mut book = CustomerBook::new();
//! for event in sim.take_events() {
//!     book.apply(&event);
//! }
//! // ...fitted back.
//! let fit = Calibration::fit(&book, CalibrationOptions::default())?;
//! let repeat = &fit.parameters["purchase_frequency"];
//! assert_eq!(repeat.source, EstimateSource::Fitted);
//! assert!(repeat.ci95[0] < repeat.ci95[1]);
//! let what_if = Scenario::from_book(&book, &fit)?;
//! assert_eq!(what_if.get_purchase_frequency().get(), repeat.estimate);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # The likelihood
//!
//! The book replays every customer's events with its rules, so each customer
//! has an audit trail: every cause with its time and whether it moved them.
//! Time is cut into periods (`--period`, a week by default) from the book's
//! first event; the last period is censored at the book's last event. Every
//! estimate is a binomial maximum likelihood estimate `k / n` (the likelihood
//! of independent per-period or per-cause chances, which is what the
//! simulation draws), with the standard error `sqrt(p (1 - p) / n)` and the
//! Wilson score interval (never zero-width, inside `[0, 1]`):
//!
//! | parameter (its JSON path in a scenario) | tries `n` | successes `k` |
//! |---|---|---|
//! | `rates.transitions.<rule>` | causes that met the rule's stage (a cause the simulation drew without its move is an `unmoved` event) | causes that moved the customer |
//! | `purchase_frequency` | periods as a customer or an advocate at the purchase step | purchases |
//! | `rates.conversion` | periods as a prospect without praise that period | purchases |
//! | `rates.exposure` | periods unaware at the start | exposures |
//! | `population.initial.<stage>` | customers the book knew at the end of `--at` | in that stage |
//! | `prices.unit_price` | purchases with an amount in the first currency met, in periods without a discount | mean amount (a normal interval; a constant price is known to half a cent) |
//!
//! **Word of mouth** (`rates.advocate_talk`, `rates.adversary_talk`,
//! `network.generated.tie_probability`) is fitted jointly by maximum
//! likelihood, from the word-of-mouth contacts of each period (`referral`,
//! `criticism` and their `unmoved` causes, with who told them) on the book's
//! network. The simulation's mechanism (see [`crate::sim`] and
//! [`crate::propagation`]'s one cascade per period): each advocate
//! (adversary) at the period's start talks with chance `a+` (`a-`); the
//! talkers start one cascade in which every tie carries the talk with the tie
//! probability `p` and every customer reached passes it on; a reached
//! customer is credited to one of the talkers with a live tie into them.
//! So, per period, with the talkers known from the contacts (the reached and
//! the credited):
//!
//! * a listener who could not talk (not an advocate or adversary) with `m`
//!   ties from talkers was reached with chance `1 - (1 - p)^m`, and credited
//!   to a given one of them with `(1 - (1 - p)^m) / m`;
//! * a potential speaker credited with a contact and not reached talked
//!   (`a`); one reached did not (talkers are never reached): `(1 - a)` times
//!   the reach of a listener;
//! * a potential speaker neither credited nor reached either did not talk
//!   and no tie from a talker reached them, `(1 - a)(1 - p)^m`, or talked and
//!   none of their ties carried it to an unreached listener, and every
//!   reached listener they have a tie to was credited to another talker,
//!   `a (1 - p)^d` times, per such listener, the ratio of its credit chance
//!   with one more talker to without.
//!
//! The product over periods is maximised over the logits (argmin's
//! Nelder-Mead then BFGS, as the CLV fits); the standard errors come from the
//! observed information (a finite-difference Hessian) on the logit scale, the
//! 95% interval is the logit-Wald one mapped back (inside `(0, 1)`, never
//! zero-width). Approximations, documented: the connectivity of the cascade
//! is not required of the reached (each listener's reach is taken alone),
//! silent potential speakers who share a listener are taken one at a time,
//! ties between two silent potential speakers carry no information, one `p`
//! serves every tie (as in a generated network), an advocacy programme's
//! raised talk is not told apart (the book does not say which advocates it
//! landed on), and the signed cascade's sides share the activation. The
//! coverage test shows the intervals covering at their rate. Fewer than
//! [`MIN_TRIES`] contacts leave all three at their defaults; fewer than
//! [`MIN_TRIES`] periods of advocates (adversaries) leave that talk rate at
//! its default; a flat or not concave likelihood leaves the parameter at its
//! default, each with the reason.
//!
//! **Books without `unmoved` events.** A book with no `unmoved` event at all
//! (a real CRM's, which records only what happened) cannot tell a rule's
//! chance from 1, and the time its customers spend in each stage does not
//! help: the book's stages are its own rules applied to its events, every
//! recorded cause with a row moves its customer, so a stay in a stage ends
//! exactly at the first such cause and the competing-risks rate of leaving a
//! stage by a cause (moves by it over the periods at risk, censored at the
//! book's end) is the rate at which that cause occurs. Where the scenario
//! has that rate as a parameter it is fitted so (`rates.exposure`,
//! `rates.conversion`, `purchase_frequency` are exactly these censored
//! per-period rates); a row's chance *given* its cause is not identifiable,
//! and the transition rows keep their defaults with that reason.
//!
//! The per-period rates are converted to the scenario's per-week rates
//! (`1 - (1 - p)^7` for days), the talk rates too (the tie probability is per
//! cascade, not per time). A rule with fewer than [`MIN_TRIES`] tries,
//! and every parameter the book says nothing about (contact, shares of
//! delight and outrage, feedback), keeps its documented default with
//! `"source": "default"`, a `reason`, the whole domain `[0, 1]` as its
//! interval and the standard deviation of a uniform guess on it.
//!
//! Events whose source actor is [`INITIAL_STATE`](crate::sim::INITIAL_STATE)
//! (written by a simulation for its starting population) set a customer's
//! starting state and are not counted.

mod interval;
mod scenario;
mod talk;
mod tally;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::crm::{Currency, CustomerBook, Timestamp};
use crate::customer::{RuleId, Stage};
use crate::error::{Error, Result};
use crate::sim::{Period, Scenario};
use interval::{binomial, mean, per_week, whole_domain};
use tally::{Grid, count};

/// Fewer tries than this leave a rate at its default.
pub const MIN_TRIES: u64 = 10;

/// The JSON path of the word-of-mouth tie probability (of a generated
/// network).
pub const TIE_PROBABILITY: &str = "network.generated.tie_probability";

/// Where an estimate comes from.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EstimateSource {
    /// Fitted to the book.
    Fitted,
    /// The documented default: the book cannot identify it (see `reason`).
    Default,
}

/// One parameter's estimate, in the units of the scenario file.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// The maximum likelihood estimate (or the default).
    pub estimate: f64,
    /// Its standard error.
    pub std_err: f64,
    /// The 95% interval, `lo < hi`.
    pub ci95: [f64; 2],
    /// Fitted or default.
    pub source: EstimateSource,
    /// Why a default was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Estimate {
    /// Whether `value` lies inside the 95% interval (ends included).
    pub fn covers(&self, value: f64) -> bool {
        self.ci95[0] <= value && value <= self.ci95[1]
    }
}

/// How to read a book: the period length, and the date of the stage shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CalibrationOptions {
    period: Period,
    at: Option<Timestamp>,
}

impl CalibrationOptions {
    /// The length of one period (default a week).
    #[must_use]
    pub fn period(mut self, period: Period) -> Self {
        self.period = period;
        self
    }

    /// Read the stage shares at the end of the (UTC) day of `at` (default:
    /// the book's last event).
    #[must_use]
    pub fn at(mut self, at: Timestamp) -> Self {
        self.at = Some(at);
        self
    }

    /// The period length.
    pub fn get_period(&self) -> Period {
        self.period
    }

    /// The date of the stage shares, if set.
    pub fn get_at(&self) -> Option<Timestamp> {
        self.at
    }
}

/// The value loop's rates fitted to a book (see the [module](self) for the
/// likelihood).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// Customers in the book.
    pub customers: u64,
    /// Events in the book.
    pub events: u64,
    /// Every parameter by its JSON path in a scenario.
    pub parameters: BTreeMap<String, Estimate>,
    /// The period length the rates were fitted with.
    pub period: Period,
    /// Periods observed.
    pub periods: u64,
    /// The currency of the purchases (the first met), if any.
    pub currency: Option<Currency>,
}

const DAY_MILLIS: i64 = 86_400_000;

impl Calibration {
    /// Fits the rates of the value loop to `book`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `book`) when the book has no events.
    ///
    /// # Complexity
    /// O(events + customers), parallel over customers on the rayon pool; then
    /// the word of mouth, on one thread: the book's network compiled once
    /// (O(ties)), and per period the out-ties of that period's talkers and
    /// potential speakers (O(periods x advocates and adversaries x their
    /// ties) at most), then a three-parameter optimisation on statistics
    /// grouped by kind.
    pub fn fit(book: &CustomerBook, options: CalibrationOptions) -> Result<Calibration> {
        let origin = book.store().records.iter().map(|r| r.at).min();
        let (Some(origin), Some(latest)) = (origin, book.latest()) else {
            return Err(Error::invalid(
                "book",
                "the book is empty: no events to calibrate from",
            ));
        };
        let length = crate::sim::period_millis(options.period);
        let latest = latest.unix_millis();
        let at = match options.at {
            Some(day) => day.unix_millis().div_euclid(DAY_MILLIS) * DAY_MILLIS + DAY_MILLIS - 1,
            None => latest,
        };
        let periods = (latest - origin).div_euclid(length) + 1;
        let currency = book.store().money.first().map(|m| m.currency);
        let grid = Grid {
            origin,
            length,
            periods,
            at,
            currency,
        };
        let tally = count(book, &grid);
        let defaults = Scenario::default();
        let rates = defaults.get_rates();
        let mut parameters = BTreeMap::new();
        for id in RuleId::all() {
            let c = tally.rules.get(id.index()).copied().unwrap_or_default();
            let default = rates.get_transitions().get(id).get();
            let estimate = if tally.unmoved == 0 {
                // Every recorded cause moves under the book's rules: without a
                // record of the causes that did not, a chance is not told from 1.
                whole_domain(
                    default,
                    "the book records no cause without its move (no `unmoved` events): under the book's rules every recorded cause moves its customer, so the time in a stage ends at the first such cause and measures how often the cause occurs (fitted as rates.exposure, rates.conversion, purchase_frequency), not this rule's chance given the cause",
                )
            } else {
                binomial(c, MIN_TRIES, default, "causes that met this rule")
            };
            parameters.insert(format!("rates.transitions.{}", id.name()), estimate);
        }
        let per_week_rates = [
            (
                "purchase_frequency",
                tally.repeat,
                defaults.get_purchase_frequency().get(),
                "periods as a customer or an advocate",
            ),
            (
                "rates.conversion",
                tally.conversion,
                rates.get_conversion().get(),
                "periods as a prospect without praise",
            ),
            (
                "rates.exposure",
                tally.exposure,
                rates.get_exposure().get(),
                "periods unaware",
            ),
        ];
        for (path, c, default, what) in per_week_rates {
            let e = binomial(c, MIN_TRIES, default, what);
            let e = if e.source == EstimateSource::Fitted {
                per_week(e, options.period)
            } else {
                e
            };
            parameters.insert(path.to_string(), e);
        }
        let known: u64 = tally.stages.iter().sum();
        let mix = defaults.get_population().get_initial();
        for stage in Stage::ALL {
            let k = tally.stages.get(stage.index()).copied().unwrap_or(0);
            let c = tally::Count {
                tries: known,
                hits: k,
            };
            parameters.insert(
                format!("population.initial.{}", stage.name()),
                binomial(c, 1, mix[stage], "customers known at the date"),
            );
        }
        let price = defaults.get_prices().unit_price;
        parameters.insert(
            "prices.unit_price".to_string(),
            mean(tally.spend, f64::try_from(price).unwrap_or(40.0)),
        );
        let tie_default = match defaults.get_network() {
            crate::sim::NetworkSpec::Generated(g) => g.tie_probability.get(),
            _ => 0.05,
        };
        let word_of_mouth = talk::fit(
            &talk::gather(book, &grid, &tally),
            [
                rates.get_advocate_talk().get(),
                rates.get_adversary_talk().get(),
                tie_default,
            ],
        );
        let [praise, criticism, tie] = word_of_mouth;
        for (path, e) in [
            ("rates.advocate_talk", praise),
            ("rates.adversary_talk", criticism),
        ] {
            let e = if e.source == EstimateSource::Fitted {
                per_week(e, options.period)
            } else {
                e
            };
            parameters.insert(path.to_string(), e);
        }
        parameters.insert(TIE_PROBABILITY.to_string(), tie);
        let not_recorded = [
            (
                "rates.contact",
                rates.get_contact().get(),
                "the book does not tell a contact's experience from an engagement's or a purchase's",
            ),
            (
                "rates.delight_share",
                rates.get_delight_share().get(),
                "good experiences of engagements (advocacy programmes always delight) are not told apart from contacts",
            ),
            (
                "rates.outrage_share",
                rates.get_outrage_share().get(),
                "inconsistent experiences (disappointing by the ownership's consistency) are not told apart from bad ones",
            ),
            (
                "rates.referral_conversion",
                rates.get_referral_conversion().get(),
                "not fitted in this version: it needs the own conversion of the same periods",
            ),
        ];
        for (path, default, reason) in not_recorded {
            parameters.insert(path.to_string(), whole_domain(default, reason));
        }
        Ok(Calibration {
            customers: book.customer_count() as u64,
            events: book.event_count() as u64,
            parameters,
            period: options.period,
            periods: periods.max(0) as u64,
            currency,
        })
    }

    /// `scenario` with every fitted parameter (and the period length and
    /// the currency) set.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when a fitted value is outside its field's
    /// domain (it cannot be: estimates are in `[0, 1]`, shares sum to 1).
    pub fn apply(&self, scenario: &Scenario) -> Result<Scenario> {
        scenario::apply(self, scenario)
    }
}
