//! Every example is strict about its arguments: a wrong one is refused with
//! exit code 2 and a message that names it, before any work is done.
//!
//! `cargo test` builds the examples next to this test binary
//! (`target/<profile>/examples/`); a missing one fails the test.

use std::path::PathBuf;
use std::process::Command;

/// `target/<profile>/examples/NAME`, built by `cargo test`.
fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    // target/<profile>/deps/integration-HASH -> target/<profile>/examples/NAME
    let profile_dir = exe.parent().unwrap().parent().unwrap();
    let path = profile_dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(path.is_file(), "{} was not built", path.display());
    path
}

/// Runs `name args` and returns its exit code and stderr.
fn refused(name: &str, args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(example(name)).args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const EXAMPLES: [&str; 10] = [
    "quickstart",
    "who_owns_social",
    "crm_events",
    "bass_fit",
    "weak_ties",
    "advocacy_programme",
    "charts",
    "clv_tracking",
    "engagement_value",
    "what_if",
];

#[test]
fn every_example_refuses_an_unknown_flag() {
    for name in EXAMPLES {
        let (code, stderr) = refused(name, &["--no-such-flag"]);
        assert_eq!(code, Some(2), "{name}: {stderr}");
        assert!(stderr.contains("--no-such-flag"), "{name}: {stderr}");
    }
}

#[test]
fn examples_without_arguments_refuse_one() {
    for name in ["quickstart", "bass_fit", "advocacy_programme"] {
        let (code, stderr) = refused(name, &["extra"]);
        assert_eq!(code, Some(2), "{name}: {stderr}");
        assert!(stderr.contains("extra"), "{name}: {stderr}");
    }
}

#[test]
fn numbers_are_checked_not_defaulted() {
    for (name, args, says) in [
        ("who_owns_social", &["--runs", "abc"][..], "abc"),
        ("who_owns_social", &["--runs", "1"][..], "1 is not in 2.."),
        ("who_owns_social", &["--draws", "5"][..], "5 is not in 6.."),
        ("weak_ties", &["ten"][..], "ten"),
        ("weak_ties", &["1"][..], "1 is not in 2.."),
        ("charts", &["out", "more"][..], "more"),
    ] {
        let (code, stderr) = refused(name, args);
        assert_eq!(code, Some(2), "{name} {args:?}: {stderr}");
        assert!(stderr.contains(says), "{name} {args:?}: {stderr}");
    }
}
