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

use super::discount::DiscountRule;
use super::fit::Likelihood;
use super::special::{ShiftedHyp2f1, ln_gamma, ln_hyp2f1, log_add_exp};
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
        Ok(self.while_alive_of(k, c, (big_a / (big_a + t)).ln(), ln_f))
    }

    /// `c/(a−1) · [1 − e^{k ln(A/(A+t)) + ln ₂F₁}]`.
    fn while_alive_of(&self, k: f64, c: f64, ln_ratio: f64, ln_f: f64) -> f64 {
        c / (self.a - 1.0) * -(k * ln_ratio + ln_f).exp_m1()
    }

    /// Discounted expected purchases after `T` if alive at `T`
    /// (`rule.apply(|τ| expected_if_alive(x, T, τ))`), for every `x` of `xs`
    /// (strictly ascending) at once: one [`ShiftedHyp2f1`] family per time
    /// of the rule serves all of them. `None` when the family cannot be
    /// evaluated (then one `x` at a time tells why).
    ///
    /// # Complexity
    /// O(points × (293 + xs)) arithmetic, O(points × 293) logarithms and
    /// exponentials.
    pub(crate) fn discounted_if_alive(
        &self,
        xs: &[u32],
        t_cal: f64,
        rule: &DiscountRule,
    ) -> Option<Vec<f64>> {
        let BgNbd { r, alpha, a, b } = *self;
        let first = *xs.first()?;
        let x0 = f64::from(first);
        let shifts: Vec<u32> = xs.iter().map(|&x| x.saturating_sub(first)).collect();
        let family = ShiftedHyp2f1::new(r + x0, b + x0, a + b + x0 - 1.0, &shifts)?;
        let big_a = alpha + t_cal;
        let mut det = vec![0.0; xs.len()];
        let mut ln_f = vec![0.0; xs.len()];
        for &(tau, weight) in rule.points() {
            if tau <= 0.0 {
                continue; // nothing is expected in no time
            }
            family.ln_values(tau / (big_a + tau), &mut ln_f)?;
            let ln_ratio = (big_a / (big_a + tau)).ln();
            for ((d, &x), &lf) in det.iter_mut().zip(xs).zip(&ln_f) {
                let x = f64::from(x);
                *d += weight * self.while_alive_of(r + x, a + b + x - 1.0, ln_ratio, lf);
            }
        }
        Some(det)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// DET of every `x` at once equals DET one `x` at a time (the scalar
    /// `expected_if_alive`, whose ₂F₁ is the series below z = 0.75 and the
    /// integral above) within 10⁻¹⁰ relative: without a horizon, with one,
    /// and undiscounted; for CDNOW's estimates, the synthetic CRM's (100,000
    /// customers over 1,000 days) and a drop-out prior with `a > 1` (the
    /// other orientation of Euler's integral); `T` from 0 to 143 weeks and
    /// `x` up to 107 with gaps.
    #[test]
    fn discounted_transactions_of_all_x_at_once_match_one_at_a_time() {
        let xs: Vec<u32> = (0..=30).chain([33, 40, 57, 80, 107]).collect();
        let delta = 0.1f64.ln_1p() / 52.0;
        let mut worst: f64 = 0.0;
        for (r, alpha, a, b) in [
            (0.2426, 4.4135, 0.7929, 2.4258),
            (0.3558, 2.5513, 0.6423, 3.2047),
            (0.6, 10.0, 1.4, 5.0),
        ] {
            let m = BgNbd::new(r, alpha, a, b).unwrap();
            for rule in [
                DiscountRule::new(delta, None),
                DiscountRule::new(delta, Some(104.0)),
                DiscountRule::new(0.0, Some(39.0)),
            ] {
                for t_cal in [0.0, 1.0, 27.0, 38.86, 142.7] {
                    let all = m.discounted_if_alive(&xs, t_cal, &rule).unwrap();
                    for (&x, got) in xs.iter().zip(&all) {
                        let want = rule
                            .apply(|tau| m.expected_if_alive(f64::from(x), t_cal, tau))
                            .unwrap();
                        let rel = (got - want).abs() / want.abs();
                        worst = worst.max(rel);
                        assert!(
                            rel <= 1e-10,
                            "{r} {alpha} {a} {b} T {t_cal} x {x}: {got} vs {want}"
                        );
                    }
                }
            }
        }
        eprintln!("largest relative difference: {worst:e}");
    }
}
