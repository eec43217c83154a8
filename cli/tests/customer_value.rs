//! `social-loop customer-value`: the flags, the JSON line and the CSV columns
//! that scripts depend on, on both CDNOW files and on small logs.
// A failure here is the verdict: unwrap, expect and panic are the asserts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{data, err_2, json_line, keys_in_order, ok_stdout, social_loop, temp_dir, temp_file};

const CSV_HEADER: &str = "customer,x,t_x,T,expected_holdout,p_alive,expected_spend,clv";

fn run(args: &[&str]) -> std::process::Output {
    social_loop(std::iter::once("customer-value").chain(args.iter().copied()))
}

/// A small log drawn from a BG/NBD-like process with a fixed generator: 200
/// customers join in January, buy at exponential gaps of rate 0.02 to 0.3
/// a day and stop after each purchase with a probability of 0.02 to 0.72
/// (heterogeneous, as the BG/NBD's Beta).
fn small_log() -> std::path::PathBuf {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut uniform = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut text = String::from("customer,date,amount,currency\n");
    for i in 0..200u32 {
        let rate = 0.02 + 0.28 * uniform() * uniform();
        let drop = 0.02 + 0.7 * uniform() * uniform();
        let mut day = 1.0 + (uniform() * 31.0).floor();
        loop {
            text.push_str(&format!(
                "c{i:03},{},{}.{:02},EUR\n",
                day_of_2024(day as u32),
                10 + i % 17,
                i % 100
            ));
            if uniform() < drop {
                break;
            }
            day += -(1.0 - uniform()).ln() / rate;
            if day > 182.0 {
                break;
            }
        }
    }
    temp_file("customer_value", "small.csv", &text)
}

/// Day `n` (1-based) of 2024 as YYYY-MM-DD.
fn day_of_2024(mut n: u32) -> String {
    let months = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    for (m, len) in months.iter().enumerate() {
        if n <= *len {
            return format!("2024-{:02}-{n:02}", m + 1);
        }
        n -= len;
    }
    unreachable!("beyond 2024")
}

#[test]
fn the_json_line_has_the_issues_fields_in_order_and_the_csv_its_columns() {
    let log = small_log();
    let out_csv = temp_dir("customer_value").join("small_out.csv");
    let out = run(&[
        "--transactions",
        log.to_str().unwrap(),
        "--format",
        "csv",
        "--calibration-end",
        "2024-04-30",
        "--holdout-end",
        "2024-06-30",
        "--period",
        "week",
        "--model",
        "bgnbd",
        "--margin",
        "0.25",
        "--annual-discount",
        "0.08",
        "--horizon-periods",
        "52",
        "--out",
        out_csv.to_str().unwrap(),
    ]);
    let stdout = ok_stdout(&out);
    assert_eq!(
        keys_in_order(stdout.trim()),
        [
            "model",
            "customers",
            "params",
            "log_likelihood",
            "holdout",
            "elapsed_ms"
        ]
    );
    let v = json_line(&out);
    assert_eq!(v["model"], "bgnbd");
    assert_eq!(v["customers"], 200);
    for name in ["r", "alpha", "a", "b"] {
        let p = &v["params"][name];
        let (e, lo, hi) = (
            p["estimate"].as_f64().unwrap(),
            p["ci95"][0].as_f64().unwrap(),
            p["ci95"][1].as_f64().unwrap(),
        );
        assert!(
            p["std_err"].as_f64().unwrap() > 0.0 && lo < e && e < hi,
            "{name}: {p}"
        );
    }
    assert!(v["holdout"]["actual"].as_u64().unwrap() > 0);
    let csv = std::fs::read_to_string(&out_csv).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some(CSV_HEADER));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 200);
    assert!(rows.iter().all(|r| r.len() == 8));
    assert_eq!(rows[0][0], "c000");
    for r in &rows {
        let (x, t_x, t): (u32, f64, f64) = (
            r[1].parse().unwrap(),
            r[2].parse().unwrap(),
            r[3].parse().unwrap(),
        );
        assert!(t_x <= t && (x == 0) == (t_x == 0.0), "{r:?}");
        let p: f64 = r[5].parse().unwrap();
        assert!((0.0..=1.0).contains(&p));
    }
    let predicted: f64 = rows.iter().map(|r| r[4].parse::<f64>().unwrap()).sum();
    assert!((predicted - v["holdout"]["predicted"].as_f64().unwrap()).abs() < 1e-4);
}

