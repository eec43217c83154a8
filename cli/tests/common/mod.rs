//! What the CLI tests share: the binary, temp files, and reading JSON lines.

#![allow(dead_code)] // each test file uses its own subset

use std::path::PathBuf;
use std::process::{Command, Output};

/// Runs `social-loop` with `args`.
pub fn social_loop<I, S>(args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    Command::new(env!("CARGO_BIN_EXE_social-loop"))
        .args(args)
        .output()
        .expect("the social-loop binary runs")
}

/// Runs a whitespace-separated command line.
pub fn run_line(line: &str) -> Output {
    social_loop(line.split_whitespace())
}

/// stdout of a run that must succeed (exit 0), as text.
pub fn ok_stdout(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).expect("UTF-8 stdout")
}

/// stderr of a run that must fail with exit code 2 and print nothing on stdout.
pub fn err_2(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(2),
        "stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A fresh directory for one test file.
pub fn temp_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("social_loop_cli_{test}_{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Writes `text` to `name` in the test's directory and returns the path.
pub fn temp_file(test: &str, name: &str, text: &str) -> PathBuf {
    let path = temp_dir(test).join(name);
    std::fs::write(&path, text).expect("temp file");
    path
}

/// The keys of a JSON object line, in the order written.
pub fn keys_in_order(line: &str) -> Vec<String> {
    let value: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
    let mut keys: Vec<(usize, String)> = value
        .as_object()
        .expect("an object")
        .keys()
        .map(|k| {
            (
                line.find(&format!("\"{k}\":")).expect("key in line"),
                k.clone(),
            )
        })
        .collect();
    keys.sort();
    keys.into_iter().map(|(_, k)| k).collect()
}

/// The one JSON line of a successful run.
pub fn json_line(out: &Output) -> serde_json::Value {
    let stdout = ok_stdout(out);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    serde_json::from_str(stdout.trim()).expect("a JSON line")
}

/// A file of the shared data folder: `$SOCIAL_LOOP_DATA`, else
/// `../shared/data` beside the repository. Tests that call it are
/// `#[ignore = "needs ../shared/data"]` and fail here when the file is absent.
pub fn data(file: &str) -> PathBuf {
    let dir = match std::env::var_os("SOCIAL_LOOP_DATA") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data"),
    };
    let path = dir.join(file);
    assert!(
        path.is_file(),
        "{} is missing: this test needs ../shared/data (or SOCIAL_LOOP_DATA)",
        path.display()
    );
    path
}
