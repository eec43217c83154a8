//! The purchase funnel: stages, snapshots and estimates.

mod stage;

pub use stage::FunnelStage;
