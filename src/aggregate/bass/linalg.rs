//! Small dense linear algebra for the fits of this module and of
//! [`talk_of_network`](crate::aggregate::talk_of_network): solving and inverting the
//! `k x k` normal equations of a least-squares problem with `k` of 3 to a dozen.
//!
//! Gauss-Jordan elimination with partial pivoting. For matrices this small it is
//! exact to a few ulps of the condition number, allocation-light and has no
//! dependency; a general linear-algebra crate would be heavier than the problem.

/// A square matrix stored row by row.
pub(crate) type Matrix = Vec<Vec<f64>>;

/// Relative pivot size below which a matrix is treated as singular.
const SINGULAR: f64 = 1e-13;

/// Inverts the square matrix `a`, or returns `None` when it is singular or not
/// square.
///
/// When every diagonal entry is positive (the normal matrices `J^T J` of least
/// squares) the matrix is first equilibrated, `a = D s D` with
/// `D = diag(sqrt(a_ii))`, and `a^{-1} = D^{-1} s^{-1} D^{-1}`: parameters of very
/// different scales (a market of 10^5 people next to a rate of 10^-3) then do
/// not look singular. Singular means a pivot smaller than `1e-13` times the
/// largest entry of the (equilibrated) matrix.
///
/// # Complexity
/// `O(k^3)` time, `O(k^2)` memory.
pub(crate) fn invert(a: &Matrix) -> Option<Matrix> {
    let k = a.len();
    if a.iter().any(|row| row.len() != k) {
        return None;
    }
    let diagonal: Vec<f64> = a.iter().enumerate().map(|(i, row)| row[i]).collect();
    if diagonal.iter().all(|d| d.is_finite() && *d > 0.0) {
        let scale: Vec<f64> = diagonal.iter().map(|d| d.sqrt()).collect();
        let equilibrated: Matrix = a
            .iter()
            .zip(&scale)
            .map(|(row, si)| {
                row.iter()
                    .zip(&scale)
                    .map(|(x, sj)| x / (si * sj))
                    .collect()
            })
            .collect();
        let inverse = gauss_jordan(&equilibrated)?;
        return Some(
            inverse
                .iter()
                .zip(&scale)
                .map(|(row, si)| {
                    row.iter()
                        .zip(&scale)
                        .map(|(x, sj)| x / (si * sj))
                        .collect()
                })
                .collect(),
        );
    }
    gauss_jordan(a)
}

/// Gauss-Jordan inversion with partial pivoting of a square matrix.
fn gauss_jordan(a: &Matrix) -> Option<Matrix> {
    let k = a.len();
    let scale = a
        .iter()
        .flat_map(|row| row.iter())
        .fold(0.0_f64, |acc, x| acc.max(x.abs()));
    if !scale.is_finite() || scale == 0.0 {
        return None;
    }
    // Augmented [a | I].
    let mut work: Matrix = a
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let mut r = row.clone();
            r.extend((0..k).map(|j| if i == j { 1.0 } else { 0.0 }));
            r
        })
        .collect();
    for col in 0..k {
        let pivot_row =
            (col..k).max_by(|&x, &y| work[x][col].abs().total_cmp(&work[y][col].abs()))?;
        if work[pivot_row][col].abs() <= SINGULAR * scale {
            return None;
        }
        work.swap(col, pivot_row);
        let pivot = work[col][col];
        for value in work[col].iter_mut() {
            *value /= pivot;
        }
        let pivot_values = work[col].clone();
        for (row, values) in work.iter_mut().enumerate() {
            if row == col {
                continue;
            }
            let factor = values[col];
            if factor != 0.0 {
                for (value, p) in values.iter_mut().zip(&pivot_values) {
                    *value -= factor * p;
                }
            }
        }
    }
    Some(work.into_iter().map(|row| row[k..].to_vec()).collect())
}

/// Solves `a x = b` for `x`, or `None` when `a` is singular or the shapes differ.
///
/// # Complexity
/// `O(k^3)`.
pub(crate) fn solve(a: &Matrix, b: &[f64]) -> Option<Vec<f64>> {
    if b.len() != a.len() {
        return None;
    }
    let inverse = invert(a)?;
    Some(
        inverse
            .iter()
            .map(|row| row.iter().zip(b).map(|(x, y)| x * y).sum())
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverts_a_known_matrix() {
        // [[4, 7], [2, 6]]^-1 = [[0.6, -0.7], [-0.2, 0.4]]
        let inv = invert(&vec![vec![4.0, 7.0], vec![2.0, 6.0]]).unwrap();
        let expected = [[0.6, -0.7], [-0.2, 0.4]];
        for (row, exp) in inv.iter().zip(expected) {
            for (x, e) in row.iter().zip(exp) {
                assert!((x - e).abs() < 1e-15, "{x} vs {e}");
            }
        }
    }

    #[test]
    fn solves_with_pivoting() {
        // The first pivot is zero: needs a row swap.
        let a = vec![
            vec![0.0, 2.0, 1.0],
            vec![1.0, 1.0, 0.0],
            vec![3.0, 0.0, 1.0],
        ];
        let x = solve(&a, &[5.0, 3.0, 4.0]).unwrap();
        for (xi, e) in x.iter().zip([1.0, 2.0, 1.0]) {
            assert!((xi - e).abs() < 1e-14, "{x:?}");
        }
    }

    #[test]
    fn badly_scaled_normal_matrices_are_equilibrated() {
        // diag(1e12, 1e-2) with a correlation of 0.5: fine once scaled.
        let a = vec![vec![1e12, 0.5 * 1e5], vec![0.5 * 1e5, 1e-2]];
        let inv = invert(&a).unwrap();
        // Inverse of [[s1^2, r s1 s2], [r s1 s2, s2^2]] has (0,0) = 1/(s1^2 (1-r^2)).
        assert!((inv[0][0] * 1e12 * 0.75 - 1.0).abs() < 1e-12);
        assert!((inv[1][1] * 1e-2 * 0.75 - 1.0).abs() < 1e-12);
    }

    #[test]
    fn singular_and_malformed_matrices_are_refused() {
        assert!(invert(&vec![vec![1.0, 2.0], vec![2.0, 4.0]]).is_none());
        assert!(invert(&vec![vec![1.0, 2.0]]).is_none());
        assert!(invert(&vec![vec![0.0]]).is_none());
        assert!(solve(&vec![vec![1.0]], &[1.0, 2.0]).is_none());
    }
}
