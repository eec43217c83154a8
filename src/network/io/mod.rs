//! Reading edge-list files into an [`InfluenceNetwork`].
//!
//! Three formats are understood (see [`EdgeFormat`]): SNAP `u v`, weighted
//! `u v p`, and the signed CSV `src,dst,rating,time` of the Bitcoin OTC / Alpha
//! trust networks. Ids are read as text and become [`crate::CustomerId`]s; a tie is
//! added for every data line (both directions with [`ReadOptions::undirected`]).
//! Every problem is an [`Error::Parse`] naming the 1-based line, or an
//! [`Error::Io`] naming the file; a [`ReadReport`] says what was read and what was
//! dropped, for a command line to print.
//!
//! ```
//! use std::io::Cursor;
//! use social_loop::network::{EdgeFormat, ReadOptions, read_edge_list};
//!
//! let text = "# who listens to whom\nann bob 0.4\nbob cy 0.25\n";
//! let (net, report) = read_edge_list(Cursor::new(text), ReadOptions::default())?;
//! assert_eq!(report.format, EdgeFormat::Weighted); // detected from the first data line
//! assert_eq!((net.customer_count(), net.tie_count()), (3, 2));
//! assert_eq!(net.tie("ann", "bob").map(|t| t.probability.get()), Some(0.4));
//!
//! // Signed CSV: the sign of the rating is the tie's sign, |rating| / 10 its probability.
//! let csv = "1,2,8,1296629343\n2,3,-10,1296629350\n";
//! let (net, _) = read_edge_list(Cursor::new(csv), ReadOptions::default())?;
//! assert_eq!(net.tie("2", "3").map(|t| t.sign), Some(social_loop::network::TieSign::Negative));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod parse;

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fmt;
use std::io::BufRead;
use std::path::Path;
use std::str::FromStr;

use petgraph::graph::NodeIndex;
use serde::{Deserialize, Serialize};

use super::{InfluenceNetwork, Tie};
use crate::customer::CustomerId;
use crate::error::{Error, Result};
use crate::lines::{BoundedLines, Line, MAX_LINE_BYTES};
use crate::probability::Probability;

/// The layout of an edge-list file.
///
/// In every format, blank lines and lines whose first non-blank character is `#`
/// or `%` are comments and are skipped; ids are any text without the separator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EdgeFormat {
    /// Decide from the first data line: a comma makes it [`EdgeFormat::SignedCsv`];
    /// otherwise three whitespace-separated columns make it [`EdgeFormat::Weighted`]
    /// and two make it [`EdgeFormat::Snap`]. Any other column count is an
    /// [`Error::Parse`] on that line. The decision is reported in
    /// [`ReadReport::format`] and holds for the whole file.
    #[default]
    Auto,
    /// SNAP: `u v`, separated by spaces or tabs. Every tie is positive with
    /// [`ReadOptions::default_probability`].
    Snap,
    /// `u v p`, separated by spaces or tabs; `p` must be a probability in `[0, 1]`.
    /// Ties are positive. Any other column count is an error.
    Weighted,
    /// `src,dst,rating[,time]` as in `soc-sign-bitcoinotc.csv`: `rating` is a
    /// non-zero number in `[-10, 10]`; the tie's sign is the rating's sign and its
    /// probability `|rating| / 10`. The optional `time` column must be a number
    /// and is otherwise ignored. Fields may be padded with spaces; there is no
    /// header line (write one as a `#` comment).
    SignedCsv,
}

impl EdgeFormat {
    /// The name accepted by [`FromStr`]: `auto`, `snap`, `weighted` or `signed-csv`.
    pub fn name(self) -> &'static str {
        match self {
            EdgeFormat::Auto => "auto",
            EdgeFormat::Snap => "snap",
            EdgeFormat::Weighted => "weighted",
            EdgeFormat::SignedCsv => "signed-csv",
        }
    }
}

impl fmt::Display for EdgeFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for EdgeFormat {
    type Err = Error;

