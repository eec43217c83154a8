//! Writing to stdout: a closed pipe (`social-loop ... | head -1`) is not an
//! error, it ends the program quietly.

use std::io::Write;

use crate::Failure;

/// Writes `text` to stdout and flushes. When the reader has gone away the
/// process exits with code 0 at once, as Unix tools do.
pub fn print(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => Err(Failure(format!("cannot write to stdout: {e}"))),
    }
}

/// [`print`] with a line end.
pub fn line(text: &str) -> Result<(), Failure> {
    print(&format!("{text}\n"))
}
