//! [`FunnelStage`]: the five stages of the purchase funnel.

use serde::{Deserialize, Serialize};

use crate::customer::Stage;

/// A stage of the purchase funnel.
///
/// The five stages are the classic hierarchy of the marketing literature
/// (awareness, consideration, purchase, loyalty; advocacy added by the
/// "loyalty loop" of Court, Elzinga, Mulder and Vetvik, *The consumer decision
/// journey*, McKinsey Quarterly 2009), read off each customer's lifecycle
/// [`Stage`] **now** (see [`FunnelStage::reached_by`]): a count says how many
/// customers are at or beyond the stage at that moment, not how many ever
/// reached it, so it can fall (customers lapse, advocates doubt). Stages are
/// nested: everyone counted at `Purchase` is counted at `Awareness` and
/// `Consideration` too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FunnelStage {
    /// Knows the brand (any stage but unaware).
    Awareness,
    /// Is weighing a purchase (a prospect) or has bought.
    Consideration,
    /// Has bought at least once.
    Purchase,
    /// Has bought and still buys (customer or advocate, not lapsed).
    Loyalty,
    /// Recommends the brand to others.
    Advocacy,
}

impl FunnelStage {
    /// The five stages, top of the funnel first.
    pub const ALL: [FunnelStage; 5] = [
        FunnelStage::Awareness,
        FunnelStage::Consideration,
        FunnelStage::Purchase,
        FunnelStage::Loyalty,
        FunnelStage::Advocacy,
    ];

    /// Position in [`FunnelStage::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The stage's name in `snake_case`.
    pub fn name(self) -> &'static str {
        match self {
            FunnelStage::Awareness => "awareness",
            FunnelStage::Consideration => "consideration",
            FunnelStage::Purchase => "purchase",
            FunnelStage::Loyalty => "loyalty",
            FunnelStage::Advocacy => "advocacy",
        }
    }

    /// Whether a customer in lifecycle `stage` (who has `ever_bought` or not)
    /// is at or beyond this funnel stage now.
    ///
    /// | lifecycle stage | awareness | consideration | purchase | loyalty | advocacy |
    /// |---|---|---|---|---|---|
    /// | unaware | | | | | |
    /// | aware | x | (if ever bought) | (if ever bought) | | |
    /// | prospect | x | x | (if ever bought) | | |
    /// | customer | x | x | x | x | |
    /// | advocate | x | x | x | x | x |
    /// | adversary | x | (if ever bought) | (if ever bought) | | |
    /// | lapsed | x | x | x | | |
    ///
    /// An adversary who never bought knows the brand and speaks against it:
    /// aware, not weighing a purchase.
    pub fn reached_by(self, stage: Stage, ever_bought: bool) -> bool {
        let bought = ever_bought || stage.has_bought();
        match self {
            FunnelStage::Awareness => stage != Stage::Unaware,
            FunnelStage::Consideration => stage == Stage::Prospect || bought,
            FunnelStage::Purchase => bought,
            FunnelStage::Loyalty => matches!(stage, Stage::Customer | Stage::Advocate),
            FunnelStage::Advocacy => stage == Stage::Advocate,
        }
    }
}

impl std::fmt::Display for FunnelStage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
