//! Edge-list readers: formats, policies, every error kind, and the real data sets.

use std::io::{BufRead, Cursor, Read};
use std::path::PathBuf;

use social_loop::Error;
use social_loop::Probability;
use social_loop::network::io::{
    DuplicateTies, EdgeFormat, Header, ReadOptions, ReadReport, SelfLoops, read_edge_list,
    read_edge_list_file,
};
use social_loop::network::{InfluenceNetwork, TieSign, WeightScheme};

/// Options that give snap files a probability (0.5 on every tie).
fn uniform() -> ReadOptions {
    ReadOptions::default().weights(WeightScheme::Uniform(Probability::new(0.5).unwrap()))
}

fn read(text: &str, options: ReadOptions) -> social_loop::Result<(InfluenceNetwork, ReadReport)> {
    read_edge_list(Cursor::new(text), options)
}

/// The line and reason of a parse error, or a panic naming what came instead.
fn parse_err(text: &str, options: ReadOptions) -> (usize, String) {
    match read(text, options) {
        Err(Error::Parse { at, reason }) => (at.line, reason),
        other => panic!("expected a parse error, got {other:?}"),
    }
}

#[test]
fn snap_lines_get_the_chosen_probability_and_comments_are_counted() {
    let text = "# FromNodeId\tToNodeId\n\n1\t2\n2 3\n   % trailing comment\n";
    let p = Probability::new(0.05).unwrap();
    let (net, report) = read(
        text,
        ReadOptions::default().weights(WeightScheme::Uniform(p)),
    )
    .unwrap();
    assert_eq!(report.format, EdgeFormat::Snap);
    assert_eq!(
        (report.lines, report.comment_lines, report.data_lines),
        (5, 3, 2)
    );
    assert_eq!(
        net.customers().map(|c| c.as_str()).collect::<Vec<_>>(),
        ["1", "2", "3"]
    );
    assert_eq!(net.tie("1", "2").unwrap().probability, p);
    assert_eq!(net.tie("2", "3").unwrap().sign, TieSign::Positive);
    assert_eq!(net.tie("2", "1"), None);
}

#[test]
fn auto_detects_each_format_from_the_first_data_line() {
    for (text, format) in [
        ("a b\n", EdgeFormat::Snap),
        ("a b 0.5\n", EdgeFormat::Weighted),
        ("a,b,3,100\n", EdgeFormat::SignedCsv),
        ("# only a comment\n", EdgeFormat::Auto),
    ] {
        assert_eq!(read(text, uniform()).unwrap().1.format, format, "{text}");
    }
    // The first data line decides for the whole file.
    let (line, reason) = parse_err("a b\nb c 0.5\n", uniform());
    assert_eq!(line, 2);
    assert!(reason.contains("expected 2 columns"), "{reason}");
}

#[test]
fn weighted_and_signed_ties_keep_their_values() {
    let (net, _) = read("u v 0.125\n", ReadOptions::default()).unwrap();
    assert_eq!(net.tie("u", "v").unwrap().probability.get(), 0.125);
    let csv = "1,2,10,1\n2,1,-2,2.5\n3,1,7\n";
    let (net, report) = read(csv, ReadOptions::default().format(EdgeFormat::SignedCsv)).unwrap();
    assert_eq!(report.data_lines, 3);
    let back = net.tie("2", "1").unwrap();
    assert_eq!(back.sign, TieSign::Negative);
    assert!((back.probability.get() - 0.2).abs() < 1e-12);
    assert_eq!(net.tie("1", "2").unwrap().probability.get(), 1.0);
    assert!((net.tie("3", "1").unwrap().probability.get() - 0.7).abs() < 1e-12);
}

#[test]
fn undirected_adds_both_arcs_with_the_same_tie() {
    let (net, report) = read(
        "a b 0.3\nb c 0.6\n",
        ReadOptions::default().undirected(true),
    )
    .unwrap();
    assert_eq!(net.tie_count(), 4);
    assert_eq!(report.duplicates_dropped, 0);
    assert_eq!(net.tie("b", "a"), net.tie("a", "b"));
    assert_eq!(net.tie("c", "b").unwrap().probability.get(), 0.6);
    // A file that already lists both directions: the reverse copies are duplicates.
    let (net, report) = read("a b\nb a\n", uniform().undirected(true)).unwrap();
    assert_eq!((net.tie_count(), report.duplicates_dropped), (2, 2));
}

