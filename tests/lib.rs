//! Behaviour tests, compiled as one test binary.
