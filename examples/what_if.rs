//! Your own customers in the loop: a CRM book calibrated into a scenario,
//! then the what-ifs run on it.
//!
//! ```text
//! cargo run --release --example what_if
//! ```
//!
//! It generates a synthetic CRM (2,000 customers over half a year of events:
//! purchases, referrals, reviews, NPS answers, tickets), imports it into a
//! `CustomerBook`, fits the value loop's rates to it (`Calibration::fit`,
//! every estimate with its 95% interval, or its default and why), builds the
//! scenario of these very customers (`Scenario::from_book`: their network,
//! their advocates and adversaries by id, the fitted rates) and runs three
//! what-ifs on it for a year, each over five seeds: social media siloed (as
//! the defaults assume), run as a co-op, and the co-op without its advocacy
//! programme.

#[macro_use]
mod common; // println! and print! that end quietly when stdout closes (`| head`)

use std::error::Error;

use social_loop::brand::{EngagementKind, EngagementPlan, Ownership};
use social_loop::calibrate::{Calibration, CalibrationOptions, EstimateSource};
use social_loop::crm::{CustomerBook, SyntheticCrm};
use social_loop::sim::{Scenario, run};

fn main() -> Result<(), Box<dyn Error>> {
    <common::NoArguments as clap::Parser>::parse();
    let events = SyntheticCrm::new(2_000).days(182).seed(7).events()?;
    let mut book = CustomerBook::new();
    let imported = book.import(&events);
    println!(
        "book: {} customers, {} events ({} applied), {} ties",
        book.customer_count(),
        book.event_count(),
        imported.counts.applied,
        book.network().tie_count()
    );

    let fit = Calibration::fit(&book, CalibrationOptions::default())?;
    println!("\nfitted from the book ({} weekly periods):", fit.periods);
    for (path, e) in &fit.parameters {
        if e.source == EstimateSource::Fitted {
            println!(
                "  {path:<52} {:>9.4}  95% [{:.4}, {:.4}]",
                e.estimate, e.ci95[0], e.ci95[1]
            );
        }
    }
    let defaults = fit
        .parameters
        .values()
        .filter(|e| e.source == EstimateSource::Default)
        .count();
    println!("  ({defaults} parameters kept their defaults: the book cannot identify them)");

    let ours = Scenario::from_book(&book, &fit)?.horizon(52);
    let without_programme = EngagementPlan::new(
        ours.get_engagements()
            .engagements()
            .iter()
            .filter(|e| e.kind() != EngagementKind::AdvocacyProgramme)
            .cloned()
            .collect(),
    );
    let what_ifs = [
        ("siloed", ours.clone()),
        ("co-op", ours.clone().ownership(Ownership::CoOp)),
        (
            "co-op, no advocacy programme",
            ours.clone()
                .ownership(Ownership::CoOp)
                .engagements(without_programme),
        ),
    ];
    println!(
        "\na year of our own customers ({}), mean over 5 seeds:",
        ours.get_currency()
    );
    println!(
        "  {:<30}{:>11}{:>12}{:>8}{:>20}",
        "what if", "advocates", "adversaries", "NPS", "net present value"
    );
    for (name, scenario) in what_ifs {
        let (mut advocates, mut adversaries, mut nps, mut value) = (0.0, 0.0, 0.0, 0.0);
        for seed in 0..5 {
            let report = run(&scenario.clone().seed(seed))?;
            let last = report.last().ok_or("no period")?;
            advocates += last.stages.advocate as f64 / 5.0;
            adversaries += last.stages.adversary as f64 / 5.0;
            nps += last.nps_score().unwrap_or(0.0) / 5.0;
            value += f64::try_from(report.totals.net_present_value)? / 5.0;
        }
        println!("  {name:<30}{advocates:>11.1}{adversaries:>12.1}{nps:>8.1}{value:>20.0}");
    }
    Ok(())
}
