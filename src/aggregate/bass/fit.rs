//! Fitting `(p, q, m)` to an observed adoption (sales) series by nonlinear least
//! squares, with standard errors.

use serde::{Deserialize, Serialize};

use super::least_squares::{self, Settings, Termination};
use super::linalg::{self, Matrix};
use super::model::{BassModel, unit_density, unit_period};
use crate::error::{Error, Result};

/// How a period's observed sales are linked to the Bass curve.
///
/// The default is [`FitForm::PeriodDifference`]: sales reported per period
/// (a year, a quarter) are the *total* adoptions during that period, i.e. the
/// integral `m (F(t) - F(t-1))` of the adoption rate, so this form is exact for
/// aggregated data (the nonlinear least squares of Srinivasan and Mason, 1986).
/// [`FitForm::Density`] reads the period total as the instantaneous rate
/// `m f(t)` at the period's end, a discretisation that is only right when the
/// rate barely changes within a period; it is offered because much of the
/// literature (and many textbook tables) fit it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FitForm {
    /// `sales(t) = m f(t)`: the adoption rate at the end of period `t`.
    Density,
    /// `sales(t) = m (F(t) - F(t-1))`: the adoptions during period `t` (default).
    #[default]
    PeriodDifference,
}

impl FitForm {
    /// The share of the market adopting in period `t`, for unvalidated `p, q`.
    fn unit(self, p: f64, q: f64, t: f64) -> f64 {
        match self {
            FitForm::Density => unit_density(p, q, t),
            FitForm::PeriodDifference => unit_period(p, q, t),
        }
    }
}

/// Options of [`BassFit::fit`]: `Default` plus by-value setters.
///
/// ```
/// use social_loop::aggregate::{FitForm, FitOptions};
/// let options = FitOptions::default().form(FitForm::Density).max_iterations(500);
/// assert_eq!(options.get_form(), FitForm::Density);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FitOptions {
    form: FitForm,
    max_iterations: u32,
    tolerance: f64,
    start: Option<BassModel>,
}

impl Default for FitOptions {
    /// Period-difference form, 200 iterations, relative step tolerance `1e-12`,
    /// automatic starting values.
    fn default() -> Self {
        FitOptions {
            form: FitForm::default(),
            max_iterations: 200,
            tolerance: 1e-12,
            start: None,
        }
    }
}

impl FitOptions {
    /// Which link between sales and the curve to fit.
    #[must_use]
    pub fn form(mut self, form: FitForm) -> Self {
        self.form = form;
        self
    }

    /// The iteration limit of Levenberg-Marquardt (at least 1).
    #[must_use]
    pub fn max_iterations(mut self, max_iterations: u32) -> Self {
        self.max_iterations = max_iterations;
        self
    }

    /// Stop when a step changes every parameter by less than this relative
    /// amount (finite, > 0).
    #[must_use]
    pub fn tolerance(mut self, tolerance: f64) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Start the iterations from `start` instead of the automatic starting values.
    #[must_use]
    pub fn start(mut self, start: BassModel) -> Self {
        self.start = Some(start);
        self
    }

    /// The form that will be fitted.
    pub fn get_form(&self) -> FitForm {
        self.form
    }
}

/// Standard errors of the fitted parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BassStandardErrors {
    /// Standard error of `p`.
    pub p: f64,
    /// Standard error of `q`.
    pub q: f64,
    /// Standard error of `m`.
    pub m: f64,
}