    /// Parses `auto`, `snap`, `weighted` or `signed-csv` (ASCII case-insensitive).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (field `format`) for any other text.
    fn from_str(s: &str) -> Result<Self> {
        [
            EdgeFormat::Auto,
            EdgeFormat::Snap,
            EdgeFormat::Weighted,
            EdgeFormat::SignedCsv,
        ]
        .into_iter()
        .find(|f| f.name().eq_ignore_ascii_case(s.trim()))
        .ok_or_else(|| {
            Error::invalid(
                "format",
                format!(
                    "unknown edge-list format `{s}` (expected auto, snap, weighted or signed-csv)"
                ),
            )
        })
    }
}

/// What to do with a line whose two ids are the same customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SelfLoops {
    /// Drop the tie (the customer is still added) and count it in
    /// [`ReadReport::self_loops_skipped`]. The default: public data sets contain
    /// the odd self-vote, and a customer cannot influence themselves.
    #[default]
    Skip,
    /// Fail with an [`Error::Parse`] naming the line and the customer.
    Reject,
}

/// What to do when the same arc `u -> v` appears more than once (including the
/// reverse copies added by [`ReadOptions::undirected`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DuplicateTies {
    /// Keep the tie of the first occurrence; drop later ones. The default.
    #[default]
    KeepFirst,
    /// The last occurrence's tie wins (the arc keeps the position of the first).
    KeepLast,
    /// Fail with an [`Error::Parse`] naming both lines.
    Reject,
}

/// How to read an edge list: `Default` plus by-value setters.
///
/// ```
/// use social_loop::network::{DuplicateTies, EdgeFormat, ReadOptions, SelfLoops};
/// use social_loop::Probability;
/// let options = ReadOptions::default()
///     .format(EdgeFormat::Snap)
///     .undirected(true)
///     .self_loops(SelfLoops::Reject)
///     .duplicates(DuplicateTies::KeepLast)
///     .default_probability(Probability::new(0.1)?);
/// assert_eq!(options.format, EdgeFormat::Snap);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReadOptions {
    /// The file's layout. Default [`EdgeFormat::Auto`].
    pub format: EdgeFormat,
    /// Add every line as two arcs, `u -> v` and `v -> u`, with the same tie.
    /// Default `false` (arcs as listed).
    pub undirected: bool,
    /// Self-loop policy. Default [`SelfLoops::Skip`].
    pub self_loops: SelfLoops,
    /// Duplicate-arc policy. Default [`DuplicateTies::KeepFirst`].
    pub duplicates: DuplicateTies,
    /// Tie probability for formats without one ([`EdgeFormat::Snap`]).
    /// Default [`Probability::ONE`]; a weight scheme usually replaces it.
    pub default_probability: Probability,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            format: EdgeFormat::Auto,
            undirected: false,
            self_loops: SelfLoops::Skip,
            duplicates: DuplicateTies::KeepFirst,
            default_probability: Probability::ONE,
        }
    }
}

impl ReadOptions {
    /// Sets [`ReadOptions::format`].
    #[must_use]
    pub fn format(mut self, format: EdgeFormat) -> Self {
        self.format = format;
        self
    }

    /// Sets [`ReadOptions::undirected`].
    #[must_use]
    pub fn undirected(mut self, undirected: bool) -> Self {
        self.undirected = undirected;
        self
    }

    /// Sets [`ReadOptions::self_loops`].
    #[must_use]
    pub fn self_loops(mut self, policy: SelfLoops) -> Self {
        self.self_loops = policy;
        self
    }

    /// Sets [`ReadOptions::duplicates`].
    #[must_use]
    pub fn duplicates(mut self, policy: DuplicateTies) -> Self {
        self.duplicates = policy;
        self
    }

    /// Sets [`ReadOptions::default_probability`].
    #[must_use]
    pub fn default_probability(mut self, probability: Probability) -> Self {
        self.default_probability = probability;
        self
    }
}

