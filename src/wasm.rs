//! The browser's API, and the only file that knows JavaScript exists.
//!
//! Two opaque handles keep the big state in Rust (the wasm-bindgen book's
//! game-of-life pattern): `MnistData` holds the decoded train and test sets,
//! `Playground` a model with its trainer. Every call is coarse — a whole chunk
//! of batches, a whole batch of images — and returns a fresh copy
//! (`Box<[f32]>` becomes a `Float32Array`) that the worker can transfer with
//! `postMessage`; views into `memory.buffer` would go stale when memory grows.
//! The datasets live in their own handle so rebuilding or importing a model
//! never re-decodes 60,000 images.
//!
//! Everything that JavaScript hands in is checked here, so a bad call becomes
//! a JS `Error` with a sentence a person can act on, never a panic (which
//! would surface as an opaque `unreachable` and poison the instance).

use std::collections::BTreeMap;

use ndarray::{Array2, ArrayView2};
use wasm_bindgen::prelude::*;

use crate::config::{ModelConfig, TrainConfig};
use crate::data::{Dataset, DatasetName};
use crate::io;
use crate::rng::Rng;
use crate::trainer::{EvaluationPass, Trainer};
use crate::{Error, Stats};

/// Requests larger than this many images are refused: they would only come
/// from a bug in the page, and would allocate hundreds of megabytes.
const MAX_IMAGES: usize = 20_000;
/// Salt for the sampling generator, so prior samples never share a stream
/// with training (and drawing samples never changes a training run).
const SAMPLER_SALT: u64 = 0x5a3b_1e5d_0c0d_e5a1;

fn fail(msg: impl AsRef<str>) -> JsError {
    JsError::new(msg.as_ref())
}

/// The training and test sets, decoded once and shared by every model.
#[wasm_bindgen]
pub struct MnistData {
    train: Dataset,
    test: Dataset,
}

#[wasm_bindgen]
impl MnistData {
    /// Builds both sets from IDX bytes (plain, or gzip which is unpacked here).
    #[wasm_bindgen(constructor)]
    pub fn new(train_images: &[u8], train_labels: &[u8], test_images: &[u8], test_labels: &[u8]) -> Result<MnistData, JsError> {
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

    /// Keeps only the first `n` training images (tests and the core
    /// fingerprint train on 1,000).
    pub fn limit_train(&mut self, n: usize) {
        if n > 0 && n < self.train.len() {
            self.train = self.train.take(n);
        }
    }

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
}

/// A model, its optimiser and training state, and a generator for samples.
#[wasm_bindgen]
pub struct Playground {
    trainer: Trainer,
    sampler: Rng,
    /// A test-set evaluation spread over several calls, and the step it is for.
    pass: Option<(EvaluationPass, u64)>,
    trained_on: Option<&'static str>,
}

#[wasm_bindgen]
impl Playground {
    /// Builds a fresh model from JSON configs (`ModelConfig`, `TrainConfig`;
    /// missing fields take their defaults, unknown ones are refused).
    #[wasm_bindgen(constructor)]
    pub fn new(model_config_json: &str, train_config_json: &str) -> Result<Playground, JsError> {
        let model_cfg: ModelConfig = serde_json::from_str(model_config_json).map_err(|e| fail(format!("model settings: {e}")))?;
        let train_cfg = parse_train(train_config_json)?;
        let trainer = Trainer::new(&model_cfg, &train_cfg)?;
        Ok(Playground::around(trainer))
    }

    /// Rebuilds a model saved by `save` (or the CLI). Training counters come
    /// back from the metadata; the optimiser's moments do not (they are not
    /// saved), so Adam restarts its averages.
    pub fn load(bytes: &[u8]) -> Result<Playground, JsError> {
        let loaded = io::load(bytes)?;
        let train_cfg = match loaded.metadata.get("train") {
            Some(text) => parse_train(text)?,
            None => TrainConfig::default(),
        };
        let mut trainer = Trainer::from_model(loaded.model, &train_cfg)?;
        let counter = |k: &str| loaded.metadata.get(k).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
        trainer.step = counter("steps");
        trainer.samples_seen = counter("samples_seen");
        trainer.epoch = counter("epoch") as usize;
        let mut pg = Playground::around(trainer);
        pg.trained_on = loaded.metadata.get("dataset").and_then(|d| DatasetName::parse(d)).map(short_name);
        Ok(pg)
    }

    /// The dataset a loaded file says it was trained on (`mnist` or `fashion`).
    #[wasm_bindgen(getter)]
    pub fn trained_on(&self) -> Option<String> {
        self.trained_on.map(str::to_string)
    }

    fn around(trainer: Trainer) -> Playground {
        let sampler = Rng::new(trainer.train_cfg.seed ^ SAMPLER_SALT);
        Playground { trainer, sampler, pass: None, trained_on: None }
    }

