//! The cash book: what was paid and received, by whom, in exact decimals.
//!
//! Each [`Entry`] records a receipt or a payment as a [`ValueKind`] (a sale, the
//! cost of what was sold, an engagement's cost, a referral reward, an agency's
//! fee, a change's cost), which belongs to one [`Actor`]'s account. The
//! [`Ledger`] keeps exact running [`Totals`] (per kind, per account, per
//! period) in [`Decimal`](rust_decimal::Decimal) with checked arithmetic: never
//! `f64` for money, never a silent wrap.
//!
//! The cash book says who paid and who was paid; it does not say who *created*
//! value. That is measured by counterfactual runs on common random numbers:
//! [`Attribution`](crate::sim::Attribution).
//!
//! Amounts are signed: receipts positive, payments negative (see [`ValueKind`]).

mod entry;
mod estimate;
mod kind;
mod ledger;
mod totals;

pub use entry::Entry;
pub use estimate::{ESTIMATE_PLACES, MoneyEstimate};
pub use kind::{Actor, KIND_COUNT, ValueKind};
pub use ledger::{Ledger, Retention};
pub use totals::Totals;
pub(crate) use totals::exact_add;
