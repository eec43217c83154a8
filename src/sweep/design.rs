//! [`Design`]: which cells a sweep runs, and [`Seeding`]: which seed each run
//! of each cell gets. Both are pure functions of the sweep's master seed.

use rand::{Rng, RngCore};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::axis::Axis;
use crate::error::{Error, Result};
use crate::propagation::streams::unit_stream;

/// Most cells a sweep may have.
pub const MAX_CELLS: u64 = 1 << 24;

/// Pseudo-cell whose stream gives the design's key.
const DESIGN_UNIT: u64 = u64::MAX - 1;
/// Pseudo-cell whose stream gives the runs' key under [`Seeding::Common`].
const COMMON_UNIT: u64 = u64::MAX;

/// How the cells of a sweep are chosen.
///
/// ```
/// use social_loop::sweep::Design;
/// let json = serde_json::to_string(&Design::LatinHypercube { cells: 50 })?;
/// assert_eq!(json, r#"{"kind":"latin_hypercube","cells":50}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Design {
    /// Every combination of the axes' [grid levels](super::Levels::grid), the
    /// first axis varying slowest (cell `0` takes every axis's first level).
    #[default]
    Grid,
    /// `cells` points, each axis drawn independently and uniformly (see
    /// [`Levels::at`](super::Levels::at)).
    Random {
        /// Number of cells.
        cells: u32,
    },
    /// `cells` points of a Latin hypercube: on every axis, each of the `cells`
    /// equal slices of `[0, 1)` holds exactly one point (at a uniform position
    /// inside it), the slices paired across axes by independent random
    /// permutations. Covers every axis evenly with few cells.
    LatinHypercube {
        /// Number of cells.
        cells: u32,
    },
}

/// Which seed each run of each cell gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Seeding {
    /// Every (cell, run) has its own stream, from the master seed, the cell's
    /// index and the run's index: cells are independent samples.
    #[default]
    Independent,
    /// Run `r` has the same seed in every cell (common random numbers): the
    /// same network and the same draws wherever a parameter does not change
    /// them, so differences between cells are paired run by run and far less
    /// noisy. Cells are then not independent of each other.
    Common,
}

impl Seeding {
    /// The scenario seed of run `run` of cell `cell` under master `seed`.
    ///
    /// Derived with the crate's SplitMix64-mixed Xoshiro256++ unit streams
    /// (the ones the propagation engine uses): the cell's stream gives the
    /// cell's key, whose stream for `run` gives the seed. The same
    /// `(seed, cell, run)` always gives the same seed, whatever the thread
    /// count or the split of the runs.
    ///
    /// ```
    /// use social_loop::sweep::Seeding;
    /// let s = Seeding::Independent.run_seed(7, 3, 0);
    /// assert_eq!(s, Seeding::Independent.run_seed(7, 3, 0));
    /// assert_ne!(s, Seeding::Independent.run_seed(7, 4, 0));
    /// assert_eq!(Seeding::Common.run_seed(7, 3, 0), Seeding::Common.run_seed(7, 4, 0));
    /// ```
    pub fn run_seed(self, seed: u64, cell: u64, run: u32) -> u64 {
        let unit = match self {
            Seeding::Independent => cell,
            Seeding::Common => COMMON_UNIT,
        };
        let key = unit_stream(seed, unit).next_u64();
        unit_stream(key, u64::from(run)).next_u64()
    }
}

impl Design {
    /// The levels of every cell: `cells[i][a]` is axis `a`'s value in cell `i`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming the axis for invalid levels, or field
    /// `design` for zero cells or more than [`MAX_CELLS`].
    ///
    /// # Complexity
    /// O(cells x axes).
    pub(crate) fn cells(self, axes: &[Axis], seed: u64) -> Result<Vec<Vec<Value>>> {
        for (i, axis) in axes.iter().enumerate() {
            axis.levels().validate().map_err(|e| {
                super::within(e, &format!("axis `{}`", axis.path())).within(&format!("axes[{i}]"))
            })?;
        }
        match self {
            Design::Grid => grid(axes),
            Design::Random { cells } => sampled(axes, seed, cells, false),
            Design::LatinHypercube { cells } => sampled(axes, seed, cells, true),
        }
    }
}

fn grid(axes: &[Axis]) -> Result<Vec<Vec<Value>>> {
    let levels = axes
        .iter()
        .map(|a| a.levels().grid())
        .collect::<Result<Vec<_>>>()?;
    let count = levels
        .iter()
        .try_fold(1u64, |n, l| n.checked_mul(l.len() as u64))
        .filter(|&n| n <= MAX_CELLS)
        .ok_or_else(|| {
            Error::invalid(
                "design",
                format!("the grid has more than {MAX_CELLS} cells; use a sampled design"),
            )
        })?;
    let mut cells = Vec::with_capacity(usize::try_from(count).unwrap_or(0));
    for index in 0..count {
        // Mixed radix, last axis fastest.
        let mut rest = index;
        let mut cell = vec![Value::Null; levels.len()];
        for (slot, axis_levels) in cell.iter_mut().zip(&levels).rev() {
            let len = axis_levels.len().max(1) as u64;
            let i = usize::try_from(rest % len).unwrap_or(0);
            rest /= len;
            *slot = axis_levels.get(i).cloned().unwrap_or(Value::Null);
        }
        cells.push(cell);
    }
    Ok(cells)
}

