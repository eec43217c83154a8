//! A scenario's prices, rates and business.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::business::{Change, ChangePolicy};
use crate::customer::TransitionProbabilities;
use crate::error::{Error, Result};
use crate::probability::Probability;

/// The most a scenario's annual discount rate may be (1000% a year).
const MAX_DISCOUNT_RATE: Decimal = Decimal::from_parts(10, 0, 0, false, 0);

/// Prices, margins and the time value of money, in the scenario's
/// [currency](super::Scenario::currency).
///
/// **Value is margin, not revenue.** A sale brings the price paid into the cash
/// book ([`ValueKind::Sale`](crate::value::ValueKind::Sale)) and takes out the
/// cost of what was sold, `unit_price x (1 - gross_margin)`
/// ([`ValueKind::CostOfSales`](crate::value::ValueKind::CostOfSales)), so a
/// full-price sale is worth `unit_price x gross_margin` and a discounted one
/// `unit_price x (gross_margin - discount)` (negative when the discount is
/// deeper than the margin: a loss leader). Net present value discounts each
/// period's net cash at `annual_discount_rate`, converted to one period (see
/// [`Period`](super::Period)). Feedback has no money value of its own: what it
/// is worth is what the changes it triggers do, measured by
/// [attribution](crate::sim::Attribution).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prices {
    pub(crate) unit_price: Decimal,
    pub(crate) gross_margin: Decimal,
    pub(crate) discount: Decimal,
    pub(crate) referral_reward: Decimal,
    pub(crate) annual_discount_rate: Decimal,
}

impl Default for Prices {
    /// Unit price 40; gross margin 0.6; discount 20%; referral reward 5; annual
    /// discount rate 0.10.
    ///
    /// - **gross margin 0.6**: gross margins run from about 25% in retail to
    ///   about 70% in software (the annual industry tables of A. Damodaran, NYU
    ///   Stern); the quickstart's brand sells how-to content, integrations and a
    ///   product, so it sits toward the software end, below it.
    /// - **annual discount rate 0.10**: a usual cost of capital for a small or
    ///   medium business (8% to 12%); 0.10 a year is about 0.18% a week.
    fn default() -> Self {
        Prices {
            unit_price: Decimal::new(40, 0),
            gross_margin: Decimal::new(6, 1),
            discount: Decimal::new(20, 2),
            referral_reward: Decimal::new(5, 0),
            annual_discount_rate: Decimal::new(10, 2),
        }
    }
}

accessors!(Prices {
    unit_price get_unit_price: Decimal [copy] => "the price of one purchase (> 0)";
    gross_margin get_gross_margin: Decimal [copy] => "the share of the full price left after the cost of what was sold, in `[0, 1]`";
    discount get_discount: Decimal [copy] => "the fraction a discount engagement takes off the price, in `[0, 1]`";
    referral_reward get_referral_reward: Decimal [copy] => "the reward the brand pays the referrer of each referral sale (>= 0), a brand cost";
    annual_discount_rate get_annual_discount_rate: Decimal [copy] => "the discount rate of money over a year (>= 0, at most 10), for net present value";
});

impl Prices {
    pub(super) fn validate(&self) -> Result<()> {
        if self.unit_price <= Decimal::ZERO {
            return Err(Error::invalid(
                "prices.unit_price",
                format!("{} must be > 0", self.unit_price),
            ));
        }
        for (field, value) in [
            ("prices.gross_margin", self.gross_margin),
            ("prices.discount", self.discount),
        ] {
            if value < Decimal::ZERO || value > Decimal::ONE {
                return Err(Error::invalid(field, format!("{value} must be in [0, 1]")));
            }
        }
        if self.referral_reward < Decimal::ZERO {
            return Err(Error::invalid(
                "prices.referral_reward",
                format!("{} must be >= 0", self.referral_reward),
            ));
        }
        if self.annual_discount_rate < Decimal::ZERO
            || self.annual_discount_rate > MAX_DISCOUNT_RATE
        {
            return Err(Error::invalid(
                "prices.annual_discount_rate",
                format!(
                    "{} must be in [0, {MAX_DISCOUNT_RATE}]",
                    self.annual_discount_rate
                ),
            ));
        }
        Ok(())
    }

    /// The cost of what one sale sold: `unit_price x (1 - gross_margin)`.
    pub(crate) fn unit_cost(&self) -> Option<Decimal> {
        Decimal::ONE
            .checked_sub(self.gross_margin)
            .and_then(|share| self.unit_price.checked_mul(share))
    }

    /// The price of a discounted sale: `unit_price x (1 - discount)`.
    pub(crate) fn discounted_price(&self) -> Option<Decimal> {
        Decimal::ONE
            .checked_sub(self.discount)
            .and_then(|share| self.unit_price.checked_mul(share))
    }
}

