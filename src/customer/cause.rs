//! [`Cause`]: what happened to a customer, the reason behind every stage move.
//!
//! A cause is a typed event: an experience with the company, word of mouth from
//! someone they listen to, an engagement from the brand, a purchase, a complaint,
//! time without contact, or service recovery. Its [`Trigger`] (the cause without
//! its payload) is what the [transition table](super::TRANSITIONS) is keyed on.

use serde::{Deserialize, Serialize};

use super::{Channel, CustomerId};
use crate::error::{Error, Result};

/// How an experience with the company felt to the customer.
///
/// Four levels are enough for the lifecycle: *delight* can make a customer an
/// advocate, *outrage* can turn even an advocate into an adversary ("one minute
/// they love the brand, the next they hate it").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ExperienceQuality {
    /// Far better than expected.
    Delighted,
    /// As expected.
    Satisfied,
    /// Worse than expected.
    Disappointed,
    /// Unacceptable: the customer is angry.
    Outraged,
}

impl ExperienceQuality {
    /// Every level, best first.
    pub const ALL: [ExperienceQuality; 4] = [
        ExperienceQuality::Delighted,
        ExperienceQuality::Satisfied,
        ExperienceQuality::Disappointed,
        ExperienceQuality::Outraged,
    ];

    /// The level of a signed quality score in `[-1, 1]` (for example the
    /// experience quality a business change produces, or a sentiment analysis
    /// score):
    ///
    /// | score | level |
    /// |---|---|
    /// | `[0.5, 1]` | delighted |
    /// | `[0, 0.5)` | satisfied |
    /// | `(-0.5, 0)` | disappointed |
    /// | `[-1, -0.5]` | outraged |
    ///
    /// ```
    /// use social_loop::customer::ExperienceQuality;
    /// assert_eq!(ExperienceQuality::from_score(0.7)?, ExperienceQuality::Delighted);
    /// assert_eq!(ExperienceQuality::from_score(-0.5)?, ExperienceQuality::Outraged);
    /// assert!(ExperienceQuality::from_score(1.5).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `experience.score`) when `score` is NaN,
    /// infinite or outside `[-1, 1]`.
    pub fn from_score(score: f64) -> Result<Self> {
        if !(score.is_finite() && (-1.0..=1.0).contains(&score)) {
            return Err(Error::invalid(
                "experience.score",
                format!("{score} is not a finite number in [-1, 1]"),
            ));
        }
        Ok(if score >= 0.5 {
            ExperienceQuality::Delighted
        } else if score >= 0.0 {
            ExperienceQuality::Satisfied
        } else if score > -0.5 {
            ExperienceQuality::Disappointed
        } else {
            ExperienceQuality::Outraged
        })
    }

    /// Whether the experience was bad (disappointing or outrageous).
    pub fn is_bad(self) -> bool {
        matches!(
            self,
            ExperienceQuality::Disappointed | ExperienceQuality::Outraged
        )
    }

    /// The level's name in `snake_case`.
    pub fn name(self) -> &'static str {
        match self {
            ExperienceQuality::Delighted => "delighted",
            ExperienceQuality::Satisfied => "satisfied",
            ExperienceQuality::Disappointed => "disappointed",
            ExperienceQuality::Outraged => "outraged",
        }
    }
}

/// Where the customer met the company when they had an experience.
///
/// The brand's owning departments map onto touchpoints; with siloed ownership,
/// different touchpoints give the same customer inconsistent experiences.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Touchpoint {
    /// Using the product itself.
    Product,
    /// Marketing content and campaigns.
    Marketing,
    /// Public relations and the press.
    PublicRelations,
    /// Sales conversations and buying.
    Sales,
    /// Customer service and support.
    CustomerService,
    /// An outside agency speaking for the brand.
    Agency,
}

impl Touchpoint {
    /// The touchpoint's name in `snake_case`.
    pub fn name(self) -> &'static str {
        match self {
            Touchpoint::Product => "product",
            Touchpoint::Marketing => "marketing",
            Touchpoint::PublicRelations => "public_relations",
            Touchpoint::Sales => "sales",
            Touchpoint::CustomerService => "customer_service",
            Touchpoint::Agency => "agency",
        }
    }
}

/// Whether word of mouth speaks for or against the brand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Valence {
    /// Praise, a recommendation.
    Positive,
    /// Criticism, a warning.
    Negative,
}

impl Valence {
    /// The valence's name in `snake_case`.
    pub fn name(self) -> &'static str {
        match self {
            Valence::Positive => "positive",
            Valence::Negative => "negative",
        }
    }
}

