//! Plain configuration data that builds models. The CLI flags, the browser's
//! URL hash and the model file's metadata all carry this same struct; each
//! field's limits, label and help are in `settings`, its names are serde's.
//! This module depends on none of them: `validate`, which checks a config
//! against the settings table, the parameter cap and the priors, lives in
//! `settings/validate.rs`, so the dependency runs one way (settings → config).

use serde::{Deserialize, Serialize};

use crate::layers::{Activation, Init};
use crate::optim::OptimizerKind;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelKind {
    /// Autoencoder.
    Ae,
    /// Denoising autoencoder (Vincent et al. 2008): reconstruct x from a corrupted x̃.
    Dae,
    /// Contractive autoencoder (Rifai et al. 2011): penalise ‖∂h/∂x‖²_F.
    Cae,
    /// Variational autoencoder (Kingma & Welling 2014).
    Vae,
    /// Conditional VAE (Sohn et al. 2015): the label is fed to encoder and decoder.
    Cvae,
    /// MLP classifier, to judge generations and compare losses.
    Classifier,
    /// Adversarial autoencoder (Makhzani et al. 2015): a discriminator on the
    /// code pushes the codes' distribution towards a prior one can sample.
    Aae,
    /// Semantic hashing (Salakhutdinov & Hinton 2009): a code of logistic
    /// units with noise before them in training, so that it saturates into
    /// bits; images are then retrieved by the Hamming distance of their bits.
    Hash,
    /// VAE-GAN (Larsen et al. 2016): a VAE whose reconstruction is measured
    /// in a discriminator's features, and whose decoder also learns to fool it.
    Vaegan,
}

impl ModelKind {
    pub fn is_variational(self) -> bool {
        matches!(self, ModelKind::Vae | ModelKind::Cvae | ModelKind::Vaegan)
    }
    pub fn is_conditional(self) -> bool {
        self == ModelKind::Cvae
    }
    /// Trained by a game with a discriminator (the AAE).
    pub fn is_adversarial(self) -> bool {
        self == ModelKind::Aae
    }
    /// Models with a prior to sample codes from: VAEs (N(0, I)) and the AAE (its `prior`).
    pub fn has_prior(self) -> bool {
        self.is_variational() || self.is_adversarial()
    }
    /// The figures of `Stats` (by their names in `Stats::named`) this kind
    /// reports beside the loss; the others stay 0 (tests/stats_terms.rs). The
    /// page shows and charts these, in this order (`stats::TERMS` says how),
    /// but for a part of the loss that is the whole of it.
    pub fn terms(self) -> &'static [&'static str] {
        match self {
            ModelKind::Ae | ModelKind::Dae | ModelKind::Hash => &["recon"], // the whole loss
            ModelKind::Cae => &["recon", "penalty"],
            ModelKind::Vae | ModelKind::Cvae => &["recon", "kl"],
            ModelKind::Vaegan => &["recon", "kl", "disc_loss", "gen_loss", "disc_accuracy"], // recon: in the discriminator's features, plus any pixel term
            ModelKind::Aae => &["recon", "disc_loss", "gen_loss", "disc_accuracy", "prior_mmd2", "own_part"],
            ModelKind::Classifier => &["recon", "accuracy"], // recon: −log p(label | x), the whole loss
        }
    }
}

/// Where the trainer's shuffles come from. One generator seeds a run: the
/// initial weights are drawn first, then the shuffles and the noise. Models
/// that draw a different number of initial weights (an AE and a VAE, a VAE
/// and a CVAE) therefore see their batches in different orders. Compare mode
/// sets `seed`, so that both models train on the same batches in the same order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BatchOrder {
    /// Shuffles from the run's generator, after the initialisation's draws.
    #[default]
    AfterInit,
    /// Shuffles from a generator of their own, seeded by the seed alone.
    Seed,
}

/// The distribution an adversarial autoencoder shapes its codes into (see `prior.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Prior {
    /// N(0, I) in every dimension.
    Gaussian,
    /// Ten elongated Gaussians on a circle of radius 1.4, one per class, in each pair of dimensions.
    Mog10,
    /// A swiss roll in each pair of dimensions, cut into ten segments, one per class.
    #[serde(alias = "swiss-roll")]
    SwissRoll,
}

