//! [`Totals`]: exact running sums per kind, per actor and overall.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::kind::KIND_COUNT;
use super::{Actor, ValueKind};
use crate::error::{Error, Result};

/// `a + b`, exactly, or [`Error::Overflow`].
///
/// Besides overflow beyond [`Decimal::MAX`], a `Decimal` sum can silently lose
/// digits when the operands' scales cannot be aligned within 96 bits (a huge
/// total plus a tiny fraction); that is reported as an overflow too, so that
/// every sum the ledger keeps is exact.
pub(crate) fn exact_add(
    a: Decimal,
    b: Decimal,
    context: impl FnOnce() -> String,
) -> Result<Decimal> {
    match a.checked_add(b) {
        Some(sum) if sum.checked_sub(b) == Some(a) => Ok(sum),
        Some(_) => Err(Error::overflow(format!(
            "{} (digits would be lost)",
            context()
        ))),
        None => Err(Error::overflow(context())),
    }
}

/// Exact sums of amounts: one per [`ValueKind`], one per [`Actor`] and the grand
/// total (the net value). Copy, 192 bytes.
///
/// Invariant: each actor's total is the sum of its kinds' totals and the grand
/// total the sum of the actors'; [`Totals::add`] keeps it exactly or fails
/// without a change.
///
/// In JSON: `{"by_kind": {...}, "by_actor": {...}, "net": "..."}`, amounts as
/// strings, kinds with a zero total left out; reading derives the actor and
/// net totals from the kinds and checks any that are given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "TotalsRecord", into = "TotalsRecord")]
pub struct Totals {
    by_kind: [Decimal; KIND_COUNT],
    by_actor: [Decimal; 3],
    net: Decimal,
}

impl Totals {
    /// The total of `kind`.
    pub fn of(&self, kind: ValueKind) -> Decimal {
        self.by_kind.get(kind.index()).copied().unwrap_or_default()
    }

    /// The net total of `actor` (gains minus costs).
    pub fn for_actor(&self, actor: Actor) -> Decimal {
        self.by_actor
            .get(actor.index())
            .copied()
            .unwrap_or_default()
    }

    /// The grand total: the net value of everything recorded.
    pub fn net(&self) -> Decimal {
        self.net
    }

    /// These totals plus `amount` of `kind`.
    ///
    /// # Errors
    /// [`Error::Overflow`] when a sum leaves `Decimal`'s range or would lose
    /// digits; `self` is not changed.
    pub fn add(&self, kind: ValueKind, amount: Decimal) -> Result<Totals> {
        let mut next = *self;
        let k = kind.index();
        let a = kind.actor().index();
        if let Some(slot) = next.by_kind.get_mut(k) {
            *slot = exact_add(*slot, amount, || format!("the total of {kind}"))?;
        }
        if let Some(slot) = next.by_actor.get_mut(a) {
            *slot = exact_add(*slot, amount, || {
                format!("the total of actor {}", kind.actor())
            })?;
        }
        next.net = exact_add(next.net, amount, || "the net total".to_string())?;
        Ok(next)
    }

    /// These totals plus `other`'s.
    ///
    /// # Errors
    /// [`Error::Overflow`] as [`Totals::add`]; `self` is not changed.
    pub fn merged(&self, other: &Totals) -> Result<Totals> {
        let mut next = *self;
        for kind in ValueKind::ALL {
            next = next.add(kind, other.of(kind))?;
        }
        Ok(next)
    }

    /// The totals of a map of kind totals, with the actor and net totals derived.
    fn from_kinds(by_kind: &BTreeMap<ValueKind, Decimal>) -> Result<Totals> {
        let mut totals = Totals::default();
        for (&kind, &amount) in by_kind {
            totals = totals.add(kind, amount)?;
        }
        Ok(totals)
    }
}

/// The serialised form of [`Totals`].
#[derive(Serialize, Deserialize)]
struct TotalsRecord {
    #[serde(default)]
    by_kind: BTreeMap<ValueKind, Decimal>,
    #[serde(default)]
    by_actor: BTreeMap<Actor, Decimal>,
    #[serde(default)]
    net: Option<Decimal>,
}

impl From<Totals> for TotalsRecord {
    fn from(t: Totals) -> Self {
        TotalsRecord {
            by_kind: ValueKind::ALL
                .into_iter()
                .filter(|&k| !t.of(k).is_zero())
                .map(|k| (k, t.of(k)))
                .collect(),
            by_actor: Actor::ALL
                .into_iter()
                .map(|a| (a, t.for_actor(a)))
                .collect(),
            net: Some(t.net),
        }
    }
}

impl TryFrom<TotalsRecord> for Totals {
    type Error = Error;
    fn try_from(r: TotalsRecord) -> Result<Self> {
        let totals = Totals::from_kinds(&r.by_kind)?;
        for (actor, amount) in r.by_actor {
            if totals.for_actor(actor) != amount {
                return Err(Error::invalid(
                    format!("totals.by_actor.{actor}"),
                    format!(
                        "{amount} is not the sum of the actor's kinds, {}",
                        totals.for_actor(actor)
                    ),
                ));
            }
        }
        if let Some(net) = r.net
            && net != totals.net
        {
            return Err(Error::invalid(
                "totals.net",
                format!("{net} is not the sum of the kinds, {}", totals.net),
            ));
        }
        Ok(totals)
    }
}