    /// The model as safetensors, with its config, training settings,
    /// counters and the dataset name in the metadata, under the keys the CLI
    /// uses (`train`, `steps`, `dataset` as `mnist` / `fashion-mnist`).
    pub fn save(&mut self, dataset: &str) -> Vec<u8> {
        let t = &mut self.trainer;
        let mut meta = BTreeMap::new();
        meta.insert("train".to_string(), serde_json::to_string(&t.train_cfg).unwrap_or_default());
        meta.insert("steps".to_string(), t.step.to_string());
        meta.insert("epoch".to_string(), t.epoch.to_string());
        meta.insert("samples_seen".to_string(), t.samples_seen.to_string());
        if let Some(name) = DatasetName::parse(dataset) {
            meta.insert("dataset".to_string(), name.dir_name().to_string());
        }
        io::save(t.model.as_mut(), &meta)
    }

    /// Sets the decoder's output bias to the logit of the mean training
    /// image, as the CLI does for a fresh model: training starts from the
    /// average digit instead of spending its first batches finding it.
    pub fn init_output_bias(&mut self, data: &MnistData) {
        self.trainer.init_output_bias(&data.train);
    }

    /// Runs `batches` minibatches and returns their mean
    /// `[loss, recon, kl, penalty, accuracy]` (nats per image). On divergence
    /// the core has already rolled the weights back; the error says so.
    /// A divergence is a JS `Error` named `DivergedError`, so the worker can
    /// tell it from a bad call without parsing the message.
    pub fn train(&mut self, data: &MnistData, batches: u32) -> Result<Box<[f32]>, JsValue> {
        let mut sum = [0.0f64; 5];
        for _ in 0..batches {
            let s = match self.trainer.step(&data.train) {
                Ok(s) => s,
                Err(e @ Error::Diverged { .. }) => {
                    let err = js_sys::Error::new(&e.to_string());
                    err.set_name("DivergedError");
                    return Err(err.into());
                }
                Err(e) => return Err(JsError::from(e).into()),
            };
            for (acc, v) in sum.iter_mut().zip(stats_array(&s)) {
                *acc += v as f64;
            }
        }
        let n = batches.max(1) as f64;
        Ok(sum.iter().map(|&v| (v / n) as f32).collect())
    }

    /// The whole test set in one call: `[loss, recon, kl, penalty, accuracy,
    /// ...kl_per_dim]`. The worker uses the resumable form below instead.
    pub fn evaluate_test(&mut self, data: &MnistData) -> Result<Box<[f32]>, JsError> {
        self.check_input(&data.test)?;
        let e = self.trainer.evaluate(&data.test);
        Ok(stats_array(&e.stats).into_iter().chain(e.kl_per_dim).collect())
    }

    /// Evaluates up to `batches` more test batches (500 images each) of a pass
    /// that starts when none is under way. Returns `undefined` until the pass
    /// is complete, then the same array as `evaluate_test` (bit for bit). A
    /// pass interrupted by training starts over, so figures never mix weights.
    pub fn evaluate_test_some(&mut self, data: &MnistData, batches: u32) -> Result<Option<Box<[f32]>>, JsError> {
        self.check_input(&data.test)?;
        let step = self.trainer.step;
        if !matches!(&self.pass, Some((_, s)) if *s == step) {
            self.pass = Some((EvaluationPass::new(), step));
        }
        let Some((pass, _)) = self.pass.as_mut() else { return Ok(None) };
        match pass.advance(self.trainer.model.as_mut(), &data.test, batches.max(1) as usize) {
            Some(e) => {
                self.pass = None;
                Ok(Some(stats_array(&e.stats).into_iter().chain(e.kl_per_dim).collect()))
            }
            None => Ok(None),
        }
    }

    /// How far the test pass under way has got, from 0 to 1 (0 when none is).
    pub fn evaluation_progress(&self, data: &MnistData) -> f32 {
        self.pass.as_ref().map_or(0.0, |(p, _)| p.progress(&data.test))
    }

    /// Forgets a half-done test pass (the next `evaluate_test_some` starts afresh).
    pub fn cancel_evaluation(&mut self) {
        self.pass = None;
    }

    /// Decoder means for `pixels` (n images, row after row): x → code → x̂.
    /// `labels` (one per image, or empty for all zeros) condition a CVAE.
    pub fn reconstruct(&mut self, pixels: &[f32], labels: &[u8]) -> Result<Box<[f32]>, JsError> {
        self.check_decoder()?;
        let x = self.images(pixels, "pixels")?;
        let labels = self.labels(labels, x.nrows())?;
        Ok(into_box(self.trainer.model.reconstruct(&x, &labels)))
    }

