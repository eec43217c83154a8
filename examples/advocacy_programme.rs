//! `advocacy_programme`: whom should a brand invite to its advocacy programme?
//!
//! ```text
//! cargo run --release --example advocacy_programme
//! ```
//!
//! The network is the Bitcoin OTC who-trusts-whom graph
//! (`../shared/data/soc-sign-bitcoinotc.csv`, 5,881 traders, 35,592 signed
//! ratings). When the file is absent, the example says so and uses a generated
//! signed network instead (Barabasi-Albert, 3,000 customers, 12% of ties turned
//! into distrust), so it always runs.
//!
//! **Story.** The file lists "`v` rated `u`"; read with `reverse`, it becomes the
//! tie `u -> v`: `v` listens to `u`. Its sign is the rating's (trust or
//! distrust) and the chance that `u`'s word of mouth reaches `v` is the
//! weighted-cascade `1 / (number of people v listens to)` (the ratings' sizes say
//! how much `v` trusts `u`, not how often they talk). The 25 traders who gave the
//! most negative ratings are today's **adversaries**: vocal critics who spread
//! negative word of mouth in the same runs (signed cascade, first arrival wins,
//! neutral tie rule, distrust flips the message). They are never invited.
//!
//! **Cost model.** Inviting a customer costs a base fee of 40.00 plus 0.50 per
//! person who listens to them (their out-degree): well-connected customers ask for
//! more (gifts, early access, a bigger referral bonus). The programme invites at
//! most 20 customers within a budget of 2,000.00.
//!
//! **Strategies compared** (each with at most 20 customers within the budget):
//! * IMM, signed-aware: maximises expected positive reach − 2 × negative reach
//!   (a detractor counts double), against the adversaries;
//! * IMM on the spread alone (blind to signs and to the adversaries' competition;
//!   the adversaries are excluded, as in every strategy);
//! * highest degree (the classic "invite the influencers with most followers");
//! * random.
//!
//! **Funnel lift.** Every estimate comes from 10,000 independent Monte Carlo runs
//! of the signed cascade (a stream apart from the selection's), against the
//! baseline of no programme (the adversaries alone). A customer who ends with a
//! positive opinion enters the funnel with the illustrative conversion rates below
//! (awareness 100%, consideration 40%, purchase 12%, loyalty 7%, advocacy 3%); a
//! customer who ends negative is lost to the funnel. The lift at a stage is the
//! rate times the change in net opinion (positive − negative) against the
//! baseline, with a conservative 95% interval (standard errors added).

#[macro_use]
mod common; // println! and print! that end quietly when stdout closes (`| head`)

use social_loop::propagation::MonteCarloSettings;
use std::collections::HashMap;
use std::path::Path;

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use rust_decimal::Decimal;
use social_loop::Probability;
use social_loop::network::io::{EdgeFormat, ReadOptions, read_edge_list_file};
use social_loop::network::{BarabasiAlbert, InfluenceNetwork, TieSign, WeightScheme};
use social_loop::propagation::{CompiledNetwork, Model, MonteCarlo, Z_95};
use social_loop::targeting::{Algorithm, Costs, Selection, Targeting};

/// Customers invited at most.
const INVITATIONS: usize = 20;
/// Adversaries: the traders with the most negative ratings given.
const ADVERSARIES: usize = 25;
/// Weight of one negative customer against one positive one.
const NEGATIVE_WEIGHT: f64 = 2.0;
/// Evaluation runs.
const RUNS: u64 = 10_000;
/// Master seed of the selections (the evaluations use `SEED + 1`, a stream apart).
const SEED: u64 = 2024;
/// Illustrative funnel conversion rates for a customer with a positive opinion.
const FUNNEL: [(&str, f64); 5] = [
    ("awareness", 1.0),
    ("consideration", 0.40),
    ("purchase", 0.12),
    ("loyalty", 0.07),
    ("advocacy", 0.03),
];

type Failure = Box<dyn std::error::Error>;

/// The Bitcoin OTC network, or a generated signed stand-in.
fn load_network() -> Result<(InfluenceNetwork, String), Failure> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/soc-sign-bitcoinotc.csv");
    if path.exists() {
        // "rater rated ratee": the ratee's word reaches the rater.
        let options = ReadOptions::default()
            .format(EdgeFormat::SignedCsv)
            .reverse(true)
            .weights(WeightScheme::WeightedCascade);
        let (net, _) = read_edge_list_file(&path, options)?;
        return Ok((net, "Bitcoin OTC trust network".to_string()));
    }
    println!(
        "note: {} is absent; using a generated signed network instead",
        path.display()
    );
    let base = BarabasiAlbert::new(3_000, 3).generate(Probability::ONE, SEED)?;
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(SEED);
    let triples: Vec<(String, String, f64)> = base
        .ties()
        .map(|t| {
            let sign = if rng.random_bool(0.12) { -1.0 } else { 1.0 };
            (t.from.to_string(), t.to.to_string(), sign)
        })
        .collect();
    let mut net = InfluenceNetwork::from_triples(triples)?;
    WeightScheme::WeightedCascade.apply(&mut net);
    Ok((
        net,
        "generated signed network (Barabasi-Albert, 12% distrust)".to_string(),
    ))
}

/// The `count` customers who gave the most negative ratings (ties: id order):
/// a rating given is a tie into the rater.
fn vocal_critics(net: &InfluenceNetwork, count: usize) -> Vec<String> {
    let mut negative: HashMap<&str, usize> = HashMap::new();
    for tie in net.ties() {
        if tie.tie.sign == TieSign::Negative {
            *negative.entry(tie.to.as_str()).or_default() += 1;
        }
    }
    let mut critics: Vec<(&str, usize)> = negative.into_iter().collect();
    critics.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    critics
        .into_iter()
        .take(count)
        .map(|(id, _)| id.to_string())
        .collect()
}

