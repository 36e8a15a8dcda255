use wasm_bindgen::prelude::*;

use super::js::fail;
use super::MAX_IMAGES;
use crate::data::Dataset;

/// The training and test sets, decoded once and shared by every model.
#[wasm_bindgen]
pub struct MnistData {
    pub(super) train: Dataset,
    pub(super) test: Dataset,
}

#[wasm_bindgen]
impl MnistData {
    /// Builds both sets from IDX bytes (plain, or gzip which is unpacked here).
    /// (Owned: wasm-bindgen copies each array into the core's memory once,
    /// and a plain file's pixels stay in that copy.)
    #[wasm_bindgen(constructor)]
    pub fn new(train_images: Vec<u8>, train_labels: Vec<u8>, test_images: Vec<u8>, test_labels: Vec<u8>) -> Result<MnistData, JsError> {
        let train = Dataset::from_idx(train_images, train_labels).map_err(|e| fail(format!("training set: {e}")))?;
        let test = Dataset::from_idx(test_images, test_labels).map_err(|e| fail(format!("test set: {e}")))?;
        if train.dim() != test.dim() {
            return Err(fail(format!("training images are {}×{} but test images {}×{}", train.rows, train.cols, test.rows, test.cols)));
        }
        if train.is_empty() || test.is_empty() {
            return Err(fail("the training or test set holds no images"));
        }
        Ok(MnistData { train, test })
    }

    /// Makes every pixel of both sets black or white (a dataset whose facts say `binary`).
    pub fn binarise(&mut self) {
        self.train.binarise();
        self.test.binarise();
    }

    /// Keeps only the first `n` training images (tests and the core
    /// fingerprint train on 1,000).
    pub fn limit_train(&mut self, n: usize) {
        if n > 0 && n < self.train.len() {
            self.train = self.train.take(n);
        }
    }

    /// The training set with one's own images (the page's own-data panel)
    /// mixed in, or (`only`) one's own images alone; the test set stays this
    /// one's, so figures and the latent plot keep measuring on digits.
    /// `images` are u8 [N·784] as MNIST's, `labels` index `classes_json` (a JSON
    /// array of names); they join as labels 10, 11, … after the digits'. Each
    /// class is repeated until it comes up as often as a digit class
    /// (`OwnSet::repeated`), at most 60,000 images of one's own in all.
    pub fn with_own(&self, images: &[u8], labels: &[u8], classes_json: &str, only: bool) -> Result<MnistData, JsError> {
        use crate::data::own_set::{OwnSet, SIDE};
        const DIGIT_CLASSES: usize = 10;
        const MOST_REPEATED: usize = 60_000;
        let n = labels.len();
        if images.len() != n * SIDE * SIDE {
            return Err(fail(format!("Your images could not be used: {} pixels for {n} labels, 784 per image", images.len())));
        }
        let classes: Vec<String> = serde_json::from_str(classes_json).map_err(|e| fail(format!("Your images could not be used: the class names are not a list ({e})")))?;
        let pixels = ndarray::Array2::from_shape_vec((n, SIDE * SIDE), images.to_vec()).map_err(|e| fail(e.to_string()))?;
        let set = OwnSet { data: Dataset { pixels, labels: labels.to_vec(), rows: SIDE, cols: SIDE }, classes };
        set.check()?;
        let per_class = (self.train.len() / DIGIT_CLASSES).min(MOST_REPEATED / set.classes.len()).max(1);
        let own = OwnSet { data: set.repeated(per_class), classes: set.classes };
        let base = if only { self.train.take(0) } else { self.train.clone() };
        Ok(MnistData { train: own.mixed_into(&base, DIGIT_CLASSES)?, test: self.test.clone() })
    }

    /// Training images (one's own ones included).
    #[wasm_bindgen(getter)]
    pub fn train_len(&self) -> usize {
        self.train.len()
    }

    #[wasm_bindgen(getter)]
    pub fn test_len(&self) -> usize {
        self.test.len()
    }

    /// Pixels per image (784 for 28×28).
    #[wasm_bindgen(getter)]
    pub fn pixels(&self) -> usize {
        self.test.dim()
    }

    /// Labels of the first `limit` test images.
    pub fn test_labels(&self, limit: usize) -> Vec<u8> {
        self.test.labels[..limit.min(self.test.len())].to_vec()
    }

    /// Pixels (0–255) of the first `limit` test images, row after row: what
    /// the latent plot shows when a point is hovered.
    pub fn test_pixels(&self, limit: usize) -> Vec<u8> {
        let n = limit.min(self.test.len()).min(MAX_IMAGES);
        self.test.pixels.slice(ndarray::s![..n, ..]).iter().copied().collect()
    }

    /// The test images at `indices` as [0,1] floats, row after row (what
    /// `LatentView.neighbours` points at).
    pub fn test_images_at(&self, indices: &[u32]) -> Result<Box<[f32]>, JsError> {
        images_at(&self.test, indices, "test")
    }

    /// The labels of the test images at `indices`.
    pub fn test_labels_at(&self, indices: &[u32]) -> Result<Vec<u8>, JsError> {
        Ok(rows_at(&self.test, indices, "test")?.into_iter().map(|i| self.test.labels[i]).collect())
    }
}

/// The rows of `set` (`which`: "test" or "training") at `indices`, refusing
/// more than MAX_IMAGES at once or an index past its end.
pub(super) fn rows_at(set: &Dataset, indices: &[u32], which: &str) -> Result<Vec<usize>, JsError> {
    if indices.len() > MAX_IMAGES {
        return Err(fail(format!("{} images at once is more than the {MAX_IMAGES} allowed", indices.len())));
    }
    let n = set.len();
    indices
        .iter()
        .map(|&i| if (i as usize) < n { Ok(i as usize) } else { Err(fail(format!("there is no {which} image {i}: the {which} set holds {n}"))) })
        .collect()
}

/// The images of `set` at `indices` as [0,1] floats, row after row.
pub(super) fn images_at(set: &Dataset, indices: &[u32], which: &str) -> Result<Box<[f32]>, JsError> {
    let rows = rows_at(set, indices, which)?;
    let mut out = Vec::with_capacity(rows.len() * set.dim());
    for i in rows {
        out.extend(set.pixels.row(i).iter().map(|&p| p as f32 / 255.0));
    }
    Ok(out.into_boxed_slice())
}
