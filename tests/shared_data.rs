//! The real data sets of `../shared/data` (their provenance is in that folder's
//! README). A test that reads one is `#[ignore = "needs ../shared/data"]`, so
//! `cargo test` on a machine without the folder stays green and honest, and
//! `.ci/run` runs it with `--include-ignored`, where a missing file fails it.

use std::path::PathBuf;

/// The data folder: `$SOCIAL_LOOP_DATA` if set, else `../shared/data` beside
/// the repository.
pub fn dir() -> PathBuf {
    match std::env::var_os("SOCIAL_LOOP_DATA") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"),
    }
}

/// The path of one data file; fails the test, naming the path, when it is absent.
pub fn path(file: &str) -> PathBuf {
    let path = dir().join(file);
    assert!(
        path.is_file(),
        "{} is missing: this test needs ../shared/data (or SOCIAL_LOOP_DATA)",
        path.display()
    );
    path
}
