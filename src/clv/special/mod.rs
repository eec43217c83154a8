//! Special functions the models need: `ln Γ` (from `libm`), log-space sums,
//! and the Gauss hypergeometric function `₂F₁(a, b; c; z)` on the domain the
//! BTYD models use (`a, b, c > 0`, `0 ≤ z < 1`).
//!
//! # Why `₂F₁` is written here
//!
//! No maintained pure-Rust crate computes `₂F₁` (the GSL bindings need the C
//! library; `mathru` brings BLAS/LAPACK). The models only need real positive
//! parameters and `0 ≤ z < 1`, where every term of Gauss's series is positive
//! (no cancellation), so two methods cover the domain:
//!
//! * `z ≤ 0.75`: the series `Σ (a)ₙ(b)ₙ/((c)ₙ n!) zⁿ`, summed with a running
//!   rescaling (the terms of `(1 − z)^{-b}`-sized sums overflow `f64` for large
//!   `b`) and stopped when a bound on the tail, `tₙ q/(1 − q)` with `q` the
//!   largest ratio still to come, is below `10⁻¹⁶` of the sum;
//! * `z > 0.75`, where the series converges slowly (geometrically in `z`): when
//!   `c > b` (or `c > a`, by symmetry; the larger of the two that `c`
//!   exceeds is taken as `b`), Euler's integral
//!   `Γ(c)/(Γ(b)Γ(c − b)) ∫₀¹ t^{b−1}(1 − t)^{c−b−1}(1 − zt)^{−a} dt`,
//!   by tanh-sinh quadrature (Takahasi & Mori 1974) in log space, which
//!   copes with the endpoint singularities and with the peak of
//!   `(1 − zt)^{−a}` at `t = 1` when `z → 1`. Otherwise the series, with up to
//!   a million terms.
//!
//! Pareto/NBD's terms are `₂F₁(r+s+x, ·; r+s+x+1; z)`, so `c > a` always holds
//! there; BG/NBD's conditional expectation has `c = a+b+x−1`, and `c > r+x`
//! or `c > b+x` for any estimate met in practice.
//!
//! The CLV draws need BG/NBD's term for every `x` of one `T` at the same `z`:
//! [`ShiftedHyp2f1`] evaluates the whole family at once on the same nodes
//! (the integral at every `z`, not only above 0.75), sharing `ln(1 − zt)` and
//! stepping from one `x` to the next by a multiplication per node.

mod shifted;

pub(crate) use shifted::ShiftedHyp2f1;

/// `ln Γ(x)` for `x > 0`.
pub(crate) fn ln_gamma(x: f64) -> f64 {
    libm::lgamma(x)
}

/// `ln(eᵃ + eᵇ)` without overflow.
pub(crate) fn log_add_exp(a: f64, b: f64) -> f64 {
    let (hi, lo) = if a >= b { (a, b) } else { (b, a) };
    if hi == f64::NEG_INFINITY {
        return hi;
    }
    hi + (lo - hi).exp().ln_1p()
}

/// `ln(eᵃ − eᵇ)` for `a ≥ b` (−∞ when equal).
pub(crate) fn log_sub_exp(a: f64, b: f64) -> f64 {
    if b == f64::NEG_INFINITY {
        return a;
    }
    a + (-(b - a).exp()).ln_1p()
}

/// Below this `z` the series is summed directly.
const SERIES_UP_TO: f64 = 0.75;
/// At least the number of tanh-sinh nodes (at most `2 · ⌊6.5 · 24⌋ + 1 = 313`).
const MAX_NODES: usize = 320;

/// Terms of the series before giving up.
const MAX_TERMS: usize = 1_000_000;

/// `ln ₂F₁(a, b; c; z)` for `a, b, c > 0` and `0 ≤ z < 1`; `None` outside that
/// domain or when no method converged.
pub(crate) fn ln_hyp2f1(a: f64, b: f64, c: f64, z: f64) -> Option<f64> {
    if !(a > 0.0 && b > 0.0 && c > 0.0 && (0.0..1.0).contains(&z) && (a + b + c).is_finite()) {
        return None;
    }
    if z == 0.0 {
        return Some(0.0);
    }
    if z > SERIES_UP_TO {
        // The larger parameter goes into t^{b−1} when c allows it: the other
        // one, the exponent of (1 − zt), then makes the smaller peak at t = 1.
        let (small, large) = if a <= b { (a, b) } else { (b, a) };
        if c > large {
            return Some(euler_integral(small, large, c, z));
        }
        if c > small {
            return Some(euler_integral(large, small, c, z));
        }
    }
    ln_series(a, b, c, z)
}

/// Gauss's series in log form.
fn ln_series(a: f64, b: f64, c: f64, z: f64) -> Option<f64> {
    const RESCALE: f64 = 1e200;
    let mut log_scale = 0.0;
    let mut sum = 1.0;
    let mut term = 1.0;
    for n in 0..MAX_TERMS {
        let k = n as f64;
        let ratio = (a + k) * (b + k) / ((c + k) * (k + 1.0)) * z;
        term *= ratio;
        sum += term;
        if sum > RESCALE {
            sum /= RESCALE;
            term /= RESCALE;
            log_scale += RESCALE.ln();
        }
        // Ratios tend to z; the largest still to come is at most max(ratio, z).
        let q = ratio.max(z);
        if q < 1.0 && term * q / (1.0 - q) <= 1e-16 * sum {
            return Some(log_scale + sum.ln());
        }
    }
    None
}

