//! The purchase funnel: stages, snapshots and estimates.

pub mod bass;
mod snapshot;
mod stage;

pub use bass::{
    AdoptionPath, AgentSimulationOptions, BassFit, BassModel, BassStandardErrors, FitForm,
    FitOptions, Termination,
};
pub use snapshot::FunnelSnapshot;
pub use stage::FunnelStage;