/// A Bass model fitted to a sales series, with its uncertainty and the
/// solver's report.
///
/// ```
/// use social_loop::aggregate::{BassFit, FitOptions};
/// let sales = [840.0, 1470.0, 2110.0, 4000.0, 7590.0, 10950.0, 10530.0, 9470.0, 7790.0, 5890.0];
/// let fit = BassFit::fit(&sales, FitOptions::default())?;
/// assert!(fit.converged);
/// assert!((fit.model.m() - 67_660.0).abs() < 1.0);
/// let se = fit.standard_errors.ok_or("no standard errors")?;
/// println!("q = {:.4} +/- {:.4}", fit.model.q(), se.q);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BassFit {
    /// The least-squares estimate.
    pub model: BassModel,
    /// The form that was fitted.
    pub form: FitForm,
    /// Standard errors from `s^2 (J^T J)^{-1}` with `s^2 = RSS / (n - 3)`: the
    /// usual asymptotic (linearised) errors of nonlinear least squares. `None`
    /// with only 3 observations (no degrees of freedom left) or when `J^T J` is
    /// singular. Not meaningful when `q` ended on its bound 0.
    pub standard_errors: Option<BassStandardErrors>,
    /// The covariance matrix of `(p, q, m)` in that order (`None` as above).
    pub covariance: Option<[[f64; 3]; 3]>,
    /// The residual sum of squares at the estimate.
    pub rss: f64,
    /// Number of periods fitted.
    pub observations: usize,
    /// Levenberg-Marquardt iterations used.
    pub iterations: u32,
    /// Why the iterations stopped.
    pub termination: Termination,
    /// Whether the solver converged (`termination.converged()`); a fit that
    /// did not converge is still returned so the caller can inspect it.
    pub converged: bool,
    /// Where the iterations started.
    pub start: BassModel,
}

impl BassFit {
    /// Fits a Bass model to `sales`, the adoptions of periods `t = 1, 2, ..., n`
    /// (period 1 starts at launch).
    ///
    /// Starting values, unless given in `options`, are the better (lower residual
    /// sum of squares) of Bass's (1969) discrete OLS regression
    /// `S_t = a + b Y_{t-1} + c Y_{t-1}^2` and a coarse log-spaced grid over
    /// `(p, q)` with `m` profiled out in closed form; the grid keeps the fit
    /// robust when the regression gives an impossible root. Then Levenberg-
    /// Marquardt on `(p, q, m)` keeps `p > 0`, `m > 0` and `q >= 0`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] with field
    /// * `sales` when there are fewer than 3 periods or all are zero;
    /// * `sales[i]` (0-based) when a value is negative, NaN or infinite;
    /// * `max_iterations` / `tolerance` for an invalid option;
    /// * `start` when the model cannot be evaluated at the starting point.
    ///
    /// # Complexity
    /// `O(n)` per model evaluation; the start grid costs about 200 evaluations
    /// and each iteration a few more.
    pub fn fit(sales: &[f64], options: FitOptions) -> Result<BassFit> {
        validate(sales, &options)?;
        let form = options.form;
        let periods: Vec<f64> = (1..=sales.len()).map(|t| t as f64).collect();
        let start = match options.start {
            Some(start) => start,
            None => starting_values(sales, &periods, form)?,
        };
        let predict = |x: &[f64]| -> Option<Vec<f64>> {
            let (p, q, m) = (x[0], x[1], x[2]);
            if !(p > 0.0 && q >= 0.0 && m > 0.0) {
                return None;
            }
            let predicted: Vec<f64> = periods.iter().map(|&t| m * form.unit(p, q, t)).collect();
            predicted.iter().all(|v| v.is_finite()).then_some(predicted)
        };
        let jacobian = |x: &[f64]| -> Option<Matrix> {
            let (p, q, m) = (x[0], x[1], x[2]);
            // Central differences for p and q (the closed-form derivatives of f
            // are long and add nothing at this accuracy: relative error ~1e-10);
            // the model is linear in m.
            let hp = 1e-6 * p;
            let hq = 1e-6 * q.max(p);
            let rows: Vec<Vec<f64>> = periods
                .iter()
                .map(|&t| {
                    vec![
                        m * (form.unit(p + hp, q, t) - form.unit(p - hp, q, t)) / (2.0 * hp),
                        m * (form.unit(p, q + hq, t) - form.unit(p, q - hq, t)) / (2.0 * hq),
                        form.unit(p, q, t),
                    ]
                })
                .collect();
            rows.iter().flatten().all(|v| v.is_finite()).then_some(rows)
        };
        let project = |x: &mut [f64]| {
            if let Some(q) = x.get_mut(1) {
                *q = q.max(0.0);
            }
        };
        let settings = Settings {
            max_iterations: options.max_iterations,
            tolerance: options.tolerance,
        };
        let start_vector = vec![start.p(), start.q(), start.m()];
        let outcome = least_squares::levenberg_marquardt(
            sales,
            start_vector,
            predict,
            jacobian,
            project,
            &settings,
        )
        .ok_or_else(|| {
            Error::invalid(
                "start",
                "the Bass curve cannot be evaluated at the starting point",
            )
        })?;
        let [p, q, m] = outcome.params[..] else {
            return Err(Error::invalid("start", "internal: expected 3 parameters"));
        };
        let model = BassModel::new(p, q, m)?;
        let n = sales.len();
        let covariance = (n > 3)
            .then(|| {
                let variance = outcome.rss / (n - 3) as f64;
                let normal = least_squares::normal_matrix(&outcome.jacobian, 3);
                linalg::invert(&normal).map(|inverse| {
                    let mut cov = [[0.0; 3]; 3];
                    for (cov_row, inv_row) in cov.iter_mut().zip(&inverse) {
                        for (c, v) in cov_row.iter_mut().zip(inv_row) {
                            *c = variance * v;
                        }
                    }
                    cov
                })
            })
            .flatten();
        let standard_errors = covariance.map(|cov| BassStandardErrors {
            p: cov[0][0].max(0.0).sqrt(),
            q: cov[1][1].max(0.0).sqrt(),
            m: cov[2][2].max(0.0).sqrt(),
        });
        Ok(BassFit {
            model,
            form,
            standard_errors,
            covariance,
            rss: outcome.rss,
            observations: n,
            iterations: outcome.iterations,
            termination: outcome.termination,
            converged: outcome.termination.converged(),
            start,
        })
    }

