//! [`Attribution`]: the value each actor creates, measured by switching its
//! contributions off on common random numbers.

use rayon::prelude::*;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::crm::Currency;
use crate::error::{Error, Result};
use crate::value::{Actor, ESTIMATE_PLACES, MoneyEstimate};

/// Which actors' contributions a run keeps (see [`Attribution`] for what
/// switching each off means).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Actors {
    pub(crate) customer: bool,
    pub(crate) brand: bool,
    pub(crate) business: bool,
}

impl Actors {
    /// Everyone contributes: the scenario as written.
    pub(crate) const ALL: Actors = Actors {
        customer: true,
        brand: true,
        business: true,
    };

    /// The actors of subset `mask` (bit 0 customer, bit 1 brand, bit 2
    /// business).
    pub(crate) fn of_mask(mask: usize) -> Actors {
        Actors {
            customer: mask & 1 != 0,
            brand: mask & 2 != 0,
            business: mask & 4 != 0,
        }
    }
}

/// One run's net present value split by actor: the Shapley values of the three
/// actors over the eight counterfactual runs, and the baseline (everyone's
/// contributions switched off).
///
/// `customer + brand + business + baseline == total`, exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ActorValues {
    /// The run (its random numbers are keyed by it).
    pub run: u64,
    /// Value created by customers' word of mouth, referrals and feedback.
    #[serde(with = "rust_decimal::serde::str")]
    pub customer: Decimal,
    /// Value created by the brand's engagements.
    #[serde(with = "rust_decimal::serde::str")]
    pub brand: Decimal,
    /// Value created by the business's changes.
    #[serde(with = "rust_decimal::serde::str")]
    pub business: Decimal,
    /// The run's value with every actor's contributions switched off.
    #[serde(with = "rust_decimal::serde::str")]
    pub baseline: Decimal,
    /// The run's value as the scenario is written.
    #[serde(with = "rust_decimal::serde::str")]
    pub total: Decimal,
}

impl ActorValues {
    /// The value created by `actor`.
    pub fn of(&self, actor: Actor) -> Decimal {
        match actor {
            Actor::Customer => self.customer,
            Actor::Brand => self.brand,
            Actor::Business => self.business,
        }
    }

    /// The Shapley values of `values` (indexed by subset mask: bit 0 customer,
    /// bit 1 brand, bit 2 business), rounded half-even to millionths; the
    /// millionth rounding may leave is given to the actor rounded furthest
    /// from it, so that the parts add up to `values[7] - values[0]` exactly.
    pub(crate) fn shapley(run: u64, values: &[Decimal; 8]) -> Result<ActorValues> {
        let overflow = || Error::overflow("an attribution");
        let v = |mask: usize| values.get(mask).copied().unwrap_or_default();
        // 6 x Shapley value: weight 2 for the empty and the two-actor
        // coalitions, 1 for the one-actor ones.
        let six_times = |bit: usize| -> Option<Decimal> {
            let mut sum = Decimal::ZERO;
            for mask in 0..8usize {
                if mask & bit != 0 {
                    continue;
                }
                let weight = match (mask as u32).count_ones() {
                    1 => Decimal::ONE,
                    _ => Decimal::TWO,
                };
                let gain = v(mask | bit).checked_sub(v(mask))?;
                sum = sum.checked_add(weight.checked_mul(gain)?)?;
            }
            Some(sum)
        };
        let six = Decimal::from(6);
        let mut parts = [Decimal::ZERO; 3];
        let mut errors = [Decimal::ZERO; 3];
        for (i, bit) in [1usize, 2, 4].into_iter().enumerate() {
            let exact = six_times(bit)
                .ok_or_else(overflow)?
                .checked_div(six)
                .ok_or_else(overflow)?;
            let rounded = exact
                .round_dp_with_strategy(ESTIMATE_PLACES, RoundingStrategy::MidpointNearestEven);
            parts[i] = rounded;
            errors[i] = exact - rounded;
        }
        let total = v(7);
        let baseline = v(0);
        let sum = parts
            .iter()
            .try_fold(baseline, |s, &p| s.checked_add(p))
            .ok_or_else(overflow)?;
        let residual = total.checked_sub(sum).ok_or_else(overflow)?;
        if !residual.is_zero() {
            // |residual| is one millionth at most: give it to the actor whose
            // rounding lost the most in its direction.
            let towards = |e: Decimal| if residual > Decimal::ZERO { e } else { -e };
            let mut pick = 0;
            for i in 1..3 {
                if towards(errors[i]) > towards(errors[pick]) {
                    pick = i;
                }
            }
            parts[pick] = parts[pick].checked_add(residual).ok_or_else(overflow)?;
        }
        Ok(ActorValues {
            run,
            customer: parts[0],
            brand: parts[1],
            business: parts[2],
            baseline,
            total,
        })
    }
}

