//! Sweeps split over the tasks of a batch scheduler: [`Shard`] (the `i`-th of
//! `m` disjoint parts of the work), [`SweepPart`] (a shard's table with the
//! fingerprint of its sweep), and [`ShardMerge`] (all the parts back into the
//! one table, exactly, refusing a part twice, a missing part, or a part of
//! another sweep).
//!
//! # How the work is split
//!
//! The work of `Sweep::run_shard(runs, shard)` is the *units* (cell, run) for
//! every cell and every run of `runs`. Each unit is given a cost from its
//! cell's scenario, **customers × periods** (the network's size times the
//! horizon: a period visits every customer), read from the cell's JSON after
//! its levels are applied: `communities × size` for micro-communities, the
//! `customers` of the other generated models, the customers listed by an
//! explicit network, and 1,000 for a network whose size its JSON does not
//! tell (a file). Units are laid end to end in cell-major order (cell 0's
//! runs, then cell 1's, ...), each as long as its cost, and shard `i` of `m`
//! takes the units whose middle falls in the `i`-th of `m` equal slices of
//! the total. So every shard's cost is within one unit's cost of `1/m` of the
//! total, each shard does one contiguous range of runs of each cell it
//! touches (so its table stays small), and the split is a pure function of
//! the sweep, the runs and `m`: every task computes the same split, and a
//! rerun of a task does the same work.
//!
//! # Fingerprints
//!
//! A part carries the SHA-256 of its sweep's canonical JSON (the sweep as
//! this crate writes it, object keys sorted, no spaces: see
//! [`Sweep::fingerprint`](super::Sweep::fingerprint)), so parts of sweep
//! files that differ only in layout, key order or defaults left out merge,
//! and parts of different sweeps are refused before anything is added.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::table::{SweepTable, show_runs};
use crate::error::{Error, Result};

/// Cost of a cell whose network size its JSON does not tell.
const UNKNOWN_CUSTOMERS: u64 = 1_000;
/// Largest cost of one unit (keeps the split's arithmetic in 128 bits).
const MAX_UNIT_COST: u64 = 1 << 32;

/// The `index`-th of `count` disjoint parts of a sweep's work (`0 <= index <
/// count`), written `index/count` (`2/4`).
///
/// ```
/// use social_loop::sweep::Shard;
/// let shard: Shard = "2/4".parse()?;
/// assert_eq!((shard.index(), shard.count()), (2, 4));
/// assert_eq!(shard.to_string(), "2/4");
/// assert!("4/4".parse::<Shard>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "ShardRecord", into = "ShardRecord")]
pub struct Shard {
    index: u32,
    count: u32,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ShardRecord {
    index: u32,
    count: u32,
}

impl TryFrom<ShardRecord> for Shard {
    type Error = Error;
    fn try_from(r: ShardRecord) -> Result<Self> {
        Shard::new(r.index, r.count)
    }
}

impl From<Shard> for ShardRecord {
    fn from(s: Shard) -> Self {
        ShardRecord {
            index: s.index,
            count: s.count,
        }
    }
}

impl Shard {
    /// Part `index` of `count`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `shard`) for no parts, or an index
    /// not below the count.
    pub fn new(index: u32, count: u32) -> Result<Shard> {
        if count == 0 {
            return Err(Error::invalid("shard", "a sweep needs at least one shard"));
        }
        if index >= count {
            return Err(Error::invalid(
                "shard",
                format!(
                    "shard {index} of {count}: shards are numbered 0 to {}",
                    count - 1
                ),
            ));
        }
        Ok(Shard { index, count })
    }

    /// The part's index, from 0.
    pub fn index(self) -> u32 {
        self.index
    }

