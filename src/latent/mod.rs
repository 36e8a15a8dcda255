//! The latent space as the page shows it: statistics of the plotted codes, the
//! plane they are drawn on (the codes themselves for 1 or 2 dimensions, their
//! first two principal components otherwise), the maps between codes and plot
//! coordinates, the manifold grid and retrieval by code. The browser and the
//! CLI share all of it; JavaScript only draws the results.
//!
//! Which analysis folder holds what: `latent/` is the latent *plot*, maths
//! over codes a caller has already encoded, of a few dozen dimensions at
//! most (its PCA is exact, Jacobi on the k×k covariance). A measure over
//! arrays of any width that a lesson quotes (nearest training image, k-NN
//! accuracy, the PCA plane of raw pixels) goes in `measures/`; a
//! measurement that runs a model (a forward or backward pass) goes in
//! `probes/`; a lesson's verdict built from those goes in `claims/`. Nothing
//! here calls a model or knows a lesson.
pub mod grid;
pub mod neighbours;
pub mod pca;
pub mod quantile;

use ndarray::{Array2, ArrayView2};

pub use grid::{manifold_xy, GridFrame};
pub use neighbours::{nearest, Neighbour};
pub use pca::{code_stats, pca2, CodeStats, Pca};
pub use quantile::normal_quantile;

use crate::error::{Error, Result};

fn bad(msg: String) -> Error {
    Error::Latent(msg)
}

/// A set of codes and the plot they make.
#[derive(Clone, Debug)]
pub struct LatentView {
    codes: Array2<f32>, // (n, dims): the plotted codes, kept for retrieval
    pub stats: CodeStats,
    /// The principal plane when dims > 2; with 1 or 2 dims the code is the plot.
    pub pca: Option<Pca>,
}

impl LatentView {
    /// The view of `codes: (n, dims)`. Its principal components point the
    /// way of `orient: (2, dims)` (the plane the plot was last drawn on, by
    /// this view's predecessor or another worker's; ignored if not that
    /// size), see `pca2`, so refreshing the plot as training moves the codes
    /// does not flip it.
    pub fn new(codes: Array2<f32>, orient: Option<&ArrayView2<f32>>) -> Result<LatentView> {
        let (n, k) = codes.dim();
        if n == 0 || k == 0 {
            return Err(bad(format!("a latent view needs at least one code of at least one dimension, got {n} codes of {k}")));
        }
        if !codes.iter().all(|v| v.is_finite()) {
            return Err(bad("the codes hold NaN or infinity: the model has diverged".into()));
        }
        let stats = code_stats(&codes.view());
        let pca = (k > 2).then(|| pca2(&codes.view(), &stats.mean, orient));
        Ok(LatentView { codes, stats, pca })
    }

    /// The view without codes: the prior N(0, I) of a model with 1 or 2
    /// latent dimensions, for drawing the manifold before any data is loaded.
    pub fn prior(dims: usize) -> Result<LatentView> {
        if !(1..=2).contains(&dims) {
            return Err(bad(format!("without codes there is no principal plane: a view of {dims} dimensions needs the test codes")));
        }
        Ok(LatentView { codes: Array2::zeros((0, dims)), stats: CodeStats { mean: vec![0.0; dims], std: vec![1.0; dims] }, pca: None })
    }

    /// Code size.
    pub fn dims(&self) -> usize {
        self.codes.ncols()
    }

    /// Number of stored codes.
    pub fn len(&self) -> usize {
        self.codes.nrows()
    }

    pub fn is_empty(&self) -> bool {
        self.codes.nrows() == 0
    }

