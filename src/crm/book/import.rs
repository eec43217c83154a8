//! Batches: [`CustomerBook::import`] and its streaming and JSON Lines forms.

use std::borrow::Borrow;
use std::io::BufRead;

use super::CustomerBook;
use crate::crm::jsonl::JsonLines;
use crate::crm::outcome::{ImportReport, Outcome, OutcomeCounts, Position, RecordOutcome, Warning};
use crate::crm::{Event, EventKind};
use crate::error::{Error, Result};

/// Events looked up ahead by [`CustomerBook::import_each`].
const AHEAD: usize = 32;

/// What a look-ahead found about an event.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Hint {
    /// The tag of its id.
    pub tag: Option<u32>,
    /// Its customer's number, when they were known.
    pub customer: Option<u32>,
    /// Its counterpart's number, when they were known.
    pub counterpart: Option<u32>,
}

impl CustomerBook {
    /// Applies a batch, returning one outcome per record in input order with
    /// its 0-based [`Position::Index`]. Customers who received late events are
    /// replayed once, at the end.
    ///
    /// # Complexity
    /// O(records) expected, plus O(k) per customer with a late event.
    pub fn import<I>(&mut self, events: I) -> ImportReport
    where
        I: IntoIterator,
        I::Item: Borrow<Event>,
    {
        let mut report = ImportReport::default();
        self.import_each(events, |r| report.push(r));
        report
    }

    /// As [`import`](Self::import), handing each outcome to `each` instead of
    /// collecting them (for batches too large to keep one outcome per record).
    pub fn import_each<I>(&mut self, events: I, mut each: impl FnMut(RecordOutcome))
    where
        I: IntoIterator,
        I::Item: Borrow<Event>,
    {
        self.import_each_with(events, |_, r| each(r));
    }

    /// As [`import_each`](Self::import_each), handing `each` the event with
    /// its outcome (for the durable book, which logs what was applied).
    pub(crate) fn import_each_with<I>(
        &mut self,
        events: I,
        mut each: impl FnMut(Option<&Event>, RecordOutcome),
    ) where
        I: IntoIterator,
        I::Item: Borrow<Event>,
    {
        let mut events = events.into_iter();
        let mut chunk: Vec<I::Item> = Vec::with_capacity(AHEAD);
        let mut hints: Vec<Hint> = Vec::with_capacity(AHEAD);
        let mut position = 0;
        loop {
            chunk.extend(events.by_ref().take(AHEAD));
            if chunk.is_empty() {
                break;
            }
            // Look the chunk up first: these loads do not depend on each
            // other, so the processor overlaps their cache misses.
            hints.extend(chunk.iter().map(|e| self.hint(e.borrow())));
            for (event, hint) in chunk.drain(..).zip(hints.drain(..)) {
                let event = event.borrow();
                let outcome = self.insert(event, hint, true);
                let warnings = kind_warnings(event, &outcome);
                let record = RecordOutcome::new(Position::Index(position), outcome, warnings);
                self.counts.add_record(&record);
                each(Some(event), record);
                position += 1;
            }
        }
        self.settle();
    }

    /// The id tag of `event` and its customer's number if already known,
    /// touching the memory the application of the event will read.
    fn hint(&self, event: &Event) -> Hint {
        let tag = self.store.ids.tag(event.id.as_str());
        std::hint::black_box(self.store.ids.touch(tag));
        let customer = self.index.get(event.customer.as_str()).copied();
        if let Some(p) = customer.and_then(|c| self.people.get(c as usize)) {
            std::hint::black_box((p.last_at, p.events.last()));
        }
        let counterpart = event
            .counterpart
            .as_ref()
            .and_then(|c| self.index.get(c.as_str()).copied());
        Hint {
            tag: Some(tag),
            customer,
            counterpart,
        }
    }

    /// Reads JSON Lines (one [`Event`] per line, blank lines and a byte-order
    /// mark skipped) and applies every line, returning one outcome per line
    /// ([`Position::Line`], 1-based).
    ///
    /// A line that cannot be read as an event is rejected with
    /// [`Error::Parse`] naming its line, column and the JSON path of the bad
    /// value ([`Error::field`]). An unknown field is kept out of the event and
    /// reported as a [`Warning`] of its record, or rejected under
    /// [`BookOptions::strict`](super::BookOptions::strict). Never panics,
    /// whatever the bytes.
    ///
    /// Keeps one outcome per line in memory: for an export too large for that,
    /// use [`import_jsonl_each`](Self::import_jsonl_each).
    ///
    /// # Errors
    /// [`Error::Io`] when reading fails; the lines before the failure stay
    /// applied (and the book consistent).
    pub fn import_jsonl(&mut self, reader: impl BufRead) -> Result<ImportReport> {
        let mut report = ImportReport::default();
        self.import_jsonl_each(reader, |r| report.push(r))?;
        Ok(report)
    }

