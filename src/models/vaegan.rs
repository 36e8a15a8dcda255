//! VAE-GAN (Larsen, Sønderby, Larochelle & Winther 2016, "Autoencoding
//! beyond pixels using a learned similarity metric"): a VAE whose
//! reconstruction is measured in the features of a discriminator's last
//! hidden layer instead of in pixels, and whose decoder also learns to fool
//! that discriminator. Pixel losses reward the mean of every plausible image,
//! hence a VAE's blur; features that tell real images from decoded ones
//! reward images that look real.
//!
//! One batch is three phases, each with its own objective, gradient and
//! optimiser (the trainer runs them, as for the AAE):
//! 1. discriminator (its feature layers and its head): the Bernoulli NLL of
//!    "real" for x, and of "decoded" for the reconstructions x̃ = dec(z),
//!    z ~ q(z|x), and for decodings x_p of prior samples z_p ~ N(0, I);
//! 2. encoder: β·KL(q(z|x) ‖ N(0, I)) + L_feat, where L_feat = ½‖f(x) − f(x̃)‖²
//!    is the feature reconstruction (a unit-variance Gaussian on the features);
//! 3. decoder: γ·L_feat − ln D(x̃) − ln D(x_p), the non-saturating GAN term
//!    (Goodfellow et al. 2014, sec. 3).
//!
//! With a pixel weight w > 0, w·(−ln p(x | x̃)) joins the encoder's and the
//! decoder's objectives. As in the paper's code, the game is balanced by the
//! discriminator's two costs on the batch (`balance`): its update is skipped
//! while it is far ahead, the decoder's while it is far behind. Images reach
//! the discriminator as the decoder's means σ(logits), in [0, 1] like MNIST's.

use ndarray::{s, Array2, Array3, ArrayView2, Zip};

use super::vae::{encoder_grads, reparameterise};
use super::{EncoderDecoder, Generative, Group, Model, Phase, Stats, TensorVisitor};
use crate::config::ModelConfig;
use crate::layers::activation::sigmoid;
use crate::layers::{Activation, ImageFeatures, Mlp};
use crate::loss::{bernoulli_nll, gaussian_kl};
use crate::rng::Rng;
use crate::tensor::ensure_shape;

pub struct VaeGan {
    cfg: ModelConfig,
    net: EncoderDecoder,    // x → hidden… → [μ | log σ²];  z → …hidden → logits
    feat: ImageFeatures,    // image → convolutions…, disc_hidden…: the learned similarity's features f
    head: Mlp,              // f → logit (1): "real"
    eps: Array2<f32>,       // (B, latent): the reparameterisation noise
    z: Array2<f32>,         // (B, latent): the decoder's input, z ~ q(z|x) or z_p ~ p(z)
    image: Array2<f32>,     // (B, input): the decoded means the discriminator sees
    real_feat: Array2<f32>, // (B, features): f(x), the target of the feature reconstruction
    dfeat: Array2<f32>,     // (B, features): ∂loss/∂f(x̃), kept between batches (tests/alloc.rs)
    targets: Array2<f32>,   // (B, 1)
    dmu: Array2<f32>,       // (B, latent), ∂β·KL/∂μ
    dlv: Array2<f32>,       // (B, latent), ∂β·KL/∂log σ²
    kl_dims: Vec<f32>,      // (latent), last batch's KL per dimension
    /// Whether this batch's discriminator and decoder updates run (`balance`).
    train_disc: bool,
    train_dec: bool,
}

impl VaeGan {
    pub fn new(cfg: &ModelConfig, rng: &mut Rng) -> VaeGan {
        let sizes = crate::model_size::disc_sizes(cfg);
        let (dense, last) = (&sizes[..sizes.len() - 1], sizes.len() - 2);
        // The discriminator's weights are drawn after the encoder's and decoder's.
        let net = EncoderDecoder::new(cfg, rng);
        let feat = ImageFeatures::new("discriminator.features", &crate::model_size::disc_convs(cfg), dense, cfg.activation, cfg.init, rng);
        let head = Mlp::new("discriminator.head", &[sizes[last], 1], Activation::Identity, Activation::Identity, cfg.init, rng);
        let zero = || Array2::zeros((0, 0));
        VaeGan {
            cfg: cfg.clone(),
            net,
            feat,
            head,
            eps: zero(),
            z: zero(),
            image: zero(),
            real_feat: zero(),
            dfeat: zero(),
            targets: zero(),
            dmu: zero(),
            dlv: zero(),
            kl_dims: vec![0.0; cfg.latent],
            train_disc: true,
            train_dec: true,
        }
    }

