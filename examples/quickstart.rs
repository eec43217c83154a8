//! The value loop on the default scenario: 10,000 customers in micro-communities,
//! 52 weekly periods, siloed ownership. No files needed.
//!
//! ```text
//! cargo run --release --example quickstart
//! ```
//!
//! Prints the funnel at the end of each 13-week quarter, the cash book by
//! quarter, and the value each actor created (net present value, measured by
//! switching each actor's contributions off on the same random numbers, with
//! 95% confidence intervals over 10 runs). Every number says what it counts
//! and in which unit.

#[macro_use]
mod common; // println! and print! that end quietly when stdout closes (`| head`)

use std::time::Instant;

use social_loop::propagation::MonteCarloSettings;
use social_loop::sim::{PeriodReport, Scenario, Simulation};
use social_loop::value::{Actor, MoneyEstimate, Totals, ValueKind};
use social_loop::{Decimal, FunnelStage};

/// Runs of the attribution.
const RUNS: u64 = 10;

/// `whole` (digits) with a comma every three digits.
fn grouped(whole: &str) -> String {
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `d` rounded half-even to cents, with thousands separators.
fn money(d: Decimal) -> String {
    let rounded = d.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointNearestEven);
    let text = format!("{:.2}", rounded.abs());
    let (whole, cents) = text.split_once('.').unwrap_or((&text, "00"));
    let sign = if rounded.is_sign_negative() && !rounded.is_zero() {
        "-"
    } else {
        ""
    };
    format!("{sign}{}.{cents}", grouped(whole))
}

