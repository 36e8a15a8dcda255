//! A whole configuration checked against the table's limits, and the
//! checks that join fields (a masking probability below 1, the parameter
//! cap, a prior's pairs and parts). They live here, not in `config.rs`, so
//! that `config` depends on neither the table nor `model_size` nor `prior`:
//! each of those reads `config`, and a config is plain data.

use super::*;
use crate::config::{ModelConfig, ModelKind, NoiseKind, Prior, TrainConfig};
use crate::error::{Error, Result};
use crate::model_size;

impl ModelConfig {
    /// Checks every field against its limits in `settings`, the table the page and the CLI read too.
    pub fn validate(&self) -> Result<()> {
        INPUT.check_int(self.input as u64)?;
        HIDDEN.check_list(&self.hidden)?;
        if self.kind != ModelKind::Classifier {
            LATENT.check_int(self.latent as u64)?;
        }
        CLASSES.check_int(self.classes as u64)?;
        INIT.check_init(&self.init)?;
        NOISE_LEVEL.check_float(self.noise_level)?;
        // The one limit that depends on another field.
        if self.noise == NoiseKind::Mask && self.noise_level >= 1.0 {
            return Err(Error::Config(format!("masking probability {} must be below 1", self.noise_level)));
        }
        CONTRACTIVE.check_float(self.contractive)?;
        BETA.check_float(self.beta)?;
        // Each width is within its limit; their product is capped here, before anything is built.
        let params = model_size::param_count(self);
        if params > model_size::MAX_PARAMS {
            return Err(Error::Config(format!(
                "this model would have {:.1} M parameters, more than the limit of {:.1} M (2^25): use fewer or narrower hidden layers or a smaller latent size",
                params as f64 / 1e6,
                model_size::MAX_PARAMS as f64 / 1e6
            )));
        }
        DISC_HIDDEN.check_list(&self.disc_hidden)?;
        CODE_NOISE.check_float(self.code_noise)?;
        GAMMA.check_float(self.gamma)?;
        PIXEL_WEIGHT.check_float(self.pixel_weight)?;
        BALANCE_EQUILIBRIUM.check_float(self.balance_equilibrium)?;
        BALANCE_MARGIN.check_float(self.balance_margin)?;
        DISC_CONV.check_list(&self.disc_conv)?;
        if self.kind == ModelKind::Vaegan && self.disc_hidden.is_empty() && self.disc_conv.is_empty() {
            return Err(Error::Config(
                "VAE-GAN measures its reconstruction in the discriminator's last hidden layer: give the discriminator at least one".into(),
            ));
        }
        if !self.disc_conv.is_empty() {
            if self.kind != ModelKind::Vaegan {
                return Err(Error::Config(format!("discriminator convolutions read images: only VAE-GAN's discriminator has them, not the {}'s", self.kind.name())));
            }
            if model_size::image_side(self.input).is_none() {
                return Err(Error::Config(format!("discriminator convolutions need square images, and {} pixels are not a square", self.input)));
            }
        }
        if self.kind == ModelKind::Aae {
            // The mixture and the roll are planar shapes, laid in each pair of dimensions.
            if self.prior != Prior::Gaussian && !self.latent.is_multiple_of(2) {
                return Err(Error::Config(format!("the {} prior lives in pairs of dimensions: latent size {} must be even", self.prior.name(), self.latent)));
            }
            if self.prior != Prior::Gaussian && self.classes != crate::prior::COMPONENTS {
                return Err(Error::Config(format!(
                    "the {} prior has {} parts, one per class, not {}",
                    self.prior.name(),
                    crate::prior::COMPONENTS,
                    self.classes
                )));
            }
        }
        Ok(())
    }
}

impl TrainConfig {
    /// Checks every field against its limits in `settings`.
    pub fn validate(&self) -> Result<()> {
        LR.check_float(self.lr)?;
        BATCH.check_int(self.batch as u64)?;
        SEED.check_int(self.seed)?;
        DISC_LR.check_float(self.disc_lr)?;
        GEN_STEPS.check_int(self.gen_steps as u64)?;
        LR_DECAY.check_float(self.lr_decay)
    }
}
