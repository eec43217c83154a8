//! The CRM book: idempotent, order-independent, all-or-nothing per record,
//! explained, exact in money, and never panicking on input.

mod durable;
mod explain;
mod ingest;
mod network;
mod order;
mod records;
mod regressions;
mod value;

use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use social_loop::brand::EngagementKind;
use social_loop::crm::{
    Currency, CustomerBook, Event, EventChannel, EventId, EventKind, ExchangeRates, ExplainOptions,
    FactorSign, Money, MoneyTotals, Outcome, Polarity, Position, RankOptions, SentimentReading,
    Source, Timestamp,
};
use social_loop::customer::{Channel, LikelihoodToRecommend, NpsClass, Topic};
use social_loop::network::Tie;
use social_loop::propagation::MonteCarloSettings;
use social_loop::{Error, Probability, Stage};

const DAY: i64 = 86_400_000;
const T0: i64 = 1_709_280_000_000; // 2024-03-01T08:00:00Z

fn eur() -> Currency {
    Currency::new("EUR").unwrap()
}

fn usd() -> Currency {
    Currency::new("USD").unwrap()
}

fn at(day: i64) -> Timestamp {
    Timestamp::from_unix_millis(T0 + day * DAY).unwrap()
}

fn ev(id: &str, day: i64, customer: &str, kind: EventKind) -> Event {
    Event::new(EventId::new(id).unwrap(), at(day), customer, kind)
}

fn money(cents: i64, currency: Currency) -> Money {
    Money::new(Decimal::new(cents, 2), currency)
}

fn voice(polarity: Polarity, confidence: f64) -> SentimentReading {
    SentimentReading::new(polarity, Probability::new(confidence).unwrap())
}

fn nps(score: u8) -> EventKind {
    EventKind::NpsResponse {
        score: LikelihoodToRecommend::new(score).unwrap(),
        experience: true,
    }
}

fn ticket(kind: fn(String) -> EventKind, id: &str) -> EventKind {
    kind(id.to_string())
}

fn opened(t: String) -> EventKind {
    EventKind::TicketOpened { ticket: t }
}

fn resolved(t: String) -> EventKind {
    EventKind::TicketResolved { ticket: t }
}

/// Everything observable about a book, in a canonical (id-sorted) form.
fn fingerprint(book: &CustomerBook) -> Value {
    let mut customers: Vec<_> = book
        .customers()
        .map(|(id, s)| (id.to_string(), serde_json::to_value(s).unwrap()))
        .collect();
    customers.sort_by(|a, b| a.0.cmp(&b.0));
    let explanations: Vec<Value> = customers
        .iter()
        .map(|(id, _)| {
            serde_json::to_value(book.explain(id, ExplainOptions::default()).unwrap()).unwrap()
        })
        .collect();
    let mut ties: Vec<(String, String, f64, String)> = book
        .network()
        .ties()
        .map(|t| {
            (
                t.from.to_string(),
                t.to.to_string(),
                t.tie.probability.get(),
                format!("{:?}", t.tie.sign),
            )
        })
        .collect();
    ties.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    let mut events_by_customer: Vec<Value> = customers
        .iter()
        .map(|(id, _)| serde_json::to_value(book.events_of(id).unwrap()).unwrap())
        .collect();
    events_by_customer.sort_by_key(|v| v.to_string());
    json!({
        "customers": customers,
        "explanations": explanations,
        "ties": ties,
        "events": events_by_customer,
        "stages": book.stage_counts(),
        "funnel": book.funnel(),
        "nps": book.nps(),
        "revenue": book.revenue().unwrap(),
        "attribution": book.referral_attribution().unwrap(),
        "ranking": book.rank(RankOptions::default().settings(MonteCarloSettings::new(64, 0).unwrap()).shortlist(50)).unwrap(),
        "latest": book.latest(),
        "event_count": book.event_count(),
    })
}

fn book_of(events: &[Event]) -> CustomerBook {
    let mut book = CustomerBook::new();
    let report = book.import(events);
    assert_eq!(
        report.counts.rejected,
        0,
        "{:?}",
        report.rejections().collect::<Vec<_>>()
    );
    book
}
