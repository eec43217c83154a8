//! A CRM's event stream into a customer book, and what the book tells a person.
//!
//! ```text
//! cargo run --release --example crm_events              # generate, then read
//! cargo run --release --example crm_events -- my.jsonl  # read your own file
//! ```
//!
//! Without a path it writes a JSON Lines file of realistic events for 3,000
//! customers over a year (with retried duplicates, late arrivals and a few bad
//! records, as webhooks deliver them) to the temporary directory, then reads it
//! back like any other file. It prints the import outcome, the funnel, NPS,
//! revenue and word of mouth, the top advocates, adversaries and influencers,
//! the top customers by lifetime value (a BG/NBD and Gamma-Gamma fitted on the
//! book's own purchases, per currency) next to them, and the full explanation
//! of one customer.

#[macro_use]
mod common; // println! and print! that end quietly when stdout closes (`| head`)

use std::error::Error;
use std::fmt::Write as _;
use std::io::{BufReader, Write};
use std::path::PathBuf;
use std::time::Instant;

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use social_loop::clv::ValueOptions;
use social_loop::crm::{
    BookValueOptions, CustomerBook, ExplainOptions, RankOptions, Ranked, SyntheticCrm,
};
use social_loop::{FunnelStage, Stage};

const CUSTOMERS: usize = 3_000;

fn main() -> Result<(), Box<dyn Error>> {
    let path = match std::env::args_os().nth(1) {
        Some(p) => PathBuf::from(p),
        None => write_sample()?,
    };
    let started = Instant::now();
    let file = std::fs::File::open(&path)?;
    let mut book = CustomerBook::new();
    let report = book.import_jsonl(BufReader::new(file))?;
    let c = report.counts;
    println!("# {}", path.display());
    println!(
        "{} records in {:.0} ms: {} applied ({} of them late, {} with warnings), {} duplicates ignored, {} conflicting retries, {} rejected",
        c.records(),
        started.elapsed().as_secs_f64() * 1e3,
        c.applied,
        c.late,
        c.warned,
        c.duplicates,
        c.conflicts,
        c.rejected
    );
    for (position, warning) in report.warnings().take(3) {
        println!("  warning {position}: {}", clip(&warning.to_string(), 100));
    }
    for (position, reason) in report.rejections().take(6) {
        // A parse error names its line itself.
        let text = match reason {
            social_loop::Error::Parse { .. } => reason.to_string(),
            _ => format!("{position}: {reason}"),
        };
        println!("  rejected {}", clip(&text, 110));
    }
    if c.rejected > 6 {
        println!("  ... and {} more", c.rejected - 6);
    }

    println!("\n## Funnel now ({} customers)", book.customer_count());
    let funnel = book.funnel();
    for stage in FunnelStage::ALL {
        let rate = funnel.rate(stage);
        println!(
            "  {:<14} {:>6}  {:>5.1}%  {}",
            stage.name(),
            funnel.count(stage),
            100.0 * rate,
            "#".repeat((rate * 40.0).round() as usize)
        );
    }
    let counts = book.stage_counts();
    let stages: Vec<String> = Stage::ALL
        .iter()
        .map(|s| format!("{} {}", s, counts[*s]))
        .collect();
    println!("  stages: {}", stages.join(", "));

    let nps = book.nps();
    let score = |t: &social_loop::customer::NpsTally| {
        t.score().map_or("n/a".to_string(), |s| format!("{s:+.1}"))
    };
    println!("\n## NPS");
    println!(
        "  measured {} ({} answers: {} promoters, {} passives, {} detractors)",
        score(&nps.measured),
        nps.measured.respondents(),
        nps.measured.promoters,
        nps.measured.passives,
        nps.measured.detractors
    );
    println!(
        "  modelled {} (every customer, from the sentiment of their state)",
        score(&nps.modelled)
    );

    let revenue = book.revenue()?;
    let attribution = book.referral_attribution()?;
    println!("\n## Money (per currency, never mixed)");
    println!("  purchases {}", revenue.purchases);
    println!("  refunds   {}", revenue.refunds);
    println!("  net       {}", revenue.net);
    println!(
        "  word of mouth: customers who came by referral bought {} net after their referral",
        attribution.referred_revenue
    );
    for credit in attribution.credits.iter().take(3) {
        println!(
            "    {} brought {} directly ({}), {} in all down the chain ({})",
            credit.referrer,
            credit.referred.len(),
            credit.direct_revenue,
            credit.chain_customers,
            credit.chain_revenue
        );
    }

    let started = Instant::now();
    let ranking = book.rank(RankOptions::default().top(5))?;
    println!(
        "\n## Who matters now (network of {} customers and {} ties, {} runs each, {:.0} ms)",
        ranking.network[0],
        ranking.network[1],
        ranking.runs,
        started.elapsed().as_secs_f64() * 1e3
    );
    print_list(
        "top advocates, by expected positive reach",
        &ranking.advocates,
    );
    print_list(
        "top adversaries, by expected negative reach",
        &ranking.adversaries,
    );
    print_list("top influencers, by expected spread", &ranking.influencers);

    // Customer value: BG/NBD + Gamma-Gamma fitted on the book's own purchase
    // histories (one fit per currency), next to the ranking by reach.
    let started = Instant::now();
    let values = book.customer_values(
        BookValueOptions::default().value(ValueOptions::default().horizon_periods(52)?.draws(50)),
    );
    println!(
        "\n## Who is worth most (CLV over 52 weeks, margin 30%, 10% a year; {:.0} ms)",
        started.elapsed().as_secs_f64() * 1e3
    );
    match values {
        Ok(values) => {
            for currency in &values {
                let params: Vec<String> = currency
                    .fit
                    .estimates
                    .parameters
                    .iter()
                    .map(|p| format!("{} {:.3}", p.name, p.estimate))
                    .collect();
                println!(
                    "  {} ({} customers; BG/NBD {}):",
                    currency.currency,
                    currency.values.customers.len(),
                    params.join(", ")
                );
                for (i, c) in currency.top(5).iter().enumerate() {
                    let reach = ranking
                        .influencers
                        .iter()
                        .position(|r| r.customer == c.customer)
                        .map_or("-".to_string(), |p| format!("#{}", p + 1));
                    println!(
                        "    {}. {:<12} CLV {:>9} (95% CI {}-{})  P(alive) {:.2}  influencer rank {reach}",
                        i + 1,
                        c.customer.as_str(),
                        c.clv,
                        c.clv_ci95[0],
                        c.clv_ci95[1],
                        c.p_alive
                    );
                }
            }
        }
        Err(e) => println!("  (no customer value: {e})"),
    }

    // Explain the adversary with the longest story (or anyone who moved most).
    let pick = book
        .customers()
        .filter(|(_, s)| s.stage() == Stage::Adversary)
        .map(|(id, _)| id.clone())
        .chain(book.customers().map(|(id, _)| id.clone()))
        .take(400)
        .max_by_key(|id| {
            book.explain(id.as_str(), ExplainOptions::default())
                .map_or(0, |e| e.moves.len() * 10 + e.factors.len())
        });
    if let Some(id) = pick {
        println!("\n## Why? One customer explained");
        let why = book.explain(id.as_str(), ExplainOptions::default())?;
        let mut text = String::new();
        for line in why.to_string().lines() {
            writeln!(text, "  {line}")?;
        }
        print!("{text}");
    }
    Ok(())
}

