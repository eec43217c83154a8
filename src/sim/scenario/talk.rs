//! How word of mouth travels in a scenario, and who talks from the start.

use serde::{Deserialize, Serialize};

use crate::customer::CustomerId;
use crate::error::{Error, Result};
use crate::probability::Probability;
use crate::propagation::Model;

/// The diffusion model a period's word of mouth follows (see [`WordOfMouth`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum WordOfMouthModel {
    /// Independent Cascade: praise and criticism spread as two independent
    /// cascades; tie signs are ignored.
    IndependentCascade,
    /// Linear Threshold: praise and criticism spread as two independent
    /// cascades; the weights into every customer must add up to at most 1.
    LinearThreshold,
    /// The signed cascade: both in one cascade, distrust flips a message,
    /// first arrival wins.
    #[default]
    Signed,
}

/// How a period's word of mouth travels: one cascade of
/// [`propagation`](crate::propagation)'s models per period, run by the
/// propagation engine's own per-run code.
///
/// Each period the advocates and adversaries who talk (see
/// [`Rates::advocate_talk`](super::Rates::advocate_talk)) are the speakers:
/// the seeds of that period's cascade, advocates positive, adversaries
/// negative. A tie's probability is **the chance that one period's talk crosses
/// it**: a customer the talk reaches passes it on in the same period, as the
/// model says (Independent Cascade and the signed cascade: each tie once, with
/// its probability; Linear Threshold: when the weights of the customers who
/// talked to them reach their threshold). Every customer the cascade reaches
/// hears the brand praised or criticised (the side they took, in the signed
/// cascade), once per period and side, and moves by the transition table's
/// word-of-mouth rows; the customer credited for telling them is the referrer
/// of a referral sale and the "from" of their audit trail.
///
/// The cascade of `(seed, run, period)` has its own keys: which ties are live
/// does not depend on who speaks, so two scenarios that differ in who talks
/// are compared on common random numbers.
///
/// In JSON: `{"model": "signed", "negativity_bias": 0.5}` (both optional);
/// `negativity_bias` is used by the signed model only.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WordOfMouth {
    pub(crate) model: WordOfMouthModel,
    pub(crate) negativity_bias: Probability,
}

impl Default for WordOfMouth {
    /// The signed cascade with a neutral tie rule (0.5): the loop has
    /// advocates and adversaries and distrustful ties, which only the signed
    /// model carries; the asymmetry of praise and criticism is in who talks
    /// (adversaries talk more often by default), not in the tie rule.
    fn default() -> Self {
        WordOfMouth {
            model: WordOfMouthModel::Signed,
            negativity_bias: Probability::saturating(0.5),
        }
    }
}

accessors!(WordOfMouth {
    model get_model: WordOfMouthModel [copy] => "the diffusion model";
    negativity_bias get_negativity_bias: Probability [copy] => "the chance that criticism wins when praise and criticism reach a customer in the same step of the signed cascade";
});

impl WordOfMouth {
    /// The propagation model the cascades run.
    pub fn propagation_model(&self) -> Model {
        match self.model {
            WordOfMouthModel::IndependentCascade => Model::IndependentCascade,
            WordOfMouthModel::LinearThreshold => Model::LinearThreshold,
            WordOfMouthModel::Signed => Model::signed(self.negativity_bias),
        }
    }
}

/// Customers who start as advocates or adversaries, by id, whatever the
/// initial stage mix drew for them: a [targeting](crate::targeting) selection
/// goes straight into the loop.
///
/// An initial advocate has bought (as every advocate has); an initial
/// adversary keeps the purchase history their drawn stage gave them.
///
/// In JSON: `{"advocates": ["c1", "c7"], "adversaries": ["c3"]}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Seeds {
    pub(crate) advocates: Vec<CustomerId>,
    pub(crate) adversaries: Vec<CustomerId>,
}

impl Seeds {
    /// No seeds: everyone starts where the stage mix puts them.
    pub fn new() -> Self {
        Seeds::default()
    }

    /// Sets the initial advocates.
    #[must_use]
    pub fn advocates<I: IntoIterator<Item = C>, C: Into<CustomerId>>(mut self, ids: I) -> Self {
        self.advocates = ids.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the initial adversaries.
    #[must_use]
    pub fn adversaries<I: IntoIterator<Item = C>, C: Into<CustomerId>>(mut self, ids: I) -> Self {
        self.adversaries = ids.into_iter().map(Into::into).collect();
        self
    }

    /// The initial advocates.
    pub fn get_advocates(&self) -> &[CustomerId] {
        &self.advocates
    }

    /// The initial adversaries.
    pub fn get_adversaries(&self) -> &[CustomerId] {
        &self.adversaries
    }

    /// No id twice, and no one on both sides (whether the ids are in the
    /// network is checked when the network is built).
    pub(super) fn validate(&self) -> Result<()> {
        let mut seen = std::collections::BTreeMap::new();
        for (side, ids) in [
            ("advocates", &self.advocates),
            ("adversaries", &self.adversaries),
        ] {
            for (i, id) in ids.iter().enumerate() {
                if let Some(first) = seen.insert(id, side) {
                    let reason = if first == side {
                        format!("customer `{id}` is listed twice")
                    } else {
                        format!("customer `{id}` is both an advocate and an adversary")
                    };
                    return Err(Error::invalid(format!("seeds.{side}[{i}]"), reason));
                }
            }
        }
        Ok(())
    }
}
