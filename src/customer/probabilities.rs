//! [`TransitionProbabilities`]: the chance that each rule of the transition table
//! fires when its cause happens, for simulations.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::table::{RULE_COUNT, RuleId, TRANSITIONS};
use crate::Probability;
use crate::error::{Error, Result};

/// One [`Probability`] per row of the [transition table](super::TRANSITIONS).
///
/// The default is the table's "default p" column. In JSON it is a map from
/// rule name ([`RuleId::name`]) to probability; rules left out keep their
/// default, an unknown name is an error:
///
/// ```
/// use social_loop::Stage;
/// use social_loop::customer::{RuleId, Trigger, ExperienceQuality, TransitionProbabilities};
/// let probs: TransitionProbabilities =
///     serde_json::from_str(r#"{"customer+experience_delighted": 0.6}"#)?;
/// let delight = RuleId::find(Stage::Customer, Trigger::Experience(ExperienceQuality::Delighted), true)
///     .ok_or("no rule")?;
/// assert_eq!(probs.get(delight).get(), 0.6);
/// assert!(serde_json::from_str::<TransitionProbabilities>(r#"{"nobody+nothing": 0.6}"#).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    try_from = "BTreeMap<String, Probability>",
    into = "BTreeMap<String, Probability>"
)]
pub struct TransitionProbabilities([Probability; RULE_COUNT]);

impl Default for TransitionProbabilities {
    fn default() -> Self {
        TransitionProbabilities(TRANSITIONS.map(|r| Probability::saturating(r.default_probability)))
    }
}

impl TransitionProbabilities {
    /// The chance that `rule` fires when its cause happens.
    pub fn get(&self, rule: RuleId) -> Probability {
        self.0
            .get(rule.index())
            .copied()
            .unwrap_or(Probability::ZERO)
    }

    /// The same probabilities with `rule` set to `p`.
    #[must_use]
    pub fn with(mut self, rule: RuleId, p: Probability) -> Self {
        if let Some(slot) = self.0.get_mut(rule.index()) {
            *slot = p;
        }
        self
    }

    /// The same probabilities with every rule set to `p` (for example
    /// [`Probability::ONE`]: every cause moves deterministically).
    pub fn uniform(p: Probability) -> Self {
        TransitionProbabilities([p; RULE_COUNT])
    }

    /// The probabilities with the rules named in `overrides` replaced, every
    /// other rule at its default.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `transition_probabilities.<name>`) for
    /// a name that is not a rule of the table.
    pub fn from_overrides(overrides: BTreeMap<String, Probability>) -> Result<Self> {
        let mut probs = TransitionProbabilities::default();
        let names: BTreeMap<String, RuleId> = RuleId::all().map(|id| (id.name(), id)).collect();
        for (name, p) in overrides {
            let id = names.get(&name).copied().ok_or_else(|| {
                Error::invalid(
                    format!("transition_probabilities.{name}"),
                    "no such rule in the transition table",
                )
            })?;
            probs = probs.with(id, p);
        }
        Ok(probs)
    }
}

impl TryFrom<BTreeMap<String, Probability>> for TransitionProbabilities {
    type Error = Error;
    fn try_from(map: BTreeMap<String, Probability>) -> Result<Self> {
        TransitionProbabilities::from_overrides(map)
    }
}

impl From<TransitionProbabilities> for BTreeMap<String, Probability> {
    fn from(probs: TransitionProbabilities) -> Self {
        RuleId::all().map(|id| (id.name(), probs.get(id))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_the_table_column_and_round_trips() {
        let probs = TransitionProbabilities::default();
        for id in RuleId::all() {
            assert_eq!(probs.get(id).get(), id.rule().default_probability);
        }
        let json = serde_json::to_string(&probs).unwrap();
        let back: TransitionProbabilities = serde_json::from_str(&json).unwrap();
        assert_eq!(back, probs);
    }

    #[test]
    fn unknown_rule_and_invalid_probability_are_rejected() {
        let err = TransitionProbabilities::from_overrides(BTreeMap::from([(
            "customer+teleport".to_string(),
            Probability::ONE,
        )]))
        .unwrap_err();
        assert!(matches!(err, Error::InvalidParameter { ref field, .. }
            if field == "transition_probabilities.customer+teleport"));
        assert!(
            serde_json::from_str::<TransitionProbabilities>(r#"{"customer+no_contact": 1.5}"#)
                .is_err()
        );
    }
}
