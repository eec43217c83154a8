//! Fits the Bass model to ten years of annual sales, both ways, and prints the
//! parameters with standard errors and the peak.
//!
//! ```text
//! cargo run --example bass_fit
//! ```

#[macro_use]
mod common; // println! and print! that end quietly when stdout closes (`| head`)

use social_loop::aggregate::{BassFit, FitForm, FitOptions};

/// Annual sales for years 1..10 after launch.
const SALES: [f64; 10] = [
    840.0, 1470.0, 2110.0, 4000.0, 7590.0, 10950.0, 10530.0, 9470.0, 7790.0, 5890.0,
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("annual sales, years 1..10: {SALES:?}\n");
    for (form, label) in [
        (
            FitForm::PeriodDifference,
            "sales(t) = m (F(t) - F(t-1))  [default]",
        ),
        (FitForm::Density, "sales(t) = m f(t)"),
    ] {
        let fit = BassFit::fit(&SALES, FitOptions::default().form(form))?;
        let model = fit.model;
        println!("{label}");
        let se = fit
            .standard_errors
            .ok_or("no standard errors (too few periods)")?;
        println!("  m = {:>10.1}  (s.e. {:.1})", model.m(), se.m);
        println!("  p = {:>10.6}  (s.e. {:.6})", model.p(), se.p);
        println!("  q = {:>10.5}  (s.e. {:.5})", model.q(), se.q);
        println!(
            "  RSS = {:.0}, residual s.e. = {:.1}, {} iterations, converged: {} ({:?})",
            fit.rss,
            fit.residual_standard_error().unwrap_or(f64::NAN),
            fit.iterations,
            fit.converged,
            fit.termination
        );
        match model.peak_time() {
            Some(peak) => println!(
                "  peak: t* = ln(q/p)/(p+q) = {:.3} years, adoption rate m f(t*) = {:.0} per year, \
                 {:.1} % adopted by then",
                peak,
                model.peak_adoption_rate(),
                100.0 * model.cumulative(peak)
            ),
            None => println!("  no interior peak: q <= p, sales are highest at launch"),
        }
        let fitted: Vec<String> = (1..=SALES.len())
            .map(|t| format!("{:.0}", fit.predicted_sales(t as f64)))
            .collect();
        println!("  fitted: [{}]\n", fitted.join(", "));
    }
    Ok(())
}