/// One experience with the company: its quality and, optionally, where it happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Experience {
    /// How it felt.
    pub quality: ExperienceQuality,
    /// Where it happened, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub touchpoint: Option<Touchpoint>,
}

impl Experience {
    /// An experience of `quality` at an unknown touchpoint.
    pub fn new(quality: ExperienceQuality) -> Self {
        Experience {
            quality,
            touchpoint: None,
        }
    }

    /// The same experience, at `touchpoint`.
    #[must_use]
    pub fn at(mut self, touchpoint: Touchpoint) -> Self {
        self.touchpoint = Some(touchpoint);
        self
    }
}

/// What happened to a customer: the typed reason behind every move.
///
/// The [transition table](super::TRANSITIONS) says which move each cause *can*
/// produce from each stage; whether it does in a simulation is a draw against
/// [`TransitionProbabilities`](super::TransitionProbabilities). Every cause also
/// nudges the customer's [`Sentiment`](super::Sentiment) (see
/// [`Trigger::sentiment_effect`]).
///
/// A refund is money and goes to the [value ledger](crate::value); the customer's
/// side of it is a [`Cause::Complaint`].
///
/// In JSON a cause is tagged by `kind`:
/// ```
/// use social_loop::customer::{Cause, Valence};
/// let wom = Cause::WordOfMouth { valence: Valence::Negative, from: "ann".into() };
/// let json = serde_json::to_string(&wom)?;
/// assert_eq!(json, r#"{"kind":"word_of_mouth","valence":"negative","from":"ann"}"#);
/// assert_eq!(serde_json::from_str::<Cause>(&json)?, wom);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Cause {
    /// The customer saw the brand (an advert, a post, a search result, a shelf).
    Exposure {
        /// Where, when known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        channel: Option<Channel>,
    },
    /// An experience with the company.
    Experience(Experience),
    /// Word of mouth received from another customer.
    WordOfMouth {
        /// For or against the brand.
        valence: Valence,
        /// Who spoke.
        from: CustomerId,
    },
    /// A brand engagement reached the customer (content, a discount, a
    /// conversation). `relevant` is the outcome of the brand's relevance model:
    /// right content, right time, right channel, right customer.
    Engagement {
        /// Whether it was relevant to this customer.
        relevant: bool,
        /// Through which channel, when known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        channel: Option<Channel>,
    },
    /// The customer bought.
    Purchase,
    /// The customer complained or asked for a refund.
    Complaint {
        /// About which touchpoint, when known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        touchpoint: Option<Touchpoint>,
    },
    /// The customer has had no contact with the brand for `periods` periods.
    ///
    /// The caller decides when drift happens (for example after a number of
    /// silent periods); `periods` is kept for the explanation.
    NoContact {
        /// How many periods without contact.
        periods: u32,
    },
    /// The company put things right after a failure (a fix, an apology, a refund
    /// handled well).
    ServiceRecovery,
}

impl Cause {
    /// An experience of `quality` at an unknown touchpoint.
    pub fn experience(quality: ExperienceQuality) -> Self {
        Cause::Experience(Experience::new(quality))
    }

    /// The cause without its payload: the key of the transition table.
    pub fn trigger(&self) -> Trigger {
        match self {
            Cause::Exposure { .. } => Trigger::Exposure,
            Cause::Experience(e) => Trigger::Experience(e.quality),
            Cause::WordOfMouth { valence, .. } => Trigger::WordOfMouth(*valence),
            Cause::Engagement { relevant, .. } => Trigger::Engagement {
                relevant: *relevant,
            },
            Cause::Purchase => Trigger::Purchase,
            Cause::Complaint { .. } => Trigger::Complaint,
            Cause::NoContact { .. } => Trigger::NoContact,
            Cause::ServiceRecovery => Trigger::ServiceRecovery,
        }
    }
}

impl std::fmt::Display for Cause {
    /// A short readable explanation: `purchase`, `outraged experience (sales)`,
    /// `negative word of mouth from ann`, `no contact for 4 periods`...
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cause::Exposure { .. } => f.write_str("exposure"),
            Cause::Experience(e) => {
                write!(f, "{} experience", e.quality.name())?;
                match e.touchpoint {
                    Some(t) => write!(f, " ({})", t.name()),
                    None => Ok(()),
                }
            }
            Cause::WordOfMouth { valence, from } => {
                write!(f, "{} word of mouth from {from}", valence.name())
            }
            Cause::Engagement { relevant: true, .. } => f.write_str("relevant engagement"),
            Cause::Engagement {
                relevant: false, ..
            } => f.write_str("irrelevant engagement"),
            Cause::Purchase => f.write_str("purchase"),
            Cause::Complaint { touchpoint } => {
                f.write_str("complaint")?;
                match touchpoint {
                    Some(t) => write!(f, " ({})", t.name()),
                    None => Ok(()),
                }
            }
            Cause::NoContact { periods } => write!(f, "no contact for {periods} periods"),
            Cause::ServiceRecovery => f.write_str("service recovery"),
        }
    }
}

