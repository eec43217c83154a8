//! [`Simulation::engagement_values`]: each simulated customer's engagement
//! value, by counterfactual runs with groups of customers switched off.

use std::sync::Arc;

use rayon::prelude::*;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use super::Simulation;
use super::attribution::{Actors, Attribution};
use super::book::Discounting;
use super::period::Credits;
use super::rng::splitmix64;
use super::scenario::Prices;
use crate::cev::{CustomerEngagementValue, EngagementValues, ValuePart};
use crate::error::{Error, Result};
use crate::propagation::MonteCarloSettings;
use crate::value::{ESTIMATE_PLACES, MoneyEstimate};

/// Groups of customers switched on one after the other in each run.
pub const GROUPS: u32 = 8;

/// Salts of the keyed draws of a run's groups, their order and the coalition.
const GROUP_SALT: u64 = 0xC0FF_EE00_0000_0001;
const ORDER_SALT: u64 = 0xC0FF_EE00_0000_0002;
const COALITION_SALT: u64 = 0xC0FF_EE00_0000_0003;

/// Who did what in one run, per customer.
#[derive(Debug, Clone)]
pub(crate) struct Recorded {
    /// Referral sales credited to them.
    referrals: Vec<u32>,
    /// Messages (praise or criticism) credited to them, referral sales included.
    messages: Vec<u32>,
    /// Feedback items they gave.
    feedback: Vec<u32>,
    /// Present value of the margin of their own purchases.
    own: Vec<Decimal>,
}

impl Recorded {
    pub(crate) fn new(n: usize) -> Self {
        Recorded {
            referrals: vec![0; n],
            messages: vec![0; n],
            feedback: vec![0; n],
            own: vec![Decimal::ZERO; n],
        }
    }

    /// Counts the messages of a period by who is credited with them.
    pub(crate) fn messages(&mut self, credited: &[u32]) {
        for &c in credited {
            if let Some(m) = self.messages.get_mut(c as usize) {
                *m = m.saturating_add(1);
            }
        }
    }

    /// Adds a period's referral sales, feedback and purchases.
    ///
    /// # Errors
    /// [`Error::Overflow`] when a margin does not fit a `Decimal`.
    pub(crate) fn period(
        &mut self,
        credits: &Credits,
        prices: &Prices,
        t: u32,
        discounting: &mut Discounting,
    ) -> Result<()> {
        let overflow = || Error::overflow("a customer's margin");
        let cost = prices.unit_cost().ok_or_else(overflow)?;
        let full = prices.unit_price.checked_sub(cost).ok_or_else(overflow)?;
        let reduced = prices
            .discounted_price()
            .and_then(|p| p.checked_sub(cost))
            .ok_or_else(overflow)?;
        let margins = [
            discounting.present_value(full, t)?,
            discounting.present_value(reduced, t)?,
        ];
        for &(node, discounted) in &credits.bought {
            if let Some(own) = self.own.get_mut(node as usize) {
                *own = own
                    .checked_add(margins[usize::from(discounted)])
                    .ok_or_else(overflow)?;
            }
        }
        for &from in &credits.referral_from {
            if let Some(r) = self.referrals.get_mut(from as usize) {
                *r = r.saturating_add(1);
            }
        }
        for &by in &credits.feedback_by {
            if let Some(f) = self.feedback.get_mut(by as usize) {
                *f = f.saturating_add(1);
            }
        }
        Ok(())
    }

    /// Customer `i`'s credited (referral sales, other messages, feedback).
    fn weights(&self, i: usize) -> [u64; 3] {
        let r = self.referrals.get(i).copied().unwrap_or(0);
        let m = self.messages.get(i).copied().unwrap_or(0);
        let f = self.feedback.get(i).copied().unwrap_or(0);
        [u64::from(r), u64::from(m.saturating_sub(r)), u64::from(f)]
    }
}

