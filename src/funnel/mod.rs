//! The purchase funnel: stages, snapshots and estimates.

mod lift;
mod snapshot;
mod stage;

pub use lift::{FunnelLift, FunnelLiftEstimate, RunFunnel, StageLift};
pub use snapshot::FunnelSnapshot;
pub use stage::FunnelStage;