#[test]
fn self_loops_are_skipped_by_default_and_counted() {
    let (net, report) = read("a a\na b\n", uniform()).unwrap();
    assert_eq!((net.customer_count(), net.tie_count()), (2, 1));
    assert_eq!(report.self_loops_skipped, 1);
}

#[test]
fn duplicate_policies_keep_first_or_last() {
    let text = "a b 0.1\nb c 0.2\na b 0.9\n";
    let (net, report) = read(text, ReadOptions::default()).unwrap();
    assert_eq!(report.duplicates_dropped, 1);
    assert_eq!(net.tie_count(), 2);
    assert_eq!(net.tie("a", "b").unwrap().probability.get(), 0.1);
    let last = ReadOptions::default().duplicates(DuplicateTies::KeepLast);
    let (net, report) = read(text, last).unwrap();
    assert_eq!((net.tie_count(), report.duplicates_dropped), (2, 1));
    assert_eq!(net.tie("a", "b").unwrap().probability.get(), 0.9);
    // The arc keeps its first position.
    assert_eq!(net.ties().next().unwrap().to.as_str(), "b");
}

// ---- your own data: no silent p = 1, messy files, direction ----

#[test]
fn an_unweighted_file_without_a_weight_choice_is_refused_listing_the_choices() {
    let err = read(
        "# FromNodeId\tToNodeId\n1\t2\n2\t3\n",
        ReadOptions::default(),
    )
    .unwrap_err();
    assert!(err.is_invalid_parameter(), "{err:?}");
    assert_eq!(err.field(), Some("weights"));
    let text = err.to_string();
    for choice in ["uniform:P", "weighted_cascade", "trivalency"] {
        assert!(text.contains(choice), "{text}");
    }
    // `FromFile` on a file without a weight column is refused the same way.
    let from_file = ReadOptions::default().weights(WeightScheme::FromFile);
    assert_eq!(
        read("1 2\n", from_file).unwrap_err().field(),
        Some("weights")
    );
    // An explicit snap format with the file's "column" too.
    let snap = ReadOptions::default().format(EdgeFormat::Snap);
    assert_eq!(
        read("1 2 0.5\n", snap).unwrap_err().field(),
        Some("weights")
    );
}

#[test]
fn every_weight_choice_sets_the_ties_of_an_unweighted_file() {
    let text = "a c\nb c\nc a\n";
    let with = |scheme| {
        read(text, ReadOptions::default().weights(scheme))
            .unwrap()
            .0
    };
    let p = |net: &InfluenceNetwork, a: &str, b: &str| net.tie(a, b).unwrap().probability.get();
    let net = with(WeightScheme::WeightedCascade);
    assert_eq!((p(&net, "a", "c"), p(&net, "c", "a")), (0.5, 1.0));
    let net = with(WeightScheme::Uniform(Probability::new(0.1).unwrap()));
    assert!(net.ties().all(|t| t.tie.probability.get() == 0.1));
    let net = with(WeightScheme::Trivalency { seed: 3 });
    let again = with(WeightScheme::Trivalency { seed: 3 });
    assert!(
        net.ties()
            .all(|t| [0.1, 0.01, 0.001].contains(&t.tie.probability.get()))
    );
    assert_eq!(
        net.ties().map(|t| t.tie).collect::<Vec<_>>(),
        again.ties().map(|t| t.tie).collect::<Vec<_>>()
    );
    // A scheme replaces a weighted file's column, and keeps a signed file's signs.
    let net = read("a b 0.9\n", uniform()).unwrap().0;
    assert_eq!(p(&net, "a", "b"), 0.5);
    let net = read("1,2,-8\n", uniform()).unwrap().0;
    assert_eq!(net.tie("1", "2").unwrap().sign, TieSign::Negative);
    assert_eq!(p(&net, "1", "2"), 0.5);
}

#[test]
fn a_byte_order_mark_is_not_part_of_the_first_id() {
    let path = std::env::temp_dir().join(format!("social_loop_bom_{}.txt", std::process::id()));
    std::fs::write(&path, "\u{feff}ann bob 0.4\r\nbob cy 0.2\r\n").unwrap();
    let (net, report) = read_edge_list_file(&path, ReadOptions::default()).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(report.format, EdgeFormat::Weighted);
    assert!(net.contains("ann"));
    assert_eq!(net.customers().next().unwrap().as_str(), "ann");
    // Before a comment line too.
    let (net, report) = read("\u{feff}# who listens to whom\nann bob\n", uniform()).unwrap();
    assert_eq!((report.comment_lines, net.tie_count()), (1, 1));
}

