//! The variational autoencoder (Kingma & Welling 2014) and, with
//! `kind = Cvae`, its conditional form (Sohn et al. 2015), where a one-hot
//! label is appended to the encoder's input and to the decoder's code.

use ndarray::{s, Array2, Array3, ArrayView2};

use super::{set_onehot, with_onehot, EncoderDecoder, Generative, Model, Stats, TensorVisitor};
use crate::config::ModelConfig;
use crate::loss::{gaussian_kl, LOGVAR_MAX, LOGVAR_MIN};
use crate::rng::Rng;
use crate::tensor::ensure_shape;

pub struct Vae {
    cfg: ModelConfig,
    // encoder: [x | y] → hidden… → [μ | log σ²]   (2·latent)
    // decoder: [z | y] → …hidden → logits        (input)
    net: EncoderDecoder,
    enc_in: Array2<f32>, // (B, input [+ classes])
    eps: Array2<f32>,    // (B, latent), the reparameterisation noise
    z_in: Array2<f32>,   // (B, latent [+ classes])
    dmu: Array2<f32>,    // (B, latent), ∂KL/∂μ
    dlv: Array2<f32>,    // (B, latent), ∂KL/∂log σ²
    kl_dims: Vec<f32>,   // (latent), last batch's KL per dimension
}

impl Vae {
    pub fn new(cfg: &ModelConfig, rng: &mut Rng) -> Vae {
        Vae {
            cfg: cfg.clone(),
            net: EncoderDecoder::new(cfg, rng),
            enc_in: Array2::zeros((0, 0)),
            eps: Array2::zeros((0, 0)),
            z_in: Array2::zeros((0, 0)),
            dmu: Array2::zeros((0, 0)),
            dlv: Array2::zeros((0, 0)),
            kl_dims: vec![0.0; cfg.latent],
        }
    }

    fn conditional(&self) -> bool {
        self.cfg.kind.is_conditional()
    }

    fn prepare_input(&mut self, x: &ArrayView2<f32>, labels: &[u8]) {
        if self.conditional() {
            with_onehot(x, labels, self.cfg.classes, &mut self.enc_in);
        } else {
            ensure_shape(&mut self.enc_in, x.nrows(), x.ncols());
            self.enc_in.assign(x);
        }
    }

    /// Decoder input `[z | onehot(y)]` into `z_in`.
    fn set_code(&mut self, z: &ArrayView2<f32>, labels: &[u8]) {
        if self.conditional() {
            with_onehot(z, labels, self.cfg.classes, &mut self.z_in);
        } else {
            ensure_shape(&mut self.z_in, z.nrows(), z.ncols());
            self.z_in.assign(z);
        }
    }

    /// Encode, draw z = μ + σ ⊙ ε (ε from `rng`), decode; the loss terms, with
    /// ∂recon/∂logits in the decoder's gradient buffer and ∂KL/∂(μ, log σ²) in
    /// `dmu`/`dlv`, ready for `backward` (the first only with `grads`).
    fn forward_loss(&mut self, x: &ArrayView2<f32>, labels: &[u8], rng: &mut Rng, grads: bool) -> Stats {
        let (b, k) = (x.nrows(), self.cfg.latent);
        self.prepare_input(x, labels);
        ensure_shape(&mut self.eps, b, k);
        self.eps.iter_mut().for_each(|e| *e = rng.normal());
        let out = self.net.encoder.forward(&self.enc_in.view());
        // Reparameterisation: z = μ + σ ⊙ ε keeps the sample differentiable in μ and σ.
        // z goes straight into the decoder's input buffer, beside the one-hot label.
        let extra = if self.cfg.kind.is_conditional() { self.cfg.classes } else { 0 };
        ensure_shape(&mut self.z_in, b, k + extra);
        reparameterise(&out.view(), &self.eps, &mut self.z_in.slice_mut(s![.., ..k]));
        set_onehot(labels, extra, &mut self.z_in, k);
        self.net.decoder.forward(&self.z_in.view());
        let recon = self.net.output_nll(x, grads);
        ensure_shape(&mut self.dmu, b, k);
        ensure_shape(&mut self.dlv, b, k);
        let out = self.net.encoder.output();
        let kl = gaussian_kl(&out.slice(s![.., ..k]), &out.slice(s![.., k..]), &mut self.dmu, &mut self.dlv, Some(&mut self.kl_dims));
        // β-VAE (Higgins et al. 2017): the KL term weighs β; recon and KL are still reported unweighted.
        let beta = self.cfg.beta;
        if beta != 1.0 {
            self.dmu.mapv_inplace(|g| beta * g);
            self.dlv.mapv_inplace(|g| beta * g);
        }
        Stats { loss: recon + beta * kl, recon, kl, ..Stats::default() }
    }

