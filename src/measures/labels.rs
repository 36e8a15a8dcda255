//! How well a space keeps classes together, judged by neighbours' labels:
//! leave-one-out k-nearest-neighbour accuracy (could a map's position alone
//! tell the digit?) and retrieval precision@k (do an item's nearest items
//! share its label?). Both use the exact search of `nearest::k_nearest`.

use ndarray::{s, ArrayView2};

use super::nearest::{k_nearest, Points};
use super::{bad, check_points};
use crate::error::Result;
use crate::latent::Neighbour;

/// Refuses a labelling that does not fit `points` or a `k` with too few others.
fn check(points: &ArrayView2<f32>, labels: &[u8], k: usize, what: &str) -> Result<()> {
    check_points(points, "the points")?;
    let n = points.nrows();
    if labels.len() != n {
        return Err(bad(format!("{what} needs one label per point: {} labels for {n} points", labels.len())));
    }
    if k == 0 || k >= n {
        return Err(bad(format!("{what} over {n} points needs k between 1 and {} (the other points), not {k}", n.saturating_sub(1))));
    }
    Ok(())
}

/// The majority label among `neighbours` (nearest first); a tie goes to the
/// tied label whose member comes nearest.
fn vote(neighbours: &[Neighbour], labels: &[u8]) -> u8 {
    let mut counts = [0u32; 256];
    for n in neighbours {
        counts[labels[n.index] as usize] += 1;
    }
    let most = counts.iter().copied().max().unwrap_or(0);
    // Nearest first, so the first neighbour of a most-voted label breaks the tie.
    neighbours.iter().map(|n| labels[n.index]).find(|&l| counts[l as usize] == most).unwrap_or(0)
}

/// Leave-one-out kNN accuracy of `points: (n, dims)` with `labels` (n): the
/// fraction whose majority label among their `k` nearest other points
/// (Euclidean, equal distances in row order) is their own.
pub fn knn_accuracy(points: &ArrayView2<f32>, labels: &[u8], k: usize) -> Result<f64> {
    check(points, labels, k, "kNN accuracy")?;
    let found = k_nearest(points, Points::Floats(*points), k, true)?;
    let right = found.iter().zip(labels).filter(|(nb, &l)| vote(nb, labels) == l).count();
    Ok(right as f64 / labels.len() as f64)
}

/// Precision@k of retrieval in `codes: (n, dims)`: over the first `queries`
/// items, the mean fraction of their `k` nearest other items (among all n,
/// Euclidean) that share their label.
pub fn retrieval_precision(codes: &ArrayView2<f32>, labels: &[u8], k: usize, queries: usize) -> Result<f64> {
    check(codes, labels, k, "retrieval precision")?;
    let n = codes.nrows();
    if queries == 0 || queries > n {
        return Err(bad(format!("retrieval precision asks between 1 and {n} queries (the items), not {queries}")));
    }
    let found = k_nearest(&codes.slice(s![..queries, ..]), Points::Floats(*codes), k, true)?;
    let hits: usize = found.iter().zip(labels).map(|(nb, &l)| nb.iter().filter(|x| labels[x.index] == l).count()).sum();
    Ok(hits as f64 / (queries * k) as f64)
}
