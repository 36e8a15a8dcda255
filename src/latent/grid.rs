//! The manifold grid: evenly spaced Gaussian quantiles laid over the latent
//! plot (Kingma & Welling 2014, fig. 4), in the plot's coordinates.

use ndarray::Array2;

use super::quantile::grid_quantile;

/// Where the grid sits along the plot's two axes: its centre and the
/// standard deviation its quantiles are scaled by.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GridFrame {
    pub centre: [f64; 2],
    pub spread: [f64; 2],
}

impl GridFrame {
    /// The prior N(0, I) of a VAE.
    pub const PRIOR: GridFrame = GridFrame { centre: [0.0, 0.0], spread: [1.0, 1.0] };
}

/// `n·n` plot points `(n², 2)`, row-major with the first row at the largest
/// y (the top of a plot whose y points up) and x growing along a row: point
/// (r, c) is `centre + spread ⊙ (Φ⁻¹((c+½)/n), Φ⁻¹((n−1−r+½)/n))`.
/// With `one_dim` the n² points walk the x axis in reading order instead,
/// at the quantiles (i+½)/n², and y stays 0.
pub fn manifold_xy(n: usize, one_dim: bool, frame: &GridFrame) -> Array2<f32> {
    let GridFrame { centre, spread } = *frame;
    let mut xy = Array2::<f32>::zeros((n * n, 2));
    for r in 0..n {
        for c in 0..n {
            let i = r * n + c;
            if one_dim {
                xy[[i, 0]] = (centre[0] + spread[0] * grid_quantile(i, n * n)) as f32;
            } else {
                xy[[i, 0]] = (centre[0] + spread[0] * grid_quantile(c, n)) as f32;
                xy[[i, 1]] = (centre[1] + spread[1] * grid_quantile(n - 1 - r, n)) as f32;
            }
        }
    }
    xy
}
