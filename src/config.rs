//! Plain configuration data that builds models. The CLI flags, the browser's
//! URL hash and the model file's metadata all carry this same struct; each
//! field's limits, label and help are in `settings`, its names are serde's.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::layers::{Activation, Init};
use crate::model_size;
use crate::optim::OptimizerKind;
use crate::settings;

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

impl ModelConfig {
    /// Checks every field against its limits in `settings`, the table the page and the CLI read too.
    pub fn validate(&self) -> Result<()> {
        settings::INPUT.check_int(self.input as u64)?;
        settings::HIDDEN.check_list(&self.hidden)?;
        if self.kind != ModelKind::Classifier {
            settings::LATENT.check_int(self.latent as u64)?;
        }
        settings::CLASSES.check_int(self.classes as u64)?;
        settings::INIT.check_init(&self.init)?;
        settings::NOISE_LEVEL.check_float(self.noise_level)?;
        // The one limit that depends on another field.
        if self.noise == NoiseKind::Mask && self.noise_level >= 1.0 {
            return Err(Error::Config(format!("masking probability {} must be below 1", self.noise_level)));
        }
        settings::CONTRACTIVE.check_float(self.contractive)?;
        // Each width is within its limit; their product is capped here, before anything is built.
        let params = model_size::param_count(self);
        if params > model_size::MAX_PARAMS {
            return Err(Error::Config(format!(
                "this model would have {:.1} M parameters, more than the limit of {:.1} M (2^25): use fewer or narrower hidden layers or a smaller latent size",
                params as f64 / 1e6,
                model_size::MAX_PARAMS as f64 / 1e6
            )));
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
    /// Checks every field against its limits in `settings`.
    pub fn validate(&self) -> Result<()> {
        settings::LR.check_float(self.lr)?;
        settings::BATCH.check_int(self.batch as u64)?;
        settings::SEED.check_int(self.seed)
    }
}
