//! [`DurableBook`]: a [`CustomerBook`] kept on disk as its append-only event
//! log plus an optional snapshot, every line checksummed.
//!
//! # Files (in the book's directory)
//! * `events.log`: JSON Lines. Line 1 is a header
//!   `{"crc":"..","log":{"format":1,"generation":g,"options":{..}}}`, then
//!   one `{"crc":"..","event":{..}}` per applied event, in order of
//!   application. Only applied events are logged (duplicates, conflicts and
//!   rejections change nothing, so they are not kept).
//! * `snapshot.jsonl` (after [`DurableBook::snapshot`]): a header
//!   `{"crc":"..","snapshot":{"format":1,"generation":g,"events":n,"options":{..}}}`
//!   then the book's `n` events. It is written to a temporary file, synced and
//!   renamed into place, so it is whole or absent. The log that follows it has
//!   the same generation; a log of an older generation (left by a crash
//!   between the two renames) is ignored, because the snapshot holds all of it.
//!
//! Each checksum is the CRC32C of the line's payload bytes (see the
//! [`crc32c`](https://docs.rs/crc32c) crate), so any damaged byte of a line
//! is detected.
//!
//! # Acknowledgement
//! [`apply`](DurableBook::apply) returns only after the event's line is
//! written and, with [`Durability::Data`] (the default), `fdatasync`ed: an
//! acknowledged event survives a crash of the process *and* of the machine.
//! With [`Durability::Flush`] the line is handed to the operating system only
//! (survives a crash of the process, not a power cut), about a hundred times
//! faster on a disk with a real flush. Batches ([`import_each`](DurableBook::import_each),
//! [`import_jsonl_each`](DurableBook::import_jsonl_each)) commit in groups of
//! [`GROUP_COMMIT`] records: one write and one sync per group, after which the
//! group's outcomes are handed to the caller, so an outcome is never seen
//! before its event is durable.
//!
//! # Recovery
//! [`open`](DurableBook::open) reads the snapshot and the log, checks every
//! checksum and replays the events into a new book, which therefore equals the
//! book that wrote them. A last line without its `\n` whose checksum fails is
//! a write torn by a crash: it was never acknowledged, so it is dropped, the
//! log is truncated to the last whole line, and [`LoadReport::torn`] says so
//! (a whole record that only lacks its `\n` is kept, and the `\n` written). Any other bad line
//! is corruption and an [`Error::Parse`] naming the file and line: the book
//! does not load a different book silently.

mod record;

use std::borrow::Borrow;
use std::fs::{File, OpenOptions};
use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{BookOptions, CustomerBook, Event, Forgotten, Outcome, OutcomeCounts, RecordOutcome};
use crate::error::{Error, Result};
use record::{Bad, RawLines, frame, unframe};

/// The version of the files' layout.
const FORMAT: u32 = 1;

/// Records per group commit of a batch.
pub const GROUP_COMMIT: usize = 1_024;

/// Events read back per replay into the book.
const REPLAY_CHUNK: usize = 4_096;

const LOG: &str = "events.log";
const SNAPSHOT: &str = "snapshot.jsonl";
const SNAPSHOT_TMP: &str = "snapshot.jsonl.tmp";
const LOG_TMP: &str = "events.log.tmp";

/// How far an append is pushed before it is acknowledged.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Durability {
    /// Written and `fdatasync`ed (`File::sync_data`): survives a power cut.
    /// The default.
    #[default]
    Data,
    /// Written to the operating system only: survives a crash of the process.
    Flush,
}

/// What [`DurableBook::open`] found.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct LoadReport {
    /// Events read from the snapshot.
    pub snapshot_events: u64,
    /// Events read from the log.
    pub log_events: u64,
    /// The torn last line dropped from the log, if there was one.
    pub torn: Option<TornTail>,
    /// Whether a log older than the snapshot was found and discarded (a crash
    /// during [`DurableBook::snapshot`]).
    pub stale_log: bool,
}

/// A last log line cut short by a crash: never acknowledged, dropped.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TornTail {
    /// Its 1-based line number in the log.
    pub line: usize,
    /// The bytes dropped.
    pub bytes: u64,
}

