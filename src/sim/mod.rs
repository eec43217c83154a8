//! The value loop: a [`Scenario`] run period by period into a [`Report`].
//!
//! ```
//! use social_loop::sim::{run, GeneratedNetwork, NetworkSpec, Scenario};
//! use social_loop::value::Actor;
//! let scenario = Scenario::default()
//!     .network(NetworkSpec::Generated(GeneratedNetwork::micro_communities(2_000, 50, 10.0)?))
//!     .horizon(13);
//! let report = run(&scenario)?;
//! let last = report.last().ok_or("no period")?;
//! assert_eq!(last.stages.total(), 2_000); // customers are conserved
//! println!("advocates after a quarter: {}", last.funnel.advocacy);
//! println!("value created by customers: {}", report.totals.value.for_actor(Actor::Customer));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # One period
//!
//! 1. **Word of mouth** (phase A): each advocate talks with
//!    [`Rates::advocate_talk`] (more when an advocacy programme lands on them),
//!    each adversary with [`Rates::adversary_talk`]; a message crosses each
//!    out-tie with the tie's probability, and a distrustful tie flips it. If the
//!    brand listens, it hears each talking speaker with [`Rates::listen_capture`].
//! 2. **Customers** (phase B, see [below](self#customers)): exposure,
//!    engagements (relevance x the ownership's relevance factor), contacts with
//!    departments (experiences, consistent with the ownership's consistency),
//!    the word of mouth received, purchases (own, referral, discount), drift.
//!    Every cause moves the customer through the transition table of
//!    [`crate::customer`] with [`Rates::transitions`].
//! 3. **Ledger**: sales by who caused them ([`ValueKind`](crate::value::ValueKind):
//!    purchase, referral sale, engagement return, change return), customer
//!    feedback that reached the business, engagement costs with the ownership's
//!    coordination overhead, referral rewards, change costs.
//! 4. **Business**: the feedback that reached it (by the ownership's feedback
//!    reach) goes into the [`FeedbackBacklog`](crate::business::FeedbackBacklog);
//!    the [`ChangePolicy`](crate::business::ChangePolicy) commissions changes,
//!    which after their lag cut the probability of a bad experience.
//!
//! # Who owns social media: only through mechanisms
//!
//! The [`Ownership`](crate::brand::Ownership) model acts through four levers,
//! never through a bonus: the **consistency** of experiences (an inconsistent
//! experience is a disappointing one, which can turn a customer or an advocate
//! around), the **feedback reach** (feedback that does not reach the business
//! never becomes a change, so experiences stay as bad as they were), the
//! **relevance factor** of engagements, and the **coordination overhead** on
//! engagement costs. The example `who_owns_social` compares the models on the
//! same seeds.
//!
//! # Customers
//!
//! Each customer's step reads only their own state at the start of the period
//! and the word of mouth sent to them in phase A, and goes through the causes in
//! this order:
//!
//! 1. **Exposure** (unaware only) outside the plan, at [`Rates::exposure`].
//! 2. **Engagements** that run this period, in plan order: each lands with the
//!    relevance model's probability (times the ownership's relevance factor);
//!    one that does not land is noticed as irrelevant noise with
//!    [`Rates::notice_irrelevant`]. A conversation or a service recovery that
//!    lands is a contact with a department, so an experience: with the
//!    ownership's consistency it is consistent (service recovery, which can win
//!    back an adversary or a lapsed customer and lifts the mood after a bad
//!    experience, for those who need it; a relevant engagement for the others);
//!    if not, it is a disappointing experience. A service recovery only touches
//!    those who need it (adversaries, lapsed customers, customers whose last
//!    experience was bad). A discount that lands makes buying more likely this
//!    period.
//! 3. **Contact** with a department (anyone aware of the brand), at
//!    [`Rates::contact`]: an experience.
//! 4. **Word of mouth** received, each message a cause, in a random order.
//! 5. **Purchase**: repeat purchase (customers, advocates) at the purchase
//!    frequency or own conversion (prospects) at [`Rates::conversion`]; else a
//!    referral sale (prospects who heard praise); else a discount sale. A
//!    purchase is an experience at the sales touchpoint.
//! 6. **Drift**: after [`Rates::lapse_after`] periods without contact
//!    (engagement landed, experience, purchase), the no-contact cause.
//!
//! **Experiences.** With the ownership's consistency the experience is
//! consistent; if not, it is disappointing ("an inconsistent experience is a
//! disappointing one"). A consistent experience is bad with the business's
//! probability of a bad experience (cut by the changes in effect; outrageous
//! with [`Rates::outrage_share`], else disappointing) and otherwise good
//! (delightful with [`Rates::delight_share`]). After an experience the customer
//! gives feedback with [`Rates::feedback`] (a complaint after a bad one), which
//! reaches the business with the ownership's feedback reach.
//!
//! Each cause moves the customer by the transition table with
//! [`Rates::transitions`]. Nothing in a customer's step reads another customer's
//! state, so the blocks can run in any order on any number of threads.
//!
//! # Determinism
//!
//! Customers are processed in fixed blocks of 4,096; every (seed, period,
//! block, phase) has its own `Xoshiro256PlusPlus` stream, seeded by SplitMix64
//! mixing. Updates are two-phase (word of mouth is computed from the states at
//! the start of the period, then every customer moves), and word of mouth is
//! added into counters, so the report is the same for any number of rayon
//! threads.
//!
//! # Memory
//!
//! Per customer: the state (16 bytes), word-of-mouth counters (24), profile,
//! last contact and flags (7), plus the compiled network's node arrays, the id
//! and the id index (see [`CompiledNetwork`](crate::propagation::CompiledNetwork)):
//! roughly 150 bytes. Per tie: the compiled network's 8.125 bytes (the reverse
//! arrays are not built). The petgraph network a generated scenario starts from
//! is dropped once compiled, but it sets the peak: about 580 MB of resident
//! memory for a million customers and ten million ties.
//!

mod attribution;
mod book;
mod period;
mod population;
mod report;
mod rng;
mod scenario;
mod simulation;
mod talk;

pub use attribution::{ActorValues, Attribution};
pub use report::{
    CustomerAudit, MoveCount, PeriodReport, Report, RunTotals, StageCounts, TransitionCounts,
    TriggerCount,
};
pub use scenario::{
    AuditOptions, BusinessSpec, GeneratedNetwork, NetworkModel, NetworkSpec, Period,
    PopulationSpec, Prices, ProfileShare, Rates, Scenario, Seeds, StageMix, WordOfMouth,
    WordOfMouthModel, default_plan,
};
pub use simulation::Simulation;

use crate::error::Result;

/// Runs `scenario` to its horizon (for progress and cancellation, see
/// [`Simulation::progress`]).
///
/// # Errors
/// As [`Simulation::new`] and [`Simulation::step`].
///
/// # Complexity
/// O(horizon x (n + m')) for n customers and m' out-ties of the speakers who
/// talk in a period; parallel over the rayon pool.
pub fn run(scenario: &Scenario) -> Result<Report> {
    Simulation::new(scenario)?.run()
}
