//! How a customer feels about the brand: [`Sentiment`], the 0-10
//! [`LikelihoodToRecommend`] and its [`NpsClass`].

use serde::{Deserialize, Serialize};

use super::Stage;
use crate::error::{Error, Result};

/// A customer's mood toward the brand: a finite number in `[-1, 1]`, 0 neutral.
///
/// Stored as an `f32` (four bytes: the simulation holds a million of them).
///
/// # Sentiment, likelihood to recommend and stage
///
/// The likelihood to recommend that a customer would answer in a survey is
/// derived from sentiment linearly: `ltr = round(5 * (sentiment + 1))`, so -1
/// answers 0, 0 answers 5 and 1 answers 10.
///
/// Stages pin sentiment into a band, so that the roles and the survey agree:
///
/// | stage | sentiment band | likelihood to recommend | NPS class |
/// |---|---|---|---|
/// | advocate | `[0.75, 1]` | 9-10 | promoter |
/// | adversary | `[-1, -0.3]` | 0-3 | detractor |
/// | every other stage | `[-1, 1]` | 0-10 | any |
///
/// (Advocates are promoters, adversaries are detractors.) Note that the NPS scale
/// is demanding: a neutral customer (sentiment 0, answer 5) is a detractor.
///
/// ```
/// use social_loop::customer::Sentiment;
/// let s = Sentiment::new(0.8)?;
/// assert_eq!(s.likelihood_to_recommend().get(), 9);
/// assert!(Sentiment::new(1.2).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default, Serialize, Deserialize)]
#[serde(try_from = "f32", into = "f32")]
pub struct Sentiment(f32);

impl Sentiment {
    /// Neutral (`0`).
    pub const NEUTRAL: Sentiment = Sentiment(0.0);
    /// The lowest sentiment of an advocate (a promoter: answers 9 or 10).
    pub const ADVOCATE_FLOOR: f32 = 0.75;
    /// The highest sentiment of an adversary (a detractor: answers 0 to 3).
    pub const ADVERSARY_CEILING: f32 = -0.3;

    /// Validates `value`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `sentiment`) when `value` is NaN,
    /// infinite or outside `[-1, 1]`.
    pub fn new(value: f32) -> Result<Self> {
        if value.is_finite() && (-1.0..=1.0).contains(&value) {
            Ok(Sentiment(value))
        } else {
            Err(Error::invalid(
                "sentiment",
                format!("{value} is not a finite number in [-1, 1]"),
            ))
        }
    }

    /// Clamps any `value` into `[-1, 1]`; NaN becomes neutral. For values the
    /// library computes itself.
    pub fn saturating(value: f32) -> Self {
        if value.is_nan() {
            Sentiment::NEUTRAL
        } else {
            Sentiment(value.clamp(-1.0, 1.0))
        }
    }

    /// The value, in `[-1, 1]`.
    pub fn get(self) -> f32 {
        self.0
    }

    /// The sentiment that answers `answer` to the likelihood-to-recommend
    /// question: `answer / 5 - 1`, the inverse of
    /// [`likelihood_to_recommend`](Self::likelihood_to_recommend) (for a CRM
    /// that records survey answers).
    ///
    /// ```
    /// use social_loop::customer::{LikelihoodToRecommend, Sentiment};
    /// for score in 0..=10 {
    ///     let answer = LikelihoodToRecommend::new(score)?;
    ///     assert_eq!(Sentiment::from_likelihood(answer).likelihood_to_recommend(), answer);
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_likelihood(answer: LikelihoodToRecommend) -> Self {
        Sentiment::saturating(f32::from(answer.get()) / 5.0 - 1.0)
    }

    /// The sentiment clamped into the band of `stage` (see the
    /// [`Sentiment`] docs): at least [`Sentiment::ADVOCATE_FLOOR`] for an
    /// advocate, at most [`Sentiment::ADVERSARY_CEILING`] for an adversary,
    /// unchanged otherwise.
    #[must_use]
    pub fn within_stage(self, stage: Stage) -> Self {
        match stage {
            Stage::Advocate => Sentiment(self.0.max(Self::ADVOCATE_FLOOR)),
            Stage::Adversary => Sentiment(self.0.min(Self::ADVERSARY_CEILING)),
            _ => self,
        }
    }

    /// The answer this customer would give to "how likely are you to recommend
    /// us?": `round(5 * (sentiment + 1))`.
    pub fn likelihood_to_recommend(self) -> LikelihoodToRecommend {
        let score = (5.0 * (f64::from(self.0) + 1.0)).round().clamp(0.0, 10.0);
        // In 0..=10 after the clamp, so the cast is exact.
        LikelihoodToRecommend(score as u8)
    }
}

