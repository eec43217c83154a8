//! The money of a run: what a period books in the cash book, and the present
//! value of each period's net cash.

use rust_decimal::{Decimal, RoundingStrategy};

use super::period::{BlockTally, SaleKind};
use super::scenario::{Period, Prices};
use crate::error::{Error, Result};
use crate::value::{ESTIMATE_PLACES, Entry, Ledger, ValueKind};

/// Decimal places of the discount factors.
const FACTOR_PLACES: u32 = 18;

/// `(1 + r)^-t` for every period `t` so far, computed by repeated exact
/// division rounded to 18 places, so the same on every machine.
#[derive(Debug, Clone)]
pub(crate) struct Discounting {
    one_plus_rate: Decimal,
    factors: Vec<Decimal>,
}

impl Discounting {
    /// Discounting at `annual` a year, for periods of `period`.
    ///
    /// # Errors
    /// [`Error::Overflow`] when the per-period rate does not fit a `Decimal`.
    pub(crate) fn new(annual: Decimal, period: Period) -> Result<Self> {
        let rate = period
            .discount_rate(annual)
            .ok_or_else(|| Error::overflow("the discount rate of one period"))?;
        Ok(Discounting {
            one_plus_rate: Decimal::ONE + rate,
            factors: vec![Decimal::ONE],
        })
    }

    /// The factor of period `t`.
    fn factor(&mut self, t: u32) -> Decimal {
        while self.factors.len() <= t as usize {
            let last = self.factors.last().copied().unwrap_or(Decimal::ONE);
            let next = last
                .checked_div(self.one_plus_rate)
                .map_or(Decimal::ZERO, |f| f.round_dp(FACTOR_PLACES));
            self.factors.push(next);
        }
        self.factors
            .get(t as usize)
            .copied()
            .unwrap_or(Decimal::ZERO)
    }

    /// The value at period 0 of `amount` in period `t`, rounded half-even to
    /// millionths.
    ///
    /// # Errors
    /// [`Error::Overflow`] when the product does not fit a `Decimal`.
    pub(crate) fn present_value(&mut self, amount: Decimal, t: u32) -> Result<Decimal> {
        let factor = self.factor(t);
        amount
            .checked_mul(factor)
            .map(|v| {
                v.round_dp_with_strategy(ESTIMATE_PLACES, RoundingStrategy::MidpointNearestEven)
            })
            .ok_or_else(|| Error::overflow(format!("the present value of period {t}")))
    }
}

/// `count x price`, checked.
fn times(count: u64, price: Decimal, what: &str, t: u32) -> Result<Decimal> {
    Decimal::from(count)
        .checked_mul(price)
        .ok_or_else(|| Error::overflow(format!("{what} in period {t}")))
}

/// Books a period's sales: the prices paid (full or discounted) and the cost of
/// what was sold.
///
/// # Errors
/// [`Error::Overflow`] when an amount does not fit a `Decimal`.
pub(crate) fn book_sales(
    ledger: &mut Ledger,
    prices: &Prices,
    t: u32,
    (full, reduced): (u64, u64),
) -> Result<()> {
    if full + reduced == 0 {
        return Ok(());
    }
    let discounted = prices
        .discounted_price()
        .ok_or_else(|| Error::overflow("the discounted price"))?;
    let unit_cost = prices
        .unit_cost()
        .ok_or_else(|| Error::overflow("the unit cost"))?;
    let revenue = times(full, prices.unit_price, "sales", t)?
        .checked_add(times(reduced, discounted, "sales", t)?)
        .ok_or_else(|| Error::overflow(format!("sales in period {t}")))?;
    ledger.record(Entry::new(t, ValueKind::Sale, revenue))?;
    let cost = times(full + reduced, unit_cost, "cost of sales", t)?;
    ledger.record(Entry::cost(t, ValueKind::CostOfSales, cost)?)
}

/// The period's sales from a tally: (full price, discounted), every kind.
pub(crate) fn sales(tally: &BlockTally) -> (u64, u64) {
    [SaleKind::Own, SaleKind::Referral, SaleKind::Discount]
        .into_iter()
        .map(|k| tally.sales_of(k))
        .fold((0, 0), |(f, r), [a, b]| (f + a, r + b))
}

/// Books one payment of `kind` (a cost kind) of `magnitude` when it is not zero.
///
/// # Errors
/// As [`Ledger::record`].
pub(crate) fn book_cost(
    ledger: &mut Ledger,
    t: u32,
    kind: ValueKind,
    magnitude: Decimal,
) -> Result<()> {
    if magnitude.is_zero() {
        return Ok(());
    }
    ledger.record(Entry::cost(t, kind, magnitude)?)
}

/// Books the referral rewards of `referrals` referral sales.
///
/// # Errors
/// [`Error::Overflow`] when the amount does not fit a `Decimal`.
pub(crate) fn book_rewards(
    ledger: &mut Ledger,
    prices: &Prices,
    t: u32,
    referrals: u64,
) -> Result<()> {
    let rewards = times(referrals, prices.referral_reward, "referral rewards", t)?;
    book_cost(ledger, t, ValueKind::ReferralReward, rewards)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn present_values_discount_each_period_once() {
        let mut d = Discounting::new(Decimal::new(10, 2), Period::Year).unwrap();
        assert_eq!(
            d.present_value(Decimal::from(110), 1).unwrap(),
            Decimal::from(100)
        );
        assert_eq!(
            d.present_value(Decimal::from(121), 2).unwrap(),
            Decimal::from(100)
        );
        assert_eq!(
            d.present_value(Decimal::from(7), 0).unwrap(),
            Decimal::from(7)
        );
        let mut none = Discounting::new(Decimal::ZERO, Period::Week).unwrap();
        assert_eq!(
            none.present_value(Decimal::new(12345, 2), 40).unwrap(),
            Decimal::new(12345, 2)
        );
    }

    #[test]
    fn a_sale_books_the_price_and_the_cost_of_what_was_sold() {
        let prices = Prices::default(); // 40, margin 0.6, discount 0.2
        let mut ledger = Ledger::new();
        book_sales(&mut ledger, &prices, 3, (2, 1)).unwrap();
        assert_eq!(ledger.total_of(ValueKind::Sale), Decimal::from(112)); // 80 + 32
        assert_eq!(ledger.total_of(ValueKind::CostOfSales), Decimal::from(-48)); // 3 x 16
        // margin: 2 x 24 + 1 x 16 (a discounted sale keeps 40 x (0.6 - 0.2))
        assert_eq!(ledger.totals().net(), Decimal::from(64));
    }
}