#[test]
fn a_header_line_is_refused_with_a_hint_skipped_or_read_as_data() {
    let text = "# exported\nsource\ttarget\nann\tbob\nbob\tcy\n";
    let (line, reason) = parse_err(text, uniform());
    assert_eq!(line, 2);
    assert!(reason.contains("looks like a header"), "{reason}");
    assert!(
        reason.contains("Header::Skip") && reason.contains("--header"),
        "{reason}"
    );
    let (net, report) = read(text, uniform().header(Header::Skip)).unwrap();
    assert_eq!(report.header_line, Some(2));
    assert_eq!((report.data_lines, net.tie_count()), (2, 2));
    assert!(!net.contains("source"));
    // Customers really called `source` and `target`.
    let (net, _) = read(text, uniform().header(Header::Absent)).unwrap();
    assert!(net.tie("source", "target").is_some());
    // Headers of weighted and signed files are words where numbers belong.
    for header in [
        "from to weight\na b 0.5\n",
        "Source,Target,Rating,Time\n1,2,5,0\n",
    ] {
        let (line, reason) = parse_err(header, ReadOptions::default());
        assert_eq!(line, 1, "{header}");
        assert!(reason.contains("looks like a header"), "{reason}");
        let (net, _) = read(header, ReadOptions::default().header(Header::Skip)).unwrap();
        assert_eq!(net.tie_count(), 1, "{header}");
    }
    // Ordinary first lines are data.
    assert_eq!(read("ann bob\n", uniform()).unwrap().0.tie_count(), 1);
}

#[test]
fn duplicate_ties_and_self_loops_are_counted_with_their_first_line() {
    let text = "a b 0.1\nb b 0.5\nb c 0.2\na b 0.9\nc c 0.3\na b 0.4\n";
    let (net, report) = read(text, ReadOptions::default()).unwrap();
    assert_eq!(net.tie_count(), 2);
    assert_eq!(net.tie("a", "b").unwrap().probability.get(), 0.1);
    assert_eq!(
        (report.duplicates_dropped, report.first_duplicate_line),
        (2, Some(4))
    );
    assert_eq!(
        (report.self_loops_skipped, report.first_self_loop_line),
        (2, Some(2))
    );
    let (_, clean) = read("a b 0.1\n", ReadOptions::default()).unwrap();
    assert_eq!(
        (clean.first_duplicate_line, clean.first_self_loop_line),
        (None, None)
    );
}

#[test]
fn reverse_reads_a_trust_network_in_the_direction_of_influence() {
    // "ann trusts bob", "cy trusts bob": bob's word reaches ann and cy.
    let trust = "ann bob 0.5\ncy bob 0.25\nbob bob 0.5\n";
    let (net, report) = read(trust, ReadOptions::default().reverse(true)).unwrap();
    assert_eq!(net.tie("bob", "ann").unwrap().probability.get(), 0.5);
    assert_eq!(net.tie("bob", "cy").unwrap().probability.get(), 0.25);
    assert_eq!(net.tie("ann", "bob"), None);
    assert_eq!(net.out_degree("bob").unwrap(), 2);
    assert_eq!(report.self_loops_skipped, 1);
    // Duplicates are found after reversal; weighted cascade divides by the
    // reversed in-degree.
    let (net, report) = read(
        "ann bob\nbob ann\nann cy\nann bob\n",
        ReadOptions::default()
            .reverse(true)
            .weights(WeightScheme::WeightedCascade),
    )
    .unwrap();
    assert_eq!(report.first_duplicate_line, Some(4));
    assert_eq!(net.in_degree("ann").unwrap(), 2);
    assert_eq!(net.tie("bob", "ann").unwrap().probability.get(), 0.5);
    assert_eq!(net.tie("ann", "bob").unwrap().probability.get(), 1.0);
}

#[test]
fn empty_and_comment_only_inputs_read_as_empty_networks() {
    for text in ["", "# nothing\n\n% here\n"] {
        let (net, report) = read(text, ReadOptions::default()).unwrap();
        assert_eq!(
            (net.customer_count(), report.data_lines),
            (0, 0),
            "{text:?}"
        );
        assert_eq!(report.format, EdgeFormat::Auto);
    }
}

// ---- one test per error kind ----

