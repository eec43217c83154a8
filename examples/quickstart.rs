//! The value loop on the default scenario: 10,000 customers in micro-communities,
//! 52 weekly periods, siloed ownership. No files needed.
//!
//! ```text
//! cargo run --release --example quickstart
//! ```
//!
//! Prints the funnel at the end of each 13-week quarter, the value each actor
//! created in the quarter, and the Net Promoter Score of customers.

#[macro_use]
mod common; // println! and print! that end quietly when stdout closes (`| head`)

use std::time::Instant;

use social_loop::sim::{PeriodReport, Scenario, run};
use social_loop::value::{Actor, Totals, ValueKind};
use social_loop::{Decimal, FunnelStage};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let started = Instant::now();
    let scenario = Scenario::default();
    let report = run(&scenario)?;
    let elapsed = started.elapsed();

    println!(
        "social_loop quickstart: {} customers, {} ties, {} weekly periods, seed {}, {:?} ownership",
        report.population,
        report.ties,
        report.periods.len(),
        report.seed,
        scenario.ownership
    );
    println!();
    println!("Funnel at the end of each quarter (customers who reached each stage)");
    print!("{:<10}", "quarter");
    for stage in FunnelStage::ALL {
        print!("{:>15}", stage.name());
    }
    println!("{:>12}{:>12}", "adversary", "NPS");
    print!("{:<10}", "start");
    for stage in FunnelStage::ALL {
        print!("{:>15}", report.initial.count(stage));
    }
    println!();
    let quarters: Vec<&[PeriodReport]> = report.periods.chunks(13).collect();
    for (q, weeks) in quarters.iter().enumerate() {
        let Some(end) = weeks.last() else { continue };
        print!("{:<10}", format!("Q{} (w{})", q + 1, end.period + 1));
        for stage in FunnelStage::ALL {
            print!("{:>15}", end.funnel.count(stage));
        }
        let nps = end
            .nps_score()
            .map_or("n/a".to_string(), |s| format!("{s:+.1}"));
        println!("{:>12}{:>12}", end.stages.adversary, nps);
    }

    println!();
    println!("Value created in each quarter (ledger totals; costs are negative)");
    println!(
        "{:<10}{:>14}{:>14}{:>14}{:>14}{:>11}{:>10}",
        "quarter", "customer", "brand", "business", "net", "purchases", "referrals"
    );
    for (q, weeks) in quarters.iter().enumerate() {
        let mut sum = Totals::default();
        for w in weeks.iter() {
            sum = sum.merged(&w.value)?;
        }
        println!(
            "{:<10}{:>14.2}{:>14.2}{:>14.2}{:>14.2}{:>11}{:>10}",
            format!("Q{}", q + 1),
            sum.for_actor(Actor::Customer),
            sum.for_actor(Actor::Brand),
            sum.for_actor(Actor::Business),
            sum.net(),
            weeks.iter().map(|w| w.purchases).sum::<u64>(),
            weeks.iter().map(|w| w.referral_sales).sum::<u64>(),
        );
    }
    let totals = &report.totals;
    println!(
        "{:<10}{:>14.2}{:>14.2}{:>14.2}{:>14.2}{:>11}{:>10}",
        "year",
        totals.value.for_actor(Actor::Customer),
        totals.value.for_actor(Actor::Brand),
        totals.value.for_actor(Actor::Business),
        totals.value.net(),
        totals.purchases,
        totals.referral_sales,
    );

    println!();
    println!("Where the year's value came from");
    for kind in ValueKind::ALL {
        let amount = totals.value.of(kind);
        if !amount.is_zero() {
            println!("  {:<20}{:>14.2}  ({})", kind.name(), amount, kind.actor());
        }
    }
    let ratio = |r: Option<Decimal>| r.map_or("n/a".to_string(), |r| format!("{:.2}", r));
    println!(
        "  return on engagement {} per unit spent; return on change {} per unit spent; {} business changes",
        ratio(totals.return_on_engagement),
        ratio(totals.return_on_change),
        totals.changes
    );
    if let Some(last) = report.last() {
        println!(
            "  bad experiences: {:.1}% at the start, {:.1}% at the end",
            100.0 * report.periods.first().map_or(0.0, |p| p.bad_experience),
            100.0 * last.bad_experience
        );
    }
    println!();
    println!("ran in {:.2?}", elapsed);
    Ok(())
}
