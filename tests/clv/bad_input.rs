//! Bad input: typed errors naming the line, customer or parameter, never a
//! NaN parameter or a panic.

use social_loop::clv::{
    CustomerSummary, LogFormat, PurchaseLog, Retention, Summaries, SummaryOptions, TransactionModel,
};

#[test]
fn malformed_logs_name_the_line() {
    for (text, line, what) in [
        ("a,2024-01-01,5\na 2024-01-02 5\n", 2, "fields"),
        ("a,2024-01-01,5\nb,2024-01-02,-5\n", 2, "negative"),
        ("a,2024-01-01,five\n", 1, "not a number"),
        ("a,2024-02-30,5\n", 1, "date"),
    ] {
        let err = PurchaseLog::read(text.as_bytes(), LogFormat::Csv, "log.csv").unwrap_err();
        assert_eq!(err.line(), Some(line), "{text}");
        assert!(
            err.to_string()
                .starts_with(&format!("log.csv: line {line}: ")),
            "{err}"
        );
        assert!(err.to_string().contains(what), "{err}");
    }
}

#[test]
fn impossible_summaries_and_empty_files_are_refused() {
    let err = CustomerSummary::new("c7", 3, 5.0, 4.0).unwrap_err();
    assert!(
        err.is_invalid_parameter() && err.to_string().contains("`c7`"),
        "{err}"
    );
    let err = Summaries::read_csv("ID,x,t_x,T\n1,1,0,30\n".as_bytes(), "s.csv").unwrap_err();
    assert_eq!((err.line(), err.path()), (Some(2), Some("s.csv")));
    let empty = PurchaseLog::read("".as_bytes(), LogFormat::Csv, "e.csv").unwrap();
    assert!(Summaries::from_log(&empty, SummaryOptions::default()).is_err());
    assert!(Summaries::read_csv("ID,x,t_x,T\n".as_bytes(), "e.csv").is_err());
}

#[test]
fn cohorts_that_grow_are_refused_naming_the_count() {
    let err = Retention::fit(&[100, 80, 90, 50]).unwrap_err();
    assert_eq!(err.field(), Some("cohort[2]"));
    assert!(Retention::fit(&[100]).is_err());
    assert!(Retention::fit(&[0, 0]).is_err());
}

#[test]
fn fits_without_an_interior_maximum_are_refused_naming_the_parameter() {
    // Nobody ever comes back: r → 0 (or the drop-out to certainty).
    let nobody: Vec<CustomerSummary> = (0..50)
        .map(|i| CustomerSummary::new(i.to_string(), 0, 0.0, 10.0 + f64::from(i)).unwrap())
        .collect();
    let err = TransactionModel::Bgnbd
        .fit(&Summaries::new(nobody))
        .unwrap_err();
    assert!(err.is_fit_failure(), "{err}");
    assert!(err.field().unwrap().starts_with("bgnbd."), "{err}");
    // Nobody churns: the sBG's drop-out runs to zero.
    let err = Retention::fit(&[100, 100, 100, 100]).unwrap_err();
    assert!(
        err.is_fit_failure() && err.field().unwrap().starts_with("sbg."),
        "{err}"
    );
}
