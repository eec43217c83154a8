//! Pareto/NBD: Schmittlein, Morrison & Colombo (1987), "Counting your
//! customers: who are they and what will they do next?", *Management Science*
//! 33(1), in the form of Fader & Hardie (2005), "A note on deriving the
//! Pareto/NBD model and related expressions".
//!
//! While alive a customer buys at rate `λ ~ Gamma(r, α)`; their lifetime is
//! exponential with rate `μ ~ Gamma(s, β)`. With `x` repeats, the last at
//! `t_x`, observed for `T`:
//!
//! ```text
//! L = Γ(r+x) α^r β^s / Γ(r) · [ 1/((α+T)^{r+x} (β+T)^s) + s/(r+s+x) · A₀ ]
//! ```
//!
//! where, with `m = max(α, β)`, `|α−β|` and `c = s+1` if `α ≥ β`, `c = r+x`
//! otherwise (the two branches of the note, which keep the argument in
//! `[0, 1)`),
//!
//! ```text
//! A₀ = ₂F₁(r+s+x, c; r+s+x+1; |α−β|/(m+t_x)) / (m+t_x)^{r+s+x}
//!    − ₂F₁(r+s+x, c; r+s+x+1; |α−β|/(m+T))   / (m+T)^{r+s+x}.
//! ```
//!
//! Everything is computed in log space (`A₀` as a log-difference); `₂F₁` is
//! [`special`](super::special)'s series or Euler integral. Predictions:
//!
//! ```text
//! P(alive) = 1 / (1 + s/(r+s+x) · (α+T)^{r+x} (β+T)^s · A₀)
//! E[Y(t) | x, t_x, T] = (r+x)(β+T) / ((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^{s−1}] · P(alive)
//! E[X(t)] = r β / (α (s−1)) · [1 − (β/(β+t))^{s−1}]
//! ```
//! (with the limits `ln((β+T+t)/(β+T))` at `s = 1`).

use serde::{Deserialize, Serialize};

use super::bgnbd::mean_t;
use super::fit::Likelihood;
use super::special::{ln_gamma, ln_hyp2f1, log_add_exp, log_sub_exp};
use super::triples::{Compressed, Triple};
use crate::error::{Error, Result};

/// Pareto/NBD parameters `r, α` (purchase rate) and `s, β` (lifetime).
///
/// ```
/// use social_loop::clv::ParetoNbd;
/// let model = ParetoNbd::new(0.5533, 10.578, 0.6062, 11.667)?;
/// let p = model.p_alive(2.0, 30.43, 38.86);
/// assert!(p > 0.5 && p < 1.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ParetoNbd {
    r: f64,
    alpha: f64,
    s: f64,
    beta: f64,
}

