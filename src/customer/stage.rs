//! [`Stage`]: where a customer is in their relationship with the brand.

use serde::{Deserialize, Serialize};

/// A customer's lifecycle stage.
///
/// Customers move in both directions ("one minute they might love the brand and
/// the next minute they may hate it"): an advocate can become an adversary after
/// one bad experience, and an adversary can be won back by service recovery.
/// The moves themselves are in the transition table,
/// [`TRANSITIONS`](crate::customer::TRANSITIONS).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Stage {
    /// Has never heard of the brand.
    Unaware,
    /// Knows the brand exists.
    Aware,
    /// Is considering a purchase.
    Prospect,
    /// Has bought and is a customer now.
    Customer,
    /// A customer who recommends the brand to others (positive word of mouth).
    Advocate,
    /// Someone who speaks against the brand (negative word of mouth).
    Adversary,
    /// A former customer who has drifted away without contact.
    Lapsed,
}

impl Stage {
    /// Every stage, in lifecycle order.
    pub const ALL: [Stage; 7] = [
        Stage::Unaware,
        Stage::Aware,
        Stage::Prospect,
        Stage::Customer,
        Stage::Advocate,
        Stage::Adversary,
        Stage::Lapsed,
    ];

    /// Position of the stage in [`Stage::ALL`]; handy for count arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The stage's name in `snake_case`, as it appears in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Unaware => "unaware",
            Stage::Aware => "aware",
            Stage::Prospect => "prospect",
            Stage::Customer => "customer",
            Stage::Advocate => "advocate",
            Stage::Adversary => "adversary",
            Stage::Lapsed => "lapsed",
        }
    }

    /// Whether someone in this stage has bought at least once (customer,
    /// advocate, lapsed; an adversary may or may not have and counts as not).
    pub fn has_bought(self) -> bool {
        matches!(self, Stage::Customer | Stage::Advocate | Stage::Lapsed)
    }

    /// The sign of the word of mouth this stage spreads: `+1` for advocates,
    /// `-1` for adversaries, `0` for everyone else.
    pub fn voice(self) -> i8 {
        match self {
            Stage::Advocate => 1,
            Stage::Adversary => -1,
            _ => 0,
        }
    }
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
