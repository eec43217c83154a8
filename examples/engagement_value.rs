//! Who is worth most once influence counts? Kumar, Petersen and Leone (2007)
//! found that the customers with the highest lifetime value (CLV) and those
//! with the highest referral value are largely different people. This
//! example shows it on a synthetic CRM book and on a simulated company, then
//! measures what it is worth to know it.
//!
//! ```text
//! cargo run --release --example engagement_value [-- --runs 20 --eval 200 --top 20]
//! ```
//!
//! 1. **A CRM book** (3,000 synthetic customers, `SyntheticCrm` seed 2024):
//!    the top customers by CLV next to the top by CRV + CIV (referral and
//!    influence value), and how many they share.
//! 2. **A simulated company** (2,000 customers in communities of 50, half a
//!    year of weeks): the same two lists from counterfactual runs
//!    (`Simulation::engagement_values`, `--runs` runs), and the share of the
//!    customers' CEV that is not their own purchases.
//! 3. **The programme** (`cev::Programme`): an advocacy programme, 5 a week
//!    for each of `--top` customers, aimed at each by name. In the loop it
//!    delights a satisfied customer (who may become an advocate) and raises
//!    an advocate's chance of talking (`Rates::programme_talk` times its
//!    landing), so its value runs through what the chosen customers say and
//!    whom they bring; it costs the same whoever gets it. It is given to the
//!    top by CEV, by CLV, or by CRV + CIV; each choice is compared with the
//!    choice by CLV on `--eval` held-out runs (not those that measured the
//!    values), paired on common random numbers: the mean difference of net
//!    present value with its 95% interval.
//!
//! What it finds (the defaults; README): the lists by CLV and by CRV + CIV
//! share few customers, in the book and in the loop. But in this simulated
//! company a customer's CEV is almost all CLV (the social parts are a few
//! percent), so the top by CEV is nearly the top by CLV, and the programme
//! gains nothing measurable by choosing by CEV. Choosing by CRV + CIV, the
//! part the programme acts on, gains a small, significant amount over CLV;
//! the programme itself costs more than any choice gains back.

#[macro_use]
mod common; // println! and print! that end quietly when stdout closes (`| head`)

use social_loop::brand::{Department, Engagement, EngagementKind, Schedule};
use social_loop::cev::{CustomerEngagementValue, EngagementOptions, EngagementValues, Programme};
use social_loop::clv::ValueOptions;
use social_loop::crm::{BookValueOptions, Currency, CustomerBook, SyntheticCrm};
use social_loop::customer::Channel;
use social_loop::propagation::MonteCarloSettings;
use social_loop::sim::{GeneratedNetwork, NetworkSpec, Scenario, Simulation};
use social_loop::{CustomerId, Decimal};

/// Who is worth most, counting influence: top customers by CLV next to top
/// by CRV + CIV, and a programme chosen by CEV against one chosen by CLV.
#[derive(clap::Parser)]
struct Args {
    /// Runs of the simulated company's engagement value, at least 2.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(2..))]
    runs: u64,
    /// Paired held-out runs that evaluate the two programmes, at least 2.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u32).range(2..))]
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
    let cev = Simulation::new(&scenario)?.engagement_values(MonteCarloSettings::new(runs, 0)?)?;
    let currency = scenario.get_currency();
    let by_clv = compare(&cev.values, currency, top);
    println!("  {cev:.0}");
    let total = cev.values.total(currency)?.value;
    let social = cev.social_total.mean;
    println!(
        "  CRV + CIV + CKV are {}% of the customers' total CEV ({} {currency})",
        (social * Decimal::ONE_HUNDRED / total).round(),
        total.round()
    );

    println!(
        "\n## An advocacy programme for {top} customers, 5 {currency} a week each: whom to give it to"
    );
    let ids = |list: Vec<&CustomerEngagementValue>| -> Vec<CustomerId> {
        list.iter().map(|c| c.customer.clone()).collect()
    };
    let by_cev = ids(cev.values.top_by(currency, top, |c| c.cev.value));
    let by_social = ids(cev
        .values
        .top_by(currency, top, CustomerEngagementValue::social));
    let shared = by_cev.iter().filter(|c| by_clv.contains(c)).count();
    println!("  the top {top} by CEV and by CLV share {shared} customers");
    let programme = Programme::new(
        Engagement::builder(EngagementKind::AdvocacyProgramme, Channel::Microblog)
            .schedule(Schedule::every(0, 1)?)
            .cost(Decimal::new(5, 0))
            .owner(Department::Marketing)
            .build()?,
    );
    // Held-out runs, after those that measured the values.
    let held_out = runs as u32..runs as u32 + eval;
    println!("  net present value gained over choosing by CLV, {eval} paired held-out runs:");
    for (name, chosen) in [("CEV", &by_cev), ("CRV + CIV", &by_social)] {
        let gain = programme.paired_gain(&scenario, chosen, &by_clv, held_out.clone())?;
        println!(
            "    choosing by {name:<10} {:>5} {currency} (95% CI {} to {})",
            gain.mean.round(),
            gain.ci95[0].round(),
            gain.ci95[1].round()
        );
    }
    let none = programme.paired_gain(&scenario, &by_clv, &[], held_out)?;
    println!(
        "  the programme chosen by CLV against no programme: {} {currency} (95% CI {} to {})",
        none.mean.round(),
        none.ci95[0].round(),
        none.ci95[1].round()
    );
    Ok(())
}