impl TryFrom<f32> for Sentiment {
    type Error = Error;
    fn try_from(value: f32) -> Result<Self> {
        Sentiment::new(value)
    }
}

impl From<Sentiment> for f32 {
    fn from(s: Sentiment) -> f32 {
        s.0
    }
}

/// The answer to "how likely are you to recommend us to a friend?", 0 to 10.
///
/// ```
/// use social_loop::customer::{LikelihoodToRecommend, NpsClass};
/// assert_eq!(LikelihoodToRecommend::new(9)?.class(), NpsClass::Promoter);
/// assert!(LikelihoodToRecommend::new(11).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct LikelihoodToRecommend(u8);

impl LikelihoodToRecommend {
    /// Validates `score`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `likelihood_to_recommend`) when `score`
    /// is greater than 10.
    pub fn new(score: u8) -> Result<Self> {
        if score <= 10 {
            Ok(LikelihoodToRecommend(score))
        } else {
            Err(Error::invalid(
                "likelihood_to_recommend",
                format!("{score} is not in 0..=10"),
            ))
        }
    }

    /// The score, in `0..=10`.
    pub fn get(self) -> u8 {
        self.0
    }

    /// The NPS class of the score.
    pub fn class(self) -> NpsClass {
        match self.0 {
            9..=10 => NpsClass::Promoter,
            7..=8 => NpsClass::Passive,
            _ => NpsClass::Detractor,
        }
    }
}

impl TryFrom<u8> for LikelihoodToRecommend {
    type Error = Error;
    fn try_from(score: u8) -> Result<Self> {
        LikelihoodToRecommend::new(score)
    }
}

impl From<LikelihoodToRecommend> for u8 {
    fn from(l: LikelihoodToRecommend) -> u8 {
        l.0
    }
}

/// The Net Promoter class of a likelihood-to-recommend answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum NpsClass {
    /// Answered 9 or 10.
    Promoter,
    /// Answered 7 or 8.
    Passive,
    /// Answered 0 to 6.
    Detractor,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn likelihood_classes_follow_the_nps_convention() {
        let classes: Vec<NpsClass> = (0..=10)
            .map(|s| LikelihoodToRecommend::new(s).unwrap().class())
            .collect();
        assert_eq!(
            classes
                .iter()
                .filter(|&&c| c == NpsClass::Detractor)
                .count(),
            7
        );
        assert_eq!(classes[7], NpsClass::Passive);
        assert_eq!(classes[8], NpsClass::Passive);
        assert_eq!(classes[9], NpsClass::Promoter);
        assert_eq!(classes[10], NpsClass::Promoter);
    }

    #[test]
    fn sentiment_maps_linearly_to_likelihood() {
        let ltr = |s: f32| Sentiment::new(s).unwrap().likelihood_to_recommend().get();
        assert_eq!(ltr(-1.0), 0);
        assert_eq!(ltr(0.0), 5);
        assert_eq!(ltr(1.0), 10);
        assert_eq!(ltr(Sentiment::ADVOCATE_FLOOR), 9);
        assert_eq!(ltr(Sentiment::ADVERSARY_CEILING), 3);
    }

    #[test]
    fn stage_bands_make_advocates_promoters_and_adversaries_detractors() {
        for step in 0..=200 {
            let s = Sentiment::new(-1.0 + step as f32 / 100.0).unwrap();
            let adv = s.within_stage(Stage::Advocate).likelihood_to_recommend();
            assert_eq!(adv.class(), NpsClass::Promoter, "{s:?}");
            let adversary = s.within_stage(Stage::Adversary).likelihood_to_recommend();
            assert_eq!(adversary.class(), NpsClass::Detractor, "{s:?}");
            assert_eq!(s.within_stage(Stage::Customer), s);
        }
    }

    #[test]
    fn invalid_values_are_rejected() {
        for bad in [f32::NAN, 1.0001, -1.0001, f32::INFINITY] {
            assert!(matches!(
                Sentiment::new(bad),
                Err(Error::InvalidParameter { ref field, .. }) if field == "sentiment"
            ));
        }
        assert!(serde_json::from_str::<Sentiment>("1.5").is_err());
        assert!(serde_json::from_str::<LikelihoodToRecommend>("11").is_err());
        assert_eq!(
            serde_json::from_str::<LikelihoodToRecommend>("10")
                .unwrap()
                .get(),
            10
        );
        assert_eq!(Sentiment::saturating(f32::NAN), Sentiment::NEUTRAL);
        assert_eq!(Sentiment::saturating(3.0).get(), 1.0);
    }
}