/// Tanh-sinh nodes on `[0, 1]`: `(ln t, ln(1 − t), ln(π h cosh(kh)), t)`
/// (`t` is `exp(ln t)`, kept so that the integrand does not recompute it); the
/// weight is `π h cosh(kh) · t (1 − t)`. Nodes where `t` or `1 − t` underflow
/// to zero are left out (their contribution is below `e^{−700}`).
fn nodes() -> &'static [(f64, f64, f64, f64)] {
    static NODES: std::sync::OnceLock<Vec<(f64, f64, f64, f64)>> = std::sync::OnceLock::new();
    NODES.get_or_init(|| {
        // Step h = 1/24 over |kh| ≤ 6.5: the nodes reach 1 − t ≈ e^{−700}, so
        // t^{b−1} with b as small as 0.005 is integrated to its end.
        let h = 1.0 / 24.0;
        let k_max = (6.5 / h) as i32;
        (-k_max..=k_max)
            .map(|k| {
                let s = f64::from(k) * h;
                let v = std::f64::consts::FRAC_PI_2 * s.sinh();
                // t = 1/(1 + e^{−2v}), 1 − t = 1/(1 + e^{2v}), both without cancellation.
                let ln_t = -(-2.0 * v).exp().ln_1p();
                let ln_1mt = -(2.0 * v).exp().ln_1p();
                // dt = π h cosh(s) t (1 − t).
                (
                    ln_t,
                    ln_1mt,
                    (std::f64::consts::PI * h * s.cosh()).ln(),
                    ln_t.exp(),
                )
            })
            .filter(|(ln_t, ln_1mt, _, _)| ln_t.is_finite() && ln_1mt.is_finite())
            .collect()
    })
}

/// `ln ₂F₁(a, b; c; z)` by Euler's integral (needs `c > b > 0`).
///
/// It is the hot loop of the CLV intervals (24 quadrature points × draws ×
/// distinct `(x, T)`): the terms live on the stack, not in a new vector.
fn euler_integral(a: f64, b: f64, c: f64, z: f64) -> f64 {
    let mut max = f64::NEG_INFINITY;
    let mut terms = [0.0f64; MAX_NODES];
    let mut used = 0;
    for (slot, &(ln_t, ln_1mt, ln_base, t)) in terms.iter_mut().zip(nodes()) {
        let e = ln_base + b * ln_t + (c - b) * ln_1mt - a * (-z * t).ln_1p();
        max = max.max(e);
        *slot = e;
        used += 1;
    }
    let sum: f64 = terms
        .get(..used)
        .unwrap_or_default()
        .iter()
        .map(|e| (e - max).exp())
        .sum();
    ln_gamma(c) - ln_gamma(b) - ln_gamma(c - b) + max + sum.ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values from `scipy.special.hyp2f1` 1.17.1 (Cephes).
    #[test]
    fn matches_reference_values_on_both_methods() {
        let cases = [
            (1.0, 1.0, 2.0, 0.5, 1.3862943611198901), // -ln(1-z)/z
            (0.7981, 1.6062, 1.7981, 0.0934, 1.0722659309862692),
            (12.5533, 1.6062, 13.5533, 0.6, 3.7386957695572622),
            (2.2426, 3.4258, 2.2184, 0.3, 3.436431302445323),
            (0.5, 0.5, 1.5, 0.9, 1.3166098475275847),
            (3.0, 2.0, 4.0, 0.99, 280.6753164581961),
            (20.5, 1.6, 21.5, 0.999, 1802.0417685031432),
            (0.24, 2.4, 2.22, 0.98, 3.205945494993182),
            (1.3, 7.7, 2.3, 0.9999, 1.2243615857887664e26),
        ];
        for (a, b, c, z, want) in cases {
            let got = ln_hyp2f1(a, b, c, z).unwrap().exp();
            let rel = (got - want).abs() / want;
            assert!(
                rel < 1e-11,
                "2F1({a}, {b}; {c}; {z}) = {got}, want {want} (rel {rel:e})"
            );
        }
    }

    #[test]
    fn every_node_has_a_slot() {
        assert_eq!(nodes().len(), 293); // 313 minus those whose t or 1 − t underflows
        assert!(nodes().len() <= MAX_NODES);
    }

    #[test]
    fn huge_values_stay_finite_in_log_space() {
        // (1 - z)^(-b) with b = 2000: about e^{1386}, beyond f64, fine as a log.
        let ln = ln_hyp2f1(1.0, 2000.0, 2.0, 0.5).unwrap();
        assert!(ln.is_finite() && ln > 1300.0, "{ln}");
        assert!(ln_hyp2f1(1.0, 1.0, 2.0, 1.0).is_none());
        assert!(ln_hyp2f1(-1.0, 1.0, 2.0, 0.5).is_none());
    }

    #[test]
    fn the_two_methods_agree_where_they_meet() {
        for &(a, b, c) in &[(0.8, 1.6, 1.8), (30.0, 5.0, 31.0), (2.2, 3.4, 4.6)] {
            for &z in &[0.7, 0.75, 0.8, 0.95] {
                let series = ln_series(a, b, c, z).unwrap();
                let integral = euler_integral(a, b, c, z);
                assert!(
                    (series - integral).abs() < 1e-12 * series.abs().max(1.0),
                    "{a} {b} {c} {z}: {series} vs {integral}"
                );
            }
        }
    }
}
