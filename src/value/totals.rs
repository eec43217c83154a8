//! [`Totals`]: exact running sums per kind, per actor and overall.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::kind::KIND_COUNT;
use super::{Actor, ValueKind};
use crate::error::{Error, Result};

/// The largest mantissa a `Decimal` can hold, `2^96 - 1`.
const MAX_MANTISSA: u128 = (1 << 96) - 1;

/// `a + b`, exactly, or [`Error::Overflow`].
///
/// Besides overflow beyond [`Decimal::MAX`], a plain `Decimal` sum silently
/// rounds when the exact result needs more than 96 bits of mantissa at the
/// operands' scale (a huge total plus a tiny fraction). This sum is computed in
/// `i128` at the larger of the two scales, so it is either exact or refused
/// (reported as an overflow that "would lose digits").
pub(crate) fn exact_add(
    a: Decimal,
    b: Decimal,
    context: impl FnOnce() -> String,
) -> Result<Decimal> {
    // Operands with trailing zeros (`1.000...`) may not align in i128 while
    // their normalised forms do.
    match aligned_sum(a, b).or_else(|| aligned_sum(a.normalize(), b.normalize())) {
        Some(sum) => Ok(sum),
        None if a.checked_add(b).is_some() => Err(Error::overflow(format!(
            "{} (digits would be lost)",
            context()
        ))),
        None => Err(Error::overflow(context())),
    }
}

/// The exact sum at the larger scale of `a` and `b` (trailing zeros dropped
/// only as far as needed to fit 96 bits), or `None` if it does not fit.
fn aligned_sum(a: Decimal, b: Decimal) -> Option<Decimal> {
    let scale = a.scale().max(b.scale());
    let align = |d: Decimal| {
        10i128
            .checked_pow(scale - d.scale())
            .and_then(|p| d.mantissa().checked_mul(p))
    };
    let mut mantissa = align(a)?.checked_add(align(b)?)?;
    let mut scale = scale;
    while mantissa.unsigned_abs() > MAX_MANTISSA && scale > 0 && mantissa % 10 == 0 {
        mantissa /= 10;
        scale -= 1;
    }
    if mantissa.unsigned_abs() > MAX_MANTISSA {
        return None;
    }
    Decimal::try_from_i128_with_scale(mantissa, scale).ok()
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

    /// The net total of `actor`'s account (receipts minus payments).
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

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn exact_add_keeps_the_scale_and_refuses_rounding() {
        let ctx = || "test".to_string();
        let sum = exact_add(dec("19.90"), dec("0.10"), ctx).unwrap();
        assert_eq!(sum.to_string(), "20.00");
        assert_eq!(
            exact_add(dec("-5.25"), dec("5.25"), ctx).unwrap(),
            Decimal::ZERO
        );
        // Trailing zeros beyond 96 bits are dropped, not refused.
        let half = Decimal::MAX / Decimal::TWO;
        let one = dec("1.0000000000000000000000000000");
        assert_eq!(exact_add(half, one, ctx).unwrap(), half + Decimal::ONE);
        // 10^28 + 0.1 needs 30 digits.
        let big = Decimal::from_i128_with_scale(10i128.pow(28), 0);
        let err = exact_add(big, dec("0.1"), ctx).unwrap_err();
        assert!(matches!(err, Error::Overflow { ref context } if context.contains("digits")));
        let err = exact_add(Decimal::MAX, Decimal::ONE, ctx).unwrap_err();
        assert_eq!(err, Error::overflow("test"));
        assert_eq!(
            exact_add(Decimal::MIN, Decimal::MAX, ctx).unwrap(),
            Decimal::ZERO
        );
    }
}
