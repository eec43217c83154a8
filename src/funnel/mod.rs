//! The purchase funnel: stages, snapshots and estimates.

pub mod bass;
mod lift;
mod snapshot;
mod stage;
pub mod talk_of_network;

pub use bass::{
    AdoptionPath, AgentSimulationOptions, BassFit, BassModel, BassStandardErrors, FitForm,
    FitOptions, Termination,
};
pub use lift::{
    FunnelLift, FunnelLiftEstimate, Influencer, InfluencerRanking, RunFunnel, StageLift,
};
pub use snapshot::FunnelSnapshot;
pub use stage::FunnelStage;
pub use talk_of_network::{
    DesignOutcome, DesignParameter, Elasticities, Estimate, TalkOfNetwork, TalkOfNetworkConfig,
    TalkRates, TalkRun, TieCount, informing_probability,
};
