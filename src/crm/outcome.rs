//! What happened to each record of an import: [`Outcome`], [`RecordOutcome`],
//! [`ImportReport`].

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// What the book did with one record.
///
/// Serialises (for a reply to the system that sent the batch) with the reason
/// as its message: `{"status":"rejected","reason":"line 3: ..."}`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// Applied. `late` when it occurred before an event of the same customer
    /// that was already applied (the customer's state was recomputed).
    Applied {
        /// Whether it arrived after a later event of its customer.
        late: bool,
    },
    /// Its event id had been applied before, with the same content: ignored.
    Duplicate,
    /// Its event id had been applied before with different content (a retry
    /// that is not a retry): the book keeps the first and ignores this one.
    Conflict {
        /// The top-level fields that differ (`at`, `customer`, `counterpart`,
        /// `kind`, `channel`, `source`, `sentiment`, `money`, `schema`).
        fields: Vec<&'static str>,
    },
    /// Not applied, and nothing changed; `reason` says why.
    Rejected {
        /// What was wrong (the field, the line).
        #[serde(serialize_with = "as_message")]
        reason: Box<Error>,
    },
}

fn as_message<S: serde::Serializer>(e: &Error, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(e)
}

impl Outcome {
    /// Whether the record was applied.
    pub fn is_applied(&self) -> bool {
        matches!(self, Outcome::Applied { .. })
    }
}

/// Where a record was in its batch.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Position {
    /// The 0-based position of the record in the sequence given to
    /// [`CustomerBook::import`](super::CustomerBook::import).
    Index(usize),
    /// The 1-based line of a JSON Lines input (blank lines are counted as
    /// lines but are not records).
    Line(usize),
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Position::Index(i) => write!(f, "record {i}"),
            Position::Line(l) => write!(f, "line {l}"),
        }
    }
}

/// Something kept but not understood in an applied record: an unknown field
/// (`moneyy`) or an unknown kind (`"type": "Purchase"`). Under
/// [`BookOptions::strict`](super::BookOptions::strict) these are rejections
/// instead.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// The JSON path of what was not understood (`moneyy`, `kind.amount`,
    /// `kind.type`).
    pub field: String,
    /// What the book did with it.
    pub message: String,
}

impl Warning {
    pub(crate) fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Warning {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// The outcome of one record of a batch.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordOutcome {
    /// Where the record was.
    pub position: Position,
    /// What happened to it.
    pub outcome: Outcome,
    /// What an applied record carried that the book did not understand (empty
    /// for most records; omitted from JSON when empty).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
}

impl RecordOutcome {
    pub(crate) fn new(position: Position, outcome: Outcome, warnings: Vec<Warning>) -> Self {
        RecordOutcome {
            position,
            outcome,
            warnings,
        }
    }
}

/// Counts of outcomes.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct OutcomeCounts {
    /// Records applied.
    pub applied: u64,
    /// Of the applied, those that arrived late.
    pub late: u64,
    /// Records ignored as duplicates.
    pub duplicates: u64,
    /// Records ignored as conflicting with the first of their id.
    pub conflicts: u64,
    /// Applied records that came with warnings.
    pub warned: u64,
    /// Records rejected.
    pub rejected: u64,
}

impl OutcomeCounts {
    /// Counts one outcome.
    pub fn add(&mut self, outcome: &Outcome) {
        match outcome {
            Outcome::Applied { late } => {
                self.applied += 1;
                self.late += u64::from(*late);
            }
            Outcome::Duplicate => self.duplicates += 1,
            Outcome::Conflict { .. } => self.conflicts += 1,
            Outcome::Rejected { .. } => self.rejected += 1,
        }
    }

    /// Counts one record's outcome and warnings.
    pub(crate) fn add_record(&mut self, record: &RecordOutcome) {
        self.add(&record.outcome);
        self.warned += u64::from(!record.warnings.is_empty());
    }

    /// Every record counted.
    pub fn records(&self) -> u64 {
        self.applied + self.duplicates + self.conflicts + self.rejected
    }
}

/// The outcome of every record of a batch, in input order, with counts.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ImportReport {
    /// One outcome per record.
    pub outcomes: Vec<RecordOutcome>,
    /// Their counts.
    pub counts: OutcomeCounts,
}

impl ImportReport {
    /// Adds one record's outcome.
    pub fn push(&mut self, record: RecordOutcome) {
        self.counts.add_record(&record);
        self.outcomes.push(record);
    }

    /// The rejected records with their reasons.
    pub fn rejections(&self) -> impl Iterator<Item = (Position, &Error)> {
        self.outcomes.iter().filter_map(|r| match &r.outcome {
            Outcome::Rejected { reason } => Some((r.position, reason.as_ref())),
            _ => None,
        })
    }

    /// The records applied with warnings.
    pub fn warnings(&self) -> impl Iterator<Item = (Position, &Warning)> {
        self.outcomes
            .iter()
            .flat_map(|r| r.warnings.iter().map(move |w| (r.position, w)))
    }
}
