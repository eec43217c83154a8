//! The edge-list readers (SNAP, weighted, signed CSV, and detection) on any
//! bytes, with every policy: an error or a network, never a panic, and a
//! network whose counts agree with the report.
#![no_main]

use libfuzzer_sys::fuzz_target;
use social_loop::network::io::{DuplicateTies, EdgeFormat, ReadOptions, SelfLoops, read_edge_list};

fuzz_target!(|data: &[u8]| {
    let Some((&switch, text)) = data.split_first() else {
        return;
    };
    let format = [
        EdgeFormat::Auto,
        EdgeFormat::Snap,
        EdgeFormat::Weighted,
        EdgeFormat::SignedCsv,
    ][usize::from(switch & 3)];
    let undirected = switch & 4 != 0;
    let options = ReadOptions::default()
        .format(format)
        .undirected(undirected)
        .self_loops(if switch & 8 != 0 {
            SelfLoops::Reject
        } else {
            SelfLoops::Skip
        })
        .duplicates(match (switch >> 4) & 3 {
            0 => DuplicateTies::KeepFirst,
            1 => DuplicateTies::KeepLast,
            _ => DuplicateTies::Reject,
        });
    if let Ok((network, report)) = read_edge_list(text, options) {
        let arcs = report.data_lines * (1 + usize::from(undirected))
            - report.self_loops_skipped
            - report.duplicates_dropped;
        assert_eq!(network.tie_count(), arcs);
        assert_eq!(report.lines, report.comment_lines + report.data_lines);
    }
});