    /// The fitted sales of period `t` under the fitted form.
    pub fn predicted_sales(&self, t: f64) -> f64 {
        self.model.m() * self.form.unit(self.model.p(), self.model.q(), t)
    }

    /// The residual standard error `sqrt(RSS / (n - 3))`, `None` with 3 periods.
    pub fn residual_standard_error(&self) -> Option<f64> {
        (self.observations > 3).then(|| (self.rss / (self.observations - 3) as f64).sqrt())
    }
}

fn validate(sales: &[f64], options: &FitOptions) -> Result<()> {
    if sales.len() < 3 {
        return Err(Error::invalid(
            "sales",
            format!(
                "need at least 3 periods to fit p, q and m, got {}",
                sales.len()
            ),
        ));
    }
    if let Some((i, value)) = sales
        .iter()
        .enumerate()
        .find(|(_, v)| !(v.is_finite() && **v >= 0.0))
    {
        return Err(Error::invalid(
            format!("sales[{i}]"),
            format!("sales must be finite and >= 0, got {value}"),
        ));
    }
    if sales.iter().all(|v| *v == 0.0) {
        return Err(Error::invalid(
            "sales",
            "all periods are zero: nothing to fit",
        ));
    }
    if options.max_iterations == 0 {
        return Err(Error::invalid("max_iterations", "must be at least 1"));
    }
    if !(options.tolerance.is_finite() && options.tolerance > 0.0) {
        return Err(Error::invalid(
            "tolerance",
            format!("must be finite and > 0, got {}", options.tolerance),
        ));
    }
    Ok(())
}

/// A candidate start and its residual sum of squares.
struct Candidate {
    p: f64,
    q: f64,
    m: f64,
    rss: f64,
}

/// For fixed `(p, q)` the best `m` is a linear least-squares coefficient.
fn profile_market(
    sales: &[f64],
    periods: &[f64],
    form: FitForm,
    p: f64,
    q: f64,
) -> Option<Candidate> {
    let units: Vec<f64> = periods.iter().map(|&t| form.unit(p, q, t)).collect();
    let cross: f64 = units.iter().zip(sales).map(|(u, y)| u * y).sum();
    let square: f64 = units.iter().map(|u| u * u).sum();
    let m = cross / square;
    if !(m.is_finite() && m > 0.0) {
        return None;
    }
    let predicted: Vec<f64> = units.iter().map(|u| m * u).collect();
    let rss = least_squares::rss(sales, &predicted);
    rss.is_finite().then_some(Candidate { p, q, m, rss })
}

