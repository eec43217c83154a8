//! Customer lifetime value: discounted expected residual margin, in the
//! customer's currency, with an interval from the parameters' uncertainty.
//!
//! ```text
//! CLV = margin · E[spend per transaction] · DET
//! ```
//!
//! where `DET` is the expected number of transactions after the calibration
//! end, each discounted continuously at `δ = ln(1 + annual discount)` per year
//! (per period: divided by the periods in a year), up to the horizon or
//! without end (see [`discount`](super::discount)). `E[spend]` is the
//! Gamma-Gamma conditional expectation when a [`SpendFit`] is given;
//! otherwise the customer's own mean repeat spend, or for a customer without
//! a repeat the mean of the repeat buyers' means.
//!
//! **Interval.** `draws` parameter vectors are drawn from each fit's normal
//! approximation on the log scale (`ln θ ~ N(ln θ̂, H⁻¹)`, the same
//! approximation as the fits' intervals), from a `Xoshiro256PlusPlus` seeded
//! with `seed` (transaction model first, then spend, draw by draw); the CLV
//! of each customer is recomputed under every draw and `clv_ci95` is the 2.5%
//! and 97.5% quantiles (linear interpolation). It reflects parameter
//! uncertainty only, not the randomness of the customer's own future.

use std::collections::HashMap;

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::discount::DiscountRule;
use super::model::{Params, TransactionFit};
use super::triples::{Compressed, Triple};
use super::{GammaGamma, Period, SpendFit, Summaries};
use crate::crm::Currency;
use crate::customer::CustomerId;
use crate::error::{Error, Result};

/// How [`CustomerValues::compute`] values customers.
///
/// ```
/// use social_loop::clv::ValueOptions;
/// let options = ValueOptions::default().margin(0.3)?.annual_discount(0.1)?.horizon_periods(104)?.draws(200);
/// assert_eq!(options.get_horizon_periods(), Some(104));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ValueOptions {
    margin: f64,
    annual_discount: f64,
    horizon_periods: Option<u32>,
    draws: u32,
    seed: u64,
}

impl Default for ValueOptions {
    /// Margin 0.3, annual discount 0.1, no horizon (to infinity), 100 draws, seed 0.
    fn default() -> Self {
        ValueOptions {
            margin: 0.3,
            annual_discount: 0.1,
            horizon_periods: None,
            draws: 100,
            seed: 0,
        }
    }
}

impl ValueOptions {
    /// The gross margin, a share of the spend in `(0, 1]`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `margin`) outside `(0, 1]`.
    pub fn margin(mut self, margin: f64) -> Result<Self> {
        if !(margin > 0.0 && margin <= 1.0) {
            return Err(Error::invalid(
                "margin",
                format!("{margin} is not in (0, 1]"),
            ));
        }
        self.margin = margin;
        Ok(self)
    }

    /// The annual discount rate, at least 0 (0.1 = 10% a year).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `annual_discount`) for a negative or
    /// non-finite rate.
    pub fn annual_discount(mut self, rate: f64) -> Result<Self> {
        if !(rate.is_finite() && rate >= 0.0) {
            return Err(Error::invalid(
                "annual_discount",
                format!("{rate} is not a rate of at least 0"),
            ));
        }
        self.annual_discount = rate;
        Ok(self)
    }

    /// The horizon in periods, at least 1 (default: none, to infinity).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `horizon_periods`) for 0.
    pub fn horizon_periods(mut self, periods: u32) -> Result<Self> {
        if periods == 0 {
            return Err(Error::invalid("horizon_periods", "must be at least 1"));
        }
        self.horizon_periods = Some(periods);
        Ok(self)
    }

    /// Parameter draws for the interval (0: no interval, it is the point value twice).
    #[must_use]
    pub fn draws(mut self, draws: u32) -> Self {
        self.draws = draws;
        self
    }

