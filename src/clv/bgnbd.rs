//! BG/NBD: Fader, Hardie & Lee (2005), "\"Counting your customers\" the easy
//! way: an alternative to the Pareto/NBD model", *Marketing Science* 24(2).
//!
//! While alive, a customer buys as a Poisson process of rate `λ ~ Gamma(r, α)`;
//! after each purchase they drop out with probability `p ~ Beta(a, b)`. For a
//! customer with `x` repeat purchases, the last at `t_x`, observed for `T`:
//!
//! ```text
//! L = B(a, b+x)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+T)^{r+x})
//!   + 1{x>0} · B(a+1, b+x−1)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+t_x)^{r+x})
//! ```
//!
//! summed in log space (the second term as `ln a − ln(b+x−1)` plus a
//! log-sum-exp). Predictions (eqs. 10 and 13 of the paper):
//!
//! ```text
//! P(alive | x, t_x, T) = 1 / (1 + 1{x>0} a/(b+x−1) · ((α+T)/(α+t_x))^{r+x})
//! E[Y(t) | x, t_x, T] = (a+b+x−1)/(a−1)
//!     · [1 − ((α+T)/(α+T+t))^{r+x} ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))]
//!     · P(alive)
//! E[X(t)] = (a+b−1)/(a−1) · [1 − (α/(α+t))^r ₂F₁(r, b; a+b−1; t/(α+t))]
//! ```

use serde::{Deserialize, Serialize};

use super::fit::Likelihood;
use super::special::{ln_gamma, ln_hyp2f1, log_add_exp};
use super::triples::{Compressed, Triple};
use crate::error::{Error, Result};

/// BG/NBD parameters `r, α` (purchase rate) and `a, b` (drop-out).
///
/// ```
/// use social_loop::clv::BgNbd;
/// // Fader, Hardie & Lee (2005), CDNOW: customer 1 bought 2 repeats, the last
/// // at week 30.43 of 38.86; expected purchases in the next 39 weeks: 1.226.
/// let model = BgNbd::new(0.2426, 4.4135, 0.7929, 2.4258)?;
/// let e = model.expected_transactions(2.0, 30.43, 38.86, 39.0)?;
/// assert!((e - 1.226).abs() < 0.001, "{e}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BgNbd {
    r: f64,
    alpha: f64,
    a: f64,
    b: f64,
}

