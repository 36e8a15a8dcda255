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
//! Results with more than one figure cross as named fields (a plain JS object
//! such as `{loss, recon, kl, penalty, accuracy, disc_loss, …}`), never as positional
//! arrays. The page's randomness (prior samples, corruption previews) comes
//! from the core's generator, seeded by the caller, so a link reproduces what
//! it shows. `LatentView` is the latent plot's maths (src/latent): the worker
//! builds one from the test codes and asks it for coordinates, grids and
//! neighbours.
//!
//! Everything that JavaScript hands in is checked here, so a bad call becomes
//! a JS `Error` with a sentence a person can act on, never a panic (which
//! would surface as an opaque `unreachable` and poison the instance).

use ndarray::{Array2, ArrayView2};
use wasm_bindgen::prelude::*;

mod probes;
#[cfg(feature = "threads")]
mod threads;

use crate::config::{ModelConfig, TrainConfig};
use crate::data::{Dataset, DatasetName};
use crate::io;
use crate::latent;
use crate::models::{corrupt, Generative};
use crate::rng::Rng;
use crate::stats::{Stats, StatsMean};
use crate::trainer::{Evaluation, EvaluationPass, Trainer};
use crate::Error;

/// The lessons' measurements: nearest training image, kNN accuracy, precision@k, PCA map.
mod measures;

/// Requests larger than this many images are refused: they would only come
/// from a bug in the page, and would allocate hundreds of megabytes.
const MAX_IMAGES: usize = 20_000;
/// Salts for the page's generators, so a seed the page reuses for several
/// purposes (often the training seed) never gives correlated streams, and
/// drawing samples never changes a training run (which has its own generator).
const SAMPLER_SALT: u64 = 0x5a3b_1e5d_0c0d_e5a1;
const CORRUPT_SALT: u64 = 0xc0de_d15e_a5e5_0da3;
const PRIOR_SALT: u64 = 0x9a1e_c10d_5eed_0f2a;

/// Threads a GEMM may use from now on, at most the pool's size (the threaded
/// build, once www/thread-pool.js started one; the other builds run 1);
/// returns the number in force. Results are the same bits for every number.
#[wasm_bindgen]
pub fn set_threads(n: usize) -> usize {
    crate::threads::set_threads(n)
}

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

    /// The test images at `indices` as [0,1] floats, row after row (what
    /// `LatentView.neighbours` points at).
    pub fn test_images_at(&self, indices: &[u32]) -> Result<Box<[f32]>, JsError> {
        let rows = self.test_rows(indices)?;
        let d = self.test.dim();
        let mut out = Vec::with_capacity(rows.len() * d);
        for i in rows {
            out.extend(self.test.pixels.row(i).iter().map(|&p| p as f32 / 255.0));
        }
        Ok(out.into_boxed_slice())
    }

    /// The labels of the test images at `indices`.
    pub fn test_labels_at(&self, indices: &[u32]) -> Result<Vec<u8>, JsError> {
        Ok(self.test_rows(indices)?.into_iter().map(|i| self.test.labels[i]).collect())
    }
}

impl MnistData {
    fn test_rows(&self, indices: &[u32]) -> Result<Vec<usize>, JsError> {
        if indices.len() > MAX_IMAGES {
            return Err(fail(format!("{} images at once is more than the {MAX_IMAGES} allowed", indices.len())));
        }
        let n = self.test.len();
        indices
            .iter()
            .map(|&i| if (i as usize) < n { Ok(i as usize) } else { Err(fail(format!("there is no test image {i}: the test set holds {n}"))) })
            .collect()
    }
}

/// A model, its optimiser and training state.
#[wasm_bindgen]
pub struct Playground {
    trainer: Trainer,
    /// A test-set evaluation spread over several calls, and the step it is for.
    pass: Option<(EvaluationPass, u64)>,
    /// Training figures since the page last asked for them (`take_train_stats`).
    progress: StatsMean,
    trained_on: Option<DatasetName>,
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

