//! Diffusion models (Independent Cascade, Linear Threshold, signed
//! advocate/adversary cascades) and the seeded, parallel Monte Carlo estimator.
