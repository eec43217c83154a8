//! `social-loop crm cev` and `social-loop run --cev`: the CSV interface, exactly.
// A failure here is the verdict: unwrap, expect and panic are the asserts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{err_2, ok_stdout, social_loop, temp_dir, temp_file};
use social_loop::Decimal;
use social_loop::crm::SyntheticCrm;

const HEADER: &str = "customer,currency,clv,crv,civ,ckv,cev,cev_lo,cev_hi";
const SHIPPED: &str = include_str!("../../examples/scenario.json");

/// Checks the CSV's header and that every row's parts add up to its CEV
/// inside its interval; returns the rows.
fn check_csv(path: &std::path::Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some(HEADER));
    let rows: Vec<Vec<String>> = lines
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    for row in &rows {
        assert_eq!(row.len(), 9, "{row:?}");
        let d: Vec<Decimal> = row[2..].iter().map(|x| x.parse().unwrap()).collect();
        assert_eq!(d[4], d[0] + d[1] + d[2] + d[3], "{row:?}");
        assert!(d[5] <= d[4] && d[4] <= d[6], "{row:?}");
    }
    rows
}

/// `social-loop crm cev --events EVENTS --out OUT EXTRA...`.
fn crm_cev(
    events: &std::path::Path,
    out: &std::path::Path,
    extra: &[&str],
) -> std::process::Output {
    let mut args: Vec<&std::ffi::OsStr> = vec![
        "crm".as_ref(),
        "cev".as_ref(),
        "--events".as_ref(),
        events.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ];
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    social_loop(args)
}

#[test]
fn crm_cev_writes_the_csv_of_every_customer_ranked() {
    let events = SyntheticCrm::new(1_200).seed(4).events().unwrap();
    let text: String = events
        .iter()
        .map(|e| serde_json::to_string(e).unwrap() + "\n")
        .collect::<String>()
        + "{\"id\":\"broken\"}\n";
    let file = temp_file("cev", "events.jsonl", &text);
    let out_csv = temp_dir("cev").join("book.csv");
    let out = crm_cev(
        &file,
        &out_csv,
        &[
            "--gain",
            "battery=5000:EUR",
            "--draws",
            "20",
            "--reach-sets",
            "50",
        ],
    );
    let stdout = ok_stdout(&out);
    assert!(
        stdout.contains("(1 rejected)") && stdout.contains("wrote"),
        "{stdout}"
    );
    assert!(stdout.contains("CEV") && stdout.contains("CRV"), "{stdout}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let broken = format!("line {}, column", events.len() + 1);
    assert!(stderr.contains(&broken), "{stderr}");
    let rows = check_csv(&out_csv);
    assert!(rows.len() > 1_000, "{} rows", rows.len());
    let eur: Vec<Decimal> = rows
        .iter()
        .filter(|r| r[1] == "EUR")
        .map(|r| r[6].parse().unwrap())
        .collect();
    assert!(eur.windows(2).all(|w| w[0] >= w[1]), "ranked by CEV");
    let ckv: Decimal = rows
        .iter()
        .filter(|r| r[1] == "EUR")
        .map(|r| r[5].parse::<Decimal>().unwrap())
        .sum();
    assert_eq!(ckv, Decimal::from(5_000));
}

#[test]
fn crm_cev_skips_a_currency_it_cannot_fit_and_says_so_on_stderr() {
    let mut text: String = SyntheticCrm::new(400)
        .seed(1)
        .events()
        .unwrap()
        .iter()
        .map(|e| serde_json::to_string(e).unwrap() + "\n")
        .collect();
    // Three customers who paid once each in GBP: no model fits GBP.
    for i in 0..3 {
        text.push_str(&format!(
            "{{\"id\":\"gbp-{i}\",\"at\":\"2024-05-01T10:00:00Z\",\"customer\":\"brit-{i}\",\"kind\":{{\"type\":\"purchase\"}},\"money\":{{\"amount\":\"25.00\",\"currency\":\"GBP\"}}}}\n"
        ));
    }
    let file = temp_file("cev", "gbp.jsonl", &text);
    let out_csv = temp_dir("cev").join("gbp.csv");
    let out = crm_cev(&file, &out_csv, &["--draws", "20"]);
    ok_stdout(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning:")
            && stderr.contains("skipped the currency GBP (3 customers): the fit failed on "),
        "{stderr}"
    );
    let rows = check_csv(&out_csv);
    assert!(rows.len() > 300, "{} rows", rows.len());
    assert!(
        rows.iter().all(|r| r[1] == "EUR" || r[1] == "USD"),
        "no GBP row"
    );
}

#[test]
fn crm_cev_names_a_missing_file_and_a_bad_gain() {
    let out_csv = temp_dir("cev").join("never.csv");
    let err = err_2(&social_loop([
        "crm".as_ref(),
        "cev".as_ref(),
        "--events".as_ref(),
        "no/such/file.jsonl".as_ref(),
        "--out".as_ref(),
        out_csv.as_os_str(),
    ]));
    assert!(err.contains("--events no/such/file.jsonl"), "{err}");
    let out = social_loop([
        "crm".as_ref(),
        "cev".as_ref(),
        "--events".as_ref(),
        "x.jsonl".as_ref(),
        "--out".as_ref(),
        out_csv.as_os_str(),
        "--gain".as_ref(),
        "battery:5000".as_ref(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("TOPIC=AMOUNT:CURRENCY"));
    assert!(!out_csv.exists());
}

#[test]
fn run_cev_writes_the_same_columns_for_simulated_customers() {
    let scenario = temp_file("cev", "scenario.json", SHIPPED);
    let out_csv = temp_dir("cev").join("sim.csv");
    let out_dir = temp_dir("cev").join("run");
    let out = social_loop([
        "run".as_ref(),
        scenario.as_os_str(),
        "--horizon".as_ref(),
        "3".as_ref(),
        "--out".as_ref(),
        out_dir.as_os_str(),
        "--cev".as_ref(),
        out_csv.as_os_str(),
        "--cev-runs".as_ref(),
        "2".as_ref(),
    ]);
    let stdout = ok_stdout(&out);
    assert!(
        stdout.contains("against the customer actor's attribution"),
        "{stdout}"
    );
    let rows = check_csv(&out_csv);
    assert_eq!(rows.len(), 3_000);
}
