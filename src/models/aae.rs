//! The adversarial autoencoder (Makhzani et al. 2015): an autoencoder whose
//! codes a discriminator on the code space compares with samples of a prior
//! p(z); the encoder learns to make its codes pass for prior samples, which
//! shapes the aggregate posterior q(z) = E_x q(z|x) into p(z) with no KL term.
//!
//! One batch is three phases (sec. 2 of the paper), each its own objective
//! with its own gradient; the trainer applies each with its own optimiser:
//! 1. reconstruction: −log p(x | dec(enc(x))) on the encoder and decoder;
//! 2. discriminator: the Bernoulli NLL of "prior sample" (target 1) for
//!    z ~ p(z) and of "code" (target 0) for enc(x), on the discriminator;
//! 3. generator: −log D(enc(x)), the non-saturating form (Goodfellow et al.
//!    2014, sec. 3), on the encoder alone.
//!
//! With `aae_labels` the discriminator reads `[z | onehot(y)]` and a prior
//! sample for label y comes from y's part of the prior, so each class is
//! pushed into its own component (sec. 5 of the paper, "incorporating label
//! information"). The discriminator's verdicts are Bernoulli likelihoods from
//! logits, `loss::bernoulli_nll`, so no ln 0 can appear.
//!
//! For the swiss roll the discriminator reads its inputs through noise: the
//! same Gaussian noise (`prior::instance_noise`) is added to the prior
//! samples and to the codes, in both phases and in `evaluate`.

use ndarray::{s, Array2, Array3, ArrayView2};

use super::{set_onehot, EncoderDecoder, Generative, Model, Stats, TensorVisitor};
use crate::config::ModelConfig;
use crate::layers::{Activation, Mlp};
use crate::loss::bernoulli_nll;
use crate::prior;
use crate::rng::Rng;
use crate::tensor::ensure_shape;

/// The phases of one adversarial training step, in the order they run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Reconstruction,
    Discriminator,
    Generator,
    /// VAE-GAN (`vaegan.rs`): the encoder's objective, then the decoder's.
    Encoder,
    Decoder,
}

/// Which parameters a phase updates (and so which optimiser steps them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    /// Encoder and decoder (and a learned output variance).
    Autoencoder,
    Discriminator,
    /// The encoder alone.
    Encoder,
    /// The decoder alone (and a learned output variance): VAE-GAN.
    Decoder,
}

impl Phase {
    pub fn group(self) -> Group {
        match self {
            Phase::Reconstruction => Group::Autoencoder,
            Phase::Discriminator => Group::Discriminator,
            Phase::Generator | Phase::Encoder => Group::Encoder,
            Phase::Decoder => Group::Decoder,
        }
    }
}

/// A model trained by a game instead of one objective: the trainer runs the
/// phases with one optimiser per group. `phase_grads` zeroes and fills the
/// gradients of the phase's group only; `phase_objective` is the same
/// objective without gradients, drawing the same noise from the same `rng`.
pub trait Adversarial {
    /// This batch's `i`-th phase, None after the last: the AAE's
    /// reconstruction, discriminator and `gen_steps` generator steps unless
    /// the model says otherwise. One at a time, not a list: a batch
    /// allocates nothing (tests/alloc.rs).
    fn phase(&self, i: usize, gen_steps: usize) -> Option<Phase> {
        match i {
            0 => Some(Phase::Reconstruction),
            1 => Some(Phase::Discriminator),
            _ => (i < 2 + gen_steps).then_some(Phase::Generator),
        }
    }
    /// After `phase_grads`: whether this batch leaves the phase's parameters
    /// alone (a game balanced by who is ahead, `vaegan.rs`).
    fn skip(&self, _phase: Phase) -> bool {
        false
    }
    fn phase_grads(&mut self, phase: Phase, x: &ArrayView2<f32>, labels: &[u8], rng: &mut Rng) -> Stats;
    fn phase_objective(&mut self, phase: Phase, x: &ArrayView2<f32>, labels: &[u8], rng: &mut Rng) -> Stats;
    /// Visits the group's tensors, in the order (and with the names) of `Model::visit`.
    fn visit_group(&mut self, group: Group, f: &mut TensorVisitor);
}