/// The value created by the customer, the brand and the business, measured by
/// counterfactual runs on common random numbers, with 95% intervals over runs.
///
/// # What is measured
///
/// The value of a run is its **net present value**: each period's net cash
/// (the margin of its sales, less what engagements, referral rewards, agency
/// fees and changes cost; see [`ValueKind`](crate::value::ValueKind)),
/// discounted to period 0 at the scenario's discount rate. For each run the
/// scenario is run eight times, once for each subset of the three actors whose
/// contributions are switched **on**, all on the same random numbers (every
/// draw is keyed by seed, run, period, customer and purpose; see
/// [`crate::sim`]). Switching an actor off means:
///
/// * **customer**: no word of mouth (advocates and adversaries do not talk, so
///   nobody hears praise or criticism and there are no referral sales), and no
///   product feedback from customers (nothing they say reaches the business,
///   and listening hears nobody). Customers still buy on their own, have
///   contacts and experiences, and move by them.
/// * **brand**: no engagement runs (no content, discount, conversation, service
///   recovery, advocacy programme or listening), and nothing is paid for them:
///   no engagement cost, no referral reward, no agency fee.
/// * **business**: no change is made (neither scheduled nor commissioned from
///   the backlog) and none is paid for; experiences stay as good as they were.
///
/// The ownership levers stay as the scenario says whoever is switched off:
/// they describe the company (how consistent a contact is, how far feedback
/// travels), not one actor's contribution.
///
/// The value each actor creates is its **Shapley value** over the eight runs:
/// its gain when it joins, averaged over the orders in which the three can
/// join. The parts plus the **baseline** (the run with all three off) add up to
/// the **total** (the run as written) exactly, run by run ([`ActorValues`]); an
/// actor whose contributions the scenario already leaves out (a brand with no
/// engagement, a business that never changes) gets exactly 0. Interactions
/// (listening hears customers' talk; the business's changes answer customers'
/// feedback) are shared between the actors involved, as Shapley values share
/// them.
///
/// The runs are `0..runs` of the scenario's seed: run 0 is the report's own
/// run. The network and the starting population are drawn once from the seed
/// and are the same in every run, so the intervals are over the loop's
/// randomness given this population. Amounts are in the scenario's currency,
/// rounded half-even to millionths; the intervals are [`MoneyEstimate`]s
/// (Student's t). Cost: eight runs of the scenario per run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Attribution {
    /// The number of runs.
    pub runs: u64,
    /// The master seed (the scenario's).
    pub seed: u64,
    /// The currency of every amount.
    pub currency: Currency,
    /// Value created by customers.
    pub customer: MoneyEstimate,
    /// Value created by the brand.
    pub brand: MoneyEstimate,
    /// Value created by the business.
    pub business: MoneyEstimate,
    /// Value with every actor's contributions switched off.
    pub baseline: MoneyEstimate,
    /// Value of the scenario as written.
    pub total: MoneyEstimate,
    /// Each run's split, in run order.
    pub per_run: Vec<ActorValues>,
}

impl Attribution {
    /// The estimate of `actor`'s value.
    pub fn of(&self, actor: Actor) -> &MoneyEstimate {
        match actor {
            Actor::Customer => &self.customer,
            Actor::Brand => &self.brand,
            Actor::Business => &self.business,
        }
    }

