//! Exact k-nearest search for many queries among many points of many
//! dimensions (the 60,000 training images, 10,000 codes or pixel rows).
//!
//! Squared distances come from ‖a‖² + ‖b‖² − 2a·b, so the bulk of the work is
//! one GEMM per block (`tensor::gemm`), held to `QUERY_BLOCK × POINT_BLOCK`
//! at a time. That form cancels: with ‖a‖² ≈ 100 (a 784-pixel image) an f32
//! result is only good to ~1e-5, and far worse for points sitting far from
//! the origin. So both sides are first centred on (about) the points' mean,
//! and the GEMM only shortlists: each query keeps its best
//! `k + SHORTLIST_EXTRA` candidates, which are re-measured exactly (f64,
//! coordinate by coordinate) and re-ranked. The answer is the exact ranking unless more than
//! `SHORTLIST_EXTRA` points crowd within rounding of the k-th distance.

use ndarray::{Array2, ArrayView2, Axis};

use super::{bad, check_points};
use crate::error::Result;
use crate::latent::Neighbour;
use crate::tensor::{ensure_shape, gemm};

/// Queries per GEMM block. With `POINT_BLOCK` this bounds the distance block
/// to 256 × 1024 floats (1 MB) and the converted points to 1024 rows.
const QUERY_BLOCK: usize = 256;
const POINT_BLOCK: usize = 1024;
/// Candidates kept beyond k for the exact re-ranking.
const SHORTLIST_EXTRA: usize = 8;
/// Rows averaged for the centre (see `Points::centre`).
const CENTRE_SAMPLE: usize = 1024;

