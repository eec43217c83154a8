//! `charts`: the README's pictures, as SVG files in `docs/`.
//!
//! ```text
//! cargo run --release --example charts [-- OUT_DIR]
//! ```
//!
//! Writes four charts (plotters' SVG backend; no fonts or system libraries
//! needed, text is left to the viewer):
//!
//! * `funnel_stages.svg`: the funnel week by week in the quickstart scenario
//!   (10,000 customers, siloed), with the adversaries;
//! * `bass_fit.svg`: adoption against the fitted Bass curve: the ten years of
//!   annual sales of issue 7 with both fits, and the first purchases per week
//!   of a launch simulated by the value loop with the Bass curve fitted to them;
//! * `ownership.svg`: siloed vs co-op vs agency (handing over in week 26):
//!   the value each actor creates (Shapley values of the attribution, net
//!   present value) with 95% intervals over eight runs on the same random
//!   numbers, and the advocates week by week with 95% bands;
//! * `weak_ties.svg`: "talk of the network" (Goldenberg, Libai and Muller
//!   2001): the share informed over time when the number or the strength of
//!   weak ties doubles, against the same change to strong ties.
//!
//! Each takes a second or less in release mode; the numbers are seeded, so the
//! files only change when the model does.

#[macro_use]
mod common; // println! and print! that end quietly when stdout closes (`| head`)

use std::path::{Path, PathBuf};

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use social_loop::aggregate::{
    BassFit, FitForm, FitOptions, TalkOfNetwork, TalkOfNetworkConfig, TalkRates, TieCount,
};
use social_loop::brand::Ownership;
use social_loop::propagation::MonteCarloSettings;
use social_loop::sim::{Scenario, Simulation, StageMix, run};
use social_loop::{Decimal, FunnelStage, Stage};

type Error = Box<dyn std::error::Error>;

/// Size of every chart, in pixels.
const SIZE: (u32, u32) = (1200, 520);

/// A colour-blind-safe palette (Okabe and Ito).
const BLUE: RGBColor = RGBColor(0, 114, 178);
const ORANGE: RGBColor = RGBColor(230, 159, 0);
const GREEN: RGBColor = RGBColor(0, 158, 115);
const VERMILLION: RGBColor = RGBColor(213, 94, 0);
const PURPLE: RGBColor = RGBColor(204, 121, 167);
const SKY: RGBColor = RGBColor(86, 180, 233);
const GREY: RGBColor = RGBColor(90, 90, 90);

/// How a series is drawn.
#[derive(Clone, Copy, PartialEq)]
enum Look {
    Line,
    Dashed,
    Points,
    /// Points with an error bar from each band entry's low to its high.
    ErrorBars,
}

/// One point of a confidence band: `(x, low, high)`.
type Bound = (f64, f64, f64);

/// One series of a panel: points, and optionally a confidence band.
struct Series {
    label: String,
    color: RGBColor,
    look: Look,
    points: Vec<(f64, f64)>,
    band: Vec<Bound>,
}

impl Series {
    fn new(label: impl Into<String>, color: RGBColor, look: Look, points: Vec<(f64, f64)>) -> Self {
        Series {
            label: label.into(),
            color,
            look,
            points,
            band: Vec::new(),
        }
    }

    fn band(mut self, band: Vec<Bound>) -> Self {
        self.band = band;
        self
    }
}

/// Where a panel's legend goes.
#[derive(Clone)]
enum Legend {
    /// In a corner of the plot.
    Inside(SeriesLabelPosition),
    /// In a row under the plot, outside it.
    Below,
}

/// One panel: a caption, axis names, series, where the legend goes and how
/// much room is left above the highest value (a fraction of the range).
struct Panel {
    caption: String,
    x_desc: String,
    y_desc: String,
    series: Vec<Series>,
    legend: Legend,
    headroom: f64,
    /// Names of the x positions 1, 2, ... (empty: x is a number).
    categories: Vec<String>,
}

impl Panel {
    fn new(caption: &str, x_desc: &str, y_desc: &str, series: Vec<Series>) -> Self {
        Panel {
            caption: caption.into(),
            x_desc: x_desc.into(),
            y_desc: y_desc.into(),
            series,
            legend: Legend::Inside(SeriesLabelPosition::UpperLeft),
            headroom: 0.06,
            categories: Vec::new(),
        }
    }

