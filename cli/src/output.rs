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

/// Writes `contents` to `path` atomically: into a temporary file beside it,
/// then renamed over it, so a task killed while writing never leaves a
/// truncated file for a rerun or a merge to trip on. Creates the folder.
pub fn write_file(path: &std::path::Path, contents: &str) -> Result<(), Failure> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| Failure(format!("cannot create {}: {e}", dir.display())))?;
    }
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(format!(".{}.tmp", std::process::id()));
    let temporary = std::path::PathBuf::from(temporary);
    std::fs::write(&temporary, contents)
        .and_then(|()| std::fs::rename(&temporary, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&temporary);
            Failure(format!("cannot write {}: {e}", path.display()))
        })
}
