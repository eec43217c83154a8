//! The one maximum-likelihood mechanism of the four models: optimise on
//! log-transformed parameters, check convergence and boundaries, then standard
//! errors from the numeric Hessian, 95% intervals, log-likelihood and AIC.
//!
//! * **Optimiser** ([`optimise`]): argmin's Nelder-Mead from the model's
//!   starting values, polished by argmin's BFGS (Moré-Thuente line search) with
//!   central-difference gradients; all on `φ = ln θ`, so every parameter stays
//!   positive without bounds. Up to four rounds (each Nelder-Mead, then
//!   BFGS) run until the gradient is small.
//! * **Convergence**: the gradient of the mean negative log-likelihood must be
//!   below `10⁻⁵` in every coordinate of `φ`; otherwise [`Error::Fit`].
//! * **Boundary**: a parameter whose `|ln θ| > 13` (θ below 2·10⁻⁶ or above
//!   4·10⁵) is taken as running to 0 or ∞: the likelihood has no interior
//!   maximum there and the fit is refused with [`Error::Fit`] naming it.
//! * **Uncertainty** ([`curvature`]): the observed information is the
//!   central-difference Hessian of `−ℓ` in `φ`; its inverse is the covariance
//!   of `φ̂`. `std_err(θ) = θ̂ · se(φ̂)` (delta method) and
//!   `ci95 = exp(φ̂ ± 1.96 se(φ̂))`, a Wald interval on the log scale that
//!   never leaves the parameter's domain. A Hessian that is not positive
//!   definite (a flat or saddle direction) is refused.
//! * **AIC** `= 2k − 2ℓ`.

pub(crate) mod curvature;
pub(crate) mod optimise;

use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// What a model gives the mechanism: its parameter names, a starting point
/// and the log-likelihood of its data at θ (NaN or −∞ where undefined).
pub(crate) trait Likelihood: Sync {
    /// The model's name in error fields (`bgnbd`, `pareto_nbd`, ...).
    const MODEL: &'static str;
    /// Parameter names, in the order of θ.
    const NAMES: &'static [&'static str];
    /// Number of observations (customers, or cohort members).
    fn observations(&self) -> f64;
    /// A starting point (every entry positive).
    fn start(&self) -> Vec<f64>;
    /// The log-likelihood of all the data at `theta`.
    fn log_likelihood(&self, theta: &[f64]) -> f64;
}

/// One fitted parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ParameterEstimate {
    /// Its name in the literature (`r`, `alpha`, `a`, `b`, `s`, `beta`, `p`, `q`, `gamma`).
    pub name: String,
    /// The maximum-likelihood estimate.
    pub estimate: f64,
    /// Its standard error (delta method from the log scale).
    pub std_err: f64,
    /// The 95% Wald interval on the log scale, `exp(ln θ̂ ± 1.96 se)`.
    pub ci95: [f64; 2],
}

/// A maximum-likelihood fit: estimates with their uncertainty, and the
/// normal approximation on the log scale that parameter draws come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Estimates {
    /// The parameters, in the model's order.
    pub parameters: Vec<ParameterEstimate>,
    /// The maximised log-likelihood `ℓ`.
    pub log_likelihood: f64,
    /// Akaike's information criterion, `2k − 2ℓ`.
    pub aic: f64,
    /// Observations the likelihood was summed over.
    pub observations: f64,
    /// Log-likelihood evaluations the fit took (optimiser, gradients, Hessian).
    pub evaluations: u64,
    /// Covariance of `ln θ̂` (row by row).
    pub log_covariance: Vec<Vec<f64>>,
}

impl Estimates {
    /// The estimates θ̂, in the model's order.
    pub fn values(&self) -> Vec<f64> {
        self.parameters.iter().map(|p| p.estimate).collect()
    }

    /// The estimate of parameter `name`.
    pub fn get(&self, name: &str) -> Option<&ParameterEstimate> {
        self.parameters.iter().find(|p| p.name == name)
    }

    /// One draw of θ from the fit's normal approximation on the log scale,
    /// `exp(ln θ̂ + L ε)` with `L Lᵀ` the covariance of `ln θ̂` and `ε`
    /// standard normal (Box-Muller on `rng`'s uniforms).
    pub(crate) fn draw<R: Rng + ?Sized>(&self, factor: &[Vec<f64>], rng: &mut R) -> Vec<f64> {
        let k = self.parameters.len();
        let eps: Vec<f64> = (0..k).map(|_| standard_normal(rng)).collect();
        self.parameters
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let shift: f64 = factor.get(i).map_or(0.0, |row| {
                    row.iter().zip(&eps).take(i + 1).map(|(l, e)| l * e).sum()
                });
                p.estimate * shift.exp()
            })
            .collect()
    }

    /// The lower Cholesky factor of the log-scale covariance (validated at
    /// the fit, so it exists).
    pub(crate) fn draw_factor(&self) -> Vec<Vec<f64>> {
        curvature::cholesky(&self.log_covariance).unwrap_or_default()
    }
}