/// The decoder's output distribution p(x|z): the loss it implies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decoder {
    /// Bernoulli pixels: binary cross-entropy.
    Bernoulli,
    /// Gaussian pixels with unit variance: squared error.
    Gaussian,
    /// Gaussian pixels with a learned per-pixel variance.
    GaussianLearnedVar,
}

/// Corruption for the denoising autoencoder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoiseKind {
    /// x̃ = x + σε, ε ~ N(0, I).
    Gaussian,
    /// Each pixel set to 0 with probability p (Vincent et al.'s masking noise).
    Mask,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ModelConfig {
    pub kind: ModelKind,
    /// Pixels per image (784 for 28×28).
    pub input: usize,
    /// Encoder widths; the decoder mirrors them.
    pub hidden: Vec<usize>,
    pub latent: usize,
    pub activation: Activation,
    pub decoder: Decoder,
    pub init: Init,
    pub noise: NoiseKind,
    /// σ for Gaussian noise, drop probability for masking (DAE only).
    pub noise_level: f32,
    /// λ, the weight of the contractive penalty (CAE only).
    pub contractive: f32,
    /// β, the weight of the KL term (VAE and CVAE; Higgins et al. 2017): 1 is
    /// the ELBO, more trades reconstruction for a code closer to the prior.
    pub beta: f32,
    /// Number of classes (CVAE conditioning, classifier outputs).
    pub classes: usize,
    /// The AAE's prior p(z).
    pub prior: Prior,
    /// AAE: the discriminator also sees the one-hot label, and each class is
    /// matched to its own component (mixture) or segment (swiss roll).
    pub aae_labels: bool,
    /// AAE: the discriminator's hidden widths.
    pub disc_hidden: Vec<usize>,
    /// VAE-GAN: convolutions (5×5, stride 2) before `disc_hidden`, by their
    /// output channels; empty, the discriminator is dense (as in files
    /// written before it existed, which read as empty).
    pub disc_conv: Vec<usize>,
    /// σ_n, the spread of the Gaussian noise added before the code's sigmoid
    /// in training (hash only): what drives the code to bits.
    pub code_noise: f32,
    /// γ, the weight of the feature reconstruction in VAE-GAN's decoder objective, against its GAN term.
    pub gamma: f32,
    /// VAE-GAN: the weight of the pixel reconstruction −ln p(x|z) beside the feature one (0: none).
    pub pixel_weight: f32,
    /// VAE-GAN's balance: the discriminator's NLL it is held near, and how far either of its costs may stray.
    pub balance_equilibrium: f32,
    pub balance_margin: f32,
}

impl Default for ModelConfig {
    fn default() -> Self {
        ModelConfig {
            kind: ModelKind::Vae,
            input: 784,
            hidden: vec![400],
            latent: 20,
            activation: Activation::Relu,
            decoder: Decoder::Bernoulli,
            init: Init::Auto,
            noise: NoiseKind::Mask,
            noise_level: 0.3,
            contractive: 0.1,
            beta: 1.0,
            classes: 10,
            prior: Prior::Gaussian,
            aae_labels: false,
            disc_hidden: vec![400, 400],
            disc_conv: Vec::new(),
            code_noise: 16.0,
            // The cleanest samples of those measured (docs/quality.md, VAE-GAN).
            gamma: 0.1,
            pixel_weight: 0.1,
            balance_equilibrium: 0.68,
            balance_margin: 0.35,
        }
    }
}

/// How to train: plain data, like `ModelConfig`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrainConfig {
    /// Where the order of the training batches comes from (see `BatchOrder`).
    pub batch_order: BatchOrder,
    pub optimizer: OptimizerKind,
    pub lr: f32,
    pub batch: usize,
    pub seed: u64,
    /// AAE: the learning rate of the game (Makhzani et al.'s regularisation
    /// phase), for the discriminator and for the encoder's generator steps;
    /// the reconstruction's is `lr`.
    pub disc_lr: f32,
    /// AAE: generator steps (encoder updates against the discriminator) per batch.
    pub gen_steps: usize,
    /// AAE: every learning rate (reconstruction and game) is multiplied by
    /// this at the end of each epoch, so the game settles where it is instead
    /// of swinging on (docs/quality.md, issue 20); 1 keeps them constant.
    pub lr_decay: f32,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig { batch_order: BatchOrder::AfterInit, optimizer: OptimizerKind::Adam, lr: 1e-3, batch: 128, seed: 1, disc_lr: 1e-3, gen_steps: 1, lr_decay: 0.8 }
    }
}
