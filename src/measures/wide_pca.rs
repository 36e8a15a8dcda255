//! The principal plane of wide data (784 raw pixels, or any codes), for
//! drawing pixels or codes on a map that comes from no model. (The latent
//! plot's exact PCA of a few dozen code dimensions is `latent/pca.rs`.)
//!
//! `latent::pca2` solves the whole k×k eigenproblem by Jacobi rotations,
//! exact and quick for codes of a few dozen dimensions but O(k³) per sweep:
//! about a gigaflop a sweep at 784, with column-strided access. Here the
//! covariance is built block by block with GEMM (the bulk: n·d² multiply-adds)
//! and only its top two eigenvectors are found, by subspace iteration with
//! Rayleigh–Ritz (Golub & Van Loan, "Matrix Computations", §8.2.4 and §8.1.4):
//! a block of `BLOCK` vectors converges to the top two at the rate
//! λ_{BLOCK+1}/λ₂ per step, a few dozen steps on MNIST, each one d×d×BLOCK.
//! With d ≤ `BLOCK` the block is the whole space and one step is exact.

use ndarray::{s, Array2, ArrayView2, Axis};

use super::{bad, check_points};
use crate::error::Result;
use crate::latent::pca::symmetric_eigen;
use crate::latent::Pca;
use crate::rng::Rng;
use crate::tensor::{ensure_shape, gemm};

/// Vectors iterated together (see the module comment).
const BLOCK: usize = 12;
/// Stop when both top Ritz pairs satisfy ‖Cv − θv‖ ≤ TOL·θ₁: converged to
/// well below what an f32 plot or a printed percentage can show.
const TOL: f64 = 1e-9;
/// Bounds the work when eigenvalues crowd (a flat spectrum converges
/// slowly); the Ritz values, which set `explained`, converge first.
const MAX_STEPS: usize = 300;
/// Rows centred and multiplied per GEMM: 1024 × 784 floats (3 MB).
const ROW_BLOCK: usize = 1024;
/// The start block's generator seed: any fixed seed keeps the result deterministic.
const START_SEED: u64 = 0x9ca_b10c;

/// Per-dimension mean (f64) of `points: (n, d)`.
pub(crate) fn mean(points: &ArrayView2<f32>) -> Vec<f64> {
    let mut sum = vec![0.0f64; points.ncols()];
    for row in points.rows() {
        sum.iter_mut().zip(row).for_each(|(s, &v)| *s += v as f64);
    }
    sum.iter().map(|s| s / points.nrows() as f64).collect()
}

/// Sample covariance `(d, d)` about `mean`, divided by n − 1: f32 GEMMs of
/// centred row blocks, summed in f64 so the n rows add without drift.
pub(crate) fn covariance(points: &ArrayView2<f32>, mean: &[f64]) -> Array2<f64> {
    let (n, d) = points.dim();
    let mut cov = Array2::<f64>::zeros((d, d));
    let (mut centred, mut part) = (Array2::<f32>::zeros((0, 0)), Array2::<f32>::zeros((d, d)));
    for start in (0..n).step_by(ROW_BLOCK) {
        let end = (start + ROW_BLOCK).min(n);
        ensure_shape(&mut centred, end - start, d);
        for (mut out, row) in centred.rows_mut().into_iter().zip(points.rows().into_iter().skip(start)) {
            out.iter_mut().zip(row).zip(mean).for_each(|((o, &v), &m)| *o = (v as f64 - m) as f32);
        }
        gemm(1.0, &centred.t(), &centred.view(), 0.0, &mut part.view_mut());
        cov.zip_mut_with(&part, |c, &p| *c += p as f64);
    }
    cov /= n.saturating_sub(1).max(1) as f64;
    cov
}

/// Removes from column `c` of `v` its parts along the (orthonormal) columns
/// before it, twice over ("twice is enough": Giraud et al., Numer. Math.
/// 2005), and returns its remaining length.
fn project_out(v: &mut Array2<f64>, c: usize) -> f64 {
    for _pass in 0..2 {
        for e in 0..c {
            let dot: f64 = v.column(c).iter().zip(v.column(e)).map(|(a, b)| a * b).sum();
            let (earlier, mut col) = v.multi_slice_mut((s![.., e], s![.., c]));
            col.zip_mut_with(&earlier, |a, &b| *a -= dot * b);
        }
    }
    v.column(c).iter().map(|x| x * x).sum::<f64>().sqrt()
}

/// Orthonormalises the columns of `v: (d, p)` in place by modified
/// Gram–Schmidt. A column with (numerically) nothing left outside the earlier
/// ones, as when the data span fewer dimensions than the block, is replaced
/// by the first coordinate axis that keeps at least 0.1 of its length. One
/// exists: outside c earlier columns the d axes' squared remainders sum to
/// d − c, so the largest is at least (d − c)/d, which is at least 0.1² = 0.01
/// here: c ≤ p − 2 with p < d, so (d − c)/d ≥ 2/d, and p = k + 10 < d with
/// d ≤ 200 or c ≤ 0.99 d (k bits of hashing ≤ 64 at d = 784).
fn orthonormalise(v: &mut Array2<f64>) {
    let (d, p) = v.dim();
    let mut axes = 0..d;
    for c in 0..p {
        let before: f64 = v.column(c).iter().map(|x| x * x).sum::<f64>().sqrt();
        let mut norm = project_out(v, c);
        let mut enough = 1e-10 * before;
        while norm <= enough {
            let Some(axis) = axes.next() else { break };
            v.column_mut(c).fill(0.0);
            v[[axis, c]] = 1.0;
            norm = project_out(v, c);
            enough = 0.1;
        }
        v.column_mut(c).mapv_inplace(|x| x / norm);
    }
}

