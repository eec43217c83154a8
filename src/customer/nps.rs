//! The Net Promoter Score of a population: [`NpsTally`] and [`nps`].

use serde::{Deserialize, Serialize};

use super::{LikelihoodToRecommend, NpsClass};

/// Counts of promoters, passives and detractors; mergeable, so that blocks of a
/// population counted in parallel can be added up.
///
/// The score is `100 * (promoters - detractors) / respondents`, in `[-100, 100]`.
///
/// ```
/// use social_loop::customer::{LikelihoodToRecommend, NpsTally};
/// let mut tally = NpsTally::default();
/// for score in [10, 9, 8, 3] {
///     tally.add(LikelihoodToRecommend::new(score)?);
/// }
/// assert_eq!(tally.score(), Some(25.0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NpsTally {
    /// Answered 9 or 10.
    pub promoters: u64,
    /// Answered 7 or 8.
    pub passives: u64,
    /// Answered 0 to 6.
    pub detractors: u64,
}

impl NpsTally {
    /// Counts one answer.
    pub fn add(&mut self, answer: LikelihoodToRecommend) {
        self.add_class(answer.class());
    }

    /// Counts one respondent of `class`. Saturates instead of wrapping.
    pub fn add_class(&mut self, class: NpsClass) {
        let count = match class {
            NpsClass::Promoter => &mut self.promoters,
            NpsClass::Passive => &mut self.passives,
            NpsClass::Detractor => &mut self.detractors,
        };
        *count = count.saturating_add(1);
    }

    /// Adds another tally's counts (for example the tally of another block of
    /// customers). Saturates instead of wrapping.
    pub fn merge(&mut self, other: &NpsTally) {
        self.promoters = self.promoters.saturating_add(other.promoters);
        self.passives = self.passives.saturating_add(other.passives);
        self.detractors = self.detractors.saturating_add(other.detractors);
    }

    /// Everyone counted.
    pub fn respondents(&self) -> u64 {
        self.promoters
            .saturating_add(self.passives)
            .saturating_add(self.detractors)
    }

    /// The Net Promoter Score, `100 * (promoters - detractors) / respondents`,
    /// or `None` when nobody was counted.
    pub fn score(&self) -> Option<f64> {
        let n = self.respondents();
        if n == 0 {
            return None;
        }
        let diff = self.promoters as f64 - self.detractors as f64;
        Some(100.0 * diff / n as f64)
    }
}

impl FromIterator<LikelihoodToRecommend> for NpsTally {
    fn from_iter<I: IntoIterator<Item = LikelihoodToRecommend>>(iter: I) -> Self {
        let mut tally = NpsTally::default();
        for answer in iter {
            tally.add(answer);
        }
        tally
    }
}

/// The Net Promoter Score of a set of answers, or `None` when there are none.
///
/// ```
/// use social_loop::customer::{nps, LikelihoodToRecommend};
/// let answers = [10u8, 7, 0].map(LikelihoodToRecommend::new);
/// let answers: Vec<_> = answers.into_iter().collect::<Result<_, _>>()?;
/// assert_eq!(nps(answers), Some(0.0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Complexity
/// O(n) in the number of answers.
pub fn nps(answers: impl IntoIterator<Item = LikelihoodToRecommend>) -> Option<f64> {
    answers.into_iter().collect::<NpsTally>().score()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ltr(s: u8) -> LikelihoodToRecommend {
        LikelihoodToRecommend::new(s).unwrap()
    }

    #[test]
    fn fifty_thirty_twenty_gives_plus_thirty() {
        let answers = std::iter::repeat_n(ltr(9), 50)
            .chain(std::iter::repeat_n(ltr(7), 30))
            .chain(std::iter::repeat_n(ltr(6), 20));
        assert_eq!(nps(answers), Some(30.0));
    }

    #[test]
    fn merge_equals_counting_together() {
        let a: NpsTally = [10, 2, 8].map(ltr).into_iter().collect();
        let b: NpsTally = [0, 0, 9, 9].map(ltr).into_iter().collect();
        let mut merged = a;
        merged.merge(&b);
        let together: NpsTally = [10, 2, 8, 0, 0, 9, 9].map(ltr).into_iter().collect();
        assert_eq!(merged, together);
        assert_eq!(together.respondents(), 7);
        assert_eq!(nps([]), None);
        let all_detractors: NpsTally = [0, 6].map(ltr).into_iter().collect();
        assert_eq!(all_detractors.score(), Some(-100.0));
    }
}
