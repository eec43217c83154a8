//! The social brand: engagements (listening, relevant content, discounts,
//! conversations, service recovery, advocacy programmes), the relevance model and
//! who owns social media inside the company.
//!
//! "The social brand creates value by listening and engaging (relevant content,
//! discounts, real conversations)." This module types those acts:
//!
//! - [`Engagement`]: one act of the brand, with its [`EngagementKind`], channel,
//!   topics, [`Target`], [`Schedule`], cost and owning [`Department`]; an
//!   [`EngagementPlan`] holds them all.
//! - [`RelevanceModel`]: right content x right time x right channel x right
//!   customer, a product of four factors so that one wrong factor sinks relevance.
//! - [`Ownership`]: siloed, co-op, or agency with a hand-over plan; its
//!   [`OwnershipEffects`] set consistency of experience, reach of feedback into the
//!   business, a relevance multiplier and a coordination overhead, period by period.

mod engagement;
mod ownership;
mod plan;
mod relevance;

pub use engagement::{Department, Engagement, EngagementBuilder, EngagementKind, Schedule, Target};
pub use ownership::{
    AgencyEffects, InHouse, InHouseEffects, Ownership, OwnershipEffects, PeriodEffects,
};
pub use plan::EngagementPlan;
pub use relevance::{RelevanceFactors, RelevanceModel, relevance};