    /// f(x) into `real_feat`.
    fn real_features(&mut self, x: &ArrayView2<f32>) {
        let f = self.feat.forward(x);
        ensure_shape(&mut self.real_feat, f.nrows(), f.ncols());
        self.real_feat.assign(f);
    }

    /// Encode, draw z = μ + σ ⊙ ε (ε from `rng`), decode into `image`; with
    /// `kl`, the β-weighted KL and its gradients in `dmu`/`dlv`. Returns the KL.
    fn reconstruct_sampled(&mut self, x: &ArrayView2<f32>, rng: &mut Rng, kl: bool) -> f32 {
        let (b, k) = (x.nrows(), self.cfg.latent);
        ensure_shape(&mut self.eps, b, k);
        self.eps.iter_mut().for_each(|e| *e = rng.normal());
        let out = self.net.encoder.forward(x);
        ensure_shape(&mut self.z, b, k);
        reparameterise(&out.view(), &self.eps, &mut self.z.view_mut());
        let mut value = 0.0;
        if kl {
            ensure_shape(&mut self.dmu, b, k);
            ensure_shape(&mut self.dlv, b, k);
            let out = self.net.encoder.output();
            value = gaussian_kl(&out.slice(s![.., ..k]), &out.slice(s![.., k..]), &mut self.dmu, &mut self.dlv, Some(&mut self.kl_dims));
            let beta = self.cfg.beta;
            self.dmu.mapv_inplace(|g| beta * g);
            self.dlv.mapv_inplace(|g| beta * g);
        }
        self.decode_image();
        value
    }

    /// Prior samples z_p ~ N(0, I) from `rng`, decoded into `image`.
    fn decode_prior(&mut self, b: usize, rng: &mut Rng) {
        ensure_shape(&mut self.z, b, self.cfg.latent);
        self.z.iter_mut().for_each(|z| *z = rng.normal());
        self.decode_image();
    }

    /// dec(z) → logits → `image` = σ(logits).
    fn decode_image(&mut self) {
        let logits = self.net.decoder.forward(&self.z.view());
        ensure_shape(&mut self.image, logits.nrows(), logits.ncols());
        Zip::from(&mut self.image).and(logits).for_each(|m, &s| *m = sigmoid(s));
    }

    /// The discriminator on `image`, every row scored against `target` (1:
    /// real): the batch-mean Bernoulli NLL with its gradient × `weight` in
    /// the head's output-gradient buffer, and how many rows it got right.
    /// `real`: judge these images instead of `image`.
    fn judge(&mut self, target: f32, weight: f32, real: Option<&ArrayView2<f32>>) -> (f32, usize) {
        let f = match real {
            Some(x) => self.feat.forward(x),
            None => self.feat.forward(&self.image.view()),
        };
        let n = self.head.forward(&f.view()).nrows();
        ensure_shape(&mut self.targets, n, 1);
        self.targets.fill(target);
        let (logits, grad) = self.head.output_and_grad();
        let nll = bernoulli_nll(&logits.view(), &self.targets.view(), grad);
        grad.iter_mut().for_each(|g| *g *= weight);
        let right = logits.iter().filter(|&&s| (s > 0.0) == (target > 0.5)).count();
        (nll, right)
    }

    /// ½‖f(image) − f(x)‖² per image, batch mean, with the last forward of
    /// `feat` on `image`; its gradient × `weight` is added into `dfeat`.
    fn feature_loss(&self, weight: f32, dfeat: &mut Array2<f32>) -> f32 {
        let f = self.feat.output();
        let b = f.nrows() as f32;
        let mut sum = 0.0f64;
        Zip::from(dfeat).and(f).and(&self.real_feat).for_each(|d, &a, &t| {
            sum += 0.5 * ((a - t) as f64).powi(2);
            *d += weight * (a - t) / b;
        });
        (sum / b as f64) as f32
    }

