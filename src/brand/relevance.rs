//! The relevance model: right content x right time x right channel x right customer.

use serde::{Deserialize, Serialize};

use crate::customer::{CustomerId, Profile};
use crate::probability::Probability;

use super::engagement::Engagement;

/// How relevant an engagement is to one customer in one period: the chance that it
/// lands (is noticed and taken as meant).
///
/// The essays' recipe for customer advocacy is "relevant content — the right
/// content, at the right time, in the right channel to the right customer"; social
/// customers "filter out the noise ... to consume only the content that is relevant
/// to them at a specific moment in time". The model is the **product** of four
/// factors in `[0, 1]`, so one wrong factor sinks the whole:
///
/// | factor | value |
/// |---|---|
/// | content | `off_topic + (1 - off_topic) x s`, where `s` is the share of the engagement's topics the customer cares about; 1 for an engagement without topics (nothing to be off-topic) |
/// | time | 1 if [`Profile::attentive_in`]`(period)`, else `off_time` |
/// | channel | 1 if the customer [uses](Profile::uses) the channel, else `cross_channel` |
/// | customer | 1 if the engagement's [`Target`](super::Target) matches the customer, else `targeting_miss` |
///
/// Who owns social media scales this score once more: the effective relevance of
/// an engagement is `relevance x` [`Ownership::relevance_factor`](super::Ownership::relevance_factor).
///
/// Defaults (each a parameter; the reason in one line):
/// - `off_topic = 0.1`: off-topic content is mostly filtered out as noise, but not
///   always (a customer may still glance at it).
/// - `off_time = 0.2`: content posted while the customer is not looking is mostly
///   buried by the time they look.
/// - `cross_channel = 0.1`: a customer reached only through a channel they do not
///   use hears it second-hand at best (shared or forwarded).
/// - `targeting_miss = 0.0`: an engagement aimed at someone else does not reach
///   this customer at all.
///
/// ```
/// use social_loop::brand::{Engagement, EngagementKind, RelevanceModel};
/// use social_loop::customer::{Channel, Profile};
/// use social_loop::CustomerId;
/// let ann = Profile {
///     channels: vec![Channel::Microblog],
///     interests: vec!["pricing".into()],
///     attention_every: 1,
///     ..Profile::default()
/// };
/// let post = Engagement::builder(EngagementKind::RelevantContent, Channel::Microblog)
///     .topics(["pricing", "golf"])
///     .build()?;
/// let model = RelevanceModel::default();
/// // content = 0.1 + 0.9 x 1/2 = 0.55; time, channel and customer are right.
/// let r = model.relevance(&post, &CustomerId::from("ann"), &ann, 0);
/// assert!((r.get() - 0.55).abs() < 1e-12);
/// // The same post in a channel Ann does not use: 0.55 x 0.1.
/// let email = Engagement::builder(EngagementKind::RelevantContent, Channel::Email)
///     .topics(["pricing", "golf"])
///     .build()?;
/// let r = model.relevance(&email, &CustomerId::from("ann"), &ann, 0);
/// assert!((r.get() - 0.055).abs() < 1e-12);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RelevanceModel {
    pub(crate) off_topic: Probability,
    pub(crate) off_time: Probability,
    pub(crate) cross_channel: Probability,
    pub(crate) targeting_miss: Probability,
}

accessors!(RelevanceModel {
    off_topic get_off_topic: Probability [copy] => "the content factor of entirely off-topic content (the floor of the content factor)";
    off_time get_off_time: Probability [copy] => "the time factor when the customer is not attentive in the period";
    cross_channel get_cross_channel: Probability [copy] => "the channel factor when the customer does not use the engagement's channel";
    targeting_miss get_targeting_miss: Probability [copy] => "the customer factor when the engagement's target does not include the customer";
});

impl Default for RelevanceModel {
    fn default() -> Self {
        RelevanceModel {
            off_topic: Probability::saturating(0.1),
            off_time: Probability::saturating(0.2),
            cross_channel: Probability::saturating(0.1),
            targeting_miss: Probability::ZERO,
        }
    }
}

/// The four factors of one relevance score, for explaining it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RelevanceFactors {
    /// Right content.
    pub content: Probability,
    /// Right time.
    pub time: Probability,
    /// Right channel.
    pub channel: Probability,
    /// Right customer.
    pub customer: Probability,
}

impl RelevanceFactors {
    /// `content x time x channel x customer`.
    pub fn product(&self) -> Probability {
        Probability::saturating(
            self.content.get() * self.time.get() * self.channel.get() * self.customer.get(),
        )
    }
}

impl RelevanceModel {
    /// The four factors for `engagement`, customer `id` with `profile`, in `period`.
    ///
    /// # Complexity
    /// O(t x i) for t engagement topics and i customer interests (both small).
    pub fn factors(
        &self,
        engagement: &Engagement,
        id: &CustomerId,
        profile: &Profile,
        period: u32,
    ) -> RelevanceFactors {
        let topics = engagement.topics();
        let content = if topics.is_empty() {
            Probability::ONE
        } else {
            let cared = topics.iter().filter(|t| profile.cares_about(t)).count();
            let share = cared as f64 / topics.len() as f64;
            let floor = self.off_topic.get();
            Probability::saturating(floor + (1.0 - floor) * share)
        };
        let time = if profile.attentive_in(period) {
            Probability::ONE
        } else {
            self.off_time
        };
        let channel = if profile.uses(engagement.channel()) {
            Probability::ONE
        } else {
            self.cross_channel
        };
        let customer = if engagement.target().matches(id, profile) {
            Probability::ONE
        } else {
            self.targeting_miss
        };
        RelevanceFactors {
            content,
            time,
            channel,
            customer,
        }
    }

    /// The relevance of `engagement` to customer `id` with `profile` in `period`:
    /// the product of the four [`factors`](Self::factors).
    ///
    /// # Complexity
    /// As [`factors`](Self::factors).
    pub fn relevance(
        &self,
        engagement: &Engagement,
        id: &CustomerId,
        profile: &Profile,
        period: u32,
    ) -> Probability {
        self.factors(engagement, id, profile, period).product()
    }
}
