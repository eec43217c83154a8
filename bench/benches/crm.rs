//! CRM event book: events applied per second on one thread, memory per
//! customer and per event, replies to one counterpart against replies spread
//! over many, and the time to rank influencers on a book of 100,000 customers.
//!
//! `cargo bench -p social_loop_bench --bench crm` (add `-- --quick` for a short
//! run; `-- crm_ties` for the replies alone). The memory
//! figures are measured with a counting global allocator and printed before
//! the timings.
// A failure here is the verdict: unwrap, expect and panic are the asserts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicIsize, Ordering};

use criterion::{BatchSize, Criterion, Throughput};
use social_loop::crm::{
    CustomerBook, Event, EventId, EventKind, RankOptions, SyntheticCrm, Timestamp,
};

/// Counts live heap bytes.
struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn live() -> isize {
    LIVE.load(Ordering::Relaxed)
}

/// The events of `customers` synthetic customers over a year.
fn year_of(customers: usize) -> Vec<Event> {
    SyntheticCrm::new(customers)
        .seed(1)
        .events()
        .expect("valid synthetic settings")
}

/// The same events in a realistic arrival order: 5% arrive late (up to two
/// thousand positions after their place), 2% twice.
fn arrival_order(events: &[Event]) -> Vec<Event> {
    let mut out: Vec<Event> = events.to_vec();
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let n = out.len();
    for i in 0..n {
        if next() % 100 < 5 {
            let j = (i + (next() % 2_000) as usize).min(n - 1);
            out.swap(i, j);
        }
    }
    let duplicates: Vec<Event> = out.iter().filter(|_| next() % 100 < 2).cloned().collect();
    let step = (n / duplicates.len().max(1)).max(1);
    for (k, d) in duplicates.into_iter().enumerate() {
        out.insert((k * (step + 1) + step / 2).min(out.len()), d);
    }
    out
}

fn memory_report() {
    // (a) every customer with one event; (b) the full year of the same
    // customers. The difference gives bytes per event, then per customer.
    let customers = 100_000;
    let events = year_of(customers);
    let mut first: Vec<Event> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for e in &events {
        if seen.insert(e.customer.clone()) {
            first.push(e.clone());
        }
    }
    let id_bytes: usize = events.iter().map(|e| e.id.as_str().len()).sum();
    println!(
        "crm memory: {} customers, {} events ({:.1} per customer), event ids {:.1} bytes on average",
        customers,
        events.len(),
        events.len() as f64 / customers as f64,
        id_bytes as f64 / events.len() as f64
    );
    for shrink in [false, true] {
        let build = |events: &[Event]| {
            let before = live();
            let mut book = CustomerBook::new();
            book.import_each(events, |_| {});
            if shrink {
                book.shrink_to_fit();
            }
            (live() - before, book)
        };
        let (one_each, book) = build(&first);
        let people = book.customer_count();
        drop(book);
        let (full, book) = build(&events);
        let per_event = (full - one_each) as f64 / (events.len() - first.len()) as f64;
        let per_customer = (one_each as f64 - first.len() as f64 * per_event) / people as f64;
        println!(
            "crm memory ({}): book {:.1} MB (heap_bytes() {:.1} MB, network {} ties); \
             {per_event:.1} bytes per event kept, {per_customer:.1} bytes per customer",
            if shrink {
                "after shrink_to_fit"
            } else {
                "as grown"
            },
            full as f64 / 1e6,
            book.heap_bytes() as f64 / 1e6,
            book.network().tie_count(),
        );
    }
}

