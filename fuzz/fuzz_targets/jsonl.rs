//! The JSON Lines event reader and the book behind it, on any bytes: no
//! panic, every line accounted for, and an import that fails changes nothing
//! it did not report.
#![no_main]

use libfuzzer_sys::fuzz_target;
use social_loop::crm::{BookOptions, CustomerBook, JsonLines, Timestamp};

fuzz_target!(|data: &[u8]| {
    let lines = JsonLines::new(data).count();
    let now = Timestamp::from_unix_millis(1_709_280_000_000).expect("2024");
    for strict in [false, true] {
        let mut book = CustomerBook::with_options(BookOptions::default().strict(strict).now(now));
        let mut records = 0usize;
        let counts = book
            .import_jsonl_each(data, |_| records += 1)
            .expect("reading memory does not fail");
        assert_eq!(counts.records() as usize, records);
        assert!(records <= lines);
        assert_eq!(book.event_count() as u64, counts.applied);
        // What was applied explains and serialises without panicking.
        for (id, _) in book.customers() {
            let _ = book.explain(id.as_str(), Default::default());
        }
        let _ = serde_json::to_string(&book);
    }
});