#[test]
fn error_wrong_column_count_names_the_line() {
    let (line, reason) = parse_err("a b\nb c d e\n", uniform());
    assert_eq!(line, 2);
    assert!(reason.contains("found 4"), "{reason}");
    let (line, reason) = parse_err(
        "a b 0.5 extra\n",
        ReadOptions::default().format(EdgeFormat::Weighted),
    );
    assert_eq!(line, 1);
    assert!(reason.contains("expected 3 columns"), "{reason}");
    let (line, reason) = parse_err("1,2,3,4,5\n", ReadOptions::default());
    assert_eq!(line, 1);
    assert!(reason.contains("found 5"), "{reason}");
}

#[test]
fn error_malformed_line_that_fits_no_format() {
    let (line, reason) = parse_err("# header\njustone\n", ReadOptions::default());
    assert_eq!(line, 2);
    assert!(reason.contains("cannot detect"), "{reason}");
    let (line, _) = parse_err(
        "1,2\n",
        ReadOptions::default().format(EdgeFormat::SignedCsv),
    );
    assert_eq!(line, 1);
}

#[test]
fn error_unparsable_number() {
    let (line, reason) = parse_err("a b 0.1\na c high\n", ReadOptions::default());
    assert_eq!(line, 2);
    assert!(reason.contains("`high`"), "{reason}");
    let (line, reason) = parse_err("1,2,five,0\n", ReadOptions::default());
    assert_eq!(line, 1);
    assert!(reason.contains("rating"), "{reason}");
}

#[test]
fn error_probability_outside_the_unit_interval() {
    for bad in ["1.5", "-0.1"] {
        let (line, reason) = parse_err(&format!("a b 0.5\n\nb c {bad}\n"), ReadOptions::default());
        assert_eq!(line, 3);
        assert!(reason.contains("[0, 1]"), "{reason}");
    }
}

#[test]
fn error_probability_nan() {
    let (line, reason) = parse_err("a b NaN\n", ReadOptions::default());
    assert_eq!(line, 1);
    assert!(reason.contains("NaN"), "{reason}");
}

#[test]
fn error_rating_zero_or_out_of_range() {
    for bad in ["0", "11", "-10.5"] {
        let (line, reason) = parse_err(&format!("1,2,3,9\n2,3,{bad},9\n"), ReadOptions::default());
        assert_eq!(line, 2);
        assert!(reason.contains("non-zero and within [-10, 10]"), "{reason}");
    }
}

#[test]
fn error_self_loop_rejected_by_policy() {
    let options = uniform().self_loops(SelfLoops::Reject);
    let (line, reason) = parse_err("a b\nc c\n", options);
    assert_eq!(line, 2);
    assert!(
        reason.contains("self-loop") && reason.contains("`c`"),
        "{reason}"
    );
}

#[test]
fn error_duplicate_rejected_by_policy() {
    let options = uniform().duplicates(DuplicateTies::Reject);
    let (line, reason) = parse_err("a b\nb c\na b\n", options);
    assert_eq!(line, 3);
    assert!(reason.contains("first on line 1"), "{reason}");
    // Undirected: `b a` repeats the reverse copy of line 1.
    let (line, _) = parse_err("a b\nb a\n", options.undirected(true));
    assert_eq!(line, 2);
}

