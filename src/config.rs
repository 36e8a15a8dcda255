//! Plain configuration data that builds models. The CLI flags, the browser's
//! URL hash and the model file's metadata all carry this same struct.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
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
}

impl ModelKind {
    pub const ALL: [ModelKind; 6] = [ModelKind::Ae, ModelKind::Dae, ModelKind::Cae, ModelKind::Vae, ModelKind::Cvae, ModelKind::Classifier];
    pub fn name(self) -> &'static str {
        match self {
            ModelKind::Ae => "ae",
            ModelKind::Dae => "dae",
            ModelKind::Cae => "cae",
            ModelKind::Vae => "vae",
            ModelKind::Cvae => "cvae",
            ModelKind::Classifier => "classifier",
        }
    }
    pub fn parse(s: &str) -> Option<ModelKind> {
        ModelKind::ALL.into_iter().find(|k| k.name() == s)
    }
    pub fn is_variational(self) -> bool {
        matches!(self, ModelKind::Vae | ModelKind::Cvae)
    }
    pub fn is_conditional(self) -> bool {
        self == ModelKind::Cvae
    }
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

impl Decoder {
    pub fn name(self) -> &'static str {
        match self {
            Decoder::Bernoulli => "bernoulli",
            Decoder::Gaussian => "gaussian",
            Decoder::GaussianLearnedVar => "gaussian_learned_var",
        }
    }
    pub fn parse(s: &str) -> Option<Decoder> {
        [Decoder::Bernoulli, Decoder::Gaussian, Decoder::GaussianLearnedVar].into_iter().find(|d| d.name() == s)
    }
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

impl NoiseKind {
    pub fn parse(s: &str) -> Option<NoiseKind> {
        match s {
            "gaussian" => Some(NoiseKind::Gaussian),
            "mask" => Some(NoiseKind::Mask),
            _ => None,
        }
    }
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
    /// Number of classes (CVAE conditioning, classifier outputs).
    pub classes: usize,
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
            classes: 10,
        }
    }
}

/// Sizes past these are refused: they would not fit a browser tab.
pub const MAX_WIDTH: usize = 4096;
pub const MAX_LAYERS: usize = 8;

impl ModelConfig {
    pub fn validate(&self) -> Result<()> {
        let bad = |m: String| Err(Error::Config(m));
        if self.input == 0 || self.input > 65536 {
            return bad(format!("input size {} must be between 1 and 65536", self.input));
        }
        if self.hidden.len() > MAX_LAYERS {
            return bad(format!("at most {MAX_LAYERS} hidden layers, got {}", self.hidden.len()));
        }
        if let Some(&w) = self.hidden.iter().find(|&&w| w == 0 || w > MAX_WIDTH) {
            return bad(format!("hidden width {w} must be between 1 and {MAX_WIDTH}"));
        }
        if self.kind != ModelKind::Classifier && (self.latent == 0 || self.latent > 1024) {
            return bad(format!("latent size {} must be between 1 and 1024", self.latent));
        }
        if self.classes < 2 || self.classes > 256 {
            return bad(format!("number of classes {} must be between 2 and 256", self.classes));
        }
        if !(self.noise_level.is_finite() && self.noise_level >= 0.0 && self.noise_level <= 10.0) {
            return bad(format!("noise level {} must be between 0 and 10", self.noise_level));
        }
        if self.noise == NoiseKind::Mask && self.noise_level >= 1.0 {
            return bad(format!("masking probability {} must be below 1", self.noise_level));
        }
        if !(self.contractive.is_finite() && self.contractive >= 0.0 && self.contractive <= 1e3) {
            return bad(format!("contractive weight {} must be between 0 and 1000", self.contractive));
        }
        Ok(())
    }
}

/// How to train: plain data, like `ModelConfig`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrainConfig {
    pub optimizer: OptimizerKind,
    pub lr: f32,
    pub batch: usize,
    pub seed: u64,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig { optimizer: OptimizerKind::Adam, lr: 1e-3, batch: 128, seed: 1 }
    }
}

impl TrainConfig {
    pub fn validate(&self) -> Result<()> {
        if !(self.lr.is_finite() && self.lr > 0.0 && self.lr <= 100.0) {
            return Err(Error::Config(format!("learning rate {} must be in (0, 100]", self.lr)));
        }
        if self.batch == 0 || self.batch > 4096 {
            return Err(Error::Config(format!("batch size {} must be between 1 and 4096", self.batch)));
        }
        Ok(())
    }
}
