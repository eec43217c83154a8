//! [`CustomerEngagementValue`] and the ranked [`EngagementValues`].

use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::crm::Currency;
use crate::customer::CustomerId;
use crate::error::{Error, Result};

/// One part of a customer's engagement value: an amount and its 95% interval
/// `[low, high]`, in the currency of the [`CustomerEngagementValue`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ValuePart {
    /// The estimate.
    #[serde(with = "rust_decimal::serde::str")]
    pub value: Decimal,
    /// Its 95% interval.
    pub ci95: [Decimal; 2],
}

impl ValuePart {
    /// Exactly zero, with no uncertainty.
    pub const ZERO: ValuePart = ValuePart {
        value: Decimal::ZERO,
        ci95: [Decimal::ZERO, Decimal::ZERO],
    };

    /// `value` with the interval `ci95` (widened to contain `value` if it does not).
    pub fn new(value: Decimal, ci95: [Decimal; 2]) -> Self {
        let [low, high] = ci95;
        ValuePart {
            value,
            ci95: [low.min(value).min(high), high.max(value).max(low)],
        }
    }

    /// `value` with no uncertainty.
    pub fn exact(value: Decimal) -> Self {
        ValuePart::new(value, [value, value])
    }

    /// Part by part sum (values, lower bounds, upper bounds).
    pub(crate) fn checked_add(&self, other: &ValuePart) -> Option<ValuePart> {
        Some(ValuePart {
            value: self.value.checked_add(other.value)?,
            ci95: [
                self.ci95[0].checked_add(other.ci95[0])?,
                self.ci95[1].checked_add(other.ci95[1])?,
            ],
        })
    }

    /// Each figure times `factor`, rounded half-even to `places` (the
    /// interval's bounds swap for a negative factor).
    pub(crate) fn scaled(&self, factor: Decimal, places: u32) -> Option<ValuePart> {
        let r = |d: Decimal| -> Option<Decimal> {
            Some(
                d.checked_mul(factor)?
                    .round_dp_with_strategy(places, RoundingStrategy::MidpointNearestEven),
            )
        };
        let (a, b) = (r(self.ci95[0])?, r(self.ci95[1])?);
        Some(ValuePart::new(r(self.value)?, [a.min(b), a.max(b)]))
    }
}

/// What one customer is worth to the business in one currency: the four parts
/// of Kumar et al. (2010) and their sum (see [the module](crate::cev) for the
/// definitions and where this crate departs from them).
///
/// `cev.value == clv.value + crv.value + civ.value + ckv.value` exactly;
/// `cev.ci95` adds the parts' bounds.
///
/// ```
/// use social_loop::Decimal;
/// use social_loop::cev::{CustomerEngagementValue, ValuePart};
/// let d = |s: &str| s.parse::<Decimal>();
/// let v = CustomerEngagementValue::new(
///     "ann".into(), "EUR".parse()?,
///     ValuePart::new(d("100.00")?, [d("80.00")?, d("125.00")?]),
///     ValuePart::exact(d("40.00")?), ValuePart::ZERO, ValuePart::exact(d("2.50")?),
/// )?;
/// assert_eq!(v.cev.value, d("142.50")?);
/// assert_eq!(v.cev.ci95, [d("122.50")?, d("167.50")?]);
/// assert!(v.to_string().contains("CRV 40.00 (28%)"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CustomerEngagementValue {
    /// The customer.
    pub customer: CustomerId,
    /// The currency of every amount.
    pub currency: Currency,
    /// Customer lifetime value: their own future purchases.
    pub clv: ValuePart,
    /// Customer referral value: the customers they referred.
    pub crv: ValuePart,
    /// Customer influencer value: what their word of mouth makes others buy.
    pub civ: ValuePart,
    /// Customer knowledge value: what their feedback made the business gain.
    pub ckv: ValuePart,
    /// Customer engagement value: the sum of the four.
    pub cev: ValuePart,
}

impl CustomerEngagementValue {
    /// The value of `customer` from its four parts; `cev` is their sum.
    ///
    /// # Errors
    /// [`Error::Overflow`] when the sum does not fit a `Decimal`.
    pub fn new(
        customer: CustomerId,
        currency: Currency,
        clv: ValuePart,
        crv: ValuePart,
        civ: ValuePart,
        ckv: ValuePart,
    ) -> Result<Self> {
        let cev = [crv, civ, ckv]
            .iter()
            .try_fold(clv, |sum, part| sum.checked_add(part))
            .ok_or_else(|| Error::overflow(format!("the engagement value of {customer}")))?;
        Ok(CustomerEngagementValue {
            customer,
            currency,
            clv,
            crv,
            civ,
            ckv,
            cev,
        })
    }

    /// The social part, `CRV + CIV` (what their referrals and word of mouth
    /// are worth), saturating at the bounds of `Decimal`.
    pub fn social(&self) -> Decimal {
        self.crv.value.saturating_add(self.civ.value)
    }

