//! The durable book (issue 18, point 7): log plus snapshot reloads to the
//! same book, a torn last line is dropped and reported, and no damaged byte
//! loads a different book silently. The crash test with a killed writer
//! process is `tests/processes.rs`.

use super::*;
use social_loop::crm::{BookOptions, Durability, DurableBook, SyntheticCrm};

/// A fresh directory under the system's temporary folder.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("social-loop-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn synthetic() -> Vec<Event> {
    SyntheticCrm::new(60).days(60).seed(3).events().unwrap()
}

#[test]
fn log_and_snapshot_reload_to_the_same_book() {
    let dir = scratch("reload");
    let events = synthetic();
    let (first, rest) = events.split_at(events.len() / 2);
    let mut store = DurableBook::create(&dir, BookOptions::default())
        .unwrap()
        .durability(Durability::Flush);
    let mut acknowledged = 0;
    store.import_each(first, |_| acknowledged += 1).unwrap();
    assert_eq!(acknowledged, first.len());
    store.snapshot().unwrap();
    for e in rest.iter().take(20) {
        store.apply(e).unwrap();
    }
    let counts = store.import_each(&rest[20..], |_| {}).unwrap();
    assert_eq!(counts.records() as usize, rest.len() - 20);
    let expected = fingerprint(store.book());
    drop(store);

    let (back, report) = DurableBook::open(&dir).unwrap();
    assert_eq!(fingerprint(back.book()), expected);
    assert_eq!(report.snapshot_events as usize, first.len());
    assert_eq!(
        (report.snapshot_events + report.log_events) as usize,
        back.book().event_count()
    );
    assert!(report.torn.is_none() && !report.stale_log);
    // The same events in one in-memory import give the same book too.
    assert_eq!(fingerprint(&book_of(&events)), expected);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_torn_last_line_is_dropped_reported_and_the_log_goes_on() {
    let dir = scratch("torn");
    let events = synthetic();
    let mut store = DurableBook::create(&dir, BookOptions::default()).unwrap();
    for e in &events[..10] {
        assert!(store.apply(e).unwrap().is_applied());
    }
    drop(store);
    let log = dir.join("events.log");
    let whole = std::fs::read(&log).unwrap();
    // The first 100 bytes of the next record, as a crash mid-write leaves them.
    let mut next = Vec::new();
    serde_json::to_writer(&mut next, &events[10]).unwrap();
    let torn = format!(
        "{{\"crc\":\"00000000\",\"event\":{}",
        String::from_utf8_lossy(&next)
    );
    let mut damaged = whole.clone();
    damaged.extend_from_slice(&torn.as_bytes()[..100]);
    std::fs::write(&log, &damaged).unwrap();

    let (mut back, report) = DurableBook::open(&dir).unwrap();
    let tail = report.torn.clone().expect("reported");
    assert_eq!((tail.line, tail.bytes), (12, 100));
    assert_eq!(back.book().event_count(), 10);
    assert_eq!(
        std::fs::read(&log).unwrap(),
        whole,
        "truncated to the last whole line"
    );
    back.apply(&events[10]).unwrap();
    drop(back);
    let (again, report) = DurableBook::open(&dir).unwrap();
    assert_eq!(again.book().event_count(), 11);
    assert!(report.torn.is_none());

    // A whole record that lost only its new line is kept.
    let whole = std::fs::read(&log).unwrap();
    std::fs::write(&log, &whole[..whole.len() - 1]).unwrap();
    let (kept, report) = DurableBook::open(&dir).unwrap();
    assert_eq!(kept.book().event_count(), 11);
    assert!(report.torn.is_none());
    assert_eq!(std::fs::read(&log).unwrap(), whole);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn no_damaged_byte_loads_a_different_book_silently() {
    let dir = scratch("damage");
    let events = synthetic();
    let mut store = DurableBook::create(&dir, BookOptions::default())
        .unwrap()
        .durability(Durability::Flush);
    store.import_each(&events[..200], |_| {}).unwrap();
    store.snapshot().unwrap();
    store.import_each(&events[200..300], |_| {}).unwrap();
    let expected = fingerprint(store.book());
    drop(store);
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let (mut refused, mut reported, mut same) = (0, 0, 0);
    for round in 0..40 {
        let file = dir.join(if round % 2 == 0 {
            "events.log"
        } else {
            "snapshot.jsonl"
        });
        let original = std::fs::read(&file).unwrap();
        let mut damaged = original.clone();
        let at = (next() % original.len() as u64) as usize;
        let flip = 1u8 << (next() % 8);
        damaged[at] ^= flip;
        std::fs::write(&file, &damaged).unwrap();
        match DurableBook::open(&dir) {
            Err(e) => {
                assert!(e.is_parse() || e.is_invalid_parameter(), "{e}");
                refused += 1;
            }
            Ok((book, report)) => {
                if report.torn.is_some() {
                    reported += 1; // the last byte of the log: a torn tail, said so
                } else {
                    assert_eq!(fingerprint(book.book()), expected, "byte {at} of {file:?}");
                    same += 1;
                }
            }
        }
        std::fs::write(&file, &original).unwrap();
    }
    assert_eq!(refused + reported + same, 40);
    assert!(
        refused >= 36,
        "refused {refused}, reported {reported}, same {same}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn forgetting_rewrites_the_files() {
    let dir = scratch("forget");
    let events = synthetic();
    let mut store = DurableBook::create(&dir, BookOptions::default())
        .unwrap()
        .durability(Durability::Flush);
    store.import_each(&events, |_| {}).unwrap();
    let who = events[0].customer.to_string();
    let gone = store.forget(&who).unwrap();
    assert!(gone.events > 0);
    for name in ["events.log", "snapshot.jsonl"] {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        assert!(
            !text.contains(&format!("\"{who}\"")),
            "{name} still names {who}"
        );
    }
    let expected = fingerprint(store.book());
    drop(store);
    let (back, _) = DurableBook::open(&dir).unwrap();
    assert_eq!(fingerprint(back.book()), expected);
    assert!(DurableBook::create(&dir, BookOptions::default()).is_err());
    std::fs::remove_dir_all(&dir).unwrap();
}