    /// Backward through decoder, reparameterisation and encoder after `forward_loss`.
    fn backward(&mut self) {
        self.net.decoder.backward(&self.z_in.view(), true);
        let dz = self.net.decoder.input_grad();
        let (out, g) = self.net.encoder.output_and_grad();
        encoder_grads(out, &dz.view(), &self.eps, &self.dmu, &self.dlv, g);
        self.net.encoder.backward(&self.enc_in.view(), false);
    }
}

/// Reparameterisation: z = μ + σ ⊙ ε, from the encoder's `out = [μ | log σ²]`
/// and ε `(B, latent)` into `z`, which keeps the sample differentiable in μ and σ.
pub(crate) fn reparameterise(out: &ArrayView2<f32>, eps: &Array2<f32>, z: &mut ndarray::ArrayViewMut2<f32>) {
    let k = eps.ncols();
    ndarray::Zip::from(z)
        .and(out.slice(s![.., ..k]))
        .and(out.slice(s![.., k..]))
        .and(eps)
        .for_each(|z, &mu, &lv, &e| *z = mu + (0.5 * lv.clamp(LOGVAR_MIN, LOGVAR_MAX)).exp() * e);
}

/// ∂loss/∂[μ | log σ²] into `g`: ∂/∂z (the first `latent` columns of `dz`)
/// back through `reparameterise`, plus the KL's own gradients `dmu`, `dlv`.
pub(crate) fn encoder_grads(out: &Array2<f32>, dz: &ArrayView2<f32>, eps: &Array2<f32>, dmu: &Array2<f32>, dlv: &Array2<f32>, g: &mut Array2<f32>) {
    let (b, k) = eps.dim();
    for r in 0..b {
        for c in 0..k {
            let lv = out[[r, k + c]];
            let inside = lv > LOGVAR_MIN && lv < LOGVAR_MAX;
            let sigma = (0.5 * lv.clamp(LOGVAR_MIN, LOGVAR_MAX)).exp();
            g[[r, c]] = dz[[r, c]] + dmu[[r, c]];
            // ∂z/∂logσ² = ½σε.
            let through_z = if inside { dz[[r, c]] * eps[[r, c]] * 0.5 * sigma } else { 0.0 };
            g[[r, k + c]] = through_z + dlv[[r, c]];
        }
    }
}

impl Model for Vae {
    fn config(&self) -> &ModelConfig {
        &self.cfg
    }

    fn compute_grads(&mut self, x: &ArrayView2<f32>, labels: &[u8], rng: &mut Rng) -> Stats {
        self.net.zero_grad();
        let stats = self.forward_loss(x, labels, rng, true);
        self.backward();
        stats
    }

    fn objective(&mut self, x: &ArrayView2<f32>, labels: &[u8], rng: &mut Rng) -> Stats {
        self.forward_loss(x, labels, rng, false)
    }

    /// Single-sample estimate of the negative ELBO, recon + KL, with the KL
    /// weighed by β as in training (β = 1: the ELBO itself).
    fn evaluate(&mut self, x: &ArrayView2<f32>, labels: &[u8], rng: &mut Rng) -> Stats {
        self.forward_loss(x, labels, rng, false)
    }

    fn encode(&mut self, x: &ArrayView2<f32>, labels: &[u8]) -> Array2<f32> {
        self.prepare_input(x, labels);
        let k = self.cfg.latent;
        self.net.encoder.forward(&self.enc_in.view()).slice(s![.., ..k]).to_owned()
    }

    fn encode_logvar(&mut self, x: &ArrayView2<f32>, labels: &[u8]) -> Option<Array2<f32>> {
        self.prepare_input(x, labels);
        let k = self.cfg.latent;
        Some(self.net.encoder.forward(&self.enc_in.view()).slice(s![.., k..]).to_owned())
    }

    fn code_jacobian(&mut self, x: &ArrayView2<f32>, labels: &[u8]) -> Option<Array3<f32>> {
        self.prepare_input(x, labels);
        // ∂μ/∂x: the first `latent` outputs, the image's columns of the input (not the CVAE's label).
        Some(self.net.code_jacobian(&self.enc_in.view(), self.cfg.input, self.cfg.latent))
    }

    fn kl_per_dim(&self) -> &[f32] {
        &self.kl_dims
    }

    fn visit(&mut self, f: &mut TensorVisitor) {
        self.net.visit(f);
    }

    fn generative(&mut self) -> Option<&mut dyn Generative> {
        Some(self)
    }
}

impl Generative for Vae {
    fn decode_logits(&mut self, z: &ArrayView2<f32>, labels: &[u8]) -> Array2<f32> {
        self.set_code(z, labels);
        self.net.decode_logits(&self.z_in.view())
    }

    fn prior_samples(&mut self, labels: &[u8], rng: &mut Rng) -> Option<Array2<f32>> {
        Some(Array2::from_shape_simple_fn((labels.len(), self.cfg.latent), || rng.normal()))
    }
}