/// The top two eigenpairs of a symmetric positive semi-definite `c: (d, d)`:
/// values (descending) and unit vectors `(d, 2)`.
fn top_two(c: &Array2<f64>) -> ([f64; 2], Array2<f64>) {
    let (values, vectors) = top_eigen(c, 2);
    ([values[0], values[1]], vectors)
}

/// The top `k` eigenpairs (k ≤ d) of a symmetric positive semi-definite
/// `c: (d, d)`: values (descending) and unit vectors `(d, k)`. The block
/// carries `BLOCK − 2` vectors beyond the k wanted, as `top_two` does.
pub(crate) fn top_eigen(c: &Array2<f64>, k: usize) -> (Vec<f64>, Array2<f64>) {
    let d = c.nrows();
    let k = k.min(d);
    let p = (k + BLOCK - 2).min(d);
    let mut v = if p == d {
        Array2::<f64>::eye(d)
    } else {
        let mut rng = Rng::new(START_SEED);
        Array2::from_shape_fn((d, p), |_| rng.normal() as f64)
    };
    let mut values = vec![0.0; k];
    let mut vectors = Array2::<f64>::zeros((d, k));
    for _step in 0..MAX_STEPS {
        orthonormalise(&mut v);
        // The GEMMs here are d×d×12 in f64, a few milliseconds, so they use ndarray's `dot`
        // rather than the crate's counted f32 `tensor::gemm`.
        let cv = c.dot(&v); // (d, p)
        let (theta, s) = symmetric_eigen(v.t().dot(&cv)); // Rayleigh–Ritz on the block
        let ritz = v.dot(&s); // (d, p), unit columns, θ descending
        let c_ritz = cv.dot(&s); // C · ritz
        let scale = theta[0].abs().max(f64::MIN_POSITIVE);
        let converged = (0..k).all(|j| {
            let r: f64 = c_ritz.column(j).iter().zip(ritz.column(j)).map(|(&a, &b)| (a - theta[j] * b).powi(2)).sum();
            r.sqrt() <= TOL * scale
        });
        for j in 0..k {
            values[j] = theta[j];
            vectors.column_mut(j).assign(&ritz.column(j));
        }
        if converged || p == d {
            break;
        }
        v = c_ritz; // one more multiplication by C
    }
    (values, vectors)
}

/// The top two principal components of `points: (n, d)`, d ≥ 2, as
/// `latent::pca2` gives them (same `Pca`, same sign rule: each component has
/// its largest-magnitude entry positive, the first such on a tie), for any d.
pub fn pca_plane(points: &ArrayView2<f32>) -> Result<Pca> {
    check_points(points, "the points")?;
    let d = points.ncols();
    if d < 2 {
        return Err(bad(format!("a principal plane needs points of at least 2 dimensions, not {d}")));
    }
    let mean = mean(points);
    let cov = covariance(points, &mean);
    let total: f64 = cov.diag().sum();
    let (values, vectors) = top_two(&cov);
    let mut components = Array2::<f32>::zeros((2, d));
    let mut variance = [0.0; 2];
    for c in 0..2 {
        let v = vectors.column(c);
        let big = v.iter().enumerate().fold(0, |best, (i, x)| if x.abs() > v[best].abs() { i } else { best });
        let sign = if v[big] < 0.0 { -1.0 } else { 1.0 };
        components.row_mut(c).iter_mut().zip(v).for_each(|(o, &x)| *o = (sign * x) as f32);
        // Rounding can leave a zero eigenvalue slightly negative.
        variance[c] = values[c].max(0.0);
    }
    let explained = if total > 0.0 { ((variance[0] + variance[1]) / total).min(1.0) } else { 0.0 };
    Ok(Pca { mean: mean.iter().map(|&m| m as f32).collect(), components, variance, explained })
}

/// `points: (n, d)` on the plane of `pca`: `(n, 2)`, (x − mean)·c for each component.
pub fn project(points: &ArrayView2<f32>, pca: &Pca) -> Result<Array2<f32>> {
    let d = pca.mean.len();
    if points.ncols() != d {
        return Err(bad(format!("the points have {} dimensions but the plane was fitted to {d}", points.ncols())));
    }
    let mut xy = Array2::<f32>::zeros((points.nrows(), 2));
    for (x, mut out) in points.axis_iter(Axis(0)).zip(xy.rows_mut()) {
        for (axis, o) in out.iter_mut().enumerate() {
            let c = pca.components.row(axis);
            *o = x.iter().zip(&pca.mean).zip(c).map(|((&x, &m), &c)| c as f64 * (x - m) as f64).sum::<f64>() as f32;
        }
    }
    Ok(xy)
}