/// A [`Cause`] without its payload (who spoke, which channel): what the
/// transition table and the sentiment effects are keyed on. Two bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Trigger {
    /// See [`Cause::Exposure`].
    Exposure,
    /// See [`Cause::Experience`].
    Experience(ExperienceQuality),
    /// See [`Cause::WordOfMouth`].
    WordOfMouth(Valence),
    /// See [`Cause::Engagement`].
    Engagement {
        /// Whether it was relevant.
        relevant: bool,
    },
    /// See [`Cause::Purchase`].
    Purchase,
    /// See [`Cause::Complaint`].
    Complaint,
    /// See [`Cause::NoContact`].
    NoContact,
    /// See [`Cause::ServiceRecovery`].
    ServiceRecovery,
}

impl Trigger {
    /// Every trigger.
    pub const ALL: [Trigger; 13] = [
        Trigger::Exposure,
        Trigger::Experience(ExperienceQuality::Delighted),
        Trigger::Experience(ExperienceQuality::Satisfied),
        Trigger::Experience(ExperienceQuality::Disappointed),
        Trigger::Experience(ExperienceQuality::Outraged),
        Trigger::WordOfMouth(Valence::Positive),
        Trigger::WordOfMouth(Valence::Negative),
        Trigger::Engagement { relevant: true },
        Trigger::Engagement { relevant: false },
        Trigger::Purchase,
        Trigger::Complaint,
        Trigger::NoContact,
        Trigger::ServiceRecovery,
    ];

    /// Position in [`Trigger::ALL`]; handy for count arrays.
    pub fn index(self) -> usize {
        match self {
            Trigger::Exposure => 0,
            Trigger::Experience(ExperienceQuality::Delighted) => 1,
            Trigger::Experience(ExperienceQuality::Satisfied) => 2,
            Trigger::Experience(ExperienceQuality::Disappointed) => 3,
            Trigger::Experience(ExperienceQuality::Outraged) => 4,
            Trigger::WordOfMouth(Valence::Positive) => 5,
            Trigger::WordOfMouth(Valence::Negative) => 6,
            Trigger::Engagement { relevant: true } => 7,
            Trigger::Engagement { relevant: false } => 8,
            Trigger::Purchase => 9,
            Trigger::Complaint => 10,
            Trigger::NoContact => 11,
            Trigger::ServiceRecovery => 12,
        }
    }

    /// The trigger's name, as used in the transition table and in rule names
    /// (`experience_delighted`, `word_of_mouth_negative`, `engagement_relevant`...).
    pub fn name(self) -> &'static str {
        match self {
            Trigger::Exposure => "exposure",
            Trigger::Experience(ExperienceQuality::Delighted) => "experience_delighted",
            Trigger::Experience(ExperienceQuality::Satisfied) => "experience_satisfied",
            Trigger::Experience(ExperienceQuality::Disappointed) => "experience_disappointed",
            Trigger::Experience(ExperienceQuality::Outraged) => "experience_outraged",
            Trigger::WordOfMouth(Valence::Positive) => "word_of_mouth_positive",
            Trigger::WordOfMouth(Valence::Negative) => "word_of_mouth_negative",
            Trigger::Engagement { relevant: true } => "engagement_relevant",
            Trigger::Engagement { relevant: false } => "engagement_irrelevant",
            Trigger::Purchase => "purchase",
            Trigger::Complaint => "complaint",
            Trigger::NoContact => "no_contact",
            Trigger::ServiceRecovery => "service_recovery",
        }
    }

    /// How the trigger moves the customer's sentiment `s` (in `[-1, 1]`), before
    /// it is clamped into `[-1, 1]` and into the band of the customer's stage
    /// (see [`Sentiment::within_stage`](super::Sentiment::within_stage)):
    ///
    /// | trigger | effect on `s` |
    /// |---|---|
    /// | exposure, purchase | none |
    /// | experience delighted | `+0.4` |
    /// | experience satisfied | `+0.1` |
    /// | experience disappointed | `-0.2` |
    /// | experience outraged | `-0.6` |
    /// | word of mouth positive | `+0.1` |
    /// | word of mouth negative | `-0.15` |
    /// | engagement relevant | `+0.05` |
    /// | engagement irrelevant | `-0.05` (noise annoys) |
    /// | complaint | `-0.2` |
    /// | no contact | `s * 0.8` (feelings fade toward neutral) |
    /// | service recovery | `+0.5` (the service recovery paradox: a failure put right well can leave the customer happier than before) |
    pub fn sentiment_effect(self, s: f32) -> f32 {
        match self {
            Trigger::Exposure | Trigger::Purchase => s,
            Trigger::Experience(ExperienceQuality::Delighted) => s + 0.4,
            Trigger::Experience(ExperienceQuality::Satisfied) => s + 0.1,
            Trigger::Experience(ExperienceQuality::Disappointed) => s - 0.2,
            Trigger::Experience(ExperienceQuality::Outraged) => s - 0.6,
            Trigger::WordOfMouth(Valence::Positive) => s + 0.1,
            Trigger::WordOfMouth(Valence::Negative) => s - 0.15,
            Trigger::Engagement { relevant: true } => s + 0.05,
            Trigger::Engagement { relevant: false } => s - 0.05,
            Trigger::Complaint => s - 0.2,
            Trigger::NoContact => s * 0.8,
            Trigger::ServiceRecovery => s + 0.5,
        }
    }
}

