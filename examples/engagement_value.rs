//! Who is worth most once influence counts? Kumar, Petersen and Leone (2007)
//! found that the customers with the highest lifetime value (CLV) and those
//! with the highest referral value are largely different people. This
//! example shows it on a synthetic CRM book and on a simulated company, then
//! measures what it is worth to know it.
//!
//! ```text
//! cargo run --release --example engagement_value [-- --runs 6 --eval 10 --top 20]
//! ```
//!
//! 1. **A CRM book** (3,000 synthetic customers, `SyntheticCrm` seed 2024):
//!    the top customers by CLV next to the top by CRV + CIV (referral and
//!    influence value), and how many they share.
//! 2. **A simulated company** (2,000 customers in communities of 50, half a
//!    year of weeks): the same two lists from counterfactual runs
//!    (`Simulation::engagement_values`, `--runs` runs).
//! 3. **The programme**: an advocacy programme for `--top` customers, chosen
//!    by CEV or by CLV. Both run on the same random numbers (`--eval` runs
//!    that were not used to choose them); the gain of choosing by CEV is the
//!    mean paired difference of net present value, with its 95% interval.

#[macro_use]
mod common; // println! and print! that end quietly when stdout closes (`| head`)

use social_loop::brand::{Department, Engagement, EngagementKind, Schedule, Target};
use social_loop::cev::{CustomerEngagementValue, EngagementOptions, EngagementValues};
use social_loop::clv::ValueOptions;
use social_loop::crm::{BookValueOptions, Currency, CustomerBook, SyntheticCrm};
use social_loop::customer::Channel;
use social_loop::propagation::MonteCarloSettings;
use social_loop::sim::{GeneratedNetwork, NetworkSpec, Scenario, Simulation};
use social_loop::value::MoneyEstimate;
use social_loop::{CustomerId, Decimal};

/// Who is worth most, counting influence: top customers by CLV next to top
/// by CRV + CIV, and a programme chosen by CEV against one chosen by CLV.
#[derive(clap::Parser)]
struct Args {
    /// Runs of the simulated company's engagement value, at least 2.
    #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u64).range(2..))]
    runs: u64,
    /// Paired held-out runs that evaluate the two programmes, at least 2.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(2..))]
    eval: u32,
    /// Customers each programme invites, at least 1.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..))]
    top: u64,
}

/// The top `n` by CLV and by CRV + CIV, side by side, and their overlap.
fn compare(values: &EngagementValues, currency: Currency, n: usize) -> Vec<CustomerId> {
    let by_clv = values.top_by(currency, n, |c| c.clv.value);
    let by_social = values.top_by(currency, n, CustomerEngagementValue::social);
    println!(
        "  {:>3}  {:<26} {:<26}",
        "", "top by CLV", "top by CRV + CIV"
    );
    for i in 0..n.min(10) {
        let cell = |list: &[&CustomerEngagementValue],
                    f: fn(&CustomerEngagementValue) -> Decimal| {
            list.get(i).map_or(String::new(), |c| {
                format!("{:<12} {:>12}", c.customer.as_str(), f(c).round_dp(2))
            })
        };
        println!(
            "  {:>3}. {:<26} {:<26}",
            i + 1,
            cell(&by_clv, |c| c.clv.value),
            cell(&by_social, |c| c.social())
        );
    }
    let shared = EngagementValues::overlap(&by_clv, &by_social);
    println!("  overlap of the two top-{n} lists: {shared} of {n} customers");
    by_clv.iter().map(|c| c.customer.clone()).collect()
}

/// `scenario` with an advocacy programme for each of `customers`, every week.
fn with_programme(
    scenario: &Scenario,
    customers: &[CustomerId],
) -> Result<Scenario, Box<dyn std::error::Error>> {
    let mut plan = scenario.get_engagements().clone();
    for c in customers {
        plan.push(
            Engagement::builder(EngagementKind::AdvocacyProgramme, Channel::Microblog)
                .target(Target::Customer(c.clone()))
                .schedule(Schedule::every(0, 1)?)
                .cost(Decimal::new(5, 0))
                .owner(Department::Marketing)
                .build()?,
        );
    }
    Ok(scenario.clone().engagements(plan))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let Args { runs, eval, top } = clap::Parser::parse();
    let top = usize::try_from(top)?;

    println!("## A CRM book: 3,000 synthetic customers (EUR)");
    let mut book = CustomerBook::new();
    book.import(&SyntheticCrm::new(3_000).seed(2024).events()?);
    let options = EngagementOptions::default()
        .value(BookValueOptions::default().value(ValueOptions::default().draws(50)));
    let eur = Currency::new("EUR")?;
    compare(&book.engagement_values(&options)?, eur, 10);

    println!("\n## A simulated company: 2,000 customers, 26 weeks, {runs} runs");
    let scenario = Scenario::default()
        .network(NetworkSpec::Generated(GeneratedNetwork::micro_communities(
            2_000, 50, 10.0,
        )?))
        .horizon(26)
        .seed(7);
    let sim = Simulation::new(&scenario)?;
    let cev = sim.engagement_values(MonteCarloSettings::new(runs, 0)?)?;
    let currency = scenario.get_currency();
    let by_clv = compare(&cev.values, currency, top);
    println!(
        "  customers' CRV + CIV + CKV {} {currency} (95% CI {} to {}); the customer actor's attribution {} (95% CI {} to {})",
        cev.social_total.mean.round_dp(0),
        cev.social_total.ci95[0].round_dp(0),
        cev.social_total.ci95[1].round_dp(0),
        cev.attribution.customer.mean.round_dp(0),
        cev.attribution.customer.ci95[0].round_dp(0),
        cev.attribution.customer.ci95[1].round_dp(0),
    );

    println!("\n## An advocacy programme for {top} customers: chosen by CEV or by CLV");
    let by_cev: Vec<CustomerId> = cev
        .values
        .of(currency)
        .take(top)
        .map(|c| c.customer.clone())
        .collect();
    let (a, b) = (
        with_programme(&scenario, &by_cev)?,
        with_programme(&scenario, &by_clv)?,
    );
    let mut gains = Vec::new();
    // Runs after those that chose the customers, paired: same seed, same run.
    for r in runs as u32..runs as u32 + eval {
        let value = |s: &Scenario| -> Result<Decimal, Box<dyn std::error::Error>> {
            Ok(Simulation::new(s)?
                .replication(r)
                .run()?
                .totals
                .net_present_value)
        };
        gains.push(value(&a)? - value(&b)?);
    }
    let gain = MoneyEstimate::of(&gains)?;
    println!(
        "  net present value gained by choosing by CEV over CLV: {} {currency} (95% CI {} to {}), {eval} paired runs",
        gain.mean.round_dp(0),
        gain.ci95[0].round_dp(0),
        gain.ci95[1].round_dp(0)
    );
    Ok(())
}