    /// Combines the eight net present values of each run (in run order).
    ///
    /// # Errors
    /// As [`ActorValues::shapley`] and [`MoneyEstimate::of`].
    pub(crate) fn from_runs(seed: u64, currency: Currency, runs: &[[Decimal; 8]]) -> Result<Self> {
        let per_run = runs
            .iter()
            .enumerate()
            .map(|(r, values)| ActorValues::shapley(r as u64, values))
            .collect::<Result<Vec<_>>>()?;
        let column = |f: fn(&ActorValues) -> Decimal| -> Result<MoneyEstimate> {
            MoneyEstimate::of(&per_run.iter().map(f).collect::<Vec<_>>())
        };
        Ok(Attribution {
            runs: per_run.len() as u64,
            seed,
            currency,
            customer: column(|a| a.customer)?,
            brand: column(|a| a.brand)?,
            business: column(|a| a.business)?,
            baseline: column(|a| a.baseline)?,
            total: column(|a| a.total)?,
            per_run,
        })
    }
}

/// Runs `value(run, actors)` for the eight subsets of every run in `0..runs`,
/// in parallel, and returns each run's eight values by subset mask.
///
/// # Errors
/// The first error of `value`, in (run, subset) order.
pub(crate) fn counterfactuals(
    runs: u64,
    value: impl Fn(u32, Actors) -> Result<Decimal> + Sync,
) -> Result<Vec<[Decimal; 8]>> {
    let flat: Vec<Result<Decimal>> = (0..runs * 8)
        .into_par_iter()
        .map(|i| {
            let run = u32::try_from(i / 8).map_err(|_| Error::invalid("runs", "too many runs"))?;
            value(run, Actors::of_mask((i % 8) as usize))
        })
        .collect();
    let mut out = Vec::with_capacity(runs as usize);
    let mut values = flat.into_iter();
    for _ in 0..runs {
        let mut run = [Decimal::ZERO; 8];
        for slot in &mut run {
            *slot = values.next().unwrap_or(Ok(Decimal::ZERO))?;
        }
        out.push(run);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn shapley_of_an_additive_game_is_each_actors_own_gain() {
        // v(S) = 10 + 1 (customer) + 20 (brand) + 300 (business).
        let mut values = [Decimal::ZERO; 8];
        for (mask, v) in values.iter_mut().enumerate() {
            *v = Decimal::from(
                10 + [1, 20, 300]
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| mask & (1 << i) != 0)
                    .map(|(_, x)| x)
                    .sum::<i64>(),
            );
        }
        let a = ActorValues::shapley(0, &values).unwrap();
        assert_eq!(
            (a.customer, a.brand, a.business, a.baseline, a.total),
            (d("1"), d("20"), d("300"), d("10"), d("331"))
        );
    }

    #[test]
    fn shapley_splits_an_interaction_and_sums_exactly() {
        // Only customer and brand together create 1 (a pure interaction): each
        // gets 1/2; the thirds of a three-way interaction round, and the parts
        // still add up exactly.
        let mut values = [Decimal::ZERO; 8];
        values[3] = d("1");
        values[7] = d("1");
        let a = ActorValues::shapley(0, &values).unwrap();
        assert_eq!(
            (a.customer, a.brand, a.business),
            (d("0.5"), d("0.5"), d("0"))
        );
        let mut values = [Decimal::ZERO; 8];
        values[7] = d("1");
        let a = ActorValues::shapley(0, &values).unwrap();
        assert_eq!(a.customer + a.brand + a.business + a.baseline, a.total);
        let mut thirds = [a.customer, a.brand, a.business];
        thirds.sort();
        assert_eq!(thirds, [d("0.333333"), d("0.333333"), d("0.333334")]);
        let mut values = [Decimal::ZERO; 8];
        values[7] = d("-1");
        let a = ActorValues::shapley(0, &values).unwrap();
        assert_eq!(a.customer + a.brand + a.business, d("-1"));
    }
}
