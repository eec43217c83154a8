//! [`Period`]: how long one step of the loop is, and what that does to rates
//! and money.

use rust_decimal::Decimal;
use rust_decimal::MathematicalOps;
use serde::{Deserialize, Serialize};

use crate::probability::Probability;

/// The length of one period (one step) of the loop.
///
/// Horizons, engagement schedules, change lags and every period number in a
/// report count periods. Rates stated per week (see [`Rates`](super::Rates))
/// and the agency fee per week are converted to one period; the annual
/// discount rate `r` becomes `(1 + r)^(1 / periods a year) - 1` per period. A
/// year is 52 weeks (364 days): a month is 52/12 weeks, a quarter 13.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Period {
    /// One day (1/7 of a week).
    Day,
    /// One week: the unit the defaults are stated in.
    #[default]
    Week,
    /// One month (52/12 weeks).
    Month,
    /// One quarter (13 weeks).
    Quarter,
    /// One year (52 weeks).
    Year,
}

impl Period {
    /// The period's name in `snake_case`, as in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::Year => "year",
        }
    }

    /// How many periods make a year of 52 weeks.
    pub fn per_year(self) -> u32 {
        match self {
            Period::Day => 364,
            Period::Week => 52,
            Period::Month => 12,
            Period::Quarter => 4,
            Period::Year => 1,
        }
    }

    /// How many weeks one period lasts.
    pub fn weeks(self) -> f64 {
        52.0 / f64::from(self.per_year())
    }

    /// The chance per period of something that happens with chance `per_week`
    /// each week: `1 - (1 - per_week)^weeks`.
    pub fn rate(self, per_week: Probability) -> Probability {
        if self == Period::Week {
            return per_week;
        }
        Probability::saturating(1.0 - per_week.complement().get().powf(self.weeks()))
    }

    /// How many whole periods cover `weeks` weeks (at least 1 when `weeks` is).
    pub fn periods_in_weeks(self, weeks: u32) -> u32 {
        let periods = (f64::from(weeks) / self.weeks()).ceil();
        if periods >= f64::from(u32::MAX) {
            u32::MAX
        } else {
            periods as u32
        }
    }

    /// An amount per week as an amount per period, rounded half-even to
    /// millionths (`None` on overflow).
    pub(crate) fn per_period(self, per_week: Decimal) -> Option<Decimal> {
        let weeks = Decimal::from(52u32).checked_div(Decimal::from(self.per_year()))?;
        per_week.checked_mul(weeks).map(|a| {
            a.round_dp_with_strategy(6, rust_decimal::RoundingStrategy::MidpointNearestEven)
        })
    }

    /// The discount rate of one period for an annual rate, to 18 decimal
    /// places: `(1 + annual)^(1 / per_year) - 1`.
    pub(crate) fn discount_rate(self, annual: Decimal) -> Option<Decimal> {
        let per_year = Decimal::from(self.per_year());
        let exponent = Decimal::ONE.checked_div(per_year)?;
        Decimal::ONE
            .checked_add(annual)?
            .checked_powd(exponent)?
            .checked_sub(Decimal::ONE)
            .map(|r| r.round_dp(18))
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_convert_by_the_chance_of_at_least_one_event() {
        let p = Probability::saturating(0.1);
        assert_eq!(Period::Week.rate(p), p);
        assert!((Period::Quarter.rate(p).get() - (1.0 - 0.9f64.powi(13))).abs() < 1e-12);
        assert!((Period::Day.rate(p).get() - (1.0 - 0.9f64.powf(1.0 / 7.0))).abs() < 1e-12);
        assert_eq!(Period::Month.periods_in_weeks(8), 2);
        assert_eq!(Period::Week.periods_in_weeks(8), 8);
        assert_eq!(Period::Day.periods_in_weeks(1), 7);
    }

    #[test]
    fn a_year_of_periods_discounts_by_the_annual_rate() {
        let annual = Decimal::new(10, 2);
        for period in [
            Period::Day,
            Period::Week,
            Period::Month,
            Period::Quarter,
            Period::Year,
        ] {
            let r = period.discount_rate(annual).unwrap();
            let year = (Decimal::ONE + r).powu(u64::from(period.per_year()));
            let gap = (year - Decimal::new(11, 1)).abs();
            assert!(gap < Decimal::new(1, 12), "{period}: {year}");
        }
        assert_eq!(
            Period::Week.per_period(Decimal::from(700)),
            Some(Decimal::from(700))
        );
        assert_eq!(
            Period::Month.per_period(Decimal::from(600)),
            Some(Decimal::from(2600))
        );
    }
}
