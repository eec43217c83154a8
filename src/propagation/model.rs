//! [`Model`]: which diffusion model a cascade follows, and its exact semantics.

use serde::{Deserialize, Serialize};

use super::CompiledNetwork;
use crate::error::{Error, Result};
use crate::probability::Probability;

/// Slack allowed above 1 for the sum of Linear Threshold weights into one node, to
/// absorb rounding: weights are stored as `f32` (weighted cascade's `1/3 + 1/3 + 1/3`
/// may round above 1), and published files print weights to 6 significant digits
/// (NetHEPT as shipped with the IMM code: `52 × 0.0192308 = 1.0000016`). A sum in
/// `(1, 1 + slack]` behaves as 1: every threshold is at most 1.
pub const THRESHOLD_WEIGHT_SLACK: f64 = 1e-4;

/// A diffusion model.
///
/// In every model time runs in discrete steps; the seeds are active at step 0, and
/// each node, once active, stays active and acts exactly once, in the step after it
/// became active. The *spread* of a run counts the active nodes at the end,
/// seeds included.
///
/// * **Independent Cascade** (Kempe, Kleinberg & Tardos 2003): a node `u` that
///   became active at step `s` tries each out-arc `u -> v` once; the arc is *live*
///   with its probability `p` and, if `v` is still inactive, `v` becomes active at
///   step `s + 1`. Tie signs are ignored.
/// * **Linear Threshold**: every node `v` draws a threshold `θ_v` uniform in
///   `(0, 1]` per run; `v` becomes active at the first step at which the weights of
///   its active in-neighbours add up to at least `θ_v`. The weights into every
///   node must add up to at most 1 (plus [`THRESHOLD_WEIGHT_SLACK`]), else
///   [`Error::ThresholdWeights`]. Tie signs are ignored.
/// * **Signed cascade** (advocates against adversaries): an Independent Cascade
///   that carries an *opinion*. Advocate seeds start positive, adversary seeds
///   negative, in the same run on the same graph. A live arc passes the sender's
///   opinion along a positive (trust) tie and the **opposite** opinion along a
///   negative (distrust) tie: praise from someone you distrust makes you think
///   worse of the brand, criticism from them makes you think better. A node takes
///   the side of the **first arrival**: once it holds an opinion, later messages
///   are ignored. Messages arriving in the **same step**: if they all agree, the
///   node takes that side; if both opinions arrive, the node draws once and
///   becomes negative with probability `negativity_bias`, positive otherwise
///   (the number of messages on each side does not matter). The literature finds
///   negative word of mouth stronger than positive (e.g. Baumeister et al. 2001,
///   "Bad is stronger than good"), so values above 0.5 are common; 0.5 is neutral.
///   The spread is split into positive and negative reach (seeds included on
///   their own side).
///
/// In all models an arc whose probability is 0 never carries influence and one
/// whose probability is 1 always does (see [`crate::propagation`] for the exact
/// sampling precision).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Model {
    /// Independent Cascade.
    IndependentCascade,
    /// Linear Threshold.
    LinearThreshold,
    /// The signed advocate/adversary cascade.
    Signed {
        /// Chance that the negative side wins when both opinions reach a node in
        /// the same step.
        negativity_bias: Probability,
    },
}

impl Model {
    /// The signed cascade with a neutral tie rule (`negativity_bias = 0.5`).
    pub fn signed_neutral() -> Self {
        Model::Signed {
            negativity_bias: Probability::saturating(0.5),
        }
    }

    /// The signed cascade with the given tie rule.
    pub fn signed(negativity_bias: Probability) -> Self {
        Model::Signed { negativity_bias }
    }

    /// A short lowercase name: `ic`, `lt` or `signed`.
    pub fn name(&self) -> &'static str {
        match self {
            Model::IndependentCascade => "ic",
            Model::LinearThreshold => "lt",
            Model::Signed { .. } => "signed",
        }
    }

    /// Checks that `network` is valid input for this model: for Linear Threshold,
    /// that the weights into every node add up to at most `1 +`
    /// [`THRESHOLD_WEIGHT_SLACK`].
    ///
    /// # Errors
    /// [`Error::ThresholdWeights`] naming the first customer (in node order) whose
    /// incoming weights are too large.
    ///
    /// # Complexity
    /// O(n + m) for Linear Threshold, O(1) otherwise.
    pub fn validate(&self, network: &CompiledNetwork) -> Result<()> {
        if *self != Model::LinearThreshold {
            return Ok(());
        }
        let mut sums = vec![0f64; network.node_count()];
        for (&t, &w) in network.targets().iter().zip(network.probabilities()) {
            if let Some(s) = sums.get_mut(t as usize) {
                *s += f64::from(w);
            }
        }
        match sums.iter().position(|&s| s > 1.0 + THRESHOLD_WEIGHT_SLACK) {
            None => Ok(()),
            Some(node) => Err(Error::ThresholdWeights {
                customer: network
                    .customer(node as u32)
                    .cloned()
                    .unwrap_or_else(|| crate::CustomerId::new(format!("#{node}"))),
                sum: sums.get(node).copied().unwrap_or(f64::NAN),
            }),
        }
    }
}