    fn categories(mut self, names: &[&str]) -> Self {
        self.categories = names.iter().map(|n| n.to_string()).collect();
        self
    }

    fn legend(mut self, legend: Legend) -> Self {
        self.legend = legend;
        self
    }

    fn headroom(mut self, headroom: f64) -> Self {
        self.headroom = headroom;
        self
    }
}

/// Draws `panel` on `area`, with axes fitted to the data (y from 0 unless a
/// value is negative).
fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    panel: &Panel,
) -> Result<(), Error>
where
    DB::ErrorType: 'static,
{
    let xs = panel
        .series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.0));
    let ys = panel.series.iter().flat_map(|s| {
        s.points
            .iter()
            .map(|p| p.1)
            .chain(s.band.iter().flat_map(|b| [b.1, b.2]))
    });
    let (x0, x1) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
        (a.min(x), b.max(x))
    });
    let (y0, y1) = ys.fold((0.0f64, f64::NEG_INFINITY), |(a, b), y| {
        (a.min(y), b.max(y))
    });
    let range = (y1 - y0).max(1e-9);
    let y_low = if y0 < 0.0 { y0 - 0.06 * range } else { 0.0 };
    let (x0, x1) = if panel.categories.is_empty() {
        (x0, x1)
    } else {
        (0.5, panel.categories.len() as f64 + 0.5)
    };
    let categories = panel.categories.clone();
    let x_label = move |x: &f64| -> String {
        if categories.is_empty() {
            return thousands(*x);
        }
        let i = x.round();
        if (x - i).abs() < 1e-6 && i >= 1.0 {
            categories.get(i as usize - 1).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    };
    let (area, legend_row) = match panel.legend {
        Legend::Below => {
            let (w, h) = area.dim_in_pixel();
            let _ = w;
            let (plot, row) = area.split_vertically(h.saturating_sub(LEGEND_ROW));
            (plot, Some(row))
        }
        Legend::Inside(_) => (area.clone(), None),
    };
    let mut chart = ChartBuilder::on(&area)
        .caption(&panel.caption, ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(45)
        .y_label_area_size(80)
        .build_cartesian_2d(x0..x1, y_low..y1 + panel.headroom * range)?;
    chart
        .configure_mesh()
        .x_desc(panel.x_desc.as_str())
        .y_desc(panel.y_desc.as_str())
        .axis_desc_style(("sans-serif", 16))
        .label_style(("sans-serif", 14))
        .light_line_style(WHITE.mix(0.0))
        .bold_line_style(BLACK.mix(0.08))
        .y_label_formatter(&|y| thousands(*y))
        .x_label_formatter(&x_label)
        .x_labels(if panel.categories.is_empty() {
            10
        } else {
            panel.categories.len() + 2
        })
        .draw()?;
    for s in &panel.series {
        if s.look == Look::ErrorBars {
            let color = s.color;
            let cap = 0.05;
            chart.draw_series(s.band.iter().flat_map(move |&(x, lo, hi)| {
                [
                    PathElement::new(vec![(x, lo), (x, hi)], color.stroke_width(2)),
                    PathElement::new(vec![(x - cap, lo), (x + cap, lo)], color.stroke_width(2)),
                    PathElement::new(vec![(x - cap, hi), (x + cap, hi)], color.stroke_width(2)),
                ]
            }))?;
        } else if !s.band.is_empty() {
            let outline: Vec<(f64, f64)> = s
                .band
                .iter()
                .map(|b| (b.0, b.2))
                .chain(s.band.iter().rev().map(|b| (b.0, b.1)))
                .collect();
            chart.draw_series(std::iter::once(Polygon::new(
                outline,
                s.color.mix(0.18).filled(),
            )))?;
        }
        let color = s.color;
        let style = color.stroke_width(3);
        let drawn = match s.look {
            Look::Line => chart.draw_series(LineSeries::new(s.points.clone(), style))?,
            Look::Dashed => {
                chart.draw_series(DashedLineSeries::new(s.points.clone(), 10, 6, style))?
            }
            Look::Points | Look::ErrorBars => {
                // Smaller dots when there are many, or when error bars must show.
                let radius = if s.points.len() > 30 || s.look == Look::ErrorBars {
                    3
                } else {
                    6
                };
                chart.draw_series(
                    s.points
                        .iter()
                        .map(move |&p| Circle::new(p, radius, color.filled())),
                )?
            }
        };
        let look = s.look;
        drawn.label(s.label.as_str()).legend(
            move |(x, y)| -> DynElement<'static, DB, (i32, i32)> {
                match look {
                    Look::Points | Look::ErrorBars => {
                        Circle::new((x + 12, y), 6, color.filled()).into_dyn()
                    }
                    _ => PathElement::new(vec![(x, y), (x + 24, y)], color.stroke_width(3))
                        .into_dyn(),
                }
            },
        );
    }
    match (&panel.legend, legend_row) {
        (Legend::Inside(position), _) => chart
            .configure_series_labels()
            .position(position.clone())
            .margin(10)
            .label_font(("sans-serif", 15))
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.3))
            .draw()?,
        (Legend::Below, Some(row)) => draw_legend_row(&row, &panel.series)?,
        (Legend::Below, None) => {}
    }
    Ok(())
}

