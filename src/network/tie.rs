//! [`Tie`]: one directed influence relationship.

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::probability::Probability;

/// Whether a tie carries trust or distrust.
///
/// Deliberately exhaustive (not `#[non_exhaustive]`): a tie's sign is `+` or
/// `-`, so callers may match both arms without a wildcard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TieSign {
    /// The listener trusts the speaker: praise is taken as praise.
    #[default]
    Positive,
    /// The listener distrusts the speaker: in the signed cascade the message is
    /// flipped (an advocate's praise makes a distrusting listener think worse of
    /// the brand).
    Negative,
}

impl TieSign {
    /// `+1` or `-1`.
    pub fn factor(self) -> i8 {
        match self {
            TieSign::Positive => 1,
            TieSign::Negative => -1,
        }
    }
}

/// A directed tie `from -> to`: `from` can influence `to`.
///
/// `probability` is the chance that one exposure passes influence along the tie
/// (the Independent Cascade probability; the Linear Threshold weight).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Tie {
    /// Strength of the tie.
    pub probability: Probability,
    /// Trust or distrust.
    #[serde(default)]
    pub sign: TieSign,
}

impl Tie {
    /// A positive (trust) tie.
    pub fn positive(probability: Probability) -> Self {
        Tie {
            probability,
            sign: TieSign::Positive,
        }
    }

    /// A negative (distrust) tie.
    pub fn negative(probability: Probability) -> Self {
        Tie {
            probability,
            sign: TieSign::Negative,
        }
    }

    /// Builds a tie from a signed weight: the sign of `weight` is the tie's sign and
    /// its magnitude the probability.
    ///
    /// # Errors
    /// [`crate::Error::InvalidProbability`] naming `field` when `|weight|` is not in `[0, 1]`.
    pub fn from_signed_weight(
        weight: f64,
        field: impl Into<crate::error::FieldPath>,
    ) -> Result<Self> {
        let probability = Probability::for_field(weight.abs(), field)?;
        Ok(if weight.is_sign_negative() && weight != 0.0 {
            Tie::negative(probability)
        } else {
            Tie::positive(probability)
        })
    }
}
