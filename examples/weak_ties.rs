//! Are weak ties at least as influential as strong ties? Goldenberg, Libai and
//! Muller's (2001) "talk of the network" design on a grid.
//!
//! A population of 3,000 in disjoint personal networks (strong ties), with
//! random weak-tie meetings every period. Every design parameter takes three
//! log-spaced levels over GLM's ranges:
//!
//! | parameter | levels |
//! |---|---|
//! | advertising `a` | 0.0005 .. 0.01 |
//! | weak-tie strength `bw` | 0.005 .. 0.015 |
//! | strong-tie strength `bs` | 0.01 .. 0.07 |
//! | weak-tie meetings per period | 5 .. 29 |
//! | strong ties (personal network size) | 5 .. 29 |
//!
//! 3^5 = 243 cells, several seeded runs each, in parallel (the numbers do not
//! depend on the thread count). For each penetration level (16 %, 50 %, 95 %)
//! the log of the time to reach it is regressed on the logs of the parameters:
//! the coefficients are elasticities, printed with 95 % confidence intervals,
//! and the weak-minus-strong contrasts answer the question.
//!
//! ```text
//! cargo run --release --example weak_ties            # 10 runs per cell
//! cargo run --release --example weak_ties -- 20      # 20 runs per cell
//! ```

#[macro_use]
mod common; // println! and print! that end quietly when stdout closes (`| head`)

use rayon::prelude::*;
use social_loop::aggregate::{
    DesignOutcome, DesignParameter, Elasticities, Estimate, TalkOfNetwork, TalkOfNetworkConfig,
    TalkRates, TalkRun, TieCount,
};

const MASTER_SEED: u64 = 2001;
const PENETRATIONS: [f64; 3] = [0.16, 0.50, 0.95];

