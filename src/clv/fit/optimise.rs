//! The optimiser: argmin's Nelder-Mead, then argmin's BFGS with a
//! Moré-Thuente line search and central-difference gradients, minimising a
//! function of `φ = ln θ`.

use std::cell::Cell;

use argmin::core::{CostFunction, Executor, Gradient, State};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::neldermead::NelderMead;
use argmin::solver::quasinewton::BFGS;

use super::curvature;

/// Nelder-Mead iterations before BFGS takes over.
const NELDER_MEAD_ITERATIONS: u64 = 1_000;
/// BFGS iterations.
const BFGS_ITERATIONS: u64 = 200;

/// Where the optimiser stopped.
pub(crate) struct Found {
    pub phi: Vec<f64>,
    pub evaluations: u64,
}

/// The objective as argmin sees it, counting evaluations.
struct Problem<'a, F> {
    f: &'a F,
    calls: &'a Cell<u64>,
}

impl<F: Fn(&[f64]) -> f64> CostFunction for Problem<'_, F> {
    type Param = Vec<f64>;
    type Output = f64;
    fn cost(&self, phi: &Vec<f64>) -> Result<f64, argmin::core::Error> {
        self.calls.set(self.calls.get() + 1);
        Ok((self.f)(phi))
    }
}

impl<F: Fn(&[f64]) -> f64> Gradient for Problem<'_, F> {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;
    fn gradient(&self, phi: &Vec<f64>) -> Result<Vec<f64>, argmin::core::Error> {
        self.calls.set(self.calls.get() + 2 * phi.len() as u64);
        Ok(curvature::gradient(self.f, phi))
    }
}

/// Rounds of Nelder-Mead then BFGS before giving up.
const ROUNDS: usize = 4;

/// Minimises `f` from `start` until every coordinate of the gradient is
/// within `tolerance` (or [`ROUNDS`] rounds of Nelder-Mead then BFGS, each
/// restarting from the last best point, have run). Never fails: a solver
/// error leaves the best point found so far, which the caller then checks.
pub(crate) fn minimise<F: Fn(&[f64]) -> f64>(f: &F, start: Vec<f64>, tolerance: f64) -> Found {
    let calls = Cell::new(0);
    let mut best = start;
    for _ in 0..ROUNDS {
        best = round(f, best, &calls);
        let g = curvature::gradient(f, &best);
        calls.set(calls.get() + 2 * best.len() as u64);
        if g.iter().all(|g| g.abs() <= tolerance) {
            break;
        }
    }
    Found {
        phi: best,
        evaluations: calls.get(),
    }
}

/// One round: Nelder-Mead from `start`, then BFGS from its best point.
fn round<F: Fn(&[f64]) -> f64>(f: &F, start: Vec<f64>, calls: &Cell<u64>) -> Vec<f64> {
    let problem = || Problem { f, calls };
    let mut simplex = vec![start.clone()];
    for i in 0..start.len() {
        let mut vertex = start.clone();
        if let Some(v) = vertex.get_mut(i) {
            *v += 0.5;
        }
        simplex.push(vertex);
    }
    let mut best = start;
    let nelder_mead = NelderMead::new(simplex).with_sd_tolerance(1e-10);
    if let Ok(solver) = nelder_mead {
        if let Ok(result) = Executor::new(problem(), solver)
            .configure(|s| s.max_iters(NELDER_MEAD_ITERATIONS))
            .run()
        {
            if let Some(p) = result.state().get_best_param() {
                best = p.clone();
            }
        }
    }
    let k = best.len();
    let identity: Vec<Vec<f64>> = (0..k)
        .map(|i| (0..k).map(|j| if i == j { 1.0 } else { 0.0 }).collect())
        .collect();
    let bfgs = BFGS::new(MoreThuenteLineSearch::new()).with_tolerance_grad(1e-9);
    let before = f(&best);
    if let Ok(solver) = bfgs {
        let run = Executor::new(problem(), solver)
            .configure(|s| {
                s.param(best.clone())
                    .inv_hessian(identity)
                    .max_iters(BFGS_ITERATIONS)
            })
            .run();
        if let Ok(result) = run {
            let state = result.state();
            if let Some(p) = state.get_best_param() {
                if state.get_best_cost() <= before && p.iter().all(|v| v.is_finite()) {
                    best = p.clone();
                }
            }
        }
    }
    best
}