#[test]
fn bad_lines_exit_2_naming_file_and_line() {
    for (name, text, want) in [
        (
            "neg.csv",
            "a,2024-01-01,5\na,2024-02-01,-3\n",
            "line 2: amount `-3` is negative",
        ),
        (
            "date.csv",
            "a,2024-01-01,5\nb,2024-02-30,3\n",
            "line 2: date `2024-02-30`",
        ),
        (
            "fields.csv",
            "a;2024-01-01;5\n",
            "line 1: expected `customer,date,amount[,currency]`",
        ),
        (
            "num.csv",
            "a,2024-01-01,five\n",
            "line 1: amount `five` is not a number",
        ),
    ] {
        let file = temp_file("customer_value", name, text);
        let err = err_2(&run(&[
            "--transactions",
            file.to_str().unwrap(),
            "--format",
            "csv",
            "--calibration-end",
            "2024-06-30",
            "--model",
            "bgnbd",
        ]));
        assert!(
            err.contains(&format!("{}: {want}", file.display())),
            "{err}"
        );
    }
    let empty = temp_file("customer_value", "empty.csv", "");
    let err = err_2(&run(&[
        "--transactions",
        empty.to_str().unwrap(),
        "--format",
        "csv",
        "--calibration-end",
        "2024-06-30",
        "--model",
        "bgnbd",
    ]));
    assert!(err.contains("no purchase"), "{err}");
    let err = err_2(&run(&[
        "--transactions",
        small_log().to_str().unwrap(),
        "--format",
        "csv",
        "--calibration-end",
        "2024-04-30",
        "--model",
        "bgnbd",
        "--margin",
        "1.5",
    ]));
    assert!(err.contains("--margin: 1.5 is not in (0, 1]"), "{err}");
    let err = err_2(&run(&[
        "--transactions",
        small_log().to_str().unwrap(),
        "--format",
        "csv",
        "--calibration-end",
        "2024-13-01",
        "--model",
        "bgnbd",
    ]));
    assert!(err.contains("--calibration-end"), "{err}");
}

#[test]
#[ignore = "needs ../shared/data"]
fn the_master_file_gives_lifetimes_holdout_and_a_csv_row_per_customer() {
    let out_csv = temp_dir("customer_value").join("cdnow.csv");
    let out = run(&[
        "--transactions",
        data("cdnow_master.txt").to_str().unwrap(),
        "--format",
        "cdnow",
        "--calibration-end",
        "1997-09-30",
        "--holdout-end",
        "1998-06-30",
        "--model",
        "bgnbd",
        "--spend",
        "gamma-gamma",
        "--out",
        out_csv.to_str().unwrap(),
    ]);
    let stdout = ok_stdout(&out);
    assert_eq!(
        keys_in_order(stdout.trim()),
        [
            "model",
            "customers",
            "params",
            "log_likelihood",
            "spend_params",
            "holdout",
            "elapsed_ms"
        ]
    );
    let v = json_line(&out);
    assert_eq!(v["customers"], 23_570);
    assert_eq!(v["holdout"]["actual"], 18_440);
    let r = v["params"]["r"]["estimate"].as_f64().unwrap();
    assert!((r - 0.28433784).abs() < 1e-5, "{r}");
    for name in ["p", "q", "gamma"] {
        assert!(v["spend_params"][name]["estimate"].as_f64().unwrap() > 0.0);
    }
    let csv = std::fs::read_to_string(&out_csv).unwrap();
    assert_eq!(csv.lines().next(), Some(CSV_HEADER));
    assert_eq!(csv.lines().count(), 23_571);
}

#[test]
#[ignore = "needs ../shared/data"]
fn pareto_nbd_runs_on_the_master_file_in_days_without_a_holdout() {
    let out = run(&[
        "--transactions",
        data("cdnow_master.txt").to_str().unwrap(),
        "--format",
        "cdnow",
        "--calibration-end",
        "1997-09-30",
        "--period",
        "day",
        "--model",
        "pareto-nbd",
        "--horizon-periods",
        "365",
    ]);
    let stdout = ok_stdout(&out);
    assert_eq!(
        keys_in_order(stdout.trim()),
        [
            "model",
            "customers",
            "params",
            "log_likelihood",
            "elapsed_ms"
        ]
    );
    let v = json_line(&out);
    assert_eq!(v["model"], "pareto-nbd");
    for name in ["r", "alpha", "s", "beta"] {
        assert!(
            v["params"][name]["estimate"].as_f64().unwrap() > 0.0,
            "{name}"
        );
    }
}

#[test]
#[ignore = "needs ../shared/data"]
fn the_summary_file_is_read_as_summaries_and_gives_the_published_fit() {
    let file = data("cdnow_summary.csv");
    let out = run(&[
        "--transactions",
        file.to_str().unwrap(),
        "--format",
        "csv",
        "--calibration-end",
        "1997-09-30",
        "--model",
        "bgnbd",
        "--spend",
        "gamma-gamma",
    ]);
    let v = json_line(&out);
    assert_eq!(v["customers"], 2_357);
    let r = v["params"]["r"]["estimate"].as_f64().unwrap();
    assert!((r - 0.2426).abs() < 1e-4, "{r}");
    assert!((v["log_likelihood"].as_f64().unwrap() + 9582.4).abs() < 0.05);
    let p = v["spend_params"]["p"]["estimate"].as_f64().unwrap();
    assert!((p - 6.2488).abs() < 5e-3, "{p}");
    let err = err_2(&run(&[
        "--transactions",
        file.to_str().unwrap(),
        "--format",
        "csv",
        "--calibration-end",
        "1997-09-30",
        "--holdout-end",
        "1998-06-30",
        "--model",
        "bgnbd",
    ]));
    assert!(err.contains("--holdout-end"), "{err}");
}