/// Height of a legend row under a plot, in pixels.
const LEGEND_ROW: u32 = 34;

/// The series' keys in one centred row.
fn draw_legend_row<DB: DrawingBackend>(
    row: &DrawingArea<DB, plotters::coord::Shift>,
    series: &[Series],
) -> Result<(), Error>
where
    DB::ErrorType: 'static,
{
    let (width, height) = row.dim_in_pixel();
    let font = ("sans-serif", 15).into_font();
    // Naive text width: about 0.55 em per character.
    let entry_width = |s: &Series| 34 + (s.label.chars().count() as f64 * 15.0 * 0.55) as i32 + 24;
    let total: i32 = series.iter().map(entry_width).sum();
    let mut x = (width as i32 - total).max(0) / 2;
    let y = height as i32 / 2;
    for s in series {
        let key: DynElement<'static, DB, (i32, i32)> = match s.look {
            Look::Points | Look::ErrorBars => {
                Circle::new((x + 12, y), 6, s.color.filled()).into_dyn()
            }
            Look::Dashed => {
                PathElement::new(vec![(x, y), (x + 10, y)], s.color.stroke_width(3)).into_dyn()
            }
            Look::Line => {
                PathElement::new(vec![(x, y), (x + 24, y)], s.color.stroke_width(3)).into_dyn()
            }
        };
        row.draw(&key)?;
        if s.look == Look::Dashed {
            row.draw(&PathElement::new(
                vec![(x + 15, y), (x + 25, y)],
                s.color.stroke_width(3),
            ))?;
        }
        let style = font
            .clone()
            .color(&BLACK)
            .pos(Pos::new(HPos::Left, VPos::Center));
        row.draw(&Text::new(s.label.clone(), (x + 32, y), style))?;
        x += entry_width(s);
    }
    Ok(())
}

