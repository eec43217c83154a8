//! [`Axis`]: one swept parameter of a [`Scenario`](crate::sim::Scenario),
//! named by its path in the scenario's JSON form, and the [`Levels`] it takes.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, Result};

/// Most levels one axis may list or generate.
const MAX_LEVELS: u64 = 1 << 20;

/// One swept parameter: where it is in the scenario, and its levels.
///
/// The **path** addresses a field of the scenario as it is written in JSON
/// (the format of `examples/scenario.json`): object keys separated by dots,
/// array positions as numbers, and `*` for every element of an array (or
/// every value of an object):
///
/// | path | what |
/// |---|---|
/// | `rates.advocate_talk` | chance that an advocate talks in a period |
/// | `ownership` | the whole ownership model, e.g. `{"model": "co_op"}` |
/// | `engagements.6.schedule.every` | spacing of the 7th engagement of the plan |
/// | `engagements.*.cost` | the cost of every engagement |
/// | `network.generated.model.communities` | number of micro-communities |
/// | `business.policy.threshold` | feedback items per business change |
///
/// Every key on the path must exist in the scenario (a typo is an error, not
/// a silently ignored field), and the value must be what the field accepts
/// (probabilities in `[0, 1]`, integers for counts, ...); both are checked
/// when the sweep is built, naming the path. `seed` cannot be swept: the
/// sweep sets it for each run.
///
/// ```
/// use social_loop::sweep::{Axis, Levels};
/// let talk = Axis::new("rates.advocate_talk", Levels::range(0.1, 0.5, 5));
/// assert_eq!(talk.levels().grid()?.len(), 5);
/// let owner = Axis::new(
///     "ownership",
///     Levels::values([serde_json::json!({"model": "siloed"}), serde_json::json!({"model": "co_op"})]),
/// );
/// assert_eq!(owner.levels().grid()?.len(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Axis {
    path: String,
    levels: Levels,
}

impl Axis {
    /// The axis `path` with `levels`.
    pub fn new(path: impl Into<String>, levels: Levels) -> Self {
        Axis {
            path: path.into(),
            levels,
        }
    }

    /// The field's path in the scenario's JSON form.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The values it takes.
    pub fn levels(&self) -> &Levels {
        &self.levels
    }
}

/// The values of an [`Axis`]. A grid takes each of its [`grid`](Self::grid)
/// levels; a random or Latin-hypercube design maps a uniform number `u` in
/// `[0, 1)` to a level with [`at`](Self::at).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Levels {
    /// These JSON values. Sampled designs pick one with equal chances.
    Values(Vec<Value>),
    /// Real numbers from `min` to `max`: a grid takes `steps` evenly spaced
    /// values (both ends included; `min` alone when `steps` is 1); sampled
    /// designs draw uniformly in `[min, max)`.
    Range {
        /// Lowest value.
        min: f64,
        /// Highest value.
        max: f64,
        /// Grid levels.
        steps: u32,
    },
    /// Positive real numbers from `min` to `max` on a log scale: a grid takes
    /// `steps` geometrically spaced values; sampled designs draw log-uniformly.
    LogRange {
        /// Lowest value (> 0).
        min: f64,
        /// Highest value.
        max: f64,
        /// Grid levels.
        steps: u32,
    },
    /// Integers `min, min + step, ...` up to `max`: a grid takes each, sampled
    /// designs pick one with equal chances. For fields that hold counts.
    Integers {
        /// Lowest value.
        min: i64,
        /// Highest value (included when on the step).
        max: i64,
        /// Spacing (>= 1).
        step: i64,
    },
}

impl Levels {
    /// The listed values.
    pub fn values<V: Into<Value>>(values: impl IntoIterator<Item = V>) -> Self {
        Levels::Values(values.into_iter().map(Into::into).collect())
    }

    /// `steps` evenly spaced reals from `min` to `max`.
    pub fn range(min: f64, max: f64, steps: u32) -> Self {
        Levels::Range { min, max, steps }
    }