    /// Backward from the discriminator's features (their gradient in
    /// `feat`'s output buffer) to the decoder's logits: ∂/∂image × σ′, plus
    /// the pixel term's gradient × `pixel` when `x` is the target.
    fn back_to_logits(&mut self, pixel: Option<&ArrayView2<f32>>) -> f32 {
        self.feat.backward(&self.image.view(), true);
        let w = self.cfg.pixel_weight;
        let mut nll = 0.0;
        if let (Some(x), true) = (pixel, w > 0.0) {
            nll = self.net.output_nll(x, true);
            let (_, g) = self.net.decoder.output_and_grad();
            g.mapv_inplace(|v| w * v);
            // A learned output variance has its gradient from this term alone (its group's
            // gradients start at zero, and only the reconstruction's pass reaches here).
            self.net.likelihood.dlogvar.mapv_inplace(|v| w * v);
        } else {
            let (_, g) = self.net.decoder.output_and_grad();
            g.fill(0.0);
        }
        let (_, g) = self.net.decoder.output_and_grad();
        Zip::from(g).and(self.feat.input_grad()).and(&self.image).for_each(|g, &d, &m| *g += d * m * (1.0 - m));
        nll
    }

    /// Phase 1: x real (target 1), x̃ and x_p decoded (target 0), each a
    /// third of the objective; sets this batch's `balance`.
    fn disc_phase(&mut self, x: &ArrayView2<f32>, rng: &mut Rng, grads: bool) -> Stats {
        let b = x.nrows();
        let (real, right_real) = self.judge(1.0, 1.0 / 3.0, Some(x));
        if grads {
            disc_backward(&mut self.feat, &mut self.head, x);
        }
        self.reconstruct_sampled(x, rng, false);
        let (recon, right_recon) = self.judge(0.0, 1.0 / 3.0, None);
        if grads {
            disc_backward(&mut self.feat, &mut self.head, &self.image.view());
        }
        self.decode_prior(b, rng);
        let (sample, right_sample) = self.judge(0.0, 1.0 / 3.0, None);
        if grads {
            disc_backward(&mut self.feat, &mut self.head, &self.image.view());
        }
        self.balance(real, 0.5 * (recon + sample));
        let disc_loss = (real + recon + sample) / 3.0;
        Stats { loss: disc_loss, disc_loss, disc_accuracy: (right_real + right_recon + right_sample) as f32 / (3 * b) as f32, ..Stats::default() }
    }

    /// The paper's rule (Larsen et al.'s code): with the discriminator's NLL
    /// on real and on decoded images, skip its update while either is below
    /// equilibrium − margin (it is far ahead), and the decoder's while either
    /// is above equilibrium + margin (the discriminator is far behind); never both.
    fn balance(&mut self, real: f32, fake: f32) {
        let (eq, margin) = (self.cfg.balance_equilibrium, self.cfg.balance_margin);
        self.train_disc = !(real < eq - margin || fake < eq - margin);
        self.train_dec = !(real > eq + margin || fake > eq + margin);
        if !self.train_disc && !self.train_dec {
            (self.train_disc, self.train_dec) = (true, true);
        }
    }

    /// The feature gradient's buffer, zeroed and shaped as the features;
    /// the caller puts it back.
    fn take_dfeat(&mut self) -> Array2<f32> {
        let mut d = std::mem::take(&mut self.dfeat);
        if d.dim() == self.real_feat.dim() {
            d.fill(0.0);
        } else {
            d = Array2::zeros(self.real_feat.dim());
        }
        d
    }