    /// The seed of the parameter draws.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// See [`ValueOptions::margin`].
    pub fn get_margin(&self) -> f64 {
        self.margin
    }
    /// See [`ValueOptions::annual_discount`].
    pub fn get_annual_discount(&self) -> f64 {
        self.annual_discount
    }
    /// See [`ValueOptions::horizon_periods`].
    pub fn get_horizon_periods(&self) -> Option<u32> {
        self.horizon_periods
    }
}

/// One customer's predictions and value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CustomerValue {
    /// The customer.
    pub customer: CustomerId,
    /// Repeat transactions in calibration.
    pub x: u32,
    /// Time of the last repeat.
    pub t_x: f64,
    /// Time observed (`T`).
    pub t_cal: f64,
    /// Expected transactions in the holdout period, when there is one.
    pub expected_holdout: Option<f64>,
    /// Probability of being alive at the calibration end.
    pub p_alive: f64,
    /// Expected spend per future transaction, rounded to hundredths.
    #[serde(with = "rust_decimal::serde::str")]
    pub expected_spend: Decimal,
    /// Discounted expected transactions after the calibration end.
    pub discounted_transactions: f64,
    /// CLV, rounded to hundredths of the currency.
    #[serde(with = "rust_decimal::serde::str")]
    pub clv: Decimal,
    /// The 95% interval of the CLV over parameter draws.
    pub clv_ci95: [Decimal; 2],
}

/// Every customer's value, and the holdout comparison when there is one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CustomerValues {
    /// One entry per customer, in the order of the summaries.
    pub customers: Vec<CustomerValue>,
    /// The currency of the amounts, when known.
    pub currency: Option<Currency>,
    /// Predicted and actual repeat transactions in the holdout, in total.
    pub holdout: Option<HoldoutTotals>,
}

/// Predicted against actual repeat transactions in the holdout.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct HoldoutTotals {
    /// `Σ E[Y(holdout)]` over customers.
    pub predicted: f64,
    /// Transactions observed in the holdout.
    pub actual: u64,
}

/// What each distinct triple needs: predictions at θ̂ and DET per draw.
struct TripleValue {
    p_alive: f64,
    holdout: Option<f64>,
    det: f64,
    det_draws: Vec<f64>,
}

