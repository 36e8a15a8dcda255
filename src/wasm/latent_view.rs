use ndarray::Array2;
use wasm_bindgen::prelude::*;

use super::js::{code_view, fail, into_box, neighbours_object, set};
use super::{MAX_GRID, MAX_IMAGES};
use crate::latent;

/// The latent plot's maths over a set of codes (src/latent): code statistics,
/// the plane the codes are drawn on, maps between codes and plot coordinates,
/// the manifold grid and retrieval by code. Arrays are row after row:
/// codes `dims` numbers each, plot points 2 each.
#[wasm_bindgen]
pub struct LatentView {
    view: latent::LatentView,
}

#[wasm_bindgen]
impl LatentView {
    /// The view of `codes` (n × dims, e.g. from `Playground.encode_test`)
    /// whose principal components point the way of `components` (2 × dims:
    /// the plane the plot was last drawn on, perhaps by the other worker),
    /// so refreshing the plot as training moves the codes, or as another
    /// worker answers it, never flips it. Empty: no plane to follow.
    #[wasm_bindgen(constructor)]
    pub fn new(codes: &[f32], dims: usize, components: &[f32]) -> Result<LatentView, JsError> {
        let z = code_rows(codes, dims, "codes")?;
        let orient = match components.len() {
            0 => None,
            n if n == 2 * dims => Some(code_view(components, dims, "components")?),
            n => return Err(fail(format!("the plot's orientation is two components of {dims} numbers each, got {n} numbers"))),
        };
        Ok(LatentView { view: latent::LatentView::new(z, orient.as_ref())? })
    }

    /// The view without codes for a model with 1 or 2 latent dimensions: its
    /// prior N(0, I), for the manifold before any data is loaded.
    pub fn prior(dims: usize) -> Result<LatentView, JsError> {
        Ok(LatentView { view: latent::LatentView::prior(dims)? })
    }

    #[wasm_bindgen(getter)]
    pub fn dims(&self) -> usize {
        self.view.dims()
    }

    /// Number of codes the view holds.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.view.len()
    }

    /// `none` (1 or 2 dims: the code is the plot) or `pca`.
    #[wasm_bindgen(getter)]
    pub fn projection(&self) -> String {
        if self.view.pca.is_some() { "pca" } else { "none" }.to_string()
    }

    /// The codes' mean (dims), the PCA's origin; empty without PCA.
    #[wasm_bindgen(getter)]
    pub fn mean(&self) -> Vec<f32> {
        self.view.pca.as_ref().map(|p| p.mean.clone()).unwrap_or_default()
    }

    /// The two principal directions (2 × dims, unit rows); empty without PCA.
    #[wasm_bindgen(getter)]
    pub fn components(&self) -> Vec<f32> {
        self.view.pca.as_ref().map(|p| p.components.iter().copied().collect()).unwrap_or_default()
    }

    /// The codes' variance along each direction [λ₁, λ₂]; empty without PCA.
    #[wasm_bindgen(getter)]
    pub fn variance(&self) -> Vec<f64> {
        self.view.pca.as_ref().map(|p| p.variance.to_vec()).unwrap_or_default()
    }

    /// Fraction of the codes' total variance on the plotted plane (1 without PCA).
    #[wasm_bindgen(getter)]
    pub fn explained(&self) -> f64 {
        self.view.pca.as_ref().map_or(1.0, |p| p.explained)
    }

    /// Per-dimension mean of the codes.
    #[wasm_bindgen(getter)]
    pub fn code_mean(&self) -> Vec<f32> {
        self.view.stats.mean.iter().map(|&v| v as f32).collect()
    }

    /// Per-dimension standard deviation of the codes (n − 1).
    #[wasm_bindgen(getter)]
    pub fn code_std(&self) -> Vec<f32> {
        self.view.stats.std.iter().map(|&v| v as f32).collect()
    }

    /// The view's own codes in plot coordinates (2 × length).
    pub fn xy(&self) -> Result<Box<[f32]>, JsError> {
        Ok(into_box(self.view.project(&self.view.codes())?))
    }

    /// Codes (n × dims) → plot coordinates (n × 2).
    pub fn project(&self, codes: &[f32]) -> Result<Box<[f32]>, JsError> {
        let z = code_view(codes, self.view.dims(), "codes")?;
        Ok(into_box(self.view.project(&z)?))
    }

    /// Posterior standard deviation along the plot's axes (n × 2) for
    /// log-variances `logvar` (n × dims) of a diagonal Gaussian q(z|x).
    pub fn project_std(&self, logvar: &[f32]) -> Result<Box<[f32]>, JsError> {
        let lv = code_view(logvar, self.view.dims(), "log-variances")?;
        Ok(into_box(self.view.project_std(&lv)?))
    }

    /// Plot coordinates (n × 2) → codes (n × dims) on the plotted plane.
    pub fn unproject(&self, xy: &[f32]) -> Result<Box<[f32]>, JsError> {
        let p = code_view(xy, 2, "plot points")?;
        Ok(into_box(self.view.unproject(&p)?))
    }

    /// The n×n manifold grid as `{xy: Float32Array(2·n²), z: Float32Array(dims·n²)}`,
    /// row-major with the first row at the largest y. `prior` (a VAE with 1
    /// or 2 dims) centres it on N(0, I); otherwise it spans the codes' spread.
    pub fn manifold(&self, n: usize, prior: bool) -> Result<JsValue, JsError> {
        if !(1..=MAX_GRID).contains(&n) {
            return Err(fail(format!("a manifold grid has between 1 and {MAX_GRID} images per side, not {n}")));
        }
        let (xy, z) = self.view.manifold(n, prior)?;
        let o: JsValue = js_sys::Object::new().into();
        set(&o, "xy", js_sys::Float32Array::from(&into_box(xy)[..]).into());
        set(&o, "z", js_sys::Float32Array::from(&into_box(z)[..]).into());
        Ok(o)
    }

    /// The `k` codes of the view nearest `code` (full code space), nearest
    /// first, as `{indices: Uint32Array(k), distances: Float32Array(k)}`
    /// (fewer when the view holds fewer codes).
    pub fn neighbours(&self, code: &[f32], k: usize) -> Result<JsValue, JsError> {
        Ok(neighbours_object(&self.view.neighbours(code, k.min(MAX_IMAGES))?))
    }

    /// `neighbours` by Hamming distance between the codes cut at ½ (a hashing
    /// model's bits); each distance is the number of bits that differ.
    pub fn neighbours_by_bits(&self, code: &[f32], k: usize) -> Result<JsValue, JsError> {
        Ok(neighbours_object(&self.view.neighbours_by_bits(code, k.min(MAX_IMAGES))?))
    }
}

fn code_rows(values: &[f32], width: usize, what: &str) -> Result<Array2<f32>, JsError> {
    Ok(code_view(values, width, what)?.to_owned())
}
