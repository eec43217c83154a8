//! The purchase funnel: stages, snapshots and estimates.

mod snapshot;
mod stage;

pub use snapshot::FunnelSnapshot;
pub use stage::FunnelStage;
