//! Reading edge-list files into an [`InfluenceNetwork`]: your own data, or the
//! public data sets the crate is tested on.
//!
//! ```
//! use std::io::Cursor;
//! use social_loop::network::{TieSign, WeightScheme};
//! use social_loop::network::io::{EdgeFormat, ReadOptions, read_edge_list};
//!
//! let text = "# who listens to whom\nann bob 0.4\nbob cy 0.25\n";
//! let (net, report) = read_edge_list(Cursor::new(text), ReadOptions::default())?;
//! assert_eq!(report.format, EdgeFormat::Weighted); // detected from the first data line
//! assert_eq!((net.customer_count(), net.tie_count()), (3, 2));
//! assert_eq!(net.tie("ann", "bob").map(|t| t.probability.get()), Some(0.4));
//!
//! // A file without probabilities needs a weight scheme: there is no silent p = 1.
//! let snap = "ann bob\nbob cy\n";
//! let refused = read_edge_list(Cursor::new(snap), ReadOptions::default()).unwrap_err();
//! assert_eq!(refused.field(), Some("weights"));
//! let options = ReadOptions::default().weights(WeightScheme::WeightedCascade);
//! let (net, _) = read_edge_list(Cursor::new(snap), options)?;
//! assert_eq!(net.tie("bob", "cy").map(|t| t.probability.get()), Some(1.0)); // 1 / in-degree
//!
//! // Signed CSV: the sign of the rating is the tie's sign, |rating| / 10 its probability.
//! let csv = "1,2,8,1296629343\n2,3,-10,1296629350\n";
//! let (net, _) = read_edge_list(Cursor::new(csv), ReadOptions::default())?;
//! assert_eq!(net.tie("2", "3").map(|t| t.sign), Some(TieSign::Negative));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Formats
//!
//! Three layouts are understood (see [`EdgeFormat`]): SNAP `u v`, weighted
//! `u v p`, and the signed CSV `src,dst,rating,time` of the Bitcoin OTC / Alpha
//! trust networks. Ids are read as text and become [`crate::CustomerId`]s; a tie
//! is added for every data line (both directions with
//! [`ReadOptions::undirected`]). Lines starting with `#` or `%` and blank lines
//! are comments; a UTF-8 byte-order mark at the start of the file is skipped;
//! `\r\n` line ends are accepted.
//!
//! # Direction
//!
//! A tie `u -> v` means **`u` influences `v`**: word of mouth flows from `u` to
//! `v`, and a cascade started at `u` can reach `v`. A line `u v` is read as
//! `u -> v`. Many public networks list edges the other way round for influence:
//! "`A` trusts `B`" (Epinions), "`A` voted for `B`" (Wiki-Vote), "`A` rated
//! `B`" (Bitcoin OTC / Alpha) all mean that `B`'s word reaches `A`. Read such
//! files with [`ReadOptions::reverse`] to get the influence direction. (The
//! influence-maximization literature and the benchmarks in `BENCHMARKS.md` use
//! these files as listed, so they read them without `reverse`.)
//!
//! # Weights
//!
//! A tie's probability comes from the file's weight column (`weighted`), from
//! the rating (`signed-csv`), or from a [`WeightScheme`](crate::network::WeightScheme) given with
//! [`ReadOptions::weights`]. A file without probabilities (`snap`) and no
//! scheme is refused with an [`Error::InvalidParameter`] (field `weights`)
//! listing the schemes, because probability 1 on every tie measures
//! reachability, not influence.
//!
//! # Messy files
//!
//! A header line (`source target`) is refused with a hint unless
//! [`ReadOptions::header`] says to skip it (see [`Header`] for what looks like
//! a header). Self-loops are skipped and repeated arcs keep their first tie by
//! default; [`ReadReport`] counts both and gives the first line of each, so a
//! command line can say what it dropped.
//!
//! Every problem is an [`Error::Parse`] naming the file and the 1-based line,
//! an [`Error::InvalidParameter`] for a missing weight scheme, or an
//! [`Error::Io`] naming the file.
//!
//! # Public data sets
//!
//! The tests, examples and benchmarks use these files (in `../shared/data`
//! beside the repository; counts and checksums in its `README.md`). Each can be
//! fetched from its public source:
//!
//! | file | source | how to read it |
//! |---|---|---|
//! | `soc-Epinions1.txt` | SNAP, <https://snap.stanford.edu/data/soc-Epinions1.html> (`soc-Epinions1.txt.gz`; Richardson, Agrawal & Domingos 2003) | snap; "`u` trusts `v`": `reverse` for influence; a weight scheme |
//! | `Wiki-Vote.txt` | SNAP, <https://snap.stanford.edu/data/wiki-Vote.html> (`wiki-Vote.txt.gz`; Leskovec, Huttenlocher & Kleinberg 2010) | snap; "`u` voted on `v`": `reverse` for influence; a weight scheme |
//! | `soc-sign-bitcoinotc.csv` | SNAP, <https://snap.stanford.edu/data/soc-sign-bitcoin-otc.html> (`soc-sign-bitcoinotc.csv.gz`; Kumar et al., ICDM 2016) | signed-csv; "`src` rated `dst`": `reverse` for influence |
//! | `soc-sign-bitcoinalpha.csv` | SNAP, <https://snap.stanford.edu/data/soc-sign-bitcoin-alpha.html> (`soc-sign-bitcoinalpha.csv.gz`) | signed-csv, as OTC |
//! | `nethept_imm_graph_ic.inf` | NetHEPT (arXiv HEP-TH co-authorship, Chen, Wang & Yang, KDD 2009) as shipped with the IMM code of Tang, Shi & Xiao (SIGMOD 2015), <https://sourceforge.net/projects/im-imm/> (`nethept/graph_ic.inf`) | weighted (`1 / in-degree`), both directions listed |
//!
//! The CDNOW purchase log the CRM tests use comes from Bruce Hardie's data
//! sets, <https://www.brucehardie.com/datasets/> (`CDNOW_master.zip`).