#[derive(Serialize, Deserialize)]
struct LogHeader {
    format: u32,
    generation: u64,
    options: BookOptions,
}

#[derive(Serialize, Deserialize)]
struct SnapshotHeader {
    format: u32,
    generation: u64,
    events: u64,
    options: BookOptions,
}

/// A [`CustomerBook`] that survives crashes: every applied event is appended
/// to a checksummed log before it is acknowledged (see the
/// [module](self) for the files, the acknowledgement and the recovery).
///
/// ```
/// use social_loop::crm::{BookOptions, DurableBook, Durability, Event, EventId, EventKind};
/// let dir = std::env::temp_dir().join(format!("social-loop-doc-{}", std::process::id()));
/// # let _ = std::fs::remove_dir_all(&dir);
/// let mut store = DurableBook::create(&dir, BookOptions::default())?.durability(Durability::Flush);
/// let at = "2024-03-01T10:00:00Z".parse()?;
/// assert!(store.apply(&Event::new(EventId::new("e1")?, at, "ann", EventKind::Purchase))?.is_applied());
/// drop(store);
/// let (back, report) = DurableBook::open(&dir)?;
/// assert_eq!((back.book().event_count(), report.log_events), (1, 1));
/// assert!(report.torn.is_none());
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct DurableBook {
    book: CustomerBook,
    dir: PathBuf,
    log: File,
    generation: u64,
    sync: Durability,
    /// An append failed: the book in memory may hold unlogged events.
    broken: bool,
}

