//! How to read an edge list ([`ReadOptions`] and its policies) and what a read
//! found ([`ReadReport`]).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::network::WeightScheme;

/// The layout of an edge-list file.
///
/// In every format, blank lines and lines whose first non-blank character is `#`
/// or `%` are comments and are skipped; ids are any text without the separator.
#[non_exhaustive]
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
    /// SNAP: `u v`, separated by spaces or tabs. The file has no probabilities,
    /// so reading it needs a weight scheme ([`ReadOptions::weights`]).
    Snap,
    /// `u v p`, separated by spaces or tabs; `p` must be a probability in `[0, 1]`.
    /// Ties are positive. Any other column count is an error.
    Weighted,
    /// `src,dst,rating[,time]` as in `soc-sign-bitcoinotc.csv`: `rating` is a
    /// non-zero number in `[-10, 10]`; the tie's sign is the rating's sign and its
    /// probability `|rating| / 10`. The optional `time` column must be a number
    /// and is otherwise ignored. Fields may be padded with spaces.
    SignedCsv,
}

impl EdgeFormat {
    /// Every format, in the order of [`EdgeFormat::name`]'s documentation.
    pub const ALL: [EdgeFormat; 4] = [
        EdgeFormat::Auto,
        EdgeFormat::Snap,
        EdgeFormat::Weighted,
        EdgeFormat::SignedCsv,
    ];

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
        EdgeFormat::ALL
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
#[non_exhaustive]
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
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DuplicateTies {
    /// Keep the tie of the first occurrence; drop later ones (counted in
    /// [`ReadReport::duplicates_dropped`]). The default.
    #[default]
    KeepFirst,
    /// The last occurrence's tie wins (the arc keeps the position of the first).
    KeepLast,
    /// Fail with an [`Error::Parse`] naming both lines.
    Reject,
}

/// What to do with a header line (column names such as `source target`).
///
/// A file's first data line (after comments and blank lines) *looks like a
/// header* when none of its fields is a number and either it has three or
/// more fields (a weight, rating or time column cannot be a word) or both of
/// its two fields are usual column names (`source`/`target`, `from`/`to`,
/// `src`/`dst`, `FromNodeId`/`ToNodeId`, `node1`/`node2`, `follower`,
/// `truster`, `voter`, ... case and punctuation ignored).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Header {
    /// A first data line that looks like a header is an [`Error::Parse`] whose
    /// hint names this option, rather than silently becoming a tie. The default.
    #[default]
    Refuse,
    /// The first data line is a header: skip it (whatever it looks like) and
    /// report it in [`ReadReport::header_line`].
    Skip,
    /// There is no header: the first data line is data even if it looks like
    /// a header (customers really called `source` and `target`).
    Absent,
}

/// How to read an edge list: `Default` plus by-value setters.
///
/// | option | default |
/// |---|---|
/// | [`format`](ReadOptions::format) | [`EdgeFormat::Auto`] |
/// | [`weights`](ReadOptions::weights) | none: the file's own column; a file without one ([`EdgeFormat::Snap`]) is an error listing the schemes |
/// | [`reverse`](ReadOptions::reverse) | `false`: a line `u v` is the tie `u -> v` (`u` influences `v`) |
/// | [`undirected`](ReadOptions::undirected) | `false` |
/// | [`header`](ReadOptions::header) | [`Header::Refuse`] |
/// | [`self_loops`](ReadOptions::self_loops) | [`SelfLoops::Skip`] |
/// | [`duplicates`](ReadOptions::duplicates) | [`DuplicateTies::KeepFirst`] |
///
/// ```
/// use social_loop::network::WeightScheme;
/// use social_loop::network::io::{DuplicateTies, EdgeFormat, Header, ReadOptions, SelfLoops};
/// let options = ReadOptions::default()
///     .format(EdgeFormat::Snap)
///     .weights(WeightScheme::WeightedCascade)
///     .reverse(true) // "A trusts B": B influences A
///     .header(Header::Skip)
///     .self_loops(SelfLoops::Reject)
///     .duplicates(DuplicateTies::KeepLast);
/// assert_ne!(options, ReadOptions::default());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReadOptions {
    pub(crate) format: EdgeFormat,
    pub(crate) weights: Option<WeightScheme>,
    pub(crate) reverse: bool,
    pub(crate) undirected: bool,
    pub(crate) header: Header,
    pub(crate) self_loops: SelfLoops,
    pub(crate) duplicates: DuplicateTies,
}

impl ReadOptions {
    /// The file's layout.
    #[must_use]
    pub fn format(mut self, format: EdgeFormat) -> Self {
        self.format = format;
        self
    }

    /// Where the tie probabilities come from. Without it, a file with a weight
    /// or rating column keeps its values, and a file without one
    /// ([`EdgeFormat::Snap`]) is refused with an [`Error::InvalidParameter`]
    /// (field `weights`) that lists the schemes: there is no silent default
    /// probability. [`WeightScheme::FromFile`] says "the file's column"
    /// explicitly (and is refused the same way for a snap file).
    #[must_use]
    pub fn weights(mut self, scheme: WeightScheme) -> Self {
        self.weights = Some(scheme);
        self
    }

    /// Read each line `u v` as the tie `v -> u`. Trust and vote networks list
    /// the one who trusts (votes, rates) first, but influence flows the other
    /// way: the trusted influences the truster.
    #[must_use]
    pub fn reverse(mut self, reverse: bool) -> Self {
        self.reverse = reverse;
        self
    }

    /// Add every line as two arcs, `u -> v` and `v -> u`, with the same tie.
    #[must_use]
    pub fn undirected(mut self, undirected: bool) -> Self {
        self.undirected = undirected;
        self
    }

    /// Header policy.
    #[must_use]
    pub fn header(mut self, policy: Header) -> Self {
        self.header = policy;
        self
    }

    /// Self-loop policy.
    #[must_use]
    pub fn self_loops(mut self, policy: SelfLoops) -> Self {
        self.self_loops = policy;
        self
    }

    /// Duplicate-arc policy.
    #[must_use]
    pub fn duplicates(mut self, policy: DuplicateTies) -> Self {
        self.duplicates = policy;
        self
    }
}

/// What a read found, for a command line to print.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ReadReport {
    /// The format used (the detected one when [`EdgeFormat::Auto`] was asked;
    /// still `Auto` if the input had no data line).
    pub format: EdgeFormat,
    /// Lines in the input.
    pub lines: usize,
    /// Blank and comment lines skipped.
    pub comment_lines: usize,
    /// The line skipped as a header under [`Header::Skip`].
    pub header_line: Option<usize>,
    /// Data lines (each gives one tie, or two when undirected).
    pub data_lines: usize,
    /// Arcs dropped as self-loops under [`SelfLoops::Skip`].
    pub self_loops_skipped: usize,
    /// The line of the first self-loop skipped.
    pub first_self_loop_line: Option<usize>,
    /// Arcs that repeated an earlier arc and were merged into it (dropped under
    /// [`DuplicateTies::KeepFirst`], replacing it under [`DuplicateTies::KeepLast`]).
    pub duplicates_dropped: usize,
    /// The line of the first repeated arc.
    pub first_duplicate_line: Option<usize>,
}
