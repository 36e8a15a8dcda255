//! The classifier that judges generated digits: 784-128-10 ReLU, trained on
//! the training set for one epoch (600 batches of 100, about 97% test
//! accuracy). It is no part of any model it judges. The page's workers build
//! the same one (`Playground.judge_classifier`), so a verdict in the page and
//! in tests/claims.rs comes from the same judge.

use ndarray::ArrayView2;

use crate::config::{ModelConfig, ModelKind, TrainConfig};
use crate::data::Dataset;
use crate::error::Result;
use crate::layers::Activation;
use crate::models::{argmax, Model};
use crate::optim::OptimizerKind;
use crate::trainer::Trainer;

/// One epoch of MNIST at batch 100.
pub const JUDGE_BATCHES: usize = 600;

pub fn judge_configs() -> (ModelConfig, TrainConfig) {
    let model = ModelConfig { kind: ModelKind::Classifier, input: 784, hidden: vec![128], classes: 10, activation: Activation::Relu, ..ModelConfig::default() };
    let train = TrainConfig { optimizer: OptimizerKind::Adam, lr: 0.002, batch: 100, seed: 1, ..TrainConfig::default() };
    (model, train)
}

/// The judge, trained.
pub fn train_judge(train: &Dataset) -> Result<Trainer> {
    let (m, t) = judge_configs();
    let mut judge = Trainer::new(&m, &t)?;
    judge.train_batches(train, JUDGE_BATCHES)?;
    Ok(judge)
}

/// The judge's probability of its most likely class, for each of `images`.
pub fn top_probabilities(judge: &mut dyn Model, images: &ArrayView2<f32>) -> Vec<f64> {
    let probs = judge.encode(images, &vec![0; images.nrows()]);
    probs.rows().into_iter().map(|r| r[argmax(r.as_slice().expect("contiguous"))] as f64).collect()
}

/// The share of `images` the judge gives each class (its most likely one), in class order.
pub fn class_shares(judge: &mut dyn Model, images: &ArrayView2<f32>) -> Vec<f64> {
    let probs = judge.encode(images, &vec![0; images.nrows()]);
    let mut counts = vec![0usize; probs.ncols()];
    for r in probs.rows() {
        counts[argmax(r.as_slice().expect("contiguous"))] += 1;
    }
    counts.iter().map(|&c| c as f64 / images.nrows().max(1) as f64).collect()
}

/// The share of `images` whose most likely class has probability above `threshold`.
pub fn confident_share(judge: &mut dyn Model, images: &ArrayView2<f32>, threshold: f32) -> f64 {
    let top = top_probabilities(judge, images);
    top.iter().filter(|&&p| p > threshold as f64).count() as f64 / top.len().max(1) as f64
}
