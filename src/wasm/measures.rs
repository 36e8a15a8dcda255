//! The measures of src/measures for the page's lessons: nearest training
//! image, kNN accuracy, retrieval precision@k and a pixel-space PCA map.
//! Same contract as the rest of the boundary (see mod.rs): flat typed arrays
//! in (`dims` numbers per point, row after row), copies out, results with
//! more than one figure as named fields, every mistake a JS `Error`.

use ndarray::ArrayView2;
use wasm_bindgen::prelude::*;

use super::data::images_at;
use super::js::{fail, into_box, neighbours_object, set, whole_rows};
use super::MnistData;
use crate::measures;

/// Widest points `pca_2d` takes: it holds a d×d covariance (8 MB in f64 at
/// 1,024), and 784-pixel images are the widest data the page has.
const MAX_PCA_DIMS: usize = 1024;

#[wasm_bindgen]
impl MnistData {
    /// For each image in `queries` (n × pixels, [0,1] floats), the nearest
    /// training image and the Euclidean distance to it (in [0,1] pixel
    /// units), as `{indices: Uint32Array(n), distances: Float32Array(n)}`:
    /// is a generated digit new, or a copy of one it was trained on? Exact;
    /// each query costs a pass over the whole training set (about 47 million
    /// multiply-adds for 60,000 images), so ask for a few at a time.
    pub fn nearest_train(&self, queries: &[f32]) -> Result<JsValue, JsError> {
        let d = self.train.dim();
        let n = whole_rows(queries, d, "query images")?;
        let q = ArrayView2::from_shape((n, d), queries).map_err(|e| fail(e.to_string()))?;
        Ok(neighbours_object(&measures::nearest_image(&q, self.train.pixels.view())?))
    }

    /// The training images at `indices` as [0,1] floats, row after row (what
    /// `nearest_train` points at).
    pub fn train_images_at(&self, indices: &[u32]) -> Result<Box<[f32]>, JsError> {
        images_at(&self.train, indices, "training")
    }
}

/// `values` as (n, dims) points, refusing a zero width and ragged or empty input.
fn points<'a>(values: &'a [f32], dims: usize, what: &str) -> Result<ArrayView2<'a, f32>, JsError> {
    if dims == 0 {
        return Err(fail(format!("{what}: each point needs at least one dimension")));
    }
    let n = whole_rows(values, dims, what)?;
    ArrayView2::from_shape((n, dims), values).map_err(|e| fail(e.to_string()))
}

/// Leave-one-out k-nearest-neighbour accuracy of labelled `points` (n × dims,
/// e.g. a 2-D map of the test set): the fraction whose `k` nearest other
/// points vote for their own label (a tie goes to the nearest of the tied
/// labels). Could a point's position alone tell its digit?
#[wasm_bindgen]
pub fn knn_accuracy(points: &[f32], dims: usize, labels: &[u8], k: usize) -> Result<f32, JsError> {
    let p = self::points(points, dims, "points")?;
    Ok(measures::knn_accuracy(&p, labels, k)? as f32)
}

/// Precision@k of retrieval in `codes` (n × dims, codes or raw pixels): over
/// the first `queries` items, the mean fraction of their `k` nearest other
/// items (Euclidean, among all n) that share their label.
#[wasm_bindgen]
pub fn retrieval_precision(codes: &[f32], dims: usize, labels: &[u8], k: usize, queries: usize) -> Result<f32, JsError> {
    let c = points(codes, dims, "codes")?;
    Ok(measures::retrieval_precision(&c, labels, k, queries)? as f32)
}

/// `points` (n × dims, dims ≥ 2, e.g. raw pixels) on their first two
/// principal components, as `{xy: Float32Array(2n), explained}`, where
/// `explained` is the fraction of the total variance the plane shows. Each
/// component's largest entry is positive, so the same data always gives the
/// same picture.
#[wasm_bindgen]
pub fn pca_2d(points: &[f32], dims: usize) -> Result<JsValue, JsError> {
    if dims > MAX_PCA_DIMS {
        return Err(fail(format!("a PCA map takes points of at most {MAX_PCA_DIMS} dimensions, not {dims}")));
    }
    let p = self::points(points, dims, "points")?;
    let plane = measures::pca_plane(&p)?;
    let xy = measures::project(&p, &plane)?;
    let o: JsValue = js_sys::Object::new().into();
    set(&o, "xy", js_sys::Float32Array::from(&into_box(xy)[..]).into());
    set(&o, "explained", (plane.explained as f32).into());
    Ok(o)
}
