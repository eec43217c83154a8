//! A scenario's prices, rates and business.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::business::{Change, ChangeKind, ChangePolicy};
use crate::customer::TransitionProbabilities;
use crate::error::{Error, Result};
use crate::probability::Probability;

/// Prices and the money value of what customers do.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prices {
    /// Price of one purchase (> 0).
    pub unit_price: Decimal,
    /// Fraction taken off the price by a discount engagement, in `[0, 1]`.
    pub discount: Decimal,
    /// Reward the brand pays the referrer for each referral sale (>= 0). It is a
    /// brand engagement cost.
    pub referral_reward: Decimal,
    /// Estimated value of one piece of customer feedback that reaches the
    /// business (>= 0): the customer's product feedback as value created.
    pub feedback_value: Decimal,
}

impl Default for Prices {
    /// Unit price 40, discount 20%, referral reward 5, feedback value 2.
    fn default() -> Self {
        Prices {
            unit_price: Decimal::new(40, 0),
            discount: Decimal::new(20, 2),
            referral_reward: Decimal::new(5, 0),
            feedback_value: Decimal::new(2, 0),
        }
    }
}

impl Prices {
    pub(super) fn validate(&self) -> Result<()> {
        if self.unit_price <= Decimal::ZERO {
            return Err(Error::invalid(
                "prices.unit_price",
                format!("{} must be > 0", self.unit_price),
            ));
        }
        if self.discount < Decimal::ZERO || self.discount > Decimal::ONE {
            return Err(Error::invalid(
                "prices.discount",
                format!("{} must be in [0, 1]", self.discount),
            ));
        }
        for (field, value) in [
            ("prices.referral_reward", self.referral_reward),
            ("prices.feedback_value", self.feedback_value),
        ] {
            if value < Decimal::ZERO {
                return Err(Error::invalid(field, format!("{value} must be >= 0")));
            }
        }
        Ok(())
    }
}

/// The model's rates, per period. The chance that each cause moves a customer
/// is the transition table's ([`TransitionProbabilities`]); these are the
/// chances that the causes happen at all, and how experiences turn out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Rates {
    /// Chance that each cause of the transition table produces its move.
    pub transitions: TransitionProbabilities,
    /// Chance that an advocate talks about the brand to the people who listen to
    /// them in a period (default 0.3). Each tie then carries the message with the
    /// tie's probability.
    pub advocate_talk: Probability,
    /// Chance that an adversary talks against the brand in a period (default
    /// 0.4: complaints travel further than praise).
    pub adversary_talk: Probability,
    /// How much an advocacy programme that lands on an advocate raises their
    /// chance of talking: `talk + (1 - talk) x programme_talk x relevance`
    /// (default 0.5).
    pub programme_talk: Probability,
    /// Chance per period that a prospect buys on their own (default 0.03).
    pub conversion: Probability,
    /// Chance that one positive word-of-mouth message makes a prospect buy
    /// (default 0.1): a referral sale, credited to the speaker.
    pub referral_conversion: Probability,
    /// Chance that a discount that lands makes a prospect, a customer or an
    /// advocate buy (default 0.2): an engagement return.
    pub discount_conversion: Probability,
    /// Chance that an aware customer of any stage but unaware has a contact with a
    /// department (marketing, PR, sales or service) in a period: an experience
    /// (default 0.05). Every purchase is an experience too.
    pub contact: Probability,
    /// Chance that an unaware customer is exposed to the brand in a period
    /// outside the engagement plan (advertising, a shelf; default 0.01).
    pub exposure: Probability,
    /// Share of bad experiences that are outrageous rather than disappointing
    /// (default 0.3).
    pub outrage_share: Probability,
    /// Share of good experiences that delight rather than merely satisfy
    /// (default 0.25).
    pub delight_share: Probability,
    /// Chance that an engagement that does not land is still noticed, as
    /// irrelevant noise (default 0.3); otherwise the customer filters it out.
    pub notice_irrelevant: Probability,
    /// Chance that a customer gives product feedback after an experience (default
    /// 0.2: a complaint after a bad one, a suggestion after a good one).
    pub feedback: Probability,
    /// Chance that listening (an active [`EngagementKind::Listen`](crate::brand::EngagementKind::Listen)) hears one
    /// word-of-mouth message about the brand (default 0.3): feedback from the
    /// social web.
    pub listen_capture: Probability,
    /// Periods without contact after which time starts to act (the no-contact
    /// cause is applied every further silent period; default 8, at least 1).
    pub lapse_after: u32,
}

impl Default for Rates {
    fn default() -> Self {
        let p = Probability::saturating;
        Rates {
            transitions: TransitionProbabilities::default(),
            advocate_talk: p(0.3),
            adversary_talk: p(0.4),
            programme_talk: p(0.5),
            conversion: p(0.03),
            referral_conversion: p(0.1),
            discount_conversion: p(0.2),
            contact: p(0.05),
            exposure: p(0.01),
            outrage_share: p(0.3),
            delight_share: p(0.25),
            notice_irrelevant: p(0.3),
            feedback: p(0.2),
            listen_capture: p(0.3),
            lapse_after: 8,
        }
    }
}

impl Rates {
    pub(super) fn validate(&self) -> Result<()> {
        if self.lapse_after == 0 {
            return Err(Error::invalid("rates.lapse_after", "must be at least 1"));
        }
        Ok(())
    }
}

/// How the business changes itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BusinessSpec {
    /// Chance that an experience is bad before any change is in effect
    /// (default 0.25). Changes in effect cut it (see [`Change`]).
    pub bad_experience: Probability,
    /// How feedback in the backlog becomes changes.
    pub policy: ChangePolicy,
    /// Changes decided in advance, whatever the feedback.
    pub scheduled: Vec<Change>,
}

impl Default for BusinessSpec {
    /// A bad experience 25% of the time before any change, and a policy sized
    /// for the quickstart's business (10,000 customers, about a million a year in
    /// sales): every 1,000 pieces of feedback that reach the business commission
    /// a product innovation costing 5,000 that cuts the probability of a bad
    /// experience by 10% after 8 weeks (at most one change a week).
    fn default() -> Self {
        let commission = Change::builder(ChangeKind::ProductInnovation)
            .cost(Decimal::new(5_000, 0))
            .lag(8)
            .bad_experience_reduction(0.1)
            .build();
        let policy = commission
            .and_then(|c| ChangePolicy::new(1_000, c))
            .unwrap_or_default();
        BusinessSpec {
            bad_experience: Probability::saturating(0.25),
            policy,
            scheduled: Vec::new(),
        }
    }
}