/// `12345.6` as `12,346`; small numbers keep their decimals.
fn thousands(y: f64) -> String {
    if y.abs() < 10.0 {
        let s = format!("{y:.2}");
        return s.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    let rounded = y.round() as i64;
    let digits = rounded.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if rounded < 0 { format!("-{out}") } else { out }
}

/// Writes `panels` side by side under `title` into `path`.
fn write_chart(path: &Path, title: &str, panels: &[Panel]) -> Result<(), Error> {
    let root = SVGBackend::new(path, SIZE).into_drawing_area();
    root.fill(&WHITE)?;
    let root = root.titled(title, ("sans-serif", 26))?;
    let areas = root.split_evenly((1, panels.len().max(1)));
    for (area, panel) in areas.iter().zip(panels) {
        draw_panel(area, panel)?;
    }
    root.present()?;
    println!("wrote {}", path.display());
    Ok(())
}

/// The funnel week by week in the quickstart scenario.
fn funnel_stages(out: &Path) -> Result<(), Error> {
    let report = run(&Scenario::default())?;
    let colors = [SKY, BLUE, GREEN, ORANGE, PURPLE];
    let week = |i: usize| i as f64;
    let snapshots: Vec<_> = std::iter::once(report.initial)
        .chain(report.periods.iter().map(|p| p.funnel))
        .collect();
    let mut series: Vec<Series> = FunnelStage::ALL
        .iter()
        .zip(colors)
        .map(|(&stage, color)| {
            let points = snapshots
                .iter()
                .enumerate()
                .map(|(i, s)| (week(i), s.count(stage) as f64))
                .collect();
            Series::new(stage.name(), color, Look::Line, points)
        })
        .collect();
    let adversaries = report
        .periods
        .iter()
        .map(|p| (f64::from(p.period + 1), p.stages.adversary as f64))
        .collect();
    series.push(Series::new(
        "adversaries (stage)",
        VERMILLION,
        Look::Dashed,
        adversaries,
    ));
    write_chart(
        &out.join("funnel_stages.svg"),
        "The funnel over a year: quickstart scenario (10,000 customers, siloed, seed 1)",
        &[Panel::new(
            "customers at or beyond each funnel stage, end of each week",
            "week",
            "customers",
            series,
        )
        .legend(Legend::Below)],
    )
}

/// Annual sales of issue 7, years 1..10.
const SALES: [f64; 10] = [
    840.0, 1470.0, 2110.0, 4000.0, 7590.0, 10950.0, 10530.0, 9470.0, 7790.0, 5890.0,
];

/// Adoption against the fitted Bass curve.
fn bass_fit(out: &Path) -> Result<(), Error> {
    let fine =
        |from: f64, to: f64| (0..=200).map(move |i| from + (to - from) * f64::from(i) / 200.0);
    // Left: the issue's series, both fits.
    let default_fit = BassFit::fit(&SALES, FitOptions::default())?;
    let density_fit = BassFit::fit(&SALES, FitOptions::default().form(FitForm::Density))?;
    let observed: Vec<(f64, f64)> = (1..=10).map(f64::from).zip(SALES).collect();
    let describe = |fit: &BassFit| {
        format!(
            "p = {:.4}, q = {:.3}, m = {}",
            fit.model.p(),
            fit.model.q(),
            thousands(fit.model.m())
        )
    };
    let left = Panel::new(
        "annual sales (issue 7) and the fitted Bass curve",
        "year after launch",
        "sales per year",
        vec![
            Series::new("observed sales", GREY, Look::Points, observed),
            Series::new(
                format!("m (F(t) - F(t-1)), default: {}", describe(&default_fit)),
                BLUE,
                Look::Line,
                fine(1.0, 10.0)
                    .map(|t| (t, default_fit.predicted_sales(t)))
                    .collect(),
            ),
            Series::new(
                format!("m f(t): {}", describe(&density_fit)),
                ORANGE,
                Look::Dashed,
                fine(1.0, 10.0)
                    .map(|t| (t, density_fit.predicted_sales(t)))
                    .collect(),
            ),
        ],
    )
    .headroom(0.3);

    // Right: a launch in the value loop: nobody aware at the start. The fit
    // is on the first purchases of each week (the Bass model's adoptions);
    // the panel shows their running total against m F(t).
    let launch = Scenario::default()
        .get_population()
        .clone()
        .initial(StageMix::all(Stage::Unaware));
    let scenario = Scenario::default().horizon(104).population(launch);
    let report = run(&scenario)?;
    let bought: Vec<f64> = report
        .periods
        .iter()
        .map(|p| p.funnel.purchase as f64)
        .collect();
    let first_purchases: Vec<f64> = std::iter::once(0.0)
        .chain(bought.iter().copied())
        .zip(&bought)
        .map(|(before, now)| now - before)
        .collect();
    let sim_fit = BassFit::fit(&first_purchases, FitOptions::default())?;
    let weeks = bought.len() as f64;
    let right = Panel::new(
        "a launch in the value loop (10,000 customers, all unaware at week 0)",
        "week after launch",
        "customers who have bought",
        vec![
            Series::new(
                "simulated: customers who have bought",
                GREY,
                Look::Points,
                (1..).map(f64::from).zip(bought.iter().copied()).collect(),
            ),
            Series::new(
                format!("fitted m F(t): {}", describe(&sim_fit)),
                BLUE,
                Look::Line,
                fine(0.0, weeks)
                    .map(|t| (t, sim_fit.model.adopters(t)))
                    .collect(),
            ),
        ],
    )
    .headroom(0.25);
    write_chart(
        &out.join("bass_fit.svg"),
        "Adoption against the fitted Bass curve (least squares, both forms)",
        &[left, right],
    )
}

/// Mean and 95% band (Student's t) per period of `values[run][period]`.
fn mean_band(values: &[Vec<f64>]) -> (Vec<(f64, f64)>, Vec<Bound>) {
    let runs = values.len() as f64;
    let periods = values.iter().map(Vec::len).min().unwrap_or(0);
    // t quantile at 0.975 for 7 degrees of freedom (eight seeds).
    let t = 2.364_624_252;
    let mut means = Vec::new();
    let mut band = Vec::new();
    for p in 0..periods {
        let xs: Vec<f64> = values.iter().filter_map(|v| v.get(p).copied()).collect();
        let mean = xs.iter().sum::<f64>() / runs;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (runs - 1.0);
        let half = t * (var / runs).sqrt();
        let week = (p + 1) as f64;
        means.push((week, mean));
        band.push((week, mean - half, mean + half));
    }
    (means, band)
}

/// Siloed vs co-op vs agency: the value each actor creates (attribution, eight
/// runs of the quickstart scenario on the same random numbers, with error bars
/// from the 95% intervals), and the advocates week by week (the same eight
/// runs of each model).
fn ownership(out: &Path) -> Result<(), Error> {
    let runs = 8u32;
    let models = [
        ("siloed", Ownership::Siloed, VERMILLION),
        ("co-op", Ownership::CoOp, BLUE),
        (
            "agency, hand-over in week 26",
            Ownership::Agency {
                hand_over_period: Some(26),
            },
            GREEN,
        ),
    ];
    let to_f64 = |d: Decimal| d.to_string().parse::<f64>().unwrap_or(f64::NAN);
    let base = Scenario::default();
    let currency = base.get_currency();
    let settings = MonteCarloSettings::new(u64::from(runs), base.get_seed())?;
    let mut parts = Vec::new();
    let mut advocates = Vec::new();
    for (m, (name, model, color)) in models.into_iter().enumerate() {
        let scenario = base.clone().ownership(model);
        let report = Simulation::new(&scenario)?.attribution(settings).run()?;
        let a = report.attribution.ok_or("no attribution")?;
        let offset = (m as f64 - 1.0) * 0.18;
        let estimates = [&a.customer, &a.brand, &a.business, &a.baseline, &a.total];
        let points = estimates
            .iter()
            .enumerate()
            .map(|(k, e)| (k as f64 + 1.0 + offset, to_f64(e.mean)))
            .collect();
        let bars = estimates
            .iter()
            .enumerate()
            .map(|(k, e)| {
                (
                    k as f64 + 1.0 + offset,
                    to_f64(e.ci95[0]),
                    to_f64(e.ci95[1]),
                )
            })
            .collect();
        parts.push(Series::new(name, color, Look::ErrorBars, points).band(bars));
        let mut adv_runs = Vec::new();
        for run in 0..runs {
            let report = Simulation::new(&scenario)?.replication(run).run()?;
            adv_runs.push(
                report
                    .periods
                    .iter()
                    .map(|p| p.stages.advocate as f64)
                    .collect(),
            );
        }
        let (m, b) = mean_band(&adv_runs);
        advocates.push(Series::new(name, color, Look::Line, m).band(b));
    }
    write_chart(
        &out.join("ownership.svg"),
        &format!(
            "Who owns social media? Quickstart scenario, {runs} runs on the same random numbers (mean and 95% interval)"
        ),
        &[
            Panel::new(
                "value created by each actor (Shapley values)",
                "actor",
                &format!("net present value, {currency}"),
                parts,
            )
            .categories(&["customer", "brand", "business", "baseline", "total"])
            .legend(Legend::Inside(SeriesLabelPosition::UpperLeft))
            .headroom(0.3),
            Panel::new(
                "advocates",
                "week",
                "customers who are advocates",
                advocates,
            )
            .legend(Legend::Inside(SeriesLabelPosition::UpperLeft)),
        ],
    )
}

/// Mean share informed per period over the runs of `config` (a run that
/// stopped early keeps its last share).
fn informed_curve(
    config: TalkOfNetworkConfig,
    runs: u64,
    periods: usize,
) -> Result<Vec<(f64, f64)>, Error> {
    let model = TalkOfNetwork::new(config)?;
    let paths = model.run_many(2001, 0..runs);
    Ok((0..=periods)
        .map(|t| {
            let mean = paths
                .iter()
                .map(|r| {
                    let informed = r
                        .informed
                        .get(t)
                        .or(r.informed.last())
                        .copied()
                        .unwrap_or(0);
                    f64::from(informed) / f64::from(r.population)
                })
                .sum::<f64>()
                / runs as f64;
            (t as f64, 100.0 * mean)
        })
        .collect())
}

/// Weak vs strong ties in the talk of the network.
fn weak_ties(out: &Path) -> Result<(), Error> {
    let (a, bw, bs) = (0.001, 0.005, 0.02);
    let (strong, weak) = (8u32, 8u32);
    let runs = 20;
    let periods = 60;
    let config = |strong_ties: u32,
                  weak_ties: u32,
                  bw: f64,
                  bs: f64|
     -> Result<TalkOfNetworkConfig, Error> {
        Ok(TalkOfNetworkConfig::default()
            .population(3_000)
            .strong_ties(TieCount::fixed(strong_ties))
            .weak_ties(TieCount::fixed(weak_ties))
            .rates(TalkRates::new(a, bw, bs)?)
            .stop_at(1.0)
            .horizon(periods as u32))
    };
    let base = informed_curve(config(strong, weak, bw, bs)?, runs, periods)?;
    let counts = Panel::new(
        &format!("twice as many ties (base: {strong} strong, {weak} weak contacts a period)"),
        "period",
        "informed (% of 3,000)",
        vec![
            Series::new("base", GREY, Look::Line, base.clone()),
            Series::new(
                format!("{} strong ties", 2 * strong),
                VERMILLION,
                Look::Dashed,
                informed_curve(config(2 * strong, weak, bw, bs)?, runs, periods)?,
            ),
            Series::new(
                format!("{} weak contacts a period", 2 * weak),
                BLUE,
                Look::Line,
                informed_curve(config(strong, 2 * weak, bw, bs)?, runs, periods)?,
            ),
        ],
    )
    .legend(Legend::Inside(SeriesLabelPosition::LowerRight));
    let strengths = Panel::new(
        &format!("ties twice as persuasive (base: bs = {bs}, bw = {bw})"),
        "period",
        "informed (% of 3,000)",
        vec![
            Series::new("base", GREY, Look::Line, base),
            Series::new(
                format!("strong ties: bs = {}", 2.0 * bs),
                VERMILLION,
                Look::Dashed,
                informed_curve(config(strong, weak, bw, 2.0 * bs)?, runs, periods)?,
            ),
            Series::new(
                format!("weak ties: bw = {}", 2.0 * bw),
                BLUE,
                Look::Line,
                informed_curve(config(strong, weak, 2.0 * bw, bs)?, runs, periods)?,
            ),
        ],
    )
    .legend(Legend::Inside(SeriesLabelPosition::LowerRight));
    write_chart(
        &out.join("weak_ties.svg"),
        &format!(
            "Talk of the network (GLM 2001): weak vs strong ties, 3,000 people, a = {a}, mean of {runs} runs"
        ),
        &[counts, strengths],
    )
}

fn main() -> Result<(), Error> {
    let out = std::env::args()
        .nth(1)
        .map_or_else(|| PathBuf::from("docs"), PathBuf::from);
    std::fs::create_dir_all(&out)?;
    funnel_stages(&out)?;
    bass_fit(&out)?;
    ownership(&out)?;
    weak_ties(&out)?;
    Ok(())
}
