//! MNIST-format datasets (MNIST, Fashion-MNIST): images scaled to [0,1].

use std::path::{Path, PathBuf};

use ndarray::{Array2, Axis};
use serde::{Deserialize, Serialize};

use super::idx::parse_idx_owned;
use crate::config::{ModelConfig, ModelKind};
use crate::error::{Error, Result};

/// Which images; serde's names are the settings' names (`mnist`, `fashion`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DatasetName {
    #[default]
    Mnist,
    /// Older model files name it by its folder.
    #[serde(rename = "fashion", alias = "fashion-mnist", alias = "fashion_mnist")]
    FashionMnist,
    /// MNIST with every pixel made black or white (at half intensity): data
    /// a Bernoulli likelihood describes exactly (the likelihood lesson).
    MnistBinary,
}

impl DatasetName {
    /// The folder holding the files (a path, not a name: it follows the
    /// datasets' own distribution). The name everywhere else is serde's (`mnist`, `fashion`).
    pub fn dir_name(self) -> &'static str {
        match self {
            DatasetName::Mnist => "mnist",
            DatasetName::FashionMnist => "fashion-mnist",
            DatasetName::MnistBinary => "mnist",
        }
    }

    /// Whether its pixels are made black or white after loading (`Dataset::binarise`).
    pub fn binary(self) -> bool {
        self == DatasetName::MnistBinary
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Split {
    Train,
    Test,
}

impl Split {
    fn prefix(self) -> &'static str {
        match self {
            Split::Train => "train",
            Split::Test => "t10k",
        }
    }
}

/// Images with their labels. Pixels stay bytes (a quarter of the memory of
/// f32, which matters in a phone's browser tab) and become [0,1] floats only
/// when a batch is taken.
#[derive(Clone, Debug)]
pub struct Dataset {
    pub pixels: Array2<u8>, // (N, rows·cols), 0–255
    pub labels: Vec<u8>,    // (N)
    pub rows: usize,
    pub cols: usize,
}

impl Dataset {
    /// Builds a dataset from the bytes of an images file and a labels file
    /// (plain ones' pixels are kept where they are, not copied).
    pub fn from_idx(images: Vec<u8>, labels: Vec<u8>) -> Result<Dataset> {
        let im = parse_idx_owned("images", images)?;
        let lb = parse_idx_owned("labels", labels)?;
        if im.dims.len() != 3 {
            return Err(Error::Data(format!("an images file has 3 dimensions (count, rows, cols), this one {:?}", im.dims)));
        }
        if lb.dims.len() != 1 {
            return Err(Error::Data(format!("a labels file has 1 dimension, this one {:?}", lb.dims)));
        }
        let (n, rows, cols) = (im.dims[0], im.dims[1], im.dims[2]);
        if lb.dims[0] != n {
            return Err(Error::Data(format!("{n} images but {} labels", lb.dims[0])));
        }
        if rows == 0 || cols == 0 || rows > 1024 || cols > 1024 {
            return Err(Error::Data(format!("image size {rows}×{cols} is not plausible")));
        }
        if let Some(&l) = lb.data.iter().find(|&&l| l > 9) {
            return Err(Error::Data(format!("label {l} is outside 0–9")));
        }
        let pixels = Array2::from_shape_vec((n, rows * cols), im.data).map_err(|e| Error::Data(e.to_string()))?;
        Ok(Dataset { pixels, labels: lb.data, rows, cols })
    }

    /// Loads `{dir}/{train|t10k}-{images-idx3|labels-idx1}-ubyte[.gz]`.
    pub fn load_dir(dir: &Path, split: Split) -> Result<Dataset> {
        let read = |kind: &str| -> Result<Vec<u8>> {
            let base = dir.join(format!("{}-{kind}-ubyte", split.prefix()));
            let gz = PathBuf::from(format!("{}.gz", base.display()));
            let path = if base.exists() { base } else { gz };
            std::fs::read(&path).map_err(|source| Error::Io { path: path.display().to_string(), source })
        };
        Dataset::from_idx(read("images-idx3")?, read("labels-idx1")?)
    }

    /// Loads a named dataset from `data_root/{mnist|fashion-mnist}`.
    pub fn load(data_root: &Path, name: DatasetName, split: Split) -> Result<Dataset> {
        let mut d = Dataset::load_dir(&data_root.join(name.dir_name()), split)?;
        if name.binary() {
            d.binarise();
        }
        Ok(d)
    }

    /// Makes every pixel black (0) or white (255): white from half intensity (128) up.
    pub fn binarise(&mut self) {
        self.pixels.mapv_inplace(|p| if p >= 128 { 255 } else { 0 });
    }