pub struct Aae {
    cfg: ModelConfig,
    net: EncoderDecoder,  // x → hidden… → z (latent), linear code → …hidden → logits (input)
    disc: Mlp,            // [z | onehot(y)] → disc_hidden… → logit (1)
    disc_in: Array2<f32>, // (B, latent [+ classes]): prior samples or codes, beside one-hot labels
    targets: Array2<f32>, // (B, 1): 1 for prior samples, 0 for codes (1 for codes in the generator phase)
}

impl Aae {
    pub fn new(cfg: &ModelConfig, rng: &mut Rng) -> Aae {
        let disc_sizes = crate::model_size::disc_sizes(cfg);
        // The discriminator's weights are drawn after the encoder's and decoder's.
        Aae {
            cfg: cfg.clone(),
            net: EncoderDecoder::new(cfg, rng),
            disc: Mlp::new("discriminator", &disc_sizes, cfg.activation, Activation::Identity, cfg.init, rng),
            disc_in: Array2::zeros((0, 0)),
            targets: Array2::zeros((0, 0)),
        }
    }

    /// Columns the label adds to the discriminator's input.
    fn extra(cfg: &ModelConfig) -> usize {
        if cfg.aae_labels {
            cfg.classes
        } else {
            0
        }
    }

    /// Reconstruction: encode, decode, −log p(x|z); ∂/∂logits in the decoder's gradient buffer.
    fn recon_forward(&mut self, x: &ArrayView2<f32>) -> Stats {
        // With the gradient even for `phase_objective`: the value is the same either way.
        let recon = self.net.reconstruction_nll(x, x, true);
        Stats { loss: recon, recon, ..Stats::default() }
    }

    /// Discriminator: B prior samples (drawn from `rng`, each from its
    /// label's part when labels are on) with target 1, then the B codes with
    /// target 0; the Bernoulli NLL of the right answer averaged over all 2B.
    /// The two halves go through the discriminator one after the other, each
    /// backward (with `grads`) right after its forward, so every buffer keeps
    /// the batch's shape and its gradient adds into the same `dw`.
    fn disc_phase(&mut self, x: &ArrayView2<f32>, labels: &[u8], rng: &mut Rng, grads: bool) -> Stats {
        let (b, k) = (x.nrows(), self.cfg.latent);
        ensure_shape(&mut self.disc_in, b, k + Self::extra(&self.cfg));
        for (r, mut row) in self.disc_in.rows_mut().into_iter().enumerate() {
            let z = row.as_slice_mut().expect("contiguous");
            prior::sample_into(self.cfg.prior, self.cfg.aae_labels.then(|| labels[r]), rng, &mut z[..k]);
        }
        self.add_instance_noise(rng);
        // The same labels on both halves: the discriminator judges a code given its class.
        set_onehot(labels, Self::extra(&self.cfg), &mut self.disc_in, k);
        let (from_prior, right_prior) = self.judge(1.0, 0.5);
        if grads {
            self.disc.backward(&self.disc_in.view(), false);
        }
        self.set_codes(x, labels);
        self.add_instance_noise(rng);
        let (from_codes, right_codes) = self.judge(0.0, 0.5);
        if grads {
            self.disc.backward(&self.disc_in.view(), false);
        }
        let disc_loss = 0.5 * (from_prior + from_codes);
        Stats { loss: disc_loss, disc_loss, disc_accuracy: (right_prior + right_codes) as f32 / (2 * b) as f32, ..Stats::default() }
    }