    /// `steps` log-spaced reals from `min` to `max`.
    pub fn log_range(min: f64, max: f64, steps: u32) -> Self {
        Levels::LogRange { min, max, steps }
    }

    /// Integers from `min` to `max` by `step`.
    pub fn integers(min: i64, max: i64, step: i64) -> Self {
        Levels::Integers { min, max, step }
    }

    /// Checks the levels.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `levels`) for an empty list, a range
    /// with a non-finite end, `min > max`, zero steps, a log range that does
    /// not start above 0, an integer step below 1, or more than 2^20 levels.
    pub fn validate(&self) -> Result<()> {
        let bad = |reason: String| Err(Error::invalid("levels", reason));
        match *self {
            Levels::Values(ref v) if v.is_empty() => bad("no values".into()),
            Levels::Values(ref v) if v.len() as u64 > MAX_LEVELS => {
                bad(format!("{} values; at most {MAX_LEVELS}", v.len()))
            }
            Levels::Values(_) => Ok(()),
            Levels::Range { min, max, steps } | Levels::LogRange { min, max, steps } => {
                if !(min.is_finite() && max.is_finite()) || min > max {
                    bad(format!("range {min}..{max} is not finite and ordered"))
                } else if steps == 0 || u64::from(steps) > MAX_LEVELS {
                    bad(format!("{steps} steps; expected 1 to {MAX_LEVELS}"))
                } else if matches!(self, Levels::LogRange { .. }) && min <= 0.0 {
                    bad(format!("a log range must start above 0, not at {min}"))
                } else {
                    Ok(())
                }
            }
            Levels::Integers { min, max, step } => {
                if min > max || step < 1 {
                    bad(format!(
                        "integers {min}..={max} by {step}: need min <= max, step >= 1"
                    ))
                } else if self.integer_count() > MAX_LEVELS {
                    bad(format!("more than {MAX_LEVELS} integers"))
                } else {
                    Ok(())
                }
            }
        }
    }

    /// Number of integer levels (for `Integers`).
    fn integer_count(&self) -> u64 {
        match *self {
            Levels::Integers { min, max, step } if step >= 1 && min <= max => {
                let span = i128::from(max) - i128::from(min);
                u64::try_from(span / i128::from(step) + 1).unwrap_or(u64::MAX)
            }
            _ => 0,
        }
    }

    /// The levels a grid takes, in order.
    ///
    /// # Errors
    /// As [`validate`](Self::validate).
    pub fn grid(&self) -> Result<Vec<Value>> {
        self.validate()?;
        Ok(match *self {
            Levels::Values(ref v) => v.clone(),
            Levels::Range { steps, .. } | Levels::LogRange { steps, .. } => {
                let last = steps.saturating_sub(1).max(1);
                (0..steps)
                    .map(|i| self.real_at(f64::from(i) / f64::from(last)))
                    .collect()
            }
            Levels::Integers { min, step, .. } => (0..self.integer_count())
                .map(|i| Value::from(min.saturating_add(step.saturating_mul(i as i64))))
                .collect(),
        })
    }