impl DurableBook {
    /// Creates a new durable book in `dir` (created if missing), with
    /// `options` for ever.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `dir`) when `dir` already holds a
    /// book; [`Error::Io`] when the files cannot be made.
    pub fn create(dir: impl AsRef<Path>, options: BookOptions) -> Result<Self> {
        let dir = dir.as_ref().to_path_buf();
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(dir.display().to_string(), e))?;
        if dir.join(LOG).exists() || dir.join(SNAPSHOT).exists() {
            return Err(Error::invalid(
                "dir",
                format!("{} already holds a book: open it", dir.display()),
            ));
        }
        let log = new_log(&dir, 0, options)?;
        Ok(DurableBook {
            book: CustomerBook::with_options(options),
            dir,
            log,
            generation: 0,
            sync: Durability::default(),
            broken: false,
        })
    }

    /// Opens the book in `dir`: reads the snapshot and the log, checks every
    /// checksum, drops a torn last line (truncating the log to its last whole
    /// line) and replays the events. Memory: the book plus one line.
    ///
    /// # Errors
    /// [`Error::Io`] when a file cannot be read; [`Error::Parse`] naming the
    /// file and line for a damaged line that is not a torn tail, a missing or
    /// unknown header, or an event the book does not accept again.
    ///
    /// # Complexity
    /// O(events), as importing them.
    pub fn open(dir: impl AsRef<Path>) -> Result<(Self, LoadReport)> {
        let dir = dir.as_ref().to_path_buf();
        let mut report = LoadReport::default();
        let snapshot_path = dir.join(SNAPSHOT);
        let (mut book, generation) = if snapshot_path.exists() {
            read_snapshot(&snapshot_path, &mut report)?
        } else {
            (None, 0)
        };
        let log_path = dir.join(LOG);
        let name = log_path.display().to_string();
        let file = File::open(&log_path).map_err(|e| Error::io(name.clone(), e))?;
        let mut lines = RawLines::new(BufReader::with_capacity(1 << 16, file));
        let header = lines
            .next_line(&name)?
            .filter(|l| l.complete)
            .ok_or_else(|| Error::parse(1, "the log has no header").in_file(name.clone()))?;
        let header: LogHeader = unframe(&header.bytes, "log")
            .map_err(|bad| Error::parse(1, bad.to_string()).in_file(name.clone()))?;
        check_format(header.format, &name)?;
        let stale = header.generation < generation;
        report.stale_log = stale;
        let book = book.get_or_insert_with(|| CustomerBook::with_options(header.options));
        let mut torn = None;
        let mut pending: Vec<Event> = Vec::with_capacity(REPLAY_CHUNK);
        let mut unterminated = false;
        while let Some(line) = lines.next_line(&name)? {
            let read = unframe::<Event>(&line.bytes, "event");
            if !line.complete {
                // The last line, without its `\n`: a whole record that only
                // lacks it is kept (its write got that far); else torn.
                if read.is_err() {
                    torn = Some((line.offset, line.number, line.bytes.len() as u64));
                    break;
                }
                unterminated = true;
            }
            if stale {
                continue;
            }
            let event = read
                .map_err(|bad| Error::parse(line.number, bad.to_string()).in_file(name.clone()))?;
            pending.push(event);
            if pending.len() == pending.capacity() {
                replay(book, &mut pending, &name)?;
            }
            report.log_events += 1;
        }
        replay(book, &mut pending, &name)?;
        let book = std::mem::take(book);
        let log = if stale {
            // The snapshot holds every event of the old log: start a new one.
            new_log(&dir, generation, book.options())?
        } else {
            let io = |e| Error::io(name.clone(), e);
            let mut log = OpenOptions::new()
                .append(true)
                .open(&log_path)
                .map_err(io)?;
            if let Some((offset, line, bytes)) = torn {
                log.set_len(offset).map_err(io)?;
                log.sync_all().map_err(io)?;
                report.torn = Some(TornTail { line, bytes });
            } else if unterminated {
                log.write_all(b"\n").map_err(io)?;
                log.sync_all().map_err(io)?;
            }
            log
        };
        Ok((
            DurableBook {
                book,
                dir,
                log,
                generation: header.generation.max(generation),
                sync: Durability::default(),
                broken: false,
            },
            report,
        ))
    }

    /// The same book with another [`Durability`] (default [`Durability::Data`]).
    #[must_use]
    pub fn durability(mut self, sync: Durability) -> Self {
        self.sync = sync;
        self
    }

    /// The book.
    pub fn book(&self) -> &CustomerBook {
        &self.book
    }

    /// The directory of its files.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Applies one event and, when applied, appends it to the log and syncs
    /// it before returning.
    ///
    /// # Errors
    /// [`Error::Io`] when the append fails: the event is then not
    /// acknowledged, and this book refuses further changes (reopen it; the
    /// files hold every acknowledged event).
    pub fn apply(&mut self, event: &Event) -> Result<Outcome> {
        self.usable()?;
        let outcome = self.book.apply(event);
        if outcome.is_applied() {
            let mut line = Vec::new();
            frame(&mut line, "event", event)?;
            self.commit(&line)?;
        }
        Ok(outcome)
    }

    /// As [`CustomerBook::import_each`], durably: outcomes are handed to
    /// `each` group by group ([`GROUP_COMMIT`] records), each group after its events
    /// are written and synced.
    ///
    /// # Errors
    /// As [`apply`](Self::apply); the outcomes handed over before the failure
    /// are acknowledged, the rest are not.
    pub fn import_each<I>(
        &mut self,
        events: I,
        each: impl FnMut(RecordOutcome),
    ) -> Result<OutcomeCounts>
    where
        I: IntoIterator,
        I::Item: Borrow<Event>,
    {
        self.usable()?;
        let mut group = Group::new(each);
        let (book, mut store) = self.parts();
        book.import_each_with(events, |event, record| group.add(&mut store, event, record));
        group.finish(&mut store)
    }

    /// As [`CustomerBook::import_jsonl_each`], durably (see
    /// [`import_each`](Self::import_each)).
    ///
    /// # Errors
    /// As [`import_each`](Self::import_each), and [`Error::Io`] when reading
    /// fails.
    pub fn import_jsonl_each(
        &mut self,
        reader: impl std::io::BufRead,
        each: impl FnMut(RecordOutcome),
    ) -> Result<OutcomeCounts> {
        self.usable()?;
        let mut group = Group::new(each);
        let (book, mut store) = self.parts();
        let read = book
            .import_jsonl_each_with(reader, |event, record| group.add(&mut store, event, record));
        let counts = group.finish(&mut store)?;
        read.map(|_| counts)
    }

    /// Writes a snapshot of the book and starts an empty log after it, so
    /// that opening reads the snapshot and a short log (and the log's space is
    /// reclaimed).
    ///
    /// # Errors
    /// [`Error::Io`]; a crash at any point leaves files that open to this
    /// book.
    pub fn snapshot(&mut self) -> Result<()> {
        self.usable()?;
        let generation = self.generation + 1;
        let tmp = self.dir.join(SNAPSHOT_TMP);
        let name = tmp.display().to_string();
        let io = |e| Error::io(name.clone(), e);
        let mut out = std::io::BufWriter::with_capacity(1 << 16, File::create(&tmp).map_err(io)?);
        let mut line = Vec::new();
        let header = SnapshotHeader {
            format: FORMAT,
            generation,
            events: self.book.event_count() as u64,
            options: self.book.options(),
        };
        frame(&mut line, "snapshot", &header)?;
        out.write_all(&line).map_err(io)?;
        for event in self.book.events() {
            line.clear();
            frame(&mut line, "event", &event)?;
            out.write_all(&line).map_err(io)?;
        }
        let file = out.into_inner().map_err(|e| io(e.into_error()))?;
        file.sync_all().map_err(io)?;
        drop(file);
        std::fs::rename(&tmp, self.dir.join(SNAPSHOT)).map_err(io)?;
        sync_dir(&self.dir)?;
        // From here a crash leaves an older log, which opening ignores.
        self.log = new_log(&self.dir, generation, self.book.options())?;
        self.generation = generation;
        Ok(())
    }

    /// Erases customer `id` ([`CustomerBook::forget`]) and rewrites the files
    /// at once ([`snapshot`](Self::snapshot)), so that none of their events
    /// remains on disk.
    ///
    /// # Errors
    /// [`Error::UnknownCustomer`]; [`Error::Io`] from the rewrite.
    pub fn forget(&mut self, id: &str) -> Result<Forgotten> {
        self.usable()?;
        let gone = self.book.forget(id)?;
        self.snapshot()?;
        Ok(gone)
    }

    fn usable(&self) -> Result<()> {
        if self.broken {
            return Err(Error::invalid(
                "book",
                "an earlier append failed: reopen the book from its files",
            ));
        }
        Ok(())
    }

    fn parts(&mut self) -> (&mut CustomerBook, Committer<'_>) {
        (
            &mut self.book,
            Committer {
                log: &mut self.log,
                dir: &self.dir,
                sync: self.sync,
                broken: &mut self.broken,
            },
        )
    }

    /// Appends `lines` and syncs them.
    fn commit(&mut self, lines: &[u8]) -> Result<()> {
        self.parts().1.commit(lines)
    }
}