    /// Phase 2: β·KL + L_feat (+ w·pixel NLL) on the encoder.
    fn encoder_phase(&mut self, x: &ArrayView2<f32>, rng: &mut Rng, grads: bool) -> Stats {
        self.real_features(x);
        let kl = self.reconstruct_sampled(x, rng, true);
        self.feat.forward(&self.image.view());
        let mut dfeat = self.take_dfeat();
        let feat = self.feature_loss(1.0, &mut dfeat);
        let pixel = if grads {
            self.feat.output_and_grad().1.assign(&dfeat);
            let nll = self.back_to_logits(Some(x));
            self.net.decoder.backward(&self.z.view(), true);
            let (out, g) = self.net.encoder.output_and_grad();
            encoder_grads(out, &self.net.decoder.input_grad().view(), &self.eps, &self.dmu, &self.dlv, g);
            self.net.encoder.backward(x, false);
            nll
        } else if self.cfg.pixel_weight > 0.0 {
            self.net.output_nll(x, false)
        } else {
            0.0
        };
        self.dfeat = dfeat;
        // recon: the whole reconstruction part, so that recon + β·KL is the loss.
        let recon = feat + self.cfg.pixel_weight * pixel;
        Stats { loss: self.cfg.beta * kl + recon, recon, kl, ..Stats::default() }
    }

    /// Phase 3: γ·L_feat (+ w·pixel NLL) − ln D(x̃) − ln D(x_p) on the decoder.
    fn decoder_phase(&mut self, x: &ArrayView2<f32>, rng: &mut Rng, grads: bool) -> Stats {
        let gamma = self.cfg.gamma;
        self.real_features(x);
        self.reconstruct_sampled(x, rng, false);
        let (gen_recon, fooled_recon) = self.judge(1.0, 1.0, None);
        let mut dfeat = self.take_dfeat();
        let feat = self.feature_loss(gamma, &mut dfeat);
        let mut pixel = 0.0;
        if grads {
            self.head.backward(&self.feat.output().view(), true);
            dfeat += self.head.input_grad();
            self.feat.output_and_grad().1.assign(&dfeat);
            pixel = self.back_to_logits(Some(x));
            self.net.decoder.backward(&self.z.view(), false);
        } else if self.cfg.pixel_weight > 0.0 {
            pixel = self.net.output_nll(x, false);
        }
        self.dfeat = dfeat;
        self.decode_prior(x.nrows(), rng);
        let (gen_sample, fooled_sample) = self.judge(1.0, 1.0, None);
        if grads {
            self.head.backward(&self.feat.output().view(), true);
            self.feat.output_and_grad().1.assign(self.head.input_grad());
            self.back_to_logits(None);
            self.net.decoder.backward(&self.z.view(), false);
        }
        let gen_loss = gen_recon + gen_sample;
        let b = x.nrows();
        Stats {
            loss: gamma * feat + self.cfg.pixel_weight * pixel + gen_loss,
            recon: feat,
            gen_loss,
            disc_accuracy: 1.0 - (fooled_recon + fooled_sample) as f32 / (2 * b) as f32,
            ..Stats::default()
        }
    }

    fn zero_group(&mut self, group: Group) {
        match group {
            Group::Discriminator => {
                self.feat.zero_grad();
                self.head.zero_grad();
            }
            Group::Decoder => {
                self.net.decoder.zero_grad();
                self.net.likelihood.zero_grad();
            }
            Group::Encoder => self.net.encoder.zero_grad(),
            Group::Autoencoder => self.net.zero_grad(),
        }
    }
}

/// Backward from the head's output gradient (set by `judge`) through the
/// head and the feature layers, on the images `input` they judged last: the
/// discriminator's own gradients add up.
fn disc_backward(feat: &mut ImageFeatures, head: &mut Mlp, input: &ArrayView2<f32>) {
    head.backward(&feat.output().view(), true);
    feat.output_and_grad().1.assign(head.input_grad());
    feat.backward(input, false);
}

impl super::Adversarial for VaeGan {
    fn phase(&self, i: usize, _gen_steps: usize) -> Option<Phase> {
        [Phase::Discriminator, Phase::Encoder, Phase::Decoder].get(i).copied()
    }

    fn skip(&self, phase: Phase) -> bool {
        match phase {
            Phase::Discriminator => !self.train_disc,
            Phase::Decoder => !self.train_dec,
            _ => false,
        }
    }

    fn phase_grads(&mut self, phase: Phase, x: &ArrayView2<f32>, _labels: &[u8], rng: &mut Rng) -> Stats {
        self.zero_group(phase.group());
        self.phase_run(phase, x, rng, true)
    }

