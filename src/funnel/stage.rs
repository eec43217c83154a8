//! [`FunnelStage`]: the five stages of the purchase funnel.

use serde::{Deserialize, Serialize};

use crate::customer::Stage;

/// A stage of the purchase funnel. Funnel stages are cumulative: everyone who
/// has reached `Purchase` has also passed `Awareness` and `Consideration`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FunnelStage {
    /// Knows the brand.
    Awareness,
    /// Is weighing a purchase.
    Consideration,
    /// Has bought.
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
    /// counts as having reached this funnel stage.
    ///
    /// | lifecycle stage | awareness | consideration | purchase | loyalty | advocacy |
    /// |---|---|---|---|---|---|
    /// | unaware | | | | | |
    /// | aware | x | | (if ever bought) | | |
    /// | prospect | x | x | (if ever bought) | | |
    /// | customer | x | x | x | x | |
    /// | advocate | x | x | x | x | x |
    /// | adversary | x | x | (if ever bought) | | |
    /// | lapsed | x | x | x | | |
    pub fn reached_by(self, stage: Stage, ever_bought: bool) -> bool {
        let bought = ever_bought || stage.has_bought();
        match self {
            FunnelStage::Awareness => stage != Stage::Unaware,
            FunnelStage::Consideration => !matches!(stage, Stage::Unaware | Stage::Aware) || bought,
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
