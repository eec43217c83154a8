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

#[test]
fn fits_predictions_and_values_are_the_same_on_one_and_two_threads() {
    use social_loop::clv::{CustomerValues, ValueOptions};
    let truth = BgNbd::new(0.25, 4.0, 0.8, 2.5).unwrap();
    let base = BgNbdSimulation::new(truth, 1_000)
        .seed(5)
        .summaries()
        .unwrap();
    let on = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let fit = TransactionModel::Bgnbd.fit(&base).unwrap();
            let predictions = fit.predict(&base, 39.0).unwrap();
            let values =
                CustomerValues::compute(&base, &fit, None, ValueOptions::default().draws(5));
            (fit, predictions, values)
        })
    };
    let (fit1, predictions1, values1) = on(1);
    let (fit2, predictions2, values2) = on(2);
    assert_eq!(fit1, fit2);
    assert_eq!(predictions1, predictions2);
    assert_eq!(values1.unwrap(), values2.unwrap());
}