    /// The header of [`EngagementValues::to_csv`].
    pub const CSV_HEADER: &'static str = "customer,currency,clv,crv,civ,ckv,cev,cev_lo,cev_hi";
}

/// Which part of the customer's CEV comes from where, one line:
/// `ann: CEV 142.50 EUR (95% CI 122.50 to 167.50) = CLV 100.00 (70%) + CRV 40.00 (28%) + ...`.
/// The shares are of the sum of the parts' absolute values.
impl fmt::Display for CustomerEngagementValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts = [
            ("CLV", self.clv.value),
            ("CRV", self.crv.value),
            ("CIV", self.civ.value),
            ("CKV", self.ckv.value),
        ];
        let scale: Decimal = parts
            .iter()
            .fold(Decimal::ZERO, |s, (_, v)| s.saturating_add(v.abs()));
        write!(
            f,
            "{}: CEV {} {} (95% CI {} to {}) =",
            self.customer, self.cev.value, self.currency, self.cev.ci95[0], self.cev.ci95[1]
        )?;
        for (i, (name, v)) in parts.iter().enumerate() {
            let share = if scale.is_zero() {
                Decimal::ZERO
            } else {
                (v.saturating_mul(Decimal::ONE_HUNDRED) / scale).round()
            };
            let plus = if i == 0 { "" } else { " +" };
            write!(f, "{plus} {name} {v} ({share}%)")?;
        }
        Ok(())
    }
}

/// A currency a book's customers could not be valued in, and why: its
/// customers have no entry in that currency (not a zero), see
/// [`EngagementValues::skipped`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SkippedCurrency {
    /// The currency.
    pub currency: Currency,
    /// How many customers bought in it.
    pub customers: usize,
    /// Why it could not be valued.
    pub cause: SkipCause,
}

/// Why a currency could not be valued ([`SkippedCurrency::cause`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum SkipCause {
    /// A model fit failed ([`Error::Fit`]): too few or too regular histories
    /// to identify the model's parameters.
    Fit {
        /// The model and parameter (`bgnbd.a`).
        field: String,
        /// What went wrong.
        reason: String,
    },
    /// Another error valuing its histories (its message).
    Other {
        /// The error's message.
        message: String,
    },
}

impl SkipCause {
    /// The cause of `error`.
    pub(crate) fn of(error: &Error) -> Self {
        match (error.is_fit_failure(), error.field(), error.reason()) {
            (true, Some(field), Some(reason)) => SkipCause::Fit {
                field: field.to_string(),
                reason: reason.to_string(),
            },
            _ => SkipCause::Other {
                message: error.to_string(),
            },
        }
    }
}

/// `GBP (12 customers): the fit failed on bgnbd.a: ...`.
impl fmt::Display for SkippedCurrency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} customers): ", self.currency, self.customers)?;
        match &self.cause {
            SkipCause::Fit { field, reason } => write!(f, "the fit failed on {field}: {reason}"),
            SkipCause::Other { message } => f.write_str(message),
        }
    }
}

/// Customers' engagement values, ranked: by currency (in alphabetical
/// order), then by CEV, highest first, ties by customer id; and the
/// currencies that could not be valued.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EngagementValues {
    /// One entry per customer and currency, ranked.
    pub customers: Vec<CustomerEngagementValue>,
    /// The currencies of a book whose purchases could not be valued (a BTYD
    /// fit failed), with the reason; none of their customers has an entry
    /// in them. Empty when every currency was valued (always, for a
    /// simulated company).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<SkippedCurrency>,
}

impl EngagementValues {
    /// Ranks `values`.
    pub fn new(mut values: Vec<CustomerEngagementValue>) -> Self {
        values.sort_by(|a, b| {
            a.currency
                .cmp(&b.currency)
                .then_with(|| b.cev.value.cmp(&a.cev.value))
                .then_with(|| a.customer.cmp(&b.customer))
        });
        EngagementValues {
            customers: values,
            skipped: Vec::new(),
        }
    }

    /// These values with the currencies that could not be valued.
    #[must_use]
    pub(crate) fn with_skipped(mut self, skipped: Vec<SkippedCurrency>) -> Self {
        self.skipped = skipped;
        self
    }

    /// The entries of `currency`, ranked by CEV.
    pub fn of(&self, currency: Currency) -> impl Iterator<Item = &CustomerEngagementValue> {
        self.customers
            .iter()
            .filter(move |c| c.currency == currency)
    }

    /// The entry of customer `id` in `currency`.
    pub fn get(&self, id: &str, currency: Currency) -> Option<&CustomerEngagementValue> {
        self.of(currency).find(|c| c.customer.as_str() == id)
    }

