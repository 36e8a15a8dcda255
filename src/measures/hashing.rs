//! Retrieval by short binary codes (semantic hashing: Salakhutdinov &
//! Hinton 2009), measured as the hashing literature does: each query ranks
//! the whole database, and an item is relevant when it has the query's label.
//!
//! - `average_precision`: AP over the top `top` of a ranking, the mean of
//!   precision@i at each relevant i, divided by the relevant items in the top
//!   `top` (mAP@5000 in Gong & Lazebnik's and later hashing papers' code);
//!   and precision@k.
//! - `hamming_ranking`: a binary code's ranking. Distances are 0…bits, so a
//!   counting sort ranks 60,000 items in one pass; equal distances keep
//!   database order, as a stable sort would.
//! - `Itq`: iterative quantisation (Gong & Lazebnik, CVPR 2011): PCA to
//!   `bits` dimensions, then the rotation R minimising ‖B − VR‖ with
//!   B = sign(VR), by alternating B and an orthogonal Procrustes step.
//! - `median_bits`: a real-valued code's bits, each dimension cut at its
//!   median over the database (how the issue measured a plain AE's codes).

use ndarray::{s, Array2, ArrayView2};

use super::wide_pca::{covariance, mean, top_eigen};
use super::{bad, check_points};
use crate::error::Result;
use crate::latent::pca::symmetric_eigen;
use crate::rng::Rng;

/// The most bits a code may have: one u64 per item.
pub const MAX_BITS: usize = 64;

/// AP over the top `top` of `ranked` (database indices, best first) and
/// precision over its top `k`, relevance being `labels[i] == label`.
/// AP is 0 when nothing relevant is in the top `top`.
pub fn average_precision(ranked: &[usize], labels: &[u8], label: u8, top: usize, k: usize) -> (f64, f64) {
    let (mut hits, mut sum) = (0usize, 0.0f64);
    let mut hits_at_k = 0usize;
    for (i, &item) in ranked.iter().take(top.max(k)).enumerate() {
        let relevant = labels[item] == label;
        if i < top && relevant {
            hits += 1;
            sum += hits as f64 / (i + 1) as f64;
        }
        if i < k && relevant {
            hits_at_k += 1;
        }
    }
    let ap = if hits == 0 { 0.0 } else { sum / hits as f64 };
    (ap, hits_at_k as f64 / k.max(1) as f64)
}

/// The precision–recall curve of rankings: for each cut k in `cuts`, the
/// mean over queries of (recall, precision) of the top k of `ranked[q]`
/// (database indices, best first), relevance being the query's label.
/// Recall counts every relevant item in the database, ranked or not.
pub fn precision_recall(ranked: &[Vec<usize>], labels: &[u8], queries: &[u8], cuts: &[usize]) -> Vec<(f64, f64)> {
    let mut per_label = [0usize; 256];
    labels.iter().for_each(|&l| per_label[l as usize] += 1);
    let mut sums = vec![(0.0f64, 0.0f64); cuts.len()];
    for (r, &label) in ranked.iter().zip(queries) {
        let mut hits = 0usize;
        let mut next = 0;
        for (i, &item) in r.iter().enumerate() {
            hits += (labels[item] == label) as usize;
            while next < cuts.len() && cuts[next] == i + 1 {
                sums[next].0 += hits as f64 / per_label[label as usize].max(1) as f64;
                sums[next].1 += hits as f64 / cuts[next] as f64;
                next += 1;
            }
        }
    }
    let n = ranked.len().max(1) as f64;
    sums.into_iter().map(|(r, p)| (r / n, p / n)).collect()
}

/// The first `top` database items by Hamming distance from `query` (each code
/// `bits` ≤ 64 wide), nearest first, equal distances in database order.
pub fn hamming_ranking(database: &[u64], query: u64, bits: usize, top: usize) -> Vec<usize> {
    // Counting sort: how many items at each distance, then where each distance starts.
    let distance = |c: u64| (c ^ query).count_ones() as usize;
    let mut start = vec![0usize; bits + 2];
    for &c in database {
        start[distance(c) + 1] += 1;
    }
    for d in 1..start.len() {
        start[d] += start[d - 1];
    }
    let mut ranked = vec![0usize; database.len()];
    for (i, &c) in database.iter().enumerate() {
        let d = distance(c);
        ranked[start[d]] = i;
        start[d] += 1;
    }
    ranked.truncate(top);
    ranked
}

/// Codes as bits: bit j of item i is set when `codes[i, j] > cut[j]`.
pub fn to_bits(codes: &ArrayView2<f32>, cut: &[f32]) -> Vec<u64> {
    codes.rows().into_iter().map(|row| row.iter().zip(cut).enumerate().fold(0u64, |b, (j, (&x, &c))| if x > c { b | (1 << j) } else { b })).collect()
}

/// Each dimension's median over `database: (n, bits)`, the cut `median_bits` uses.
pub fn medians(database: &ArrayView2<f32>) -> Result<Vec<f32>> {
    check_codes(database, "the database's codes")?;
    Ok(database
        .columns()
        .into_iter()
        .map(|col| {
            let mut v: Vec<f32> = col.to_vec();
            v.sort_by(f32::total_cmp);
            v[v.len() / 2]
        })
        .collect())
}