/// Every simulated customer's engagement value, from
/// [`Simulation::engagement_values`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SimulatedEngagement {
    /// Every customer's CEV, ranked, with 95% intervals over runs.
    pub values: EngagementValues,
    /// The customers' CRV + CIV + CKV added up, per run, as an estimate:
    /// it agrees with `attribution.customer` up to the sampling of the
    /// coalition (see [`Simulation::engagement_values`]).
    pub social_total: MoneyEstimate,
    /// The attribution by actor over the same runs.
    pub attribution: Attribution,
    /// The number of groups of customers switched on one after the other.
    pub groups: u32,
}

/// One line: the customers' CRV + CIV + CKV against the customer actor's
/// attribution, each with its 95% interval, in the currency, over the runs;
/// amounts rounded half-even to the format's precision (`{:.0}`), else 2
/// places.
///
/// `customers' CRV + CIV + CKV 1202 USD (95% CI 745 to 1659) against the
/// customer actor's attribution 1566 USD (95% CI 1369 to 1764), 6 runs`
impl std::fmt::Display for SimulatedEngagement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let places = f
            .precision()
            .map_or(2, |p| u32::try_from(p).unwrap_or(u32::MAX));
        let round =
            |d: Decimal| d.round_dp_with_strategy(places, RoundingStrategy::MidpointNearestEven);
        let estimate = |e: &MoneyEstimate| {
            format!(
                "{} {} (95% CI {} to {})",
                round(e.mean),
                self.attribution.currency,
                round(e.ci95[0]),
                round(e.ci95[1])
            )
        };
        write!(
            f,
            "customers' CRV + CIV + CKV {} against the customer actor's attribution {}, {} runs",
            estimate(&self.social_total),
            estimate(&self.attribution.customer),
            self.attribution.runs
        )
    }
}

/// One run's parts per customer: CLV, CRV, CIV, CKV.
type RunParts = Vec<[Decimal; 4]>;

impl Simulation {
    /// Every customer's engagement value in the value loop, CLV + CRV + CIV +
    /// CKV, with 95% intervals over `settings.runs()` runs (runs `0..runs` of
    /// the scenario's seed, on the settings' threads), and the attribution by
    /// actor over the same runs.
    ///
    /// # What is measured
    ///
    /// * **CLV**: the present value of the margin of the customer's own
    ///   purchases over the horizon, in the scenario as written (not a BTYD
    ///   forecast: the simulation knows what they bought).
    /// * **CRV + CIV + CKV**: what switching the customer's contributions off
    ///   (their word of mouth as a speaker and their feedback, the customer
    ///   actor's contributions of [`Attribution`], per customer) costs, on
    ///   common random numbers. Switching customers off one by one costs a
    ///   run per customer, so each run draws (keyed by seed and run) a
    ///   partition of the customers into [`GROUPS`] random groups, an order
    ///   of the groups, and the actors who joined before the customers with
    ///   the Shapley weights (nobody 1/3, the brand 1/6, the business 1/6,
    ///   both 1/3); it runs the scenario with the groups switched on one after
    ///   the other, and a group's value is the gain when it is switched on.
    ///   The gains add up to the customer actor's marginal value in that
    ///   coalition exactly, and over the random coalitions to its Shapley
    ///   value, so the customers' total agrees with the attribution's
    ///   customer value within sampling error (a test). Cost per run: the
    ///   attribution's eight runs, [`GROUPS`] chain runs and one run that
    ///   records purchases: 17 runs of the scenario.
    /// * Within a group, its gain is shared by what the engine credits each
    ///   member with in the run where the group is switched on: referral sales
    ///   (CRV), other messages of word of mouth (CIV: praise and criticism
    ///   that reached someone, relays included) and feedback items (CKV),
    ///   each gain times its count over the group's total count (rounded to
    ///   millionths, the residual to the largest count, so the parts add up
    ///   to the gain exactly). A group whose members are credited with
    ///   nothing but whose gain is not zero (listening heard them) shares it
    ///   equally as CIV (the only case where a customer credited with nothing
    ///   gets a part).
    ///
    /// ```
    /// use social_loop::sim::{GeneratedNetwork, NetworkSpec, Scenario, Simulation};
    /// use social_loop::propagation::MonteCarloSettings;
    /// let scenario = Scenario::default()
    ///     .network(NetworkSpec::Generated(GeneratedNetwork::micro_communities(300, 30, 6.0)?))
    ///     .horizon(8);
    /// let cev = Simulation::new(&scenario)?.engagement_values(MonteCarloSettings::new(4, 0)?)?;
    /// assert_eq!(cev.values.customers.len(), 300);
    /// let best = &cev.values.customers[0];
    /// println!("{best}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// As [`Simulation::run`] with an attribution; [`Error::Overflow`].
    ///
    /// # Complexity
    /// 17 runs of the scenario per run, in parallel over runs and chain steps.
    pub fn engagement_values(&self, settings: MonteCarloSettings) -> Result<SimulatedEngagement> {
        settings.install(|| self.engagement_on_pool(settings.runs()))
    }