    /// Adds the prior's instance noise (σ = `prior::instance_noise`, none for
    /// most priors) to the codes or prior samples in `disc_in`, the labels'
    /// columns untouched. Its derivative is 1, so the backward passes need no change.
    fn add_instance_noise(&mut self, rng: &mut Rng) {
        let sigma = prior::instance_noise(self.cfg.prior);
        if sigma > 0.0 {
            let k = self.cfg.latent;
            self.disc_in.slice_mut(s![.., ..k]).iter_mut().for_each(|v| *v += sigma * rng.normal());
        }
    }

    /// Encodes `x` into the discriminator's input, beside the one-hot labels.
    fn set_codes(&mut self, x: &ArrayView2<f32>, labels: &[u8]) {
        let (b, k, extra) = (x.nrows(), self.cfg.latent, Self::extra(&self.cfg));
        let code = self.net.encoder.forward(x);
        ensure_shape(&mut self.disc_in, b, k + extra);
        self.disc_in.slice_mut(s![.., ..k]).assign(code);
        set_onehot(labels, extra, &mut self.disc_in, k);
    }

    /// The discriminator on `disc_in`, every row scored against `target`
    /// (1: prior sample, 0: code): the batch-mean Bernoulli NLL, with its
    /// gradient times `weight` in the output-gradient buffer, and how many
    /// rows it got right (logit above 0 means "prior").
    fn judge(&mut self, target: f32, weight: f32) -> (f32, usize) {
        ensure_shape(&mut self.targets, self.disc_in.nrows(), 1);
        self.targets.fill(target);
        self.disc.forward(&self.disc_in.view());
        let (logits, grad) = self.disc.output_and_grad();
        let nll = bernoulli_nll(&logits.view(), &self.targets.view(), grad);
        if weight != 1.0 {
            grad.iter_mut().for_each(|g| *g *= weight);
        }
        let right = logits.iter().filter(|&&s| (s > 0.0) == (target > 0.5)).count();
        (nll, right)
    }

    /// Generator: the codes (with the instance noise the discriminator was
    /// trained to see) through the discriminator, scored against the target
    /// "prior sample": −ln D(enc(x) + noise) = softplus(−s), batch mean.
    fn gen_forward(&mut self, x: &ArrayView2<f32>, labels: &[u8], rng: &mut Rng) -> Stats {
        self.set_codes(x, labels);
        self.add_instance_noise(rng);
        let (gen_loss, fooled) = self.judge(1.0, 1.0);
        Stats { loss: gen_loss, gen_loss, disc_accuracy: 1.0 - fooled as f32 / x.nrows() as f32, ..Stats::default() }
    }

    /// Backward from the generator's loss through the discriminator (its own
    /// gradients are computed but belong to no update: the phase's group is
    /// the encoder) into the code, then through the encoder.
    fn gen_backward(&mut self, x: &ArrayView2<f32>) {
        let k = self.cfg.latent;
        self.disc.backward(&self.disc_in.view(), true);
        let (_, dz) = self.net.encoder.output_and_grad();
        dz.assign(&self.disc.input_grad().slice(s![.., ..k]));
        self.net.encoder.backward(x, false);
    }

    fn zero_group(&mut self, group: Group) {
        match group {
            Group::Autoencoder => self.net.zero_grad(),
            Group::Discriminator => self.disc.zero_grad(),
            Group::Encoder => self.net.encoder.zero_grad(),
            Group::Decoder => self.net.decoder.zero_grad(),
        }
    }
}

impl Adversarial for Aae {
    fn phase_grads(&mut self, phase: Phase, x: &ArrayView2<f32>, labels: &[u8], rng: &mut Rng) -> Stats {
        self.zero_group(phase.group());
        match phase {
            Phase::Reconstruction | Phase::Encoder | Phase::Decoder => {
                let stats = self.recon_forward(x);
                self.net.backward(x);
                stats
            }
            Phase::Discriminator => self.disc_phase(x, labels, rng, true),
            Phase::Generator => {
                let stats = self.gen_forward(x, labels, rng);
                self.gen_backward(x);
                stats
            }
        }
    }