/// `mean ± half-width` of a 95% interval.
fn interval(mean: f64, std_err: f64) -> String {
    format!("{mean:8.1} ± {:5.1}", Z_95 * std_err)
}

fn main() -> Result<(), Failure> {
    let (net, name) = load_network()?;
    let adversaries = vocal_critics(&net, ADVERSARIES);
    let network = CompiledNetwork::from_network(&net);
    let costs = Costs::by_out_degree(&network, Decimal::new(4000, 2), Decimal::new(50, 2))?;
    let budget = Decimal::new(200_000, 2);
    let model = Model::signed_neutral();

    println!("Advocacy programme on the {name}");
    println!(
        "  {} customers, {} ties; {} current adversaries; invite at most {} within {} \
         (cost = 40.00 + 0.50 per listener)",
        network.node_count(),
        network.arc_count(),
        adversaries.len(),
        INVITATIONS,
        budget
    );

    // The baseline: no programme, the adversaries alone.
    let baseline = MonteCarlo::new(model)
        .settings(MonteCarloSettings::new(RUNS, SEED + 1)?)
        .estimate_signed(&network, std::iter::empty::<&str>(), &adversaries)?
        .signed
        .ok_or("the signed cascade reports signed reach")?;
    println!(
        "  without a programme: positive reach {}, negative reach {}",
        interval(baseline.positive.mean, baseline.positive.std_err),
        interval(baseline.negative.mean, baseline.negative.std_err)
    );
    println!();

    let signed = Targeting::new(Algorithm::Imm)
        .model(model)
        .adversaries(&adversaries)
        .negative_weight(NEGATIVE_WEIGHT)
        .epsilon(0.1)
        .seed(SEED)
        .evaluation(MonteCarloSettings::new(RUNS, SEED + 1)?)
        .gains(MonteCarloSettings::new(200, 2)?)
        .max_seeds(INVITATIONS);
    let strategies: [(&str, Targeting); 4] = [
        ("IMM, signed-aware", signed.clone()),
        (
            "IMM, spread only",
            signed
                .clone()
                .model(Model::IndependentCascade)
                .adversaries(Vec::<String>::new())
                .exclude(&adversaries),
        ),
        (
            "highest degree",
            signed.clone().algorithm(Algorithm::Degree),
        ),
        ("random", signed.clone().algorithm(Algorithm::Random)),
    ];
    let mut results: Vec<(&str, Selection)> = Vec::new();
    for (label, targeting) in strategies {
        let mut selection = targeting.select_within_budget(&network, &costs, budget)?;
        if selection.model != model {
            // Chosen blind to signs: evaluate the same customers on the signed cascade.
            let chosen: Vec<&str> = selection.seeds.iter().map(|c| c.as_str()).collect();
            let est = MonteCarlo::new(model)
                .settings(MonteCarloSettings::new(RUNS, SEED + 1)?)
                .estimate_signed(&network, &chosen, &adversaries)?;
            selection.evaluation.signed = est.signed;
        }
        results.push((label, selection));
    }

    println!(
        "{:<20} {:>7} {:>10} {:>17} {:>17} {:>17}",
        "strategy", "invited", "cost", "positive reach", "negative reach", "pos - 2 x neg"
    );
    for (label, selection) in &results {
        let reach = selection
            .evaluation
            .signed
            .ok_or("the signed cascade reports signed reach")?;
        let objective = reach.positive.mean - NEGATIVE_WEIGHT * reach.negative.mean;
        let objective_se = reach.positive.std_err + NEGATIVE_WEIGHT * reach.negative.std_err;
        println!(
            "{:<20} {:>7} {:>10} {:>17} {:>17} {:>17}",
            label,
            selection.seeds.len(),
            selection.total_cost.unwrap_or_default().round_dp(2),
            interval(reach.positive.mean, reach.positive.std_err),
            interval(reach.negative.mean, reach.negative.std_err),
            interval(objective, objective_se),
        );
    }

    println!();
    println!(
        "Funnel lift against no programme (expected extra customers at each stage, 95% interval):"
    );
    print!("{:<20}", "strategy");
    for (stage, _) in FUNNEL {
        print!(" {stage:>17}");
    }
    println!();
    for (label, selection) in &results {
        let reach = selection
            .evaluation
            .signed
            .ok_or("the signed cascade reports signed reach")?;
        let net_change = (reach.positive.mean - reach.negative.mean)
            - (baseline.positive.mean - baseline.negative.mean);
        let se = reach.positive.std_err
            + reach.negative.std_err
            + baseline.positive.std_err
            + baseline.negative.std_err;
        print!("{label:<20}");
        for (_, rate) in FUNNEL {
            print!(" {:>17}", interval(rate * net_change, rate * se));
        }
        println!();
    }

    let best = &results[0].1;
    println!();
    println!(
        "Signed-aware IMM invites: {}",
        best.seeds
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "(selection {:.0} ms on {} RR sets, {:.1} MB of RR memory; evaluation {:.0} ms)",
        best.timings.selection_ms,
        best.rr_sets.map_or(0, |s| s.final_sets),
        best.rr_sets.map_or(0.0, |s| s.memory_bytes as f64 / 1e6),
        best.timings.evaluation_ms
    );
    Ok(())
}
