//! The value ledger: who created which value, in exact decimals.
//!
//! The loop creates value in three places. Customers buy, sell for the brand by
//! word of mouth, and give product feedback; the brand spends on engagements and
//! earns their return; the business spends on changes and earns theirs. Each
//! [`Entry`] records one of these as a [`ValueKind`], which belongs to one
//! [`Actor`]. The [`Ledger`] keeps exact running [`Totals`] (per kind, per actor,
//! per period) in [`Decimal`](rust_decimal::Decimal) with checked arithmetic:
//! never `f64` for money, never a silent wrap. Return on engagement and on
//! change are ratios of totals ([`Ledger::return_on`]).
//!
//! Amounts are signed: gains positive, costs negative (see [`ValueKind`] for
//! each kind's actor and sign, and for the rule that every sale is recorded
//! once, under the actor who caused it).

mod entry;
mod kind;
mod ledger;
mod totals;

pub use entry::Entry;
pub use kind::{Actor, KIND_COUNT, ValueKind};
pub use ledger::{Ledger, Retention};
pub use totals::Totals;
pub(crate) use totals::exact_add;
