//! Tests that need a process of their own (issue 18, points 7 and 8). This
//! binary is its own child: run with `--writer DIR START` it appends events to
//! a durable book and prints each acknowledgement; with `--import FILE MODE`
//! it imports a JSON Lines file and prints its peak memory. Run plainly (as
//! `cargo test` does) it runs the two tests below, which spawn it:
//!
//! * **crash**: a writer is killed (SIGKILL) mid-append, five times on the
//!   same book; each time the book reopens with every acknowledged event.
//! * **bounded memory**: a file ten times larger than the memory allowed is
//!   imported by [`CustomerBook::import_jsonl_each`] within that memory (peak resident memory, `VmHWM`, of the child), which
//!   the collecting [`CustomerBook::import_jsonl`] exceeds on the same file.
//!
//! `harness = false` in Cargo.toml: libtest cannot re-enter one test by
//! itself as a child, and a test that returned early when not a child would
//! pass without testing anything.
// A failure here is the verdict: unwrap, expect and panic are the asserts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use social_loop::crm::{
    BookOptions, CustomerBook, Durability, DurableBook, Event, EventId, EventKind, Timestamp,
};

/// 2024-03-01T08:00:00Z.
const T0: i64 = 1_709_280_000_000;

/// The `i`-th event the writer appends: a large one (2 MB) every seventh, so
/// that a kill can land inside a write of many pages (Linux stops a write to
/// a file between pages when the writer is killed, which tears the line).
fn event(i: u64) -> Event {
    let at = Timestamp::from_unix_millis(T0 + i as i64 * 60_000).unwrap();
    let customer = format!("c{}", i % 97);
    let kind = if i % 7 == 3 {
        let mut fields = serde_json::Map::new();
        fields.insert("blob".into(), "x".repeat(2_000_000).into());
        EventKind::Other {
            kind: "transcript".into(),
            fields,
        }
    } else {
        EventKind::Purchase
    };
    Event::new(EventId::new(format!("e{i}")).unwrap(), at, customer, kind)
}

/// The child: append events from `start` on, printing `ack i` after each.
fn writer(dir: &Path, start: u64, durability: Durability) {
    let store = if start == 0 {
        DurableBook::create(dir, BookOptions::default()).unwrap()
    } else {
        DurableBook::open(dir).unwrap().0
    };
    let mut store = store.durability(durability);
    let mut out = std::io::stdout().lock();
    for i in start.. {
        let outcome = store.apply(&event(i)).unwrap();
        assert!(outcome.is_applied(), "{outcome:?}");
        writeln!(out, "ack {i}").unwrap();
        out.flush().unwrap();
    }
}

/// Whether `log` ends inside a line (an append is being written).
fn mid_write(log: &Path) -> bool {
    use std::io::{Read, Seek, SeekFrom};
    let Ok(mut file) = std::fs::File::open(log) else {
        return false;
    };
    let mut last = [0u8];
    file.seek(SeekFrom::End(-1)).is_ok() && file.read_exact(&mut last).is_ok() && last[0] != b'\n'
}

