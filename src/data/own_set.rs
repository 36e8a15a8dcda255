//! Your own images as one file (issue 21): a safetensors file that any
//! safetensors reader opens, holding
//!   images  U8 [N, 28, 28]  0 = background, 255 = ink, as MNIST (already
//!                           preprocessed: inverted, cropped, scaled, centred)
//!   labels  U8 [N]          an index into the class names
//! and in its metadata `format` = `FORMAT` and `classes`, a JSON array of the
//! class names. The page exports it ("Export your set") and the CLI trains on
//! it (`train --data-file`). Read as hostile: sizes are checked against the
//! header before anything is allocated, and every refusal says why in words.

use ndarray::Array2;
use safetensors::tensor::{Dtype, SafeTensors, TensorView};

use super::Dataset;
use crate::error::{Error, Result};

/// The `format` metadata value: what this file is and which version.
pub const FORMAT: &str = "ae-playground images 1";
/// Images are MNIST's size.
pub const SIDE: usize = 28;
/// The most images a set holds (a class's worth of drawings is tens).
pub const MAX_IMAGES: usize = 10_000;
/// The most classes of one's own.
pub const MAX_CLASSES: usize = 64;
/// The longest class name, in characters.
pub const MAX_NAME_CHARS: usize = 40;
/// The largest file: the images and labels at their most, and a header of 64 KiB.
pub const MAX_FILE_BYTES: usize = 8 + (64 << 10) + MAX_IMAGES * (SIDE * SIDE + 1);

/// One's own images (a `Dataset` of 28×28) and the names of their classes.
pub struct OwnSet {
    pub data: Dataset,
    pub classes: Vec<String>,
}

const NOT_A_SET: &str = "This file is not a set of images saved by AE Playground.";
const TOO_BIG: &str = "This file is larger than the largest set of images the playground keeps (10,000 images).";
const BAD_SET: &str = "This set of images is damaged: its images, labels and class names do not fit together.";

fn bad(people: &'static str, detail: impl Into<String>) -> Error {
    Error::ImageSet { people, detail: detail.into() }
}

impl OwnSet {
    /// Checks the set's own rules: 28×28 images, at most `MAX_IMAGES`, names
    /// that are short and distinct, and labels that name a class.
    pub fn check(&self) -> Result<()> {
        let (n, classes) = (self.data.len(), self.classes.len());
        if (self.data.rows, self.data.cols) != (SIDE, SIDE) || self.data.pixels.dim() != (n, SIDE * SIDE) {
            return Err(bad(BAD_SET, format!("images of {}×{}, {:?} pixels for {n} labels; a set holds 28×28 images", self.data.rows, self.data.cols, self.data.pixels.dim())));
        }
        if n == 0 || n > MAX_IMAGES {
            return Err(bad(BAD_SET, format!("{n} images; a set holds 1 to {MAX_IMAGES}")));
        }
        if classes == 0 || classes > MAX_CLASSES {
            return Err(bad(BAD_SET, format!("{classes} classes; a set names 1 to {MAX_CLASSES}")));
        }
        for (i, name) in self.classes.iter().enumerate() {
            let chars = name.chars().count();
            if name.trim().is_empty() || chars > MAX_NAME_CHARS || self.classes[..i].contains(name) {
                return Err(bad(BAD_SET, format!("class name {name:?}: names are 1 to {MAX_NAME_CHARS} characters, not blank, and all different")));
            }
        }
        if let Some(&l) = self.data.labels.iter().find(|&&l| l as usize >= classes) {
            return Err(bad(BAD_SET, format!("label {l}, but only {classes} classes are named")));
        }
        Ok(())
    }

    /// The file's bytes, written as `io::save` writes a model: the header,
    /// padded with spaces to 8 bytes as the format recommends, then the data.
    pub fn write(&self) -> Result<Vec<u8>> {
        self.check()?;
        let n = self.data.len();
        let size = n * SIDE * SIDE;
        let header = serde_json::json!({
            "__metadata__": { "format": FORMAT, "classes": serde_json::to_string(&self.classes).expect("names serialise") },
            "images": { "dtype": "U8", "shape": [n, SIDE, SIDE], "data_offsets": [0, size] },
            "labels": { "dtype": "U8", "shape": [n], "data_offsets": [size, size + n] },
        });
        let mut head = serde_json::to_vec(&header).expect("header serialises");
        while !head.len().is_multiple_of(8) {
            head.push(b' ');
        }
        let mut out = Vec::with_capacity(8 + head.len() + size + n);
        out.extend_from_slice(&(head.len() as u64).to_le_bytes());
        out.extend_from_slice(&head);
        out.extend(self.data.pixels.iter());
        out.extend_from_slice(&self.data.labels);
        Ok(out)
    }

