//! Who should own social media? The default scenario under siloed, co-op and
//! agency ownership (handing over in week 26 to the departments as silos or
//! to a co-op, and never), measured, not labelled.
//!
//! ```text
//! cargo run --release --example who_owns_social [-- --runs 10 --draws 40]
//! ```
//!
//! Prints three answers, every amount in the scenario's currency (USD) of net
//! present value (10% a year), mean and 95% confidence interval (Student's t)
//! over runs that share their random numbers across models:
//!
//! 1. **Who creates the value** under each model: the Shapley value of the
//!    customer, the brand and the business (each actor's contributions
//!    switched off in turn, `social_loop::sim::Attribution`), the baseline and
//!    the total.
//! 2. **How much the answer depends on the levers' values**: the four levers
//!    of the siloed and of the co-op model are drawn from their documented
//!    ranges (`InHouseEffects::siloed_range`, `co_op_range`), one draw per
//!    run; the co-op minus siloed difference, how often the co-op wins, and
//!    each lever's effect on the difference (its mean in the draws where the
//!    lever is in the top third of its range minus the bottom third).
//! 3. **The break-even**: the consistency, and the feedback reach, that the
//!    siloed model would need for silos to create as much value as the co-op
//!    (the other levers at their defaults).
//!
//! The ownership models differ only through their documented levers
//! (`social_loop::brand::Ownership`): consistency of experiences across
//! departments, reach of feedback into the business, relevance of
//! engagements, coordination overhead, and an agency's fee.

#[macro_use]
mod common; // println! and print! that end quietly when stdout closes (`| head`)

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use social_loop::brand::{AgencyEffects, InHouse, InHouseEffects, Ownership, OwnershipEffects};
use social_loop::propagation::MonteCarloSettings;
use social_loop::sim::{Attribution, Scenario, Simulation};
use social_loop::value::MoneyEstimate;
use social_loop::{Decimal, Probability};

/// Strict arguments: `--runs N` (at least 2) and `--draws N` (at least 6).
fn args() -> Result<(u32, u32), String> {
    let mut runs = 10u32;
    let mut draws = 40u32;
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        let number: u32 = value
            .parse()
            .map_err(|_| format!("{flag}: `{value}` is not a whole number"))?;
        match flag.as_str() {
            "--runs" if number >= 2 => runs = number,
            "--draws" if number >= 6 => draws = number,
            "--runs" | "--draws" => return Err(format!("{flag}: {number} is too few")),
            other => {
                return Err(format!(
                    "unknown argument `{other}` (use --runs N, --draws N)"
                ));
            }
        }
    }
    Ok((runs, draws))
}

fn as_f64(d: Decimal) -> f64 {
    d.to_string().parse().unwrap_or(f64::NAN)
}

/// The net present value of run `run` of `scenario`.
fn npv(scenario: &Scenario, run: u32) -> Result<f64, social_loop::Error> {
    let report = Simulation::new(scenario)?.replication(run).run()?;
    Ok(as_f64(report.totals.net_present_value))
}

/// `mean ± half-width` (Student's t) of `xs`, rounded to whole units.
fn mean_ci(xs: &[f64]) -> (f64, f64) {
    let values: Vec<Decimal> = xs
        .iter()
        .filter_map(|&x| Decimal::from_f64_retain(x))
        .collect();
    match MoneyEstimate::of(&values) {
        Ok(e) => {
            let mean = as_f64(e.mean);
            (mean, as_f64(e.ci95[1]) - mean)
        }
        Err(_) => (f64::NAN, f64::NAN),
    }
}