impl std::fmt::Display for Trigger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trigger_names_are_unique_and_cover_every_trigger() {
        let mut names: Vec<&str> = Trigger::ALL.iter().map(|t| t.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Trigger::ALL.len());
    }

    #[test]
    fn index_is_the_position_in_all() {
        for (i, t) in Trigger::ALL.iter().enumerate() {
            assert_eq!(t.index(), i, "{t}");
        }
    }

    #[test]
    fn sentiment_effects_follow_their_table() {
        use ExperienceQuality::*;
        let cases = [
            (Trigger::Exposure, 0.0),
            (Trigger::Purchase, 0.0),
            (Trigger::Experience(Delighted), 0.4),
            (Trigger::Experience(Satisfied), 0.1),
            (Trigger::Experience(Disappointed), -0.2),
            (Trigger::Experience(Outraged), -0.6),
            (Trigger::WordOfMouth(Valence::Positive), 0.1),
            (Trigger::WordOfMouth(Valence::Negative), -0.15),
            (Trigger::Engagement { relevant: true }, 0.05),
            (Trigger::Engagement { relevant: false }, -0.05),
            (Trigger::Complaint, -0.2),
            (Trigger::ServiceRecovery, 0.5),
        ];
        for (trigger, delta) in cases {
            let moved = trigger.sentiment_effect(0.1) - 0.1;
            assert!((moved - delta).abs() < 1e-6, "{trigger}: {moved}");
        }
        assert!((Trigger::NoContact.sentiment_effect(-0.5) + 0.4).abs() < 1e-6);
    }

    #[test]
    fn quality_score_boundaries() {
        use ExperienceQuality::*;
        let cases = [
            (1.0, Delighted),
            (0.5, Delighted),
            (0.4999, Satisfied),
            (0.0, Satisfied),
            (-0.0001, Disappointed),
            (-0.4999, Disappointed),
            (-0.5, Outraged),
            (-1.0, Outraged),
        ];
        for (score, level) in cases {
            assert_eq!(
                ExperienceQuality::from_score(score).unwrap(),
                level,
                "{score}"
            );
        }
        for bad in [f64::NAN, 1.01, -1.01, f64::INFINITY] {
            let err = ExperienceQuality::from_score(bad).unwrap_err();
            assert!(
                matches!(err, Error::InvalidParameter { ref field, .. } if field == "experience.score")
            );
        }
    }

    #[test]
    fn cause_maps_to_its_trigger() {
        let c =
            Cause::Experience(Experience::new(ExperienceQuality::Outraged).at(Touchpoint::Sales));
        assert_eq!(
            c.trigger(),
            Trigger::Experience(ExperienceQuality::Outraged)
        );
        let c = Cause::Engagement {
            relevant: false,
            channel: Some(Channel::Email),
        };
        assert_eq!(c.trigger().name(), "engagement_irrelevant");
        assert_eq!(
            Cause::NoContact { periods: 4 }.trigger(),
            Trigger::NoContact
        );
    }
}
