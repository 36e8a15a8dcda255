//! Code statistics and a sign-stable principal component analysis of codes.
//!
//! The covariance is k×k with k the code size (at most a few dozen), so the
//! eigenproblem is solved exactly with cyclic Jacobi rotations rather than by
//! power iteration: no start vector, no convergence threshold to tune, and
//! nearly equal eigenvalues cost nothing extra.

use ndarray::{Array2, ArrayView2};

/// Per-dimension mean and standard deviation of codes (sample std, n − 1).
#[derive(Clone, Debug, PartialEq)]
pub struct CodeStats {
    pub mean: Vec<f64>, // (k)
    pub std: Vec<f64>,  // (k)
}

/// Statistics of `codes: (n, k)`. One code has std 0 (the n − 1 is floored at 1).
pub fn code_stats(codes: &ArrayView2<f32>) -> CodeStats {
    let (n, k) = codes.dim();
    let mut mean = vec![0.0f64; k];
    for row in codes.rows() {
        for (m, &v) in mean.iter_mut().zip(row) {
            *m += v as f64;
        }
    }
    mean.iter_mut().for_each(|m| *m /= n.max(1) as f64);
    let mut std = vec![0.0f64; k];
    for row in codes.rows() {
        for ((s, &v), &m) in std.iter_mut().zip(row).zip(&mean) {
            *s += (v as f64 - m).powi(2);
        }
    }
    std.iter_mut().for_each(|s| *s = (*s / n.saturating_sub(1).max(1) as f64).sqrt());
    CodeStats { mean, std }
}

/// Sample covariance `(k, k)` of `codes: (n, k)` about `mean`, divided by n − 1.
pub fn covariance(codes: &ArrayView2<f32>, mean: &[f64]) -> Array2<f64> {
    let (n, k) = codes.dim();
    let mut cov = Array2::<f64>::zeros((k, k));
    let mut d = vec![0.0f64; k];
    for row in codes.rows() {
        for ((d, &v), &m) in d.iter_mut().zip(row).zip(mean) {
            *d = v as f64 - m;
        }
        for a in 0..k {
            for b in a..k {
                cov[[a, b]] += d[a] * d[b];
            }
        }
    }
    let denom = n.saturating_sub(1).max(1) as f64;
    for a in 0..k {
        for b in a..k {
            cov[[a, b]] /= denom;
            cov[[b, a]] = cov[[a, b]];
        }
    }
    cov
}

/// Eigenvalues (descending) and unit eigenvectors (the columns of the
/// returned matrix, in the same order) of a symmetric matrix, by cyclic
/// Jacobi rotations (Golub & Van Loan, "Matrix Computations", §8.5; the
/// rotation formula is Numerical Recipes' `jacobi`, which avoids cancellation).
pub fn symmetric_eigen(mut a: Array2<f64>) -> (Vec<f64>, Array2<f64>) {
    let k = a.nrows();
    let mut v = Array2::<f64>::eye(k);
    let scale: f64 = a.iter().map(|x| x * x).sum::<f64>().max(f64::MIN_POSITIVE);
    // Each sweep squares the off-diagonal mass once it is small; 50 sweeps is
    // far more than any k ≤ 100 needs, and bounds the loop on NaN input.
    for _sweep in 0..50 {
        let off: f64 = (0..k).flat_map(|p| (0..k).filter(move |&q| q != p).map(move |q| (p, q))).map(|(p, q)| a[[p, q]] * a[[p, q]]).sum();
        if off.is_nan() || off <= 1e-30 * scale {
            break;
        }
        for p in 0..k {
            for q in p + 1..k {
                let apq = a[[p, q]];
                if apq == 0.0 {
                    continue;
                }
                let theta = (a[[q, q]] - a[[p, p]]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                // A ← Jᵀ A J, V ← V J with J the rotation in the (p, q) plane.
                for r in 0..k {
                    let (arp, arq) = (a[[r, p]], a[[r, q]]);
                    a[[r, p]] = c * arp - s * arq;
                    a[[r, q]] = s * arp + c * arq;
                }
                for r in 0..k {
                    let (apr, aqr) = (a[[p, r]], a[[q, r]]);
                    a[[p, r]] = c * apr - s * aqr;
                    a[[q, r]] = s * apr + c * aqr;
                }
                for r in 0..k {
                    let (vrp, vrq) = (v[[r, p]], v[[r, q]]);
                    v[[r, p]] = c * vrp - s * vrq;
                    v[[r, q]] = s * vrp + c * vrq;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..k).collect();
    // Descending; equal eigenvalues keep their index order, so the result is deterministic.
    order.sort_by(|&i, &j| a[[j, j]].total_cmp(&a[[i, i]]).then(i.cmp(&j)));
    let values = order.iter().map(|&i| a[[i, i]]).collect();
    let vectors = Array2::from_shape_fn((k, k), |(r, c)| v[[r, order[c]]]);
    (values, vectors)
}

/// The plane of the first two principal components.
#[derive(Clone, Debug, PartialEq)]
pub struct Pca {
    pub mean: Vec<f32>,          // (k), the codes' mean: the plot's origin
    pub components: Array2<f32>, // (2, k), unit rows: the plot's x and y directions
    pub variance: [f64; 2],      // the codes' variance along each component
    /// Fraction of the codes' total variance the plane shows.
    pub explained: f64,
}

/// The top two principal components of `codes: (n, k)`, k ≥ 2, about `mean`.
///
/// An eigenvector's sign is arbitrary, and a plot that flips whenever the
/// basis is refreshed is unreadable. So each component points the way of the
/// same component of `previous` (`(2, k)`: dot product ≥ 0) when one is given,
/// and otherwise has its largest-magnitude entry positive (the first such
/// entry on a tie), which depends on the covariance alone.
pub fn pca2(codes: &ArrayView2<f32>, mean: &[f64], previous: Option<&ArrayView2<f32>>) -> Pca {
    let k = codes.ncols();
    let cov = covariance(codes, mean);
    let total: f64 = cov.diag().sum();
    let (values, vectors) = symmetric_eigen(cov);
    let mut components = Array2::<f32>::zeros((2, k));
    let mut variance = [0.0; 2];
    for c in 0..2.min(k) {
        let v = vectors.column(c);
        let flip = match previous.filter(|p| p.dim() == (2, k)) {
            Some(p) => v.iter().zip(p.row(c)).map(|(&a, &b)| a * b as f64).sum::<f64>() < 0.0,
            None => {
                let big = v.iter().enumerate().fold(0, |best, (i, x)| if x.abs() > v[best].abs() { i } else { best });
                v[big] < 0.0
            }
        };
        let sign = if flip { -1.0 } else { 1.0 };
        for (out, &x) in components.row_mut(c).iter_mut().zip(v) {
            *out = (sign * x) as f32;
        }
        // Rounding can leave a zero eigenvalue slightly negative.
        variance[c] = values[c].max(0.0);
    }
    let explained = if total > 0.0 { ((variance[0] + variance[1]) / total).min(1.0) } else { 0.0 };
    Pca { mean: mean.iter().map(|&m| m as f32).collect(), components, variance, explained }
}
