//! A Levenberg-Marquardt solver for small nonlinear least-squares problems.
//!
//! Written here rather than taken from a crate: the maintained NLS crates
//! (`levenberg-marquardt`, `argmin`) bring `nalgebra` or a generic optimisation
//! framework for what is, in this crate, a 3-parameter problem whose normal
//! equations are a 3 x 3 solve. Sixty lines of Marquardt (1963) with diagonal
//! scaling are easier to audit than the dependency tree.

use serde::{Deserialize, Serialize};

use super::linalg::{self, Matrix};

/// Why the Levenberg-Marquardt iterations stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Termination {
    /// The last accepted step changed every parameter by less than the
    /// relative tolerance: converged.
    StepTolerance,
    /// No step, however short, lowered the residual sum of squares any more:
    /// the iterate is a minimum to machine precision. Converged.
    NoFurtherReduction,
    /// The iteration limit was reached first: not converged.
    MaxIterations,
}

impl Termination {
    /// Whether the solver stopped at a minimum (`MaxIterations` is the only
    /// non-converged outcome).
    pub fn converged(self) -> bool {
        !matches!(self, Termination::MaxIterations)
    }
}

/// Solver settings (validated by the caller).
pub(crate) struct Settings {
    pub max_iterations: u32,
    pub tolerance: f64,
}

/// What the solver found.
pub(crate) struct Outcome {
    pub params: Vec<f64>,
    pub rss: f64,
    /// `d prediction_i / d param_k` at `params`, one row per observation.
    pub jacobian: Matrix,
    pub iterations: u32,
    pub termination: Termination,
}

/// The damping factor above which no descent step exists in floating point.
const MAX_DAMPING: f64 = 1e16;

/// Residual sum of squares of `predicted` against `observed`.
pub(crate) fn rss(observed: &[f64], predicted: &[f64]) -> f64 {
    observed
        .iter()
        .zip(predicted)
        .map(|(y, g)| (y - g) * (y - g))
        .sum()
}

/// Minimises `sum (observed_i - model(params)_i)^2` from `start`.
///
/// `model` returns the predictions, or `None` where the parameters are outside
/// its domain (the step is then rejected and the damping raised); `jacobian`
/// returns the derivatives of the predictions; `project` moves a trial point
/// onto a boundary the model allows (e.g. `q = 0`). Returns `None` when the model
/// is undefined at `start`.
///
/// # Complexity
/// Each iteration costs one Jacobian (`n x k`), the normal equations
/// (`O(n k^2)`) and a `k x k` solve per damping trial.
pub(crate) fn levenberg_marquardt(
    observed: &[f64],
    start: Vec<f64>,
    model: impl Fn(&[f64]) -> Option<Vec<f64>>,
    jacobian: impl Fn(&[f64]) -> Option<Matrix>,
    project: impl Fn(&mut [f64]),
    settings: &Settings,
) -> Option<Outcome> {
    let k = start.len();
    let mut params = start;
    let mut current_rss = rss(observed, &model(&params)?);
    let mut damping = 1e-3;
    let mut iterations = 0;
    let termination = 'outer: loop {
        if iterations >= settings.max_iterations {
            break Termination::MaxIterations;
        }
        iterations += 1;
        let predicted = model(&params)?;
        let jac = jacobian(&params)?;
        let residuals: Vec<f64> = observed
            .iter()
            .zip(&predicted)
            .map(|(y, g)| y - g)
            .collect();
        let normal = normal_matrix(&jac, k);
        let gradient: Vec<f64> = (0..k)
            .map(|c| jac.iter().zip(&residuals).map(|(row, r)| row[c] * r).sum())
            .collect();
        loop {
            let mut damped = normal.clone();
            for (i, row) in damped.iter_mut().enumerate() {
                // Marquardt's scaling: damp each parameter relative to its own
                // curvature, so m (tens of thousands) and p (thousandths) are
                // treated alike.
                row[i] += damping * normal[i][i].max(f64::MIN_POSITIVE);
            }
            if let Some(step) = linalg::solve(&damped, &gradient) {
                let mut trial: Vec<f64> = params.iter().zip(&step).map(|(x, d)| x + d).collect();
                project(&mut trial);
                if let Some(trial_predicted) = model(&trial) {
                    let trial_rss = rss(observed, &trial_predicted);
                    if trial_rss.is_finite() && trial_rss <= current_rss {
                        let relative_step = params
                            .iter()
                            .zip(&trial)
                            .map(|(old, new)| (new - old).abs() / old.abs().max(1e-300))
                            .fold(0.0, f64::max);
                        params = trial;
                        current_rss = trial_rss;
                        damping = (damping / 10.0).max(1e-15);
                        if relative_step < settings.tolerance {
                            break 'outer Termination::StepTolerance;
                        }
                        break;
                    }
                }
            }
            damping *= 10.0;
            if damping > MAX_DAMPING {
                break 'outer Termination::NoFurtherReduction;
            }
        }
    };
    let jacobian = jacobian(&params)?;
    Some(Outcome {
        params,
        rss: current_rss,
        jacobian,
        iterations,
        termination,
    })
}

/// `J^T J` for a Jacobian with `k` columns.
pub(crate) fn normal_matrix(jacobian: &Matrix, k: usize) -> Matrix {
    (0..k)
        .map(|a| {
            (0..k)
                .map(|b| jacobian.iter().map(|row| row[a] * row[b]).sum())
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_an_exponential_decay_exactly() {
        // y = 5 e^{-0.3 t}, noise-free: the minimum has RSS 0 at (5, 0.3).
        let times: Vec<f64> = (0..8).map(f64::from).collect();
        let observed: Vec<f64> = times.iter().map(|t| 5.0 * (-0.3 * t).exp()).collect();
        let model = |x: &[f64]| Some(times.iter().map(|t| x[0] * (-x[1] * t).exp()).collect());
        let jacobian = |x: &[f64]| {
            Some(
                times
                    .iter()
                    .map(|t| vec![(-x[1] * t).exp(), -x[0] * t * (-x[1] * t).exp()])
                    .collect(),
            )
        };
        let settings = Settings {
            max_iterations: 100,
            tolerance: 1e-12,
        };
        let outcome = levenberg_marquardt(
            &observed,
            vec![1.0, 1.0],
            model,
            jacobian,
            |_| {},
            &settings,
        )
        .unwrap();
        assert!(outcome.termination.converged());
        assert!(
            (outcome.params[0] - 5.0).abs() < 1e-9,
            "{:?}",
            outcome.params
        );
        assert!((outcome.params[1] - 0.3).abs() < 1e-10);
        assert!(outcome.rss < 1e-18);
    }

    #[test]
    fn stops_at_the_iteration_limit() {
        let observed = [1.0, 2.0, 3.0];
        let model = |x: &[f64]| Some(vec![x[0], 2.0 * x[0], 3.0 * x[0]]);
        let jacobian = |_: &[f64]| Some(vec![vec![1.0], vec![2.0], vec![3.0]]);
        let settings = Settings {
            max_iterations: 1,
            tolerance: 1e-300,
        };
        let outcome =
            levenberg_marquardt(&observed, vec![100.0], model, jacobian, |_| {}, &settings)
                .unwrap();
        assert_eq!(outcome.termination, Termination::MaxIterations);
        assert!(!outcome.termination.converged());
        assert_eq!(outcome.iterations, 1);
    }
}