fn bench_apply(c: &mut Criterion) {
    let events = year_of(100_000);
    let arrivals = arrival_order(&events);
    let mut group = c.benchmark_group("crm_apply");
    group.sample_size(10);
    group.throughput(Throughput::Elements(events.len() as u64));
    group.bench_function("in_time_order_1_thread", |b| {
        b.iter_batched(
            CustomerBook::new,
            |mut book| {
                book.import_each(&events, |_| {});
                book
            },
            BatchSize::LargeInput,
        )
    });
    group.throughput(Throughput::Elements(arrivals.len() as u64));
    group.bench_function("arrival_order_5pc_late_2pc_dup_1_thread", |b| {
        b.iter_batched(
            CustomerBook::new,
            |mut book| {
                book.import_each(&arrivals, |_| {});
                book
            },
            BatchSize::LargeInput,
        )
    });
    group.bench_function("one_by_one_apply_arrival_order", |b| {
        b.iter_batched(
            CustomerBook::new,
            |mut book| {
                for e in &arrivals {
                    black_box(book.apply(e));
                }
                book
            },
            BatchSize::LargeInput,
        )
    });
    let mut jsonl = Vec::new();
    for e in &arrivals {
        serde_json::to_writer(&mut jsonl, e).expect("serialisable");
        jsonl.push(b'\n');
    }
    group.throughput(Throughput::Bytes(jsonl.len() as u64));
    group.bench_function("jsonl_parse_and_apply", |b| {
        b.iter_batched(
            CustomerBook::new,
            |mut book| {
                book.import_jsonl(&jsonl[..]).expect("in memory");
                book
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

fn bench_rank(c: &mut Criterion) {
    let mut book = CustomerBook::new();
    book.import_each(year_of(100_000), |_| {});
    println!(
        "crm rank: book of {} customers, {} events, network {} customers / {} ties, \
         {} advocates, {} adversaries",
        book.customer_count(),
        book.event_count(),
        book.network().customer_count(),
        book.network().tie_count(),
        book.stage_counts()[social_loop::Stage::Advocate],
        book.stage_counts()[social_loop::Stage::Adversary],
    );
    let mut group = c.benchmark_group("crm_rank");
    group.sample_size(10);
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool");
        group.bench_function(
            format!("100k_customers_default_options_{threads}_threads"),
            |b| b.iter(|| pool.install(|| book.rank(RankOptions::default()).expect("ranks"))),
        );
    }
    group.finish();
}

/// `replies` social posts replying to `counterparts` people (round robin),
/// each by a different customer, in time order.
fn replies(replies: usize, counterparts: usize) -> Vec<Event> {
    let start = Timestamp::from_unix_millis(1_709_280_000_000).expect("2024");
    (0..replies)
        .map(|i| {
            let at = Timestamp::from_unix_millis(start.unix_millis() + i as i64 * 1_000)
                .expect("in range");
            Event::new(
                EventId::new(format!("p{i}")).expect("id"),
                at,
                format!("fan{i}"),
                EventKind::SocialPost,
            )
            .counterpart(format!("star{}", i % counterparts))
        })
        .collect()
}

/// Replies to one celebrity account against the same number spread over
/// 1,000 accounts: the two should cost about the same per event (issue 18).
fn bench_ties(c: &mut Criterion) {
    let mut group = c.benchmark_group("crm_ties");
    group.sample_size(10);
    let n = 40_000;
    let cases = [
        ("40k_replies_to_1", replies(n, 1)),
        ("40k_replies_over_1000", replies(n, 1_000)),
    ];
    group.throughput(Throughput::Elements(n as u64));
    // Criterion runs each function in turn; the two cases are measured one
    // after the other in the same process, so the ratio is side by side.
    for (name, events) in &cases {
        group.bench_function(*name, |b| {
            b.iter_batched(
                CustomerBook::new,
                |mut book| {
                    book.import_each(events, |_| {});
                    book
                },
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    bench_ties(&mut c);
    // `-- crm_ties` measures the replies alone: skip building the large books.
    if std::env::args().any(|a| a == "crm_ties") {
        c.final_summary();
        return;
    }
    memory_report();
    bench_apply(&mut c);
    bench_rank(&mut c);
    c.final_summary();
}