    /// Codes of `pixels` (n × latent): the posterior mean for VAEs, class
    /// probabilities for a classifier.
    pub fn encode(&mut self, pixels: &[f32], labels: &[u8]) -> Result<Box<[f32]>, JsError> {
        let x = self.images(pixels, "pixels")?;
        let labels = self.labels(labels, x.nrows())?;
        Ok(into_box(self.trainer.model.encode(&x, &labels)))
    }

    /// log σ² of q(z|x) (n × latent) for VAEs; `undefined` for other models.
    pub fn encode_logvar(&mut self, pixels: &[f32], labels: &[u8]) -> Result<Option<Box<[f32]>>, JsError> {
        let x = self.images(pixels, "pixels")?;
        let labels = self.labels(labels, x.nrows())?;
        Ok(self.trainer.model.encode_logvar(&x, &labels).map(into_box))
    }

    /// Codes of the first `limit` test images, encoded with their true labels.
    pub fn encode_test(&mut self, data: &MnistData, limit: usize) -> Result<Box<[f32]>, JsError> {
        self.check_input(&data.test)?;
        let n = limit.min(data.test.len()).min(MAX_IMAGES);
        let x = data.test.images(0, n);
        Ok(into_box(self.trainer.model.encode(&x.view(), &data.test.labels[..n])))
    }

    /// Decoder means (n × input) for codes `z` (n × latent, row after row).
    pub fn decode(&mut self, z: &[f32], labels: &[u8]) -> Result<Box<[f32]>, JsError> {
        self.check_decoder()?;
        let k = self.latent();
        let n = whole_rows(z, k, "codes")?;
        let labels = self.labels(labels, n)?;
        let z = ArrayView2::from_shape((n, k), z).map_err(|e| fail(e.to_string()))?;
        Ok(into_box(self.trainer.model.decode(&z, &labels)))
    }

    /// Decodes `n` codes z = mean + std ⊙ ε with ε ~ N(0, I) drawn from the
    /// playground's own generator. Empty `mean` and `std` mean the prior
    /// N(0, I) of a VAE; for a plain AE, which has no prior, the worker passes
    /// a Gaussian fitted to the test codes instead.
    pub fn sample(&mut self, n: usize, labels: &[u8], mean: &[f32], std: &[f32]) -> Result<Box<[f32]>, JsError> {
        self.check_decoder()?;
        let k = self.latent();
        if n == 0 || n > MAX_IMAGES {
            return Err(fail(format!("number of samples {n} must be between 1 and {MAX_IMAGES}")));
        }
        for (v, what) in [(mean, "mean"), (std, "std")] {
            if !v.is_empty() && v.len() != k {
                return Err(fail(format!("{what} has {} numbers but the latent space has {k} dimensions", v.len())));
            }
            if !v.iter().all(|x| x.is_finite()) {
                return Err(fail(format!("{what} must hold finite numbers")));
            }
        }
        let labels = self.labels(labels, n)?;
        let mut z = Array2::<f32>::zeros((n, k));
        for row in z.rows_mut() {
            for (j, v) in row.into_iter().enumerate() {
                let e = self.sampler.normal();
                *v = mean.get(j).copied().unwrap_or(0.0) + std.get(j).copied().unwrap_or(1.0) * e;
            }
        }
        Ok(into_box(self.trainer.model.decode(&z.view(), &labels)))
    }

    /// Changes the learning rate from the next batch on, keeping the model
    /// and the optimiser's moments (the page's learning-rate field).
    pub fn set_learning_rate(&mut self, lr: f32) -> Result<(), JsError> {
        Ok(self.trainer.set_learning_rate(lr)?)
    }

    /// Parameters a model config would have, without building it (JSON as for
    /// the constructor), so the page can warn before building a slow model.
    pub fn param_count(model_config_json: &str) -> Result<f64, JsError> {
        let cfg: ModelConfig = serde_json::from_str(model_config_json).map_err(|e| fail(format!("model settings: {e}")))?;
        Ok(crate::model_size::param_count(&cfg) as f64)
    }

    /// Number of trainable numbers.
    #[wasm_bindgen(getter)]
    pub fn params(&mut self) -> usize {
        let mut n = 0;
        self.trainer.model.visit(&mut |_, _, w, _| n += w.len());
        n
    }

    /// The model config as JSON, defaults filled in (what `save` stores).
    pub fn model_config_json(&self) -> String {
        serde_json::to_string(self.trainer.model.config()).unwrap_or_default()
    }

    pub fn train_config_json(&self) -> String {
        serde_json::to_string(&self.trainer.train_cfg).unwrap_or_default()
    }