fn cell(e: &MoneyEstimate) -> String {
    let mean = as_f64(e.mean);
    format!("{:.0} ± {:.0}", mean, as_f64(e.ci95[1]) - mean)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (runs, draws) = args().map_err(|e| {
        eprintln!("who_owns_social: {e}");
        std::process::exit(2)
    })?;
    let base = Scenario::default();
    let currency = base.get_currency();
    let effects = OwnershipEffects::default();
    let to_co_op =
        OwnershipEffects::default().agency(AgencyEffects::default().hand_over_to(InHouse::CoOp));
    let hand_over = Ownership::Agency {
        hand_over_period: Some(26),
    };
    let models: [(&str, Ownership, OwnershipEffects); 5] = [
        ("siloed", Ownership::Siloed, effects),
        ("co-op", Ownership::CoOp, effects),
        ("agency, w26 -> silos", hand_over, effects),
        ("agency, w26 -> co-op", hand_over, to_co_op),
        (
            "agency, no hand-over",
            Ownership::Agency {
                hand_over_period: None,
            },
            effects,
        ),
    ];
    let population = Simulation::new(&base)?.population();
    println!(
        "Who owns social? {population} customers in micro-communities, {} weeks; {currency} of net present value",
        base.get_horizon()
    );
    println!(
        "(10% a year); mean ± half-width of the 95% confidence interval (Student's t) over {runs} runs that share"
    );
    println!("their random numbers across models.");

    println!();
    println!(
        "1. Who creates the value (Shapley values: each actor switched off in turn; the three and the"
    );
    println!("   baseline add up to the total in every run)");
    println!(
        "{:<22}{:>19}{:>19}{:>19}{:>19}{:>19}",
        "ownership", "customer", "brand", "business", "baseline", "total"
    );
    let settings = MonteCarloSettings::new(u64::from(runs), base.get_seed())?;
    let mut attributions: Vec<Attribution> = Vec::new();
    for (name, ownership, effects) in models {
        let scenario = base.clone().ownership(ownership).ownership_effects(effects);
        let report = Simulation::new(&scenario)?.attribution(settings).run()?;
        let a = report.attribution.ok_or("no attribution")?;
        println!(
            "{name:<22}{:>19}{:>19}{:>19}{:>19}{:>19}",
            cell(&a.customer),
            cell(&a.brand),
            cell(&a.business),
            cell(&a.baseline),
            cell(&a.total)
        );
        attributions.push(a);
    }
    let paired = |i: usize, j: usize| -> (f64, f64) {
        let d: Vec<f64> = attributions[i]
            .per_run
            .iter()
            .zip(&attributions[j].per_run)
            .map(|(a, b)| as_f64(a.total) - as_f64(b.total))
            .collect();
        mean_ci(&d)
    };
    let (m, h) = paired(1, 0);
    println!("   co-op minus siloed, paired run by run: {m:+.0} ± {h:.0} {currency}");

    println!();
    println!(
        "2. Sensitivity: the levers drawn from their documented ranges, one draw per run ({draws} draws),"
    );
    println!("   co-op and siloed on the same random numbers");
    let siloed_range = InHouseEffects::siloed_range();
    let co_op_range = InHouseEffects::co_op_range();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(2013);
    let mut rows = Vec::new();
    for d in 0..draws {
        let at_s: [f64; 4] = std::array::from_fn(|_| rng.random::<f64>());
        let at_c: [f64; 4] = std::array::from_fn(|_| rng.random::<f64>());
        let drawn = OwnershipEffects::default()
            .siloed(InHouseEffects::within(siloed_range, at_s))
            .co_op(InHouseEffects::within(co_op_range, at_c));
        let with = |o| base.clone().ownership(o).ownership_effects(drawn);
        let diff = npv(&with(Ownership::CoOp), d)? - npv(&with(Ownership::Siloed), d)?;
        rows.push((at_s, at_c, diff));
    }
    let diffs: Vec<f64> = rows.iter().map(|r| r.2).collect();
    let (m, h) = mean_ci(&diffs);
    let wins = diffs.iter().filter(|&&d| d > 0.0).count();
    println!(
        "   co-op minus siloed: {m:+.0} ± {h:.0} {currency}; the co-op creates more in {wins} of {draws} draws"
    );
    println!(
        "   {:<34}{:>16}{:>20}{:>20}{:>22}",
        "lever (model)", "range", "bottom third", "top third", "top minus bottom"
    );
    let names = [
        "consistency",
        "feedback reach",
        "relevance factor",
        "coordination overhead",
    ];
    let ranges = |r: [InHouseEffects; 2]| -> [(f64, f64); 4] {
        let [lo, hi] = r;
        [
            (lo.get_consistency().get(), hi.get_consistency().get()),
            (lo.get_feedback_reach().get(), hi.get_feedback_reach().get()),
            (
                lo.get_relevance_factor().get(),
                hi.get_relevance_factor().get(),
            ),
            (
                as_f64(lo.get_coordination_overhead()),
                as_f64(hi.get_coordination_overhead()),
            ),
        ]
    };
    for (model, range, co) in [
        ("siloed", ranges(siloed_range), false),
        ("co-op", ranges(co_op_range), true),
    ] {
        for (k, name) in names.iter().enumerate() {
            let third = |lo: f64, hi: f64| -> Vec<f64> {
                rows.iter()
                    .filter(|r| {
                        let x = if co { r.1[k] } else { r.0[k] };
                        x >= lo && x < hi
                    })
                    .map(|r| r.2)
                    .collect()
            };
            let (bottom, top) = (third(0.0, 1.0 / 3.0), third(2.0 / 3.0, 1.0));
            let (mb, _) = mean_ci(&bottom);
            let (mt, _) = mean_ci(&top);
            let (lo, hi) = range[k];
            println!(
                "   {:<34}{:>16}{:>20.0}{:>20.0}{:>+22.0}",
                format!("{name} ({model})"),
                format!("{lo:.2} .. {hi:.2}"),
                mb,
                mt,
                mt - mb
            );
        }
    }

    println!();
    println!(
        "3. Break-even: the value of a siloed lever at which silos create as much as the co-op (other"
    );
    println!(
        "   levers at their defaults; paired over {runs} runs; linear interpolation between grid points)"
    );
    let co_op_scenario = base.clone().ownership(Ownership::CoOp);
    let co_op_values: Vec<f64> = (0..runs)
        .map(|r| npv(&co_op_scenario, r))
        .collect::<Result<_, _>>()?;
    type Lever = fn(InHouseEffects, Probability) -> InHouseEffects;
    let levers: [(&str, Lever, f64); 2] = [
        ("consistency", InHouseEffects::consistency, 0.6),
        ("feedback reach", InHouseEffects::feedback_reach, 0.3),
    ];
    for (name, set, default) in levers {
        let grid: Vec<f64> = (0..=10).map(|i| f64::from(i) / 10.0).collect();
        let mut gaps = Vec::new();
        for &x in &grid {
            let silos = set(InHouseEffects::siloed(), Probability::saturating(x));
            let scenario = base
                .clone()
                .ownership(Ownership::Siloed)
                .ownership_effects(OwnershipEffects::default().siloed(silos));
            let d: Vec<f64> = (0..runs)
                .map(|r| npv(&scenario, r).map(|v| v - co_op_values[r as usize]))
                .collect::<Result<_, _>>()?;
            gaps.push(mean_ci(&d).0);
        }
        let crossings: Vec<String> = grid
            .windows(2)
            .zip(gaps.windows(2))
            .filter(|(_, g)| (g[0] < 0.0) != (g[1] < 0.0))
            .map(|(x, g)| format!("{:.2}", x[0] + (x[1] - x[0]) * (g[0] / (g[0] - g[1]))))
            .collect();
        let shown: Vec<String> = grid
            .iter()
            .zip(&gaps)
            .map(|(x, g)| format!("{x:.1}: {g:+.0}"))
            .collect();
        let verdict = if crossings.is_empty() {
            "never equal on [0, 1]".to_string()
        } else {
            format!("equal at {}", crossings.join(" and "))
        };
        println!("   siloed {name} (default {default}): {verdict}");
        println!("     silos minus co-op, {currency}: {}", shown.join(", "));
    }
    Ok(())
}