fn sampled(axes: &[Axis], seed: u64, cells: u32, stratified: bool) -> Result<Vec<Vec<Value>>> {
    if cells == 0 || u64::from(cells) > MAX_CELLS {
        return Err(Error::invalid(
            "design",
            format!("{cells} cells; expected 1 to {MAX_CELLS}"),
        ));
    }
    let n = cells as usize;
    let design_key = unit_stream(seed, DESIGN_UNIT).next_u64();
    let mut out = vec![Vec::with_capacity(axes.len()); n];
    for (a, axis) in axes.iter().enumerate() {
        let mut rng = unit_stream(design_key, a as u64);
        let slices: Vec<usize> = if stratified {
            // Fisher-Yates.
            let mut perm: Vec<usize> = (0..n).collect();
            for i in (1..n).rev() {
                let j = rng.random_range(0..=i);
                perm.swap(i, j);
            }
            perm
        } else {
            Vec::new()
        };
        for (i, cell) in out.iter_mut().enumerate() {
            let jitter: f64 = rng.random();
            let u = match slices.get(i) {
                Some(&slice) => (slice as f64 + jitter) / n as f64,
                None => jitter,
            };
            cell.push(axis.levels().at(u)?);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::Levels;
    use serde_json::json;

    fn axes() -> Vec<Axis> {
        vec![
            Axis::new("a", Levels::values(["x", "y"])),
            Axis::new("b", Levels::integers(1, 3, 1)),
        ]
    }

    #[test]
    fn grid_is_the_product_with_the_first_axis_slowest() {
        let cells = Design::Grid.cells(&axes(), 0).unwrap();
        let pairs: Vec<(Value, Value)> = cells
            .into_iter()
            .map(|c| (c[0].clone(), c[1].clone()))
            .collect();
        assert_eq!(
            pairs,
            vec![
                (json!("x"), json!(1)),
                (json!("x"), json!(2)),
                (json!("x"), json!(3)),
                (json!("y"), json!(1)),
                (json!("y"), json!(2)),
                (json!("y"), json!(3)),
            ]
        );
        assert_eq!(
            Design::Grid.cells(&[], 0).unwrap(),
            vec![Vec::<Value>::new()]
        );
    }

    #[test]
    fn latin_hypercube_puts_one_point_in_every_slice_of_every_axis() {
        let axes = vec![
            Axis::new("p", Levels::range(0.0, 1.0, 2)),
            Axis::new("q", Levels::range(10.0, 20.0, 2)),
        ];
        let n = 40;
        let cells = Design::LatinHypercube { cells: n }.cells(&axes, 9).unwrap();
        for (a, (lo, hi)) in [(0.0, 1.0), (10.0, 20.0)].into_iter().enumerate() {
            let mut slices: Vec<usize> = cells
                .iter()
                .map(|c| ((c[a].as_f64().unwrap() - lo) / (hi - lo) * f64::from(n)) as usize)
                .collect();
            slices.sort_unstable();
            assert_eq!(slices, (0..n as usize).collect::<Vec<_>>());
        }
        // Same seed, same design; another seed, another one.
        assert_eq!(
            cells,
            Design::LatinHypercube { cells: n }.cells(&axes, 9).unwrap()
        );
        assert_ne!(
            cells,
            Design::LatinHypercube { cells: n }
                .cells(&axes, 10)
                .unwrap()
        );
    }

    #[test]
    fn random_design_is_seeded_and_within_levels() {
        let cells = Design::Random { cells: 200 }.cells(&axes(), 3).unwrap();
        assert_eq!(cells.len(), 200);
        assert!(
            cells
                .iter()
                .all(|c| c[0] == json!("x") || c[0] == json!("y"))
        );
        let ys = cells.iter().filter(|c| c[0] == json!("y")).count();
        // Binomial(200, 1/2): sd ~ 7; allow 5 sd.
        assert!((ys as i64 - 100).abs() < 35, "{ys}");
        assert_eq!(
            cells,
            Design::Random { cells: 200 }.cells(&axes(), 3).unwrap()
        );
    }

    #[test]
    fn degenerate_designs_are_refused() {
        assert!(Design::Random { cells: 0 }.cells(&axes(), 0).is_err());
        let huge = vec![Axis::new("a", Levels::integers(0, 9999, 1)); 3];
        assert!(matches!(
            Design::Grid.cells(&huge, 0),
            Err(Error::InvalidParameter { field, .. }) if field == "design"
        ));
        let bad = vec![Axis::new("rates.x", Levels::Values(vec![]))];
        assert!(matches!(
            Design::Grid.cells(&bad, 0),
            Err(Error::InvalidParameter { field, .. }) if field == "axes[0].levels"
        ));
    }

    #[test]
    fn run_seeds_depend_on_seed_cell_and_run_only() {
        let s = Seeding::Independent;
        let all: std::collections::HashSet<u64> = (0..50)
            .flat_map(|c| (0..20).map(move |r| s.run_seed(1, c, r)))
            .collect();
        assert_eq!(all.len(), 1000);
        assert_ne!(s.run_seed(1, 0, 0), s.run_seed(2, 0, 0));
        assert_ne!(
            Seeding::Common.run_seed(1, 0, 0),
            Seeding::Common.run_seed(1, 0, 1)
        );
    }
}
