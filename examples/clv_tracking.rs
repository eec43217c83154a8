//! `clv_tracking`: how well the BG/NBD predicts CDNOW's holdout, as the
//! README's tracking chart (`docs/clv_tracking.svg`).
//!
//! ```text
//! cargo run --release --example clv_tracking [-- PATH/cdnow_master.txt [OUT.svg]]
//! ```
//!
//! Reads the whole CDNOW cohort (23,570 customers; `../shared/data` by
//! default), summarises it in weeks with the calibration through 1997-09-30
//! and the holdout through 1998-06-30, fits the BG/NBD and draws two panels:
//! cumulative repeat transactions week by week, actual against the model's
//! `Σᵢ E[X(t − firstᵢ)]` (Fader, Hardie & Lee 2005, figure 2), and the
//! holdout's transactions per customer grouped by calibration frequency,
//! actual against the conditional expectations (their figure 4). Prints the
//! fit and the holdout totals.

use std::collections::HashMap;
use std::path::PathBuf;

use plotters::prelude::*;
use social_loop::clv::{
    CustomerValues, Date, LogFormat, Period, PurchaseLog, Summaries, SummaryOptions,
    TransactionModel, ValueOptions,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args_os().skip(1);
    let path = args.next().map_or_else(
        || PathBuf::from("../shared/data/cdnow_master.txt"),
        PathBuf::from,
    );
    let out = args
        .next()
        .map_or_else(|| PathBuf::from("docs/clv_tracking.svg"), PathBuf::from);
    if !path.is_file() {
        return Err(format!(
            "{} is missing (see ../shared/data/README.md)",
            path.display()
        )
        .into());
    }
    let log = PurchaseLog::read_path(&path, LogFormat::Cdnow)?;
    let (cal_end, holdout_end): (Date, Date) = ("1997-09-30".parse()?, "1998-06-30".parse()?);
    let options = SummaryOptions::default()
        .period(Period::Week)
        .calibration_end(cal_end)
        .holdout_end(holdout_end);
    let summaries = Summaries::from_log(&log, options)?;
    let fit = TransactionModel::Bgnbd.fit(&summaries)?;
    let values = CustomerValues::compute(&summaries, &fit, None, ValueOptions::default().draws(0))?;
    for p in &fit.estimates.parameters {
        println!(
            "{:>6} = {:.4} (se {:.4}, 95% CI {:.4}-{:.4})",
            p.name, p.estimate, p.std_err, p.ci95[0], p.ci95[1]
        );
    }
    let holdout = values.holdout.ok_or("no holdout")?;
    println!(
        "holdout (39 weeks): predicted {:.0} repeat transactions, actual {} ({:+.1}%)",
        holdout.predicted,
        holdout.actual,
        100.0 * (holdout.predicted / holdout.actual as f64 - 1.0)
    );

    // Weeks from the cohort's first week; each customer's first week and
    // their distinct purchase weeks.
    let week = |d: Date| d.period_index(Period::Week);
    let start = log
        .purchases()
        .iter()
        .map(|p| week(p.date))
        .min()
        .ok_or("empty log")?;
    let end = week(holdout_end);
    let mut weeks: HashMap<&str, Vec<i64>> = HashMap::new();
    for p in log.purchases() {
        weeks
            .entry(p.customer.as_str())
            .or_default()
            .push(week(p.date));
    }
    let mut actual_per_week = vec![0.0; (end - start + 1) as usize];
    let mut firsts = Vec::new();
    for w in weeks.values_mut() {
        w.sort_unstable();
        w.dedup();
        firsts.push(w[0] - start);
        for &repeat in &w[1..] {
            if repeat <= end {
                actual_per_week[(repeat - start) as usize] += 1.0;
            }
        }
    }
    let mut actual = Vec::new();
    let mut predicted = Vec::new();
    let mut cumulative = 0.0;
    for (t, n) in actual_per_week.iter().enumerate() {
        cumulative += n;
        let t = t as f64 + 1.0;
        let expected: f64 = firsts
            .iter()
            .map(|&f| fit.expected_repeat((t - f as f64).max(0.0)))
            .sum::<Result<f64, _>>()?;
        actual.push((t, cumulative));
        predicted.push((t, expected));
    }

    // Conditional expectations by calibration frequency.
    let actual_of = &summaries.holdout.as_ref().ok_or("no holdout")?.actual;
    let mut by_x: Vec<(f64, f64, f64)> = Vec::new();
    for x in 0..=7u32 {
        let group: Vec<usize> = (0..summaries.len())
            .filter(|&i| values.customers[i].x == x)
            .collect();
        let n = group.len() as f64;
        let p: f64 = group
            .iter()
            .filter_map(|&i| values.customers[i].expected_holdout)
            .sum::<f64>()
            / n;
        let a: f64 = group.iter().map(|&i| f64::from(actual_of[i])).sum::<f64>() / n;
        by_x.push((f64::from(x), a, p));
    }

    let root = SVGBackend::new(&out, (1100, 440)).into_drawing_area();
    root.fill(&WHITE)?;
    let (left, right) = root.split_horizontally(620);
    let calibration_week = (week(cal_end) - start) as f64 + 1.0;
    let top = actual
        .last()
        .map_or(1.0_f64, |p| p.1)
        .max(predicted.last().map_or(1.0, |p| p.1))
        * 1.05;
    let mut chart = ChartBuilder::on(&left)
        .caption("CDNOW: cumulative repeat transactions", ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(0.0..actual.len() as f64 + 1.0, 0.0..top)?;
    chart
        .configure_mesh()
        .x_desc("week")
        .y_desc("repeat transactions")
        .draw()?;
    chart
        .draw_series(LineSeries::new(actual.clone(), BLACK.stroke_width(2)))?
        .label("actual")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK.stroke_width(2)));
    chart
        .draw_series(DashedLineSeries::new(
            predicted.clone(),
            8,
            5,
            RED.stroke_width(2),
        ))?
        .label("BG/NBD")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], RED.stroke_width(2)));
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(calibration_week, 0.0), (calibration_week, top)],
        BLUE.mix(0.5),
    )))?;
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .border_style(BLACK)
        .draw()?;

    let top = by_x.iter().map(|v| v.1.max(v.2)).fold(0.0, f64::max) * 1.1;
    let mut chart = ChartBuilder::on(&right)
        .caption("Holdout transactions by calibration x", ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(-0.5..7.5, 0.0..top)?;
    chart
        .configure_mesh()
        .x_desc("repeat transactions in calibration (x)")
        .y_desc("per customer")
        .draw()?;
    chart
        .draw_series(LineSeries::new(
            by_x.iter().map(|v| (v.0, v.1)),
            BLACK.stroke_width(2),
        ))?
        .label("actual")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK.stroke_width(2)));
    chart
        .draw_series(DashedLineSeries::new(
            by_x.iter().map(|v| (v.0, v.2)),
            8,
            5,
            RED.stroke_width(2),
        ))?
        .label("BG/NBD")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], RED.stroke_width(2)));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .border_style(BLACK)
        .draw()?;
    root.present()?;
    println!("wrote {}", out.display());
    Ok(())
}
