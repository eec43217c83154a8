//! Customer value: the published oracles on CDNOW, the holdout comparison,
//! parameter recovery and bad input.
mod bad_input;
mod cdnow;
mod recovery;
