//! Who a scenario's customers are and where they start.

use serde::{Deserialize, Serialize};

use super::MAX_ATTENTION_EVERY;
use crate::customer::{Channel, PerStage, Profile, Segment, Stage, Topic};
use crate::error::{Error, Result};
use crate::probability::Probability;

/// One kind of customer: a [`Profile`] and the share of customers who have it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileShare {
    /// Relative weight (need not sum to 1 over the profiles; must be > 0).
    pub share: f64,
    /// Channels, interests, segment and attention rhythm. Each customer gets
    /// their own phase of the rhythm, drawn uniformly in `0..attention_every`.
    pub profile: Profile,
}

/// Shares of the population in each lifecycle stage at the start (each >= 0,
/// summing to 1 within 10⁻⁶). Fields left out of a scenario file keep the default
/// mix.
pub type StageMix = PerStage<f64>;

impl Default for PerStage<f64> {
    /// The default starting mix: 60% unaware, 20% aware, 8% prospects, 8%
    /// customers, 2% advocates, 1% adversaries, 1% lapsed.
    fn default() -> Self {
        PerStage {
            unaware: 0.6,
            aware: 0.2,
            prospect: 0.08,
            customer: 0.08,
            advocate: 0.02,
            adversary: 0.01,
            lapsed: 0.01,
        }
    }
}

impl PerStage<f64> {
    /// Everyone in `stage`.
    pub fn all(stage: Stage) -> Self {
        PerStage::from_fn(|s| if s == stage { 1.0 } else { 0.0 })
    }

    pub(super) fn validate(&self) -> Result<()> {
        let mut sum = 0.0;
        for stage in Stage::ALL {
            let share = self.get(stage);
            if !share.is_finite() || share < 0.0 {
                return Err(Error::invalid(
                    format!("population.initial.{stage}"),
                    format!("{share} is not a share (finite and >= 0)"),
                ));
            }
            sum += share;
        }
        if (sum - 1.0).abs() > 1e-6 {
            return Err(Error::invalid(
                "population.initial",
                format!("the stage shares sum to {sum}, not 1"),
            ));
        }
        Ok(())
    }
}

/// Who the customers are: their profiles and where they start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PopulationSpec {
    pub(crate) profiles: Vec<ProfileShare>,
    pub(crate) homophily: Probability,
    pub(crate) initial: StageMix,
}

accessors!(PopulationSpec {
    profiles get_profiles: Vec<ProfileShare> [ref] => "the kinds of customer and their shares (at least one)";
    homophily get_homophily: Probability [copy] => "the chance, with a micro-community network, that a customer shares their community's profile (drawn once per community) rather than drawing their own: communities of like-minded people are what makes content relevant to a whole micro-community (ignored for other networks)";
    initial get_initial: StageMix [copy] => "the shares of the stages at the start";
});

impl Default for PopulationSpec {
    /// Four profiles, each attentive every other week:
    ///
    /// | share | channels | interests | segment |
    /// |---|---|---|---|
    /// | 0.35 | microblog, social feed | how-to, pricing | smb |
    /// | 0.25 | professional, e-mail | pricing, integrations | enterprise |
    /// | 0.25 | social feed, video | how-to, sustainability | consumer |
    /// | 0.15 | microblog, blog | integrations, sustainability | consumer |
    fn default() -> Self {
        let profile = |channels: &[Channel], interests: &[&str], segment: &str| Profile {
            channels: channels.to_vec(),
            interests: interests.iter().map(|&t| Topic::new(t)).collect(),
            segment: Some(Segment::new(segment)),
            attention_every: 2,
            attention_offset: 0,
        };
        PopulationSpec {
            profiles: vec![
                ProfileShare {
                    share: 0.35,
                    profile: profile(
                        &[Channel::Microblog, Channel::SocialFeed],
                        &["how-to", "pricing"],
                        "smb",
                    ),
                },
                ProfileShare {
                    share: 0.25,
                    profile: profile(
                        &[Channel::Professional, Channel::Email],
                        &["pricing", "integrations"],
                        "enterprise",
                    ),
                },
                ProfileShare {
                    share: 0.25,
                    profile: profile(
                        &[Channel::SocialFeed, Channel::Video],
                        &["how-to", "sustainability"],
                        "consumer",
                    ),
                },
                ProfileShare {
                    share: 0.15,
                    profile: profile(
                        &[Channel::Microblog, Channel::Blog],
                        &["integrations", "sustainability"],
                        "consumer",
                    ),
                },
            ],
            homophily: Probability::saturating(0.8),
            initial: StageMix::default(),
        }
    }
}

impl PopulationSpec {
    pub(super) fn validate(&self) -> Result<()> {
        if self.profiles.is_empty() {
            return Err(Error::invalid(
                "population.profiles",
                "needs at least one profile",
            ));
        }
        let phases: u64 = self
            .profiles
            .iter()
            .map(|p| u64::from(p.profile.attention_every))
            .sum();
        if phases > u64::from(u16::MAX) {
            return Err(Error::invalid(
                "population.profiles",
                format!(
                    "{phases} profile x attention-phase combinations; at most {}",
                    u16::MAX
                ),
            ));
        }
        for (i, p) in self.profiles.iter().enumerate() {
            if !p.share.is_finite() || p.share <= 0.0 {
                return Err(Error::invalid(
                    format!("population.profiles[{i}].share"),
                    format!("{} is not a positive finite weight", p.share),
                ));
            }
            if p.profile.attention_every == 0 {
                return Err(Error::invalid(
                    format!("population.profiles[{i}].profile.attention_every"),
                    "must be at least 1 period",
                ));
            }
            if p.profile.attention_every > MAX_ATTENTION_EVERY {
                return Err(Error::invalid(
                    format!("population.profiles[{i}].profile.attention_every"),
                    format!(
                        "{} periods; at most {MAX_ATTENTION_EVERY}",
                        p.profile.attention_every
                    ),
                ));
            }
        }
        self.initial.validate()
    }
}