    /// Checks that a model of `cfg` can take this data: its input is the
    /// images' size, and a model that reads labels (a classifier, a CVAE)
    /// has a class for every label here; a label past its classes would index
    /// out of its outputs. Every place where data meets a model calls this.
    pub fn check_model(&self, cfg: &ModelConfig) -> Result<()> {
        if cfg.input != self.dim() {
            return Err(Error::Mismatch(format!("it takes images of {} pixels, but these are {}×{} = {} pixels", cfg.input, self.rows, self.cols, self.dim())));
        }
        let reads_labels = cfg.kind == ModelKind::Classifier || cfg.kind.is_conditional();
        // A labelled AAE draws each label from its own part of the prior, and the prior has COMPONENTS parts.
        let prior_parts = cfg.kind.is_adversarial() && cfg.aae_labels;
        match self.labels.iter().max() {
            Some(&l) if reads_labels && l as usize >= cfg.classes => {
                Err(Error::Mismatch(format!("it knows {} classes (labels 0–{}), but the data has label {l}", cfg.classes, cfg.classes.saturating_sub(1))))
            }
            Some(&l) if prior_parts && l as usize >= crate::prior::COMPONENTS => Err(Error::Mismatch(format!(
                "its prior has {} parts, one for each label 0–{}, but the data has label {l}",
                crate::prior::COMPONENTS,
                crate::prior::COMPONENTS - 1
            ))),
            _ => Ok(()),
        }
    }

    pub fn len(&self) -> usize {
        self.labels.len()
    }
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }
    pub fn dim(&self) -> usize {
        self.rows * self.cols
    }

    /// The first `n` examples (tests train on a few thousand).
    pub fn take(&self, n: usize) -> Dataset {
        let n = n.min(self.len());
        Dataset { pixels: self.pixels.slice(ndarray::s![..n, ..]).to_owned(), labels: self.labels[..n].to_vec(), rows: self.rows, cols: self.cols }
    }

    /// Images `start..end` as rows of floats in [0,1].
    pub fn images(&self, start: usize, end: usize) -> Array2<f32> {
        self.pixels.slice(ndarray::s![start..end, ..]).mapv(to_unit)
    }

    /// Writes the images at `indices` into the rows of `out` (B, D): a minibatch.
    pub fn gather(&self, indices: &[usize], out: &mut Array2<f32>) {
        for (mut row, &i) in out.rows_mut().into_iter().zip(indices) {
            row.zip_mut_with(&self.pixels.row(i), |o, &p| *o = to_unit(p));
        }
    }

    /// The mean image, in [0,1].
    pub fn mean_image(&self) -> Vec<f32> {
        // Summed in u32 over slices, folded into u64 every 2^24 images so no
        // sum can overflow: a page open's worker spent 52 ms here summing in
        // u64 through ndarray's iterators, 39 ms this way. Integer sums are
        // exact in any order, so the mean is the same bits.
        const FOLD: usize = 1 << 24;
        let add = |part: &mut [u32], row: &[u8]| part.iter_mut().zip(row).for_each(|(s, &p)| *s += p as u32);
        let mut sum = vec![0u64; self.dim()];
        let mut part = vec![0u32; self.dim()];
        for chunk in self.pixels.axis_chunks_iter(Axis(0), FOLD) {
            part.fill(0);
            for row in chunk.rows() {
                match row.as_slice() {
                    Some(r) => add(&mut part, r),
                    None => add(&mut part, &row.to_vec()),
                }
            }
            sum.iter_mut().zip(&part).for_each(|(s, &p)| *s += p as u64);
        }
        sum.into_iter().map(|s| s as f32 / (255.0 * self.len().max(1) as f32)).collect()
    }

    /// Each pixel's variance about `mean` (its mean image), in [0,1] units.
    pub fn pixel_variance(&self, mean: &[f32]) -> Vec<f32> {
        let mut sum = vec![0f64; self.dim()];
        for row in self.pixels.rows() {
            sum.iter_mut().zip(row).zip(mean).for_each(|((s, &p), &m)| *s += ((to_unit(p) - m) as f64).powi(2));
        }
        sum.into_iter().map(|s| (s / self.len().max(1) as f64) as f32).collect()
    }
}

#[inline]
fn to_unit(p: u8) -> f32 {
    p as f32 / 255.0
}

/// Where the datasets live: `$AE_DATA_DIR`, else `data/` under the crate root.
pub fn default_data_root() -> PathBuf {
    std::env::var_os("AE_DATA_DIR").map(PathBuf::from).unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data"))
}
