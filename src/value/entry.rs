//! [`Entry`]: one line of the value ledger.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Actor, ValueKind};
use crate::customer::CustomerId;
use crate::error::{Error, Result};

/// One line of the cash book: in `period`, money of `kind` worth `amount`,
/// optionally tied to one customer.
///
/// The account is the kind's ([`ValueKind::actor`]): it is not stored, so an
/// entry cannot contradict itself. `amount` is signed (costs negative, see
/// [`ValueKind`]) and serialised as a string, so no precision is lost.
///
/// ```
/// use social_loop::Decimal;
/// use social_loop::value::{Actor, Entry, ValueKind};
/// let sale = Entry::new(3, ValueKind::Sale, Decimal::new(4999, 2)).for_customer("ann");
/// assert_eq!(sale.actor(), Actor::Customer);
/// let json = serde_json::to_string(&sale)?;
/// assert_eq!(json, r#"{"period":3,"kind":"sale","amount":"49.99","customer":"ann"}"#);
/// assert_eq!(serde_json::from_str::<Entry>(&json)?, sale);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Entry {
    /// When the value was created or spent.
    pub period: u32,
    /// What kind of value.
    pub kind: ValueKind,
    /// How much: positive for gains, negative for costs.
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
    /// The customer it concerns, when there is one (the buyer, the referrer,
    /// the customer engaged).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<CustomerId>,
}

impl Entry {
    /// An entry not tied to a customer.
    pub fn new(period: u32, kind: ValueKind, amount: Decimal) -> Self {
        Entry {
            period,
            kind,
            amount,
            customer: None,
        }
    }

    /// A cost of `kind` (which must be a cost kind) of the given non-negative
    /// `magnitude`: the entry's amount is `-magnitude`.
    ///
    /// ```
    /// use social_loop::Decimal;
    /// use social_loop::value::{Entry, ValueKind};
    /// let cost = Entry::cost(1, ValueKind::EngagementCost, Decimal::from(250))?;
    /// assert_eq!(cost.amount, Decimal::from(-250));
    /// assert!(Entry::cost(1, ValueKind::Sale, Decimal::from(250)).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `entry.kind`) when `kind` is not a
    /// cost, (field `entry.amount`) when `magnitude` is negative.
    pub fn cost(period: u32, kind: ValueKind, magnitude: Decimal) -> Result<Self> {
        if !kind.is_cost() {
            return Err(Error::invalid(
                "entry.kind",
                format!("{kind} is not a cost"),
            ));
        }
        if magnitude.is_sign_negative() && !magnitude.is_zero() {
            return Err(Error::invalid(
                "entry.amount",
                format!("a cost's magnitude must not be negative, got {magnitude}"),
            ));
        }
        Ok(Entry::new(period, kind, -magnitude))
    }

    /// The same entry, tied to `customer`.
    #[must_use]
    pub fn for_customer(mut self, customer: impl Into<CustomerId>) -> Self {
        self.customer = Some(customer.into());
        self
    }

    /// The account the line belongs to (who paid or was paid).
    pub fn actor(&self) -> Actor {
        self.kind.actor()
    }

    /// Checks that the amount's sign matches the kind: costs `<= 0`, gains `>= 0`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `entry.amount`) naming the kind and
    /// the period.
    pub fn validate(&self) -> Result<()> {
        let positive = self.amount > Decimal::ZERO;
        let negative = self.amount < Decimal::ZERO;
        if (self.kind.is_cost() && positive) || (!self.kind.is_cost() && negative) {
            let expected = if self.kind.is_cost() {
                "a cost must be zero or negative"
            } else {
                "a gain must be zero or positive"
            };
            return Err(Error::invalid(
                "entry.amount",
                format!(
                    "{} of kind {} in period {}: {expected}",
                    self.amount, self.kind, self.period
                ),
            ));
        }
        Ok(())
    }
}