/// What a read found, for a command line to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ReadReport {
    /// The format used (the detected one when [`EdgeFormat::Auto`] was asked;
    /// still `Auto` if the input had no data line).
    pub format: EdgeFormat,
    /// Lines in the input.
    pub lines: usize,
    /// Blank and comment lines skipped.
    pub comment_lines: usize,
    /// Data lines (each gives one tie, or two when undirected).
    pub data_lines: usize,
    /// Arcs dropped as self-loops under [`SelfLoops::Skip`].
    pub self_loops_skipped: usize,
    /// Arcs that repeated an earlier arc and were merged into it (dropped under
    /// [`DuplicateTies::KeepFirst`], replacing it under [`DuplicateTies::KeepLast`]).
    pub duplicates_dropped: usize,
}

/// Reads an edge list from any buffered reader.
///
/// # Errors
/// [`Error::Parse`] with the 1-based line for a malformed line, a line longer
/// than 1 MiB (never held whole in memory), a wrong column count, an
/// unparsable number, a probability outside `[0, 1]` or NaN, a rating
/// that is zero or outside `[-10, 10]`, text that is not UTF-8, an undetectable
/// format, a self-loop under [`SelfLoops::Reject`] or a repeated arc under
/// [`DuplicateTies::Reject`]; [`Error::Io`] (path `<reader>`) when the reader fails.
///
/// # Complexity
/// O(lines) expected time: one hash lookup per id and one per arc for duplicates;
/// the line buffer is reused, and a new id allocates once.
pub fn read_edge_list<R: BufRead>(
    reader: R,
    options: ReadOptions,
) -> Result<(InfluenceNetwork, ReadReport)> {
    read_from(reader, options, "<reader>")
}

/// Reads an edge-list file.
///
/// # Errors
/// [`Error::Io`] naming `path` when it cannot be opened or read; otherwise as
/// [`read_edge_list`].
///
/// # Complexity
/// As [`read_edge_list`].
pub fn read_edge_list_file(
    path: impl AsRef<Path>,
    options: ReadOptions,
) -> Result<(InfluenceNetwork, ReadReport)> {
    let path = path.as_ref();
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| Error::io(name.clone(), e))?;
    read_from(
        std::io::BufReader::with_capacity(1 << 16, file),
        options,
        &name,
    )
    .map_err(|e| e.in_file(name))
}

fn read_from<R: BufRead>(
    reader: R,
    options: ReadOptions,
    source: &str,
) -> Result<(InfluenceNetwork, ReadReport)> {
    let mut builder = Builder::new(options);
    let mut format = options.format;
    let mut lines = BoundedLines::new(reader, MAX_LINE_BYTES);
    while let Some(read) = lines.next() {
        let (line, read) = read.map_err(|e| Error::io(source, e.into_source()))?;
        builder.report.lines = line;
        let bytes = match read {
            Line::Text(bytes) => bytes,
            Line::TooLong => {
                let reason = format!("line longer than {MAX_LINE_BYTES} bytes");
                return Err(parse_error(line, reason));
            }
        };
        let text = std::str::from_utf8(bytes)
            .map_err(|e| parse_error(line, format!("not valid UTF-8 ({e})")))?
            .trim();
        if text.is_empty() || text.starts_with('#') || text.starts_with('%') {
            builder.report.comment_lines += 1;
            continue;
        }
        if format == EdgeFormat::Auto {
            format = parse::detect(text).map_err(|reason| parse_error(line, reason))?;
        }
        let arc = parse::parse_line(format, text, options.default_probability)
            .map_err(|reason| parse_error(line, reason))?;
        builder.report.data_lines += 1;
        builder.add(arc, line)?;
    }
    builder.report.format = format;
    Ok(builder.finish())
}

fn parse_error(line: usize, reason: String) -> Error {
    Error::parse(line, reason)
}

/// The most customers, and the most ties, a network can hold (`u32` graph indices).
const MAX_INDEX: usize = u32::MAX as usize - 1;

/// An arc waiting to be added, in file order.
struct PendingArc {
    from: NodeIndex<u32>,
    to: NodeIndex<u32>,
    tie: Tie,
    line: usize,
}

/// Accumulates arcs with duplicate detection, then builds the network.
struct Builder {
    net: InfluenceNetwork,
    arcs: Vec<PendingArc>,
    /// `(from << 32) | to` -> position in `arcs`.
    seen: HashMap<u64, usize>,
    options: ReadOptions,
    report: ReadReport,
}

