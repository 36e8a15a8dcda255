//! `Playground`: a model with its trainer. Here: building one (fresh, or
//! from a saved file), saving it, what it is (the getters), and the checks
//! every request makes of what JavaScript hands in. Training and
//! evaluation are in training.rs, the views' requests in views.rs, the
//! lessons' probes in probes.rs.

use ndarray::ArrayView2;
use wasm_bindgen::prelude::*;

use super::js::{fail, whole_rows};
use super::MnistData;
use crate::config::{ModelConfig, TrainConfig};
use crate::data::{Dataset, DatasetName};
use crate::io;
use crate::models::Generative;
use crate::stats::StatsMean;
use crate::trainer::{EvaluationPass, Trainer};

/// A model, its optimiser and training state.
#[wasm_bindgen]
pub struct Playground {
    pub(super) trainer: Trainer,
    /// A test-set evaluation spread over several calls, and the step it is for.
    pub(super) pass: Option<(EvaluationPass, u64)>,
    /// Training figures since the page last asked for them (`take_train_stats`).
    pub(super) progress: StatsMean,
    pub(super) trained_on: Option<DatasetName>,
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

    pub(super) fn around(trainer: Trainer) -> Playground {
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

    /// The weights alone, with the model's settings: no optimiser state,
    /// generator or counters, so a third of `save`'s bytes with Adam. What the
    /// evaluation worker needs (a test pass depends on the weights only,
    /// `trainer::EvaluationPass`); `load` reads it as a run at its start.
    pub fn save_weights(&mut self) -> Vec<u8> {
        io::save(self.trainer.model.as_mut(), &std::collections::BTreeMap::new())
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

    /// Labels the model reads: a CVAE's conditions, a classifier's outputs
    /// (10, or more with one's own classes: the worker's `own`).
    #[wasm_bindgen(getter)]
    pub fn classes(&self) -> usize {
        self.trainer.model.config().classes
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

    /// The SIMD builds' GEMM (src/gemm) against sums taken in
    /// matrixmultiply's order with this build's own lanes (src/gemm/check.rs):
    /// the number of cases that agree (bit for bit where β is 0 or 1), or an
    /// error naming the first that does not. The build without SIMD
    /// multiplies with matrixmultiply itself.
    pub fn gemm_check(seed: u32) -> Result<u32, JsError> {
        #[cfg(all(target_feature = "simd128", not(feature = "matrixmultiply-wasm")))]
        let result = crate::gemm::check::all::<crate::gemm::lanes::Simd>(seed as u64, crate::gemm::check::Reference::InOrder);
        #[cfg(not(all(target_feature = "simd128", not(feature = "matrixmultiply-wasm"))))]
        let result: Result<usize, String> = Err(format!("seed {seed}: this build multiplies with matrixmultiply, not our kernel"));
        result.map(|n| n as u32).map_err(|e| fail(format!("Our matrix multiply does not sum as matrixmultiply does. {e}")))
    }
}

impl Playground {
    pub(super) fn decoder(&mut self) -> Result<&mut dyn Generative, JsError> {
        self.trainer.model.generative().ok_or_else(|| fail("a classifier has no decoder: it cannot reconstruct, decode or sample"))
    }

    /// The model can take `data`: its image size and, for a model that reads labels, every label.
    pub(super) fn check_input(&self, data: &Dataset) -> Result<(), JsError> {
        Ok(data.check_model(self.trainer.model.config())?)
    }

    /// `pixels` as an (n, input) view, after checking length and values.
    pub(super) fn images<'a>(&self, pixels: &'a [f32], what: &str) -> Result<ArrayView2<'a, f32>, JsError> {
        let d = self.input();
        let n = whole_rows(pixels, d, what)?;
        if !pixels.iter().all(|v| v.is_finite()) {
            return Err(fail(format!("{what} must be finite numbers (0 = black, 1 = white)")));
        }
        ArrayView2::from_shape((n, d), pixels).map_err(|e| fail(e.to_string()))
    }

    /// One label per row, or all zeros when `labels` is empty.
    pub(super) fn labels(&self, labels: &[u8], n: usize) -> Result<Vec<u8>, JsError> {
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

fn parse_train(json: &str) -> Result<TrainConfig, JsError> {
    let cfg: TrainConfig = serde_json::from_str(json).map_err(|e| fail(format!("training settings: {e}")))?;
    cfg.validate()?;
    Ok(cfg)
}