    /// The level at `u` in `[0, 1)`: the value at that quantile of a uniform
    /// (log-uniform) draw, or of an equal-chance pick among the listed values
    /// and integers.
    ///
    /// # Errors
    /// As [`validate`](Self::validate).
    pub fn at(&self, u: f64) -> Result<Value> {
        self.validate()?;
        let u = if u.is_finite() {
            u.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let pick = |count: u64| ((u * count as f64) as u64).min(count.saturating_sub(1));
        Ok(match *self {
            Levels::Values(ref v) => {
                let i = usize::try_from(pick(v.len() as u64)).unwrap_or(0);
                v.get(i).cloned().unwrap_or(Value::Null)
            }
            Levels::Range { .. } | Levels::LogRange { .. } => self.real_at(u),
            Levels::Integers { min, step, .. } => {
                let i = pick(self.integer_count()) as i64;
                Value::from(min.saturating_add(step.saturating_mul(i)))
            }
        })
    }

    /// The real at fraction `f` in `[0, 1]` of a (log) range, exactly `min` and
    /// `max` at the ends.
    fn real_at(&self, f: f64) -> Value {
        let x = match *self {
            Levels::Range { min, .. } if f <= 0.0 => min,
            Levels::Range { max, .. } if f >= 1.0 => max,
            Levels::Range { min, max, .. } => tidy(min + f * (max - min)),
            Levels::LogRange { min, .. } if f <= 0.0 => min,
            Levels::LogRange { max, .. } if f >= 1.0 => max,
            Levels::LogRange { min, max, .. } => tidy((min.ln() + f * (max.ln() - min.ln())).exp()),
            _ => f64::NAN,
        };
        Value::from(x)
    }
}

/// The shortest decimal within four ulps of `x` (so that `0.1 + 2 x 0.1`
/// is the level `0.3`, not `0.30000000000000004`).
fn tidy(x: f64) -> f64 {
    let tolerance = 4.0 * f64::EPSILON * x.abs();
    for digits in 0..17 {
        if let Ok(y) = format!("{x:.digits$e}").parse::<f64>() {
            if (y - x).abs() <= tolerance {
                return y;
            }
        }
    }
    x
}

/// Sets the field at `path` in `root` (the JSON form of a scenario) to
/// `value`. See [`Axis`] for the path syntax.
pub(crate) fn set_path(root: &mut Value, path: &str, value: &Value) -> Result<()> {
    if path.is_empty() || path.split('.').any(str::is_empty) {
        return Err(Error::invalid(
            "axes.path",
            format!("`{path}`: a path is keys separated by single dots"),
        ));
    }
    if path == "seed" {
        return Err(Error::invalid(
            "axes.path",
            "`seed`: the sweep sets the seed of every run; sweep other fields",
        ));
    }
    let segments: Vec<&str> = path.split('.').collect();
    set_in(root, &segments, 0, path, value)
}

fn set_in(
    node: &mut Value,
    segments: &[&str],
    depth: usize,
    path: &str,
    value: &Value,
) -> Result<()> {
    let Some((&key, rest)) = segments.split_first() else {
        *node = value.clone();
        return Ok(());
    };
    let here = || segments_before(path, depth);
    let missing = |what: String| Error::invalid("axes.path", format!("`{path}`: {what}"));
    let children: Vec<&mut Value> = match node {
        Value::Object(map) if key == "*" => map.values_mut().collect(),
        Value::Object(map) => match map.get_mut(key) {
            Some(child) => vec![child],
            None => {
                let known: Vec<&str> = map.keys().map(String::as_str).collect();
                return Err(missing(format!(
                    "no field `{key}` in `{}` (fields: {})",
                    here(),
                    known.join(", ")
                )));
            }
        },
        Value::Array(items) if key == "*" => items.iter_mut().collect(),
        Value::Array(items) => {
            let len = items.len();
            match key.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                Some(child) => vec![child],
                None => {
                    return Err(missing(format!(
                        "`{key}` is not a position in `{}` (a list of {len})",
                        here()
                    )));
                }
            }
        }
        _ => {
            return Err(missing(format!(
                "`{}` is a single value, it has no field `{key}`",
                here()
            )));
        }
    };
    for child in children {
        set_in(child, rest, depth + 1, path, value)?;
    }
    Ok(())
}

