//! Finite-difference gradient and Hessian, the covariance of the estimates
//! and its Cholesky factor.

use crate::aggregate::bass::linalg;

/// Step of the central-difference gradient in `φ`.
const GRADIENT_STEP: f64 = 1e-6;
/// Step of the central-difference Hessian in `φ`.
const HESSIAN_STEP: f64 = 1e-4;

/// Central-difference gradient of `f` at `x`.
pub(crate) fn gradient<F: Fn(&[f64]) -> f64 + ?Sized>(f: &F, x: &[f64]) -> Vec<f64> {
    let mut probe = x.to_vec();
    (0..x.len())
        .map(|i| {
            let at = x.get(i).copied().unwrap_or(0.0);
            set(&mut probe, i, at + GRADIENT_STEP);
            let up = f(&probe);
            set(&mut probe, i, at - GRADIENT_STEP);
            let down = f(&probe);
            set(&mut probe, i, at);
            (up - down) / (2.0 * GRADIENT_STEP)
        })
        .collect()
}

/// Central-difference Hessian of `scale · f` at `x` (`f` is the mean
/// negative log-likelihood; the Hessian is of the total).
pub(crate) fn hessian<F: Fn(&[f64]) -> f64 + ?Sized>(
    f: &F,
    x: &[f64],
    scale: f64,
) -> Vec<Vec<f64>> {
    let k = x.len();
    let h = HESSIAN_STEP;
    let mut probe = x.to_vec();
    let mut at = |shifts: &[(usize, f64)]| {
        for &(i, d) in shifts {
            set(&mut probe, i, x.get(i).copied().unwrap_or(0.0) + d);
        }
        let v = f(&probe);
        for &(i, _) in shifts {
            set(&mut probe, i, x.get(i).copied().unwrap_or(0.0));
        }
        v
    };
    let centre = at(&[]);
    let mut out = vec![vec![0.0; k]; k];
    for i in 0..k {
        let d2 = (at(&[(i, h)]) - 2.0 * centre + at(&[(i, -h)])) / (h * h);
        put(&mut out, i, i, d2 * scale);
        for j in 0..i {
            let v = (at(&[(i, h), (j, h)]) - at(&[(i, h), (j, -h)]) - at(&[(i, -h), (j, h)])
                + at(&[(i, -h), (j, -h)]))
                / (4.0 * h * h);
            put(&mut out, i, j, v * scale);
            put(&mut out, j, i, v * scale);
        }
    }
    out
}

/// The inverse of a positive-definite `hessian`, or the index of a parameter
/// whose direction is flat or not concave.
pub(crate) fn covariance(hessian: &[Vec<f64>]) -> Result<Vec<Vec<f64>>, usize> {
    let bad_diagonal = hessian.iter().enumerate().find(|(i, row)| {
        row.get(*i).copied().unwrap_or(f64::NAN).partial_cmp(&0.0)
            != Some(std::cmp::Ordering::Greater)
    });
    if let Some((i, _)) = bad_diagonal {
        return Err(i);
    }
    if cholesky(hessian).is_none() {
        return Err(hessian.len().saturating_sub(1));
    }
    let inverse = linalg::invert(&hessian.to_vec()).ok_or(0usize)?;
    match inverse.iter().enumerate().find(|(i, row)| {
        row.get(*i).copied().unwrap_or(f64::NAN).partial_cmp(&0.0)
            != Some(std::cmp::Ordering::Greater)
    }) {
        Some((i, _)) => Err(i),
        None => Ok(inverse),
    }
}

/// The lower-triangular `L` with `L Lᵀ = a`, or `None` when `a` is not
/// positive definite.
pub(crate) fn cholesky(a: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let k = a.len();
    let mut l = vec![vec![0.0; k]; k];
    for i in 0..k {
        for j in 0..=i {
            let mut sum = a.get(i)?.get(j).copied()?;
            for m in 0..j {
                sum -= l.get(i)?.get(m)? * l.get(j)?.get(m)?;
            }
            if i == j {
                if sum.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
                    return None;
                }
                put(&mut l, i, i, sum.sqrt());
            } else {
                let d = *l.get(j)?.get(j)?;
                put(&mut l, i, j, sum / d);
            }
        }
    }
    Some(l)
}

fn set(v: &mut [f64], i: usize, value: f64) {
    if let Some(slot) = v.get_mut(i) {
        *slot = value;
    }
}

fn put(m: &mut [Vec<f64>], i: usize, j: usize, value: f64) {
    if let Some(slot) = m.get_mut(i).and_then(|row| row.get_mut(j)) {
        *slot = value;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derivatives_of_a_quadratic_are_exact_enough() {
        // f = 0.5 xᵀ A x with A = [[2, 0.5], [0.5, 1]].
        let f = |x: &[f64]| 0.5 * (2.0 * x[0] * x[0] + x[0] * x[1] + x[1] * x[1]);
        let g = gradient(&f, &[1.0, -2.0]);
        assert!(
            (g[0] - 1.0).abs() < 1e-8 && (g[1] + 1.5).abs() < 1e-8,
            "{g:?}"
        );
        let h = hessian(&f, &[1.0, -2.0], 1.0);
        assert!(
            (h[0][0] - 2.0).abs() < 1e-6
                && (h[0][1] - 0.5).abs() < 1e-6
                && (h[1][1] - 1.0).abs() < 1e-6
        );
        let c = covariance(&h).unwrap();
        // inverse of A = [[1, -0.5], [-0.5, 2]] / 1.75
        assert!((c[0][0] - 1.0 / 1.75).abs() < 1e-6 && (c[0][1] + 0.5 / 1.75).abs() < 1e-6);
        let l = cholesky(&h).unwrap();
        assert!((l[1][0] * l[0][0] - 0.5).abs() < 1e-6);
        assert_eq!(covariance(&[vec![1.0, 2.0], vec![2.0, 1.0]]), Err(1));
        assert_eq!(covariance(&[vec![-1.0]]), Err(0));
    }
}