/// A standard normal draw (Box-Muller).
fn standard_normal<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    let u1: f64 = 1.0 - rng.random::<f64>(); // (0, 1]
    let u2: f64 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// The cost of a point where the log-likelihood is not finite (the mean
/// negative log-likelihood of any sensible point is far below).
const UNDEFINED: f64 = 1e12;

/// `|ln θ|` beyond which a parameter is on the boundary.
const BOUNDARY: f64 = 13.0;
/// Largest gradient coordinate of the mean negative log-likelihood accepted
/// as converged.
const GRADIENT_TOLERANCE: f64 = 1e-5;

/// Fits `model` by maximum likelihood (see the [module](self)).
pub(crate) fn maximise<L: Likelihood>(model: &L) -> Result<Estimates> {
    let field = |name: &str| format!("{}.{name}", L::MODEL);
    let start: Vec<f64> = model.start().iter().map(|v| v.ln()).collect();
    if start.len() != L::NAMES.len() || start.iter().any(|v| !v.is_finite()) {
        return Err(Error::Fit {
            field: L::MODEL.into(),
            reason: "no finite starting point".into(),
        });
    }
    let scale = model.observations().max(1.0);
    let objective = |phi: &[f64]| -> f64 {
        let theta: Vec<f64> = phi.iter().map(|v| v.exp()).collect();
        let ll = model.log_likelihood(&theta);
        if ll.is_nan() {
            f64::INFINITY
        } else {
            -ll / scale
        }
    };
    let found = optimise::minimise(&objective, start, GRADIENT_TOLERANCE);
    let phi = found.phi;
    for (name, v) in L::NAMES.iter().zip(&phi) {
        if v.abs() > BOUNDARY {
            let towards = if *v > 0.0 { "infinity" } else { "zero" };
            return Err(Error::Fit {
                field: field(name).into(),
                reason: format!(
                    "the likelihood has no interior maximum: {name} runs to {towards} ({:e}); \
                     the model does not fit these data",
                    v.exp()
                ),
            });
        }
    }
    let cost = objective(&phi);
    if cost.is_nan() || cost >= UNDEFINED {
        return Err(Error::Fit {
            field: L::MODEL.into(),
            reason: "the log-likelihood is not finite at the optimum".into(),
        });
    }
    let gradient = curvature::gradient(&objective, &phi);
    if let Some((i, g)) = gradient
        .iter()
        .enumerate()
        .find(|(_, g)| g.is_nan() || g.abs() > GRADIENT_TOLERANCE)
    {
        let name = L::NAMES.get(i).copied().unwrap_or("?");
        return Err(Error::Fit {
            field: field(name).into(),
            reason: format!(
                "did not converge: the log-likelihood still changes with ln {name} \
                 (gradient {g:e} per observation after {} evaluations)",
                found.evaluations
            ),
        });
    }
    let hessian = curvature::hessian(&objective, &phi, scale);
    let covariance = curvature::covariance(&hessian).map_err(|i| Error::Fit {
        field: field(L::NAMES.get(i).copied().unwrap_or("?")).into(),
        reason: "the likelihood is flat or not concave in this parameter at the optimum \
                 (Hessian not positive definite): it is not identified by these data"
            .into(),
    })?;
    let log_likelihood = -cost * scale;
    let parameters = L::NAMES
        .iter()
        .zip(&phi)
        .zip(&covariance)
        .enumerate()
        .map(|(i, ((name, v), row))| {
            let se = row.get(i).copied().unwrap_or(f64::NAN).sqrt();
            let estimate = v.exp();
            ParameterEstimate {
                name: (*name).to_string(),
                estimate,
                std_err: estimate * se,
                ci95: [(v - 1.96 * se).exp(), (v + 1.96 * se).exp()],
            }
        })
        .collect();
    let k = L::NAMES.len() as f64;
    let evaluations = found.evaluations + 2 * phi.len() as u64 + 4 * (phi.len() * phi.len()) as u64;
    Ok(Estimates {
        parameters,
        log_likelihood,
        aic: 2.0 * k - 2.0 * log_likelihood,
        observations: model.observations(),
        evaluations,
        log_covariance: covariance,
    })
}
