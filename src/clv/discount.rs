//! Expected discounted transactions: the expected number of future
//! transactions, each weighted by the continuous discount factor `e^{−δτ}`.
//!
//! With `E(τ)` the expected transactions in `(T, T + τ]`:
//!
//! ```text
//! DET(H) = ∫₀^H e^{−δτ} dE(τ) = e^{−δH} E(H) + δ ∫₀^H e^{−δτ} E(τ) dτ    (finite horizon)
//! DET(∞) = δ ∫₀^∞ e^{−δτ} E(τ) dτ = ∫₀^∞ e^{−u} E(u/δ) du                  (no horizon)
//! ```
//!
//! (integration by parts; `E(0) = 0`), by 24-point Gauss-Legendre on
//! `[0, H]` and 24-point Gauss-Laguerre on `[0, ∞)`. The nodes are computed
//! once by Newton's method on the orthogonal polynomials' recurrences (Golub &
//! Welsch's eigenvalue route would need a linear-algebra crate for 24 numbers).

use std::sync::OnceLock;

use crate::error::Result;

/// Nodes of each rule.
const NODES: usize = 24;

/// Gauss-Legendre `(node, weight)` on `[-1, 1]`.
fn legendre() -> &'static [(f64, f64)] {
    static RULE: OnceLock<Vec<(f64, f64)>> = OnceLock::new();
    RULE.get_or_init(|| {
        let n = NODES;
        (0..n)
            .map(|i| {
                let mut x = (std::f64::consts::PI * (i as f64 + 0.75) / (n as f64 + 0.5)).cos();
                let mut dp = 1.0;
                for _ in 0..100 {
                    let (mut p0, mut p1) = (1.0, x);
                    for k in 2..=n {
                        let k = k as f64;
                        let p2 = ((2.0 * k - 1.0) * x * p1 - (k - 1.0) * p0) / k;
                        p0 = p1;
                        p1 = p2;
                    }
                    dp = n as f64 * (x * p1 - p0) / (x * x - 1.0);
                    let step = p1 / dp;
                    x -= step;
                    if step.abs() < 1e-15 {
                        break;
                    }
                }
                (x, 2.0 / ((1.0 - x * x) * dp * dp))
            })
            .collect()
    })
}

/// Gauss-Laguerre `(node, weight)` for `∫₀^∞ e^{−u} f(u) du`.
fn laguerre() -> &'static [(f64, f64)] {
    static RULE: OnceLock<Vec<(f64, f64)>> = OnceLock::new();
    RULE.get_or_init(|| {
        let n = NODES;
        let nf = n as f64;
        let mut out: Vec<(f64, f64)> = Vec::with_capacity(n);
        for i in 0..n {
            // Initial guesses of Numerical Recipes' gaulag (alpha = 0).
            let mut x = match (
                i,
                out.last(),
                out.len().checked_sub(2).and_then(|j| out.get(j)),
            ) {
                (0, _, _) => 3.0 / (1.0 + 2.4 * nf),
                (1, Some(&(x0, _)), _) => x0 + 15.0 / (1.0 + 2.5 * nf),
                (_, Some(&(x1, _)), Some(&(x2, _))) => {
                    let ai = (i - 1) as f64;
                    x1 + (1.0 + 2.55 * ai) / (1.9 * ai) * (x1 - x2)
                }
                _ => 1.0,
            };
            let mut p_prev = 0.0;
            for _ in 0..200 {
                let (mut p0, mut p1) = (0.0, 1.0);
                for k in 1..=n {
                    let k = k as f64;
                    let p2 = ((2.0 * k - 1.0 - x) * p1 - (k - 1.0) * p0) / k;
                    p0 = p1;
                    p1 = p2;
                }
                p_prev = p0;
                let dp = nf * (p1 - p0) / x;
                let step = p1 / dp;
                x -= step;
                if step.abs() <= 1e-14 * x.abs().max(1.0) {
                    break;
                }
            }
            // w = x / ((n+1)² L_{n+1}(x)²) = 1 / (x L_n'(x)²); with L_{n-1}: w = x / (n² L_{n−1}(x)²).
            out.push((x, x / (nf * nf * p_prev * p_prev)));
        }
        out
    })
}

/// `DET` as a weighted sum of the expected transactions at fixed times
/// (see the module): `Σ weight · E(τ)` over [`points`](Self::points), the
/// same for every customer and parameter draw, so that callers can evaluate
/// `E` at all the times of many customers together.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DiscountRule {
    points: Vec<(f64, f64)>,
}

impl DiscountRule {
    /// The rule for `delta`, the discount rate per period, and `horizon` in
    /// periods (`None`: no end). `delta > 0` is required without a horizon
    /// (checked by the caller).
    pub(crate) fn new(delta: f64, horizon: Option<f64>) -> Self {
        let points = match horizon {
            Some(h) if delta == 0.0 => vec![(h, 1.0)],
            Some(h) => std::iter::once((h, (-delta * h).exp()))
                .chain(legendre().iter().map(|&(x, w)| {
                    let tau = 0.5 * h * (1.0 + x);
                    (tau, delta * w * 0.5 * h * (-delta * tau).exp())
                }))
                .collect(),
            None => laguerre().iter().map(|&(u, w)| (u / delta, w)).collect(),
        };
        DiscountRule { points }
    }

    /// `(τ, weight)` pairs: `DET = Σ weight · E(τ)`.
    pub(crate) fn points(&self) -> &[(f64, f64)] {
        &self.points
    }

    /// `DET` for the expected-transactions function `expected`.
    pub(crate) fn apply(&self, expected: impl Fn(f64) -> Result<f64>) -> Result<f64> {
        let mut sum = 0.0;
        for &(tau, weight) in &self.points {
            sum += weight * expected(tau)?;
        }
        Ok(sum)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_integrate_polynomials_exactly() {
        let legendre_sum: f64 = legendre().iter().map(|(x, w)| w * x.powi(6)).sum();
        assert!((legendre_sum - 2.0 / 7.0).abs() < 1e-13, "{legendre_sum}");
        // ∫ e^{-u} u^k du = k!
        for (k, want) in [(0, 1.0), (1, 1.0), (5, 120.0), (10, 3_628_800.0)] {
            let got: f64 = laguerre().iter().map(|(u, w)| w * u.powi(k)).sum();
            assert!((got - want).abs() < 1e-9 * want, "k = {k}: {got}");
        }
    }

    #[test]
    fn a_constant_rate_is_discounted_in_closed_form() {
        // E(τ) = λτ: DET(H) = λ(1 − e^{−δH})/δ, DET(∞) = λ/δ.
        let (lambda, delta) = (0.3, 0.002);
        let e = |t: f64| Ok(lambda * t);
        let finite = DiscountRule::new(delta, Some(52.0)).apply(e).unwrap();
        assert!((finite - lambda * (1.0 - (-delta * 52.0f64).exp()) / delta).abs() < 1e-10);
        let infinite = DiscountRule::new(delta, None).apply(e).unwrap();
        assert!((infinite - lambda / delta).abs() < 1e-8 * lambda / delta);
        assert_eq!(DiscountRule::new(0.0, Some(10.0)).apply(e).unwrap(), 3.0);
    }
}
