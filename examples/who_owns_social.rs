//! Who should own social media? The default scenario under siloed, co-op and
//! agency ownership (with a hand-over in week 26 to the departments as silos or
//! to a co-op, and without a hand-over), on the same seeds.
//!
//! ```text
//! cargo run --release --example who_owns_social [-- --runs 10]
//! ```
//!
//! For each model it prints the mean over the runs of the net value created,
//! the advocates at the end and the NPS, each with a 95% confidence interval
//! (mean ± t x standard error, Student's t with runs - 1 degrees of freedom);
//! then the paired difference co-op minus siloed on the same seeds, with its
//! confidence interval, and how much of it each lever explains (the co-op run
//! with one lever set back to the siloed value).
//!
//! The ownership models differ only through their documented levers
//! ([`social_loop::brand::Ownership`]): consistency of experiences across
//! departments, reach of feedback into the business, relevance of engagements,
//! and coordination overhead on engagement costs.

use social_loop::brand::{AgencyEffects, InHouse, InHouseEffects, Ownership, OwnershipEffects};
use social_loop::sim::{Report, Scenario, run};
use social_loop::value::Actor;

/// One run's outcome.
#[derive(Debug, Clone, Copy)]
struct Outcome {
    net_value: f64,
    customer_value: f64,
    advocates: f64,
    adversaries: f64,
    nps: f64,
    changes: f64,
}

fn outcome(report: &Report) -> Outcome {
    let last = report.last();
    let dec = |d: social_loop::Decimal| d.to_string().parse::<f64>().unwrap_or(f64::NAN);
    Outcome {
        net_value: dec(report.totals.value.net()),
        customer_value: dec(report.totals.value.for_actor(Actor::Customer)),
        advocates: last.map_or(0.0, |p| p.stages.advocate as f64),
        adversaries: last.map_or(0.0, |p| p.stages.adversary as f64),
        nps: last.and_then(|p| p.nps_score()).unwrap_or(0.0),
        changes: f64::from(report.totals.changes),
    }
}

/// Two-sided 97.5% quantile of Student's t with `df` degrees of freedom.
fn t_quantile(df: usize) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    TABLE.get(df.saturating_sub(1)).copied().unwrap_or(1.96)
}

/// Mean and half-width of the 95% confidence interval.
fn mean_ci(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    if xs.len() < 2 {
        return (mean, f64::NAN);
    }
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, t_quantile(xs.len() - 1) * (var / n).sqrt())
}

fn runs_arg() -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == "--runs")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .filter(|&r| r >= 2)
        .unwrap_or(10)
}

fn run_model(
    base: &Scenario,
    ownership: Ownership,
    effects: OwnershipEffects,
    seeds: &[u64],
) -> Result<Vec<Outcome>, social_loop::Error> {
    seeds
        .iter()
        .map(|&seed| {
            let scenario = base
                .clone()
                .ownership(ownership)
                .ownership_effects(effects)
                .seed(seed);
            run(&scenario).map(|r| outcome(&r))
        })
        .collect()
}

fn column(outcomes: &[Outcome], f: impl Fn(&Outcome) -> f64) -> Vec<f64> {
    outcomes.iter().map(f).collect()
}

fn fmt_ci(xs: &[f64], decimals: usize) -> String {
    let (m, h) = mean_ci(xs);
    format!("{m:.decimals$} ± {h:.decimals$}")
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let runs = runs_arg();
    let seeds: Vec<u64> = (1..=runs as u64).collect();
    let base = Scenario::default();
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
    let population = run(&base.clone().horizon(0))?.population;
    println!(
        "Who owns social? {population} customers in micro-communities, {} weeks, {runs} runs per model (seeds 1..={runs}), 95% CI",
        base.get_horizon()
    );
    println!();
    println!(
        "{:<24}{:>24}{:>18}{:>18}{:>18}{:>14}",
        "ownership", "net value", "advocates (end)", "adversaries", "NPS (end)", "changes"
    );
    let mut results = Vec::new();
    for (name, ownership, effects) in models {
        let outcomes = run_model(&base, ownership, effects, &seeds)?;
        println!(
            "{:<24}{:>24}{:>18}{:>18}{:>18}{:>14}",
            name,
            fmt_ci(&column(&outcomes, |o| o.net_value), 0),
            fmt_ci(&column(&outcomes, |o| o.advocates), 0),
            fmt_ci(&column(&outcomes, |o| o.adversaries), 0),
            fmt_ci(&column(&outcomes, |o| o.nps), 1),
            fmt_ci(&column(&outcomes, |o| o.changes), 1),
        );
        results.push((name, outcomes));
    }

    let siloed = &results[0].1;
    let co_op = &results[1].1;
    let paired = |f: fn(&Outcome) -> f64| -> Vec<f64> {
        co_op.iter().zip(siloed).map(|(c, s)| f(c) - f(s)).collect()
    };
    println!();
    println!("Paired difference, co-op minus siloed (same seed, same network, same customers):");
    for (what, diff, decimals) in [
        ("net value", paired(|o| o.net_value), 0),
        ("customer value", paired(|o| o.customer_value), 0),
        ("advocates at the end", paired(|o| o.advocates), 0),
        ("NPS at the end", paired(|o| o.nps), 1),
    ] {
        let (m, h) = mean_ci(&diff);
        let verdict = if m - h > 0.0 {
            "co-op ahead (CI excludes 0)"
        } else if m + h < 0.0 {
            "siloed ahead (CI excludes 0)"
        } else {
            "no clear difference"
        };
        println!(
            "  {what:<22}{:>24}   {verdict}",
            format!("{m:+.decimals$} ± {h:.decimals$}")
        );
    }

    // Which lever explains the difference: the co-op with one lever set back to
    // the siloed value (same seeds).
    println!();
    println!(
        "Which lever explains it (co-op with one lever at its siloed value; paired vs co-op):"
    );
    let siloed_levers = InHouseEffects::siloed();
    let co_op_levers = InHouseEffects::co_op();
    let variants: [(&str, InHouseEffects); 4] = [
        (
            "consistency",
            co_op_levers.consistency(siloed_levers.get_consistency()),
        ),
        (
            "feedback reach",
            co_op_levers.feedback_reach(siloed_levers.get_feedback_reach()),
        ),
        (
            "relevance factor",
            co_op_levers.relevance_factor(siloed_levers.get_relevance_factor()),
        ),
        (
            "coordination overhead",
            co_op_levers.coordination_overhead(siloed_levers.get_coordination_overhead()),
        ),
    ];
    println!(
        "  {:<24}{:>24}{:>22}",
        "lever set to siloed", "net value change", "advocates change"
    );
    for (lever, levers) in variants {
        let outcomes = run_model(&base, Ownership::CoOp, effects.co_op(levers), &seeds)?;
        let dv: Vec<f64> = outcomes
            .iter()
            .zip(co_op)
            .map(|(v, c)| v.net_value - c.net_value)
            .collect();
        let da: Vec<f64> = outcomes
            .iter()
            .zip(co_op)
            .map(|(v, c)| v.advocates - c.advocates)
            .collect();
        println!("  {lever:<24}{:>24}{:>22}", fmt_ci(&dv, 0), fmt_ci(&da, 0));
    }
    Ok(())
}
