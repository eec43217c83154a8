//! Parameter recovery: fits on data drawn from known parameters find them.

use social_loop::clv::{BgNbd, BgNbdSimulation, TransactionModel};

#[test]
fn bgnbd_recovers_the_parameters_it_was_simulated_from() {
    let truth = BgNbd::new(0.25, 4.0, 0.8, 2.5).unwrap();
    let base = BgNbdSimulation::new(truth, 20_000)
        .seed(11)
        .calibration_periods(78.0)
        .summaries()
        .unwrap();
    let fit = TransactionModel::Bgnbd.fit(&base).unwrap();
    for (p, want) in fit.estimates.parameters.iter().zip(truth.values()) {
        // Within 3.5 standard errors (a 1-in-2000 event per parameter by chance).
        let z = (p.estimate - want) / p.std_err;
        assert!(
            z.abs() < 3.5,
            "{}: {} ± {} vs {want}",
            p.name,
            p.estimate,
            p.std_err
        );
    }
}

#[test]
fn simulated_bases_do_not_depend_on_their_size_prefix() {
    let truth = BgNbd::new(0.25, 4.0, 0.8, 2.5).unwrap();
    let small = BgNbdSimulation::new(truth, 50).seed(3).summaries().unwrap();
    let large = BgNbdSimulation::new(truth, 500)
        .seed(3)
        .summaries()
        .unwrap();
    assert_eq!(small.customers[..], large.customers[..50]);
}
