//! Measurements over plain arrays that the page's lessons quote: how close a
//! generated image is to the training set (`nearest`), how well neighbours
//! in a space agree on labels (`labels`: kNN accuracy, precision@k), and the
//! principal plane of wide data such as raw pixels (`wide_pca`). Nothing here
//! knows about models; callers pass pixels, codes or plot coordinates.
//!
//! Which analysis folder holds what: `measures/` is model-free maths over
//! sets of points of any width, built for many points (GEMM blocks,
//! subspace iteration). What the latent plot itself needs (its plane, grid
//! and retrieval among the plotted codes) is in `latent/`, which this reads
//! (`Neighbour`, `Pca`) but which never reads this; a measurement that runs
//! a model is in `probes/`; a lesson's verdict is in `claims/`.
pub mod hashing;
pub mod labels;
pub mod nearest;
pub mod sharpness;
pub mod wide_pca;

pub use labels::{knn_accuracy, retrieval_precision};
pub use nearest::{k_nearest, nearest_image, Points};
pub use sharpness::{grey_share, ink_share};
pub use wide_pca::{pca_plane, project};

use ndarray::ArrayView2;

use crate::error::{Error, Result};

// Measures are requests about a set of codes or images, the same kind of
// mistake (sizes, NaN) as a latent-view request, so they share its error.
fn bad(msg: String) -> Error {
    Error::Latent(msg)
}

/// Refuses an empty set or one holding NaN or infinity; `what` names it.
fn check_points(points: &ArrayView2<f32>, what: &str) -> Result<()> {
    if points.nrows() == 0 || points.ncols() == 0 {
        return Err(bad(format!("{what}: there are no points to measure ({} of {} dimensions)", points.nrows(), points.ncols())));
    }
    if !points.iter().all(|v| v.is_finite()) {
        return Err(bad(format!("{what} hold NaN or infinity")));
    }
    Ok(())
}
