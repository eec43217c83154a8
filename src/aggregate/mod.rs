//! Aggregate diffusion models: the literature's references for word-of-mouth
//! adoption in a whole market, without a network of named customers.
//!
//! * [`bass`]: the Bass (1969) model, its closed form, its fit to a sales series
//!   and an agent-based check on a complete graph;
//! * [`talk_of_network`]: Goldenberg, Libai & Muller's (2001) "talk of the
//!   network", strong and weak ties in a population of small communities.
//!
//! The value loop ([`crate::sim`]) runs word of mouth on named customers with
//! [`crate::propagation`]; these models are the aggregate curves its adoption is
//! compared with (the `bass_fit` and `weak_ties` examples).
//!
//! ```
//! use social_loop::aggregate::{BassFit, BassModel, FitOptions};
//! let truth = BassModel::new(0.03, 0.38, 1_000.0)?;
//! let sales: Vec<f64> = (1..=10).map(|t| truth.sales_in_period(f64::from(t))).collect();
//! let fit = BassFit::fit(&sales, FitOptions::default())?;
//! assert!((fit.model.p() - 0.03).abs() < 1e-6);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod bass;
pub mod talk_of_network;

pub use bass::{
    AdoptionPath, AgentSimulationOptions, BassFit, BassModel, BassStandardErrors, FitForm,
    FitOptions, Termination,
};
pub use talk_of_network::{
    DesignOutcome, DesignParameter, Elasticities, Estimate, TalkOfNetwork, TalkOfNetworkConfig,
    TalkRates, TalkRun, TieCount, informing_probability,
};
