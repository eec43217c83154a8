//! [`BassModel`]: the closed-form Bass (1969) diffusion curve.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The Bass diffusion model: a market of `m` eventual adopters, each non-adopter
/// adopting at the hazard rate `p + q F(t)`, where `F(t)` is the fraction who have
/// already adopted.
///
/// * `p`, the coefficient of **innovation** (external influence: advertising,
///   the brand's own voice), per unit of time;
/// * `q`, the coefficient of **imitation** (internal influence: word of mouth from
///   those who already adopted), per unit of time;
/// * `m`, the market potential (number of eventual adopters).
///
/// The solution of `F'(t) = (1 - F)(p + q F)`, `F(0) = 0` is
///
/// ```text
/// F(t) = (1 - e^{-(p+q)t}) / (1 + (q/p) e^{-(p+q)t})
/// f(t) = F'(t) = ((p+q)^2 / p) e^{-(p+q)t} / (1 + (q/p) e^{-(p+q)t})^2
/// ```
///
/// Time starts at launch: for `t <= 0` the cumulative fraction is 0 and for
/// `t < 0` the density is 0. A NaN time gives NaN.
///
/// ```
/// use social_loop::aggregate::BassModel;
/// let bass = BassModel::new(0.03, 0.38, 1_000_000.0)?;
/// assert!((bass.peak_time().unwrap_or(0.0) - 6.1926192).abs() < 1e-6);
/// assert!((bass.cumulative(5.0) - 0.3311986).abs() < 1e-6);
/// assert!((bass.adopters(10.0) - 812_803.2).abs() < 1.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "BassParameters", into = "BassParameters")]
pub struct BassModel {
    p: f64,
    q: f64,
    m: f64,
}

/// The unvalidated serde form of a [`BassModel`].
#[derive(Serialize, Deserialize)]
struct BassParameters {
    p: f64,
    q: f64,
    m: f64,
}

impl TryFrom<BassParameters> for BassModel {
    type Error = Error;
    fn try_from(raw: BassParameters) -> Result<Self> {
        BassModel::new(raw.p, raw.q, raw.m)
    }
}

impl From<BassModel> for BassParameters {
    fn from(model: BassModel) -> Self {
        BassParameters {
            p: model.p,
            q: model.q,
            m: model.m,
        }
    }
}

impl BassModel {
    /// Validates and builds a model.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming the field (`p`, `q` or `m`) when
    /// `p <= 0`, `q < 0`, `m <= 0`, or any of them is NaN or infinite.
    pub fn new(p: f64, q: f64, m: f64) -> Result<Self> {
        if !(p.is_finite() && p > 0.0) {
            return Err(Error::invalid(
                "p",
                format!("coefficient of innovation must be finite and > 0, got {p}"),
            ));
        }
        if !(q.is_finite() && q >= 0.0) {
            return Err(Error::invalid(
                "q",
                format!("coefficient of imitation must be finite and >= 0, got {q}"),
            ));
        }
        if !(m.is_finite() && m > 0.0) {
            return Err(Error::invalid(
                "m",
                format!("market potential must be finite and > 0, got {m}"),
            ));
        }
        Ok(BassModel { p, q, m })
    }

    /// The coefficient of innovation (external influence).
    pub fn p(&self) -> f64 {
        self.p
    }

    /// The coefficient of imitation (word of mouth).
    pub fn q(&self) -> f64 {
        self.q
    }

    /// The market potential.
    pub fn m(&self) -> f64 {
        self.m
    }

    /// `F(t)`: the fraction of the market that has adopted by time `t`.
    pub fn cumulative(&self, t: f64) -> f64 {
        unit_cumulative(self.p, self.q, t)
    }

    /// `f(t) = F'(t)`: the adoption density (fraction of the market adopting per
    /// unit of time) at time `t`.
    pub fn density(&self, t: f64) -> f64 {
        unit_density(self.p, self.q, t)
    }

    /// `m F(t)`: the number of adopters by time `t`.
    pub fn adopters(&self, t: f64) -> f64 {
        self.m * self.cumulative(t)
    }

    /// `m f(t)`: the instantaneous adoption (sales) rate at time `t`.
    pub fn adoption_rate(&self, t: f64) -> f64 {
        self.m * self.density(t)
    }

    /// `m (F(t) - F(t-1))`: the adoptions during the period that ends at `t`
    /// (period 1 is `(0, 1]`).
    pub fn sales_in_period(&self, t: f64) -> f64 {
        self.m * unit_period(self.p, self.q, t)
    }

    /// The time of peak adoption `t* = ln(q/p) / (p+q)`, where the density `f`
    /// is highest and `F(t*) = 1/2 - p/(2q)`.
    ///
    /// `None` when `q <= p`: word of mouth is then too weak to make sales grow,
    /// the density falls from launch on and its maximum is at `t = 0` (with
    /// value `p`).
    pub fn peak_time(&self) -> Option<f64> {
        (self.q > self.p).then(|| (self.q / self.p).ln() / (self.p + self.q))
    }

    /// The largest adoption rate `m f(t*) = m (p+q)^2 / (4q)` when `q > p`, and
    /// `m p` (at launch) otherwise.
    pub fn peak_adoption_rate(&self) -> f64 {
        if self.q > self.p {
            self.m * (self.p + self.q).powi(2) / (4.0 * self.q)
        } else {
            self.m * self.p
        }
    }
}

/// `F(t)` for unvalidated `p, q` (the fitting code evaluates it at trial points).
pub(crate) fn unit_cumulative(p: f64, q: f64, t: f64) -> f64 {
    if t <= 0.0 {
        return if t.is_nan() { f64::NAN } else { 0.0 };
    }
    let decay = (-(p + q) * t).exp();
    // 1 - e^{-x} via exp_m1 keeps early-time values accurate.
    -(-(p + q) * t).exp_m1() / (1.0 + (q / p) * decay)
}

/// `f(t)` for unvalidated `p, q`.
pub(crate) fn unit_density(p: f64, q: f64, t: f64) -> f64 {
    if t < 0.0 {
        return 0.0;
    }
    let decay = (-(p + q) * t).exp();
    let denominator = 1.0 + (q / p) * decay;
    (p + q).powi(2) / p * decay / (denominator * denominator)
}

/// `F(t) - F(t-1)` for unvalidated `p, q`.
pub(crate) fn unit_period(p: f64, q: f64, t: f64) -> f64 {
    unit_cumulative(p, q, t) - unit_cumulative(p, q, t - 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn density_is_the_derivative_of_the_cumulative() {
        let bass = BassModel::new(0.02, 0.5, 1.0).unwrap();
        for t in [0.5, 2.0, 7.3, 15.0] {
            let h = 1e-5;
            let numeric = (bass.cumulative(t + h) - bass.cumulative(t - h)) / (2.0 * h);
            assert!((numeric - bass.density(t)).abs() < 1e-9, "t = {t}");
        }
        assert!((bass.density(0.0) - 0.02).abs() < 1e-15);
    }

    #[test]
    fn before_launch_nothing_happens() {
        let bass = BassModel::new(0.02, 0.5, 1.0).unwrap();
        assert_eq!(bass.cumulative(-3.0), 0.0);
        assert_eq!(bass.density(-3.0), 0.0);
        assert_eq!(bass.cumulative(0.0), 0.0);
        assert!(bass.cumulative(f64::NAN).is_nan());
    }
}
