//! Diffusion models (Independent Cascade, Linear Threshold, signed
//! advocate/adversary cascades) and the seeded, parallel Monte Carlo estimator.
//!
//! Every hot loop runs on a [`CompiledNetwork`]: the influence network frozen once
//! into CSR arrays.

mod compiled;

pub use compiled::{CompiledNetwork, InArcs, OutArcs};
