//! The Bass (1969) diffusion model: the aggregate reference curve for
//! word-of-mouth adoption.
//!
//! * [`BassModel`]: the closed form `F(t)`, `f(t)`, peak time and per-period sales;
//! * [`BassFit`]: `(p, q, m)` fitted to a sales series by nonlinear least squares
//!   (Levenberg-Marquardt), with standard errors, in either [`FitForm`];
//! * [`BassModel::simulate_complete_graph`]: the agent-level word-of-mouth process
//!   on a complete graph whose mean-field limit is the Bass curve.
//!
//! ```
//! use social_loop::aggregate::{BassFit, BassModel, FitOptions};
//! let truth = BassModel::new(0.02, 0.4, 10_000.0)?;
//! let sales: Vec<f64> = (1..=12).map(|t| truth.sales_in_period(f64::from(t))).collect();
//! let fit = BassFit::fit(&sales, FitOptions::default())?;
//! assert!((fit.model.q() - 0.4).abs() < 1e-6);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod agents;
mod fit;
mod least_squares;
pub(crate) mod linalg;
mod model;

pub use agents::{AdoptionPath, AgentSimulationOptions};
pub use fit::{BassFit, BassStandardErrors, FitForm, FitOptions};
pub use least_squares::Termination;
pub use model::BassModel;
