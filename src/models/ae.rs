//! The deterministic autoencoders: plain (AE), denoising (DAE), contractive
//! (CAE) and semantic hashing (hash) share one body; the kind decides the
//! input corruption, the penalty, and whether the code is a noisy sigmoid.

use ndarray::{Array2, Array3, ArrayView2};

use super::{cae, dae, hash, EncoderDecoder, Generative, Model, Stats, TensorVisitor};
use crate::config::{ModelConfig, ModelKind};
use crate::rng::Rng;
use crate::tensor::ensure_shape;

pub struct Autoencoder {
    cfg: ModelConfig,
    net: EncoderDecoder,           // input → hidden… → latent → …hidden → input (logits)
    xin: Array2<f32>,              // (B, input): the possibly corrupted input
    contraction: cae::Contraction, // CAE: the tangent pass's buffers
    binary: hash::SigmoidCode,     // hash: the code the decoder read
}

impl Autoencoder {
    pub fn new(cfg: &ModelConfig, rng: &mut Rng) -> Autoencoder {
        // The encoder's output is linear in every kind: a CAE differs from an
        // AE by its penalty alone, and the hash model puts its sigmoid after it.
        let net = EncoderDecoder::new(cfg, rng);
        Autoencoder { cfg: cfg.clone(), net, xin: Array2::zeros((0, 0)), contraction: cae::Contraction::default(), binary: hash::SigmoidCode::default() }
    }

    fn contractive(&self) -> bool {
        self.cfg.kind == ModelKind::Cae && self.cfg.contractive > 0.0
    }

    fn binary(&self) -> bool {
        self.cfg.kind == ModelKind::Hash
    }

    /// The encoder's input is x̃ ~ q(x̃|x) for a DAE in training, x otherwise.
    fn set_input(&mut self, x: &ArrayView2<f32>, rng: &mut Rng) {
        ensure_shape(&mut self.xin, x.nrows(), x.ncols());
        if self.cfg.kind == ModelKind::Dae {
            dae::corrupt(x, self.cfg.noise, self.cfg.noise_level, rng, &mut self.xin);
        } else {
            self.xin.assign(x);
        }
    }

    /// The encoder's input is x itself (test time).
    fn set_clean_input(&mut self, x: &ArrayView2<f32>) {
        ensure_shape(&mut self.xin, x.nrows(), x.ncols());
        self.xin.assign(x);
    }

    /// Forward from `xin`, the loss against the clean `x`, and with `grads`
    /// ∂loss/∂logits in the decoder's output-gradient buffer. A CAE with
    /// λ > 0 draws its probe ε from `rng` (after any corruption noise); a
    /// hash model in training (`train`) draws the noise before its code.
    fn forward_loss(&mut self, x: &ArrayView2<f32>, grads: bool, train: bool, rng: &mut Rng) -> Stats {
        let recon = if self.binary() {
            let noise = train.then_some((self.cfg.code_noise, &mut *rng));
            self.binary.reconstruction_nll(&mut self.net, &self.xin.view(), x, noise, grads)
        } else {
            self.net.reconstruction_nll(&self.xin.view(), x, grads)
        };
        let mut penalty = 0.0;
        if self.contractive() {
            penalty = self.contraction.forward(&self.net.encoder, self.cfg.contractive, rng);
        }
        Stats { loss: recon + penalty, recon, penalty, ..Stats::default() }
    }

    /// Backward through decoder and encoder after `forward_loss`, adding the
    /// contractive penalty's gradient for a CAE.
    fn backward(&mut self) {
        if self.binary() {
            self.binary.backward(&mut self.net, &self.xin.view());
        } else if self.contractive() {
            self.net.backward_to_code();
            // The penalty's weight terms add into the zeroed dw; its f″ terms ride the encoder's backward.
            self.contraction.backward(&mut self.net.encoder, self.cfg.contractive);
            self.net.encoder.backward_with(&self.xin.view(), false, Some(&self.contraction.extra));
        } else {
            self.net.backward(&self.xin.view());
        }
    }
}

impl Model for Autoencoder {
    fn config(&self) -> &ModelConfig {
        &self.cfg
    }

    fn compute_grads(&mut self, x: &ArrayView2<f32>, _labels: &[u8], rng: &mut Rng) -> Stats {
        self.net.zero_grad();
        self.set_input(x, rng);
        let stats = self.forward_loss(x, true, true, rng);
        self.backward();
        stats
    }

    fn objective(&mut self, x: &ArrayView2<f32>, _labels: &[u8], rng: &mut Rng) -> Stats {
        self.set_input(x, rng);
        self.forward_loss(x, false, true, rng)
    }

    fn evaluate(&mut self, x: &ArrayView2<f32>, _labels: &[u8], rng: &mut Rng) -> Stats {
        self.set_clean_input(x);
        self.forward_loss(x, false, false, rng)
    }

    fn encode(&mut self, x: &ArrayView2<f32>, _labels: &[u8]) -> Array2<f32> {
        let a = self.net.encode(x);
        if self.binary() {
            hash::codes(a)
        } else {
            a
        }
    }

    fn code_jacobian(&mut self, x: &ArrayView2<f32>, labels: &[u8]) -> Option<Array3<f32>> {
        let mut j = self.net.code_jacobian(x, x.ncols(), self.cfg.latent);
        if self.binary() {
            // ∂σ(a)/∂x = σ'(a) ∂a/∂x, with σ' = c(1 − c).
            let c = self.encode(x, labels);
            ndarray::Zip::from(j.outer_iter_mut()).and(c.outer_iter()).for_each(|mut j, c| {
                ndarray::Zip::from(j.outer_iter_mut()).and(&c).for_each(|mut row, &c| row *= c * (1.0 - c));
            });
        }
        Some(j)
    }

    fn visit(&mut self, f: &mut TensorVisitor) {
        self.net.visit(f);
    }

    fn generative(&mut self) -> Option<&mut dyn Generative> {
        Some(self)
    }
}

impl Generative for Autoencoder {
    fn decode_logits(&mut self, z: &ArrayView2<f32>, _labels: &[u8]) -> Array2<f32> {
        self.net.decode_logits(z)
    }
}