    fn phase_objective(&mut self, phase: Phase, x: &ArrayView2<f32>, labels: &[u8], rng: &mut Rng) -> Stats {
        match phase {
            Phase::Reconstruction | Phase::Encoder | Phase::Decoder => self.recon_forward(x),
            Phase::Discriminator => self.disc_phase(x, labels, rng, false),
            Phase::Generator => self.gen_forward(x, labels, rng),
        }
    }

    fn visit_group(&mut self, group: Group, f: &mut TensorVisitor) {
        match group {
            Group::Autoencoder => self.net.visit(f),
            Group::Discriminator => self.disc.visit(f),
            Group::Encoder => self.net.encoder.visit(f),
            Group::Decoder => self.net.decoder.visit(f),
        }
    }
}

impl Model for Aae {
    fn config(&self) -> &ModelConfig {
        &self.cfg
    }

    /// The reconstruction phase's gradient: the one objective an AAE has on
    /// its own (the other two are a game; the trainer runs them through `Adversarial`).
    fn compute_grads(&mut self, x: &ArrayView2<f32>, labels: &[u8], rng: &mut Rng) -> Stats {
        self.phase_grads(Phase::Reconstruction, x, labels, rng)
    }

    fn objective(&mut self, x: &ArrayView2<f32>, _labels: &[u8], _rng: &mut Rng) -> Stats {
        self.recon_forward(x)
    }

    /// Test figures: reconstruction NLL, and the discriminator's loss and
    /// accuracy on the codes against as many prior samples from `rng`.
    fn evaluate(&mut self, x: &ArrayView2<f32>, labels: &[u8], rng: &mut Rng) -> Stats {
        let recon = self.recon_forward(x);
        let disc = self.disc_phase(x, labels, rng, false);
        let gen = self.gen_forward(x, labels, rng);
        let codes = self.net.encode(x);
        let fit = prior::fit(self.cfg.prior, &codes.view(), labels, codes.nrows(), rng);
        let own_part = match fit.component_accuracy {
            Some(share) if self.cfg.aae_labels => share as f32,
            _ => f32::NAN,
        };
        Stats {
            loss: recon.recon,
            recon: recon.recon,
            disc_loss: disc.disc_loss,
            disc_accuracy: disc.disc_accuracy,
            gen_loss: gen.gen_loss,
            prior_mmd2: fit.mmd2 as f32,
            own_part,
            ..Stats::default()
        }
    }

    fn encode(&mut self, x: &ArrayView2<f32>, _labels: &[u8]) -> Array2<f32> {
        self.net.encode(x)
    }

    fn code_jacobian(&mut self, x: &ArrayView2<f32>, _labels: &[u8]) -> Option<Array3<f32>> {
        Some(self.net.code_jacobian(x, x.ncols(), self.cfg.latent))
    }

    /// Encoder, decoder, output variance, then the discriminator: a file
    /// holds them all, and a snapshot rolls them all back.
    fn visit(&mut self, f: &mut TensorVisitor) {
        self.net.visit(f);
        self.disc.visit(f);
    }

    fn generative(&mut self) -> Option<&mut dyn Generative> {
        Some(self)
    }

    fn adversarial(&mut self) -> Option<&mut dyn Adversarial> {
        Some(self)
    }
}

impl Generative for Aae {
    fn decode_logits(&mut self, z: &ArrayView2<f32>, _labels: &[u8]) -> Array2<f32> {
        self.net.decode_logits(z)
    }

    /// Decodes prior samples; with labels on, each from its label's part of the prior.
    fn sample(&mut self, labels: &[u8], rng: &mut Rng) -> Option<Array2<f32>> {
        let z = self.prior_samples(labels, rng)?;
        Some(self.decode(&z.view(), labels))
    }

    fn prior_samples(&mut self, labels: &[u8], rng: &mut Rng) -> Option<Array2<f32>> {
        let by_label = self.cfg.aae_labels.then_some(labels);
        Some(prior::sample(self.cfg.prior, self.cfg.latent, labels.len(), by_label, rng))
    }
}
