//! Scenario files: the shipped one parses strictly and runs; mistakes name
//! the field; the periods CSV has one row per period; a scenario names its
//! network file.

use social_loop::brand::Ownership;
use social_loop::network::WeightScheme;
use social_loop::network::io::{EdgeFormat, ReadOptions};
use social_loop::sim::{GeneratedNetwork, NetworkFile, NetworkSpec, Scenario, run};

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

// ---- a scenario that names a network file ----

/// A fresh folder holding `files` (name, contents).
fn folder(test: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "social_loop_scenario_{test}_{}",
        std::process::id()
    ));
    std::fs::create_dir_all(dir.join("data")).unwrap();
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    dir
}

/// "x trusts y" lines: a star of 40 customers who trust `hub`, in a ring.
fn trust_edges() -> String {
    let mut text = String::from("# truster\ttrusted\n");
    for i in 0..40 {
        text.push_str(&format!("t{i}\thub\nt{i}\tt{}\n", (i + 1) % 40));
    }
    text
}

#[test]
fn a_scenario_file_names_its_network_file_relative_to_itself() {
    let scenario = r#"{"network": {"file": {"path": "data/trust.txt", "format": "snap",
                       "weights": "uniform:0.1", "reverse": true}},
                       "horizon": 3, "seed": 5}"#;
    let dir = folder(
        "relative",
        &[
            ("scenario.json", scenario),
            ("data/trust.txt", &trust_edges()),
        ],
    );
    let parsed = Scenario::from_json_file(dir.join("scenario.json")).unwrap();
    let NetworkSpec::File(file) = parsed.get_network() else {
        panic!("{:?}", parsed.get_network())
    };
    assert_eq!(file.path(), dir.join("data/trust.txt"));
    let report = run(&parsed).unwrap();
    assert_eq!(report.population, 41);
    assert_eq!(report.ties, 80);
    assert_eq!(report.periods.len(), 3);
    // The JSON round-trips with the resolved path, and runs the same.
    let again = Scenario::from_json(&serde_json::to_string(&parsed).unwrap()).unwrap();
    assert_eq!(
        serde_json::to_string(&run(&again).unwrap()).unwrap(),
        serde_json::to_string(&report).unwrap()
    );
    // From text, a relative path is relative to the current directory: absent here.
    let e = error_of(scenario);
    assert!(e.starts_with("network.file.path: "), "{e}");
}

#[test]
fn a_network_file_reads_with_the_library_reader_and_its_direction() {
    let dir = folder("direction", &[("trust.txt", &trust_edges())]);
    let path = dir.join("trust.txt");
    let read = |reverse: bool| {
        let file = NetworkFile::new(&path).options(
            ReadOptions::default()
                .format(EdgeFormat::Snap)
                .weights(WeightScheme::WeightedCascade)
                .reverse(reverse),
        );
        Scenario::default()
            .network(NetworkSpec::File(file))
            .horizon(1)
    };
    // Reversed, the hub influences all 40; as listed, it influences nobody.
    for (reverse, hub_listeners) in [(true, 40), (false, 0)] {
        let json = serde_json::to_value(read(reverse)).unwrap();
        assert_eq!(json["network"]["file"]["reverse"], reverse);
        let (net, _) = social_loop::network::io::read_edge_list_file(
            &path,
            ReadOptions::default()
                .weights(WeightScheme::WeightedCascade)
                .reverse(reverse),
        )
        .unwrap();
        assert_eq!(net.out_degree("hub").unwrap(), hub_listeners);
        assert_eq!(run(&read(reverse)).unwrap().population, 41);
    }
}

#[test]
fn a_network_file_without_weights_or_with_mistakes_names_the_field() {
    let dir = folder(
        "mistakes",
        &[
            ("trust.txt", &trust_edges()),
            ("header.txt", "source target\na b\n"),
            ("empty.txt", "# nothing\n"),
        ],
    );
    let scenario = |file: &str| {
        let json = format!(r#"{{"network": {{"file": {file}}}, "horizon": 1}}"#);
        std::fs::write(dir.join("s.json"), json).unwrap();
        Scenario::from_json_file(dir.join("s.json"))
    };
    // No weight scheme on a snap file: refused when the run reads it, listing the choices.
    let s = scenario(r#"{"path": "trust.txt"}"#).unwrap();
    let e = run(&s).unwrap_err();
    assert_eq!(e.field(), Some("network.file.weights"));
    assert!(e.to_string().contains("weighted_cascade"), "{e}");
    // A header: refused with the option's name; skipped with it.
    let e =
        run(&scenario(r#"{"path": "header.txt", "weights": "uniform:0.2"}"#).unwrap()).unwrap_err();
    assert_eq!(e.line(), Some(1));
    assert!(e.to_string().contains("\"header\": \"skip\""), "{e}");
    let s =
        scenario(r#"{"path": "header.txt", "weights": "uniform:0.2", "header": "skip"}"#).unwrap();
    assert_eq!(run(&s).unwrap().population, 2);
    // No ties.
    let e =
        run(&scenario(r#"{"path": "empty.txt", "weights": "uniform:0.2"}"#).unwrap()).unwrap_err();
    assert_eq!(e.field(), Some("network.file.path"));
    // Parse-time mistakes name the path.
    for (file, field) in [
        (r#"{"path": "missing.txt"}"#, "network.file.path"),
        (
            r#"{"path": "trust.txt", "revers": true}"#,
            "network.file.revers",
        ),
        (
            r#"{"path": "trust.txt", "weights": "uniform:2"}"#,
            "network.file.weights",
        ),
        (
            r#"{"path": "trust.txt", "format": "tsv"}"#,
            "network.file.format",
        ),
        (r#"{"format": "snap"}"#, "network.file"),
    ] {
        let e = scenario(file).unwrap_err();
        assert!(e.to_string().contains(field), "{file}: {e}");
    }
}

#[test]
fn a_generated_network_takes_defaults_for_the_fields_it_leaves_out() {
    let s = parse_scenario(r#"{"network": {"generated": {"tie_probability": 0.2}}}"#).unwrap();
    let NetworkSpec::Generated(g) = s.get_network() else {
        panic!("{:?}", s.get_network())
    };
    assert_eq!(g.tie_probability.get(), 0.2);
    assert_eq!(g.distrust, GeneratedNetwork::default().distrust);
    assert_eq!(g.model, GeneratedNetwork::default().model);
    let e = error_of(r#"{"network": {"generated": {"tie_probabilty": 0.2}}}"#);
    assert!(
        e.starts_with("network.generated.tie_probabilty: unknown field"),
        "{e}"
    );
}

#[test]
fn a_scenario_file_with_a_byte_order_mark_reads() {
    let dir = folder("bom", &[("s.json", "\u{feff}{\"horizon\": 2}")]);
    assert_eq!(
        Scenario::from_json_file(dir.join("s.json"))
            .unwrap()
            .get_horizon(),
        2
    );
}