/// The first `depth` segments of `path` (`<scenario>` for none).
fn segments_before(path: &str, depth: usize) -> String {
    if depth == 0 {
        return "<scenario>".into();
    }
    path.split('.').take(depth).collect::<Vec<_>>().join(".")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn grids_hit_both_ends_and_log_ranges_are_geometric() {
        assert_eq!(
            Levels::range(0.1, 0.5, 3).grid().unwrap(),
            vec![json!(0.1), json!(0.3), json!(0.5)]
        );
        assert_eq!(Levels::range(2.0, 9.0, 1).grid().unwrap(), vec![json!(2.0)]);
        // Interior levels are the shortest decimals, not rounding noise.
        assert_eq!(
            Levels::range(0.1, 0.5, 5).grid().unwrap(),
            vec![json!(0.1), json!(0.2), json!(0.3), json!(0.4), json!(0.5)]
        );
        assert_eq!(
            Levels::range(0.005, 0.015, 3).grid().unwrap(),
            vec![json!(0.005), json!(0.01), json!(0.015)]
        );
        let g = Levels::log_range(0.001, 0.1, 3).grid().unwrap();
        assert_eq!(g.first(), Some(&json!(0.001)));
        assert!((g[1].as_f64().unwrap() - 0.01).abs() < 1e-15);
        assert_eq!(g.last(), Some(&json!(0.1)));
        assert_eq!(
            Levels::integers(1, 8, 3).grid().unwrap(),
            vec![json!(1), json!(4), json!(7)]
        );
    }

    #[test]
    fn sampled_levels_cover_the_range_evenly() {
        let ints = Levels::integers(1, 8, 3);
        assert_eq!(ints.at(0.0).unwrap(), json!(1));
        assert_eq!(ints.at(0.34).unwrap(), json!(4));
        assert_eq!(ints.at(0.999).unwrap(), json!(7));
        let vals = Levels::values(["a", "b"]);
        assert_eq!(vals.at(0.49).unwrap(), json!("a"));
        assert_eq!(vals.at(0.5).unwrap(), json!("b"));
        assert_eq!(Levels::range(1.0, 3.0, 2).at(0.25).unwrap(), json!(1.5));
    }

    #[test]
    fn invalid_levels_are_refused() {
        for bad in [
            Levels::Values(vec![]),
            Levels::range(1.0, 0.0, 3),
            Levels::range(0.0, f64::INFINITY, 3),
            Levels::range(0.0, 1.0, 0),
            Levels::log_range(0.0, 1.0, 3),
            Levels::integers(0, 10, 0),
            Levels::integers(0, i64::MAX, 1),
        ] {
            assert!(
                matches!(bad.validate(), Err(Error::InvalidParameter { ref field, .. }) if field == "levels"),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn paths_set_fields_positions_and_wildcards() {
        let mut v = json!({"rates": {"talk": 0.3}, "plan": [{"cost": "1"}, {"cost": "2"}]});
        set_path(&mut v, "rates.talk", &json!(0.5)).unwrap();
        set_path(&mut v, "plan.1.cost", &json!("9")).unwrap();
        assert_eq!(
            v,
            json!({"rates": {"talk": 0.5}, "plan": [{"cost": "1"}, {"cost": "9"}]})
        );
        set_path(&mut v, "plan.*.cost", &json!("4")).unwrap();
        assert_eq!(v["plan"], json!([{"cost": "4"}, {"cost": "4"}]));
    }

    #[test]
    fn bad_paths_name_the_axis_and_the_missing_part() {
        let v = json!({"rates": {"talk": 0.3}, "plan": [1, 2]});
        let err = |path: &str| match set_path(&mut v.clone(), path, &json!(1)) {
            Err(Error::InvalidParameter { field, reason }) => (field.to_string(), reason),
            other => panic!("{path}: {other:?}"),
        };
        let (field, reason) = err("rates.tallk");
        assert_eq!(field, "axes.path");
        assert!(
            reason.contains("`rates.tallk`: no field `tallk` in `rates` (fields: talk)"),
            "{reason}"
        );
        assert!(err("plan.2").1.contains("a list of 2"));
        assert!(
            err("rates.talk.x")
                .1
                .contains("`rates.talk` is a single value")
        );
        assert!(err("rates..talk").1.contains("single dots"));
        assert!(err("seed").1.contains("sets the seed"));
    }
}