fn me() -> PathBuf {
    std::env::current_exe().unwrap()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("social-loop-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Kills a writer after a number of acknowledgements, five times on one
/// book, and checks that reopening keeps every acknowledged event.
fn crash_and_reload() {
    let dir = scratch("crash");
    let mut next = 0u64;
    let mut torn = 0;
    for (round, acks) in [40u64, 7, 91, 23, 60].into_iter().enumerate() {
        let durability = if round % 2 == 0 { "data" } else { "flush" };
        let mut child = Command::new(me())
            .args([
                "--writer",
                &dir.display().to_string(),
                &next.to_string(),
                durability,
            ])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut acknowledged = BTreeSet::new();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        while (acknowledged.len() as u64) < acks {
            let line = lines.next().expect("the writer died early").unwrap();
            let i: u64 = line.strip_prefix("ack ").unwrap().parse().unwrap();
            acknowledged.insert(i);
        }
        // Kill mid-append: as soon as the log does not end with a whole line
        // (a write in progress), or after two seconds of trying.
        let log = dir.join("events.log");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
        while !mid_write(&log) && std::time::Instant::now() < deadline {}
        child.kill().unwrap(); // SIGKILL: no destructor, no flush
        child.wait().unwrap();
        // Acknowledgements printed after the last one read count too.
        for line in lines {
            let Ok(line) = line else { break };
            if let Some(i) = line.strip_prefix("ack ").and_then(|i| i.parse().ok()) {
                acknowledged.insert(i);
            }
        }
        let (store, report) = DurableBook::open(&dir).unwrap();
        torn += usize::from(report.torn.is_some());
        let book = store.book();
        for i in &acknowledged {
            assert!(
                book.contains_event(&format!("e{i}")),
                "round {round}: acknowledged e{i} lost"
            );
        }
        // Exactly the events appended so far, in order: e0 .. e(count - 1).
        let count = book.event_count() as u64;
        assert!(count > *acknowledged.last().unwrap(), "round {round}");
        for i in 0..count {
            assert!(
                book.contains_event(&format!("e{i}")),
                "round {round}: a gap at e{i}"
            );
        }
        println!(
            "crash round {round} ({durability}): {} acknowledged, {count} events reloaded, torn tail: {:?}",
            acknowledged.len(),
            report.torn
        );
        next = count;
    }
    println!("crash: {torn} of 5 kills tore the last line");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Peak resident memory of this process, in bytes (`VmHWM`).
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    let kb: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kb * 1024
}

/// The child: import `file`, then print the counts and the peak memory.
fn import(file: &Path, mode: &str) {
    let mut book = CustomerBook::with_options(
        BookOptions::default().now(Timestamp::from_unix_millis(T0).unwrap()),
    );
    let reader = BufReader::with_capacity(1 << 16, std::fs::File::open(file).unwrap());
    let (records, rejected) = match mode {
        "streaming" => {
            let mut rejected = 0u64;
            let counts = book
                .import_jsonl_each(reader, |r| rejected += u64::from(!r.outcome.is_applied()))
                .unwrap();
            (counts.records(), rejected)
        }
        _ => {
            let report = book.import_jsonl(reader).unwrap();
            let records = report.outcomes.len() as u64;
            (records, report.counts.records() - report.counts.applied)
        }
    };
    println!("{records} {rejected} {} {}", book.event_count(), peak_rss());
}

/// Generated webhook traffic: 5,000 events, then their retries, conflicts and
/// bad records until the file reaches `bytes`.
fn write_export(path: &Path, bytes: u64) -> u64 {
    let mut out = BufWriter::new(std::fs::File::create(path).unwrap());
    let mut written = 0u64;
    let mut lines = 0u64;
    let mut i = 0u64;
    while written < bytes {
        let n = i % 5_000;
        let day = n / 100;
        let line = match (i / 5_000, i % 3) {
            (0, _) | (_, 0) => format!(
                r#"{{"id":"e{n}","at":"2024-02-{:02}T10:00:00Z","customer":"c{}","kind":{{"type":"purchase"}},"money":{{"amount":"{}.00","currency":"EUR"}},"source":{{"system":"shop","actor":"webhook-retry"}}}}"#,
                1 + day % 28,
                n % 700,
                10 + n % 90
            ),
            (_, 1) => format!(
                r#"{{"id":"e{n}","at":"2024-02-{:02}T10:00:00Z","customer":"c{}","kind":{{"type":"purchase"}},"money":{{"amount":"1000.00","currency":"EUR"}},"source":{{"system":"shop","actor":"conflicting-retry"}}}}"#,
                1 + day % 28,
                n % 700
            ),
            _ => format!(
                r#"{{"id":"bad{i}","at":1709294400,"customer":"c{}","kind":{{"type":"purchase"}},"note":"seconds read as milliseconds"}}"#,
                n % 700
            ),
        };
        out.write_all(line.as_bytes()).unwrap();
        out.write_all(b"\n").unwrap();
        written += line.len() as u64 + 1;
        lines += 1;
        i += 1;
    }
    out.flush().unwrap();
    lines
}

/// Imports a 160 MiB export with a 16 MiB bound on peak memory.
fn bounded_memory_import() {
    const LIMIT: u64 = 16 << 20;
    const FILE: u64 = 160 << 20;
    let dir = scratch("memory");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("export.jsonl");
    let lines = write_export(&file, FILE);
    let run = |mode: &str| -> (u64, u64, u64, u64) {
        let out = Command::new(me())
            .args(["--import", &file.display().to_string(), mode])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        let v: Vec<u64> = text
            .split_whitespace()
            .map(|n| n.parse().unwrap())
            .collect();
        (v[0], v[1], v[2], v[3])
    };
    let (records, rejected, events, peak) = run("streaming");
    println!(
        "bounded memory: {} MiB file, {lines} lines; streaming import peak {:.1} MiB (limit {} MiB)",
        FILE >> 20,
        peak as f64 / (1 << 20) as f64,
        LIMIT >> 20
    );
    assert_eq!(records, lines);
    assert_eq!(events, 5_000);
    assert_eq!(rejected, lines - 5_000);
    assert!(peak < LIMIT, "streaming import peaked at {peak} bytes");
    // The collecting import keeps an outcome per line: the bound would not hold.
    let (records, _, _, collecting) = run("collecting");
    println!(
        "bounded memory: collecting import peak {:.1} MiB",
        collecting as f64 / (1 << 20) as f64
    );
    assert_eq!(records, lines);
    assert!(
        collecting > LIMIT,
        "the limit does not discriminate: {collecting}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("--writer") => {
            let durability = match args.get(4).map(String::as_str) {
                Some("flush") => Durability::Flush,
                _ => Durability::Data,
            };
            writer(Path::new(&args[2]), args[3].parse().unwrap(), durability);
        }
        Some("--import") => import(Path::new(&args[2]), &args[3]),
        _ => {
            // `cargo test -- --list` (IDEs, nextest) asks for names only.
            if args.iter().any(|a| a == "--list") {
                println!("crash_and_reload: test\nbounded_memory_import: test");
                return;
            }
            let tests: [(&str, fn()); 2] = [
                ("crash_and_reload", crash_and_reload),
                ("bounded_memory_import", bounded_memory_import),
            ];
            let filters: Vec<&String> = args
                .iter()
                .skip(1)
                .filter(|a| !a.starts_with('-'))
                .collect();
            let mut passed = 0;
            for (name, test) in tests {
                if filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str())) {
                    println!("test {name} ...");
                    test();
                    println!("test {name} ... ok");
                    passed += 1;
                }
            }
            println!("{passed} passed, 0 failed");
        }
    }
}