impl CustomerValues {
    /// Predicts and values every customer of `summaries` with the fitted
    /// transaction model and, optionally, a spend model. Times of summaries
    /// without a period (summary files) are taken to be weeks.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `annual_discount`) for a zero
    /// discount without a horizon (the value would be infinite), (field
    /// `spend`) for no spend at all, or when a model term cannot be evaluated;
    /// [`Error::Overflow`] for a value beyond `Decimal`.
    ///
    /// # Complexity
    /// O(n) plus O(distinct `(x, T)` × (draws + 1) × 25) evaluations of the
    /// expected transactions, in parallel (the result does not depend on the
    /// thread count).
    pub fn compute(
        summaries: &Summaries,
        fit: &TransactionFit,
        spend: Option<&SpendFit>,
        options: ValueOptions,
    ) -> Result<Self> {
        let period = summaries.period.unwrap_or(Period::Week);
        let delta = options.annual_discount.ln_1p() / period.per_year();
        let horizon = options.horizon_periods.map(f64::from);
        if horizon.is_none() && delta <= 0.0 {
            return Err(Error::invalid(
                "annual_discount",
                "0 without a horizon: the undiscounted value of an endless future is infinite",
            ));
        }
        let data = Compressed::new(&summaries.customers);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(options.seed);
        let t_factor = fit.estimates.draw_factor();
        let s_factor = spend.map(|s| s.estimates.draw_factor());
        let mut draws: Vec<(Params, Option<GammaGamma>)> =
            Vec::with_capacity(options.draws as usize);
        for _ in 0..options.draws {
            let theta = fit.estimates.draw(&t_factor, &mut rng);
            let gg = match (spend, &s_factor) {
                (Some(s), Some(f)) => Some(GammaGamma::from_theta(&s.estimates.draw(f, &mut rng))),
                _ => None,
            };
            draws.push((Params::of(fit.model, &theta), gg));
        }
        let point = fit.params();
        let holdout_length = summaries.holdout.as_ref().map(|h| h.length);
        // Expected transactions if alive depend on (x, T) only, not on t_x:
        // DET is computed once per distinct (x, T), then scaled by P(alive);
        // the x of one T share their ₂F₁ work. One task per T and model.
        let rule = DiscountRule::new(delta, horizon);
        let (groups, of_triple) = SameT::group(&data.triples);
        let models: Vec<&Params> = std::iter::once(&point)
            .chain(draws.iter().map(|(m, _)| m))
            .collect();
        let per_task: Vec<Vec<f64>> = (0..groups.len() * models.len())
            .into_par_iter()
            .map(|task| {
                let (group, model) = (task / models.len(), task % models.len());
                match (groups.get(group), models.get(model)) {
                    // Only the point estimate's failure is an error; a draw's is NaN.
                    (Some(g), Some(m)) => g.discounted_if_alive(m, &rule, model == 0),
                    _ => Err(Error::invalid("summary", "lost group")),
                }
            })
            .collect::<Result<_>>()?;
        let det_of = |triple: usize, model: usize| -> Option<f64> {
            let &(group, position) = of_triple.get(triple)?;
            per_task
                .get(group * models.len() + model)?
                .get(position)
                .copied()
        };
        let per_triple: Vec<TripleValue> = data
            .triples
            .par_iter()
            .enumerate()
            .map(|(n, t)| {
                let det = det_of(n, 0).ok_or_else(|| Error::invalid("summary", "lost pair"))?;
                let p_alive = point.p_alive(t.x, t.t_x, t.t_cal);
                Ok(TripleValue {
                    p_alive,
                    holdout: holdout_length
                        .map(|h| point.expected(t.x, t.t_x, t.t_cal, h))
                        .transpose()?,
                    det: det * p_alive,
                    det_draws: draws
                        .iter()
                        .enumerate()
                        .map(|(d, (m, _))| {
                            det_of(n, d + 1).unwrap_or(f64::NAN) * m.p_alive(t.x, t.t_x, t.t_cal)
                        })
                        .collect(),
                })
            })
            .collect::<Result<_>>()?;
        let fallback_spend = mean_of_means(summaries)?;
        let customers = summaries
            .customers
            .par_iter()
            .zip(data.of_customer.par_iter())
            .map(|(c, &n)| {
                let tv = per_triple
                    .get(n as usize)
                    .ok_or_else(|| Error::invalid("summary", "lost triple"))?;
                let x = f64::from(c.x());
                let own = c.mean_spend().and_then(|d| f64::try_from(d).ok());
                let spend_with = |gg: Option<&GammaGamma>| -> Result<f64> {
                    match gg {
                        Some(m) => m.expected_spend(x, own.unwrap_or(0.0)),
                        None => Ok(own.unwrap_or(fallback_spend)),
                    }
                };
                let spend_hat = spend_with(spend.map(|s| &s.model))?;
                let clv = options.margin * spend_hat * tv.det;
                let mut sampled: Vec<f64> = draws
                    .iter()
                    .zip(&tv.det_draws)
                    .map(|((_, gg), det)| {
                        let s = spend_with(gg.as_ref()).unwrap_or(f64::NAN);
                        options.margin * s * det
                    })
                    .filter(|v| v.is_finite())
                    .collect();
                sampled.sort_by(f64::total_cmp);
                let ci = if sampled.is_empty() {
                    [clv, clv]
                } else {
                    [quantile(&sampled, 0.025), quantile(&sampled, 0.975)]
                };
                Ok(CustomerValue {
                    customer: c.customer().clone(),
                    x: c.x(),
                    t_x: c.t_x(),
                    t_cal: c.t_cal(),
                    expected_holdout: tv.holdout,
                    p_alive: tv.p_alive,
                    expected_spend: money(spend_hat, "expected spend")?,
                    discounted_transactions: tv.det,
                    clv: money(clv, "clv")?,
                    clv_ci95: [money(ci[0], "clv interval")?, money(ci[1], "clv interval")?],
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let holdout = summaries.holdout.as_ref().map(|h| HoldoutTotals {
            predicted: customers.iter().filter_map(|c| c.expected_holdout).sum(),
            actual: h.actual.iter().map(|&a| u64::from(a)).sum(),
        });
        Ok(CustomerValues {
            customers,
            currency: summaries.currency,
            holdout,
        })
    }
}

/// The distinct repeat counts among the customers observed for one `T`.
struct SameT {
    t_cal: f64,
    /// Strictly ascending.
    xs: Vec<u32>,
}

impl SameT {
    /// The groups of `triples` by `T` (in order of first appearance) and,
    /// per triple, its group and the position of its `x` there.
    fn group(triples: &[Triple]) -> (Vec<SameT>, Vec<(usize, usize)>) {
        let mut index: HashMap<u64, usize> = HashMap::new();
        let mut groups: Vec<SameT> = Vec::new();
        let group_of: Vec<usize> = triples
            .iter()
            .map(|t| {
                let g = *index.entry(t.t_cal.to_bits()).or_insert_with(|| {
                    groups.push(SameT {
                        t_cal: t.t_cal,
                        xs: Vec::new(),
                    });
                    groups.len() - 1
                });
                if let Some(group) = groups.get_mut(g) {
                    group.xs.push(t.x as u32); // a whole count of repeats
                }
                g
            })
            .collect();
        for group in &mut groups {
            group.xs.sort_unstable();
            group.xs.dedup();
        }
        let of_triple = triples
            .iter()
            .zip(group_of)
            .map(|(t, g)| {
                let position = groups
                    .get(g)
                    .and_then(|group| group.xs.binary_search(&(t.x as u32)).ok())
                    .unwrap_or(usize::MAX);
                (g, position)
            })
            .collect();
        (groups, of_triple)
    }

    /// DET if alive of each `x` under `model`, all at once where the model
    /// allows; one at a time otherwise, where a failure is an error when
    /// `strict` and NaN when not.
    fn discounted_if_alive(
        &self,
        model: &Params,
        rule: &DiscountRule,
        strict: bool,
    ) -> Result<Vec<f64>> {
        if let Some(det) = model.discounted_if_alive(&self.xs, self.t_cal, rule) {
            return Ok(det);
        }
        self.xs
            .iter()
            .map(|&x| {
                let det = rule.apply(|tau| model.expected_if_alive(f64::from(x), self.t_cal, tau));
                if strict {
                    det
                } else {
                    Ok(det.unwrap_or(f64::NAN))
                }
            })
            .collect()
    }
}

/// The mean of the repeat buyers' mean spends (0 when there is none).
fn mean_of_means(summaries: &Summaries) -> Result<f64> {
    let spends: Vec<f64> = summaries
        .customers
        .iter()
        .filter_map(|c| c.mean_spend().and_then(|d| f64::try_from(d).ok()))
        .collect();
    if spends.is_empty() {
        return Ok(0.0);
    }
    Ok(spends.iter().sum::<f64>() / spends.len() as f64)
}

/// The `q` quantile of sorted values, interpolating linearly.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len().saturating_sub(1)) as f64;
    let lo = pos.floor() as usize;
    let frac = pos - lo as f64;
    let a = sorted.get(lo).copied().unwrap_or(f64::NAN);
    let b = sorted.get(lo + 1).copied().unwrap_or(a);
    a + frac * (b - a)
}

/// `value` as money rounded to hundredths.
fn money(value: f64, what: &str) -> Result<Decimal> {
    if !value.is_finite() {
        return Err(Error::invalid(
            "clv",
            format!("the {what} is not finite ({value})"),
        ));
    }
    Decimal::from_f64_retain(value)
        .map(|d| d.round_dp(2))
        .ok_or_else(|| Error::overflow(format!("the {what} {value:e}")))
}
