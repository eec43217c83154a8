//! [`Ledger`]: the cash book, exact.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Actor, Entry, Totals, ValueKind};
use crate::error::{Error, Result};

/// Whether a [`Ledger`] keeps its individual entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Retention {
    /// Keep every entry (an audit of each sale and cost; about 40 bytes an entry).
    #[default]
    Entries,
    /// Keep only the totals (per kind, per actor, per period): constant memory
    /// in the number of entries, for simulations of millions of customers.
    TotalsOnly,
}

/// The cash book: entries of (period, kind, amount, customer) in exact
/// decimals, with running totals per kind, per account ([`Actor`]) and per
/// period. It records what was paid and received; who *created* value is
/// [`Attribution`](crate::sim::Attribution)'s answer.
///
/// * Every total is an exact sum: [`record`](Ledger::record) uses checked
///   arithmetic, and an entry that would overflow (or lose digits) is refused
///   with [`Error::Overflow`], leaving the ledger unchanged.
/// * [`Retention::TotalsOnly`] drops the entries and keeps the totals.
/// * Ledgers of disjoint work (blocks of customers, parallel runs) add up with
///   [`merge`](Ledger::merge); merging in a fixed order gives the same ledger
///   whatever the number of threads. For millions of entries a period, sum per
///   block first and record or merge the block's totals.
///
/// ```
/// use social_loop::Decimal;
/// use social_loop::value::{Actor, Entry, Ledger, ValueKind};
/// let mut ledger = Ledger::new();
/// ledger.record(Entry::cost(1, ValueKind::EngagementCost, Decimal::from(100))?)?;
/// ledger.record(Entry::new(2, ValueKind::Sale, Decimal::new(4999, 2)).for_customer("bob"))?;
/// ledger.record(Entry::cost(2, ValueKind::CostOfSales, Decimal::new(2000, 2))?.for_customer("bob"))?;
/// assert_eq!(ledger.totals().for_actor(Actor::Brand), Decimal::from(-100));
/// assert_eq!(ledger.period(2).for_actor(Actor::Customer), Decimal::new(2999, 2));
/// assert_eq!(ledger.totals().net(), Decimal::new(-7001, 2));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "LedgerRecord", into = "LedgerRecord")]
pub struct Ledger {
    retention: Retention,
    entries: Vec<Entry>,
    entry_count: u64,
    totals: Totals,
    periods: BTreeMap<u32, Totals>,
}

impl Ledger {
    /// An empty ledger that keeps its entries.
    pub fn new() -> Self {
        Ledger::with_retention(Retention::Entries)
    }

    /// An empty ledger that keeps only totals.
    pub fn totals_only() -> Self {
        Ledger::with_retention(Retention::TotalsOnly)
    }

    /// An empty ledger with the given retention.
    pub fn with_retention(retention: Retention) -> Self {
        Ledger {
            retention,
            ..Ledger::default()
        }
    }

    /// Whether entries are kept.
    pub fn retention(&self) -> Retention {
        self.retention
    }

    /// Records `entry`, updating every total exactly.
    ///
    /// # Errors
    /// * [`Error::InvalidParameter`] (field `entry.amount`) when the amount's
    ///   sign does not match the kind (see [`Entry::validate`]);
    /// * [`Error::Overflow`] when a total would leave `Decimal`'s range or lose
    ///   digits.
    ///
    /// Either way the ledger is left unchanged.
    ///
    /// # Complexity
    /// O(log p) for p periods recorded.
    pub fn record(&mut self, entry: Entry) -> Result<()> {
        entry.validate()?;
        let totals = self.totals.add(entry.kind, entry.amount)?;
        let period = self
            .periods
            .get(&entry.period)
            .copied()
            .unwrap_or_default()
            .add(entry.kind, entry.amount)
            .map_err(|e| in_period(e, entry.period))?;
        self.totals = totals;
        self.periods.insert(entry.period, period);
        self.entry_count = self.entry_count.saturating_add(1);
        if self.retention == Retention::Entries {
            self.entries.push(entry);
        }
        Ok(())
    }