    /// Code size: `latent`, or the number of classes for a classifier.
    #[wasm_bindgen(getter)]
    pub fn latent(&self) -> usize {
        let c = self.trainer.model.config();
        if c.kind == crate::ModelKind::Classifier {
            c.classes
        } else {
            c.latent
        }
    }

    #[wasm_bindgen(getter)]
    pub fn kind(&self) -> String {
        self.trainer.model.config().kind.name().to_string()
    }

    #[wasm_bindgen(getter)]
    pub fn input(&self) -> usize {
        self.trainer.model.config().input
    }

    #[wasm_bindgen(getter)]
    pub fn variational(&self) -> bool {
        self.trainer.model.config().kind.is_variational()
    }

    #[wasm_bindgen(getter)]
    pub fn conditional(&self) -> bool {
        self.trainer.model.config().kind.is_conditional()
    }

    /// Completed passes over the training set.
    #[wasm_bindgen(getter)]
    pub fn epoch(&self) -> usize {
        self.trainer.epoch
    }

    /// Optimiser steps taken (f64: a u64 would arrive as a BigInt).
    #[wasm_bindgen(getter)]
    pub fn step(&self) -> f64 {
        self.trainer.step as f64
    }

    #[wasm_bindgen(getter)]
    pub fn samples_seen(&self) -> f64 {
        self.trainer.samples_seen as f64
    }

    #[wasm_bindgen(getter)]
    pub fn epoch_progress(&self) -> f32 {
        self.trainer.epoch_progress()
    }

    /// Whether this build uses 128-bit wasm SIMD (set in .cargo/config.toml).
    pub fn simd() -> bool {
        cfg!(target_feature = "simd128")
    }
}

impl Playground {
    fn check_decoder(&self) -> Result<(), JsError> {
        if self.trainer.model.config().kind == crate::ModelKind::Classifier {
            return Err(fail("a classifier has no decoder: it cannot reconstruct, decode or sample"));
        }
        Ok(())
    }

    fn check_input(&self, data: &Dataset) -> Result<(), JsError> {
        let input = self.input();
        if data.dim() != input {
            return Err(fail(format!("the dataset's images have {} pixels but the model expects {input}", data.dim())));
        }
        Ok(())
    }

    /// `pixels` as an (n, input) view, after checking length and values.
    fn images<'a>(&self, pixels: &'a [f32], what: &str) -> Result<ArrayView2<'a, f32>, JsError> {
        let d = self.input();
        let n = whole_rows(pixels, d, what)?;
        if !pixels.iter().all(|v| v.is_finite()) {
            return Err(fail(format!("{what} must be finite numbers (0 = black, 1 = white)")));
        }
        ArrayView2::from_shape((n, d), pixels).map_err(|e| fail(e.to_string()))
    }

    /// One label per row, or all zeros when `labels` is empty.
    fn labels(&self, labels: &[u8], n: usize) -> Result<Vec<u8>, JsError> {
        let classes = self.trainer.model.config().classes;
        if labels.is_empty() {
            return Ok(vec![0; n]);
        }
        if labels.len() != n {
            return Err(fail(format!("{} labels for {n} images; give one per image or none", labels.len())));
        }
        if let Some(&l) = labels.iter().find(|&&l| l as usize >= classes) {
            return Err(fail(format!("label {l} is outside 0–{}", classes - 1)));
        }
        Ok(labels.to_vec())
    }
}

/// Number of `width`-sized rows in `values`, refusing ragged or empty input.
fn whole_rows(values: &[f32], width: usize, what: &str) -> Result<usize, JsError> {
    if values.is_empty() || !values.len().is_multiple_of(width) {
        return Err(fail(format!("{what}: {} numbers is not a whole number of rows of {width}", values.len())));
    }
    let n = values.len() / width;
    if n > MAX_IMAGES {
        return Err(fail(format!("{what}: {n} rows at once is more than the {MAX_IMAGES} allowed")));
    }
    Ok(n)
}

/// The worker's name for a dataset.
fn short_name(d: DatasetName) -> &'static str {
    match d {
        DatasetName::Mnist => "mnist",
        DatasetName::FashionMnist => "fashion",
    }
}

fn parse_train(json: &str) -> Result<TrainConfig, JsError> {
    let cfg: TrainConfig = serde_json::from_str(json).map_err(|e| fail(format!("training settings: {e}")))?;
    cfg.validate()?;
    Ok(cfg)
}

fn stats_array(s: &Stats) -> [f32; 5] {
    [s.loss, s.recon, s.kl, s.penalty, s.accuracy]
}

fn into_box(a: Array2<f32>) -> Box<[f32]> {
    // Models return standard (row-major) arrays; the fallback only guards the contract.
    a.as_slice().map(Box::from).unwrap_or_else(|| a.iter().copied().collect())
}
