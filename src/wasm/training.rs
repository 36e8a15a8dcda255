//! Training and test evaluation, as `Playground` methods: chunks of
//! batches, the figures since the page last asked, and the test pass the
//! worker spreads over its slices.

use wasm_bindgen::prelude::*;

use super::js::set;
use super::{MnistData, Playground};
use crate::stats::{Stats, StatsMean};
use crate::trainer::{Evaluation, EvaluationPass};
use crate::Error;

#[wasm_bindgen]
impl Playground {
    /// Sets the decoder's output bias to the logit of the mean training
    /// image, as the CLI does for a fresh model: training starts from the
    /// average digit instead of spending its first batches finding it.
    pub fn init_output(&mut self, data: &MnistData) {
        self.trainer.init_output(&data.train);
    }

    /// Changes the learning rate from the next batch on, keeping the model
    /// and the optimiser's moments (the page's learning-rate field).
    pub fn set_learning_rate(&mut self, lr: f32) -> Result<(), JsError> {
        Ok(self.trainer.set_learning_rate(lr)?)
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
