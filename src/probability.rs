//! [`Probability`]: a validated `f64` in `[0, 1]`.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A probability or rate: a finite `f64` in `[0, 1]`, checked once at construction.
///
/// Inside the library a `Probability` can be used without further checks: the hot
/// loops of the propagation engine never see NaN or 1.5.
///
/// ```
/// use social_loop::Probability;
/// let p = Probability::new(0.25)?;
/// assert_eq!(p.get(), 0.25);
/// assert!(Probability::new(1.5).is_err());
/// assert!(Probability::new(f64::NAN).is_err());
/// # Ok::<(), social_loop::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Probability(f64);

impl Probability {
    /// Certainty (`1.0`).
    pub const ONE: Probability = Probability(1.0);
    /// Impossibility (`0.0`).
    pub const ZERO: Probability = Probability(0.0);

    /// Validates `value`.
    ///
    /// # Errors
    /// [`Error::InvalidProbability`] (field `probability`) when `value` is NaN,
    /// infinite, negative or greater than 1.
    pub fn new(value: f64) -> Result<Self> {
        Self::for_field(value, "probability")
    }

    /// Validates `value`, naming `field` in the error so the caller can tell which
    /// of several inputs was wrong.
    ///
    /// # Errors
    /// [`Error::InvalidProbability`] when `value` is not a finite number in `[0, 1]`.
    pub fn for_field(value: f64, field: impl Into<crate::error::FieldPath>) -> Result<Self> {
        if value.is_finite() && (0.0..=1.0).contains(&value) {
            Ok(Probability(value))
        } else {
            Err(Error::InvalidProbability {
                field: field.into(),
                value,
            })
        }
    }

    /// Clamps any finite `value` into `[0, 1]`; NaN becomes 0.
    ///
    /// For values the library computes itself (products and sums of valid
    /// probabilities), where a rounding error must not become a failure.
    pub fn saturating(value: f64) -> Self {
        if value.is_nan() {
            Probability(0.0)
        } else {
            Probability(value.clamp(0.0, 1.0))
        }
    }

    /// The value as an `f64` in `[0, 1]`.
    pub fn get(self) -> f64 {
        self.0
    }

    /// `1 - p`.
    #[must_use]
    pub fn complement(self) -> Self {
        Probability(1.0 - self.0)
    }
}

impl TryFrom<f64> for Probability {
    type Error = Error;
    fn try_from(value: f64) -> Result<Self> {
        Probability::new(value)
    }
}

impl From<Probability> for f64 {
    fn from(p: Probability) -> f64 {
        p.0
    }
}

impl std::fmt::Display for Probability {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.0, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_values_outside_the_unit_interval() {
        for bad in [-0.0001, 1.0001, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let err = Probability::for_field(bad, "tie.p").unwrap_err();
            assert!(matches!(err, Error::InvalidProbability { ref field, .. } if field == "tie.p"));
        }
        assert_eq!(Probability::new(0.0).unwrap().get(), 0.0);
        assert_eq!(Probability::new(1.0).unwrap().get(), 1.0);
    }

    #[test]
    fn serde_rejects_invalid_values() {
        assert!(serde_json::from_str::<Probability>("0.3").is_ok());
        assert!(serde_json::from_str::<Probability>("1.3").is_err());
    }

    #[test]
    fn saturating_clamps() {
        assert_eq!(Probability::saturating(1.0000001).get(), 1.0);
        assert_eq!(Probability::saturating(f64::NAN).get(), 0.0);
    }
}