    /// Reads a set from a file's bytes, refusing anything that is not one.
    pub fn read(bytes: &[u8]) -> Result<OwnSet> {
        if bytes.len() > MAX_FILE_BYTES {
            return Err(bad(TOO_BIG, format!("{} bytes; at most {MAX_FILE_BYTES}", bytes.len())));
        }
        if bytes.len() < 8 {
            return Err(bad(NOT_A_SET, format!("only {} bytes; a safetensors file starts with an 8-byte header length", bytes.len())));
        }
        let header = u64::from_le_bytes(bytes[..8].try_into().expect("8 bytes"));
        if header > (bytes.len() - 8) as u64 {
            return Err(bad(NOT_A_SET, format!("header length {header} does not fit in a file of {} bytes", bytes.len())));
        }
        let file = SafeTensors::deserialize(bytes).map_err(|e| bad(NOT_A_SET, e.to_string()))?;
        let (_, table) = SafeTensors::read_metadata(bytes).map_err(|e| bad(NOT_A_SET, e.to_string()))?;
        let meta = table.metadata().clone().unwrap_or_default();
        if meta.get("format").map(String::as_str) != Some(FORMAT) {
            return Err(bad(NOT_A_SET, format!("metadata format {:?}, expected {FORMAT:?}", meta.get("format"))));
        }
        let classes: Vec<String> = serde_json::from_str(meta.get("classes").map_or("", String::as_str)).map_err(|e| bad(BAD_SET, format!("the class names: {e}")))?;
        let tensor = |name: &str, shape: &dyn Fn(&[usize]) -> bool| -> Result<TensorView<'_>> {
            let t = file.tensor(name).map_err(|_| bad(BAD_SET, format!("no tensor {name:?}")))?;
            if t.dtype() != Dtype::U8 || !shape(t.shape()) {
                return Err(bad(BAD_SET, format!("{name} is {:?} {:?}", t.dtype(), t.shape())));
            }
            Ok(t)
        };
        let images = tensor("images", &|s| s.len() == 3 && s[1] == SIDE && s[2] == SIDE)?;
        let n = images.shape()[0];
        let labels = tensor("labels", &|s| s == [n])?;
        let pixels = Array2::from_shape_vec((n, SIDE * SIDE), images.data().to_vec()).map_err(|e| bad(BAD_SET, e.to_string()))?;
        let set = OwnSet { data: Dataset { pixels, labels: labels.data().to_vec(), rows: SIDE, cols: SIDE }, classes };
        set.check()?;
        Ok(set)
    }

    /// The set mixed into `base` (MNIST's training images): its images after
    /// base's, its labels after base's `base_classes`, so new classes join the
    /// labels a CVAE, a labelled AAE or a classifier learns.
    pub fn mixed_into(&self, base: &Dataset, base_classes: usize) -> Result<Dataset> {
        if (base.rows, base.cols) != (SIDE, SIDE) {
            return Err(bad(BAD_SET, format!("the data set's images are {}×{}, the set's 28×28", base.rows, base.cols)));
        }
        if base_classes + self.classes.len() > 256 {
            return Err(bad(BAD_SET, format!("{base_classes} + {} classes: at most 256 labels", self.classes.len())));
        }
        let pixels = ndarray::concatenate(ndarray::Axis(0), &[base.pixels.view(), self.data.pixels.view()]).expect("both 784 wide");
        let labels = base.labels.iter().copied().chain(self.data.labels.iter().map(|&l| l + base_classes as u8)).collect();
        Ok(Dataset { pixels, labels, rows: SIDE, cols: SIDE })
    }

    /// The set with each class's images repeated in turn until the class has
    /// `per_class` of them: the page trains on a few dozen drawings beside
    /// 60,000 digits, and repeated this way each class of one's own comes up
    /// as often as a digit class does. Repetition, not invention: every
    /// image is one of the set's. A class with more images keeps them all.
    pub fn repeated(&self, per_class: usize) -> Dataset {
        let mut rows = Vec::new();
        for class in 0..self.classes.len() {
            let mine: Vec<usize> = (0..self.data.len()).filter(|&i| self.data.labels[i] as usize == class).collect();
            rows.extend(mine.iter().cycle().take(per_class.max(mine.len())).copied());
        }
        let pixels = self.data.pixels.select(ndarray::Axis(0), &rows);
        let labels = rows.iter().map(|&i| self.data.labels[i]).collect();
        Dataset { pixels, labels, rows: SIDE, cols: SIDE }
    }
}
