//! Models: each is a struct of parameters built from a `ModelConfig`. Every
//! model trains and encodes (`Model`); those with a decoder, every kind but
//! the classifier, also decode (`Generative`), and share their encoder,
//! decoder and likelihood (`encoder_decoder.rs`).
pub(crate) mod aae;
pub(crate) mod ae;
pub(crate) mod cae;
pub(crate) mod classifier;
pub(crate) mod dae;
pub(crate) mod encoder_decoder;
pub(crate) mod hash;
pub(crate) mod vae;
pub(crate) mod vaegan;

use ndarray::{Array2, Array3, ArrayView2};

pub use crate::layers::TensorVisitor;
pub use crate::stats::Stats;
pub use aae::{Adversarial, Group, Phase};
pub use classifier::argmax;
pub use dae::corrupt;
pub(crate) use encoder_decoder::{EncoderDecoder, OutputLikelihood};

use crate::config::{ModelConfig, ModelKind};
use crate::error::Result;
use crate::rng::Rng;

pub trait Model {
    fn config(&self) -> &ModelConfig;
    /// Zeroes the gradients, then forward and backward on the batch: the
    /// gradient of the training objective (noise drawn from `rng`) lands in
    /// the parameters' gradient buffers. Returns the batch's loss terms.
    fn compute_grads(&mut self, x: &ArrayView2<f32>, labels: &[u8], rng: &mut Rng) -> Stats;
    /// The training objective alone, drawing the same noise as `compute_grads`
    /// from the same `rng` state (finite-difference checks rely on it).
    fn objective(&mut self, x: &ArrayView2<f32>, labels: &[u8], rng: &mut Rng) -> Stats;
    /// Test-time loss: clean inputs for the DAE, no penalty weight change; for
    /// VAEs a single-sample negative ELBO with `rng` supplying ε.
    fn evaluate(&mut self, x: &ArrayView2<f32>, labels: &[u8], rng: &mut Rng) -> Stats;
    /// Codes `(B, latent)`: the mean for VAEs. Classifiers return class probabilities.
    fn encode(&mut self, x: &ArrayView2<f32>, labels: &[u8]) -> Array2<f32>;
    /// Log-variances of q(z|x) `(B, latent)`, VAEs only.
    fn encode_logvar(&mut self, _x: &ArrayView2<f32>, _labels: &[u8]) -> Option<Array2<f32>> {
        None
    }
    /// The encoder's exact Jacobian ∂code/∂x `(B, latent, input)` (code = the
    /// mean for VAEs), by one backward pass per code dimension
    /// (`probes::jacobian`); None for a classifier. Overwrites the gradient
    /// buffers, as `compute_grads` does.
    fn code_jacobian(&mut self, _x: &ArrayView2<f32>, _labels: &[u8]) -> Option<Array3<f32>> {
        None
    }
    /// KL of each latent dimension from the last batch (VAEs; empty otherwise).
    fn kl_per_dim(&self) -> &[f32] {
        &[]
    }
    /// Visits every parameter tensor in a fixed order with a stable name.
    fn visit(&mut self, f: &mut TensorVisitor);
    /// The model's decoding side, if it has one (not a classifier).
    fn generative(&mut self) -> Option<&mut dyn Generative> {
        None
    }
    /// A model trained as a game of several objectives (the AAE); the trainer
    /// then runs its phases instead of `compute_grads`.
    fn adversarial(&mut self) -> Option<&mut dyn Adversarial> {
        None
    }
}

/// A model with a decoder: codes become images.
pub trait Generative: Model {
    /// Decoder logits s `(B, input)` for codes `z: (B, latent)`: the
    /// likelihoods take these (see `loss`), the means are σ(s).
    fn decode_logits(&mut self, z: &ArrayView2<f32>, labels: &[u8]) -> Array2<f32>;
    /// Decoder means in [0,1] `(B, input)` for codes `z: (B, latent)`.
    fn decode(&mut self, z: &ArrayView2<f32>, labels: &[u8]) -> Array2<f32> {
        means_from_logits(&self.decode_logits(z, labels))
    }
    /// x → code → decoder mean, deterministically (z = μ for VAEs).
    fn reconstruct(&mut self, x: &ArrayView2<f32>, labels: &[u8]) -> Array2<f32> {
        let z = self.encode(x, labels);
        self.decode(&z.view(), labels)
    }
    /// Draws `labels.len()` images from the prior: z ~ p(z), then the
    /// decoder's mean. VAEs (N(0, I)) and the AAE (its chosen prior) have
    /// one, the others not (None); `labels` condition a CVAE and pick a
    /// labelled AAE's part of the prior.
    fn sample(&mut self, labels: &[u8], rng: &mut Rng) -> Option<Array2<f32>> {
        let z = self.prior_samples(labels, rng)?;
        Some(self.decode(&z.view(), labels))
    }
    /// `labels.len()` codes `(n, latent)` drawn from the prior, if the model has one.
    fn prior_samples(&mut self, _labels: &[u8], _rng: &mut Rng) -> Option<Array2<f32>> {
        None
    }
}

/// Builds the model a config describes, with weights drawn from `rng`.
pub fn build(cfg: &ModelConfig, rng: &mut Rng) -> Result<Box<dyn Model>> {
    cfg.validate()?;
    Ok(match cfg.kind {
        ModelKind::Ae | ModelKind::Dae | ModelKind::Cae | ModelKind::Hash => Box::new(ae::Autoencoder::new(cfg, rng)),
        ModelKind::Vae | ModelKind::Cvae => Box::new(vae::Vae::new(cfg, rng)),
        ModelKind::Classifier => Box::new(classifier::Classifier::new(cfg, rng)),
        ModelKind::Aae => Box::new(aae::Aae::new(cfg, rng)),
        ModelKind::Vaegan => Box::new(vaegan::VaeGan::new(cfg, rng)),
    })
}

/// Logits → decoder means in [0,1] (sigmoid for every decoder kind).
pub(crate) fn means_from_logits(logits: &Array2<f32>) -> Array2<f32> {
    logits.mapv(crate::layers::activation::sigmoid)
}

/// Appends one-hot labels to each row of `x`: `[x | onehot(label)]`.
pub(crate) fn with_onehot(x: &ArrayView2<f32>, labels: &[u8], classes: usize, out: &mut Array2<f32>) {
    let (b, d) = x.dim();
    crate::tensor::ensure_shape(out, b, d + classes);
    out.slice_mut(ndarray::s![.., ..d]).assign(x);
    set_onehot(labels, classes, out, d);
}

/// Writes one-hot labels into columns `offset..offset + classes` of `out`
/// (nothing when `classes` is 0).
pub(crate) fn set_onehot(labels: &[u8], classes: usize, out: &mut Array2<f32>, offset: usize) {
    if classes == 0 {
        return;
    }
    out.slice_mut(ndarray::s![.., offset..offset + classes]).fill(0.0);
    for (r, &l) in labels.iter().enumerate().take(out.nrows()) {
        out[[r, offset + (l as usize).min(classes - 1)]] = 1.0;
    }
}
