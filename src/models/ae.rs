//! The deterministic autoencoders: plain (AE), denoising (DAE) and
//! contractive (CAE) share one body; the kind decides the input corruption
//! and the penalty.

use ndarray::{Array2, ArrayView2};

use super::{cae, dae, means_from_logits, visit_mlp, Model, OutputLikelihood, Stats, TensorVisitor};
use crate::config::{ModelConfig, ModelKind};
use crate::layers::{Activation, Mlp};
use crate::rng::Rng;

pub struct Autoencoder {
    cfg: ModelConfig,
    pub encoder: Mlp, // input → hidden… → latent
    pub decoder: Mlp, // latent → …hidden → input (logits)
    pub likelihood: OutputLikelihood,
    xin: Array2<f32>, // (B, input): the possibly corrupted input
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
            encoder: Mlp::new(&enc_sizes, cfg.activation, code, cfg.init, rng),
            decoder: Mlp::new(&dec_sizes, cfg.activation, Activation::Identity, cfg.init, rng),
            likelihood: OutputLikelihood::new(cfg.decoder, cfg.input),
            xin: Array2::zeros((0, 0)),
        }
    }

    fn forward(&mut self, x: &ArrayView2<f32>, rng: &mut Rng, corrupt: bool, backward: bool) -> Stats {
        crate::tensor::ensure_shape(&mut self.xin, x.nrows(), x.ncols());
        if corrupt && self.cfg.kind == ModelKind::Dae {
            dae::corrupt(x, self.cfg.noise, self.cfg.noise_level, rng, &mut self.xin);
        } else {
            self.xin.assign(x);
        }
        let code = self.encoder.forward(&self.xin.view());
        self.decoder.forward(&code.view());
        let (logits, grad) = self.decoder.output_and_grad();
        // The target is always the clean x: denoising means predicting it from x̃.
        let recon = self.likelihood.nll(&logits.view(), x, grad);
        let mut penalty = 0.0;
        let lambda = self.cfg.contractive;
        let contractive = self.cfg.kind == ModelKind::Cae && lambda > 0.0;
        let norms = contractive.then(|| cae::column_norms(self.encoder.layers.last().expect("encoder has layers")));
        if let Some(norms) = &norms {
            penalty = cae::penalty(self.encoder.output(), norms, lambda);
        }
        if backward {
            self.decoder.backward(&self.encoder.output().view(), true);
            let (h, dh) = self.encoder.output_and_grad();
            dh.assign(self.decoder.input_grad());
            if let Some(norms) = &norms {
                cae::add_code_grad(h, norms, lambda, dh);
                // The direct term needs no backward pass; both add into the zeroed dw.
                let (layer, h) = self.encoder.last_layer_and_output();
                cae::add_weight_grad(h, lambda, layer);
            }
            self.encoder.backward(&self.xin.view(), false);
        }
        Stats { loss: recon + penalty, recon, penalty, ..Stats::default() }
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
        self.forward(x, rng, true, true)
    }

    fn objective(&mut self, x: &ArrayView2<f32>, _labels: &[u8], rng: &mut Rng) -> Stats {
        self.forward(x, rng, true, false)
    }

    fn evaluate(&mut self, x: &ArrayView2<f32>, _labels: &[u8], rng: &mut Rng) -> Stats {
        self.forward(x, rng, false, false)
    }

    fn encode(&mut self, x: &ArrayView2<f32>, _labels: &[u8]) -> Array2<f32> {
        self.encoder.forward(x).clone()
    }

    fn decode(&mut self, z: &ArrayView2<f32>, _labels: &[u8]) -> Array2<f32> {
        means_from_logits(self.decoder.forward(z))
    }

    fn visit(&mut self, f: &mut TensorVisitor) {
        visit_mlp("encoder", &mut self.encoder, f);
        visit_mlp("decoder", &mut self.decoder, f);
        self.likelihood.visit(f);
    }
}