    /// The `n` customers of `currency` highest by `key` (ties by id).
    ///
    /// ```
    /// # use social_loop::cev::{CustomerEngagementValue, EngagementValues, ValuePart};
    /// # let eur = "EUR".parse()?;
    /// # let v = |id: &str, clv: i64, crv: i64| CustomerEngagementValue::new(id.into(), eur,
    /// #     ValuePart::exact(clv.into()), ValuePart::exact(crv.into()), ValuePart::ZERO, ValuePart::ZERO);
    /// let values = EngagementValues::new(vec![v("a", 100, 0)?, v("b", 10, 300)?, v("c", 50, 5)?]);
    /// let by_clv = values.top_by(eur, 2, |c| c.clv.value);
    /// let by_social = values.top_by(eur, 2, |c| c.social());
    /// assert_eq!(by_clv.iter().map(|c| c.customer.as_str()).collect::<Vec<_>>(), ["a", "c"]);
    /// assert_eq!(by_social.iter().map(|c| c.customer.as_str()).collect::<Vec<_>>(), ["b", "c"]);
    /// assert_eq!(EngagementValues::overlap(&by_clv, &by_social), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn top_by(
        &self,
        currency: Currency,
        n: usize,
        key: impl Fn(&CustomerEngagementValue) -> Decimal,
    ) -> Vec<&CustomerEngagementValue> {
        let mut all: Vec<(Decimal, &CustomerEngagementValue)> =
            self.of(currency).map(|c| (key(c), c)).collect();
        all.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.customer.cmp(&b.1.customer)));
        all.into_iter().take(n).map(|(_, c)| c).collect()
    }

    /// How many customers two lists share.
    pub fn overlap(a: &[&CustomerEngagementValue], b: &[&CustomerEngagementValue]) -> usize {
        a.iter()
            .filter(|x| b.iter().any(|y| y.customer == x.customer))
            .count()
    }

    /// Sum of the CEVs of `currency`, with the sum of their bounds.
    ///
    /// # Errors
    /// [`Error::Overflow`].
    pub fn total(&self, currency: Currency) -> Result<ValuePart> {
        self.of(currency)
            .try_fold(ValuePart::ZERO, |s, c| s.checked_add(&c.cev))
            .ok_or_else(|| Error::overflow("a total of engagement values"))
    }

    /// CSV with the header [`CustomerEngagementValue::CSV_HEADER`]
    /// (`customer,currency,clv,crv,civ,ckv,cev,cev_lo,cev_hi`) and one row per
    /// entry in rank order; ids are quoted as RFC 4180 says when they need it.
    pub fn to_csv(&self) -> String {
        let mut out = String::with_capacity(80 * (self.customers.len() + 1));
        out.push_str(CustomerEngagementValue::CSV_HEADER);
        out.push('\n');
        for c in &self.customers {
            let fields = [
                c.customer.as_str().to_string(),
                c.currency.to_string(),
                c.clv.value.to_string(),
                c.crv.value.to_string(),
                c.civ.value.to_string(),
                c.ckv.value.to_string(),
                c.cev.value.to_string(),
                c.cev.ci95[0].to_string(),
                c.cev.ci95[1].to_string(),
            ];
            crate::sweep::write_csv_row(&mut out, fields.iter().map(String::as_str));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn part(v: i64, lo: i64, hi: i64, scale: u32) -> ValuePart {
        ValuePart::new(
            Decimal::new(v, scale),
            [Decimal::new(lo, scale), Decimal::new(hi, scale)],
        )
    }

    proptest! {
        #[test]
        fn cev_is_exactly_the_sum_of_its_four_parts(
            parts in proptest::collection::vec((-10i64.pow(12)..10i64.pow(12), 0i64..10i64.pow(9), 0i64..10i64.pow(9), 0u32..7), 4)
        ) {
            let p: Vec<ValuePart> = parts.iter().map(|&(v, dl, dh, s)| part(v, v - dl, v + dh, s)).collect();
            let eur = Currency::new("EUR").unwrap();
            let c = CustomerEngagementValue::new("x".into(), eur, p[0], p[1], p[2], p[3]).unwrap();
            prop_assert_eq!(c.cev.value, p[0].value + p[1].value + p[2].value + p[3].value);
            prop_assert_eq!(c.cev.value - c.clv.value - c.crv.value - c.civ.value - c.ckv.value, Decimal::ZERO);
            prop_assert_eq!(c.cev.ci95[0], p.iter().map(|x| x.ci95[0]).sum::<Decimal>());
            prop_assert_eq!(c.cev.ci95[1], p.iter().map(|x| x.ci95[1]).sum::<Decimal>());
            prop_assert!(c.cev.ci95[0] <= c.cev.value && c.cev.value <= c.cev.ci95[1]);
        }
    }

    #[test]
    fn csv_has_the_interface_header_and_quotes_ids() {
        let eur = Currency::new("EUR").unwrap();
        let c = CustomerEngagementValue::new(
            "a,b".into(),
            eur,
            part(1000, 900, 1100, 2),
            ValuePart::ZERO,
            ValuePart::ZERO,
            ValuePart::ZERO,
        )
        .unwrap();
        let csv = EngagementValues::new(vec![c]).to_csv();
        assert_eq!(
            csv,
            "customer,currency,clv,crv,civ,ckv,cev,cev_lo,cev_hi\n\"a,b\",EUR,10.00,0,0,0,10.00,9.00,11.00\n"
        );
    }
}