    /// Adds `other` to this ledger: totals, period totals, entry counts, and
    /// `other`'s entries after this ledger's own. If either ledger keeps only
    /// totals, the result keeps only totals (its entries are dropped).
    ///
    /// # Errors
    /// [`Error::Overflow`] when a total would leave `Decimal`'s range or lose
    /// digits; the ledger is left unchanged.
    ///
    /// # Complexity
    /// O(p log p) for p periods, plus moving `other`'s entries.
    pub fn merge(&mut self, other: Ledger) -> Result<()> {
        let totals = self.totals.merged(&other.totals)?;
        let mut periods = Vec::with_capacity(other.periods.len());
        for (&p, theirs) in &other.periods {
            let ours = self.periods.get(&p).copied().unwrap_or_default();
            periods.push((p, ours.merged(theirs).map_err(|e| in_period(e, p))?));
        }
        self.totals = totals;
        self.periods.extend(periods);
        self.entry_count = self.entry_count.saturating_add(other.entry_count);
        if self.retention == Retention::Entries && other.retention == Retention::Entries {
            self.entries.extend(other.entries);
        } else {
            self.retention = Retention::TotalsOnly;
            self.entries = Vec::new();
        }
        Ok(())
    }

    /// The totals over all periods.
    pub fn totals(&self) -> &Totals {
        &self.totals
    }

    /// The totals of one period (all zero if nothing was recorded in it).
    pub fn period(&self, period: u32) -> Totals {
        self.periods.get(&period).copied().unwrap_or_default()
    }

    /// The totals of every period with an entry, in period order.
    pub fn periods(&self) -> impl Iterator<Item = (u32, &Totals)> {
        self.periods.iter().map(|(&p, t)| (p, t))
    }

    /// The entries, in the order recorded (empty with [`Retention::TotalsOnly`]).
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// How many entries were recorded (kept or not).
    pub fn entry_count(&self) -> u64 {
        self.entry_count
    }

    /// The net total of `actor` over all periods.
    pub fn total_for(&self, actor: Actor) -> Decimal {
        self.totals.for_actor(actor)
    }

    /// The total of `kind` over all periods.
    pub fn total_of(&self, kind: ValueKind) -> Decimal {
        self.totals.of(kind)
    }
}

fn in_period(e: Error, period: u32) -> Error {
    match e {
        Error::Overflow { context } => Error::overflow(format!("{context} in period {period}")),
        other => other,
    }
}

/// The serialised form of a [`Ledger`]: what is kept, and the totals; on the
/// way in, totals are recomputed from the entries (or from the periods, when
/// only totals are kept) and must match.
#[derive(Serialize, Deserialize)]
struct LedgerRecord {
    #[serde(default)]
    retention: Retention,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    entries: Vec<Entry>,
    entry_count: u64,
    totals: Totals,
    #[serde(default)]
    periods: BTreeMap<u32, Totals>,
}

impl From<Ledger> for LedgerRecord {
    fn from(l: Ledger) -> Self {
        LedgerRecord {
            retention: l.retention,
            entries: l.entries,
            entry_count: l.entry_count,
            totals: l.totals,
            periods: l.periods,
        }
    }
}

impl TryFrom<LedgerRecord> for Ledger {
    type Error = Error;
    fn try_from(r: LedgerRecord) -> Result<Self> {
        let rebuilt = match r.retention {
            Retention::Entries => {
                let mut ledger = Ledger::new();
                for entry in r.entries {
                    ledger.record(entry)?;
                }
                ledger
            }
            Retention::TotalsOnly => {
                let mut totals = Totals::default();
                for t in r.periods.values() {
                    totals = totals.merged(t)?;
                }
                Ledger {
                    retention: Retention::TotalsOnly,
                    entries: Vec::new(),
                    entry_count: r.entry_count,
                    totals,
                    periods: r.periods.clone(),
                }
            }
        };
        if rebuilt.entry_count != r.entry_count {
            return Err(Error::invalid(
                "ledger.entry_count",
                format!(
                    "{} entries, but entry_count says {}",
                    rebuilt.entry_count, r.entry_count
                ),
            ));
        }
        if rebuilt.totals != r.totals || rebuilt.periods != r.periods {
            return Err(Error::invalid(
                "ledger.totals",
                "the totals are not the sums of the entries",
            ));
        }
        Ok(rebuilt)
    }
}