/// Bass's (1969) discrete regression `S_t = a + b Y_{t-1} + c Y_{t-1}^2` with
/// `a = p m`, `b = q - p`, `c = -q / m`; `None` when the roots are not a
/// valid market.
fn ols_start(sales: &[f64], periods: &[f64], form: FitForm) -> Option<Candidate> {
    // Cumulative sales before each period, scaled by the total so the normal
    // equations are well conditioned.
    let total: f64 = sales.iter().sum();
    let mut before = 0.0;
    let mut normal = vec![vec![0.0; 3]; 3];
    let mut rhs = vec![0.0; 3];
    for &s in sales {
        let y = before / total;
        let x = [1.0, y, y * y];
        for (row, xa) in normal.iter_mut().zip(x) {
            for (cell, xb) in row.iter_mut().zip(x) {
                *cell += xa * xb;
            }
        }
        for (r, xa) in rhs.iter_mut().zip(x) {
            *r += xa * s;
        }
        before += s;
    }
    let coefficients = linalg::solve(&normal, &rhs)?;
    let [a, b, c] = coefficients[..] else {
        return None;
    };
    // In scaled units: c m'^2 + b m' + a = 0, m = m' * total.
    let discriminant = b * b - 4.0 * a * c;
    if !(c < 0.0 && discriminant >= 0.0) {
        return None;
    }
    let scaled_market = (-b - discriminant.sqrt()) / (2.0 * c);
    let m = scaled_market * total;
    let p = a / m;
    // c = c_scaled / total^2, so q = -c m = -c_scaled m' / total.
    let q = -c * scaled_market / total;
    if !(p > 0.0 && q >= 0.0 && m > 0.0) {
        return None;
    }
    let predicted: Vec<f64> = periods.iter().map(|&t| m * form.unit(p, q, t)).collect();
    let rss = least_squares::rss(sales, &predicted);
    rss.is_finite().then_some(Candidate { p, q, m, rss })
}

fn starting_values(sales: &[f64], periods: &[f64], form: FitForm) -> Result<BassModel> {
    const P_GRID: usize = 14;
    const Q_GRID: usize = 14;
    // p from 1e-4 to 0.5, q from 0 and 0.01 to 3, log-spaced.
    let p_values =
        (0..P_GRID).map(|i| 1e-4 * (0.5_f64 / 1e-4).powf(i as f64 / (P_GRID - 1) as f64));
    let q_values: Vec<f64> = std::iter::once(0.0)
        .chain((0..Q_GRID).map(|i| 0.01 * (3.0_f64 / 0.01).powf(i as f64 / (Q_GRID - 1) as f64)))
        .collect();
    let grid = p_values.flat_map(|p| {
        q_values
            .iter()
            .filter_map(move |&q| profile_market(sales, periods, form, p, q))
    });
    let best = grid
        .chain(ols_start(sales, periods, form))
        .min_by(|a, b| a.rss.total_cmp(&b.rss))
        .ok_or_else(|| Error::invalid("sales", "no starting values give a finite fit"))?;
    BassModel::new(best.p, best.q, best.m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_noise_free_parameters() {
        let truth = BassModel::new(0.01, 0.45, 5_000.0).unwrap();
        for form in [FitForm::Density, FitForm::PeriodDifference] {
            let sales: Vec<f64> = (1..=12)
                .map(|t| truth.m() * form.unit(truth.p(), truth.q(), f64::from(t)))
                .collect();
            let fit = BassFit::fit(&sales, FitOptions::default().form(form)).unwrap();
            assert!(fit.converged, "{form:?}");
            assert!(
                (fit.model.p() - 0.01).abs() < 1e-8,
                "{form:?} {:?}",
                fit.model
            );
            assert!((fit.model.q() - 0.45).abs() < 1e-8);
            assert!((fit.model.m() - 5_000.0).abs() < 1e-5);
        }
    }

    #[test]
    fn ols_start_is_close_on_clean_data() {
        let truth = BassModel::new(0.02, 0.4, 1_000.0).unwrap();
        let periods: Vec<f64> = (1..=15).map(f64::from).collect();
        let sales: Vec<f64> = periods.iter().map(|&t| truth.sales_in_period(t)).collect();
        let start = ols_start(&sales, &periods, FitForm::PeriodDifference).unwrap();
        // The discrete regression is an approximation: within ~15 % here.
        assert!((start.m / 1_000.0 - 1.0).abs() < 0.15, "m = {}", start.m);
        assert!((start.q / 0.4 - 1.0).abs() < 0.15, "q = {}", start.q);
    }
}