    fn phase_objective(&mut self, phase: Phase, x: &ArrayView2<f32>, _labels: &[u8], rng: &mut Rng) -> Stats {
        self.phase_run(phase, x, rng, false)
    }

    fn visit_group(&mut self, group: Group, f: &mut TensorVisitor) {
        match group {
            Group::Discriminator => {
                self.feat.visit(f);
                self.head.visit(f);
            }
            Group::Decoder => {
                self.net.decoder.visit(f);
                self.net.likelihood.visit(f);
            }
            Group::Encoder => self.net.encoder.visit(f),
            // No phase steps both; `compute_grads` fills both, for the probes.
            Group::Autoencoder => self.net.visit(f),
        }
    }
}

impl VaeGan {
    fn phase_run(&mut self, phase: Phase, x: &ArrayView2<f32>, rng: &mut Rng, grads: bool) -> Stats {
        match phase {
            Phase::Discriminator => self.disc_phase(x, rng, grads),
            Phase::Decoder => self.decoder_phase(x, rng, grads),
            _ => self.encoder_phase(x, rng, grads),
        }
    }
}

impl Model for VaeGan {
    fn config(&self) -> &ModelConfig {
        &self.cfg
    }

    /// The encoder's objective, the one a VAE-GAN has on its own (the
    /// trainer runs the game through `Adversarial`), with its gradient in the
    /// encoder's and the decoder's parameters.
    fn compute_grads(&mut self, x: &ArrayView2<f32>, _labels: &[u8], rng: &mut Rng) -> Stats {
        self.zero_group(Group::Autoencoder);
        self.encoder_phase(x, rng, true)
    }

    fn objective(&mut self, x: &ArrayView2<f32>, _labels: &[u8], rng: &mut Rng) -> Stats {
        self.encoder_phase(x, rng, false)
    }

    /// Test figures: the encoder's objective (β·KL + feature reconstruction),
    /// and the discriminator's loss and accuracy on real, reconstructed and
    /// sampled images, with the decoder's GAN loss.
    fn evaluate(&mut self, x: &ArrayView2<f32>, _labels: &[u8], rng: &mut Rng) -> Stats {
        let enc = self.encoder_phase(x, rng, false);
        let disc = self.disc_phase(x, rng, false);
        let dec = self.decoder_phase(x, rng, false);
        Stats { disc_loss: disc.disc_loss, disc_accuracy: disc.disc_accuracy, gen_loss: dec.gen_loss, ..enc }
    }

    fn encode(&mut self, x: &ArrayView2<f32>, _labels: &[u8]) -> Array2<f32> {
        self.net.encoder.forward(x).slice(s![.., ..self.cfg.latent]).to_owned()
    }

    fn encode_logvar(&mut self, x: &ArrayView2<f32>, _labels: &[u8]) -> Option<Array2<f32>> {
        Some(self.net.encoder.forward(x).slice(s![.., self.cfg.latent..]).to_owned())
    }

    fn code_jacobian(&mut self, x: &ArrayView2<f32>, _labels: &[u8]) -> Option<Array3<f32>> {
        Some(self.net.code_jacobian(x, self.cfg.input, self.cfg.latent))
    }

    fn kl_per_dim(&self) -> &[f32] {
        &self.kl_dims
    }

    /// Encoder, decoder, output variance, then the discriminator.
    fn visit(&mut self, f: &mut TensorVisitor) {
        self.net.visit(f);
        self.feat.visit(f);
        self.head.visit(f);
    }

    fn generative(&mut self) -> Option<&mut dyn Generative> {
        Some(self)
    }

    fn adversarial(&mut self) -> Option<&mut dyn super::Adversarial> {
        Some(self)
    }
}

impl Generative for VaeGan {
    fn decode_logits(&mut self, z: &ArrayView2<f32>, _labels: &[u8]) -> Array2<f32> {
        self.net.decode_logits(z)
    }

    fn prior_samples(&mut self, labels: &[u8], rng: &mut Rng) -> Option<Array2<f32>> {
        Some(Array2::from_shape_simple_fn((labels.len(), self.cfg.latent), || rng.normal()))
    }
}
