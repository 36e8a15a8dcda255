//! Retrieval by code: which stored codes lie nearest a query code.

use ndarray::ArrayView2;

/// One retrieved code: its row in the stored codes and its distance from
/// the query (Euclidean; by bits, the number that differ).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Neighbour {
    pub index: usize,
    pub distance: f32,
}

/// The `k` rows of `codes: (n, dims)` nearest `query: (dims)` in Euclidean
/// distance over every dimension (not the plotted plane: two codes can
/// overlap in a projection and still be far apart), nearest first; equal
/// distances in row order. Keeps a sorted list of the best k while scanning,
/// O(n·k) for the small k retrieval asks for.
pub fn nearest(codes: &ArrayView2<f32>, query: &[f32], k: usize) -> Vec<Neighbour> {
    let mut best: Vec<(f64, usize)> = Vec::with_capacity(k + 1);
    for (i, row) in codes.rows().into_iter().enumerate() {
        let d2: f64 = row.iter().zip(query).map(|(&a, &b)| (a as f64 - b as f64).powi(2)).sum();
        if best.len() == k && best.last().is_none_or(|&(worst, _)| d2 >= worst) {
            continue;
        }
        // After the strictly smaller ones, so an equal distance keeps row order.
        let at = best.partition_point(|&(d, _)| d <= d2);
        best.insert(at, (d2, i));
        best.truncate(k);
    }
    best.into_iter().map(|(d2, index)| Neighbour { index, distance: d2.sqrt() as f32 }).collect()
}
