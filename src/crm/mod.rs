//! Embedding in a CRM: real events in, explained states out.
//!
//! A CRM does not run a synthetic scenario: it records events (purchases,
//! refunds, referrals, reviews, NPS answers, support tickets, engagements) and
//! asks *where is this customer, and why; who are our advocates and
//! adversaries; who influences whom; what is word of mouth worth*. Webhooks
//! arrive in batches, retried (duplicated) and out of order, with the CRM's own
//! string ids; one bad record must not fail a batch; money must be exact and
//! carry its currency.
//!
//! ```
//! use social_loop::Stage;
//! use social_loop::crm::{CustomerBook, ExplainOptions, RankOptions};
//! let jsonl = r#"
//! {"id":"e1","at":"2024-03-01T10:00:00Z","customer":"ann","kind":{"type":"purchase"},"money":{"amount":"120.00","currency":"EUR"}}
//! {"id":"e3","at":"2024-03-09T10:00:00Z","customer":"bob","counterpart":"ann","kind":{"type":"referral"}}
//! {"id":"e2","at":"2024-03-05T10:00:00Z","customer":"ann","kind":{"type":"nps_response","score":10},"source":{"system":"survey"}}
//! {"id":"e1","at":"2024-03-01T10:00:00Z","customer":"ann","kind":{"type":"purchase"},"money":{"amount":"120.00","currency":"EUR"}}
//! {"id":"e4","at":"not a time","customer":"bob","kind":{"type":"purchase"}}
//! "#;
//! let mut book = CustomerBook::new();
//! let report = book.import_jsonl(jsonl.as_bytes())?;
//! assert_eq!((report.counts.applied, report.counts.duplicates, report.counts.rejected), (3, 1, 1));
//!
//! let why = book.explain("ann", ExplainOptions::default())?;
//! assert_eq!(why.stage, Stage::Advocate);
//! assert_eq!(why.moves[1].events[0].as_str(), "e2"); // the NPS answer of 10 made her an advocate
//! assert_eq!(why.moves[1].rule.to_string(), "customer+experience_delighted");
//!
//! let settings = social_loop::propagation::MonteCarloSettings::new(1_000, 0)?;
//! let ranking = book.rank(RankOptions::default().settings(settings))?;
//! assert_eq!(ranking.advocates[0].customer.as_str(), "ann");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Pieces
//! * [`Event`]: the envelope (schema version, id, [`Timestamp`], customer,
//!   counterpart, [`EventKind`], channel, [`Source`], [`SentimentReading`],
//!   [`Money`]); [`JsonLines`] reads it from JSON Lines without ever panicking,
//!   naming the JSON path of every rejected value.
//! * [`CustomerBook`]: applies events idempotently and in `(at, id)` order
//!   whatever the arrival order; [`import`](CustomerBook::import) returns one
//!   [`RecordOutcome`] per record (applied, duplicate, conflict, rejected, with
//!   [`Warning`]s), [`import_jsonl_each`](CustomerBook::import_jsonl_each)
//!   streams them in bounded memory; [`BookOptions`] say what is admitted
//!   (time window, strictness, [`IdPolicy`]); relationships grow an
//!   [`InfluenceNetwork`](crate::network::InfluenceNetwork);
//!   [`forget`](CustomerBook::forget) erases a customer ([`Forgotten`]).
//! * [`DurableBook`]: the book on disk, an append-only checksummed event log
//!   plus an optional snapshot, each append synced before it is acknowledged.
//! * [`CustomerBook::explain`] → [`Explanation`]: stage, every move with its
//!   event ids and [`RuleId`](crate::customer::RuleId), NPS, signed
//!   [`Factor`]s weighed by their part in the current stage.
//! * [`CustomerBook::rank`] → [`Ranking`]: advocates, adversaries and
//!   influencers by the reach the propagation engine expects of them (the
//!   crate's one [`InfluencerRanking`](crate::propagation::InfluencerRanking)).
//! * [`CustomerBook::referral_attribution`] → [`Attribution`]: who brought
//!   whom and the revenue of the chains, per currency, exact.
//! * [`SyntheticCrm`]: a seeded stream of realistic events to try it all on.

mod attribution;
mod book;
mod durable;
mod event;
mod explain;
mod intern;
mod jsonl;
mod money;
mod outcome;
mod rank;
mod synthetic;
mod time;
mod value;

pub use attribution::{Attribution, ReferralCredit};
pub use book::{BookNps, BookOptions, CustomerBook, Forgotten, IdPolicy, Revenue};
pub(crate) use book::{Code, NONE, Stored, effect};
pub use durable::{Durability, DurableBook, GROUP_COMMIT, LoadReport, TornTail};
pub use event::{
    Event, EventChannel, EventId, EventKind, MAX_ID_BYTES, Polarity, SCHEMA_VERSION,
    SentimentReading, Source,
};
pub use explain::{ExplainOptions, ExplainedMove, Explanation, Factor, FactorSign, NpsView};
pub use jsonl::{JsonLines, MAX_LINE_BYTES};
pub use money::{Currency, ExchangeRates, MAX_MAGNITUDE, MAX_SCALE, Money, MoneyTotals};
pub use outcome::{ImportReport, Outcome, OutcomeCounts, Position, RecordOutcome, Warning};
pub use rank::{RankOptions, Ranked, Ranking};
pub use synthetic::SyntheticCrm;
pub use time::Timestamp;
pub use value::{BookValueOptions, CurrencyValues};