    fn engagement_on_pool(&self, runs: u64) -> Result<SimulatedEngagement> {
        let (seed, currency) = self.seed_and_currency();
        let eight = self.attribution_runs(runs, u64::from(GROUPS) + 1)?;
        let attribution = Attribution::from_runs(seed, currency, &eight)?;
        let n = self.population();
        let per_run: Vec<RunParts> = eight
            .par_iter()
            .enumerate()
            .map(|(r, values)| self.engagement_run(r as u32, values, n))
            .collect::<Result<_>>()?;
        let overflow = || Error::overflow("an engagement value");
        let social: Vec<Decimal> = per_run
            .iter()
            .map(|parts| {
                parts
                    .iter()
                    .flat_map(|p| &p[1..])
                    .try_fold(Decimal::ZERO, |s, &v| s.checked_add(v))
                    .ok_or_else(overflow)
            })
            .collect::<Result<_>>()?;
        let net = self.network();
        let values = (0..n)
            .into_par_iter()
            .map(|i| {
                let estimate = |k: usize| -> Result<ValuePart> {
                    let column: Vec<Decimal> = per_run
                        .iter()
                        .map(|p| p.get(i).map_or(Decimal::ZERO, |x| x[k]))
                        .collect();
                    let e = MoneyEstimate::of(&column)?;
                    Ok(ValuePart::new(e.mean, e.ci95))
                };
                let customer = net
                    .customer(i as u32)
                    .cloned()
                    .ok_or_else(|| Error::invalid("population", format!("no customer {i}")))?;
                CustomerEngagementValue::new(
                    customer,
                    currency,
                    estimate(0)?,
                    estimate(1)?,
                    estimate(2)?,
                    estimate(3)?,
                )
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(SimulatedEngagement {
            values: EngagementValues::new(values),
            social_total: MoneyEstimate::of(&social)?,
            attribution,
            groups: GROUPS,
        })
    }

    /// Run `run`'s parts per customer, given its eight attribution values.
    fn engagement_run(&self, run: u32, values: &[Decimal; 8], n: usize) -> Result<RunParts> {
        let (seed, _) = self.seed_and_currency();
        let key = |salt: u64, x: u64| {
            splitmix64(seed ^ splitmix64(u64::from(run) ^ splitmix64(salt ^ x)))
        };
        let group_of: Vec<u32> = (0..n as u64)
            .map(|i| (key(GROUP_SALT, i) % u64::from(GROUPS)) as u32)
            .collect();
        let mut order: Vec<u32> = (0..GROUPS).collect();
        order.sort_by_key(|&g| key(ORDER_SALT, u64::from(g)));
        let before = match key(COALITION_SALT, 0) % 6 {
            0 | 1 => 0,
            2 => 2,
            3 => 4,
            _ => 6,
        };
        // Step k switches on the first k groups of the order; step 0 is the
        // attribution's run without the customers.
        let steps: Vec<(Decimal, Option<Recorded>)> = (1..=GROUPS as usize)
            .into_par_iter()
            .map(|k| {
                let on = order.get(..k).unwrap_or(&order);
                let mut silenced = vec![0u64; n.div_ceil(64)];
                for (i, g) in group_of.iter().enumerate() {
                    if !on.contains(g)
                        && let Some(w) = silenced.get_mut(i / 64)
                    {
                        *w |= 1 << (i % 64);
                    }
                }
                self.counterfactual(
                    run,
                    Actors::of_mask(before | 1),
                    Some(Arc::from(silenced)),
                    true,
                    None,
                )
            })
            .collect::<Result<_>>()?;
        let (_, own) = self.counterfactual(run, Actors::ALL, None, true, None)?;
        let overflow = || Error::overflow("an engagement value");
        let mut parts: RunParts = vec![[Decimal::ZERO; 4]; n];
        if let Some(own) = own {
            for (p, v) in parts.iter_mut().zip(own.own) {
                p[0] = v;
            }
        }
        let mut previous = values.get(before).copied().unwrap_or_default();
        for ((value, recorded), &group) in steps.into_iter().zip(&order) {
            let gain = value.checked_sub(previous).ok_or_else(overflow)?;
            previous = value;
            if gain.is_zero() {
                continue;
            }
            let members: Vec<usize> = (0..n)
                .filter(|&i| group_of.get(i) == Some(&group))
                .collect();
            let weights: Vec<[u64; 3]> = members
                .iter()
                .map(|&i| recorded.as_ref().map_or([0; 3], |r| r.weights(i)))
                .collect();
            share(gain, &members, &weights, &mut parts)?;
        }
        if Some(&previous) != values.get(before | 1) {
            return Err(Error::invalid(
                "engagement",
                "the chain of groups did not reach the attribution's run (common random numbers broken)",
            ));
        }
        Ok(parts)
    }
}

/// Shares `gain` among `members` by their credited counts (CRV, CIV, CKV),
/// exactly: millionths, the residual to the largest count; equally as CIV
/// when nobody is credited.
fn share(
    gain: Decimal,
    members: &[usize],
    weights: &[[u64; 3]],
    parts: &mut RunParts,
) -> Result<()> {
    let overflow = || Error::overflow("an engagement value");
    let total: u64 = weights.iter().flatten().sum();
    let (weights, total): (Vec<[u64; 3]>, u64) = if total == 0 {
        (vec![[0, 1, 0]; members.len()], members.len() as u64)
    } else {
        (weights.to_vec(), total)
    };
    if total == 0 {
        return Ok(());
    }
    let mut left = gain;
    let mut largest: Option<(u64, usize, usize)> = None;
    for (m, (&i, w)) in members.iter().zip(&weights).enumerate() {
        for (k, &count) in w.iter().enumerate() {
            if count == 0 {
                continue;
            }
            let amount = gain
                .checked_mul(Decimal::from(count))
                .and_then(|a| a.checked_div(Decimal::from(total)))
                .ok_or_else(overflow)?
                .round_dp_with_strategy(ESTIMATE_PLACES, RoundingStrategy::MidpointNearestEven);
            if let Some(slot) = parts.get_mut(i).and_then(|p| p.get_mut(k + 1)) {
                *slot = slot.checked_add(amount).ok_or_else(overflow)?;
            }
            left = left.checked_sub(amount).ok_or_else(overflow)?;
            if largest.is_none_or(|(c, _, _)| count > c) {
                largest = Some((count, m, k));
            }
        }
    }
    if let Some((_, m, k)) = largest
        && let Some(slot) = members
            .get(m)
            .and_then(|&i| parts.get_mut(i))
            .and_then(|p| p.get_mut(k + 1))
    {
        *slot = slot.checked_add(left).ok_or_else(overflow)?;
    }
    Ok(())
}