#[test]
fn error_text_that_is_not_utf8() {
    let bytes: &[u8] = b"a b\n\xff\xfe c\n";
    match read_edge_list(bytes, uniform()) {
        Err(Error::Parse { at, reason }) => {
            assert_eq!(at.line, 2);
            assert!(reason.contains("UTF-8"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn error_unreadable_file_names_the_path() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("no/such/edges.txt");
    match read_edge_list_file(&path, ReadOptions::default()) {
        Err(Error::Io { path: p, source }) => {
            assert!(p.ends_with("edges.txt"), "{p}");
            assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
        }
        other => panic!("{other:?}"),
    }
}

/// A reader that fails after its first line.
struct FailingReader(Cursor<&'static [u8]>);

impl Read for FailingReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.0.read(buf)
    }
}

impl BufRead for FailingReader {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.0.position() > 0 {
            return Err(std::io::Error::other("disk on fire"));
        }
        self.0.fill_buf()
    }
    fn consume(&mut self, amt: usize) {
        self.0.consume(amt)
    }
}

#[test]
fn error_failing_reader_is_an_io_error() {
    let reader = FailingReader(Cursor::new(b"a b\n"));
    match read_edge_list(reader, uniform()) {
        Err(Error::Io { path, source }) => {
            assert_eq!(path, "<reader>");
            assert!(source.to_string().contains("disk on fire"));
        }
        other => panic!("{other:?}"),
    }
}

// ---- the real data sets (README table of ../shared/data) ----

fn read_data(file: &str, options: ReadOptions) -> (InfluenceNetwork, ReadReport) {
    read_edge_list_file(crate::shared_data::path(file), options).unwrap()
}

#[test]
#[ignore = "needs ../shared/data"]
fn real_snap_and_weighted_files_match_the_readme_counts() {
    for (file, format, nodes, arcs) in [
        (
            "nethept_imm_graph_ic.inf",
            EdgeFormat::Weighted,
            15_229,
            62_752,
        ),
        ("soc-Epinions1.txt", EdgeFormat::Snap, 75_879, 508_837),
        ("Wiki-Vote.txt", EdgeFormat::Snap, 7_115, 103_689),
    ] {
        let options = ReadOptions::default().format(format);
        let options = match format {
            EdgeFormat::Snap => options.weights(WeightScheme::WeightedCascade),
            _ => options,
        };
        let (net, report) = read_data(file, options);
        assert_eq!(report.format, format, "{file}");
        assert_eq!(
            (net.customer_count(), net.tie_count()),
            (nodes, arcs),
            "{file}"
        );
        assert_eq!(
            (report.self_loops_skipped, report.duplicates_dropped),
            (0, 0),
            "{file}"
        );
        assert_eq!(report.data_lines, arcs, "{file}");
        // Auto-detection agrees with the declared format.
        if file != "soc-Epinions1.txt" {
            let (_, auto) = read_data(file, uniform());
            assert_eq!(auto.format, format, "{file}");
        }
    }
}

#[test]
#[ignore = "needs ../shared/data"]
fn real_signed_files_match_the_readme_counts_and_signs() {
    for (file, nodes, arcs, negative) in [
        ("soc-sign-bitcoinotc.csv", 5_881, 35_592, 3_563),
        ("soc-sign-bitcoinalpha.csv", 3_783, 24_186, 1_536),
    ] {
        let (net, report) = read_data(file, ReadOptions::default());
        assert_eq!(report.format, EdgeFormat::SignedCsv, "{file}");
        assert_eq!(
            (net.customer_count(), net.tie_count()),
            (nodes, arcs),
            "{file}"
        );
        let negatives = net
            .ties()
            .filter(|t| t.tie.sign == TieSign::Negative)
            .count();
        assert_eq!(negatives, negative, "{file}");
        assert!(net.ties().all(|t| t.tie.probability.get() > 0.0));
    }
}

#[test]
#[ignore = "needs ../shared/data"]
fn real_undirected_read_adds_every_reverse_arc_once() {
    // Wiki-Vote (CRLF lines) has 2,927 reciprocal pairs: 2 x 103,689 arcs, less
    // 5,854 reverse copies of arcs already listed, gives 201,524 distinct arcs
    // (counted with `tr -d '\r' | awk | sort -u`).
    let (net, report) = read_data("Wiki-Vote.txt", uniform().undirected(true));
    assert_eq!((net.customer_count(), net.tie_count()), (7_115, 201_524));
    assert_eq!(report.duplicates_dropped, 5_854);
    assert_eq!(
        net.tie_count() + report.duplicates_dropped,
        2 * report.data_lines
    );
    assert!(
        net.ties()
            .all(|t| net.tie(t.to.as_str(), t.from.as_str()) == Some(t.tie))
    );
    // NetHEPT already lists both directions: undirected adds nothing.
    let (net, report) = read_data(
        "nethept_imm_graph_ic.inf",
        ReadOptions::default().undirected(true),
    );
    assert_eq!(
        (net.tie_count(), report.duplicates_dropped),
        (62_752, 62_752)
    );
}

#[test]
#[ignore = "needs ../shared/data"]
fn real_trust_network_reversed_swaps_every_arc() {
    let options = ReadOptions::default();
    let (net, _) = read_data("soc-sign-bitcoinalpha.csv", options);
    let (reversed, report) = read_data("soc-sign-bitcoinalpha.csv", options.reverse(true));
    assert_eq!(reversed.tie_count(), 24_186);
    assert_eq!(report.duplicates_dropped, 0);
    assert!(
        net.ties()
            .all(|t| reversed.tie(t.to.as_str(), t.from.as_str()) == Some(t.tie))
    );
}