/// The model's rates. The chance that each cause moves a customer is the
/// transition table's ([`TransitionProbabilities`]); these are the chances that
/// the causes happen at all, and how experiences turn out.
///
/// **Units.** Rates marked *per week* are stated per week whatever the
/// scenario's [`Period`](super::Period) and converted to one period: a chance
/// `p` per week becomes `1 - (1 - p)^w` per period of `w` weeks (so a month's
/// chance of a contact is the chance of at least one in its 52/12 weeks).
/// `lapse_after` is in weeks too. The other rates are chances per event (per
/// experience, per message, per engagement that lands) and are not converted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Rates {
    pub(crate) transitions: TransitionProbabilities,
    pub(crate) advocate_talk: Probability,
    pub(crate) adversary_talk: Probability,
    pub(crate) programme_talk: Probability,
    pub(crate) conversion: Probability,
    pub(crate) referral_conversion: Probability,
    pub(crate) discount_conversion: Probability,
    pub(crate) contact: Probability,
    pub(crate) exposure: Probability,
    pub(crate) outrage_share: Probability,
    pub(crate) delight_share: Probability,
    pub(crate) notice_irrelevant: Probability,
    pub(crate) feedback: Probability,
    pub(crate) listen_capture: Probability,
    pub(crate) lapse_after: u32,
}

impl Default for Rates {
    /// See each field's setter for its default and meaning.
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

accessors!(Rates {
    transitions get_transitions: TransitionProbabilities [ref] => "the chance that each cause of the transition table produces its move (per cause)";
    advocate_talk get_advocate_talk: Probability [copy] => "the chance per week that an advocate talks about the brand (default 0.3): they start that period's word-of-mouth cascade (see `WordOfMouth`)";
    adversary_talk get_adversary_talk: Probability [copy] => "the chance per week that an adversary talks against the brand (default 0.4: complaints travel further than praise)";
    programme_talk get_programme_talk: Probability [copy] => "how much an advocacy programme that lands on an advocate raises their chance of talking, `talk + (1 - talk) x programme_talk x relevance` (per engagement; default 0.5)";
    conversion get_conversion: Probability [copy] => "the chance per week that a prospect buys on their own (default 0.03)";
    referral_conversion get_referral_conversion: Probability [copy] => "the chance that a prospect who heard praise this period buys (per message; default 0.1): a referral sale, credited to whoever told them";
    discount_conversion get_discount_conversion: Probability [copy] => "the chance that a discount that lands makes a prospect, a customer, an advocate or a lapsed customer buy (per engagement; default 0.2)";
    contact get_contact: Probability [copy] => "the chance per week that a customer who knows the brand has a contact with a department (marketing, PR, sales or service): an experience (default 0.05); every purchase is an experience too";
    exposure get_exposure: Probability [copy] => "the chance per week that an unaware customer is exposed to the brand outside the engagement plan (advertising, a shelf; default 0.01)";
    outrage_share get_outrage_share: Probability [copy] => "the share of bad experiences that are outrageous rather than disappointing (per experience; default 0.3)";
    delight_share get_delight_share: Probability [copy] => "the share of good experiences that delight rather than merely satisfy (per experience; default 0.25)";
    notice_irrelevant get_notice_irrelevant: Probability [copy] => "the chance that an engagement that reaches a customer but does not land is still noticed, as irrelevant noise (per engagement; default 0.3)";
    feedback get_feedback: Probability [copy] => "the chance that a customer gives product feedback after an experience (per experience; default 0.2: a complaint after a bad one, a suggestion after a good one)";
    listen_capture get_listen_capture: Probability [copy] => "the chance that one listening engagement hears one speaker's talk (per speaker and listening engagement; default 0.3): feedback from the social web";
    lapse_after get_lapse_after: u32 [copy] => "the weeks without contact after which time starts to act (the no-contact cause is applied every further silent period; default 8, at least 1)";
});

impl Rates {
    pub(super) fn validate(&self) -> Result<()> {
        // Every other field is a `Probability` (valid by its type) or the
        // transition table's probabilities (valid by theirs).
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
    pub(crate) bad_experience: Probability,
    pub(crate) policy: ChangePolicy,
    pub(crate) scheduled: Vec<Change>,
}

impl Default for BusinessSpec {
    /// A bad experience 25% of the time before any change, the
    /// [`ChangePolicy::default`] (sized for the quickstart's business), no
    /// scheduled change.
    fn default() -> Self {
        BusinessSpec {
            bad_experience: Probability::saturating(0.25),
            policy: ChangePolicy::default(),
            scheduled: Vec::new(),
        }
    }
}

accessors!(BusinessSpec {
    bad_experience get_bad_experience: Probability [copy] => "the chance that an experience is bad before any change is in effect (default 0.25); changes in effect cut it (see `Change`)";
    policy get_policy: ChangePolicy [ref] => "how feedback in the backlog becomes changes";
    scheduled get_scheduled: Vec<Change> [ref] => "the changes decided in advance, whatever the feedback";
});
