//! Scenario files: the shipped one parses strictly and runs; mistakes name
//! the field; the periods CSV has one row per period.

use social_loop::brand::Ownership;
use social_loop::sim::{Scenario, run};

fn parse_scenario(text: &str) -> Result<Scenario, String> {
    Scenario::from_json(text).map_err(|e| e.to_string())
}

const SHIPPED: &str = include_str!("../examples/scenario.json");

#[test]
fn the_shipped_scenario_parses_strictly_and_runs() {
    let scenario = parse_scenario(SHIPPED).unwrap();
    assert_eq!(scenario.get_ownership(), Ownership::CoOp);
    assert_eq!((scenario.get_horizon(), scenario.get_seed()), (26, 2024));
    assert_eq!(scenario.get_engagements().len(), 6);
    assert_eq!(scenario.get_audit().get_customers().len(), 2);
    let report = run(&scenario.horizon(3)).unwrap();
    assert_eq!(report.population, 3_000);
    assert_eq!(report.periods.len(), 3);
    assert!(report.periods.iter().all(|p| p.stages.total() == 3_000));
    assert_eq!(report.audit.len(), 2);
    // Money is read exactly from strings.
    assert_eq!(
        report.ledger.totals().net(),
        report.periods.iter().map(|p| p.value.net()).sum()
    );
}

fn error_of(json: &str) -> String {
    match parse_scenario(json) {
        Err(e) => e,
        Ok(_) => panic!("{json} was accepted"),
    }
}

#[test]
fn mistakes_name_the_field() {
    let e = error_of(r#"{"rates": {"advocate_talk": 1.5}}"#);
    assert!(e.starts_with("rates.advocate_talk: "), "{e}");
    assert!(e.contains("1.5 is not a probability"), "{e}");

    let e = error_of(r#"{"rates": {"advocate_tlk": 0.5}}"#);
    assert!(e.starts_with("rates.advocate_tlk: unknown field"), "{e}");

    let e = error_of(r#"{"ownership": {"model": "coop"}}"#);
    assert!(
        e.starts_with("ownership.model: unknown variant `coop`"),
        "{e}"
    );

    let e = error_of("{\"horizon\": 5,\n \"seed\": \"x\"}");
    assert!(e.starts_with("seed: invalid type"), "{e}");
    assert!(e.contains("line 2"), "{e}");

    // The scenario's own checks, after parsing.
    let e = error_of(r#"{"prices": {"unit_price": "-3"}}"#);
    assert_eq!(e, "prices.unit_price: -3 must be > 0");

    let e = error_of(r#"{"horizon": 5} trailing"#);
    assert!(e.starts_with("line 1, column "), "{e}");
    assert!(e.contains("trailing characters"), "{e}");
}

#[test]
fn an_empty_file_is_the_default_scenario() {
    let s = parse_scenario("{}").unwrap();
    assert_eq!(s.get_horizon(), 52);
    assert_eq!(s.get_ownership(), Ownership::Siloed);
}

#[test]
fn the_csv_has_a_header_and_one_row_per_period_of_equal_width() {
    let scenario = parse_scenario(SHIPPED).unwrap().horizon(4);
    let report = run(&scenario).unwrap();
    let csv = report.periods_csv();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 5);
    let width = lines[0].split(',').count();
    assert_eq!(width, 33);
    assert!(lines.iter().all(|l| l.split(',').count() == width));
    assert!(lines[0].starts_with("period,unaware,aware,"));
    assert!(lines[0].ends_with(",cash_net,present_value"));
    // Stage counts of each row add up to the population.
    for line in &lines[1..] {
        let stages: u64 = line
            .split(',')
            .skip(1)
            .take(7)
            .map(|x| x.parse::<u64>().unwrap())
            .sum();
        assert_eq!(stages, 3_000);
    }
}