fn print_list(title: &str, list: &[Ranked]) {
    println!("  {title}:");
    if list.is_empty() {
        println!("    (none)");
    }
    for (i, r) in list.iter().enumerate() {
        println!(
            "    {}. {:<12} {:<9} reach {:>5.2} (95% CI {:.2}-{:.2})",
            i + 1,
            r.customer.as_str(),
            r.stage.name(),
            r.reach.mean,
            r.reach.ci95[0],
            r.reach.ci95[1]
        );
    }
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}...", s.chars().take(n).collect::<String>())
    }
}

/// Writes the sample file: synthetic events in a webhook-like arrival order.
fn write_sample() -> Result<PathBuf, Box<dyn Error>> {
    let events = SyntheticCrm::new(CUSTOMERS).seed(2024).events()?;
    let mut lines: Vec<String> = events
        .iter()
        .map(serde_json::to_string)
        .collect::<Result<_, _>>()?;
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
    // Late arrivals: 5% of the events are delivered up to 500 lines later.
    let n = lines.len();
    for i in 0..n {
        if rng.random_bool(0.05) {
            let j = (i + rng.random_range(1..500)).min(n - 1);
            lines.swap(i, j);
        }
    }
    // Retries: 3% of the lines are delivered again a little later.
    let mut delivered = Vec::with_capacity(n + n / 20);
    let mut retries: Vec<(usize, String)> = Vec::new();
    for (i, line) in lines.into_iter().enumerate() {
        while let Some(pos) = retries.iter().position(|(at, _)| *at <= i) {
            delivered.push(retries.swap_remove(pos).1);
        }
        if rng.random_bool(0.03) {
            retries.push((i + rng.random_range(1..50), line.clone()));
        }
        delivered.push(line);
    }
    delivered.extend(retries.into_iter().map(|(_, l)| l));
    // A few bad records, as real integrations produce them.
    let bad = [
        r#"{"id":"bad-1","at":"2024-02-30T10:00:00Z","customer":"cust-000001","kind":{"type":"purchase"}}"#,
        r#"{"id":"bad-2","at":"2024-05-01T10:00:00Z","customer":"cust-000002","kind":{"type":"purchase"},"money":{"amount":"19.99","currency":"euro"}}"#,
        r#"{"id":"bad-3","at":"2024-05-01T10:00:00Z","customer":"cust-000003","kind":{"type":"nps_response","score":11}}"#,
        r#"{"id":"bad-4","at":"2024-05-01T10:00:00Z","customer":"cust-000004","kind":{"type":"referral"}}"#,
        r#"{"id":"bad-5","at":"2024-05-01T10:00:00Z","customer":"cust-000005","kind":{"type":"refund"},"money":{"amount":"-5.00","currency":"EUR"}}"#,
        r#"{"id":"bad-6","at":"2024-05-01T10:00:00Z","customer":"cust-000006","kind":{"type":"purchase"},"money":{"amount":"9.9999999","currency":"EUR"}}"#,
        r#"{"id":"bad-7" "at":"2024-05-01T10:00:00Z"}"#,
        "<html>502 Bad Gateway</html>",
    ];
    for (k, line) in bad.iter().enumerate() {
        let at = (k + 1) * delivered.len() / (bad.len() + 1);
        delivered.insert(at, line.to_string());
    }
    let path = std::env::temp_dir().join("social_loop_crm_events.jsonl");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
    for line in &delivered {
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    println!(
        "wrote {} lines for {CUSTOMERS} customers ({} events, {} retried, 5% late, {} bad) to {}\n",
        delivered.len(),
        events.len(),
        delivered.len() - events.len() - bad.len(),
        bad.len(),
        path.display()
    );
    Ok(path)
}