    /// Rebuilds a model saved by `save` (or the CLI) and continues its run:
    /// the training settings, counters, optimiser moments, generator and
    /// shuffle the file carries (`checkpoint.rs`), so training goes on bit
    /// for bit as if it had never stopped. What a file lacks (a CLI file has
    /// no optimiser state) starts fresh.
    pub fn load(bytes: &[u8]) -> Result<Playground, JsError> {
        let (trainer, session) = Trainer::restore(io::load(bytes)?)?;
        let mut pg = Playground::around(trainer);
        pg.trained_on = session.dataset;
        Ok(pg)
    }

    /// Whether this model can take `data` (image size; labels within its
    /// classes for a classifier or CVAE): the worker asks before an imported
    /// model replaces the current one. The error is a sentence for people.
    pub fn check_data(&self, data: &MnistData) -> Result<(), JsError> {
        self.check_input(&data.train)?;
        self.check_input(&data.test)
    }

    /// The dataset a loaded file says it was trained on (`mnist` or `fashion`).
    #[wasm_bindgen(getter)]
    pub fn trained_on(&self) -> Option<String> {
        self.trained_on.map(|d| d.name().to_string())
    }

    fn around(trainer: Trainer) -> Playground {
        Playground { trainer, pass: None, progress: StatsMean::default(), trained_on: None }
    }

    /// The run as safetensors (`Trainer::save`): the model with its config,
    /// training settings and session (steps, epochs, samples_seen, dataset)
    /// in the metadata under the keys the CLI writes, and the optimisers'
    /// state, generator and shuffle position that `load` continues from.
    /// `dataset` is `mnist` or `fashion` (anything else is left out).
    pub fn save(&mut self, dataset: &str) -> Vec<u8> {
        self.trainer.save(DatasetName::parse(dataset))
    }

    /// Sets the decoder's output bias to the logit of the mean training
    /// image, as the CLI does for a fresh model: training starts from the
    /// average digit instead of spending its first batches finding it.
    pub fn init_output_bias(&mut self, data: &MnistData) {
        self.trainer.init_output_bias(&data.train);
    }

    /// Runs `batches` minibatches and returns their mean figures
    /// `{loss, recon, kl, penalty, accuracy}` (nats per image). The batches
    /// also count towards `take_train_stats`. On divergence the core has
    /// already rolled the weights back; the error says so. A divergence is a
    /// JS `Error` named `DivergedError`, so the worker can tell it from a bad
    /// call without parsing the message.
    pub fn train(&mut self, data: &MnistData, batches: u32) -> Result<JsValue, JsValue> {
        self.check_input(&data.train)?;
        let mut chunk = StatsMean::default();
        for _ in 0..batches {
            let s = match self.trainer.step(&data.train) {
                Ok(s) => s,
                Err(e @ Error::Diverged { .. }) => {
                    // The figures of a run that diverged describe weights that are gone.
                    self.progress = StatsMean::default();
                    let err = js_sys::Error::new(&e.to_string());
                    err.set_name("DivergedError");
                    return Err(err.into());
                }
                Err(e) => return Err(JsError::from(e).into()),
            };
            chunk.add(&s, 1.0);
            self.progress.add(&s, 1.0);
        }
        Ok(stats_object(&chunk.mean(), None))
    }

    /// The mean figures `{loss, recon, kl, penalty, accuracy, batches}` of every
    /// batch trained since the last call (each batch weighing the same), or
    /// `null` when none was; then starts counting afresh.
    pub fn take_train_stats(&mut self) -> JsValue {
        let batches = self.progress.weight();
        match self.progress.take() {
            Some(s) => {
                let o = stats_object(&s, None);
                set(&o, "batches", batches.into());
                o
            }
            None => JsValue::NULL,
        }
    }

    /// The whole test set in one call: `{loss, recon, kl, penalty, accuracy,
    /// klPerDim: Float32Array}`. The worker uses the resumable form below instead.
    pub fn evaluate_test(&mut self, data: &MnistData) -> Result<JsValue, JsError> {
        self.check_input(&data.test)?;
        let e = self.trainer.evaluate(&data.test);
        Ok(evaluation_object(&e))
    }

