//! What the examples share: `println!` and `print!` that end the program
//! quietly, with exit code 0, when the reader of stdout has gone
//! (`cargo run --example quickstart | head -1`), as Unix tools do.
//!
//! The standard macros panic on a closed pipe. Each example declares
//! `#[macro_use] mod common;` before its code, and these macros shadow the
//! standard ones there: the examples' code reads (and copies) as ordinary Rust.
//! A folder, so cargo does not build it as an example of its own.

use std::io::{ErrorKind, Write};

/// Writes `args` to stdout and flushes; a closed pipe ends the program with
/// exit code 0, any other write error with code 1 and a message on stderr.
pub fn write_stdout(args: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    match out.write_fmt(args).and_then(|()| out.flush()) {
        Ok(()) => {}
        Err(e) if e.kind() == ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => {
            eprintln!("cannot write to stdout: {e}");
            std::process::exit(1);
        }
    }
}

/// `std::println!`, quiet on a closed pipe.
#[allow(unused_macros)]
macro_rules! println {
    () => {
        $crate::common::write_stdout(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::common::write_stdout(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `std::print!`, quiet on a closed pipe.
#[allow(unused_macros)]
macro_rules! print {
    ($($arg:tt)*) => {
        $crate::common::write_stdout(format_args!($($arg)*))
    };
}
