//! The individual-level rule of Goldenberg, Libai and Muller (2001): how likely
//! an uninformed person is to become informed in one period.

use serde::{Deserialize, Serialize};

use crate::Probability;
use crate::error::Result;

/// The three transmission probabilities of the "talk of the network" model,
/// each per period.
///
/// * `advertising` (`a`, GLM's alpha): being informed by the brand's own
///   marketing, independently of anyone else;
/// * `weak` (`bw`, beta_w): being informed in one meeting with an informed weak
///   tie (an acquaintance outside one's personal network);
/// * `strong` (`bs`, beta_s): being informed by one informed strong tie (a
///   member of one's personal network).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TalkRates {
    /// `a`: external (advertising) influence per period.
    pub advertising: Probability,
    /// `bw`: influence of one informed weak-tie contact per period.
    pub weak: Probability,
    /// `bs`: influence of one informed strong tie per period.
    pub strong: Probability,
}

impl Default for TalkRates {
    /// Mid-range values of GLM's design: `a = 0.005`, `bw = 0.01`, `bs = 0.04`.
    fn default() -> Self {
        TalkRates {
            advertising: Probability::saturating(0.005),
            weak: Probability::saturating(0.01),
            strong: Probability::saturating(0.04),
        }
    }
}

impl TalkRates {
    /// Validates the three rates.
    ///
    /// ```
    /// use social_loop::aggregate::TalkRates;
    /// let rates = TalkRates::new(0.0005, 0.005, 0.01)?;
    /// assert_eq!(rates.weak.get(), 0.005);
    /// assert!(TalkRates::new(0.0005, 1.5, 0.01).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidProbability`](crate::Error::InvalidProbability) naming
    /// `advertising`, `weak` or `strong` when a value is not in `[0, 1]`.
    pub fn new(advertising: f64, weak: f64, strong: f64) -> Result<Self> {
        Ok(TalkRates {
            advertising: Probability::for_field(advertising, "advertising")?,
            weak: Probability::for_field(weak, "weak")?,
            strong: Probability::for_field(strong, "strong")?,
        })
    }
}

/// The probability that an uninformed person becomes informed in a period in
/// which `informed_weak` (`j`) of their weak-tie contacts and `informed_strong`
/// (`m`) of their strong ties are informed:
///
/// ```text
/// 1 - (1 - a) (1 - bw)^j (1 - bs)^m
/// ```
///
/// Each source (advertising, each informed contact) is an independent chance.
///
/// ```
/// use social_loop::aggregate::{TalkRates, informing_probability};
/// let rates = TalkRates::new(0.0005, 0.005, 0.01)?;
/// let p = informing_probability(&rates, 3, 2);
/// assert!((p.get() - 0.03501085095499375).abs() < 1e-15);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn informing_probability(
    rates: &TalkRates,
    informed_weak: u32,
    informed_strong: u32,
) -> Probability {
    let stays_uninformed = rates.advertising.complement().get()
        * power(rates.weak.complement().get(), informed_weak)
        * power(rates.strong.complement().get(), informed_strong);
    Probability::saturating(1.0 - stays_uninformed)
}

/// `base^exponent` for a probability `base` and any `u32` exponent.
pub(crate) fn power(base: f64, exponent: u32) -> f64 {
    match i32::try_from(exponent) {
        Ok(e) => base.powi(e),
        Err(_) => base.powf(f64::from(exponent)),
    }
}