    /// Evaluates up to `batches` more test batches (`EvaluationPass::batch_for`:
    /// 500 images, fewer for the largest models) of a pass
    /// that starts when none is under way. Returns `undefined` until the pass
    /// is complete, then the same figures as `evaluate_test` (bit for bit). A
    /// pass interrupted by training starts over, so figures never mix weights.
    pub fn evaluate_test_some(&mut self, data: &MnistData, batches: u32) -> Result<JsValue, JsError> {
        self.check_input(&data.test)?;
        let step = self.trainer.step;
        if !matches!(&self.pass, Some((_, s)) if *s == step) {
            self.pass = Some((EvaluationPass::new(), step));
        }
        let Some((pass, _)) = self.pass.as_mut() else { return Ok(JsValue::UNDEFINED) };
        match pass.advance(self.trainer.model.as_mut(), &data.test, batches.max(1) as usize) {
            Some(e) => {
                self.pass = None;
                Ok(evaluation_object(&e))
            }
            None => Ok(JsValue::UNDEFINED),
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
        let x = self.images(pixels, "pixels")?;
        let labels = self.labels(labels, x.nrows())?;
        Ok(into_box(self.decoder()?.reconstruct(&x, &labels)))
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
        let k = self.latent();
        let n = whole_rows(z, k, "codes")?;
        let labels = self.labels(labels, n)?;
        let z = code_view(z, k, "codes")?;
        Ok(into_box(self.decoder()?.decode(&z, &labels)))
    }

    /// Decodes `n` codes z = mean + std ⊙ ε with ε ~ N(0, I) drawn from a
    /// generator seeded with `seed`: the same seed gives the same ε, so the
    /// samples change only as the decoder learns. Empty `mean` and `std` mean
    /// the prior N(0, I) of a VAE; for a plain AE, which has no prior, the
    /// worker passes a Gaussian fitted to the test codes instead. An AAE
    /// ignores `mean` and `std` and decodes draws from its own prior (each
    /// from its label's part when the discriminator sees labels).
    pub fn sample(&mut self, n: usize, labels: &[u8], mean: &[f32], std: &[f32], seed: u32) -> Result<Box<[f32]>, JsError> {
        self.decoder()?;
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
        let mut rng = Rng::new(seed as u64 ^ SAMPLER_SALT);
        if self.trainer.model.adversarial().is_some() {
            let images = self.decoder()?.sample(&labels, &mut rng).ok_or_else(|| fail("this model has no prior to sample from"))?;
            return Ok(into_box(images));
        }
        let mut z = Array2::<f32>::zeros((n, k));
        for row in z.rows_mut() {
            for (j, v) in row.into_iter().enumerate() {
                let e = rng.normal();
                *v = mean.get(j).copied().unwrap_or(0.0) + std.get(j).copied().unwrap_or(1.0) * e;
            }
        }
        Ok(into_box(self.decoder()?.decode(&z.view(), &labels)))
    }

    /// `n` codes `(n × latent)` drawn from the model's prior p(z), the whole
    /// prior (every part of a mixture or roll), from a generator seeded with
    /// `seed`: the latent plot's grey cloud under the codes. VAEs and the AAE
    /// only.
    pub fn prior_samples(&mut self, n: usize, seed: u32) -> Result<Box<[f32]>, JsError> {
        if n == 0 || n > MAX_IMAGES {
            return Err(fail(format!("number of prior samples {n} must be between 1 and {MAX_IMAGES}")));
        }
        let cfg = self.trainer.model.config();
        if !cfg.kind.has_prior() {
            return Err(fail(format!("a {} has no prior to sample from (only vae, cvae and aae)", cfg.kind.name())));
        }
        // Other salt than `sample`'s: the cloud and the decoded samples are different draws.
        let mut rng = Rng::new(seed as u64 ^ PRIOR_SALT);
        let prior = if cfg.kind == crate::ModelKind::Aae { cfg.prior } else { crate::config::Prior::Gaussian };
        Ok(into_box(crate::prior::sample(prior, cfg.latent, n, None, &mut rng)))
    }

    /// The n×n grid of codes `(n² × 2)` over a 2-D prior's support, row-major
    /// with the first row at the largest y: Gaussian quantiles for N(0, I),
    /// an even grid over the square holding the mixture or the roll
    /// (`prior::support_half_width`). The codes are also the plot's coordinates.
    pub fn prior_grid(&mut self, n: usize) -> Result<Box<[f32]>, JsError> {
        if !(1..=MAX_GRID).contains(&n) {
            return Err(fail(format!("a grid has between 1 and {MAX_GRID} images per side, not {n}")));
        }
        let cfg = self.trainer.model.config();
        if !cfg.kind.has_prior() || cfg.latent != 2 {
            return Err(fail("a grid over the prior needs a model with a prior and a 2-D code"));
        }
        let half = if cfg.kind == crate::ModelKind::Aae { crate::prior::support_half_width(cfg.prior) } else { None };
        let z = match half {
            Some(h) => crate::prior::support_grid(n, h),
            None => latent::LatentView::prior(2)?.manifold(n, true)?.1,
        };
        Ok(into_box(z))
    }

    /// `pixels` (n images) corrupted as the model's config says a denoising
    /// autoencoder's input is in training (`noise`, `noise_level`; see
    /// src/models/dae.rs), with noise from a generator seeded with `seed`.
    /// Gaussian noise can leave [0, 1]; the caller clamps for display.
    pub fn corrupt(&mut self, pixels: &[f32], seed: u32) -> Result<Box<[f32]>, JsError> {
        let x = self.images(pixels, "pixels")?;
        let cfg = self.trainer.model.config();
        let mut out = Array2::zeros(x.dim());
        corrupt(&x, cfg.noise, cfg.noise_level, &mut Rng::new(seed as u64 ^ CORRUPT_SALT), &mut out);
        Ok(into_box(out))
    }

    /// Changes the learning rate from the next batch on, keeping the model
    /// and the optimiser's moments (the page's learning-rate field).
    pub fn set_learning_rate(&mut self, lr: f32) -> Result<(), JsError> {
        Ok(self.trainer.set_learning_rate(lr)?)
    }

    /// The largest model file `load` takes (`io::MAX_FILE_BYTES`), so the page
    /// can refuse a larger one before reading it.
    pub fn max_file_bytes() -> f64 {
        io::MAX_FILE_BYTES as f64
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

    /// The model has a prior to sample codes from (VAEs, the AAE).
    #[wasm_bindgen(getter)]
    pub fn has_prior(&self) -> bool {
        self.trainer.model.config().kind.has_prior()
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

    /// Which of scripts/build-site.sh's builds this is: "relaxed-simd"
    /// (simd128 with relaxed SIMD's fused multiply-add), "simd128" or "none".
    pub fn simd() -> String {
        let build = if cfg!(target_feature = "relaxed-simd") {
            "relaxed-simd"
        } else if cfg!(target_feature = "simd128") {
            "simd128"
        } else {
            "none"
        };
        build.to_string()
    }

    /// The SIMD builds' GEMM (src/gemm) against matrixmultiply's on the same
    /// inputs, with this build's own lanes: the number of cases that agree
    /// (bit for bit where β is 0 or 1), or an error naming the first that
    /// does not. The build without SIMD multiplies with matrixmultiply itself.
    pub fn gemm_check(seed: u32) -> Result<u32, JsError> {
        #[cfg(all(target_feature = "simd128", not(feature = "matrixmultiply-wasm")))]
        let result = crate::gemm::check::all::<crate::gemm::lanes::Simd>(seed as u64);
        #[cfg(not(all(target_feature = "simd128", not(feature = "matrixmultiply-wasm"))))]
        let result: Result<usize, String> = Err(format!("seed {seed}: this build multiplies with matrixmultiply, not our kernel"));
        result.map(|n| n as u32).map_err(|e| fail(format!("Our matrix multiply disagrees with matrixmultiply's. {e}")))
    }
}

impl Playground {
    fn decoder(&mut self) -> Result<&mut dyn Generative, JsError> {
        self.trainer.model.generative().ok_or_else(|| fail("a classifier has no decoder: it cannot reconstruct, decode or sample"))
    }

    /// The model can take `data`: its image size and, for a model that reads labels, every label.
    fn check_input(&self, data: &Dataset) -> Result<(), JsError> {
        Ok(data.check_model(self.trainer.model.config())?)
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

fn parse_train(json: &str) -> Result<TrainConfig, JsError> {
    let cfg: TrainConfig = serde_json::from_str(json).map_err(|e| fail(format!("training settings: {e}")))?;
    cfg.validate()?;
    Ok(cfg)
}

fn set(o: &JsValue, key: &str, value: JsValue) {
    // Setting a property on a plain object we just made cannot fail.
    let _ = js_sys::Reflect::set(o, &JsValue::from_str(key), &value);
}

/// `{loss, recon, kl, penalty, accuracy}` as a plain object (and `klPerDim` when given).
fn stats_object(s: &Stats, kl_per_dim: Option<&[f32]>) -> JsValue {
    let o: JsValue = js_sys::Object::new().into();
    for (name, v) in s.named() {
        set(&o, name, (v as f64).into());
    }
    if let Some(kl) = kl_per_dim {
        set(&o, "klPerDim", js_sys::Float32Array::from(kl).into());
    }
    o
}

fn evaluation_object(e: &Evaluation) -> JsValue {
    stats_object(&e.stats, Some(&e.kl_per_dim))
}

fn into_box(a: Array2<f32>) -> Box<[f32]> {
    // Models return standard (row-major) arrays; the fallback only guards the contract.
    a.as_slice().map(Box::from).unwrap_or_else(|| a.iter().copied().collect())
}

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
    /// The view of `codes` (n × dims, e.g. from `Playground.encode_test`).
    #[wasm_bindgen(constructor)]
    pub fn new(codes: &[f32], dims: usize) -> Result<LatentView, JsError> {
        Ok(LatentView { view: latent::LatentView::new(code_rows(codes, dims, "codes")?, None)? })
    }

    /// A view of new codes (same size) whose principal components keep this
    /// view's orientation, so refreshing the plot as training moves the codes
    /// never flips it.
    pub fn follow(&self, codes: &[f32]) -> Result<LatentView, JsError> {
        let z = code_rows(codes, self.view.dims(), "codes")?;
        Ok(LatentView { view: latent::LatentView::new(z, Some(&self.view))? })
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
        let found = self.view.neighbours(code, k.min(MAX_IMAGES))?;
        let indices: Vec<u32> = found.iter().map(|n| n.index as u32).collect();
        let distances: Vec<f32> = found.iter().map(|n| n.distance).collect();
        let o: JsValue = js_sys::Object::new().into();
        set(&o, "indices", js_sys::Uint32Array::from(&indices[..]).into());
        set(&o, "distances", js_sys::Float32Array::from(&distances[..]).into());
        Ok(o)
    }
}

/// Largest manifold side the page may ask for (n² decodes).
const MAX_GRID: usize = 50;

/// `values` as an (n, width) view, after checking the shape and that every number is finite.
fn code_view<'a>(values: &'a [f32], width: usize, what: &str) -> Result<ArrayView2<'a, f32>, JsError> {
    if width == 0 {
        return Err(fail(format!("{what}: a latent space needs at least one dimension")));
    }
    let n = whole_rows(values, width, what)?;
    if !values.iter().all(|v| v.is_finite()) {
        return Err(fail(format!("{what} must be finite numbers")));
    }
    ArrayView2::from_shape((n, width), values).map_err(|e| fail(e.to_string()))
}

fn code_rows(values: &[f32], width: usize, what: &str) -> Result<Array2<f32>, JsError> {
    Ok(code_view(values, width, what)?.to_owned())
}