fn check_codes(codes: &ArrayView2<f32>, what: &str) -> Result<()> {
    check_points(codes, what)?;
    if codes.ncols() > MAX_BITS {
        return Err(bad(format!("{what} have {} dimensions: a binary code here has at most {MAX_BITS} bits", codes.ncols())));
    }
    Ok(())
}

/// Iterative quantisation: the mean, the PCA projection `(d, bits)` and the
/// learnt rotation `(bits, bits)`; `encode` gives sign(((x − mean) W) R).
pub struct Itq {
    pub mean: Vec<f32>,
    pub projection: Array2<f32>,
    pub rotation: Array2<f32>,
    /// ‖B − VR‖² / n after each iteration: the quantisation loss ITQ lowers.
    pub losses: Vec<f64>,
}

impl Itq {
    /// Fits ITQ with `bits` bits to `points: (n, d)`, `iterations` rounds
    /// (the paper uses 50) from a random rotation drawn with `seed`.
    pub fn fit(points: &ArrayView2<f32>, bits: usize, iterations: usize, seed: u64) -> Result<Itq> {
        check_points(points, "the points")?;
        let d = points.ncols();
        if bits == 0 || bits > MAX_BITS.min(d) {
            return Err(bad(format!("ITQ needs between 1 and {} bits for points of {d} dimensions, not {bits}", MAX_BITS.min(d))));
        }
        let m = mean(points);
        let (_, w) = top_eigen(&covariance(points, &m), bits); // (d, bits)
        let mean: Vec<f32> = m.iter().map(|&x| x as f32).collect();
        let projection = w.mapv(|x| x as f32);
        let v = project(points, &mean, &projection); // (n, bits), f64
        let mut rng = Rng::new(seed);
        let mut rotation = orthogonal(Array2::from_shape_fn((bits, bits), |_| rng.normal() as f64));
        let mut losses = Vec::with_capacity(iterations);
        for _ in 0..iterations {
            let b = v.dot(&rotation).mapv(|x| if x > 0.0 { 1.0 } else { -1.0 });
            // Procrustes: the orthogonal R nearest mapping V onto B is U Wᵀ for Vᵀ B = U Σ Wᵀ.
            rotation = orthogonal(v.t().dot(&b));
            let residual = &b - &v.dot(&rotation);
            losses.push(residual.iter().map(|x| x * x).sum::<f64>() / v.nrows() as f64);
        }
        Ok(Itq { mean, projection, rotation: rotation.mapv(|x| x as f32), losses })
    }

    /// The codes of `points: (n, d)`: bit j set when the rotated coordinate j is positive.
    pub fn encode(&self, points: &ArrayView2<f32>) -> Result<Vec<u64>> {
        check_points(points, "the points")?;
        if points.ncols() != self.mean.len() {
            return Err(bad(format!("the points have {} dimensions but ITQ was fitted to {}", points.ncols(), self.mean.len())));
        }
        let v = project(points, &self.mean, &self.projection).dot(&self.rotation.mapv(|x| x as f64));
        Ok(to_bits(&v.mapv(|x| x as f32).view(), &vec![0.0; v.ncols()]))
    }
}

/// `(points − mean) · projection` in f64: `(n, bits)`, a block of rows at a
/// time (60,000 centred images in f64 would take 376 MB).
fn project(points: &ArrayView2<f32>, mean: &[f32], projection: &Array2<f32>) -> Array2<f64> {
    const ROWS: usize = 4096;
    let w = projection.mapv(|x| x as f64);
    let mut out = Array2::<f64>::zeros((points.nrows(), w.ncols()));
    for start in (0..points.nrows()).step_by(ROWS) {
        let end = (start + ROWS).min(points.nrows());
        let centred = Array2::from_shape_fn((end - start, mean.len()), |(i, j)| (points[[start + i, j]] - mean[j]) as f64);
        out.slice_mut(s![start..end, ..]).assign(&centred.dot(&w));
    }
    out
}

/// The orthogonal factor of `m: (k, k)` (its polar decomposition, U Wᵀ for
/// m = U Σ Wᵀ), from the eigenvectors of mᵀm: W, Σ², then U = m W Σ⁻¹.
/// Directions with no singular value (a rank-deficient m) keep W's own.
fn orthogonal(m: Array2<f64>) -> Array2<f64> {
    let (sq, w) = symmetric_eigen(m.t().dot(&m));
    let scale = sq.first().copied().unwrap_or(0.0).max(f64::MIN_POSITIVE);
    let mut u = m.dot(&w);
    for (j, &s2) in sq.iter().enumerate() {
        if s2 > 1e-12 * scale {
            u.column_mut(j).mapv_inplace(|x| x / s2.sqrt());
        } else {
            u.column_mut(j).assign(&w.column(j));
        }
    }
    u.dot(&w.t())
}