fn interval(e: &MoneyEstimate) -> String {
    format!(
        "{:>13}  [{}, {}]",
        money(e.mean),
        money(e.ci95[0]),
        money(e.ci95[1])
    )
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let started = Instant::now();
    let scenario = Scenario::default();
    let settings = MonteCarloSettings::new(RUNS, scenario.get_seed())?;
    let report = Simulation::new(&scenario)?.attribution(settings).run()?;
    let elapsed = started.elapsed();
    let currency = report.currency;
    let population = report.population;

    println!("social_loop quickstart: the value loop on the default scenario");
    println!(
        "  {} customers in micro-communities of 50, {} directed ties (who listens to whom);",
        grouped(&population.to_string()),
        grouped(&report.ties.to_string())
    );
    println!(
        "  {} periods of one {}, seed {}; social media run in silos (siloed ownership); money in {currency}.",
        report.periods.len(),
        report.period_length,
        report.seed
    );

    println!();
    println!(
        "Funnel: how many of the {} customers are at or beyond each stage, at the end of each quarter",
        grouped(&population.to_string())
    );
    let heads = [
        "aware",
        "considering",
        "ever bought",
        "buying now",
        "advocates",
    ];
    print!("{:<14}", "quarter");
    for h in heads {
        print!("{h:>13}");
    }
    println!("{:>13}{:>8}", "adversaries", "NPS");
    print!("{:<14}", "start");
    for stage in FunnelStage::ALL {
        print!("{:>13}", report.initial.count(stage));
    }
    println!("{:>13}{:>8}", report.initial_stages.adversary, "");
    let quarters: Vec<&[PeriodReport]> = report.periods.chunks(13).collect();
    for (q, weeks) in quarters.iter().enumerate() {
        let Some(end) = weeks.last() else { continue };
        print!("{:<14}", format!("Q{} (week {})", q + 1, end.period + 1));
        for stage in FunnelStage::ALL {
            print!("{:>13}", end.funnel.count(stage));
        }
        let nps = end
            .nps_score()
            .map_or("n/a".to_string(), |s| format!("{s:+.1}"));
        println!("{:>13}{:>8}", end.stages.adversary, nps);
    }
    println!(
        "  aware: know the brand (every stage but unaware). considering: prospects, and everyone who"
    );
    println!(
        "  has bought (customers, advocates, lapsed customers, adversaries who once bought). ever bought:"
    );
    println!(
        "  has bought at least once. buying now: customers and advocates (loyalty). advocates: recommend"
    );
    println!(
        "  the brand. adversaries: speak against it (not a funnel stage). A stage's count can fall from"
    );
    println!(
        "  one quarter to the next: it counts where customers are now, not where they have ever been."
    );
    println!(
        "  NPS: Net Promoter Score of the customers who have ever bought, from -100 to +100: the percentage"
    );
    println!(
        "  of promoters (would recommend at 9 or 10 out of 10) minus that of detractors (0 to 6), from each"
    );
    println!(
        "  customer's likelihood to recommend, which follows their sentiment; it can be negative while"
    );
    println!(
        "  advocates outnumber adversaries, since most detractors are ordinary customers, not adversaries."
    );

    println!();
    println!(
        "Cash book by quarter, in {currency}: what was received and paid (payments negative); it does not say who created value"
    );
    let columns = [
        ("sales", ValueKind::Sale),
        ("cost of sales", ValueKind::CostOfSales),
        ("engagements", ValueKind::EngagementCost),
        ("rewards", ValueKind::ReferralReward),
        ("changes", ValueKind::ChangeCost),
    ];
    print!("{:<8}", "quarter");
    for (name, _) in columns {
        print!("{name:>15}");
    }
    println!("{:>15}{:>11}{:>10}", "net cash", "purchases", "referrals");
    let row = |name: &str, totals: &Totals, purchases: u64, referrals: u64| {
        print!("{name:<8}");
        for (_, kind) in columns {
            print!("{:>15}", money(totals.of(kind)));
        }
        println!("{:>15}{purchases:>11}{referrals:>10}", money(totals.net()));
    };
    for (q, weeks) in quarters.iter().enumerate() {
        let mut sum = Totals::default();
        for w in weeks.iter() {
            sum = sum.merged(&w.value)?;
        }
        let purchases = weeks.iter().map(|w| w.purchases).sum();
        let referrals = weeks.iter().map(|w| w.referral_sales).sum();
        row(&format!("Q{}", q + 1), &sum, purchases, referrals);
    }
    let totals = &report.totals;
    row(
        "year",
        &totals.value,
        totals.purchases,
        totals.referral_sales,
    );
    println!(
        "  purchases: sales (units); referrals: purchases by prospects who heard praise that week."
    );
    println!(
        "  Net present value of this run's net cash, discounted to week 0 at 10% a year: {} {currency}",
        money(totals.net_present_value)
    );
    println!(
        "  (this run is run 0 of the {RUNS} below, which average over the loop's randomness)."
    );

    let Some(a) = &report.attribution else {
        return Err("the attribution was asked for".into());
    };
    println!();
    println!(
        "Value created by each actor, in {currency} of net present value: mean over {} runs and 95% confidence",
        a.runs
    );
    println!(
        "interval (Student's t), each actor's contributions switched off in turn on the same random numbers"
    );
    let actors = [
        (
            Actor::Customer,
            "customers: word of mouth, referrals, feedback",
        ),
        (Actor::Brand, "brand: engagements (net of what they cost)"),
        (Actor::Business, "business: changes (net of what they cost)"),
    ];
    for (actor, what) in actors {
        println!("  {what:<48}{}", interval(a.of(actor)));
    }
    println!(
        "  {:<48}{}",
        "baseline: none of the three",
        interval(&a.baseline)
    );
    println!(
        "  {:<48}{}",
        "total: the scenario as written",
        interval(&a.total)
    );
    println!(
        "  In every run the three actors and the baseline add up to the total exactly (Shapley values)."
    );
    let ratio = |r: Option<Decimal>| {
        r.map_or("n/a".to_string(), |r| {
            format!(
                "{:.2}",
                r.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointNearestEven)
            )
        })
    };
    println!(
        "  Net return in run 0: {} {currency} created per {currency} the brand spent, {} per {currency} spent on changes;",
        ratio(totals.return_on_engagement),
        ratio(totals.return_on_change),
    );
    if let (Some(first), Some(last)) = (report.periods.first(), report.last()) {
        println!(
            "  {} business changes; a consistent experience was bad {:.1}% of the time in week 1, {:.1}% in week {}.",
            totals.changes,
            100.0 * first.bad_experience,
            100.0 * last.bad_experience,
            last.period + 1
        );
    }
    println!();
    println!(
        "ran in {:.2?} (the scenario once, then 8 x {RUNS} runs for the attribution)",
        elapsed
    );
    Ok(())
}