/// The log's side of a durable book, borrowed apart from the book.
struct Committer<'a> {
    log: &'a mut File,
    dir: &'a Path,
    sync: Durability,
    broken: &'a mut bool,
}

impl Committer<'_> {
    fn commit(&mut self, lines: &[u8]) -> Result<()> {
        if lines.is_empty() {
            return Ok(());
        }
        let done = self.log.write_all(lines).and_then(|()| match self.sync {
            Durability::Data => self.log.sync_data(),
            Durability::Flush => Ok(()),
        });
        done.map_err(|e| {
            *self.broken = true;
            Error::io(self.dir.join(LOG).display().to_string(), e)
        })
    }
}

/// Outcomes held back until their group is durable.
struct Group<F> {
    lines: Vec<u8>,
    held: Vec<RecordOutcome>,
    each: F,
    counts: OutcomeCounts,
    failure: Option<Error>,
}

impl<F: FnMut(RecordOutcome)> Group<F> {
    fn new(each: F) -> Self {
        Group {
            lines: Vec::new(),
            held: Vec::with_capacity(GROUP_COMMIT),
            each,
            counts: OutcomeCounts::default(),
            failure: None,
        }
    }

    fn add(&mut self, store: &mut Committer<'_>, event: Option<&Event>, record: RecordOutcome) {
        if self.failure.is_some() {
            return;
        }
        if let (true, Some(event)) = (record.outcome.is_applied(), event)
            && let Err(e) = frame(&mut self.lines, "event", event)
        {
            self.failure = Some(e);
            *store.broken = true;
            return;
        }
        self.held.push(record);
        if self.held.len() == GROUP_COMMIT {
            self.flush(store);
        }
    }