mod builder;
mod options;
mod parse;

use std::io::BufRead;
use std::path::Path;

pub use options::{DuplicateTies, EdgeFormat, Header, ReadOptions, ReadReport, SelfLoops};

use super::InfluenceNetwork;
use crate::error::{Error, Result};
use crate::lines::{BoundedLines, Line, MAX_LINE_BYTES};
use builder::{Builder, check_weights};

/// Reads an edge list from any buffered reader.
///
/// # Errors
/// [`Error::Parse`] with the 1-based line for a malformed line, a wrong column
/// count, an unparsable number, a probability outside `[0, 1]` or NaN, a rating
/// that is zero or outside `[-10, 10]`, text that is not UTF-8, an undetectable
/// format, a header under [`Header::Refuse`], a self-loop under
/// [`SelfLoops::Reject`] or a repeated arc under [`DuplicateTies::Reject`];
/// [`Error::InvalidParameter`] (field `weights`) for a file without
/// probabilities and no weight scheme; [`Error::Io`] (path `<reader>`) when the
/// reader fails.
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
/// [`read_edge_list`], with the file named in a parse error.
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
    let mut first_data_line = true;
    // Lines are capped (a 512 MiB line is refused, never held whole); a
    // byte-order mark at the start is skipped by the reader.
    let mut lines = BoundedLines::new(reader, MAX_LINE_BYTES);
    while let Some(read) = lines.next() {
        let (line, read) = read.map_err(|e| Error::io(source, e.into_source()))?;
        builder.report.lines = line;
        let bytes = match read {
            Line::Text(bytes) => bytes,
            Line::TooLong => {
                let reason = format!("line longer than {MAX_LINE_BYTES} bytes");
                return Err(Error::parse(line, reason));
            }
        };
        let text = std::str::from_utf8(bytes)
            .map_err(|e| Error::parse(line, format!("not valid UTF-8 ({e})")))?;
        let text = text.trim();
        if text.is_empty() || text.starts_with('#') || text.starts_with('%') {
            builder.report.comment_lines += 1;
            continue;
        }
        if std::mem::take(&mut first_data_line) {
            match options.header {
                Header::Skip => {
                    builder.report.header_line = Some(line);
                    continue;
                }
                Header::Refuse if parse::looks_like_header(text) => {
                    return Err(Error::parse(line, header_hint(text)));
                }
                Header::Refuse | Header::Absent => {}
            }
        }
        if format == EdgeFormat::Auto {
            format = parse::detect(text).map_err(|reason| Error::parse(line, reason))?;
        }
        if builder.report.data_lines == 0 {
            check_weights(format, options.weights)?;
        }
        let arc = parse::parse_line(format, text).map_err(|reason| Error::parse(line, reason))?;
        builder.report.data_lines += 1;
        builder.add(arc, line)?;
    }
    builder.report.format = format;
    Ok(builder.finish())
}

/// The error text for a header refused under [`Header::Refuse`].
fn header_hint(text: &str) -> String {
    let shown: String = text.chars().take(60).collect();
    format!(
        "`{shown}` looks like a header line, not a tie: skip it with the header option \
         (ReadOptions::header(Header::Skip); `--header` on the command line; \
         \"header\": \"skip\" in a scenario file), or read it as data with Header::Absent \
         (`--header absent`)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::WeightScheme;
    use crate::probability::Probability;

    fn uniform() -> ReadOptions {
        ReadOptions::default().weights(WeightScheme::Uniform(Probability::saturating(0.5)))
    }

    #[test]
    fn format_names_round_trip() {
        for f in EdgeFormat::ALL {
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
        let (net, report) = read_edge_list(text.as_bytes(), uniform()).unwrap();
        assert_eq!(report.format, EdgeFormat::Snap);
        assert_eq!(
            (report.lines, report.comment_lines, report.data_lines),
            (4, 2, 2)
        );
        assert_eq!(net.tie_count(), 2);
        assert!(net.contains("3"));
    }

    #[test]
    fn a_bom_is_skipped_only_at_the_start_of_the_file() {
        let (net, _) = read_edge_list("\u{feff}a b\n".as_bytes(), uniform()).unwrap();
        assert!(net.contains("a"));
        let (net, _) = read_edge_list("a b\n\u{feff}c d\n".as_bytes(), uniform()).unwrap();
        assert!(net.contains("\u{feff}c"));
    }

    #[test]
    fn options_round_trip_through_serde() {
        let options = uniform().reverse(true).header(Header::Skip);
        let json = serde_json::to_string(&options).unwrap();
        assert_eq!(serde_json::from_str::<ReadOptions>(&json).unwrap(), options);
        assert!(serde_json::from_str::<ReadOptions>(r#"{"revers": true}"#).is_err());
    }
}