/// The points searched: floats as they are, or 0–255 pixels measured as the
/// [0,1] images the models see (p / 255, as `Dataset::images`), converted a
/// block at a time so 60,000 training images never exist as floats at once.
#[derive(Clone, Copy, Debug)]
pub enum Points<'a> {
    Floats(ArrayView2<'a, f32>), // (m, dims)
    Bytes(ArrayView2<'a, u8>),   // (m, dims)
}

impl Points<'_> {
    pub fn len(&self) -> usize {
        match self {
            Points::Floats(p) => p.nrows(),
            Points::Bytes(p) => p.nrows(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn dims(&self) -> usize {
        match self {
            Points::Floats(p) => p.ncols(),
            Points::Bytes(p) => p.ncols(),
        }
    }

    /// Row `i` as floats, into `out` (dims).
    fn row_into(&self, i: usize, out: &mut [f32]) {
        // Contiguous rows (the usual case) as slices, so the loops vectorise.
        match self {
            Points::Floats(p) => match p.row(i).to_slice() {
                Some(row) => out.copy_from_slice(row),
                None => out.iter_mut().zip(p.row(i)).for_each(|(o, &v)| *o = v),
            },
            Points::Bytes(p) => match p.row(i).to_slice() {
                Some(row) => out.iter_mut().zip(row).for_each(|(o, &v)| *o = v as f32 / 255.0),
                None => out.iter_mut().zip(p.row(i)).for_each(|(o, &v)| *o = v as f32 / 255.0),
            },
        }
    }

    /// A centre for both sides: the mean of at most `CENTRE_SAMPLE` rows
    /// spread evenly over the points. Any point amid the cloud removes the
    /// offset that makes ‖a‖² + ‖b‖² − 2a·b cancel; the exact mean would
    /// cost a pass over all the points for nothing more.
    fn centre(&self) -> Vec<f32> {
        let step = self.len().div_ceil(CENTRE_SAMPLE).max(1);
        let mut sum = vec![0.0f64; self.dims()];
        let mut row = vec![0.0f32; self.dims()];
        let mut count = 0;
        for i in (0..self.len()).step_by(step) {
            self.row_into(i, &mut row);
            sum.iter_mut().zip(&row).for_each(|(s, &v)| *s += v as f64);
            count += 1;
        }
        sum.iter().map(|&s| (s / count.max(1) as f64) as f32).collect()
    }
}

/// Rows `rows` (written by `row`) minus `centre`, into `buf`, with their squared norms into `norms`.
fn centred_block(rows: std::ops::Range<usize>, centre: &[f32], row: impl Fn(usize, &mut [f32]), buf: &mut Array2<f32>, norms: &mut Vec<f32>) {
    ensure_shape(buf, rows.len(), centre.len());
    norms.clear();
    for (mut out, i) in buf.axis_iter_mut(Axis(0)).zip(rows) {
        let out = out.as_slice_mut().expect("a fresh array is contiguous");
        row(i, out);
        out.iter_mut().zip(centre).for_each(|(o, &c)| *o -= c);
        norms.push(squared_norm(out));
    }
}

/// Σ v², in f32 like the GEMM it is added to, over eight running sums so
/// the loop vectorises (one sum would be a chain of dependent adds).
fn squared_norm(v: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 8];
    let chunks = v.chunks_exact(8);
    let rest: f32 = chunks.remainder().iter().map(|x| x * x).sum();
    for c in chunks {
        lanes.iter_mut().zip(c).for_each(|(l, &x)| *l += x * x);
    }
    lanes.iter().sum::<f32>() + rest
}

/// Hands `f(query, first point, squared distances)` every block of squared
/// distances (f32, centred, never below 0), points block by block.
fn squared_distances(queries: &ArrayView2<f32>, points: &Points, mut f: impl FnMut(usize, usize, &[f32])) {
    let (n, m) = (queries.nrows(), points.len());
    let centre = points.centre();
    let (mut p_buf, mut q_buf, mut dist) = (Array2::zeros((0, 0)), Array2::zeros((0, 0)), Array2::zeros((0, 0)));
    let (mut p_norms, mut q_norms) = (Vec::new(), Vec::new());
    let mut row_d2 = Vec::with_capacity(POINT_BLOCK);
    // Points outside, so each block of bytes is converted once however many queries there are.
    for p_start in (0..m).step_by(POINT_BLOCK) {
        let p_end = (p_start + POINT_BLOCK).min(m);
        centred_block(p_start..p_end, &centre, |i, out| points.row_into(i, out), &mut p_buf, &mut p_norms);
        for q_start in (0..n).step_by(QUERY_BLOCK) {
            let q_end = (q_start + QUERY_BLOCK).min(n);
            centred_block(q_start..q_end, &centre, |i, out| out.iter_mut().zip(queries.row(i)).for_each(|(o, &v)| *o = v), &mut q_buf, &mut q_norms);
            ensure_shape(&mut dist, q_end - q_start, p_end - p_start);
            gemm(-2.0, &q_buf.view(), &p_buf.t(), 0.0, &mut dist.view_mut()); // −2 a·b
            for (qi, row) in dist.axis_iter(Axis(0)).enumerate() {
                // Rounding can take a zero distance slightly below 0.
                row_d2.clear();
                row_d2.extend(row.iter().zip(&p_norms).map(|(&g, &pn)| (q_norms[qi] + pn + g).max(0.0)));
                f(q_start + qi, p_start, &row_d2);
            }
        }
    }
}

/// Every row of `points` ranked by its distance from each row of `queries`,
/// nearest first, equal distances in row order: a whole ranking, for curves
/// that need every rank. From the GEMM's f32 distances alone (no exact
/// re-measuring as in `k_nearest`), so points within rounding of each other
/// may swap.
pub fn ranking(queries: &ArrayView2<f32>, points: Points) -> Result<Vec<Vec<usize>>> {
    check_points(queries, "the query points")?;
    if let Points::Floats(p) = points {
        check_points(&p, "the points searched")?;
    }
    if queries.ncols() != points.dims() {
        return Err(bad(format!("the queries have {} dimensions but the points searched have {}", queries.ncols(), points.dims())));
    }
    let mut d2 = vec![Vec::with_capacity(points.len()); queries.nrows()];
    squared_distances(queries, &points, |qi, _, row| d2[qi].extend_from_slice(row));
    Ok(d2
        .into_iter()
        .map(|d| {
            let mut order: Vec<usize> = (0..d.len()).collect();
            order.sort_by(|&a, &b| d[a].total_cmp(&d[b]).then(a.cmp(&b)));
            order
        })
        .collect())
}

/// The `k` rows of `points` nearest each row of `queries: (n, dims)`, nearest
/// first, Euclidean; equal distances in row order. With `skip_self`, query i
/// is taken to be point i and is not its own neighbour (leave-one-out), and
/// the queries must be the first rows of the points. Fewer than `k` come back
/// when there are fewer points.
pub fn k_nearest(queries: &ArrayView2<f32>, points: Points, k: usize, skip_self: bool) -> Result<Vec<Vec<Neighbour>>> {
    check_points(queries, "the query points")?;
    if let Points::Floats(p) = points {
        check_points(&p, "the points searched")?;
    }
    let (n, dims) = queries.dim();
    let m = points.len();
    if dims != points.dims() {
        return Err(bad(format!("the queries have {dims} dimensions but the points searched have {}", points.dims())));
    }
    if skip_self && n > m {
        return Err(bad(format!("{n} queries cannot all be among {m} points")));
    }
    let keep = (k + SHORTLIST_EXTRA).min(m - usize::from(skip_self));
    let mut shortlists: Vec<Vec<(f32, u32)>> = vec![Vec::with_capacity(keep + 1); n];
    if keep > 0 && k > 0 {
        squared_distances(queries, &points, |qi, p_start, row| {
            let list = &mut shortlists[qi];
            let worst = |list: &Vec<(f32, u32)>| if list.len() == keep { list[keep - 1].0 } else { f32::INFINITY };
            let mut bar = worst(list);
            for (pj, &d2) in row.iter().enumerate() {
                let j = p_start + pj;
                if d2 >= bar || (skip_self && j == qi) {
                    continue;
                }
                let at = list.partition_point(|&(d, _)| d <= d2);
                list.insert(at, (d2, j as u32));
                list.truncate(keep);
                bar = worst(list);
            }
        });
    }
    Ok(rerank(queries, &points, shortlists.iter().map(|l| l.iter().map(|&(_, j)| j as usize)), k))
}

/// Each query's whole ranking, and its `k` nearest re-measured exactly.
pub type RankedAndNearest = (Vec<Vec<usize>>, Vec<Vec<Neighbour>>);

/// `ranking(queries, points)` and `k_nearest(queries, points, k, false)` from
/// one pass over the distances instead of two: the same answers, since the
/// shortlist `k_nearest` keeps is the ranking's first `k + SHORTLIST_EXTRA`
/// (the same f32 distances, ties in row order either way).
pub fn ranking_and_nearest(queries: &ArrayView2<f32>, points: Points, k: usize) -> Result<RankedAndNearest> {
    let ranked = ranking(queries, points)?;
    let keep = (k + SHORTLIST_EXTRA).min(points.len());
    let near = if k == 0 { vec![Vec::new(); ranked.len()] } else { rerank(queries, &points, ranked.iter().map(|r| r[..keep].iter().copied()), k) };
    Ok((ranked, near))
}

/// Each query's shortlisted rows re-measured exactly (f64, coordinate by
/// coordinate) and the `k` nearest kept, equal distances in row order.
fn rerank<S: IntoIterator<Item = usize>>(queries: &ArrayView2<f32>, points: &Points, shortlists: impl Iterator<Item = S>, k: usize) -> Vec<Vec<Neighbour>> {
    let mut row = vec![0.0f32; queries.ncols()];
    shortlists
        .zip(queries.rows())
        .map(|(list, q)| {
            let mut exact: Vec<(f64, usize)> = list
                .into_iter()
                .map(|j| {
                    points.row_into(j, &mut row);
                    (q.iter().zip(&row).map(|(&a, &b)| (a as f64 - b as f64).powi(2)).sum(), j)
                })
                .collect();
            exact.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            exact.into_iter().take(k).map(|(d2, index)| Neighbour { index, distance: d2.sqrt() as f32 }).collect()
        })
        .collect()
}

/// For each image in `queries: (n, pixels)` ([0,1] floats), the nearest of
/// `images: (m, pixels)` (0–255, e.g. the training set) and its Euclidean
/// distance in [0,1] pixel units: is a generated digit new, or a copy?
pub fn nearest_image(queries: &ArrayView2<f32>, images: ArrayView2<u8>) -> Result<Vec<Neighbour>> {
    if images.nrows() == 0 {
        return Err(bad("there are no images to compare with".into()));
    }
    let found = k_nearest(queries, Points::Bytes(images), 1, false)?;
    Ok(found.into_iter().map(|mut f| f.remove(0)).collect())
}