    /// The number of parts.
    pub fn count(self) -> u32 {
        self.count
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for Shard {
    type Err = Error;

    /// Reads `I/M`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `shard`) for other text, or as
    /// [`Shard::new`].
    fn from_str(s: &str) -> Result<Shard> {
        let number = |t: &str| t.trim().parse::<u32>().ok();
        match s.split_once('/').map(|(i, m)| (number(i), number(m))) {
            Some((Some(index), Some(count))) => Shard::new(index, count),
            _ => Err(Error::invalid(
                "shard",
                format!("`{s}` is not INDEX/COUNT (e.g. 0/4)"),
            )),
        }
    }
}

/// The cost of one run of the cell whose scenario JSON is `cell`:
/// customers × periods (see the [module docs](self)), from 1 to 2³².
pub(crate) fn unit_cost(cell: &Value) -> u64 {
    let number = |v: Option<&Value>| v.and_then(Value::as_u64);
    let network = cell.get("network");
    let generated = network.and_then(|n| n.get("generated")?.get("model"));
    let customers = match (generated, network.and_then(|n| n.get("explicit"))) {
        (Some(model), _)
            if model.get("kind").and_then(Value::as_str) == Some("micro_communities") =>
        {
            number(model.get("communities"))
                .zip(number(model.get("size")))
                .map(|(c, s)| c.saturating_mul(s))
        }
        (Some(model), _) => number(model.get("customers")),
        (None, Some(explicit)) => explicit
            .get("customers")
            .and_then(Value::as_array)
            .map(|c| c.len() as u64),
        (None, None) => None,
    };
    let periods = number(cell.get("horizon")).unwrap_or(1).max(1);
    customers
        .unwrap_or(UNKNOWN_CUSTOMERS)
        .max(1)
        .saturating_mul(periods)
        .clamp(1, MAX_UNIT_COST)
}

/// The runs shard `shard` does of each cell, given each cell's unit cost
/// (see the [module docs](self)): a contiguous, possibly empty, range per
/// cell; the shards' ranges of a cell are disjoint and cover `runs`.
///
/// # Errors
/// [`Error::Overflow`] when the arithmetic would not fit in 128 bits (not
/// with at most [`MAX_CELLS`](super::MAX_CELLS) cells of cost at most 2³²).
pub(crate) fn plan(costs: &[u64], runs: Range<u32>, shard: Shard) -> Result<Vec<Range<u32>>> {
    let overflow = || Error::overflow("the cost of the sweep's work");
    let n = i128::from(runs.end.saturating_sub(runs.start));
    let m = i128::from(shard.count);
    let total = costs
        .iter()
        .try_fold(0i128, |t, &w| t.checked_add(n.checked_mul(i128::from(w))?))
        .ok_or_else(overflow)?;
    // Units of the cell before unit `j` of the cell that starts at `before`
    // whose middle lies below the start of slice `i`.
    let below = |i: i128, before: i128, w: i128| -> Option<i128> {
        let x = total
            .checked_mul(2)?
            .checked_mul(i)?
            .checked_sub(m.checked_mul(2)?.checked_mul(before)?)?
            .checked_sub(m.checked_mul(w)?)?;
        if x <= 0 {
            return Some(0);
        }
        let step = m.checked_mul(2)?.checked_mul(w)?;
        Some(((x + step - 1) / step).min(n))
    };
    let (i, mut before) = (i128::from(shard.index), 0i128);
    let mut out = Vec::with_capacity(costs.len());
    for &w in costs {
        let w = i128::from(w.max(1));
        let from = below(i, before, w).ok_or_else(overflow)?;
        let to = below(i + 1, before, w).ok_or_else(overflow)?;
        let run = |k: i128| {
            runs.start
                .saturating_add(u32::try_from(k).unwrap_or(u32::MAX))
        };
        out.push(run(from)..run(to));
        before = n
            .checked_mul(w)
            .and_then(|c| before.checked_add(c))
            .ok_or_else(overflow)?;
    }
    Ok(out)
}

/// The SHA-256 of `value` written canonically (object keys sorted, no
/// spaces), as `sha256:` and 64 hex digits.
pub(crate) fn fingerprint(value: &Value) -> String {
    let mut text = String::new();
    canonical(value, &mut text);
    let digest = Sha256::digest(text.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

fn canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                if let Some(v) = map.get(key) {
                    canonical(v, out);
                }
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// What one task of a sharded sweep writes: the fingerprint of the sweep,
/// the shard, the runs of the whole sweep, and the table of the work the
/// shard did. Made by [`Sweep::run_shard`](super::Sweep::run_shard); read
/// back and merged with [`ShardMerge`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepPart {
    sweep: String,
    shard: Shard,
    runs: [u32; 2],
    table: SweepTable,
}

impl SweepPart {
    pub(crate) fn new(sweep: String, shard: Shard, runs: Range<u32>, table: SweepTable) -> Self {
        SweepPart {
            sweep,
            shard,
            runs: [runs.start, runs.end],
            table,
        }
    }

    /// The fingerprint of the sweep (see
    /// [`Sweep::fingerprint`](super::Sweep::fingerprint)).
    pub fn fingerprint(&self) -> &str {
        &self.sweep
    }

    /// Which part of the work this is.
    pub fn shard(&self) -> Shard {
        self.shard
    }

    /// The runs of every cell of the whole sweep (this part holds some).
    pub fn runs(&self) -> Range<u32> {
        self.runs[0]..self.runs[1]
    }

    /// The table of the runs this part did.
    pub fn table(&self) -> &SweepTable {
        &self.table
    }
}

/// Merges the [`SweepPart`]s of one sharded sweep into its table: exactly the
/// table one process running the whole sweep makes (the same JSON, byte for
/// byte), whatever the order in which the parts come.
///
/// Each part is told with where it came from (a file name), for the errors.
///
/// ```
/// use social_loop::sim::{GeneratedNetwork, NetworkSpec, Scenario};
/// use social_loop::sweep::{Axis, Levels, Shard, ShardMerge, Sweep};
/// let base = Scenario::default()
///     .network(NetworkSpec::Generated(GeneratedNetwork::micro_communities(200, 20, 4.0)?))
///     .horizon(3);
/// let sweep = Sweep::new(base).axis(Axis::new("rates.advocate_talk", Levels::range(0.1, 0.5, 3)));
/// let mut merge = ShardMerge::new();
/// for i in [2, 0, 1] {
///     merge.add(format!("part-{i}.json"), sweep.run_shard(0..4, Shard::new(i, 3)?)?)?;
/// }
/// assert_eq!(merge.finish()?, sweep.run(0..4)?);
///
/// let mut incomplete = ShardMerge::new();
/// incomplete.add("part-0.json", sweep.run_shard(0..4, Shard::new(0, 3)?)?)?;
/// let err = incomplete.finish().unwrap_err().to_string();
/// assert!(err.contains("shards 1/3, 2/3 are missing"), "{err}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Default)]
pub struct ShardMerge {
    first: Option<First>,
    /// Where each shard came from, by index.
    seen: BTreeMap<u32, String>,
    table: Option<SweepTable>,
}

/// What every part must share with the first.
#[derive(Debug)]
struct First {
    source: String,
    sweep: String,
    runs: [u32; 2],
    count: u32,
}

impl ShardMerge {
    /// Nothing merged yet.
    pub fn new() -> Self {
        ShardMerge::default()
    }

    /// Adds `part`, read from `source`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `merge`, naming `source`) when the
    /// part is of another sweep (another fingerprint), of other runs or of
    /// another number of shards than the first part, or when its shard is
    /// already in (naming where from); [`Error::Overflow`] when a sum does
    /// not fit. Nothing is added on error.
    pub fn add(&mut self, source: impl Into<String>, part: SweepPart) -> Result<()> {
        let source = source.into();
        let refuse = |reason: String| Err(Error::invalid("merge", format!("{source}: {reason}")));
        if let Some(first) = &self.first {
            if part.sweep != first.sweep {
                return refuse(format!(
                    "a part of another sweep ({}, not {} like {})",
                    part.sweep, first.sweep, first.source
                ));
            }
            if part.runs != first.runs {
                return refuse(format!(
                    "a part of runs {}..{}, not {}..{} like {}",
                    part.runs[0], part.runs[1], first.runs[0], first.runs[1], first.source
                ));
            }
            if part.shard.count != first.count {
                return refuse(format!(
                    "shard {} is one of {} parts, not {} like {}",
                    part.shard, part.shard.count, first.count, first.source
                ));
            }
        }
        if let Some(earlier) = self.seen.get(&part.shard.index) {
            return refuse(format!(
                "shard {} is already merged, from {earlier}",
                part.shard
            ));
        }
        match self.table.as_mut() {
            None => self.table = Some(part.table.clone()),
            Some(table) => table
                .merge(&part.table)
                .map_err(|e| crate::sweep::within(e, &source))?,
        }
        self.seen.insert(part.shard.index, source.clone());
        self.first.get_or_insert(First {
            source,
            sweep: part.sweep,
            runs: part.runs,
            count: part.shard.count,
        });
        Ok(())
    }

    /// The merged table.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `merge`) for no part, or naming the
    /// shards that are missing, or a cell that lacks runs (a part that is not
    /// what its shard should have done).
    pub fn finish(self) -> Result<SweepTable> {
        let (Some(first), Some(table)) = (self.first, self.table) else {
            return Err(Error::invalid("merge", "no part to merge"));
        };
        let missing: Vec<String> = (0..first.count)
            .filter(|i| !self.seen.contains_key(i))
            .map(|i| format!("{i}/{}", first.count))
            .collect();
        match missing.len() {
            0 => {}
            1 => {
                return Err(Error::invalid(
                    "merge",
                    format!("shard {} is missing", missing.join("")),
                ));
            }
            _ => {
                return Err(Error::invalid(
                    "merge",
                    format!("shards {} are missing", missing.join(", ")),
                ));
            }
        }
        let whole = [first.runs];
        for c in 0..table.cell_count() {
            let runs = table.cell_runs(c).unwrap_or_default();
            if runs != whole {
                return Err(Error::invalid(
                    "merge",
                    format!(
                        "cell {c} holds runs {} instead of {}..{}: a part is not its shard's work",
                        show_runs(runs),
                        first.runs[0],
                        first.runs[1]
                    ),
                ));
            }
        }
        Ok(table)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cover(costs: &[u64], runs: Range<u32>, m: u32) -> Vec<Vec<Range<u32>>> {
        (0..m)
            .map(|i| plan(costs, runs.clone(), Shard::new(i, m).unwrap()).unwrap())
            .collect()
    }

    #[test]
    fn shards_cover_every_unit_once_in_contiguous_ranges() {
        let costs = [5, 1, 1, 40, 3];
        for m in [1, 2, 3, 4, 7, 50] {
            let shards = cover(&costs, 10..30, m);
            for c in 0..costs.len() {
                let mut next = 10;
                for shard in &shards {
                    let r = &shard[c];
                    assert!(r.start <= r.end);
                    if !r.is_empty() {
                        assert_eq!(r.start, next, "m={m} cell {c}");
                        next = r.end;
                    }
                }
                assert_eq!(next, 30, "m={m} cell {c}");
            }
        }
    }

    #[test]
    fn shards_are_balanced_by_cost_within_one_unit() {
        let costs = [5u64, 1, 1, 40, 3, 17, 2];
        let runs = 0..100u32;
        let total: u64 = costs.iter().sum::<u64>() * 100;
        for m in [2u32, 3, 4, 9] {
            for shard in cover(&costs, runs.clone(), m) {
                let cost: u64 = shard
                    .iter()
                    .zip(costs)
                    .map(|(r, w)| u64::from(r.end - r.start) * w)
                    .sum();
                let fair = total as f64 / f64::from(m);
                assert!(
                    (cost as f64 - fair).abs() <= 40.0,
                    "m={m}: {cost} vs {fair}"
                );
            }
        }
        // One shard takes everything.
        assert_eq!(cover(&costs, 3..9, 1)[0], vec![3..9; costs.len()]);
    }

    #[test]
    fn the_cost_of_a_cell_is_customers_times_periods() {
        let micro = json!({"horizon": 52, "network": {"generated": {"model": {"kind": "micro_communities", "communities": 40, "size": 50}}}});
        assert_eq!(unit_cost(&micro), 2_000 * 52);
        let ba = json!({"horizon": 4, "network": {"generated": {"model": {"kind": "barabasi_albert", "customers": 300}}}});
        assert_eq!(unit_cost(&ba), 1_200);
        let explicit = json!({"horizon": 2, "network": {"explicit": {"customers": ["a", "b", "c"], "ties": []}}});
        assert_eq!(unit_cost(&explicit), 6);
        let file = json!({"horizon": 0, "network": {"file": {"path": "x"}}});
        assert_eq!(unit_cost(&file), UNKNOWN_CUSTOMERS);
    }

    #[test]
    fn fingerprints_ignore_layout_and_key_order() {
        let a: Value = serde_json::from_str(r#"{"b": [1, {"y": 2, "x": 1}], "a": "s"}"#).unwrap();
        let b: Value = serde_json::from_str(r#"{"a":"s","b":[1,{"x":1,"y":2}]}"#).unwrap();
        assert_eq!(fingerprint(&a), fingerprint(&b));
        assert_ne!(fingerprint(&a), fingerprint(&json!({"a": "t"})));
        assert_eq!(fingerprint(&a).len(), "sha256:".len() + 64);
        // The SHA-256 of `{}`.
        assert_eq!(
            fingerprint(&json!({})),
            "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        );
    }

    #[test]
    fn shard_text_and_json_are_checked() {
        assert!("1/0".parse::<Shard>().is_err());
        assert!("x/2".parse::<Shard>().is_err());
        assert_eq!(
            " 1 / 2 ".parse::<Shard>().unwrap(),
            Shard::new(1, 2).unwrap()
        );
        let json = serde_json::to_string(&Shard::new(1, 2).unwrap()).unwrap();
        assert_eq!(json, r#"{"index":1,"count":2}"#);
        assert!(serde_json::from_str::<Shard>(r#"{"index":2,"count":2}"#).is_err());
    }
}