impl Builder {
    fn new(options: ReadOptions) -> Self {
        Builder {
            net: InfluenceNetwork::new(),
            arcs: Vec::new(),
            seen: HashMap::new(),
            options,
            report: ReadReport::default(),
        }
    }

    fn node(&mut self, id: &str, line: usize) -> Result<NodeIndex<u32>> {
        if let Some(ix) = self.net.node_index(id) {
            return Ok(ix);
        }
        if self.net.customer_count() >= MAX_INDEX {
            return Err(parse_error(
                line,
                format!("more than {MAX_INDEX} customers"),
            ));
        }
        Ok(self.net.intern(CustomerId::new(id)))
    }

    fn add(&mut self, arc: parse::ParsedArc<'_>, line: usize) -> Result<()> {
        let from = self.node(arc.from, line)?;
        let to = self.node(arc.to, line)?;
        if from == to {
            return match self.options.self_loops {
                SelfLoops::Skip => {
                    self.report.self_loops_skipped += 1 + usize::from(self.options.undirected);
                    Ok(())
                }
                SelfLoops::Reject => Err(parse_error(
                    line,
                    format!(
                        "self-loop on customer `{}` (rejected by the self-loop policy)",
                        arc.from
                    ),
                )),
            };
        }
        self.push(from, to, arc.tie, line)?;
        if self.options.undirected {
            self.push(to, from, arc.tie, line)?;
        }
        Ok(())
    }

    fn push(
        &mut self,
        from: NodeIndex<u32>,
        to: NodeIndex<u32>,
        tie: Tie,
        line: usize,
    ) -> Result<()> {
        let key = (u64::from(from.index() as u32) << 32) | u64::from(to.index() as u32);
        match self.seen.entry(key) {
            Entry::Vacant(slot) => {
                if self.arcs.len() >= MAX_INDEX {
                    return Err(parse_error(line, format!("more than {MAX_INDEX} ties")));
                }
                slot.insert(self.arcs.len());
                self.arcs.push(PendingArc {
                    from,
                    to,
                    tie,
                    line,
                });
            }
            Entry::Occupied(slot) => {
                let Some(first) = self.arcs.get_mut(*slot.get()) else {
                    return Err(parse_error(line, "internal: lost an earlier arc".into()));
                };
                match self.options.duplicates {
                    DuplicateTies::KeepFirst => {}
                    DuplicateTies::KeepLast => first.tie = tie,
                    DuplicateTies::Reject => {
                        let (u, v) = (&self.net.graph()[from], &self.net.graph()[to]);
                        return Err(parse_error(
                            line,
                            format!(
                                "duplicate tie `{u}` -> `{v}` (first on line {})",
                                first.line
                            ),
                        ));
                    }
                }
                self.report.duplicates_dropped += 1;
            }
        }
        Ok(())
    }

    fn finish(mut self) -> (InfluenceNetwork, ReadReport) {
        for arc in self.arcs {
            self.net.push_tie(arc.from, arc.to, arc.tie);
        }
        (self.net, self.report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_round_trip() {
        for f in [
            EdgeFormat::Auto,
            EdgeFormat::Snap,
            EdgeFormat::Weighted,
            EdgeFormat::SignedCsv,
        ] {
            assert_eq!(f.to_string().parse::<EdgeFormat>().unwrap(), f);
        }
        assert_eq!(
            "Signed-CSV".parse::<EdgeFormat>().unwrap(),
            EdgeFormat::SignedCsv
        );
        assert!(matches!(
            "tsv".parse::<EdgeFormat>(),
            Err(Error::InvalidParameter { ref field, .. }) if field == "format"
        ));
    }

    #[test]
    fn crlf_and_percent_comments_are_handled() {
        let text = "% matrix-market style\r\n1\t2\r\n\r\n2 3\r\n";
        let (net, report) = read_edge_list(text.as_bytes(), ReadOptions::default()).unwrap();
        assert_eq!(report.format, EdgeFormat::Snap);
        assert_eq!(
            (report.lines, report.comment_lines, report.data_lines),
            (4, 2, 2)
        );
        assert_eq!(net.tie_count(), 2);
        assert!(net.contains("3"));
    }
}