impl BgNbd {
    /// Parameter names, in order.
    pub const NAMES: [&'static str; 4] = ["r", "alpha", "a", "b"];

    /// Checks and builds the parameters.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `bgnbd.NAME`) for a parameter that is
    /// not finite and positive.
    pub fn new(r: f64, alpha: f64, a: f64, b: f64) -> Result<Self> {
        for (name, v) in Self::NAMES.iter().zip([r, alpha, a, b]) {
            if !(v.is_finite() && v > 0.0) {
                return Err(Error::invalid(
                    format!("bgnbd.{name}"),
                    format!("{v} is not a positive number"),
                ));
            }
        }
        Ok(BgNbd { r, alpha, a, b })
    }

    /// `[r, alpha, a, b]`.
    pub fn values(&self) -> [f64; 4] {
        [self.r, self.alpha, self.a, self.b]
    }

    pub(crate) fn from_theta(theta: &[f64]) -> Self {
        let at = |i: usize| theta.get(i).copied().unwrap_or(f64::NAN);
        BgNbd {
            r: at(0),
            alpha: at(1),
            a: at(2),
            b: at(3),
        }
    }

    /// The log-likelihood of one customer.
    pub fn log_likelihood(&self, x: f64, t_x: f64, t_cal: f64) -> f64 {
        let BgNbd { r, alpha, a, b } = *self;
        let a1 = ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln();
        let a2 = ln_gamma(a + b) + ln_gamma(b + x) - ln_gamma(b) - ln_gamma(a + b + x);
        let a3 = -(r + x) * (alpha + t_cal).ln();
        let tail = if x > 0.0 {
            log_add_exp(
                a3,
                a.ln() - (b + x - 1.0).ln() - (r + x) * (alpha + t_x).ln(),
            )
        } else {
            a3
        };
        a1 + a2 + tail
    }

    /// The probability that the customer is still alive at `T`.
    pub fn p_alive(&self, x: f64, t_x: f64, t_cal: f64) -> f64 {
        if x == 0.0 {
            return 1.0;
        }
        let BgNbd { r, alpha, a, b } = *self;
        let log_odds =
            a.ln() - (b + x - 1.0).ln() + (r + x) * ((alpha + t_cal).ln() - (alpha + t_x).ln());
        1.0 / (1.0 + log_odds.exp())
    }

    /// Expected repeat purchases in `(T, T + t]` for a customer with `(x, t_x, T)`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `bgnbd`) when the hypergeometric
    /// term cannot be evaluated (`a + b + x ≤ 1`).
    pub fn expected_transactions(&self, x: f64, t_x: f64, t_cal: f64, t: f64) -> Result<f64> {
        Ok(self.expected_if_alive(x, t_cal, t)? * self.p_alive(x, t_x, t_cal))
    }

    /// Expected purchases in `(T, T + t]` of a customer alive at `T` (it does
    /// not depend on `t_x`).
    pub(crate) fn expected_if_alive(&self, x: f64, t_cal: f64, t: f64) -> Result<f64> {
        let BgNbd { r, alpha, a, b } = *self;
        self.expected_while_alive(r + x, alpha + t_cal, b + x, a + b + x - 1.0, t)
    }

    /// Expected repeat purchases in `(0, t]` of a new customer.
    ///
    /// # Errors
    /// As [`expected_transactions`](Self::expected_transactions).
    pub fn expected_repeat(&self, t: f64) -> Result<f64> {
        self.expected_while_alive(self.r, self.alpha, self.b, self.a + self.b - 1.0, t)
    }

    /// `c/(a−1) · [1 − (A/(A+t))^k ₂F₁(k, bb; c; t/(A+t))]`.
    fn expected_while_alive(&self, k: f64, big_a: f64, bb: f64, c: f64, t: f64) -> Result<f64> {
        if t <= 0.0 {
            return Ok(0.0);
        }
        let z = t / (big_a + t);
        let ln_f = ln_hyp2f1(k, bb, c, z).ok_or_else(|| {
            Error::invalid(
                "bgnbd",
                format!("2F1({k}, {bb}; {c}; {z}) cannot be evaluated for these parameters"),
            )
        })?;
        let ln_term = k * (big_a / (big_a + t)).ln() + ln_f;
        Ok(c / (self.a - 1.0) * -ln_term.exp_m1())
    }
}

/// The BG/NBD likelihood of a customer base.
pub(crate) struct BgNbdData<'a>(pub &'a Compressed);

impl Likelihood for BgNbdData<'_> {
    const MODEL: &'static str = "bgnbd";
    const NAMES: &'static [&'static str] = &BgNbd::NAMES;
    fn observations(&self) -> f64 {
        self.0.customers()
    }
    fn start(&self) -> Vec<f64> {
        vec![1.0, mean_t(self.0).max(1e-3), 1.0, 1.0]
    }
    fn log_likelihood(&self, theta: &[f64]) -> f64 {
        let m = BgNbd::from_theta(theta);
        let BgNbd { r, alpha, a, b } = m;
        // The ln Γ terms depend on x only: once per repeat count (x is a whole number).
        let max_x = self
            .0
            .triples
            .iter()
            .map(|t| t.x as usize)
            .max()
            .unwrap_or(0);
        let head0 = -ln_gamma(r) + r * alpha.ln() + ln_gamma(a + b) - ln_gamma(b);
        let per_x: Vec<(f64, f64)> = (0..=max_x)
            .map(|x| {
                let x = x as f64;
                let head = head0 + ln_gamma(r + x) + ln_gamma(b + x) - ln_gamma(a + b + x);
                (head, a.ln() - (b + x - 1.0).ln())
            })
            .collect();
        self.0
            .weighted_sum(|t: &Triple| match per_x.get(t.x as usize) {
                Some(&(head, second)) if t.x.fract() == 0.0 => {
                    let alive = -(r + t.x) * (alpha + t.t_cal).ln();
                    let tail = if t.x > 0.0 {
                        log_add_exp(alive, second - (r + t.x) * (alpha + t.t_x).ln())
                    } else {
                        alive
                    };
                    head + tail
                }
                _ => m.log_likelihood(t.x, t.t_x, t.t_cal),
            })
    }
}

/// The mean time observed, a natural scale for `α` (and `β`).
pub(crate) fn mean_t(data: &Compressed) -> f64 {
    data.weighted_sum(|t| t.t_cal) / data.customers().max(1.0)
}
