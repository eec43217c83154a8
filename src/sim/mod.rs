//! The value loop: a [`Scenario`] run period by period into a [`Report`], and
//! the value each actor creates measured by counterfactual runs
//! ([`Attribution`]).
//!
//! ```
//! use social_loop::propagation::MonteCarloSettings;
//! use social_loop::sim::{GeneratedNetwork, NetworkSpec, Scenario, Simulation};
//! let scenario = Scenario::default()
//!     .network(NetworkSpec::Generated(GeneratedNetwork::micro_communities(1_000, 50, 10.0)?))
//!     .horizon(8);
//! let report = Simulation::new(&scenario)?
//!     .attribution(MonteCarloSettings::new(3, scenario.get_seed())?)
//!     .run()?;
//! let last = report.last().ok_or("no period")?;
//! assert_eq!(last.stages.total(), 1_000); // customers are conserved
//! let value = report.attribution.ok_or("asked for")?;
//! for run in &value.per_run {
//!     // The parts add up to the run's net present value, exactly.
//!     assert_eq!(run.customer + run.brand + run.business + run.baseline, run.total);
//! }
//! println!("value created by customers: {} {} (95% CI {:?})",
//!          value.customer.mean, report.currency, value.customer.ci95);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # One period
//!
//! 1. **Word of mouth** (phase A): each advocate talks with
//!    [`Rates::get_advocate_talk`] (more when an advocacy programme lands on
//!    them), each adversary with [`Rates::get_adversary_talk`]; the speakers
//!    start one cascade of the scenario's [`WordOfMouth`] model, run by the
//!    propagation engine (a tie's probability is the chance that one period's
//!    talk crosses it; the customers it reaches pass it on in the same period).
//!    Each customer it reaches hears praise or criticism, credited to whoever
//!    told them. Every listening engagement hears each speaker with
//!    [`Rates::get_listen_capture`].
//! 2. **Customers** (phase B, see [below](self#customers)): exposure,
//!    engagements, contacts with departments (experiences), the word of mouth
//!    received, purchases, drift. Every cause moves the customer through the
//!    transition table of [`crate::customer`] with the rates' transition
//!    probabilities.
//! 3. **Cash book** ([`Ledger`](crate::value::Ledger)): the period's sales (the
//!    prices paid) and the cost of what was sold, engagement costs with the
//!    ownership's coordination overhead, referral rewards, an agency's fee,
//!    change costs. The period's net cash, discounted to period 0, is its
//!    [present value](PeriodReport::present_value).
//! 4. **Business**: the feedback that reached it (by the ownership's feedback
//!    reach) goes into the [`FeedbackBacklog`](crate::business::FeedbackBacklog);
//!    the [`ChangePolicy`](crate::business::ChangePolicy) commissions changes,
//!    which after their lag cut the probability of a bad experience.
//!
//! # Who owns social media: only through mechanisms
//!
//! The [`Ownership`](crate::brand::Ownership) model acts through levers, never
//! through a bonus: the **consistency** of experiences (an experience that would
//! have been good is disappointing when inconsistent across departments), the
//! **feedback reach** (feedback that does not reach the business never becomes
//! a change), the **relevance factor** of engagements, the **coordination
//! overhead** on engagement costs, and an agency's **fee**. The example
//! `who_owns_social` measures the value each actor creates under each model,
//! how the answer moves with the levers over their documented ranges, and the
//! break-even.
//!
//! # Customers
//!
//! Each customer's step reads only their own state at the start of the period
//! and the word of mouth that reached them in phase A, and goes through the
//! causes in this order:
//!
//! 1. **Exposure** (unaware only) outside the plan, at [`Rates::get_exposure`].
//! 2. **Engagements** that run this period, in plan order. Owned engagements
//!    reach only customers who know the brand (any stage but unaware), or whom
//!    word of mouth reached this period (the content was shared with them).
//!    Each lands with the relevance model's probability (times the ownership's
//!    relevance factor); one that does not land is noticed as irrelevant noise
//!    with [`Rates::get_notice_irrelevant`]. A conversation or a service
//!    recovery that lands is a contact with a department: an experience
//!    (below) whose good outcome is service recovery for those who need it
//!    (adversaries, lapsed customers, customers whose last experience was
//!    bad; a service recovery only runs for them) and a relevant engagement
//!    for the others. An advocacy programme that lands on a customer with no
//!    unresolved bad experience is an experience whose good outcome delights
//!    (the table's `customer+experience_delighted` row can make an advocate);
//!    on anyone else it is a relevant engagement. A discount that lands makes
//!    buying more likely this period, at the discounted price.
//! 3. **Contact** with a department (anyone aware of the brand), at
//!    [`Rates::get_contact`]: an experience.
//! 4. **Word of mouth** received: praise and criticism (at most one of each a
//!    period), in a random order when both arrived.
//! 5. **Purchase**: repeat purchase (customers, advocates) at the purchase
//!    frequency or own conversion (prospects) at [`Rates::get_conversion`];
//!    else a referral sale (prospects who heard praise) at
//!    [`Rates::get_referral_conversion`]; else a discount sale. A purchase is
//!    an experience at the sales touchpoint.
//! 6. **Drift**: after [`Rates::get_lapse_after`] weeks without contact
//!    (engagement landed, experience, purchase), the no-contact cause.
//!
//! **Experiences.** An experience is bad with the business's probability of a
//! bad experience (cut by the changes in effect), and then outrageous with
//! [`Rates::get_outrage_share`], else disappointing. One that would have been
//! good is disappointing all the same when it is inconsistent (with one minus
//! the ownership's consistency); otherwise it is good (delightful with
//! [`Rates::get_delight_share`]) or does what its engagement does. After an
//! experience the customer gives feedback with [`Rates::get_feedback`] (a
//! complaint after a bad one), which reaches the business with the
//! ownership's feedback reach.
//!
//! Each cause moves the customer by the transition table. Nothing in a
//! customer's step reads another customer's state, so the blocks can run in
//! any order on any number of threads.
//!
//! # Determinism and common random numbers
//!
//! Every draw is keyed by (master seed, run, period, customer, purpose, slot)
//! and computed by a counter-based generator (no sequential stream), and the
//! word-of-mouth cascade of (seed, run, period) has its own keys (see
//! [`crate::propagation`]). So a report is the same for any number of rayon
//! threads; and switching an actor's contributions off, or changing a lever,
//! changes no draw of anything else: counterfactual runs are paired draw by
//! draw. The network and the starting population are drawn once from the
//! master seed ([`Simulation::replication`] runs the same population with
//! other draws).
//!
//! # Memory
//!
//! Per customer: the state (16 bytes), last contact and flags (5), the
//! profile index (2), the word-of-mouth buffers (about 35: who told them,
//! the cascade's marks), plus the compiled network's node arrays, the id and
//! the id index (see [`CompiledNetwork`](crate::propagation::CompiledNetwork)):
//! roughly 170 bytes. Per tie: the compiled network's 8.125 bytes (the reverse
//! arrays are not built). The petgraph network a generated scenario starts from
//! is dropped once compiled, but it sets the peak. An attribution keeps one
//! population and runs its counterfactuals in parallel, each with its own
//! per-customer arrays.

mod attribution;
mod book;
mod engagement;
mod events;
mod period;
mod population;
mod report;
mod rng;
mod scenario;
mod simulation;
mod talk;

pub use attribution::{ActorValues, Attribution};
pub use engagement::{GROUPS, SimulatedEngagement};
pub(crate) use events::period_millis;
pub use events::{EventOptions, INITIAL_STATE, SOURCE_SYSTEM, UNMOVED};
pub use report::{
    CustomerAudit, MoveCount, PeriodReport, Report, RunTotals, TransitionCounts, TriggerCount,
};
pub use scenario::{
    AuditOptions, BusinessSpec, GeneratedNetwork, NetworkFile, NetworkModel, NetworkSpec, Period,
    PopulationSpec, Prices, ProfileShare, Rates, Scenario, Seeds, StageMix, WordOfMouth,
    WordOfMouthModel, default_plan,
};
pub use simulation::Simulation;

use crate::error::Result;

/// Runs `scenario` to its horizon (for progress and cancellation, see
/// [`Simulation::progress`]; for the value each actor creates,
/// [`Simulation::attribution`]).
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
