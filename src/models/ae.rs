//! The deterministic autoencoders: plain (AE), denoising (DAE) and
//! contractive (CAE) share one body; the kind decides the input corruption
//! and the penalty.

use ndarray::{Array1, Array2, Array3, ArrayView2};

use super::{cae, dae, Generative, Model, OutputLikelihood, Stats, TensorVisitor};
use crate::config::{ModelConfig, ModelKind};
use crate::layers::{Activation, Mlp};
use crate::probes::jacobian::encoder_jacobian;
use crate::rng::Rng;
use crate::tensor::ensure_shape;

pub struct Autoencoder {
    cfg: ModelConfig,
    encoder: Mlp, // input → hidden… → latent
    decoder: Mlp, // latent → …hidden → input (logits)
    likelihood: OutputLikelihood,
    xin: Array2<f32>,   // (B, input): the possibly corrupted input
    norms: Array1<f32>, // (latent), CAE: Σ_i W_ij² of the code layer
    scratch: Vec<f32>,  // (latent), CAE: batch sums of s_j² for the weight term
}

impl Autoencoder {
    pub fn new(cfg: &ModelConfig, rng: &mut Rng) -> Autoencoder {
        let mut enc_sizes = vec![cfg.input];
        enc_sizes.extend(&cfg.hidden);
        enc_sizes.push(cfg.latent);
        let dec_sizes: Vec<usize> = enc_sizes.iter().rev().cloned().collect();
        // The CAE's analytic Jacobian needs a sigmoid code; the others keep a linear one.
        let code = if cfg.kind == ModelKind::Cae { Activation::Sigmoid } else { Activation::Identity };
        Autoencoder {
            cfg: cfg.clone(),
            encoder: Mlp::new("encoder", &enc_sizes, cfg.activation, code, cfg.init, rng),
            decoder: Mlp::new("decoder", &dec_sizes, cfg.activation, Activation::Identity, cfg.init, rng),
            likelihood: OutputLikelihood::new(cfg.decoder, cfg.input),
            xin: Array2::zeros((0, 0)),
            norms: Array1::zeros(cfg.latent),
            scratch: vec![0.0; cfg.latent],
        }
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
    /// ∂loss/∂logits in the decoder's output-gradient buffer.
    fn forward_loss(&mut self, x: &ArrayView2<f32>, grads: bool) -> Stats {
        let code = self.encoder.forward(&self.xin.view());
        self.decoder.forward(&code.view());
        let (logits, grad) = self.decoder.output_and_grad();
        // The target is always the clean x: denoising means predicting it from x̃.
        let recon = if grads { self.likelihood.nll(&logits.view(), x, grad) } else { self.likelihood.nll_value(&logits.view(), x, grad) };
        let mut penalty = 0.0;
        if self.contractive() {
            cae::column_norms(self.encoder.layers.last().expect("encoder has layers"), &mut self.norms);
            penalty = cae::penalty(self.encoder.output(), &self.norms, self.cfg.contractive);
        }
        Stats { loss: recon + penalty, recon, penalty, ..Stats::default() }
    }

    /// Backward through decoder and encoder after `forward_loss`, adding the
    /// contractive penalty's gradient for a CAE.
    fn backward(&mut self) {
        self.decoder.backward(&self.encoder.output().view(), true);
        let contractive = self.contractive();
        let lambda = self.cfg.contractive;
        let (h, dh) = self.encoder.output_and_grad();
        dh.assign(self.decoder.input_grad());
        if contractive {
            cae::add_code_grad(h, &self.norms, lambda, dh);
            // The direct term needs no backward pass; both add into the zeroed dw.
            let (layer, h) = self.encoder.last_layer_and_output();
            cae::add_weight_grad(h, lambda, layer, &mut self.scratch);
        }
        self.encoder.backward(&self.xin.view(), false);
    }
}

impl Model for Autoencoder {
    fn config(&self) -> &ModelConfig {
        &self.cfg
    }

    fn compute_grads(&mut self, x: &ArrayView2<f32>, _labels: &[u8], rng: &mut Rng) -> Stats {
        self.encoder.zero_grad();
        self.decoder.zero_grad();
        self.likelihood.zero_grad();
        self.set_input(x, rng);
        let stats = self.forward_loss(x, true);
        self.backward();
        stats
    }

    fn objective(&mut self, x: &ArrayView2<f32>, _labels: &[u8], rng: &mut Rng) -> Stats {
        self.set_input(x, rng);
        self.forward_loss(x, false)
    }

    fn evaluate(&mut self, x: &ArrayView2<f32>, _labels: &[u8], _rng: &mut Rng) -> Stats {
        self.set_clean_input(x);
        self.forward_loss(x, false)
    }

    fn encode(&mut self, x: &ArrayView2<f32>, _labels: &[u8]) -> Array2<f32> {
        self.encoder.forward(x).clone()
    }

    fn code_jacobian(&mut self, x: &ArrayView2<f32>, _labels: &[u8]) -> Option<Array3<f32>> {
        Some(encoder_jacobian(&mut self.encoder, x, x.ncols(), self.cfg.latent))
    }

    fn visit(&mut self, f: &mut TensorVisitor) {
        self.encoder.visit(f);
        self.decoder.visit(f);
        self.likelihood.visit(f);
    }

    fn generative(&mut self) -> Option<&mut dyn Generative> {
        Some(self)
    }
}

impl Generative for Autoencoder {
    fn decode_logits(&mut self, z: &ArrayView2<f32>, _labels: &[u8]) -> Array2<f32> {
        self.decoder.forward(z).clone()
    }
}