/// Three log-spaced levels from `low` to `high`.
fn levels(low: f64, high: f64) -> [f64; 3] {
    [low, (low * high).sqrt(), high]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let runs_per_cell: u64 = match std::env::args().nth(1) {
        Some(arg) => arg.parse()?,
        None => 10,
    };
    let ties = [5_u32, 12, 29];
    let mut cells = Vec::new();
    for a in levels(0.0005, 0.01) {
        for bw in levels(0.005, 0.015) {
            for bs in levels(0.01, 0.07) {
                for weak in ties {
                    for strong in ties {
                        let config = TalkOfNetworkConfig::default()
                            .population(3_000)
                            .rates(TalkRates::new(a, bw, bs)?)
                            .weak_ties(TieCount::fixed(weak))
                            .strong_ties(TieCount::fixed(strong))
                            .stop_at(0.95)
                            .horizon(5_000);
                        cells.push(TalkOfNetwork::new(config)?);
                    }
                }
            }
        }
    }
    println!(
        "{} cells x {runs_per_cell} runs, population 3,000, master seed {MASTER_SEED}",
        cells.len()
    );

    // Every (cell, run) pair has its own stream: unit index = cell * runs + run.
    let runs: Vec<(usize, TalkRun)> = (0..cells.len() as u64 * runs_per_cell)
        .into_par_iter()
        .map(|unit| {
            let cell = (unit / runs_per_cell) as usize;
            (cell, cells[cell].run_seeded(MASTER_SEED, unit))
        })
        .collect();

    let mut verdicts = Vec::new();
    for penetration in PENETRATIONS {
        let mut outcomes = Vec::new();
        let mut not_reached = 0;
        for (cell, run) in &runs {
            match run.time_to(penetration) {
                Some(periods) => outcomes.push(DesignOutcome::new(cells[*cell].config(), periods)),
                None => not_reached += 1,
            }
        }
        let fit = Elasticities::estimate(&outcomes)?;
        println!(
            "\n== time to {:.0} % penetration: ln(periods) on ln(parameters), {} runs \
             ({not_reached} did not get there), R^2 = {:.3}",
            100.0 * penetration,
            fit.observations,
            fit.r_squared
        );
        println!(
            "{:<30} {:>11}   {:<22}",
            "parameter", "elasticity", "95 % CI"
        );
        for parameter in DesignParameter::ALL {
            if let Some(estimate) = fit.of(parameter) {
                print_row(parameter.name(), estimate);
            }
        }
        println!("contrasts, weak minus strong (negative: weak ties shorten the time more):");
        use DesignParameter::*;
        let strength = fit
            .contrast(&[WeakStrength], &[StrongStrength])
            .ok_or("missing parameter")?;
        let count = fit
            .contrast(&[WeakTies], &[StrongTies])
            .ok_or("missing parameter")?;
        print_row("  bw - bs (tie strength)", strength);
        print_row("  meetings - network size", count);
        let stage = format!("{:.0} %", 100.0 * penetration);
        println!("  => tie strength at {stage}: {}", verdict(strength));
        let ratio = fit.of(WeakStrength).ok_or("missing parameter")?.value
            / fit.of(StrongStrength).ok_or("missing parameter")?.value;
        verdicts.push((stage, strength, ratio));
    }

    println!(
        "\nConclusion (GLM's question: is the weak-tie parameter bw at least as influential as \
         the strong-tie parameter bs, percent for percent?):"
    );
    // "At least as influential": the weak-minus-strong contrast is not
    // significantly above 0.
    let at_least_as_influential = |strength: &Estimate| strength.ci95().0 <= 0.0;
    for (stage, strength, ratio) in &verdicts {
        let answer = if at_least_as_influential(strength) {
            "yes"
        } else {
            "no"
        };
        println!(
            "  to {stage:>4} penetration: {answer:<3} bw's elasticity is {:.0} % of bs's; {}",
            100.0 * ratio,
            verdict(*strength)
        );
    }
    let stages_yes = verdicts
        .iter()
        .filter(|(_, strength, _)| at_least_as_influential(strength))
        .count();
    let ratios: Vec<f64> = verdicts.iter().map(|(_, _, ratio)| *ratio).collect();
    let growing = ratios.windows(2).all(|w| w[0] <= w[1]);
    println!(
        "  => weak ties at least as influential as strong ties at {stages_yes} of {} stages; the \
         weak-tie effect is {:.0}..{:.0} % of the strong-tie effect{}.",
        verdicts.len(),
        100.0 * ratios.iter().copied().fold(f64::INFINITY, f64::min),
        100.0 * ratios.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        if growing {
            " and grows as the diffusion proceeds"
        } else {
            ""
        }
    );

    println!("\nmean periods to 50 % by level (95 % CI), each averaged over the other parameters:");
    for parameter in DesignParameter::ALL {
        let mut line = format!("{:<30}", parameter.name());
        let mut values: Vec<f64> = runs
            .iter()
            .map(|(cell, _)| DesignOutcome::new(cells[*cell].config(), 1).value(parameter))
            .collect();
        values.sort_by(f64::total_cmp);
        values.dedup();
        for level in values {
            let times: Vec<f64> = runs
                .iter()
                .filter(|(cell, _)| {
                    DesignOutcome::new(cells[*cell].config(), 1).value(parameter) == level
                })
                .filter_map(|(_, run)| run.time_to(0.5))
                .map(f64::from)
                .collect();
            let (mean, half) = mean_and_half_width(&times);
            line.push_str(&format!("  {level:>7.4}: {mean:6.1} +/- {half:4.1}"));
        }
        println!("{line}");
    }
    Ok(())
}

fn print_row(name: &str, estimate: Estimate) {
    let (low, high) = estimate.ci95();
    println!(
        "{name:<30} {:>11.3}   [{low:>7.3}, {high:>7.3}]",
        estimate.value
    );
}

/// Reads a weak-minus-strong contrast of elasticities (negative: weak ties
/// shorten the time more).
fn verdict(contrast: Estimate) -> &'static str {
    let (low, high) = contrast.ci95();
    if high < 0.0 {
        "weak ties more influential (CI below 0)"
    } else if low > 0.0 {
        "strong ties more influential (CI above 0)"
    } else {
        "no significant difference (CI contains 0)"
    }
}

fn mean_and_half_width(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, 1.959_963_984_540_054 * (variance / n).sqrt())
}