    /// As [`import_jsonl`](Self::import_jsonl), handing each line's outcome to
    /// `each` as soon as it is known and returning only the counts: memory
    /// stays that of the book plus one line (at most
    /// [`MAX_LINE_BYTES`](crate::crm::MAX_LINE_BYTES)), whatever the size of
    /// the input (a test imports a file thirty times larger than the memory it
    /// allows itself).
    ///
    /// ```
    /// use social_loop::crm::CustomerBook;
    /// let jsonl = "{\"id\":\"e1\",\"at\":\"2024-03-01T10:00:00Z\",\"customer\":\"ann\",\"kind\":{\"type\":\"purchase\"}}\n\
    ///              {\"id\":\"e1\",\"at\":\"2024-03-01T10:00:00Z\",\"customer\":\"ann\",\"kind\":{\"type\":\"purchase\"}}\n";
    /// let mut book = CustomerBook::new();
    /// let mut rejected = Vec::new();
    /// let counts = book.import_jsonl_each(jsonl.as_bytes(), |r| {
    ///     if !r.outcome.is_applied() { rejected.push(r.position); }
    /// })?;
    /// assert_eq!((counts.applied, counts.duplicates), (1, 1));
    /// assert_eq!(rejected.len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// As [`import_jsonl`](Self::import_jsonl); the outcomes of the lines
    /// before the failure have been handed to `each`.
    pub fn import_jsonl_each(
        &mut self,
        reader: impl BufRead,
        mut each: impl FnMut(RecordOutcome),
    ) -> Result<OutcomeCounts> {
        self.import_jsonl_each_with(reader, |_, r| each(r))
    }

    /// As [`import_jsonl_each`](Self::import_jsonl_each), handing `each` the
    /// event of each line that parsed with its outcome.
    pub(crate) fn import_jsonl_each_with(
        &mut self,
        reader: impl BufRead,
        mut each: impl FnMut(Option<&Event>, RecordOutcome),
    ) -> Result<OutcomeCounts> {
        let mut counts = OutcomeCounts::default();
        let mut lines = JsonLines::new(reader);
        let mut failure = None;
        while let Some(item) = lines.next() {
            let (line, parsed) = match item {
                Ok(item) => item,
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            };
            let unknown = lines.unknown_fields();
            let (outcome, mut warnings) = match &parsed {
                Err(reason) => (rejected(reason.clone()), Vec::new()),
                Ok(_) if self.options.is_strict() && !unknown.is_empty() => {
                    let field = unknown.first().cloned().unwrap_or_default();
                    let reason = Error::parse(line, "unknown field (strict mode)").at_field(field);
                    (rejected(reason), Vec::new())
                }
                Ok(event) => {
                    let outcome = self.insert(event, Hint::default(), true);
                    let warnings = kind_warnings(event, &outcome);
                    (outcome, warnings)
                }
            };
            if outcome.is_applied() && !unknown.is_empty() {
                let mut all: Vec<Warning> = unknown
                    .iter()
                    .map(|f| Warning::new(f.clone(), "unknown field, ignored"))
                    .collect();
                all.append(&mut warnings);
                warnings = all;
            }
            let record = RecordOutcome::new(Position::Line(line), outcome, warnings);
            self.counts.add_record(&record);
            counts.add_record(&record);
            each(parsed.as_ref().ok(), record);
        }
        self.settle();
        match failure {
            Some(e) => Err(e),
            None => Ok(counts),
        }
    }
}

/// A rejection outcome.
pub(crate) fn rejected(reason: Error) -> Outcome {
    Outcome::Rejected {
        reason: Box::new(reason),
    }
}

/// The warning of an applied event of a kind the library does not know.
fn kind_warnings(event: &Event, outcome: &Outcome) -> Vec<Warning> {
    match (&event.kind, outcome) {
        (EventKind::Other { kind, .. }, Outcome::Applied { .. }) => vec![Warning::new(
            "kind.type",
            format!(
                "{}; kept as an other kind that moves no one",
                super::unknown_kind(kind)
            ),
        )],
        _ => Vec::new(),
    }
}