    pub fn codes(&self) -> ArrayView2<'_, f32> {
        self.codes.view()
    }

    fn check_width(&self, m: &ArrayView2<f32>, what: &str) -> Result<()> {
        if m.ncols() != self.dims() {
            return Err(bad(format!("{what} have {} dimensions but the latent space has {}", m.ncols(), self.dims())));
        }
        Ok(())
    }

    /// Codes `(n, dims)` → plot coordinates `(n, 2)`: the first two
    /// dimensions (y = 0 with one), or (z − mean)·components for PCA.
    pub fn project(&self, codes: &ArrayView2<f32>) -> Result<Array2<f32>> {
        self.check_width(codes, "codes")?;
        let mut xy = Array2::zeros((codes.nrows(), 2));
        for (z, mut out) in codes.rows().into_iter().zip(xy.rows_mut()) {
            match &self.pca {
                None => {
                    out[0] = z[0];
                    out[1] = if z.len() > 1 { z[1] } else { 0.0 };
                }
                Some(p) => {
                    for axis in 0..2 {
                        let c = p.components.row(axis);
                        out[axis] = z.iter().zip(&p.mean).zip(c).map(|((&z, &m), &c)| c as f64 * (z - m) as f64).sum::<f64>() as f32;
                    }
                }
            }
        }
        Ok(xy)
    }

    /// The standard deviation along the plot's axes of a diagonal Gaussian
    /// q(z|x) with log-variances `logvar: (n, dims)`: √(Σ_j c_j² σ_j²) for a
    /// unit direction c, σ_j itself without PCA (0 for a missing y). `(n, 2)`.
    pub fn project_std(&self, logvar: &ArrayView2<f32>) -> Result<Array2<f32>> {
        self.check_width(logvar, "log-variances")?;
        let mut out = Array2::zeros((logvar.nrows(), 2));
        for (lv, mut o) in logvar.rows().into_iter().zip(out.rows_mut()) {
            for axis in 0..2 {
                o[axis] = match &self.pca {
                    None => lv.get(axis).map_or(0.0, |&l| (0.5 * l as f64).exp() as f32),
                    Some(p) => p.components.row(axis).iter().zip(lv).map(|(&c, &l)| (c as f64).powi(2) * (l as f64).exp()).sum::<f64>().sqrt() as f32,
                };
            }
        }
        Ok(out)
    }

    /// Plot coordinates `(n, 2)` → codes `(n, dims)` on the plotted plane:
    /// mean + x·c₁ + y·c₂ for PCA (so project ∘ unproject is the identity),
    /// the coordinates themselves otherwise (y dropped with one dimension).
    pub fn unproject(&self, xy: &ArrayView2<f32>) -> Result<Array2<f32>> {
        if xy.ncols() != 2 {
            return Err(bad(format!("plot points need 2 coordinates each, got {}", xy.ncols())));
        }
        let k = self.dims();
        let mut z = Array2::zeros((xy.nrows(), k));
        for (p, mut out) in xy.rows().into_iter().zip(z.rows_mut()) {
            match &self.pca {
                None => {
                    for (o, &v) in out.iter_mut().zip(p) {
                        *o = v;
                    }
                }
                Some(pca) => {
                    for j in 0..k {
                        out[j] = (pca.mean[j] as f64 + p[0] as f64 * pca.components[[0, j]] as f64 + p[1] as f64 * pca.components[[1, j]] as f64) as f32;
                    }
                }
            }
        }
        Ok(z)
    }

    /// Where the manifold grid sits. `prior` (a VAE with 1 or 2 dimensions):
    /// N(0, I), which the KL term pulls the codes towards. Otherwise the codes'
    /// own spread: their mean and std per dimension, or for PCA the origin and
    /// √variance along each component.
    pub fn grid_frame(&self, prior: bool) -> GridFrame {
        match &self.pca {
            Some(p) => GridFrame { centre: [0.0, 0.0], spread: [p.variance[0].sqrt(), p.variance[1].sqrt()] },
            None if prior => GridFrame::PRIOR,
            None => {
                let s = &self.stats;
                let second = |v: &[f64]| v.get(1).copied().unwrap_or(0.0);
                GridFrame { centre: [s.mean[0], second(&s.mean)], spread: [s.std[0], second(&s.std)] }
            }
        }
    }

    /// The manifold: `n·n` plot points `(n², 2)` (see `manifold_xy`) and the
    /// codes `(n², dims)` they stand for.
    pub fn manifold(&self, n: usize, prior: bool) -> Result<(Array2<f32>, Array2<f32>)> {
        if n == 0 {
            return Err(bad("a manifold grid needs at least 1 image per side".into()));
        }
        let xy = manifold_xy(n, self.dims() == 1, &self.grid_frame(prior));
        let z = self.unproject(&xy.view())?;
        Ok((xy, z))
    }

    /// The `k` stored codes nearest `query` (full code space), nearest first.
    pub fn neighbours(&self, query: &[f32], k: usize) -> Result<Vec<Neighbour>> {
        self.check_query(query)?;
        Ok(nearest(&self.codes.view(), query, k))
    }

    fn check_query(&self, query: &[f32]) -> Result<()> {
        if query.len() != self.dims() {
            return Err(bad(format!("the query code has {} dimensions but the latent space has {}", query.len(), self.dims())));
        }
        if !query.iter().all(|v| v.is_finite()) {
            return Err(bad("the query code holds NaN or infinity".into()));
        }
        Ok(())
    }

    /// The `k` stored codes nearest `query` in Hamming distance, every code
    /// cut at ½ into bits (a hashing model's codes), nearest first, equal
    /// distances in row order; the distance is the number of bits that differ.
    pub fn neighbours_by_bits(&self, query: &[f32], k: usize) -> Result<Vec<Neighbour>> {
        use crate::measures::hashing::{hamming_ranking, to_bits, MAX_BITS};
        self.check_query(query)?;
        let dims = self.dims();
        if dims > MAX_BITS {
            return Err(bad(format!("a code of {dims} dimensions is too wide to cut into bits here (at most {MAX_BITS})")));
        }
        let cut = vec![0.5; dims];
        let codes = to_bits(&self.codes.view(), &cut);
        let q = to_bits(&ndarray::ArrayView2::from_shape((1, dims), query).expect("one row").view(), &cut)[0];
        let ranked = hamming_ranking(&codes, q, dims, k);
        Ok(ranked.into_iter().map(|index| Neighbour { index, distance: (codes[index] ^ q).count_ones() as f32 }).collect())
    }
}