impl ParetoNbd {
    /// Parameter names, in order.
    pub const NAMES: [&'static str; 4] = ["r", "alpha", "s", "beta"];

    /// Checks and builds the parameters.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `pareto_nbd.NAME`) for a parameter
    /// that is not finite and positive.
    pub fn new(r: f64, alpha: f64, s: f64, beta: f64) -> Result<Self> {
        for (name, v) in Self::NAMES.iter().zip([r, alpha, s, beta]) {
            if !(v.is_finite() && v > 0.0) {
                return Err(Error::invalid(
                    format!("pareto_nbd.{name}"),
                    format!("{v} is not a positive number"),
                ));
            }
        }
        Ok(ParetoNbd { r, alpha, s, beta })
    }

    /// `[r, alpha, s, beta]`.
    pub fn values(&self) -> [f64; 4] {
        [self.r, self.alpha, self.s, self.beta]
    }

    pub(crate) fn from_theta(theta: &[f64]) -> Self {
        let at = |i: usize| theta.get(i).copied().unwrap_or(f64::NAN);
        ParetoNbd {
            r: at(0),
            alpha: at(1),
            s: at(2),
            beta: at(3),
        }
    }

    /// `ln A₀` (−∞ when `t_x = T`); NaN when `₂F₁` cannot be evaluated.
    fn ln_a0(&self, x: f64, t_x: f64, t_cal: f64) -> f64 {
        let ParetoNbd { r, alpha, s, beta } = *self;
        let (max, min, c) = if alpha >= beta {
            (alpha, beta, s + 1.0)
        } else {
            (beta, alpha, r + x)
        };
        let k = r + s + x;
        let diff = max - min;
        let term = |t: f64| match ln_hyp2f1(k, c, k + 1.0, diff / (max + t)) {
            Some(ln_f) => ln_f - k * (max + t).ln(),
            None => f64::NAN,
        };
        if t_x >= t_cal {
            return f64::NEG_INFINITY;
        }
        log_sub_exp(term(t_x), term(t_cal))
    }

    /// The log-likelihood of one customer.
    pub fn log_likelihood(&self, x: f64, t_x: f64, t_cal: f64) -> f64 {
        let ParetoNbd { r, alpha, s, beta } = *self;
        let head = ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln() + s * beta.ln();
        let alive = -(r + x) * (alpha + t_cal).ln() - s * (beta + t_cal).ln();
        let died = s.ln() - (r + s + x).ln() + self.ln_a0(x, t_x, t_cal);
        head + log_add_exp(alive, died)
    }

    /// The probability that the customer is still alive at `T`.
    pub fn p_alive(&self, x: f64, t_x: f64, t_cal: f64) -> f64 {
        let ParetoNbd { r, alpha, s, beta } = *self;
        let log_odds = s.ln() - (r + s + x).ln()
            + (r + x) * (alpha + t_cal).ln()
            + s * (beta + t_cal).ln()
            + self.ln_a0(x, t_x, t_cal);
        1.0 / (1.0 + log_odds.exp())
    }

    /// Expected repeat purchases in `(T, T + t]` for a customer with `(x, t_x, T)`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `pareto_nbd`) when `P(alive)` cannot
    /// be evaluated.
    pub fn expected_transactions(&self, x: f64, t_x: f64, t_cal: f64, t: f64) -> Result<f64> {
        let p = self.p_alive(x, t_x, t_cal);
        if !p.is_finite() {
            return Err(Error::invalid(
                "pareto_nbd",
                "P(alive) cannot be evaluated for these parameters",
            ));
        }
        Ok(self.expected_if_alive(x, t_cal, t) * p)
    }

    /// Expected purchases in `(T, T + t]` of a customer alive at `T`.
    pub(crate) fn expected_if_alive(&self, x: f64, t_cal: f64, t: f64) -> f64 {
        self.rate_integral(self.r + x, self.alpha + t_cal, self.beta + t_cal, t)
    }

    /// Expected repeat purchases in `(0, t]` of a new customer.
    ///
    /// # Errors
    /// Never in practice; kept for symmetry with [`BgNbd::expected_repeat`](super::BgNbd::expected_repeat).
    pub fn expected_repeat(&self, t: f64) -> Result<f64> {
        Ok(self.rate_integral(self.r, self.alpha, self.beta, t))
    }

    /// `k B / (A (s−1)) · [1 − (B/(B+t))^{s−1}]`.
    fn rate_integral(&self, k: f64, big_a: f64, big_b: f64, t: f64) -> f64 {
        if t <= 0.0 {
            return 0.0;
        }
        let s1 = self.s - 1.0;
        let ln_ratio = (big_b / (big_b + t)).ln();
        let factor = if s1.abs() < 1e-9 {
            -ln_ratio
        } else {
            -(s1 * ln_ratio).exp_m1() / s1
        };
        k * big_b / big_a * factor
    }
}

/// The Pareto/NBD likelihood of a customer base.
pub(crate) struct ParetoNbdData<'a>(pub &'a Compressed);

impl Likelihood for ParetoNbdData<'_> {
    const MODEL: &'static str = "pareto_nbd";
    const NAMES: &'static [&'static str] = &ParetoNbd::NAMES;
    fn observations(&self) -> f64 {
        self.0.customers()
    }
    fn start(&self) -> Vec<f64> {
        let t = mean_t(self.0).max(1e-3);
        vec![1.0, t, 1.0, t]
    }
    fn log_likelihood(&self, theta: &[f64]) -> f64 {
        let m = ParetoNbd::from_theta(theta);
        self.0
            .weighted_sum(|t: &Triple| m.log_likelihood(t.x, t.t_x, t.t_cal))
    }
}
