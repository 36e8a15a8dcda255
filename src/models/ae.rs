//! The deterministic autoencoders: plain (AE), denoising (DAE) and
//! contractive (CAE) share one body; the kind decides the input corruption
//! and the penalty.

use ndarray::{Array2, Array3, ArrayView2};

use super::{cae, dae, EncoderDecoder, Generative, Model, Stats, TensorVisitor};
use crate::config::{ModelConfig, ModelKind};
use crate::rng::Rng;
use crate::tensor::ensure_shape;

pub struct Autoencoder {
    cfg: ModelConfig,
    net: EncoderDecoder,           // input → hidden… → latent → …hidden → input (logits)
    xin: Array2<f32>,              // (B, input): the possibly corrupted input
    contraction: cae::Contraction, // CAE: the tangent pass's buffers
}

impl Autoencoder {
    pub fn new(cfg: &ModelConfig, rng: &mut Rng) -> Autoencoder {
        // Every kind has a linear code: a CAE differs from an AE by its penalty alone.
        Autoencoder { cfg: cfg.clone(), net: EncoderDecoder::new(cfg, rng), xin: Array2::zeros((0, 0)), contraction: cae::Contraction::default() }
    }

    fn contractive(&self) -> bool {
        self.cfg.kind == ModelKind::Cae && self.cfg.contractive > 0.0
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
    /// λ > 0 draws its probe ε from `rng` (after any corruption noise).
    fn forward_loss(&mut self, x: &ArrayView2<f32>, grads: bool, rng: &mut Rng) -> Stats {
        let recon = self.net.reconstruction_nll(&self.xin.view(), x, grads);
        let mut penalty = 0.0;
        if self.contractive() {
            penalty = self.contraction.forward(&self.net.encoder, self.cfg.contractive, rng);
        }
        Stats { loss: recon + penalty, recon, penalty, ..Stats::default() }
    }

    /// Backward through decoder and encoder after `forward_loss`, adding the
    /// contractive penalty's gradient for a CAE.
    fn backward(&mut self) {
        if self.contractive() {
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
        let stats = self.forward_loss(x, true, rng);
        self.backward();
        stats
    }

    fn objective(&mut self, x: &ArrayView2<f32>, _labels: &[u8], rng: &mut Rng) -> Stats {
        self.set_input(x, rng);
        self.forward_loss(x, false, rng)
    }

    fn evaluate(&mut self, x: &ArrayView2<f32>, _labels: &[u8], rng: &mut Rng) -> Stats {
        self.set_clean_input(x);
        self.forward_loss(x, false, rng)
    }

    fn encode(&mut self, x: &ArrayView2<f32>, _labels: &[u8]) -> Array2<f32> {
        self.net.encode(x)
    }

    fn code_jacobian(&mut self, x: &ArrayView2<f32>, _labels: &[u8]) -> Option<Array3<f32>> {
        Some(self.net.code_jacobian(x, x.ncols(), self.cfg.latent))
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