    fn flush(&mut self, store: &mut Committer<'_>) {
        if let Err(e) = store.commit(&self.lines) {
            self.failure = Some(e);
            return;
        }
        self.lines.clear();
        for record in self.held.drain(..) {
            self.counts.add_record(&record);
            (self.each)(record);
        }
    }

    fn finish(mut self, store: &mut Committer<'_>) -> Result<OutcomeCounts> {
        if self.failure.is_none() {
            self.flush(store);
        }
        match self.failure {
            Some(e) => Err(e),
            None => Ok(self.counts),
        }
    }
}

/// Applies `pending` (events read back) to `book`, all of which must apply.
fn replay(book: &mut CustomerBook, pending: &mut Vec<Event>, file: &str) -> Result<()> {
    let mut failure = None;
    book.import_each(pending.drain(..), |r| {
        if failure.is_none() && !r.outcome.is_applied() {
            failure = Some(format!(
                "a stored event does not apply again: {:?}",
                r.outcome
            ));
        }
    });
    match failure {
        Some(reason) => Err(Error::invalid("book", format!("{file}: {reason}"))),
        None => Ok(()),
    }
}

fn read_snapshot(path: &Path, report: &mut LoadReport) -> Result<(Option<CustomerBook>, u64)> {
    let name = path.display().to_string();
    let file = File::open(path).map_err(|e| Error::io(name.clone(), e))?;
    let mut lines = RawLines::new(BufReader::with_capacity(1 << 16, file));
    let damaged =
        |number: usize, bad: Bad| Error::parse(number, bad.to_string()).in_file(name.clone());
    let header = lines
        .next_line(&name)?
        .ok_or_else(|| Error::parse(1, "the snapshot is empty").in_file(name.clone()))?;
    let header: SnapshotHeader = unframe(&header.bytes, "snapshot").map_err(|b| damaged(1, b))?;
    check_format(header.format, &name)?;
    let mut book = CustomerBook::with_options(header.options);
    let mut pending = Vec::with_capacity(REPLAY_CHUNK);
    while let Some(line) = lines.next_line(&name)? {
        if !line.complete {
            return Err(Error::parse(line.number, "the snapshot ends in a cut line").in_file(name));
        }
        pending.push(unframe::<Event>(&line.bytes, "event").map_err(|b| damaged(line.number, b))?);
        if pending.len() == pending.capacity() {
            replay(&mut book, &mut pending, &name)?;
        }
        report.snapshot_events += 1;
    }
    replay(&mut book, &mut pending, &name)?;
    if report.snapshot_events != header.events {
        return Err(Error::parse(
            1,
            format!(
                "the snapshot says {} events but holds {}",
                header.events, report.snapshot_events
            ),
        )
        .in_file(name));
    }
    Ok((Some(book), header.generation))
}

fn check_format(format: u32, file: &str) -> Result<()> {
    if format != FORMAT {
        return Err(Error::parse(
            1,
            format!("format {format} is not supported (this library reads {FORMAT})"),
        )
        .in_file(file));
    }
    Ok(())
}

/// Writes a new log of `generation` with its header, synced, in place of
/// the current one; returns it open for appending.
fn new_log(dir: &Path, generation: u64, options: BookOptions) -> Result<File> {
    let tmp = dir.join(LOG_TMP);
    let name = tmp.display().to_string();
    let io = |e| Error::io(name.clone(), e);
    let mut line = Vec::new();
    let header = LogHeader {
        format: FORMAT,
        generation,
        options,
    };
    frame(&mut line, "log", &header)?;
    let mut file = File::create(&tmp).map_err(io)?;
    file.write_all(&line).map_err(io)?;
    file.sync_all().map_err(io)?;
    drop(file);
    std::fs::rename(&tmp, dir.join(LOG)).map_err(io)?;
    sync_dir(dir)?;
    OpenOptions::new()
        .append(true)
        .open(dir.join(LOG))
        .map_err(|e| Error::io(dir.join(LOG).display().to_string(), e))
}

/// Makes the directory's entries (a rename) durable.
fn sync_dir(dir: &Path) -> Result<()> {
    let io = |e| Error::io(dir.display().to_string(), e);
    File::open(dir).map_err(io)?.sync_all().map_err(io)
}
