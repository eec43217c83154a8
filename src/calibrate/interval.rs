//! Binomial estimates with their standard errors and Wilson intervals, and the
//! defaults the data cannot move.

use super::tally::Count;
use super::{Estimate, EstimateSource};
use crate::sim::Period;

/// The 97.5% point of the standard normal.
pub(crate) const Z: f64 = 1.959_963_984_540_054;

/// The standard deviation of a uniform guess on `[0, 1]`.
const UNIFORM_SD: f64 = 0.288_675_134_594_812_9;

/// A default kept for `reason`: the whole domain `[0, 1]` as its interval.
pub(crate) fn whole_domain(default: f64, reason: &str) -> Estimate {
    Estimate {
        estimate: default,
        std_err: UNIFORM_SD,
        ci95: [0.0, 1.0],
        source: EstimateSource::Default,
        reason: Some(reason.to_string()),
    }
}

/// The binomial MLE `k / n` of `count`, its standard error and the Wilson
/// score interval; the default (with the reason) below `min_tries` tries of
/// `what`.
pub(crate) fn binomial(count: Count, min_tries: u64, default: f64, what: &str) -> Estimate {
    let Count { tries: n, hits: k } = count;
    if n < min_tries.max(1) {
        return whole_domain(
            default,
            &format!(
                "only {n} {what} in the book (at least {} needed)",
                min_tries.max(1)
            ),
        );
    }
    let nf = n as f64;
    let p = (k.min(n) as f64) / nf;
    let z2 = Z * Z;
    let centre = (p + z2 / (2.0 * nf)) / (1.0 + z2 / nf);
    let half = Z / (1.0 + z2 / nf) * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt();
    // At k = 0 (k = n) the interval reaches 0 (1) exactly, whatever the
    // rounding of the formula.
    let lo = if k == 0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let hi = if k >= n {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    let se = (p * (1.0 - p) / nf).sqrt();
    // At p = 0 or 1 the plug-in error is 0: use the interval's own width.
    let std_err = if se > 0.0 { se } else { (hi - lo) / (2.0 * Z) };
    Estimate {
        estimate: p,
        std_err,
        ci95: [lo, hi],
        source: EstimateSource::Fitted,
        reason: None,
    }
}

/// A per-period chance as a per-week one: `1 - (1 - p)^(1 / weeks)` (the
/// inverse of [`Period::rate`]), applied to the estimate and the ends of
/// the interval (monotone); the error by the delta method.
pub(crate) fn per_week(e: Estimate, period: Period) -> Estimate {
    if period == Period::Week {
        return e;
    }
    let k = 1.0 / period.weeks();
    let f = |p: f64| 1.0 - (1.0 - p).max(0.0).powf(k);
    let slope = k * (1.0 - e.estimate).max(1e-12).powf(k - 1.0);
    Estimate {
        estimate: f(e.estimate),
        std_err: e.std_err * slope,
        ci95: [f(e.ci95[0]), f(e.ci95[1])],
        ..e
    }
}

/// The mean purchase amount of `(n, sum, sum of squares)` with a normal
/// interval; a constant amount is known to half a cent.
pub(crate) fn mean((n, sum, squares): (u64, f64, f64), default: f64) -> Estimate {
    if n < 2 {
        return Estimate {
            ci95: [0.0, 2.0 * default],
            std_err: default / Z,
            ..whole_domain(
                default,
                &format!("only {n} purchases with an amount in the book (at least 2 needed)"),
            )
        };
    }
    let nf = n as f64;
    let m = sum / nf;
    let var = ((squares - nf * m * m) / (nf - 1.0)).max(0.0);
    let se = (var / nf).sqrt();
    let (se, half) = if Z * se < 0.005 {
        (0.005 / Z, 0.005)
    } else {
        (se, Z * se)
    };
    Estimate {
        estimate: m,
        std_err: se,
        ci95: [m - half, m + half],
        source: EstimateSource::Fitted,
        reason: None,
    }
}
